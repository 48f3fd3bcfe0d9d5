#!/usr/bin/env bash
# Runs every benchmark of crates/lumber-bench (one bench target per logging
# crate: each installs a process-wide logger) RUNS times, then prints the
# markdown tables of BENCHMARKS.md: for each benchmark, the median over the
# runs of criterion's median, in ns per call, with the range over the runs.
#
#   scripts/bench.sh                                # everything, 3 runs (~6 min on 2 cores, plus the build)
#   RUNS=1 BENCHES="file_lumber file_spdlog" scripts/bench.sh
#
# Environment: RUNS (default 3); BENCHES (bench targets, default all of
# crates/lumber-bench/Cargo.toml); WARM_UP and MEASURE (seconds per
# benchmark, default 1 and 3); TMPDIR (where the log files go, default
# /tmp); CARGO_TARGET_DIR as usual (criterion writes under it).
#
# Every file benchmark counts its calls and checks that its file holds as
# many lines; a row whose check failed is flagged in the table.
#
# The machine may be shared (2 cores here): before each bench target the
# script waits (up to IDLE_WAIT s, default 120) for the rest of the machine
# to be idle, and after it measures how much CPU everything else used
# meanwhile (from /proc/stat, minus the benchmark's own time). A target run
# during which the rest of the machine used more than a quarter of a core is run
# again, up to TRIES times (default 3); the last try counts and is flagged.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
WARM_UP=${WARM_UP:-1}
MEASURE=${MEASURE:-3}
IDLE_WAIT=${IDLE_WAIT:-120}
TRIES=${TRIES:-3}
BENCHES=${BENCHES:-$(sed -n 's/^name = "\(file_[a-z_0-9]*\)"$/\1/p' crates/lumber-bench/Cargo.toml)}
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
results=$target/criterion
runs=$target/lumber-bench-runs
checks=$target/lumber-bench-checks.tsv
noise=$target/lumber-bench-noise.tsv
groups="disabled file_buffered file_unbuffered lumber_parts"
clk=$(getconf CLK_TCK)

rm -rf "$runs"
rm -f "$checks" "$noise"
mkdir -p "$runs"

# CPU time used by the whole machine so far, in clock ticks (user, nice,
# system, irq, softirq, steal).
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

wait_idle() {
  local waited=0 a b
  while [ "$waited" -lt "$IDLE_WAIT" ]; do
    a=$(busy); sleep 2; b=$(busy); waited=$((waited + 2))
    # Idle: less than 10% of one core busy over those 2 s.
    if [ $(((b - a) * 100 / (2 * clk))) -lt 10 ]; then return 0; fi
  done
  echo "the machine is still busy after ${IDLE_WAIT}s; running anyway" >&2
}

# Build first, so that compiling does not overlap the runs.
cargo bench -q -p lumber-bench --benches --no-run

status=0
times=$(mktemp)
for run in $(seq 1 "$RUNS"); do
  for g in $groups; do rm -rf "${results:?}/$g"; done
  for bench in $BENCHES; do
    for try in $(seq 1 "$TRIES"); do
      wait_idle
      a=$(busy); start=$(date +%s.%N)
      rc=0
      LUMBER_BENCH_CHECKS=$checks /usr/bin/time -f "%U %S" -o "$times" \
        cargo bench -q -p lumber-bench --bench "$bench" -- \
        --warm-up-time "$WARM_UP" --measurement-time "$MEASURE" || rc=$?
      b=$(busy); end=$(date +%s.%N)
      # Cores used on average by everything but this benchmark.
      others=$(awk -v a="$a" -v b="$b" -v clk="$clk" -v s="$start" -v e="$end" \
        '{o = (b - a) / clk - ($1 + $2); if (o < 0) o = 0; printf "%.2f", o / (e - s)}' "$times")
      quiet=$(awk -v o="$others" 'BEGIN{print (o <= 0.25) ? "quiet" : "disturbed"}')
      echo "== run $run, $bench, try $try: the rest of the machine used $others cores: $quiet" >&2
      if [ "$quiet" = quiet ] || [ "$try" = "$TRIES" ]; then
        printf '%s\t%s\t%s\t%s\t%s\n' "$run" "$bench" "$try" "$others" "$quiet" >>"$noise"
        [ "$rc" = 0 ] || status=$rc
        break
      fi
    done
  done
  for g in $groups; do
    if [ -d "$results/$g" ]; then
      mkdir -p "$runs/$run" && cp -r "$results/$g" "$runs/$run/"
    fi
  done
