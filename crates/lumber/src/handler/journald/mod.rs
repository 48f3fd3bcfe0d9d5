//! `JournaldHandler`: records to systemd-journald in its native protocol,
//! every piece of the record a field of its own.

mod entry;
mod transport;

use std::cell::Cell;
use std::fmt;
use std::io;
use std::os::unix::fs::FileTypeExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use self::entry::{FieldName, Layout};
use self::transport::Transport;
use super::Sink;
use crate::level::Level;
use crate::record::Record;
use crate::value::ToValue;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
const DEFAULT_MAX_DATAGRAM: usize = 128 * 1024;

/// Sends records to systemd-journald over its native protocol (what
/// `sd_journal_send` speaks), with each piece of the record in a field of
/// its own that `journalctl` can match on and show:
///
/// | field | value |
/// | --- | --- |
/// | `MESSAGE` | the handler's formatted line: by default `%(message)s`, with the error chain and stack after it, as Python prints them (journald already keeps the time, the priority and the process) |
/// | `PRIORITY` | the syslog severity of the level ([`JournaldHandler::syslog_priority`]) |
/// | `SYSLOG_IDENTIFIER` | the program's name, or [`JournaldHandler::with_identifier`] |
/// | `CODE_FILE`, `CODE_LINE`, `CODE_FUNC` | the call site, when known |
/// | `LOGGER` | the logger's name (`app.db`) |
/// | `THREAD_NAME`, `TID` | the thread's name and the kernel's thread id |
/// | `EXCEPTION_TEXT` | the error chain (`Error: ...`, `Caused by: ...`), or a Python record's traceback; the name Python's `systemd.journal.JournalHandler` uses |
/// | `ERRNO` | the first OS error code in the error chain |
/// | `STACK_INFO` | the stack, when the record has one |
/// | anything else | each record field (call site, bound, context), and each [`JournaldHandler::with_field`] |
///
/// **Field names.** journald takes names of `A`–`Z`, `0`–`9` and `_`, at
/// most 64 long, not starting with `_` or a digit, and silently drops a
/// field with any other name. A record field's key (after the
/// [`JournaldHandler::with_field_prefix`], if any) is made valid this way:
/// lower-case ASCII letters are upper-cased, every other character that is
/// not allowed (`.`, `-`, a space, any non-ASCII character) becomes `_`;
/// a name that would start with `_` or a digit, or be empty, gets `F` in
/// front; the name is cut to 64 bytes. A name that comes out as one of the
/// fields in the table above gets `F_` in front (`message` → `F_MESSAGE`),
/// so that record fields can neither replace nor duplicate what the
/// handler writes; other well-known journal fields pass through, so a
/// `message_id` field sets `MESSAGE_ID`. See
/// [`JournaldHandler::field_name`]. A key that appears twice (a call-site
/// field and a bound one) is sent once, with the value
/// [`Record::field`] returns; two different keys that come out as the same
/// name are both sent, and journald keeps both values under that name.
///
/// **Values** are sent as they are: strings and bytes byte for byte (a
/// value with newlines or any binary data at all goes in the protocol's
/// length-prefixed form), numbers and everything else as they display.
/// journald drops an entry with more than 1024 fields; record fields past
/// that are left out.
///
/// **Large entries.** An entry larger than a datagram can carry (journald
/// takes up to 768 MiB) is written to a memfd, sealed against any
/// change, and the descriptor is passed to journald over the socket
/// (`SCM_RIGHTS`), as `sd_journal_send` does. Entries larger than
/// [`JournaldHandler::with_max_datagram`] go that way without trying a
/// datagram first.
///
/// **Failures.** The socket is made when the first record is sent. A
/// journald that is not running, or that does not take an entry within
/// [`JournaldHandler::with_send_timeout`], is a failure of that record,
/// reported to the handler's [`crate::ErrorPolicy`] (by default one line
/// on stderr, then at most one a minute); the program goes on, and the
/// next record tries again.
///
/// ```no_run
/// use lumber::{Handler, JournaldHandler, get_logger, error};
///
/// let log = get_logger("app.db");
/// log.add_handler(Handler::new(JournaldHandler::new()).with_name("journal"));
/// let e = std::io::Error::from_raw_os_error(111);
/// error!(logger: log, error: e, user_id = 42; "cannot connect to {}", "db1");
/// // journalctl -o verbose LOGGER=app.db: MESSAGE=cannot connect to db1\nError: ...,
/// // PRIORITY=3, USER_ID=42, EXCEPTION_TEXT=Error: Connection refused (os error 111), ERRNO=111, ...
/// ```
pub struct JournaldHandler {
    layout: Layout,
    transport: Transport,
}

impl JournaldHandler {
    /// Where journald listens for native-protocol entries.
    ///
    /// ```
    /// assert_eq!(lumber::JournaldHandler::DEFAULT_SOCKET, "/run/systemd/journal/socket");
    /// ```
    pub const DEFAULT_SOCKET: &'static str = "/run/systemd/journal/socket";

