//! [`SysLogBuilder`]: the options of a [`SysLogHandler`], checked once
//! when it is built.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

#[cfg(feature = "syslog-tls")]
use super::SysLogTls;
use super::message::{self, DEFAULT_SD_ID, Layout, Scratch, SeverityMap};
use super::transport::{self, Endpoint, Limits, Link, UnixKind};
use super::{State, SysLogFacility, SysLogFormat, SysLogFraming, SysLogHandler, SysLogSeverity};
use crate::level::Level;

pub(super) enum Spec {
    Udp(String),
    Tcp(String),
    Unix(PathBuf, UnixKind),
    #[cfg(feature = "syslog-tls")]
    Tls(String, SysLogTls),
}

/// A header field: the default, a value, or none.
#[derive(Debug, Clone)]
enum Field {
    Default,
    Set(String),
}

/// How to build a [`SysLogHandler`]; made by [`SysLogHandler::udp`],
/// [`SysLogHandler::tcp`], `SysLogHandler::tls` (feature `syslog-tls`),
/// [`SysLogHandler::unix`] and their kin.
///
/// ```
/// use std::time::Duration;
/// use lumber::{Level, SysLogFacility, SysLogFormat, SysLogHandler, SysLogSeverity};
/// let h = SysLogHandler::tcp("127.0.0.1:6514")
///     .format(SysLogFormat::Rfc5424)
///     .facility(SysLogFacility::Local3)
///     .severity_map(SysLogSeverity::python)  // exactly Python's mapPriority
///     .app_name("billing")
///     .msgid_field("event")                  // a record's `event` field is its MSGID
///     .structured_data_id("billing@32473")
///     .max_message_size(64 * 1024)
///     .connect_timeout(Duration::from_millis(500))
///     .buffer(10_000)
///     .build()?;                             // does not fail if nobody listens yet
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct SysLogBuilder {
    spec: Spec,
    format: Option<SysLogFormat>,
    facility: SysLogFacility,
    severity: SeverityMap,
    hostname: Field,
    app_name: Field,
    procid: Field,
    msgid: String,
    msgid_field: Option<String>,
    sd_id: Option<String>,
    context: bool,
    bom: bool,
    ident: String,
    append_nul: bool,
    max_size: Option<usize>,
    limits: Limits,
}

impl SysLogBuilder {
    pub(super) fn new(spec: Spec) -> SysLogBuilder {
        SysLogBuilder {
            spec,
            format: None,
            facility: SysLogFacility::User,
            severity: Arc::new(SysLogSeverity::from_level),
            hostname: Field::Default,
            app_name: Field::Default,
            procid: Field::Default,
            msgid: String::new(),
            msgid_field: None,
            sd_id: Some(DEFAULT_SD_ID.to_owned()),
            context: true,
            bom: false,
            ident: String::new(),
            append_nul: true,
            max_size: None,
            limits: Limits {
                connect_timeout: Duration::from_secs(2),
                write_timeout: Duration::from_secs(2),
                backoff_first: Duration::from_millis(100),
                backoff_max: Duration::from_secs(10),
                buffer: 1024,
                window: 256,
                framing: SysLogFraming::OctetCounting,
            },
        }
    }