done
rm -f "$times"

python3 - "$runs" "$checks" "$noise" <<'EOF'
import json, os, statistics, sys

runs_dir, checks_file, noise_file = sys.argv[1], sys.argv[2], sys.argv[3]
runs = sorted(os.listdir(runs_dir), key=int) if os.path.isdir(runs_dir) else []
crates = ["lumber", "lumber (module logger)", "log4rs", "fern", "flexi_logger",
          "spdlog-rs", "tracing-subscriber"]
groups = [("disabled", "disabled call"),
          ("file_buffered", "file, buffered 64 KiB"),
          ("file_unbuffered", "file, write(2) per record")]
parts = ["clock (Timestamp::now)", "clock (the records' clock)", "record + format", "info! to a null sink"]

checks = {}
if os.path.exists(checks_file):
    for line in open(checks_file, encoding="utf-8"):
        fields = line.rstrip("\n").split("\t")
        previous = checks.get(fields[0])
        if len(fields) >= 4 and (previous is None or previous[3] == "ok"):
            checks[fields[0]] = fields  # the last run, or the first failure

def medians(group, bench):
    # criterion's make_filename_safe: these characters become `_`.
    safe = "".join("_" if c in '?"/\\*<>:|^' else c for c in bench)
    found = []
    for run in runs:
        path = os.path.join(runs_dir, run, group, safe, "new", "estimates.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                found.append(json.load(f)["median"]["point_estimate"])
    return found

def ns(x):
    return f"{x:.2f}" if x < 10 else f"{x:,.0f}"

def cell(group, bench):
    found = medians(group, bench)
    if not found:
        return "n/a"
    text = ns(statistics.median(found))
    if len(found) > 1:
        text += f" ({ns(min(found))}–{ns(max(found))})"
    check = checks.get(f"{group}/{bench}")
    if check and check[3] != "ok":
        text += f" ⚠ {check[3]}: {check[2]} lines for {check[1]} calls"
    return text

print(f"ns per call: median over {len(runs)} run(s) of criterion's median "
      "(in parentheses: lowest–highest run). n/a: the crate cannot do it.")
print()
print("| crate | " + " | ".join(title for _, title in groups) + " |")
print("|---|" + "---:|" * len(groups))
for crate in crates:
    cells = [cell(g, crate) for g, _ in groups]
    if all(c == "n/a" for c in cells):
        continue
    name = f"**{crate}**" if crate.startswith("lumber") else crate
    print(f"| {name} | " + " | ".join(cells) + " |")

part_cells = [(p, cell("lumber_parts", p)) for p in parts]
if any(c != "n/a" for _, c in part_cells):
    print()
    print("| lumber, taken apart | ns per call |")
    print("|---|---:|")
    for p, c in part_cells:
        print(f"| {p} | {c} |")

if os.path.exists(noise_file):
    rows = [l.rstrip("\n").split("\t") for l in open(noise_file, encoding="utf-8")]
    disturbed = [r for r in rows if len(r) == 5 and r[4] != "quiet"]
    retried = [r for r in rows if len(r) == 5 and r[2] != "1"]
    print()
    print(f"Machine noise: {len(rows)} bench-target runs, {len(retried)} of them after "
          f"a retry, {len(disturbed)} still disturbed (the rest of the machine used "
          "more than 0.25 of a core during the run)"
          + (": " + ", ".join(f"run {r[0]} {r[1]} ({r[3]} cores)" for r in disturbed)
             if disturbed else "") + ".")

if checks:
    print()
    print("Line-count checks (calls made = lines in the file; the last run, or "
          "the first that failed) and each file's first line:")
    print()
    for key in sorted(checks):
        _, expected, found, status, *rest = checks[key]
        sample = rest[0] if rest else ""
        print(f"- `{key}`: {status}, {found} lines for {expected} calls: `{sample}`")
EOF

exit "$status"