    /// A handler for the system journal
    /// ([`JournaldHandler::DEFAULT_SOCKET`]), identified by the program's
    /// name. Nothing is opened until the first record.
    ///
    /// ```
    /// use lumber::JournaldHandler;
    /// let h = JournaldHandler::new();
    /// assert_eq!(h.socket_path(), std::path::Path::new("/run/systemd/journal/socket"));
    /// let program = std::env::args().next().unwrap();
    /// assert!(program.ends_with(h.identifier().unwrap()));
    /// ```
    pub fn new() -> JournaldHandler {
        JournaldHandler {
            layout: Layout {
                identifier: program_name(),
                prefix: "".into(),
                constant: Vec::new(),
                priority: entry::default_priority,
            },
            transport: Transport::new(
                PathBuf::from(Self::DEFAULT_SOCKET),
                DEFAULT_TIMEOUT,
                DEFAULT_MAX_DATAGRAM,
            ),
        }
    }

    /// Sends to the journald socket at `path` instead (a journald in a
    /// container, a test instance).
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new().with_socket_path("/run/my-journal/socket");
    /// assert_eq!(h.socket_path(), std::path::Path::new("/run/my-journal/socket"));
    /// ```
    pub fn with_socket_path(mut self, path: impl Into<PathBuf>) -> JournaldHandler {
        self.transport = Transport::new(
            path.into(),
            self.transport.timeout,
            self.transport.max_datagram,
        );
        self
    }

    /// Sends to the journal namespace `namespace` (`systemd-journald@namespace`,
    /// read with `journalctl --namespace=namespace`): its socket is
    /// `/run/systemd/journal.<namespace>/socket`.
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new().with_namespace("audit");
    /// assert_eq!(h.socket_path(), std::path::Path::new("/run/systemd/journal.audit/socket"));
    /// ```
    pub fn with_namespace(self, namespace: &str) -> JournaldHandler {
        self.with_socket_path(format!("/run/systemd/journal.{namespace}/socket"))
    }

    /// Sets `SYSLOG_IDENTIFIER`, what `journalctl` shows before each
    /// message and matches with `-t` (by default the program's name).
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new().with_identifier("billing");
    /// assert_eq!(h.identifier(), Some("billing"));
    /// ```
    pub fn with_identifier(mut self, identifier: impl Into<String>) -> JournaldHandler {
        self.layout.identifier = Some(identifier.into().into_boxed_str());
        self
    }

    /// Puts `prefix` in front of every record field's key before it is
    /// made a journal field name, to keep an application's fields apart
    /// from journald's well-known ones.
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new().with_field_prefix("app_");
    /// assert_eq!(h.field_name("user.id"), "APP_USER_ID");
    /// assert_eq!(h.field_name("message"), "APP_MESSAGE");
    /// ```
    pub fn with_field_prefix(mut self, prefix: &str) -> JournaldHandler {
        self.layout.prefix = prefix.into();
        self
    }

    /// Adds a field to every entry (say `SYSLOG_FACILITY`, or the
    /// service's version). Its name is made valid like a record field's,
    /// without the prefix.
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new()
    ///     .with_field("SYSLOG_FACILITY", 16) // local0
    ///     .with_field("app.version", "1.4.2"); // APP_VERSION=1.4.2
    /// # let _ = h;
    /// ```
    pub fn with_field(mut self, name: &str, value: impl ToValue) -> JournaldHandler {
        let value = entry::render_value(value.to_value());
        self.layout.constant.push((FieldName::new("", name), value));
        self
    }

    /// Replaces the mapping from levels to syslog severities (0–7; larger
    /// numbers are taken as 7). The default is
    /// [`JournaldHandler::syslog_priority`].
    ///
    /// ```
    /// use lumber::{JournaldHandler, Level};
    /// // Everything below ERROR as `notice`:
    /// let h = JournaldHandler::new().with_priority_map(|level| {
    ///     if level < Level::ERROR { 5 } else { JournaldHandler::syslog_priority(level) }
    /// });
    /// # let _ = h;
    /// ```
    pub fn with_priority_map(mut self, map: fn(Level) -> u8) -> JournaldHandler {
        self.layout.priority = map;
        self
    }

    /// How long sending a record may wait when journald's queue is full
    /// (default 2 s, at least 1 ms); past it, the record fails and goes to
    /// the error policy.
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new().with_send_timeout(std::time::Duration::from_millis(200));
    /// # let _ = h;
    /// ```
    pub fn with_send_timeout(mut self, timeout: Duration) -> JournaldHandler {
        let timeout = timeout.max(Duration::from_millis(1));
        self.transport = Transport::new(self.transport.path, timeout, self.transport.max_datagram);
        self
    }

    /// Entries larger than this many bytes go through a memfd without
    /// trying a datagram first (default 128 KiB). Entries the kernel
    /// refuses as a datagram go through a memfd whatever this says; `0`
    /// sends every entry through a memfd.
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new().with_max_datagram(64 * 1024);
    /// # let _ = h;
    /// ```
    pub fn with_max_datagram(mut self, bytes: usize) -> JournaldHandler {
        self.transport = Transport::new(self.transport.path, self.transport.timeout, bytes);
        self
    }

