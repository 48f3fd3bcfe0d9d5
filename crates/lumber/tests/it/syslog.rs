//! `SysLogHandler` against a real rsyslog (`scripts/peers/rsyslog.sh
//! start DIR`), asserting on what rsyslog parsed: every message lands in
//! `$LUMBER_RSYSLOG_DIR/messages.json` as rsyslog's `%jsonmesg%`. Without
//! one these tests say SKIPPED on stderr and pass, unless
//! `LUMBER_REQUIRE_PEERS=1`, where they fail.
//!
//! Each test tags its messages with its own app-name and reads back only
//! those. The reconnection test restarts rsyslog, so it takes the daemon
//! lock exclusively; every other test here shares it.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

#[cfg(feature = "syslog-tls")]
use lumber::SysLogTls;
use lumber::{
    ErrorPolicy, Handler, Level, Logger, SysLogBuilder, SysLogFacility, SysLogFormat,
    SysLogFraming, SysLogHandler, SysLogSeverity, fields, push_context,
};
use serde_json::{Map, Value as Json};

/// The rsyslog the tests talk to (the exports of `rsyslog.sh start`).
#[cfg_attr(not(feature = "syslog-tls"), allow(dead_code))]
struct Peer {
    dir: PathBuf,
    udp: String,
    tcp: String,
    tls: String,
    tls_mutual: String,
    unix: PathBuf,
    unix_rfc5424: PathBuf,
    unix_stream: PathBuf,
}

static DAEMON: RwLock<()> = RwLock::new(());

/// The rsyslog to talk to, or `None` after saying SKIPPED on the real
/// stderr (not the captured one: a skip must show even when the test
/// passes).
fn peer(test: &str) -> Option<Peer> {
    let Some(dir) = std::env::var_os("LUMBER_RSYSLOG_DIR").map(PathBuf::from) else {
        if std::env::var("LUMBER_REQUIRE_PEERS").as_deref() == Ok("1") {
            panic!(
                "LUMBER_REQUIRE_PEERS=1 but LUMBER_RSYSLOG_DIR is not set \
                 (eval \"$(scripts/peers/rsyslog.sh start DIR)\")"
            );
        }
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: syslog::{test}: rsyslog not running (scripts/peers/rsyslog.sh start DIR)"
        );
        return None;
    };
    let var =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    Some(Peer {
        udp: var("LUMBER_RSYSLOG_UDP", "127.0.0.1:15514"),
        tcp: var("LUMBER_RSYSLOG_TCP", "127.0.0.1:15514"),
        tls: var("LUMBER_RSYSLOG_TLS", "127.0.0.1:15515"),
        tls_mutual: var("LUMBER_RSYSLOG_TLS_MUTUAL", "127.0.0.1:15516"),
        unix: std::env::var_os("LUMBER_RSYSLOG_UNIX")
            .map_or_else(|| dir.join("log.sock"), PathBuf::from),
        unix_rfc5424: std::env::var_os("LUMBER_RSYSLOG_UNIX_RFC5424")
            .map_or_else(|| dir.join("log-rfc5424.sock"), PathBuf::from),
        unix_stream: std::env::var_os("LUMBER_RSYSLOG_UNIX_STREAM")
            .map_or_else(|| dir.join("stream.sock"), PathBuf::from),
        dir,
    })
}

fn shared() -> RwLockReadGuard<'static, ()> {
    DAEMON.read().unwrap_or_else(|e| e.into_inner())
}

fn exclusive() -> RwLockWriteGuard<'static, ()> {
    DAEMON.write().unwrap_or_else(|e| e.into_inner())
}

/// An app-name no other test (or earlier run against the same rsyslog)
/// uses; short enough for RFC 3164 tags.
fn unique(test: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "lt{test}{}x{}x{}",
        std::process::id() % 100_000,
        nanos % 1_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The host name rsyslog gives messages from this machine.
fn local_hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_owned()
}