    /// The message format (default: RFC 5424 over the network, RFC 3164
    /// on Unix sockets).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogFormat, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string())
    ///     .format(SysLogFormat::Rfc3164).hostname("web1").app_name("api").procid("9").build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "up")?;
    /// assert!(recv().ends_with(" web1 api[9]: up"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn format(mut self, format: SysLogFormat) -> SysLogBuilder {
        self.format = Some(format);
        self
    }

    /// The facility (default `user`, as in Python).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogFacility, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).facility("mail".parse().unwrap()).build()?;
    /// h.emit(&Record::new("x", Level::ERROR, Message::Str("")), "bounced")?;
    /// assert!(recv().starts_with("<19>1 ")); // mail (2) * 8 + err (3)
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn facility(mut self, facility: SysLogFacility) -> SysLogBuilder {
        self.facility = facility;
        self
    }

    /// How a record's level becomes a severity (default
    /// [`SysLogSeverity::from_level`]; [`SysLogSeverity::python`] is
    /// Python's `mapPriority`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler, SysLogSeverity};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string())
    ///     .severity_map(|level| if level >= Level::ERROR { SysLogSeverity::Alert } else { SysLogSeverity::Info })
    ///     .build()?;
    /// h.emit(&Record::new("x", Level::ERROR, Message::Str("")), "paging")?;
    /// assert!(recv().starts_with("<9>1 ")); // user (1) * 8 + alert (1)
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn severity_map(
        mut self,
        map: impl Fn(Level) -> SysLogSeverity + Send + Sync + 'static,
    ) -> SysLogBuilder {
        self.severity = Arc::new(map);
        self
    }

    /// The HOSTNAME (default: this machine's name; none in RFC 3164 on a
    /// Unix socket). Empty: none (`-` in RFC 5424, left out in RFC 3164).
    /// Printable ASCII, at most 255 bytes; other characters become `_`.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).hostname("db7.example.com").app_name("pg").build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "ok")?;
    /// assert!(recv().contains(" db7.example.com pg "));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn hostname(mut self, hostname: &str) -> SysLogBuilder {
        self.hostname = Field::Set(hostname.to_owned());
        self
    }

    /// The APP-NAME, RFC 3164's tag (default: the program's file name).
    /// Empty: none. Printable ASCII, at most 48 bytes (and in RFC 3164
    /// without `:`, `[`, `]`); other characters become `_`.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).hostname("h").app_name("my app").procid("1").build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "ok")?;
    /// assert!(recv().contains(" h my_app 1 - "));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn app_name(mut self, app_name: &str) -> SysLogBuilder {
        self.app_name = Field::Set(app_name.to_owned());
        self
    }

    /// The PROCID (default: the process id). Empty: none.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).hostname("h").app_name("a").procid("").build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "ok")?;
    /// assert!(recv().contains(" h a - - - ok"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn procid(mut self, procid: &str) -> SysLogBuilder {
        self.procid = Field::Set(procid.to_owned());
        self
    }

    /// The MSGID of every record (default: none, `-`). Printable ASCII,
    /// at most 32 bytes. RFC 5424 only.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).procid("1").msgid("AUDIT").build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "ok")?;
    /// assert!(recv().ends_with(" 1 AUDIT - ok"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn msgid(mut self, msgid: &str) -> SysLogBuilder {
        self.msgid = msgid.to_owned();
        self
    }

    /// Takes each record's MSGID from its field `name` when it has one
    /// (the field is then not repeated in the structured data); records
    /// without it get [`SysLogBuilder::msgid`].
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler, Value};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).procid("1").msgid_field("event").build()?;
    /// let fields = [("event", Value::from("LOGIN")), ("user", Value::from("ann"))];
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")).with_fields(&fields), "welcome")?;
    /// assert!(recv().ends_with(r#" 1 LOGIN [lumber@32473 user="ann"] welcome"#));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn msgid_field(mut self, name: &str) -> SysLogBuilder {
        self.msgid_field = Some(name.to_owned());
        self
    }

    /// The SD-ID under which the record's fields go (default
    /// `lumber@32473`: 32473 is the example Private Enterprise Number
    /// of RFC 5612; use your organization's). At most 32 printable ASCII
    /// characters without `=`, space, `]` or `"`, and with an `@` (names
    /// without one are IANA's). RFC 5424 only.
    ///
    /// Each field becomes a PARAM-NAME (at most 32 printable ASCII
    /// characters; others become `_`) and its value a PARAM-VALUE with
    /// `"`, `\` and `]` escaped; only the first field of a name is sent
    /// (call-site fields, then bound fields, then the context).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler, Value};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).structured_data_id("shop@32473").build()?;
    /// let fields = [("path", Value::from(r#"C:\"x"]"#))];
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")).with_fields(&fields), "saved")?;
    /// assert!(recv().ends_with(r#" [shop@32473 path="C:\\\"x\"\]"] saved"#));
    /// assert!(SysLogHandler::udp("127.0.0.1:514").structured_data_id("no at sign").build().is_err());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn structured_data_id(mut self, sd_id: &str) -> SysLogBuilder {
        self.sd_id = Some(sd_id.to_owned());
        self
    }

    /// Whether record fields are sent as structured data (default: yes);
    /// without, the STRUCTURED-DATA is always `-`.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler, Value};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).structured_data(false).build()?;
    /// let fields = [("user", Value::from("ann"))];
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")).with_fields(&fields), "hi")?;
    /// assert!(recv().ends_with(" - - hi"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn structured_data(mut self, enabled: bool) -> SysLogBuilder {
        if !enabled {
            self.sd_id = None;
        } else if self.sd_id.is_none() {
            self.sd_id = Some(DEFAULT_SD_ID.to_owned());
        }
        self
    }

    /// Whether the scoped context's fields ([`crate::push_context`]) go
    /// into the structured data too (default: yes).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler, Value};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).context(false).build()?;
    /// let _scope = lumber::push_context(lumber::fields!(request = 42));
    /// let ctx = lumber::current_context();
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")).with_context(ctx.as_ref()), "hi")?;
    /// assert!(recv().ends_with(" - - hi"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn context(mut self, enabled: bool) -> SysLogBuilder {
        self.context = enabled;
        self
    }

    /// Starts RFC 5424 messages with a UTF-8 byte order mark, which RFC
    /// 5424 asks for to mark a message as UTF-8 (default: no, as
    /// `logger(1)` and most senders do; rsyslog keeps the mark at the
    /// start of `msg`).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).bom(true).build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "grüße")?;
    /// assert!(recv().ends_with(" - - \u{feff}grüße"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn bom(mut self, bom: bool) -> SysLogBuilder {
        self.bom = bom;
        self
    }

    /// Python's `ident`: text put before each message in the Python
    /// format (`"myapp: "` makes `myapp` the tag a daemon sees).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogFormat, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string())
    ///     .format(SysLogFormat::Python).ident("myapp: ").build()?;
    /// h.emit(&Record::new("x", Level::WARNING, Message::Str("")), "careful")?;
    /// assert_eq!(recv(), "<12>myapp: careful\0");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn ident(mut self, ident: &str) -> SysLogBuilder {
        self.ident = ident.to_owned();
        self
    }

    /// Python's `append_nul`: end each message of the Python format with
    /// a NUL byte (default: yes, as Python does).
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogFormat, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string())
    ///     .format(SysLogFormat::Python).append_nul(false).build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "plain")?;
    /// assert_eq!(recv(), "<14>plain");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn append_nul(mut self, append_nul: bool) -> SysLogBuilder {
        self.append_nul = append_nul;
        self
    }

    /// The largest message, in bytes, framing aside; longer ones are cut
    /// at a UTF-8 character boundary (structured data that alone would
    /// not fit is left out instead). Default: 2048 on UDP (what RFC 5424
    /// and RFC 5426 say every receiver should accept), 8192 otherwise
    /// (rsyslog's default `maxMessageSize`; raise both together). At
    /// least 64; on UDP at most 65507.
    ///
    /// ```
    /// # use lumber::{Level, Message, Record, Sink, SysLogFormat, SysLogHandler};
    /// # let daemon = std::net::UdpSocket::bind("127.0.0.1:0")?;
    /// # let recv = || { let mut b = [0; 512]; let n = daemon.recv(&mut b).unwrap(); String::from_utf8_lossy(&b[..n]).into_owned() };
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string())
    ///     .format(SysLogFormat::Python).append_nul(false).max_message_size(64).build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), &"é".repeat(100))?;
    /// assert_eq!(recv(), format!("<14>{}", "é".repeat(30))); // 4 + 60 bytes
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn max_message_size(mut self, bytes: usize) -> SysLogBuilder {
        self.max_size = Some(bytes);
        self
    }

    /// How records are delimited on TCP, TLS and Unix stream sockets
    /// (default: octet counting).
    ///
    /// ```
    /// use lumber::{SysLogFraming, SysLogHandler};
    /// let h = SysLogHandler::tcp("127.0.0.1:514").framing(SysLogFraming::NonTransparent);
    /// # let _ = h;
    /// ```
    pub fn framing(mut self, framing: SysLogFraming) -> SysLogBuilder {
        self.limits.framing = framing;
        self
    }

    /// How long connecting (TCP connect plus the TLS handshake) may take
    /// (default 2 s). Name resolution is not bounded by it.
    ///
    /// ```
    /// let h = lumber::SysLogHandler::tcp("127.0.0.1:514").connect_timeout(std::time::Duration::from_millis(250));
    /// # let _ = h;
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> SysLogBuilder {
        self.limits.connect_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long one write may block (default 2 s); a daemon that does not
    /// read for that long is treated as gone: its connection is dropped
    /// and records wait for the next one.
    ///
    /// ```
    /// let h = lumber::SysLogHandler::tcp("127.0.0.1:514").write_timeout(std::time::Duration::from_millis(500));
    /// # let _ = h;
    /// ```
    pub fn write_timeout(mut self, timeout: Duration) -> SysLogBuilder {
        self.limits.write_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long to wait before trying an unreachable daemon again: `first`,
    /// doubled after each failure up to `max` (default 100 ms to 10 s).
    /// Records logged meanwhile wait in the buffer.
    ///
    /// ```
    /// use std::time::Duration;
    /// let h = lumber::SysLogHandler::tcp("127.0.0.1:514").reconnect_backoff(Duration::from_millis(50), Duration::from_secs(1));
    /// # let _ = h;
    /// ```
    pub fn reconnect_backoff(mut self, first: Duration, max: Duration) -> SysLogBuilder {
        self.limits.backoff_first = first;
        self.limits.backoff_max = max.max(first);
        self
    }

    /// How many records may wait for an unreachable daemon (default
    /// 1024; 0 drops them at once). Beyond, the oldest are dropped, the
    /// error policy is told, and the daemon gets a warning with the count
    /// once it is back. Not used on UDP.
    ///
    /// ```
    /// use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-syslog-buffer-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let h = SysLogHandler::unix_datagram(&path).buffer(2).build()?; // nobody listens
    /// for i in 0..5 {
    ///     let _ = h.emit(&Record::new("x", Level::INFO, Message::Str("")), &format!("{i}"));
    /// }
    /// assert_eq!(h.waiting(), 2);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn buffer(mut self, records: usize) -> SysLogBuilder {
        self.limits.buffer = records;
        self
    }

    /// How many of the last records written on a stream connection are
    /// kept to be written again if the connection breaks (default 256;
    /// see "Delivery" on [`SysLogHandler`]). Not used on datagram
    /// transports.
    ///
    /// ```
    /// let h = lumber::SysLogHandler::tcp("127.0.0.1:514").resend_window(1000);
    /// # let _ = h;
    /// ```
    pub fn resend_window(mut self, records: usize) -> SysLogBuilder {
        self.limits.window = records;
        self
    }

    /// Makes the handler, and connects if the daemon is there (if it is
    /// not, records wait until it is). Fails on a bad address, a bad
    /// SD-ID, a size limit out of range, or a bad TLS server name.
    ///
    /// ```
    /// use lumber::SysLogHandler;
    /// assert!(SysLogHandler::udp("127.0.0.1:514").build().is_ok());
    /// assert!(SysLogHandler::udp("127.0.0.1").build().is_err()); // no port
    /// assert!(SysLogHandler::udp("127.0.0.1:514").max_message_size(70_000).build().is_err());
    /// ```
    pub fn build(self) -> io::Result<SysLogHandler> {
        let bad = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
        if let Some(id) = &self.sd_id {
            validate_sd_id(id).map_err(bad)?;
        }
        let (endpoint, network) = match self.spec {
            Spec::Udp(a) => (Endpoint::Udp(check_addr(a)?), true),
            Spec::Tcp(a) => (Endpoint::Tcp(check_addr(a)?), true),
            Spec::Unix(p, kind) => (Endpoint::Unix(p, kind), false),
            #[cfg(feature = "syslog-tls")]
            Spec::Tls(a, tls) => {
                let a = check_addr(a)?;
                let connector = tls.connector(&a)?;
                (Endpoint::Tls(a, connector), true)
            }
        };
        let udp = matches!(endpoint, Endpoint::Udp(_));
        let datagram = udp || matches!(endpoint, Endpoint::Unix(_, UnixKind::Datagram));
        let max_size = self.max_size.unwrap_or(if udp { 2048 } else { 8192 });
        if max_size < 64 || (udp && max_size > 65_507) {
            return Err(bad(format!(
                "max_message_size {max_size} is out of range (64..={})",
                if udp { 65_507 } else { usize::MAX }
            )));
        }
        let format = self.format.unwrap_or(if network {
            SysLogFormat::Rfc5424
        } else {
            SysLogFormat::Rfc3164
        });
        let rfc3164 = format == SysLogFormat::Rfc3164;
        let clean = |s: &str, max: usize| {
            let s = if rfc3164 {
                message::sanitize_tag(s, max)
            } else {
                message::sanitize_header(s, max)
            };
            (!s.is_empty() && s != "-").then_some(s)
        };
        let hostname = match &self.hostname {
            Field::Set(h) => clean(h, 255),
            Field::Default if rfc3164 && !network => None,
            Field::Default => local_hostname().and_then(|h| clean(h, 255)),
        };
        let app_name = match &self.app_name {
            Field::Set(a) => clean(a, 48),
            Field::Default => program_name().and_then(|a| clean(&a, 48)),
        };
        let procid = match &self.procid {
            Field::Set(p) => clean(p, 128),
            Field::Default => Some(std::process::id().to_string()),
        };
        let msgid = Some(message::sanitize_header(&self.msgid, 32)).filter(|m| !m.is_empty());
        let target = transport::describe(&endpoint);
        let layout = Layout {
            format,
            facility: self.facility,
            severity: self.severity,
            hostname,
            app_name,
            procid,
            msgid,
            msgid_field: self.msgid_field,
            sd_id: self.sd_id,
            context: self.context,
            bom: self.bom,
            ident: self.ident,
            append_nul: self.append_nul,
            max_size,
            escape_lf: self.limits.framing == SysLogFraming::NonTransparent && !datagram,
        };
        let mut link = Link::new(endpoint, self.limits);
        link.connect_now();
        Ok(SysLogHandler {
            layout,
            state: Mutex::new(State {
                link,
                scratch: Scratch::default(),
            }),
            target,
        })
    }
}

