#!/usr/bin/env bash
# Runs the asynchronous benchmarks of crates/lumber-bench (the `async_*`
# bench targets: `harness = false` binaries, one per crate because each
# installs a process-wide logger, each printing one line of JSON), then
# prints the markdown tables of BENCHMARKS.md's "Asynchronous logging"
# section: caller latency per call in bursts of 20 (p50 / p90 / p99 / p99.9
# / max ns, quill's method), the disabled call, backend throughput, and the
# line-count checks.
#
#   scripts/bench-async.sh                             # everything once (~7 min on 2 cores, plus the build)
#   RUNS=3 ROWS="lumber lumber:coarse spdlog" scripts/bench-async.sh
#
# Each row is run as processes of `cargo bench -p lumber-bench --bench
# async_<crate> -- latency [--variant V]` (once) and the same with
# `throughput` (THROUGHPUT_RUNS times).
#
# Environment:
#   RUNS             runs of the whole suite (default 1; with more, each cell
#                    is the median over the runs)
#   ROWS             default: lumber lumber:coarse spdlog ftlog fast_log
#                    tracing slog logforth flexi_logger (`crate:variant`
#                    passes `--variant variant`)
#   MODES            default "latency throughput"
#   THROUGHPUT_RUNS  throughput processes per row and run (default 3: one
#                    alone is noisy)
#   LUMBER_BENCH_WAIT_US  spin-wait between bursts in µs (default 100)
#   REPORT_ONLY      set: print the tables of the last run again, from
#                    $CARGO_TARGET_DIR/lumber-bench-async/results.jsonl
#   IDLE_WAIT, TRIES see below; TMPDIR (where the log files go, default
#                    /tmp); CARGO_TARGET_DIR as usual.
#
# Every process checks that its file holds one line per call; a row whose
# check failed (records lost), or whose backend did not catch up, is
# flagged in the tables.
#
# The machine may be shared (2 cores here): before each process the script
# waits (up to IDLE_WAIT s, default 120) for the rest of the machine to be
# idle, and afterwards measures how much CPU everything else used meanwhile
# (from /proc/stat, minus the benchmark's own time). A process during which
# the rest of the machine used more than a quarter of a core is run again, up
# to TRIES times (default 2); the last try counts and is flagged.
set -euo pipefail
cd "$(dirname "$0")/.."

command_line="$0${*:+ $*}"
for v in RUNS ROWS MODES LUMBER_BENCH_WAIT_US TRIES THROUGHPUT_RUNS; do
  if [ -n "${!v:-}" ]; then command_line="$v=\"${!v}\" $command_line"; fi
done
RUNS=${RUNS:-1}
ROWS=${ROWS:-lumber lumber:coarse spdlog ftlog fast_log tracing slog logforth flexi_logger}
MODES=${MODES:-latency throughput}
IDLE_WAIT=${IDLE_WAIT:-120}
TRIES=${TRIES:-2}
THROUGHPUT_RUNS=${THROUGHPUT_RUNS:-3}
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$PWD/$target ;; esac
out=$target/lumber-bench-async
results=$out/results.jsonl
checks=$out/checks.tsv
clk=$(getconf CLK_TCK)

if [ -z "${REPORT_ONLY:-}" ]; then
  rm -rf "$out"
  mkdir -p "$out"
fi

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