impl Peer {
    /// The messages with this app-name, once there are `n` of them (rsyslog
    /// writes asynchronously: poll, up to a deadline).
    fn messages(&self, app: &str, n: usize) -> Vec<Map<String, Json>> {
        self.messages_with("app-name", app, n)
    }

    /// The messages whose `key` is `value`, once there are `n` of them.
    fn messages_with(&self, key: &str, value: &str, n: usize) -> Vec<Map<String, Json>> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found = self.read(key, value);
            if found.len() >= n || Instant::now() > deadline {
                assert_eq!(
                    found.len(),
                    n,
                    "messages with {key} {value} in {}: {found:#?}",
                    self.dir.join("messages.json").display()
                );
                return found;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn read(&self, key: &str, value: &str) -> Vec<Map<String, Json>> {
        // Lossy: rsyslog 8.2302's imptcp writes garbage bytes for the
        // fromhost-ip of a Unix socket.
        let text = std::fs::read(self.dir.join("messages.json")).unwrap_or_default();
        String::from_utf8_lossy(&text)
            .lines()
            .filter(|l| l.contains(value))
            .filter_map(|l| serde_json::from_str::<Map<String, Json>>(l).ok())
            .filter(|m| m.get(key).and_then(Json::as_str) == Some(value))
            .collect()
    }

    fn script(&self, action: &str) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/peers/rsyslog.sh");
        let out = Command::new(script)
            .arg(action)
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "rsyslog.sh {action}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[cfg_attr(not(feature = "syslog-tls"), allow(dead_code))]
    fn ca(&self) -> PathBuf {
        self.dir.join("tls/ca.pem")
    }
}

/// A non-propagating logger at TRACE whose only handler is `h`; failures
/// of the handler are collected, not printed.
fn logger(name: &str, h: SysLogHandler) -> (Logger, Arc<Handler>, Arc<Mutex<Vec<String>>>) {
    let log = lumber::get_logger(name);
    log.set_propagate(false);
    log.set_level(Level::TRACE);
    let errors = Arc::new(Mutex::new(Vec::new()));
    let e = errors.clone();
    let handler = log.add_handler(Handler::new(h).with_error_policy(ErrorPolicy::hook(
        move |err| e.lock().unwrap().push(err.to_string()),
    )));
    (log, handler, errors)
}

fn field<'a>(m: &'a Map<String, Json>, key: &str) -> &'a str {
    m.get(key)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("no {key} in {m:#?}"))
}

#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(not(feature = "syslog-tls"), allow(dead_code))]
enum Via {
    Udp,
    Tcp,
    Tls,
    TlsMutual,
    /// imuxsock set up as /dev/log is (its special parser).
    Unix,
    /// imuxsock with the regular parsers.
    UnixRfc5424,
    /// imptcp on a Unix stream socket.
    UnixStream,
    /// The same socket, its kind found out as Python does (datagram
    /// refused, then stream).
    UnixAuto,
}

struct Case {
    via: Via,
    format: SysLogFormat,
    framing: SysLogFraming,
    facility: SysLogFacility,
}

/// The records each case logs: level, message.
const RECORDS: [(Level, &str); 7] = [
    (Level::INFO, "plain ascii"),
    (
        Level::WARNING,
        "unicode: grüße, 日本語, emoji 🎉, quote \" and backslash \\",
    ),
    (Level::ERROR, "first line\nsecond line ü\n\tthird, tabbed"),
    (Level::CRITICAL, "critical ]]] [brackets]"),
    (Level::DEBUG, "debug detail"),
    (Level::new(25), "a custom level between INFO and WARNING"),
    (Level::TRACE, "trace"),
];

const HOST: &str = "lumber-test.example";

