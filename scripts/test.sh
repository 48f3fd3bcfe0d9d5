#!/usr/bin/env bash
# Runs every test of the workspace: the README's test command.
# Starts the real peers the tests talk to (none are needed yet) and stops
# them on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 scripts/golden.py --check
cargo test --workspace "$@"
