#!/usr/bin/env bash
# Runs every test of the workspace: the README's test command.
# Starts the real peers the tests talk to (scripts/peers/: rsyslog, a
# journald namespace instance; installed with apt-get when missing) and
# stops them on exit, whatever happens. As root, a peer that does not come
# up fails its tests (LUMBER_REQUIRE_PEERS=1) instead of skipping them.
# Ends with one line counting every test that ran across all the test
# binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

# CPython is the oracle of the format and configuration tests: its logging
# package, and its own test suite (test.test_logging), whose configuration
# files tests/cpython_config.rs loads. Debian ships the suite separately.
if ! python3 -c 'import logging.config, test.test_logging' >/dev/null 2>&1 \
  && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  install() { apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null; }; }
  command -v python3 >/dev/null 2>&1 || install python3
  ver=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  # (A python3 that is not Debian's has no such package; the tests then
  # say what is missing.)
  install "libpython$ver-testsuite" || true
fi

python3 scripts/golden.py --check

log=$(mktemp)
peers=$(mktemp -d)
cleanup() {
  [ -x scripts/peers/rsyslog.sh ] && scripts/peers/rsyslog.sh stop "$peers/rsyslog" >/dev/null 2>&1 || true
  [ -x scripts/peers/journald.sh ] && scripts/peers/journald.sh stop >/dev/null 2>&1 || true
  rm -rf "$log" "$peers"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then
  export LUMBER_REQUIRE_PEERS=${LUMBER_REQUIRE_PEERS:-1}
fi
if [ -x scripts/peers/rsyslog.sh ]; then
  eval "$(scripts/peers/rsyslog.sh start "$peers/rsyslog")"
fi
if [ -x scripts/peers/journald.sh ]; then
  eval "$(scripts/peers/journald.sh start)"
fi
status=0
cargo test --workspace --features lumber/full "$@" 2>&1 | tee "$log" || status=$?
read -r passed failed < <(awk '/^test result:/ {
    for (i = 1; i <= NF; i++) {
        if ($i ~ /^passed;?$/) p += $(i - 1)
        if ($i ~ /^failed;?$/) f += $(i - 1)
    }
} END { print p + 0, f + 0 }' "$log")
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