fn builder(peer: &Peer, case: &Case) -> SysLogBuilder {
    let b = match case.via {
        Via::Udp => SysLogHandler::udp(&peer.udp),
        Via::Tcp => SysLogHandler::tcp(&peer.tcp),
        #[cfg(feature = "syslog-tls")]
        Via::Tls => SysLogHandler::tls(&peer.tls, SysLogTls::from_ca_file(peer.ca()).unwrap()),
        #[cfg(feature = "syslog-tls")]
        Via::TlsMutual => SysLogHandler::tls(
            &peer.tls_mutual,
            SysLogTls::from_ca_file(peer.ca())
                .unwrap()
                .with_client_cert(
                    peer.dir.join("tls/client.pem"),
                    peer.dir.join("tls/client.key"),
                )
                .unwrap(),
        ),
        #[cfg(not(feature = "syslog-tls"))]
        Via::Tls | Via::TlsMutual => panic!("TLS needs the syslog-tls feature"),
        Via::Unix => SysLogHandler::unix(&peer.unix),
        Via::UnixRfc5424 => SysLogHandler::unix_datagram(&peer.unix_rfc5424),
        Via::UnixStream => SysLogHandler::unix_stream(&peer.unix_stream),
        Via::UnixAuto => SysLogHandler::unix(&peer.unix_stream),
    };
    b.format(case.format)
        .framing(case.framing)
        .facility(case.facility)
}

/// Logs [`RECORDS`] through `case` and checks every field rsyslog parsed.
fn check(test: &str, case: Case) {
    let Some(peer) = peer(test) else { return };
    let _daemon = shared();
    let app = unique(test);
    let python = case.format == SysLogFormat::Python;
    let mut b = builder(&peer, &case).msgid("MSG-1").procid("4242");
    b = match case.format {
        SysLogFormat::Python => b
            .ident(&format!("{app}: "))
            .severity_map(SysLogSeverity::python),
        _ => b.app_name(&app),
    };
    // On the /dev/log-like socket, RFC 3164 goes without a host (the
    // default there); everywhere else the host is ours.
    if case.via != Via::Unix {
        b = b.hostname(HOST);
    }
    let (log, handler, errors) = logger(&format!("syslog.{app}"), b.build().unwrap());
    {
        let _ctx = push_context(fields!(request = 7, user = "from the context"));
        for (i, (level, text)) in RECORDS.iter().enumerate() {
            lumber::log!(logger: log, *level, user = "ann", quote = "a\"b\\c]d", text = "grüße", n = 42;
                "{i}: {text}");
        }
    }
    handler.flush();
    let got = peer.messages(&app, RECORDS.len());
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );

    let lf = case.framing == SysLogFraming::NonTransparent
        && matches!(
            case.via,
            Via::Tcp | Via::Tls | Via::TlsMutual | Via::UnixStream | Via::UnixAuto
        );
    for (i, (level, text)) in RECORDS.iter().enumerate() {
        let mut body = format!("{i}: {text}");
        if lf {
            body = body.replace('\n', "#012");
        }
        let m = got
            .iter()
            .find(|m| field(m, "msg").trim_start().starts_with(&format!("{i}: ")))
            .unwrap_or_else(|| panic!("record {i} is missing: {got:#?}"));
        let severity = if python {
            SysLogSeverity::python(*level)
        } else {
            SysLogSeverity::from_level(*level)
        };
        let pri = case.facility.code() * 8 + severity.code();
        let ctx = format!("{test} record {i}: {m:#?}");
        assert_eq!(field(m, "pri"), pri.to_string(), "{ctx}");
        assert_eq!(
            field(m, "syslogfacility"),
            case.facility.code().to_string(),
            "{ctx}"
        );
        assert_eq!(
            field(m, "syslogseverity"),
            severity.code().to_string(),
            "{ctx}"
        );
        assert_eq!(field(m, "app-name"), app, "{ctx}");
        match case.format {
            SysLogFormat::Rfc5424 => {
                assert_eq!(field(m, "protocol-version"), "1", "{ctx}");
                assert_eq!(field(m, "hostname"), HOST, "{ctx}");
                assert_eq!(field(m, "procid"), "4242", "{ctx}");
                assert_eq!(field(m, "msgid"), "MSG-1", "{ctx}");
                assert_eq!(
                    field(m, "structured-data"),
                    r#"[lumber@32473 user="ann" quote="a\"b\\c\]d" text="grüße" n="42" request="7"]"#,
                    "{ctx}"
                );
                assert_eq!(field(m, "msg"), body, "{ctx}");
            }
            SysLogFormat::Rfc3164 => {
                assert_eq!(field(m, "protocol-version"), "0", "{ctx}");
                let host = if case.via == Via::Unix {
                    local_hostname()
                } else {
                    HOST.to_owned()
                };
                assert_eq!(field(m, "hostname"), host, "{ctx}");
                assert_eq!(field(m, "procid"), "4242", "{ctx}");
                assert_eq!(field(m, "msgid"), "-", "{ctx}");
                assert_eq!(field(m, "structured-data"), "-", "{ctx}");
                // rsyslog keeps the space after the tag in RFC 3164.
                assert_eq!(field(m, "msg"), format!(" {body}"), "{ctx}");
            }
            SysLogFormat::Python => {
                assert_eq!(field(m, "protocol-version"), "0", "{ctx}");
                assert_eq!(field(m, "procid"), "-", "{ctx}");
                assert_eq!(field(m, "msgid"), "-", "{ctx}");
                assert_eq!(field(m, "structured-data"), "-", "{ctx}");
                assert_eq!(field(m, "msg"), format!(" {body}"), "{ctx}");
                let raw = field(m, "rawmsg");
                assert_eq!(raw, format!("<{pri}>{app}: {body}"), "{ctx}");
            }
        }
    }
}

