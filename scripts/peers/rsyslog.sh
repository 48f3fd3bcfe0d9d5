#!/usr/bin/env bash
# Starts or stops a private rsyslogd for lumber's SysLogHandler tests.
#
#   scripts/peers/rsyslog.sh start DIR   # prints `export ...` lines: eval "$(... start DIR)"
#   scripts/peers/rsyslog.sh stop DIR
#   scripts/peers/rsyslog.sh restart DIR
#
# `start` installs rsyslog and rsyslog-gnutls with apt-get when they are
# missing, writes DIR/rsyslog.conf, makes a self-signed CA and a server
# certificate for 127.0.0.1/localhost in DIR/tls (openssl), checks the
# config (rsyslogd -N1), starts rsyslogd in the background and waits until
# every listener is up. Starting an already running instance only prints
# the exports; a stopped one is started again with the same config,
# certificates and output files (the reconnection tests restart it).
#
# Listeners (loopback only):
#   UDP 127.0.0.1:15514                  imudp
#   TCP 127.0.0.1:15514                  imtcp (octet-counting and LF framing)
#   TLS 127.0.0.1:15515                  imtcp + gtls, anonymous clients (RFC 5425)
#   TLS 127.0.0.1:15516                  imtcp + gtls, client certificate required
#   DIR/log.sock                         imuxsock as /dev/log is set up (special parser)
#   DIR/log-rfc5424.sock                 imuxsock with the regular parsers (RFC 5424)
#   DIR/stream.sock                      imptcp: a Unix *stream* socket
# Every message lands in DIR/messages.json (%jsonmesg%, one JSON object a
# line) and DIR/raw.log (%rawmsg%). Control characters are not escaped on
# receive, so multi-line messages keep their newlines in messages.json.
# Everything but the export lines goes to stderr.
set -euo pipefail

UDP_PORT=15514
TCP_PORT=15514
TLS_PORT=15515
TLS_MUTUAL_PORT=15516

say() { echo "rsyslog.sh: $*" >&2; }
die() { say "$*"; exit 1; }

usage() { die "usage: $0 start|stop|restart DIR"; }
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
D=$(cd "$2" && pwd)
PIDFILE=$D/rsyslogd.pid

