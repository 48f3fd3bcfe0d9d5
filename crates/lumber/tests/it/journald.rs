//! `JournaldHandler` against a real systemd-journald namespace instance
//! (`scripts/peers/journald.sh start`), read back with `journalctl -o json`.
//! Without one these tests say SKIPPED on stderr and pass, unless
//! `LUMBER_REQUIRE_PEERS=1`, where they fail.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lumber::{
    ErrorPolicy, Handler, JournaldHandler, Level, Message, Overflow, OwnedValue, Queue,
    QueueHandler, QueueListener, Record, Value, error, fields, info, push_context,
};
use serde_json::{Map, Value as Json};

/// The journald the tests talk to.
struct Journal {
    socket: PathBuf,
    namespace: String,
}

/// The journald to talk to, or `None` after saying SKIPPED on the real
/// stderr (not the captured one: a skip must show even when the test
/// passes).
fn journal(test: &str) -> Option<Journal> {
    let socket = std::env::var_os("LUMBER_JOURNALD_SOCKET");
    let namespace = std::env::var("LUMBER_JOURNALD_NAMESPACE").ok();
    match (socket, namespace) {
        (Some(socket), Some(namespace)) => Some(Journal {
            socket: socket.into(),
            namespace,
        }),
        _ if std::env::var("LUMBER_REQUIRE_PEERS").as_deref() == Ok("1") => panic!(
            "LUMBER_REQUIRE_PEERS=1 but LUMBER_JOURNALD_SOCKET/LUMBER_JOURNALD_NAMESPACE are not set \
             (eval \"$(scripts/peers/journald.sh start)\")"
        ),
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: journald::{test}: journald not running (scripts/peers/journald.sh start)"
            );
            None
        }
    }
}

/// A SYSLOG_IDENTIFIER no other test (or earlier run) uses.
fn unique(test: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "lumber-{test}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl Journal {
    /// A handler for this journal, with its own identifier.
    fn handler(&self, identifier: &str) -> JournaldHandler {
        JournaldHandler::new()
            .with_socket_path(&self.socket)
            .with_identifier(identifier)
    }

    /// The entries with this identifier, once there are `n` of them
    /// (journald writes asynchronously: poll, up to a deadline).
    fn entries(&self, identifier: &str, n: usize) -> Vec<Map<String, Json>> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let out = Command::new("journalctl")
                .arg(format!("--namespace={}", self.namespace))
                .args(["-o", "json", "--all", "--no-pager"])
                .arg(format!("SYSLOG_IDENTIFIER={identifier}"))
                .output()
                .expect("journalctl runs");
            let entries: Vec<Map<String, Json>> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).expect("journalctl -o json line"))
                .collect();
            if entries.len() >= n {
                assert_eq!(entries.len(), n, "more entries than sent for {identifier}");
                return entries;
            }
            assert!(
                Instant::now() < deadline,
                "journald has {} of {n} entries for {identifier} after 15 s; journalctl said: {}",
                entries.len(),
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn entry(&self, identifier: &str) -> Map<String, Json> {
        self.entries(identifier, 1).remove(0)
    }
}

/// A handler whose failures fail the test.
fn strict(sink: JournaldHandler) -> (Handler, Arc<Mutex<Vec<String>>>) {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let e = errors.clone();
    let handler = Handler::new(sink).with_error_policy(ErrorPolicy::hook(move |err| {
        e.lock().unwrap().push(err.to_string())
    }));
    (handler, errors)
}

/// A field's value as bytes: journalctl writes text as a string and
/// anything else (control characters, invalid UTF-8) as an array of bytes.
fn bytes(value: &Json) -> Vec<u8> {
    match value {
        Json::String(s) => s.as_bytes().to_vec(),
        Json::Array(items) => items.iter().map(|b| b.as_u64().unwrap() as u8).collect(),
        other => panic!("not a single value: {other}"),
    }
}

fn text(entry: &Map<String, Json>, name: &str) -> String {
    let value = entry
        .get(name)
        .unwrap_or_else(|| panic!("no {name} in {entry:?}"));
    String::from_utf8(bytes(value)).unwrap()
}

