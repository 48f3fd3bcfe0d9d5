//! Configuration factory for `JournaldHandler`, under the names of the
//! two Python journal handlers: python-systemd's
//! `systemd.journal.JournalHandler(level, sender_function,
//! SYSLOG_IDENTIFIER=...)` and the `systemd` package's
//! `systemd.journal.JournaldLogHandler(identifier, facility)`.

use super::Builtin;
use super::{checked, shown};
use crate::config::{Args, Node, Value};
use crate::handler::Handler;
use crate::handler::journald::JournaldHandler;

/// The journald handler class, once per Python name: the two Python
/// classes take different positional arguments.
pub(crate) fn handlers() -> Vec<Builtin<Handler>> {
    vec![
        Builtin {
            name: "JournaldHandler",
            aliases: &["systemd.journal.JournalHandler"],
            params: &["level", "sender_function"],
            build: journald,
        },
        Builtin {
            name: "JournaldHandler",
            aliases: &["systemd.journal.JournaldLogHandler"],
            params: &["identifier", "facility"],
            build: journald,
        },
    ]
}

/// `fields`: a mapping of journal field names to values sent with every
/// entry.
fn fields<'a>(a: &mut Args<'a>, name: &str) -> Option<&'a [(crate::config::Key, Node)]> {
    let n = a.node(name)?;
    let entries = n.entries();
    match entries {
        Some(e) => {
            for (k, v) in e {
                if matches!(v.value, Value::List(_) | Value::Map(_) | Value::Null) {
                    a.error(
                        name,
                        format!(
                            "'{}': expected a string, number or boolean, got {}",
                            k.name,
                            v.kind()
                        ),
                    );
                    return None;
                }
            }
        }
        None => a.error(
            name,
            format!(
                "expected a mapping of field names to values, got {}",
                shown(n)
            ),
        ),
    }
    entries
}

/// `JournaldHandler`, from either Python class's options.
fn journald(a: &mut Args<'_>) -> Option<Handler> {
    let mut bad = false;
    let identifier = checked(a, &mut bad, "identifier", Args::str);
    // python-systemd passes journal fields as keyword arguments; this is
    // the one every configuration uses.
    let syslog_identifier = checked(a, &mut bad, "SYSLOG_IDENTIFIER", Args::str);
    let socket_path = checked(a, &mut bad, "socket_path", Args::path_buf);
    let namespace = checked(a, &mut bad, "namespace", Args::str);
    let prefix = checked(a, &mut bad, "field_prefix", Args::str);
    let constant = checked(a, &mut bad, "fields", fields);
    let facility = checked(a, &mut bad, "facility", super::facility_code);
    let timeout = checked(a, &mut bad, "send_timeout", Args::duration);
    let max_datagram = checked(a, &mut bad, "max_datagram", Args::size);
    // fileConfig's positional arguments of JournalHandler(level, ...).
    let level = checked(a, &mut bad, "level", Args::level);
    if a.node("sender_function").is_some() {
        a.error(
            "sender_function",
            "a Python function cannot be configured: lumber sends to journald's socket itself (see socket_path)",
        );
        bad = true;
    }
    if identifier.is_some() && syslog_identifier.is_some() {
        a.error(
            "SYSLOG_IDENTIFIER",
            "given twice: as identifier and as SYSLOG_IDENTIFIER",
        );
        bad = true;
    }
    if socket_path.is_some() && namespace.is_some() {
        a.error(
            "namespace",
            "cannot be used with socket_path (a namespace names its own socket)",
        );
        bad = true;
    }
    if let Some(ns) = &namespace
        && (ns.is_empty() || ns.contains('/'))
    {
        a.error(
            "namespace",
            format!("expected a journal namespace name, got '{ns}'"),
        );
        bad = true;
    }
    if bad || a.check_only() {
        return None;
    }
    let mut h = JournaldHandler::new();
    if let Some(path) = socket_path {
        h = h.with_socket_path(path);
    }
    if let Some(ns) = &namespace {
        h = h.with_namespace(ns);
    }
    if let Some(id) = identifier.or(syslog_identifier) {
        h = h.with_identifier(id);
    }
    if let Some(p) = &prefix {
        h = h.with_field_prefix(p);
    }
    if let Some(code) = facility {
        h = h.with_field("SYSLOG_FACILITY", i64::from(code));
    }
    for (k, v) in constant.unwrap_or_default() {
        h = h.with_field(&k.name, crate::config::plan::owned_value(v));
    }
    if let Some(t) = timeout {
        h = h.with_send_timeout(t);
    }
    if let Some(bytes) = max_datagram {
        h = h.with_max_datagram(usize::try_from(bytes).unwrap_or(usize::MAX));
    }
    let handler = Handler::new(h);
    Some(match level {
        Some(l) => handler.with_level(l),
        None => handler,
    })
}

#[cfg(test)]
mod tests {
    use std::os::unix::net::UnixDatagram;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use crate::config::Config;

    /// A configuration with one handler, `j`, whose options are
    /// `handler` (JSON), attached to `logger` alone.
    fn config(logger: &str, handler: &str) -> Config {
        super::super::testing::one_handler("j", logger, handler)
    }

