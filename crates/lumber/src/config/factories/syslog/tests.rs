//! Tests of the syslog handler's factory: records sent over UDP, TCP, Unix sockets and TLS, and every problem reported.

use std::io::Read;
use std::net::{TcpListener, UdpSocket};
use std::os::unix::net::{UnixDatagram, UnixListener};
use std::path::PathBuf;
use std::time::Duration;

use crate::config::Config;
use crate::level::Level;

/// A configuration with one handler, `s`, whose options are
/// `handler` (JSON), attached to `logger` alone.
fn config(logger: &str, handler: &str) -> Config {
    super::super::testing::one_handler("s", logger, handler)
}

/// Applies, without the guard's shutdown (other tests run meanwhile).
fn apply(c: &Config) {
    c.apply().unwrap();
}

/// Every problem of checking `handler`, as `key: message`, in the
/// order of the text; but that TLS is not built in (see
/// `tls_needs_its_feature`).
fn problems(handler: &str) -> Vec<String> {
    super::super::testing::problems(&config("fact.syslog.unused", handler))
        .into_iter()
        .filter(|p| !p.ends_with("TLS is not built in (lumber's 'syslog-tls' feature)"))
        .collect()
}

fn socket_path(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!(
        "lumber-fact-syslog-{name}-{}.sock",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&p);
    p
}

fn recv_udp(daemon: &UdpSocket) -> String {
    let mut buf = [0; 2048];
    let n = daemon.recv(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn udp_with_python_address_facility_and_socktype() {
    let daemon = UdpSocket::bind("127.0.0.1:0").unwrap();
    daemon
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let port = daemon.local_addr().unwrap().port();
    apply(&config(
        "fact.syslog.udp",
        &format!(
            r#"{{"class": "logging.handlers.SysLogHandler", "address": ["127.0.0.1", {port}],
                    "facility": "local0", "socktype": "ext://socket.SOCK_DGRAM", "format": "rfc3164",
                    "hostname": "h", "app_name": "app", "procid": "7"}}"#
        ),
    ));
    crate::get_logger("fact.syslog.udp").error("disk full");
    let got = recv_udp(&daemon);
    assert!(got.starts_with("<131>"), "{got}"); // local0 (16) * 8 + err (3)
    assert!(got.ends_with(" h app[7]: disk full"), "{got}");
}

#[test]
fn python_format_with_ident_and_python_severities() {
    let daemon = UdpSocket::bind("127.0.0.1:0").unwrap();
    daemon
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let addr = daemon.local_addr().unwrap();
    // SysLogHandler(address, facility): the address as lumber's host:port.
    apply(&config(
        "fact.syslog.python",
        &format!(
            r#"{{"class": "SysLogHandler", "args": ["{addr}", 1], "format": "python",
                    "ident": "myapp: ", "append_nul": false, "severity_map": "python"}}"#
        ),
    ));
    let log = crate::get_logger("fact.syslog.python");
    log.log(Level::new(25), "odd level");
    // Python's mapPriority: an unknown level name is a warning.
    assert_eq!(recv_udp(&daemon), "<12>myapp: odd level");
}

#[test]
fn unix_datagram_socket_path() {
    let path = socket_path("dgram");
    let daemon = UnixDatagram::bind(&path).unwrap();
    daemon
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    apply(&config(
        "fact.syslog.unix",
        &format!(
            r#"{{"class": "SysLogHandler", "address": {:?}, "facility": "handlers.SysLogHandler.LOG_DAEMON",
                    "app_name": "cron", "procid": ""}}"#,
            path.display().to_string()
        ),
    ));
    crate::get_logger("fact.syslog.unix").error("late");
    let mut buf = [0; 2048];
    let n = daemon.recv(&mut buf).unwrap();
    let got = String::from_utf8_lossy(&buf[..n]);
    assert!(got.starts_with("<27>"), "{got}"); // daemon (3) * 8 + err (3)
    assert!(got.ends_with(" cron: late"), "{got}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn unix_stream_with_non_transparent_framing() {
    let path = socket_path("stream");
    let daemon = UnixListener::bind(&path).unwrap();
    apply(&config(
        "fact.syslog.stream",
        &format!(
            r#"{{"class": "SysLogHandler", "address": {:?}, "socktype": "SOCK_STREAM",
                    "framing": "non_transparent", "app_name": "svc", "procid": "1"}}"#,
            path.display().to_string()
        ),
    ));
    crate::get_logger("fact.syslog.stream").warning("a\nb");
    let (mut conn, _) = daemon.accept().unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 512];
    while !got.ends_with(b"\n") {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("<12>"), "{got}");
    assert!(got.ends_with(" svc[1]: a#012b\n"), "{got}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn tcp_rfc5424_with_header_options() {
    let daemon = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = daemon.local_addr().unwrap();
    apply(&config(
        "fact.syslog.tcp",
        &format!(
            r#"{{"class": "SysLogHandler", "address": "{addr}", "socktype": "tcp", "timeout": 1,
                    "hostname": "web1", "app_name": "shop", "procid": "9", "msgid": "AUDIT",
                    "structured_data_id": "shop@32473", "bom": false, "max_message_size": "64KiB",
                    "buffer": 10, "resend_window": 5, "reconnect_backoff": "50ms", "reconnect_backoff_max": "1s"}}"#
        ),
    ));
    crate::get_logger("fact.syslog.tcp").info("saved");
    let (mut conn, _) = daemon.accept().unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 512];
    loop {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got);
        if let Some((len, msg)) = text.split_once(' ')
            && len.parse::<usize>().is_ok_and(|l| l <= msg.len())
        {
            assert_eq!(len.parse::<usize>().unwrap(), msg.len(), "{text}");
            assert!(msg.starts_with("<14>1 "), "{msg}");
            assert!(msg.ends_with(" web1 shop 9 AUDIT - saved"), "{msg}");
            break;
        }
    }
}

