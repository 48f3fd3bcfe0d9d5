#!/usr/bin/env bash
# Starts and stops a systemd-journald namespace instance ("lumbertest") for
# the JournaldHandler tests. Root only; works without systemd as PID 1.
#
#   eval "$(scripts/peers/journald.sh start)"   # prints the exports below
#   scripts/peers/journald.sh stop
#
# `start` installs systemd with apt-get if systemd-journald is missing,
# writes /etc/systemd/journald@lumbertest.conf (volatile storage, no rate
# limit, no exit when idle), starts the instance in the background, waits for its socket, and
# prints on stdout:
#   export LUMBER_JOURNALD_SOCKET=/run/systemd/journal.lumbertest/socket
#   export LUMBER_JOURNALD_NAMESPACE=lumbertest
# Everything else goes to stderr. Not root: says so on stderr and exits 0
# without exporting anything (the tests then skip, loudly). Starting an
# instance that is already up just prints the exports again.
set -euo pipefail

NAMESPACE=lumbertest
JOURNALD=/lib/systemd/systemd-journald
CONF=/etc/systemd/journald@$NAMESPACE.conf
SOCKET=/run/systemd/journal.$NAMESPACE/socket
STATE=/run/lumber-peers
PIDFILE=$STATE/journald-$NAMESPACE.pid
LOG=$STATE/journald-$NAMESPACE.log

say() { echo "journald.sh: $*" >&2; }

running_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

print_exports() {
  echo "export LUMBER_JOURNALD_SOCKET=$SOCKET"
  echo "export LUMBER_JOURNALD_NAMESPACE=$NAMESPACE"
}

start() {
  if [ "$(id -u)" != 0 ]; then
    say "not root: not starting journald; the journald tests will be skipped"
    exit 0
  fi
  if [ ! -x "$JOURNALD" ] || ! command -v journalctl >/dev/null 2>&1; then
    say "installing systemd (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends systemd >&2
  fi
  if [ ! -s /etc/machine-id ]; then
    # journald names its directory after the machine id.
    systemd-machine-id-setup >&2
  fi
  mkdir -p "$STATE"
  if running_pid >/dev/null && [ -S "$SOCKET" ]; then
    say "already running (pid $(running_pid))"
    print_exports
    return
  fi
  # A namespace instance exits after 30 s without clients (it expects
  # socket activation) unless a retention limit longer than that keeps it
  # running: MaxRetentionSec does, and prunes nothing a test run needs.
  printf '[Journal]\nStorage=volatile\nRateLimitBurst=0\nMaxRetentionSec=1week\n' >"$CONF"
  # A socket left by an instance that died would look ready at once.
  rm -f "$SOCKET"
  setsid "$JOURNALD" "$NAMESPACE" </dev/null >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  local pid=$!
  # Bounded wait for the socket: up to 10 s, polling every 50 ms.
  local i
  for ((i = 0; i < 200; i++)); do
    if [ -S "$SOCKET" ]; then
      say "started (pid $pid, socket $SOCKET)"
      print_exports
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  say "journald did not come up; its output:"
  cat "$LOG" >&2 || true
  stop
  exit 1
}

stop() {
  local pid i
  if pid=$(running_pid); then
    kill "$pid" 2>/dev/null || true
    # Bounded wait for it to exit: up to 10 s, then SIGKILL.
    for ((i = 0; i < 200; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "journald (pid $pid) ignored SIGTERM; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
    say "stopped (pid $pid)"
  fi
  rm -f "$PIDFILE"
  # Left behind by journald; without it, clients fail at once (ENOENT).
  rm -f "$SOCKET"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