    /// Every problem of checking `handler`, as `key: message`, in the
    /// order of the text.
    fn problems(handler: &str) -> Vec<String> {
        super::super::testing::problems(&config("fact.journald.unused", handler))
    }

    /// A socket standing in for journald's.
    fn fake_journal(name: &str) -> (PathBuf, UnixDatagram) {
        let p = std::env::temp_dir().join(format!(
            "lumber-fact-journald-{name}-{}.sock",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&p);
        let s = UnixDatagram::bind(&p).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        (p, s)
    }

    fn recv(s: &UnixDatagram) -> String {
        let mut buf = vec![0; 64 * 1024];
        let n = s.recv(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    fn js(path: &Path) -> String {
        format!("{:?}", path.display().to_string())
    }

    #[test]
    fn sends_with_identifier_fields_and_facility() {
        let (path, journal) = fake_journal("fields");
        config(
                "fact.journald.fields",
                &format!(
                    r#"{{"class": "JournaldHandler", "socket_path": {}, "identifier": "fact-test",
                        "fields": {{"APP_VERSION": "1.2", "shard": 3}}, "facility": "local0",
                        "field_prefix": "app_", "send_timeout": "500ms", "max_datagram": "64KiB"}}"#,
                    js(&path)
                ),
            )
            .apply()
            .unwrap();
        crate::get_logger("fact.journald.fields").warning("hello");
        let got = recv(&journal);
        for field in [
            "MESSAGE=hello\n",
            "PRIORITY=4\n",
            "SYSLOG_IDENTIFIER=fact-test\n",
            "APP_VERSION=1.2\n",
            "SHARD=3\n",
            "SYSLOG_FACILITY=16\n",
            "LOGGER=fact.journald.fields\n",
        ] {
            assert!(got.contains(field), "{field:?} not in {got:?}");
        }
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn python_class_names_and_their_arguments() {
        // python-systemd: JournalHandler(level, ..., SYSLOG_IDENTIFIER=...)
        let (path, journal) = fake_journal("python");
        config(
            "fact.journald.python",
            &format!(
                r#"{{"class": "systemd.journal.JournalHandler", "args": ["ERROR"],
                        "SYSLOG_IDENTIFIER": "py-app", "socket_path": {}}}"#,
                js(&path)
            ),
        )
        .apply()
        .unwrap();
        let log = crate::get_logger("fact.journald.python");
        log.warning("below the handler's level");
        log.error("kept");
        let got = recv(&journal);
        assert!(
            got.contains("MESSAGE=kept\n") && got.contains("SYSLOG_IDENTIFIER=py-app\n"),
            "{got:?}"
        );
        let _ = std::fs::remove_file(&path);

        // The `systemd` package: JournaldLogHandler(identifier, facility)
        let (path, journal) = fake_journal("mosquito");
        config(
                "fact.journald.mosquito",
                &format!(
                    r#"{{"class": "systemd.journal.JournaldLogHandler", "args": ["other-app", 3], "socket_path": {}}}"#,
                    js(&path)
                ),
            )
            .apply()
            .unwrap();
        crate::get_logger("fact.journald.mosquito").info("up");
        let got = recv(&journal);
        assert!(
            got.contains("SYSLOG_IDENTIFIER=other-app\n") && got.contains("SYSLOG_FACILITY=3\n"),
            "{got:?}"
        );
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn check_reports_every_bad_option() {
        assert_eq!(
            problems(
                r#"{"class": "JournaldHandler", "identifier": "a", "SYSLOG_IDENTIFIER": "b",
                    "socket_path": "/run/x/socket", "namespace": "audit", "fields": ["X"],
                    "facility": "galaxy", "send_timeout": "never", "sender_function": "ext://app.send"}"#
            ),
            [
                "handlers.j.SYSLOG_IDENTIFIER: given twice: as identifier and as SYSLOG_IDENTIFIER",
                "handlers.j.namespace: cannot be used with socket_path (a namespace names its own socket)",
                "handlers.j.fields: expected a mapping of field names to values, got [\"X\"]",
                "handlers.j.facility: expected a facility name like user, daemon or local0, or its number (0-23), got 'galaxy'",
                "handlers.j.send_timeout: expected a duration like 30s, 5m or 1h, got 'never'",
                "handlers.j.sender_function: a Python function cannot be configured: lumber sends to journald's socket itself (see socket_path)",
            ]
        );
        assert_eq!(
            problems(
                r#"{"class": "JournaldHandler", "fields": {"A": [1]}, "namespace": "a/b", "MY_FIELD": "x"}"#
            ),
            [
                "handlers.j.fields: 'A': expected a string, number or boolean, got a list",
                "handlers.j.namespace: expected a journal namespace name, got 'a/b'",
                "handlers.j.MY_FIELD: unknown option",
            ]
        );
        // Valid: checked without touching a socket.
        assert!(
            problems(
                r#"{"class": "JournaldHandler", "namespace": "audit", "facility": "LOG_LOCAL7"}"#
            )
            .is_empty()
        );
    }
}