#[test]
fn every_part_of_a_record_is_a_journal_field() {
    let Some(j) = journal("every_part_of_a_record_is_a_journal_field") else {
        return;
    };
    let id = unique("fields");
    let (handler, errors) = strict(j.handler(&id));
    let log = lumber::get_logger("it.journald.fields");
    log.set_propagate(false);
    log.set_level(Level::DEBUG);
    log.add_handler(handler);
    let bound = log.bind("tenant", "acme");

    let worker = std::thread::Builder::new().name("journal-worker".into());
    let (line, tid) = worker
        .spawn(move || {
            let _scope = push_context(fields!(request = 7));
            let error = std::io::Error::from_raw_os_error(111);
            let line = line!() + 1;
            error!(logger: bound, error: error, user_id = 42, attempt = 3; "cannot connect to {}", "db1");
            (line, Record::new("x", Level::INFO, Message::Str("")).thread_id())
        })
        .unwrap()
        .join()
        .unwrap();

    let e = j.entry(&id);
    assert_eq!(
        text(&e, "MESSAGE"),
        "cannot connect to db1\nError: Connection refused (os error 111)"
    );
    assert_eq!(text(&e, "PRIORITY"), "3");
    assert_eq!(text(&e, "SYSLOG_IDENTIFIER"), id);
    assert!(
        text(&e, "CODE_FILE").ends_with("tests/it/journald.rs"),
        "{e:?}"
    );
    assert_eq!(text(&e, "CODE_LINE"), line.to_string());
    assert!(
        text(&e, "CODE_FUNC").contains("every_part_of_a_record_is_a_journal_field"),
        "{e:?}"
    );
    assert_eq!(text(&e, "LOGGER"), "it.journald.fields");
    assert_eq!(text(&e, "THREAD_NAME"), "journal-worker");
    assert_eq!(text(&e, "TID"), tid.to_string());
    assert_eq!(
        text(&e, "EXCEPTION_TEXT"),
        "Error: Connection refused (os error 111)"
    );
    assert_eq!(text(&e, "ERRNO"), "111");
    assert_eq!(text(&e, "USER_ID"), "42");
    assert_eq!(text(&e, "ATTEMPT"), "3");
    assert_eq!(text(&e, "TENANT"), "acme"); // bound
    assert_eq!(text(&e, "REQUEST"), "7"); // scoped context
    assert_eq!(text(&e, "_TRANSPORT"), "journal"); // the native protocol
    assert_eq!(text(&e, "_PID"), std::process::id().to_string());
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}

#[test]
fn field_names_are_sanitized_per_journald_rules() {
    let Some(j) = journal("field_names_are_sanitized_per_journald_rules") else {
        return;
    };
    let id = unique("names");
    let (handler, errors) = strict(j.handler(&id).with_field("deploy.env", "staging"));
    let long = "k".repeat(100);
    let fields = [
        ("user.id", Value::from(1)),
        ("http-status code", Value::from(2)),
        ("_private", Value::from(3)),
        ("2fa", Value::from(4)),
        ("größe", Value::from(5)),
        ("message", Value::from("not the message")),
        ("priority", Value::from(0)),
        ("syslog_identifier", Value::from("not me")),
        ("Mixed_Case9", Value::from(6)),
        (long.as_str(), Value::from(7)),
        ("dup", Value::from("call site wins")),
    ];
    let bound = vec![("dup".into(), OwnedValue::from("bound loses"))];
    handler.handle(
        &Record::new(
            "it.journald.names",
            Level::INFO,
            Message::Str("the message"),
        )
        .with_fields(&fields)
        .with_bound(&bound),
    );

    let e = j.entry(&id);
    let expect = [
        ("USER_ID", "1"),
        ("HTTP_STATUS_CODE", "2"),
        ("F_PRIVATE", "3"),
        ("F2FA", "4"),
        ("GR__E", "5"),
        ("F_MESSAGE", "not the message"),
        ("F_PRIORITY", "0"),
        ("F_SYSLOG_IDENTIFIER", "not me"),
        ("MIXED_CASE9", "6"),
        ("DUP", "call site wins"),
        ("DEPLOY_ENV", "staging"),
        ("MESSAGE", "the message"),
        ("PRIORITY", "6"),
    ];
    for (name, value) in expect {
        assert_eq!(text(&e, name), value, "{name} in {e:?}");
    }
    assert_eq!(text(&e, "SYSLOG_IDENTIFIER"), id);
    assert_eq!(text(&e, &"K".repeat(64)), "7");
    for name in e.keys() {
        assert!(
            name.len() <= 64 && !name.chars().any(|c| c.is_ascii_lowercase()),
            "{name}"
        );
    }
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );

    // With a prefix, the application's fields stay apart from journald's.
    let id = unique("prefix");
    let (handler, _) = strict(j.handler(&id).with_field_prefix("app_"));
    let fields = [("message", Value::from("m")), ("user.id", Value::from(9))];
    handler.handle(&Record::new("x", Level::INFO, Message::Str("hi")).with_fields(&fields));
    let e = j.entry(&id);
    assert_eq!(text(&e, "APP_MESSAGE"), "m");
    assert_eq!(text(&e, "APP_USER_ID"), "9");
    assert_eq!(text(&e, "MESSAGE"), "hi");
}