fn case(via: Via, format: SysLogFormat) -> Case {
    Case {
        via,
        format,
        framing: SysLogFraming::OctetCounting,
        facility: SysLogFacility::Local4,
    }
}

#[test]
fn udp_rfc5424() {
    check("udp5424", case(Via::Udp, SysLogFormat::Rfc5424));
}

#[test]
fn udp_rfc3164() {
    check(
        "udp3164",
        Case {
            facility: SysLogFacility::Daemon,
            ..case(Via::Udp, SysLogFormat::Rfc3164)
        },
    );
}

#[test]
fn udp_python() {
    check(
        "udppy",
        Case {
            facility: SysLogFacility::User,
            ..case(Via::Udp, SysLogFormat::Python)
        },
    );
}

#[test]
fn tcp_octet_counting_rfc5424() {
    check("tcp5424", case(Via::Tcp, SysLogFormat::Rfc5424));
}

#[test]
fn tcp_octet_counting_rfc3164() {
    check(
        "tcp3164",
        Case {
            facility: SysLogFacility::Local7,
            ..case(Via::Tcp, SysLogFormat::Rfc3164)
        },
    );
}

#[test]
fn tcp_lf_framing_rfc5424() {
    check(
        "tcplf5424",
        Case {
            framing: SysLogFraming::NonTransparent,
            ..case(Via::Tcp, SysLogFormat::Rfc5424)
        },
    );
}

#[test]
fn tcp_lf_framing_rfc3164() {
    check(
        "tcplf3164",
        Case {
            framing: SysLogFraming::NonTransparent,
            ..case(Via::Tcp, SysLogFormat::Rfc3164)
        },
    );
}

#[test]
fn tcp_python() {
    check("tcppy", case(Via::Tcp, SysLogFormat::Python));
}

#[cfg(feature = "syslog-tls")]
#[test]
fn tls_rfc5424() {
    check(
        "tls5424",
        Case {
            facility: SysLogFacility::AuthPriv,
            ..case(Via::Tls, SysLogFormat::Rfc5424)
        },
    );
}

#[cfg(feature = "syslog-tls")]
#[test]
fn tls_rfc3164() {
    check("tls3164", case(Via::Tls, SysLogFormat::Rfc3164));
}