status=0
if [ -z "${REPORT_ONLY:-}" ]; then
  # Build first, so that compiling does not overlap the runs.
  benches=()
  for row in $ROWS; do benches+=(--bench "async_${row%%:*}"); done
  cargo bench -q -p lumber-bench "${benches[@]}" --no-run

  # One process: run_one ROW MODE RUN REP; retried while the machine was busy.
  run_one() {
    local row=$1 mode=$2 run=$3 rep=$4 crate=${1%%:*} variant= try a b start end rc others quiet json
    case $row in *:*) variant=${row#*:} ;; esac
    for try in $(seq 1 "$TRIES"); do
      wait_idle
      a=$(busy); start=$(date +%s.%N)
      rc=0
      LUMBER_BENCH_CHECKS=$checks /usr/bin/time -f "%U %S" -o "$times" \
        cargo bench -q -p lumber-bench --bench "async_$crate" -- "$mode" \
        ${variant:+--variant "$variant"} >"$stdout" || rc=$?
      b=$(busy); end=$(date +%s.%N)
      # Cores used on average by everything but this benchmark.
      others=$(awk -v a="$a" -v b="$b" -v clk="$clk" -v s="$start" -v e="$end" \
        '{o = (b - a) / clk - ($1 + $2); if (o < 0) o = 0; printf "%.2f", o / (e - s)}' "$times")
      quiet=$(awk -v o="$others" 'BEGIN{print (o <= 0.25) ? "true" : "false"}')
      echo "== run $run, $row, $mode $rep, try $try: exit $rc, the rest of the machine used $others cores" >&2
      if [ "$quiet" = true ] || [ "$try" = "$TRIES" ]; then
        json=$(grep '^{"bench"' "$stdout" | tail -1 || true)
        printf '{"run":%s,"row":"%s","mode":"%s","rep":%s,"try":%s,"rc":%s,"others":%s,"quiet":%s,"result":%s}\n' \
          "$run" "$row" "$mode" "$rep" "$try" "$rc" "$others" "$quiet" "${json:-null}" >>"$results"
        [ "$rc" = 0 ] || status=$rc
        return
      fi
    done
  }

  times=$(mktemp)
  stdout=$(mktemp)
  started=$(date +%s)
  echo "$command_line" >"$out/command"
  git rev-parse --short HEAD >"$out/commit" 2>/dev/null || echo unknown >"$out/commit"
  if [ -n "$(git status --porcelain -- crates/lumber crates/lumber-macros 2>/dev/null)" ]; then
    echo "(with uncommitted changes to crates/lumber)" >>"$out/commit"
  fi
  for run in $(seq 1 "$RUNS"); do
    for row in $ROWS; do
      for mode in $MODES; do
        reps=1
        if [ "$mode" = throughput ]; then reps=$THROUGHPUT_RUNS; fi
        for rep in $(seq 1 "$reps"); do
          run_one "$row" "$mode" "$run" "$rep"
        done
      done
    done
  done
  elapsed=$(($(date +%s) - started))
  rm -f "$times" "$stdout"
  echo "$elapsed" >"$out/elapsed"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
python3 - "$results" "$(nproc)" "$cpu" "$(rustc --version)" "$(uname -r)" \
  "$(tr '\n' ' ' <"$out/commit")" "$(cat "$out/command")" "$(cat "$out/elapsed")" <<'EOF'
import json, statistics, sys

results_file, nproc, cpu, rustc, kernel, commit, command, elapsed = sys.argv[1:9]
rows, order = {}, []
for line in open(results_file, encoding="utf-8"):
    entry = json.loads(line)
    if entry["row"] not in rows:
        rows[entry["row"]] = []
        order.append(entry["row"])
    rows[entry["row"]].append(entry)

NAMES = {"lumber": "**lumber**", "lumber:coarse": "**lumber (coarse clock)**",
         "spdlog": "spdlog-rs", "tracing": "tracing + tracing-appender",
         "slog": "slog + slog-async", "logforth": "logforth (async appender)",
         "flexi_logger": "flexi_logger (async)"}
PCTS = [("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p999", "p99.9"), ("max", "max")]

def results(row, mode):
    return [e for e in rows.get(row, []) if e["mode"] == mode and e["result"]]

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def ns(x):
    if x is None:
        return "n/a"
    return f"{x:.1f}" if x < 100 else f"{x:,.0f}"

def flags(row, mode):
    out = []
    for e in rows.get(row, []):
        if e["mode"] != mode:
            continue
        r = e["result"]
        if r is None:
            out.append(f"run {e['run']} failed (exit {e['rc']}, no result)")
            continue
        lines = r.get("lines", {})
        if lines.get("status") != "ok":
            out.append(f"⚠ {lines.get('status')}: {lines.get('found')} lines for "
                       f"{lines.get('expected')} calls")
        if "timeout" in r:
            out.append("⚠ backend did not catch up")
        if not e["quiet"]:
            out.append(f"disturbed ({e['others']} cores)")
    return out

def cell(row, shape, key):
    return med([r["result"][shape][key] for r in results(row, "latency")])

runs = max((e["run"] for es in rows.values() for e in es), default=0)
print(f"Machine: {nproc} cores (`nproc`), `{cpu}`, Linux {kernel}, {rustc}; "
      f"lumber at `{commit.strip()}`.")
thr_runs = max((e["rep"] for es in rows.values() for e in es if e["mode"] == "throughput"),
               default=0)
print(f"Command: `{command}` ({elapsed} s of runs). Each row: "
      "`cargo bench -p lumber-bench --bench async_<crate> -- latency` once and "
      f"`-- throughput` {thr_runs} time{'' if thr_runs == 1 else 's'} per run (`--variant coarse` for the coarse-clock "
      "row); throughput is the median of those processes (lowest–highest in parentheses).")
waits = sorted({r["result"]["wait_us"] for es in rows.values() for r in es
                if r["mode"] == "latency" and r["result"]})
if waits:
    print(f"ns per call: each of 100,000 bursts of 20 calls timed with the TSC "
          f"(burst / 20), spin-wait of {', '.join(f'{w:g}–{w * 1.1:g}' for w in waits)} µs "
          f"between bursts; {'median over ' + str(runs) + ' runs' if runs > 1 else 'one run'}.")

