#!/usr/bin/env bash
# Runs every test of the workspace: the README's test command.
# Starts the real peers the tests talk to (none are needed yet) and stops
# them on exit, whatever happens. Ends with one line counting every test
# that ran across all the test binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 scripts/golden.py --check

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace "$@" 2>&1 | tee "$log" || status=$?
read -r passed failed < <(awk '/^test result:/ {
    for (i = 1; i <= NF; i++) {
        if ($i ~ /^passed;?$/) p += $(i - 1)
        if ($i ~ /^failed;?$/) f += $(i - 1)
    }
} END { print p + 0, f + 0 }' "$log")
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