#[cfg(feature = "syslog-tls")]
#[test]
fn tls_lf_framing_rfc5424() {
    check(
        "tlslf5424",
        Case {
            framing: SysLogFraming::NonTransparent,
            ..case(Via::Tls, SysLogFormat::Rfc5424)
        },
    );
}

#[cfg(feature = "syslog-tls")]
#[test]
fn tls_with_a_client_certificate_rfc5424() {
    check("tlsm5424", case(Via::TlsMutual, SysLogFormat::Rfc5424));
}

#[cfg(feature = "syslog-tls")]
#[test]
fn tls_refuses_a_daemon_whose_certificate_it_does_not_trust() {
    let Some(peer) = peer("tlsuntrusted") else {
        return;
    };
    let _daemon = shared();
    let app = unique("tu");
    // The client certificate is no CA: the daemon's certificate does not
    // chain to it.
    let tls = SysLogTls::from_ca_file(peer.dir.join("tls/client.pem")).unwrap();
    let h = SysLogHandler::tls(&peer.tls, tls)
        .app_name(&app)
        .build()
        .unwrap();
    let (log, _handler, errors) = logger(&format!("syslog.{app}"), h);
    log.error("must not be sent in clear or to an impostor");
    let errors = errors.lock().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].contains("TLS handshake") && errors[0].contains("certificate"),
        "{}",
        errors[0]
    );
    assert!(peer.read("app-name", &app).is_empty());
}

#[test]
fn unix_datagram_dev_log_rfc3164() {
    check(
        "ux3164",
        Case {
            facility: SysLogFacility::Local0,
            ..case(Via::Unix, SysLogFormat::Rfc3164)
        },
    );
}

#[test]
fn unix_datagram_dev_log_python() {
    check("uxpy", case(Via::Unix, SysLogFormat::Python));
}

#[test]
fn unix_datagram_rfc5424() {
    check("uxd5424", case(Via::UnixRfc5424, SysLogFormat::Rfc5424));
}

#[test]
fn unix_datagram_rfc3164_with_host() {
    check("uxd3164", case(Via::UnixRfc5424, SysLogFormat::Rfc3164));
}

#[test]
fn unix_stream_rfc5424() {
    check("uxs5424", case(Via::UnixStream, SysLogFormat::Rfc5424));
}

#[test]
fn unix_stream_rfc3164() {
    check("uxs3164", case(Via::UnixStream, SysLogFormat::Rfc3164));
}

#[test]
fn unix_stream_lf_framing_rfc5424() {
    check(
        "uxslf5424",
        Case {
            framing: SysLogFraming::NonTransparent,
            ..case(Via::UnixStream, SysLogFormat::Rfc5424)
        },
    );
}

#[test]
fn unix_socket_of_unknown_kind_rfc5424() {
    check("uxa5424", case(Via::UnixAuto, SysLogFormat::Rfc5424));
}

#[test]
fn defaults_app_name_procid_hostname_and_no_msgid() {
    let Some(peer) = peer("defaults") else { return };
    let _daemon = shared();
    let msgid = unique("d");
    // The app-name is the program's; find the messages by msgid instead.
    let h = SysLogHandler::tcp(&peer.tcp).msgid(&msgid).build().unwrap();
    let (log, handler, _) = logger("syslog.defaults", h);
    log.info("with the defaults");
    handler.flush();
    let m = &peer.messages_with("msgid", &msgid, 1)[0];
    let program = std::env::args().next().unwrap();
    let program = Path::new(&program)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(field(m, "app-name"), program);
    assert_eq!(field(m, "procid"), std::process::id().to_string());
    assert_eq!(field(m, "hostname"), local_hostname());
    assert_eq!(field(m, "pri"), "14"); // user.info
    assert_eq!(field(m, "structured-data"), "-");
    assert_eq!(field(m, "msg"), "with the defaults");
}