    /// The socket entries are sent to.
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new();
    /// assert_eq!(h.socket_path().to_str(), Some(lumber::JournaldHandler::DEFAULT_SOCKET));
    /// ```
    pub fn socket_path(&self) -> &Path {
        &self.transport.path
    }

    /// The `SYSLOG_IDENTIFIER` sent with each entry, if any (none when the
    /// program's name is unknown; journalctl then shows the command name).
    ///
    /// ```
    /// assert_eq!(lumber::JournaldHandler::new().with_identifier("x").identifier(), Some("x"));
    /// ```
    pub fn identifier(&self) -> Option<&str> {
        self.layout.identifier.as_deref()
    }

    /// Whether a socket exists at [`JournaldHandler::socket_path`]: a quick
    /// check that journald runs here, to pick another handler when it does
    /// not.
    ///
    /// ```
    /// use lumber::{Handler, JournaldHandler, StreamHandler};
    /// let journal = JournaldHandler::new();
    /// let handler = if journal.is_available() { Handler::new(journal) } else { Handler::new(StreamHandler::stderr()) };
    /// # let _ = handler;
    /// ```
    pub fn is_available(&self) -> bool {
        std::fs::metadata(self.socket_path()).is_ok_and(|m| m.file_type().is_socket())
    }

    /// The journal field name a record field's key becomes (see the rules
    /// on [`JournaldHandler`]).
    ///
    /// ```
    /// let h = lumber::JournaldHandler::new();
    /// assert_eq!(h.field_name("user_id"), "USER_ID");
    /// assert_eq!(h.field_name("http.status-code"), "HTTP_STATUS_CODE");
    /// assert_eq!(h.field_name("_private"), "F_PRIVATE");
    /// assert_eq!(h.field_name("2fa"), "F2FA");
    /// assert_eq!(h.field_name("größe"), "GR__E");
    /// assert_eq!(h.field_name("message"), "F_MESSAGE"); // the handler's own field
    /// assert_eq!(h.field_name("message_id"), "MESSAGE_ID"); // journald's, passed through
    /// assert_eq!(h.field_name(&"k".repeat(100)).len(), 64);
    /// ```
    pub fn field_name(&self, key: &str) -> String {
        FieldName::new(&self.layout.prefix, key).as_str().to_owned()
    }

    /// The default mapping from levels to syslog severities, sent as
    /// `PRIORITY`: each standard level to its namesake (CRITICAL → 2
    /// `crit`, ERROR → 3 `err`, WARNING → 4 `warning`, INFO → 6 `info`,
    /// DEBUG and TRACE → 7 `debug`); a level between two standard ones to
    /// the lower one's severity, except that one between INFO and WARNING
    /// (a NOTICE at 25) is 5 `notice`; above CRITICAL stays 2 `crit` (the
    /// same mapping as `SysLogSeverity::from_level`). `alert` and `emerg`
    /// are never used: daemons may broadcast them to every terminal.
    ///
    /// ```
    /// use lumber::{JournaldHandler, Level};
    /// let p = JournaldHandler::syslog_priority;
    /// assert_eq!([p(Level::CRITICAL), p(Level::ERROR), p(Level::WARNING), p(Level::INFO), p(Level::DEBUG)], [2, 3, 4, 6, 7]);
    /// assert_eq!([p(Level::new(25)), p(Level::new(35)), p(Level::new(60)), p(Level::TRACE)], [5, 4, 2, 7]);
    /// ```
    pub fn syslog_priority(level: Level) -> u8 {
        entry::default_priority(level)
    }
}

impl Default for JournaldHandler {
    fn default() -> Self {
        JournaldHandler::new()
    }
}

impl fmt::Debug for JournaldHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JournaldHandler")
            .field("socket", &self.transport.path)
            .field("identifier", &self.layout.identifier)
            .field("prefix", &self.layout.prefix)
            .finish_non_exhaustive()
    }
}

impl Sink for JournaldHandler {
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        with_payload(|payload| {
            self.layout.encode(record, line, payload);
            self.transport.send(payload)
        })
    }

    fn target(&self) -> String {
        self.transport.path.display().to_string()
    }

    fn kind(&self) -> &'static str {
        "JournaldHandler"
    }
}

/// The base name of the program, as `syslog(3)` uses.
fn program_name() -> Option<Box<str>> {
    let arg0 = std::env::args_os().next()?;
    let name = Path::new(&arg0).file_name()?.to_string_lossy();
    (!name.is_empty()).then(|| name.into())
}

/// Buffer capacity kept per thread between records.
const KEEP_CAPACITY: usize = 16 * 1024;

thread_local! {
    static PAYLOAD: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Runs `f` with an empty buffer kept per thread (a fresh one when a
/// handler sends from inside another's send).
fn with_payload<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    let mut buf = PAYLOAD.try_with(Cell::take).unwrap_or_default();
    buf.clear();
    let r = f(&mut buf);
    if buf.capacity() > KEEP_CAPACITY {
        buf = Vec::new();
    }
    let _ = PAYLOAD.try_with(|p| p.set(buf));
    r
}