impl fmt::Debug for SysLogBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SysLogBuilder")
            .field("format", &self.format)
            .field("facility", &self.facility)
            .field("app_name", &self.app_name)
            .field("sd_id", &self.sd_id)
            .field("max_size", &self.max_size)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// An SD-ID: an SD-NAME with an `@` (names without are IANA's).
fn validate_sd_id(id: &str) -> Result<(), String> {
    let ok = (1..=32).contains(&id.len())
        && id.chars().all(message::is_sd_name_char)
        && id
            .split_once('@')
            .is_some_and(|(name, pen)| !name.is_empty() && !pen.is_empty());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "structured data id '{id}' is not name@number: at most 32 printable ASCII \
             characters without '=', ' ', ']' or '\"', and an '@'"
        ))
    }
}

/// `host:port`, `[v6]:port`.
fn check_addr(addr: String) -> io::Result<String> {
    let port = addr
        .rsplit_once(':')
        .map(|(host, port)| (host, port.parse::<u16>()));
    match port {
        Some((host, Ok(_))) if !host.is_empty() => Ok(addr),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("syslog address '{addr}' is not host:port"),
        )),
    }
}

/// This machine's name.
fn local_hostname() -> Option<&'static str> {
    static NAME: OnceLock<Option<String>> = OnceLock::new();
    NAME.get_or_init(|| {
        let from_file = |path: &str| {
            std::fs::read_to_string(path)
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        from_file("/proc/sys/kernel/hostname")
            .or_else(|| from_file("/etc/hostname"))
            .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
    })
    .as_deref()
}

/// The program's file name (`argv[0]`'s last component).
fn program_name() -> Option<String> {
    let arg0 = std::env::args_os().next()?;
    let name = Path::new(&arg0).file_name()?.to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sd_ids() {
        assert!(validate_sd_id("lumber@32473").is_ok());
        assert!(validate_sd_id("a@1").is_ok());
        for bad in [
            "", "lumber", "@1", "a@", "a b@1", "a=b@1", "a]@1", "a\"@1", "é@1",
        ] {
            assert!(validate_sd_id(bad).is_err(), "{bad}");
        }
        assert!(validate_sd_id(&format!("{}@1", "x".repeat(31))).is_err());
    }

    #[test]
    fn addresses() {
        assert!(check_addr("localhost:514".into()).is_ok());
        assert!(check_addr("[::1]:514".into()).is_ok());
        for bad in ["localhost", ":514", "host:port", "host:70000"] {
            assert!(check_addr(bad.into()).is_err(), "{bad}");
        }
    }
}