#[test]
fn structured_data_names_are_sanitized_and_the_first_of_a_name_wins() {
    let Some(peer) = peer("sdnames") else { return };
    let _daemon = shared();
    let app = unique("sdn");
    let h = SysLogHandler::udp(&peer.udp)
        .app_name(&app)
        .structured_data_id("shop@32473")
        .msgid_field("event")
        .build()
        .unwrap();
    let (log, handler, _) = logger(&format!("syslog.{app}"), h);
    let bound = log
        .bind("user", "bound user")
        .bind("svc", "api")
        .bind("key with spaces=and]quote\"", 1);
    lumber::info!(logger: bound, user = "call site", event = "LOGIN"; "hello");
    handler.flush();
    let m = &peer.messages(&app, 1)[0];
    assert_eq!(field(m, "msgid"), "LOGIN");
    assert_eq!(
        field(m, "structured-data"),
        r#"[shop@32473 user="call site" svc="api" key_with_spaces_and_quote_="1"]"#
    );
}

#[test]
fn udp_messages_are_cut_at_2048_bytes_on_a_character_boundary() {
    let Some(peer) = peer("udpsize") else { return };
    let _daemon = shared();
    let app = unique("us");
    let h = SysLogHandler::udp(&peer.udp)
        .app_name(&app)
        .hostname(HOST)
        .build()
        .unwrap();
    let (log, handler, _) = logger(&format!("syslog.{app}"), h);
    let long = "é".repeat(3000) + "€";
    log.warning(&long);
    let long_cut = format!("x{}", "€".repeat(2000));
    log.warning(&long_cut);
    handler.flush();
    let got = peer.messages(&app, 2);
    for (m, sent) in got.iter().zip([&long, &long_cut]) {
        let raw = field(m, "rawmsg");
        assert!(raw.len() <= 2048 && raw.len() > 2040, "{} bytes", raw.len());
        let msg = field(m, "msg");
        assert!(!msg.contains('\u{fffd}'), "cut inside a character");
        assert!(sent.starts_with(msg), "not a prefix of what was sent");
    }
}

#[test]
fn octet_counting_carries_large_multiline_messages_whole() {
    let Some(peer) = peer("tcpsize") else { return };
    let _daemon = shared();
    let mut vias = vec![(Via::Tcp, "tb"), (Via::UnixStream, "sb")];
    if cfg!(feature = "syslog-tls") {
        vias.push((Via::Tls, "lb"));
    }
    for (via, tag) in vias {
        let app = unique(tag);
        let h = builder(&peer, &case(via, SysLogFormat::Rfc5424))
            .app_name(&app)
            .max_message_size(60_000)
            .build()
            .unwrap();
        let (log, handler, errors) = logger(&format!("syslog.{app}"), h);
        let big: String = (0..1000)
            .map(|i| format!("line {i}: ünïcødé ✓\n"))
            .collect();
        let big = big.trim_end().to_owned();
        assert!(big.len() > 25_000);
        log.info(&big);
        handler.flush();
        let m = &peer.messages(&app, 1)[0];
        assert_eq!(field(m, "msg"), big, "{via:?}");
        assert!(errors.lock().unwrap().is_empty());
    }
}