#[test]
fn multiline_and_unicode_messages_arrive_intact() {
    let Some(j) = journal("multiline_and_unicode_messages_arrive_intact") else {
        return;
    };
    let id = unique("text");
    let (handler, errors) = strict(j.handler(&id));
    let messages = [
        "first line\nsecond line\n\tindented third\n",
        "ünïcödé ✓ 日本語 🦀 — \"quoted\" = signs = everywhere",
        "",
        "ends without newline\r\nwith CRLF inside",
    ];
    for m in messages {
        handler.handle(&Record::new(
            "it.journald.text",
            Level::INFO,
            Message::Str(m),
        ));
    }
    let got: Vec<Vec<u8>> = j
        .entries(&id, messages.len())
        .iter()
        .map(|e| bytes(&e["MESSAGE"]))
        .collect();
    let want: Vec<Vec<u8>> = messages.iter().map(|m| m.as_bytes().to_vec()).collect();
    assert_eq!(got, want);
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}

#[test]
fn binary_values_are_kept_byte_for_byte() {
    let Some(j) = journal("binary_values_are_kept_byte_for_byte") else {
        return;
    };
    let id = unique("binary");
    let (handler, errors) = strict(j.handler(&id));
    let all: Vec<u8> = (0..=255u8).chain([b'\n', 0, b'=', b'\n']).collect();
    let invalid_utf8 = [0xffu8, 0xfe, b'a', 0xc3];
    let fields = [
        ("blob", Value::Bytes(&all)),
        ("latin", Value::Bytes(&invalid_utf8)),
        ("nul", Value::Str("a\0b")),
        ("debug", Value::Debug(&"x\ny")),
        ("float", Value::F64(2.5)),
        ("flag", Value::Bool(true)),
    ];
    handler.handle(
        &Record::new("it.journald.binary", Level::INFO, Message::Str("b")).with_fields(&fields),
    );
    let e = j.entry(&id);
    assert_eq!(bytes(&e["BLOB"]), all);
    assert_eq!(bytes(&e["LATIN"]), invalid_utf8);
    assert_eq!(bytes(&e["NUL"]), b"a\0b");
    assert_eq!(text(&e, "DEBUG"), "\"x\\ny\"");
    assert_eq!(text(&e, "FLOAT"), "2.5");
    assert_eq!(text(&e, "FLAG"), "true");
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}

/// The kernel's default send buffer: a datagram larger than this cannot
/// be sent on a socket that did not raise its own (the handler does not).
fn default_send_buffer() -> usize {
    std::fs::read_to_string("/proc/sys/net/core/wmem_default")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(212_992)
}

#[test]
fn entries_too_large_for_a_datagram_go_through_a_memfd() {
    let Some(j) = journal("entries_too_large_for_a_datagram_go_through_a_memfd") else {
        return;
    };
    // Over 300 KB and over the socket's send buffer, so no datagram could
    // carry it: an entry that arrives came through the memfd.
    let size = (default_send_buffer() + 1).max(300 * 1024) + 123_457;
    let message: String = (0..size).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    let mut multiline = message.clone();
    multiline.replace_range(1000..1001, "\n");

    // Above the handler's datagram threshold: straight to a memfd.
    let id = unique("memfd");
    let (handler, errors) = strict(j.handler(&id));
    handler.handle(&Record::new(
        "it.journald.memfd",
        Level::WARNING,
        Message::Str(&message),
    ));
    handler.handle(&Record::new(
        "it.journald.memfd",
        Level::WARNING,
        Message::Str(&multiline),
    ));
    let entries = j.entries(&id, 2);
    assert_eq!(text(&entries[0], "MESSAGE").len(), size);
    assert!(
        text(&entries[0], "MESSAGE") == message,
        "first entry differs"
    );
    assert!(
        text(&entries[1], "MESSAGE") == multiline,
        "second entry differs"
    );
    assert_eq!(text(&entries[0], "PRIORITY"), "4");

    // No threshold: the datagram is tried, refused (EMSGSIZE), and the
    // memfd takes over.
    let id = unique("memfd-fallback");
    let (fallback, fallback_errors) = strict(j.handler(&id).with_max_datagram(usize::MAX));
    let big = message.repeat(3);
    fallback.handle(&Record::new(
        "it.journald.memfd",
        Level::INFO,
        Message::Str(&big),
    ));
    assert!(
        text(&j.entry(&id), "MESSAGE") == big,
        "fallback entry differs"
    );
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
    assert!(
        fallback_errors.lock().unwrap().is_empty(),
        "{:?}",
        fallback_errors.lock().unwrap()
    );
}