running() {
  [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

install() {
  local missing=()
  command -v rsyslogd >/dev/null 2>&1 || missing+=(rsyslog)
  [ -e /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so ] \
    || compgen -G '/usr/lib/*/rsyslog/lmnsd_gtls.so' >/dev/null \
    || missing+=(rsyslog-gnutls)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "needs ${missing[*]} (apt-get install ${missing[*]}, as root)"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >"$D/apt.log" 2>&1 \
    || { apt-get update -q >>"$D/apt.log" 2>&1 && \
         apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$D/apt.log" 2>&1; } \
    || die "apt-get install ${missing[*]} failed; see $D/apt.log"
  # Debian's package may start the system instance when an init system
  # runs; it is not ours to keep (it would own /dev/log), but we leave it.
}

certificates() {
  local T=$D/tls
  [ -s "$T/server.pem" ] && [ -s "$T/client.pem" ] && return 0
  mkdir -p "$T"
  (
    cd "$T"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=lumber test CA" \
      -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign
    for who in server client; do
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$who.key" -out "$who.csr"
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' >"$who.ext"
      openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
        -extfile "$who.ext" -out "$who.pem"
    done
    chmod 600 ./*.key
  ) >"$D/openssl.log" 2>&1 || die "openssl failed; see $D/openssl.log"
}

config() {
  mkdir -p "$D/work"
  cat >"$D/rsyslog.conf" <<CONF
# Written by scripts/peers/rsyslog.sh for lumber's tests.
global(
  workDirectory="$D/work"
  maxMessageSize="64k"
  parser.escapeControlCharactersOnReceive="off"
  defaultNetstreamDriverCAFile="$D/tls/ca.pem"
  defaultNetstreamDriverCertFile="$D/tls/server.pem"
  defaultNetstreamDriverKeyFile="$D/tls/server.key"
)
module(load="imudp")
module(load="imtcp" maxSessions="1000")
module(load="imptcp")
module(load="imuxsock" SysSock.Use="off")

input(type="imudp" address="127.0.0.1" port="$UDP_PORT" rateLimit.interval="0")
input(type="imtcp" address="127.0.0.1" port="$TCP_PORT")
input(type="imtcp" address="127.0.0.1" port="$TLS_PORT"
      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imtcp" address="127.0.0.1" port="$TLS_MUTUAL_PORT"
      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/certvalid")
input(type="imptcp" path="$D/stream.sock" unlink="on")
input(type="imuxsock" socket="$D/log.sock" createPath="on" rateLimit.interval="0")
input(type="imuxsock" socket="$D/log-rfc5424.sock" createPath="on" rateLimit.interval="0"
      useSpecialParser="off" parseHostname="on")

template(name="json" type="string" string="%jsonmesg%\n")
template(name="raw" type="string" string="%rawmsg%\n")
action(type="omfile" file="$D/messages.json" template="json")
action(type="omfile" file="$D/raw.log" template="raw")
CONF
}

# Whether process $1 listens on every port and socket.
listening() {
  local pid=$1 tcp udp port
  tcp=$(ss -Hltnp 2>/dev/null | grep "pid=$pid,") || return 1
  udp=$(ss -Hlunp 2>/dev/null | grep "pid=$pid,") || return 1
  for port in $TCP_PORT $TLS_PORT $TLS_MUTUAL_PORT; do
    grep -q "127.0.0.1:$port " <<<"$tcp" || return 1
  done
  grep -q "127.0.0.1:$UDP_PORT " <<<"$udp" &&
    [ -S "$D/log.sock" ] && [ -S "$D/log-rfc5424.sock" ] && [ -S "$D/stream.sock" ]
}

# Fails if another process holds one of our ports.
ports_free() {
  local port busy
  for port in $TCP_PORT $TLS_PORT $TLS_MUTUAL_PORT; do
    busy=$(ss -Hltnp "sport = :$port" 2>/dev/null)
    [ -z "$busy" ] || die "TCP port $port is taken: $busy"
  done
  busy=$(ss -Hlunp "sport = :$UDP_PORT" 2>/dev/null)
  [ -z "$busy" ] || die "UDP port $UDP_PORT is taken: $busy"
}

exports() {
  cat <<ENV
export LUMBER_RSYSLOG_DIR='$D'
export LUMBER_RSYSLOG_UDP='127.0.0.1:$UDP_PORT'
export LUMBER_RSYSLOG_TCP='127.0.0.1:$TCP_PORT'
export LUMBER_RSYSLOG_TLS='127.0.0.1:$TLS_PORT'
export LUMBER_RSYSLOG_TLS_MUTUAL='127.0.0.1:$TLS_MUTUAL_PORT'
export LUMBER_RSYSLOG_UNIX='$D/log.sock'
export LUMBER_RSYSLOG_UNIX_RFC5424='$D/log-rfc5424.sock'
export LUMBER_RSYSLOG_UNIX_STREAM='$D/stream.sock'
ENV
}

start() {
  if running; then
    listening "$(cat "$PIDFILE")" || die "rsyslogd $(cat "$PIDFILE") runs but is not listening"
    exports
    return 0
  fi
  install
  ports_free
  certificates
  config
  rsyslogd -N1 -f "$D/rsyslog.conf" >"$D/check.log" 2>&1 \
    || { cat "$D/check.log" >&2; die "rsyslogd -N1 rejected $D/rsyslog.conf"; }
  rm -f "$PIDFILE"
  # -n: stay in the foreground of our background job, so that the pid file
  # is ours; setsid and the redirections detach it from the caller, whose
  # $(...) would otherwise wait for it.
  setsid rsyslogd -n -f "$D/rsyslog.conf" -i "$PIDFILE" </dev/null >>"$D/rsyslogd.log" 2>&1 &
  local i pid=$!
  for ((i = 0; i < 200; i++)); do
    if running && listening "$pid"; then
      say "rsyslogd $(cat "$PIDFILE") is up in $D"
      exports
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$D/rsyslogd.log" >&2 || true
  stop || true
  die "rsyslogd did not come up; see $D/rsyslogd.log"
}

stop() {
  if ! running; then
    rm -f "$PIDFILE"
    return 0
  fi
  local pid i
  pid=$(cat "$PIDFILE")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; say "rsyslogd $pid stopped"; return 0; }
    sleep 0.05
  done
  say "rsyslogd $pid ignored SIGTERM for 10 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; return 0; }
    sleep 0.05
  done
  die "rsyslogd $pid would not die"
}

case $cmd in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) usage ;;
esac