#[test]
fn a_daemon_restart_loses_nothing() {
    let Some(peer) = peer("restart") else { return };
    let _daemon = exclusive();
    let mut vias = vec![Via::Tcp, Via::UnixStream, Via::UnixRfc5424];
    if cfg!(feature = "syslog-tls") {
        vias.push(Via::Tls);
    }
    let mut loggers = Vec::new();
    for (n, via) in vias.iter().enumerate() {
        let app = unique(&format!("rs{n}"));
        let h = builder(&peer, &case(*via, SysLogFormat::Rfc5424))
            .app_name(&app)
            .reconnect_backoff(Duration::from_millis(10), Duration::from_millis(50))
            .build()
            .unwrap();
        let (log, handler, errors) = logger(&format!("syslog.{app}"), h);
        loggers.push((*via, app, log, handler, errors));
    }
    let batch = |name: &str| {
        for (_, _, log, _, _) in &loggers {
            for i in 0..5 {
                log.info(format!("{name}{i}"));
            }
        }
    };
    // Before: delivered and written by rsyslog.
    batch("before");
    for (_, app, _, handler, _) in &loggers {
        handler.flush();
        peer.messages(app, 5);
    }
    // While rsyslog is down: kept in the handlers' buffers.
    peer.script("stop");
    batch("down");
    for (via, _, _, handler, errors) in &loggers {
        assert!(
            !errors.lock().unwrap().is_empty(),
            "{via:?}: nobody said the daemon is gone"
        );
        assert_eq!(handler.sink().kind(), "SysLogHandler",);
    }
    peer.script("start");
    // After: the buffered records go first, then these.
    batch("after");
    for (_, _, _, handler, _) in &loggers {
        handler.flush();
    }
    for (_, app, _, _, _) in &loggers {
        peer.messages(app, 15);
    }
    // A restart between two records: the first write after it must not
    // go into the dead connection (where the kernel would take it and
    // then lose it).
    peer.script("restart");
    batch("again");
    for (_, _, _, handler, _) in &loggers {
        handler.flush();
    }
    for (via, app, _, _, _) in &loggers {
        let got = peer.messages(app, 20);
        let mut count: HashMap<String, usize> = HashMap::new();
        for m in &got {
            *count.entry(field(m, "msg").to_owned()).or_default() += 1;
        }
        for name in ["before", "down", "after", "again"] {
            for i in 0..5 {
                assert_eq!(
                    count.get(&format!("{name}{i}")),
                    Some(&1),
                    "{via:?}: {name}{i} must arrive exactly once: {count:?}"
                );
            }
        }
        // In order, per connection.
        let order: Vec<&str> = got.iter().map(|m| field(m, "msg")).collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|s| {
            ["before", "down", "after", "again"]
                .iter()
                .position(|p| s.starts_with(p))
        });
        assert_eq!(order, sorted, "{via:?}");
    }
}

#[test]
fn an_unreachable_daemon_buffers_a_bounded_number_then_reports_the_loss() {
    // Needs no rsyslog: a port where nobody listens, then somebody does.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let h = SysLogHandler::tcp(&addr)
        .app_name("buffered")
        .buffer(3)
        .reconnect_backoff(Duration::from_millis(1), Duration::from_millis(1))
        .build()
        .unwrap();
    let (log, handler, errors) = logger("syslog.buffered", h);
    let started = Instant::now();
    for i in 0..10 {
        log.error(format!("r{i}"));
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "connecting must not hang"
    );
    let errors = errors.lock().unwrap().clone();
    assert_eq!(errors.len(), 10);
    assert!(
        errors[0].contains(&format!("tcp://{addr}")) && errors[0].contains("1 record waiting"),
        "{}",
        errors[0]
    );
    assert!(errors[9].contains("1 record dropped"), "{}", errors[9]);
    let Ok(listener) = TcpListener::bind(&addr) else {
        return;
    }; // the port was taken meanwhile
    handler.flush();
    let (mut conn, _) = listener.accept().unwrap();
    handler.close();
    let mut got = String::new();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    conn.read_to_string(&mut got).unwrap();
    let msgs: Vec<&str> = got.split(" <").skip(1).collect();
    assert_eq!(msgs.len(), 4, "{got}");
    for (m, want) in msgs.iter().zip(["r7", "r8", "r9"]) {
        assert!(
            m.ends_with(&format!(" - - {want}")) || m.contains(&format!(" - - {want}")),
            "{m}"
        );
    }
    assert!(
        msgs[3].contains("lumber: 7 records for tcp://"),
        "{}",
        msgs[3]
    );
    assert!(
        msgs[3].ends_with("dropped while it could not be reached"),
        "{}",
        msgs[3]
    );
    assert!(msgs[3].starts_with("12>1 "), "a warning: {}", msgs[3]);
}