latency_rows = [row for row in order if results(row, "latency")]
for shape, title in [] if not latency_rows else [("ints", '`"Logging int: {}, int: {}, double: {}"` (i32, i32, f64)'),
                     ("str", '`"Logging str: {}"` (a 40-character `&str`)')]:
    print()
    print(f"Caller latency, {title}, ns per call:")
    print()
    print("| crate | " + " | ".join(t for _, t in PCTS) + " | backend lag after the shape |")
    print("|---|" + "---:|" * (len(PCTS) + 1))
    for row in order:
        if not results(row, "latency"):
            continue
        lag = med([r["result"][shape].get("drain_ms") for r in results(row, "latency")])
        cells = [ns(cell(row, shape, k)) for k, _ in PCTS]
        note = flags(row, "latency")
        print(f"| {NAMES.get(row, row)} | " + " | ".join(cells) +
              f" | {'n/a' if lag is None else f'{lag:.1f} ms'}"
              + (" " + "; ".join(note) if note else "") + " |")
    everything = [r for row in order for r in results(row, "latency")]
    if everything:
        empty = [ns(med([r["result"]["empty"][k] for r in everything])) for k, _ in PCTS]
        print("| *harness: empty burst (20 iterations, no call)* | " + " | ".join(empty) + " | |")

print()
print("| crate | disabled call, ns | throughput, million records/s | lines = calls (latency; throughput) |")
print("|---|---:|---:|---|")
for row in order:
    dis = med([r["result"].get("disabled_ns") for r in results(row, "latency")])
    thr = [r["result"].get("mrps") for r in results(row, "throughput")]
    thr_text = "n/a"
    if thr:
        thr_text = f"{med(thr):.2f}"
        if len(thr) > 1:
            thr_text += f" ({min(thr):.2f}–{max(thr):.2f})"
    checks = []
    for mode in ("latency", "throughput"):
        found = [r["result"]["lines"] for r in results(row, mode)]
        if found and all(l["status"] == "ok" for l in found):
            checks.append(f"{len(found)} × {found[0]['expected']:,} ok" if len(found) > 1
                          else f"{found[0]['expected']:,} ok")
        for l in found:
            if l["status"] != "ok":
                checks.append(f"⚠ {l['status']}: {l['found']:,} of {l['expected']:,}")
    note = flags(row, "throughput")
    print(f"| {NAMES.get(row, row)} | {'n/a' if dis is None else f'{dis:.2f}'} | {thr_text}"
          + (" " + "; ".join(note) if note else "") + f" | {'; '.join(checks)} |")

rdtsc = med([r["result"]["rdtsc_ns"] for es in rows.values() for r in es if r["result"]])
if rdtsc is not None:
    print()
    print(f"One TSC read (`_rdtsc`, median gap between two back-to-back reads): {rdtsc:.1f} ns.")

# The targets, for lumber's default row.
if results("lumber", "latency"):
    print()
    print("| target | result | met? |")
    print("|---|---|---|")
    def verdict(value, limit, lower_is_better=True):
        if value is None:
            return "n/a"
        ok = value <= limit if lower_is_better else value >= limit
        factor = value / limit if lower_is_better else limit / value
        return "yes" if ok else f"**no**, {factor:.1f}× the target"
    for shape in ("ints", "str"):
        p50, p999 = cell("lumber", shape, "p50"), cell("lumber", shape, "p999")
        print(f"| p50 ≤ 20 ns ({shape}) | {ns(p50)} ns | {verdict(p50, 20)} |")
        print(f"| p99.9 ≤ 150 ns ({shape}) | {ns(p999)} ns | {verdict(p999, 150)} |")
    for shape in ("ints", "str"):
        mine = cell("lumber", shape, "p50")
        peers = [(cell(r, shape, "p50"), r) for r in order
                 if not r.startswith("lumber") and results(r, "latency")]
        peers = [p for p in peers if p[0] is not None]
        if mine and peers:
            best, who = min(peers)
            ratio = best / mine
            print(f"| p50 ≥ 10× lower than the fastest peer ({shape}) | {ratio:.1f}× "
                  f"({ns(mine)} ns against {NAMES.get(who, who)}'s {ns(best)} ns) | "
                  f"{'yes' if ratio >= 10 else '**no**'} |")
    thr = med([r["result"].get("mrps") for r in results("lumber", "throughput")])
    print(f"| backend throughput ≥ 4 M records/s | "
          f"{'n/a' if thr is None else f'{thr:.2f}'} M/s | {verdict(thr, 4, False)} |")
    lost = [r for mode in ("latency", "throughput") for r in results("lumber", mode)
            if r["result"]["lines"]["status"] != "ok"]
    print(f"| zero records lost | {'none lost' if not lost else 'records lost'} | "
          f"{'yes' if not lost else '**no**'} |")
EOF

exit "$status"