#[test]
fn priorities_follow_the_levels() {
    let Some(j) = journal("priorities_follow_the_levels") else {
        return;
    };
    let id = unique("priority");
    let (handler, errors) = strict(j.handler(&id));
    let levels = [
        (Level::TRACE, "7"),
        (Level::DEBUG, "7"),
        (Level::INFO, "6"),
        (Level::new(25), "5"),
        (Level::WARNING, "4"),
        (Level::ERROR, "3"),
        (Level::CRITICAL, "2"),
        (Level::new(35), "4"),
        (Level::new(60), "2"),
    ];
    for (level, _) in levels {
        handler.handle(
            &Record::new("it.journald.priority", level, Message::Str("p"))
                .with_fields(&[("level", Value::from(level.value()))]),
        );
    }
    let got: Vec<(String, String)> = j
        .entries(&id, levels.len())
        .iter()
        .map(|e| (text(e, "LEVEL"), text(e, "PRIORITY")))
        .collect();
    let want: Vec<(String, String)> = levels
        .iter()
        .map(|(l, p)| (l.value().to_string(), p.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}

#[test]
fn records_keep_their_fields_through_a_queue() {
    let _listeners = crate::listeners();
    let Some(j) = journal("records_keep_their_fields_through_a_queue") else {
        return;
    };
    let id = unique("queue");
    let (handler, errors) = strict(j.handler(&id));
    let queue = Queue::new(1024, Overflow::Block);
    let listener = QueueListener::new(queue.clone(), vec![Arc::new(handler)])
        .start()
        .unwrap();
    let log = lumber::get_logger("it.journald.queue");
    log.set_propagate(false);
    log.set_level(Level::DEBUG);
    log.add_handler(QueueHandler::new(queue));
    let line = line!() + 1;
    info!(logger: log, items = 5, who = "queue"; "queued {} items", 5);
    listener.stop();

    let e = j.entry(&id);
    assert_eq!(text(&e, "MESSAGE"), "queued 5 items");
    assert_eq!(text(&e, "ITEMS"), "5");
    assert_eq!(text(&e, "WHO"), "queue");
    assert_eq!(text(&e, "CODE_LINE"), line.to_string());
    // The thread that logged, not the listener's.
    let me = Record::new("x", Level::INFO, Message::Str("")).with_thread_name(str::to_owned);
    assert_eq!(text(&e, "THREAD_NAME"), me);
    assert!(
        errors.lock().unwrap().is_empty(),
        "{:?}",
        errors.lock().unwrap()
    );
}

/// Needs no journald: a socket nobody listens on.
#[test]
fn a_missing_journald_goes_to_the_error_policy_and_logging_goes_on() {
    let dir = std::env::temp_dir().join(format!("lumber-it-no-journald-{}", std::process::id()));
    let socket = dir.join("socket");
    let (handler, errors) = strict(JournaldHandler::new().with_socket_path(&socket));
    let handler = handler.with_name("journal");
    assert!(
        !JournaldHandler::new()
            .with_socket_path(&socket)
            .is_available()
    );
    for i in 0..3 {
        handler.handle(
            &Record::new("it.journald.missing", Level::ERROR, Message::Str("lost"))
                .with_fields(&[("i", Value::from(i))]),
        );
    }
    let errors = errors.lock().unwrap();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("lumber: JournaldHandler 'journal' failed to emit a record from logger 'it.journald.missing': cannot reach journald at ")
            && errors[0].contains(&socket.display().to_string()),
        "{}",
        errors[0]
    );
}