#[test]
fn check_reports_every_bad_option() {
    assert_eq!(
        problems(
            r#"{"class": "SysLogHandler", "address": 42, "facility": "nope", "socktype": "raw",
                    "format": "json", "structured_data_id": "no at", "buffer": -1, "ca_file": "ca.pem"}"#
        ),
        [
            "handlers.s.address: expected [host, port], 'host:port' or a Unix socket path like /dev/log, got 42",
            "handlers.s.facility: expected a facility name like user, daemon or local0, or its number (0-23), got 'nope'",
            "handlers.s.socktype: expected ext://socket.SOCK_DGRAM or ext://socket.SOCK_STREAM, got 'raw'",
            "handlers.s.format: expected one of rfc5424, rfc3164, python, got 'json'",
            "handlers.s.structured_data_id: expected name@number (at most 32 printable ASCII characters without '=', ' ', ']' or '\"'), got 'no at'",
            "handlers.s.buffer: expected a number >= 0, got -1",
            "handlers.s.ca_file: only used with tls: true",
        ]
    );
    assert_eq!(
        problems(r#"{"class": "SysLogHandler", "address": ["localhost", 70000], "facility": 24}"#),
        [
            "handlers.s.address: expected [host, port], 'host:port' or a Unix socket path like /dev/log, got [\"localhost\", 70000]",
            "handlers.s.facility: expected a facility name like user, daemon or local0, or its number (0-23), got 24",
        ]
    );
    assert_eq!(
        problems(
            r#"{"class": "SysLogHandler", "framing": "octet_counting", "max_message_size": 70000,
                    "structured_data": false, "structured_data_id": "a@1",
                    "reconnect_backoff": "2s", "reconnect_backoff_max": "1s"}"#
        ),
        [
            "handlers.s.framing: only used on TCP, TLS and Unix stream sockets",
            "handlers.s.max_message_size: expected 64 to 65507 bytes on UDP, got 70000",
            "handlers.s.structured_data_id: cannot be used with structured_data: false",
            "handlers.s.reconnect_backoff_max: must not be below reconnect_backoff",
        ]
    );
    assert_eq!(
        problems(
            r#"{"class": "SysLogHandler", "address": "/dev/log", "tls": true, "cert_file": "c.pem"}"#
        ),
        [
            "handlers.s.key_file: required with cert_file (the client certificate's private key)",
            "handlers.s.tls: needs a network address ([host, port]), not a Unix socket",
        ]
    );
    assert_eq!(
        problems(
            r#"{"class": "SysLogHandler", "address": ["::1", 6514], "tls": true, "socktype": "udp"}"#
        ),
        [
            "handlers.s.tls: needs a stream socket: leave socktype out or set ext://socket.SOCK_STREAM"
        ]
    );
    // Valid: checked without connecting or reading a certificate.
    assert!(problems(r#"{"class": "SysLogHandler"}"#).is_empty());
    assert!(
        problems(
            r#"{"class": "SysLogHandler", "address": "/dev/log", "socktype": 2, "facility": 16}"#
        )
        .is_empty()
    );
}

#[cfg(not(feature = "syslog-tls"))]
#[test]
fn tls_needs_its_feature() {
    let e = config(
        "fact.syslog.no_tls",
        r#"{"class": "SysLogHandler", "tls": true}"#,
    )
    .check()
    .unwrap_err();
    let p: Vec<String> = e.problems().map(|(k, m)| format!("{k}: {m}")).collect();
    assert_eq!(
        p,
        ["handlers.s.tls: TLS is not built in (lumber's 'syslog-tls' feature)"]
    );
}

#[cfg(feature = "syslog-tls")]
#[test]
fn tls_certificates_are_read_when_applied() {
    let ca = std::env::temp_dir().join(format!(
        "lumber-fact-syslog-missing-ca-{}.pem",
        std::process::id()
    ));
    let c = config(
        "fact.syslog.tls",
        &format!(
            r#"{{"class": "SysLogHandler", "address": ["127.0.0.1", 6514], "tls": true, "ca_file": {:?},
                    "server_name": "logs.example.com"}}"#,
            ca.display().to_string()
        ),
    );
    assert!(c.check().is_ok());
    let e = c.apply().unwrap_err();
    let (key, message) = e.problems().next().unwrap();
    assert_eq!(key, "handlers.s.ca_file");
    assert!(
        message.starts_with(&format!("cannot read {}: ", ca.display())),
        "{message}"
    );
}

#[test]
fn addresses() {
    use super::{Address, parse_address};
    use crate::config::Node;
    let s = |s: &str| parse_address(&Node::from(s));
    assert_eq!(s("/dev/log"), Some(Address::Unix("/dev/log".into())));
    assert_eq!(s("log.sock"), Some(Address::Unix("log.sock".into())));
    assert_eq!(
        s("logs.example.com:514"),
        Some(Address::Net("logs.example.com:514".into()))
    );
    assert_eq!(s("[::1]:514"), Some(Address::Net("[::1]:514".into())));
    assert_eq!(s(""), None);
    let list = Node::list(vec![Node::from("::1"), Node::from(514i64)]);
    assert_eq!(parse_address(&list), Some(Address::Net("[::1]:514".into())));
    let list = Node::list(vec![Node::from("h"), Node::from("514")]);
    assert_eq!(parse_address(&list), Some(Address::Net("h:514".into())));
}
