//! Python's `SysLogHandler`: records to a syslog daemon, in RFC 5424,
//! RFC 3164 or Python's own format, over UDP, TCP, TLS (RFC 5425) or a
//! Unix socket (`/dev/log`, datagram or stream).
//!
//! Delivery happens on the thread that logs, as in Python, within the
//! handler's timeouts; put a [`crate::QueueHandler`] in front to take the
//! network off that thread.

mod builder;
mod message;
mod priority;
mod sys;
#[cfg(feature = "syslog-tls")]
mod tls;
mod transport;

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

pub use builder::SysLogBuilder;
pub use message::{SysLogFormat, SysLogFraming};
pub use priority::{ParseSysLogError, SysLogFacility, SysLogSeverity};
#[cfg(feature = "syslog-tls")]
pub use tls::SysLogTls;

use builder::Spec;
use message::{Layout, Scratch};
use transport::{Link, UnixKind};

use super::Sink;
use crate::level::Level;
use crate::record::{Message, Record};

/// Sends records to a syslog daemon: Python's
/// `logging.handlers.SysLogHandler`, with RFC 5424 and RFC 3164 besides
/// Python's own format, TCP and TLS besides UDP and Unix sockets, and a
/// bounded buffer that carries records across a daemon restart.
///
/// Made by a builder named after the transport: [`SysLogHandler::udp`],
/// [`SysLogHandler::tcp`], `SysLogHandler::tls` (feature `syslog-tls`),
/// [`SysLogHandler::unix`] (and [`SysLogHandler::local`] for
/// `/dev/log`).
///
/// The message is the handler's formatter's output (`%(message)s` by
/// default); the header around it comes from the record and the builder:
///
/// - **PRI**: the facility ([`SysLogBuilder::facility`], `user` by default)
///   and the record's severity, Python's map for the standard levels and
///   by range for the others ([`SysLogSeverity::from_level`]).
/// - **RFC 5424** ([`SysLogFormat::Rfc5424`], the default on networks):
///   the record's time in local time with microseconds and offset, the
///   host name, the app-name (the program's name), the procid (the
///   process id), the msgid (`-`, or a fixed one, or a field of each
///   record), and the record's fields as structured data
///   (`[lumber@32473 user="ann"]`, see [`SysLogBuilder::structured_data_id`]).
/// - **RFC 3164** ([`SysLogFormat::Rfc3164`], the default on Unix sockets):
///   `Mmm dd hh:mm:ss host app[pid]: message`, without the host on a Unix
///   socket as `syslog(3)` writes it.
/// - **Python** ([`SysLogFormat::Python`]): `<PRI>ident message\0`, byte
///   for byte what Python sends.
///
/// Messages longer than the size limit are cut at a UTF-8 character
/// boundary ([`SysLogBuilder::max_message_size`]: 2048 bytes on UDP, 8192
/// otherwise).
///
/// ## Delivery
///
/// - **UDP**: one datagram per record, fire and forget; nothing is known
///   about the daemon, so nothing is kept.
/// - **Unix datagram** (`/dev/log`): a record the daemon's socket took is
///   delivered. While the socket is missing or refuses (a daemon
///   restarting), records wait in the buffer and go out, in order, once
///   it is back.
/// - **TCP, TLS, Unix stream**: records go out framed (RFC 6587 octet
///   counting by default). While the daemon cannot be reached they wait
///   in the buffer. Before each write the connection is checked without
///   blocking; when the daemon went away, the handler reconnects and
///   writes again what the daemon may not have read: after an orderly
///   close (a daemon that stops reads what it was sent, then closes),
///   only what its host had not acknowledged (asked of the kernel on
///   Linux; elsewhere, the whole window); after a reset or a failed
///   write, the last [`SysLogBuilder::resend_window`] records. Delivery
///   is therefore *at least once* for the records of the window
///   (duplicates are possible after a reset, never after an orderly
///   close), and the records of the window plus the buffer is what can
///   be in flight when the daemon goes away.
/// - The buffer is bounded ([`SysLogBuilder::buffer`], 1024 records):
///   when it is full the oldest records are dropped, the error policy is
///   told, and once the daemon is back it gets one warning message that
///   says how many were lost.
/// - Nothing blocks for long: connecting and writing have timeouts (2 s
///   each by default) and a daemon that cannot be reached is tried again
///   with an exponential backoff (0.1 s to 10 s) while records wait;
///   [`crate::Handler::flush`] and [`crate::shutdown`] try at once.
///
/// ```
/// use std::os::unix::net::UnixDatagram;
/// use lumber::{Level, SysLogFacility, SysLogHandler};
///
/// # let path = std::env::temp_dir().join(format!("lumber-doc-syslog-handler-{}.sock", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let daemon = UnixDatagram::bind(&path).unwrap(); // stands in for /dev/log
/// let log = lumber::get_logger("doc.syslog");
/// log.add_handler(SysLogHandler::unix(&path).facility(SysLogFacility::Local0).app_name("web").procid("7").build()?);
/// log.error("disk full");
///
/// let mut buf = [0; 512];
/// let n = daemon.recv(&mut buf)?;
/// let got = String::from_utf8_lossy(&buf[..n]);
/// assert!(got.starts_with("<131>"), "{got}"); // local0.err, then the time
/// assert!(got.ends_with(" web[7]: disk full"), "{got}");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct SysLogHandler {
    layout: Layout,
    state: Mutex<State>,
    target: String,
}

struct State {
    link: Link,
    scratch: Scratch,
}

impl SysLogHandler {
    /// To a daemon over UDP (`host:port`; Python's default is
    /// `localhost:514`). RFC 5424 by default, at most 2048 bytes a
    /// message.
    ///
    /// ```
    /// # use std::net::UdpSocket;
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// let daemon = UdpSocket::bind("127.0.0.1:0")?;
    /// let h = SysLogHandler::udp(&daemon.local_addr()?.to_string()).app_name("api").build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "ready")?;
    /// let mut buf = [0; 512];
    /// let n = daemon.recv(&mut buf)?;
    /// let got = String::from_utf8_lossy(&buf[..n]);
    /// assert!(got.starts_with("<14>1 ") && got.contains(" api ") && got.ends_with(" - - ready"), "{got}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn udp(addr: &str) -> SysLogBuilder {
        SysLogBuilder::new(Spec::Udp(addr.to_owned()))
    }

    /// To a daemon over TCP (`host:port`), RFC 6587 octet-counting framing
    /// unless [`SysLogBuilder::framing`] says otherwise.
    ///
    /// ```
    /// # use std::io::Read;
    /// # use std::net::TcpListener;
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// let daemon = TcpListener::bind("127.0.0.1:0")?;
    /// let h = SysLogHandler::tcp(&daemon.local_addr()?.to_string()).app_name("api").build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "two\nlines")?;
    /// let (mut conn, _) = daemon.accept()?;
    /// h.close();
    /// let mut got = String::new();
    /// conn.read_to_string(&mut got)?;
    /// let (len, msg) = got.split_once(' ').unwrap();
    /// assert_eq!(len.parse::<usize>().unwrap(), msg.len());
    /// assert!(msg.ends_with(" - - two\nlines"), "{msg}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn tcp(addr: &str) -> SysLogBuilder {
        SysLogBuilder::new(Spec::Tcp(addr.to_owned()))
    }

    /// To a daemon over TLS (RFC 5425: TCP, octet counting, port 6514 by
    /// convention), trusting and presenting what `tls` says.
    ///
    /// ```no_run
    /// use lumber::{SysLogHandler, SysLogTls};
    /// let h = SysLogHandler::tls("logs.example.com:6514", SysLogTls::from_system_roots()?).build()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[cfg(feature = "syslog-tls")]
    pub fn tls(addr: &str, tls: SysLogTls) -> SysLogBuilder {
        SysLogBuilder::new(Spec::Tls(addr.to_owned(), tls))
    }

    /// To a Unix socket, datagram or stream, whichever it is (Python's
    /// `socktype=None`: datagram first). RFC 3164 without a host name by
    /// default, as `syslog(3)` writes to `/dev/log`.
    ///
    /// ```
    /// # use std::os::unix::net::UnixDatagram;
    /// # use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-syslog-unix-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let daemon = UnixDatagram::bind(&path)?;
    /// let h = SysLogHandler::unix(&path).app_name("cron").procid("").build()?;
    /// h.emit(&Record::new("x", Level::WARNING, Message::Str("")), "late")?;
    /// let mut buf = [0; 512];
    /// let n = daemon.recv(&mut buf)?;
    /// let got = String::from_utf8_lossy(&buf[..n]);
    /// assert!(got.starts_with("<12>") && got.ends_with(" cron: late"), "{got}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unix(path: impl AsRef<Path>) -> SysLogBuilder {
        SysLogBuilder::new(Spec::Unix(path.as_ref().to_path_buf(), UnixKind::Auto))
    }

    /// To a Unix datagram socket (Python's `socktype=SOCK_DGRAM`).
    ///
    /// ```
    /// # use std::os::unix::net::UnixDatagram;
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-syslog-dgram-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let daemon = UnixDatagram::bind(&path)?;
    /// let h = lumber::SysLogHandler::unix_datagram(&path).build()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unix_datagram(path: impl AsRef<Path>) -> SysLogBuilder {
        SysLogBuilder::new(Spec::Unix(path.as_ref().to_path_buf(), UnixKind::Datagram))
    }

    /// To a Unix stream socket (Python's `socktype=SOCK_STREAM`), framed
    /// like TCP.
    ///
    /// ```
    /// # use std::io::Read;
    /// # use std::os::unix::net::UnixListener;
    /// # use lumber::{Level, Message, Record, Sink, SysLogFraming, SysLogHandler};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-syslog-stream-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let daemon = UnixListener::bind(&path)?;
    /// let h = SysLogHandler::unix_stream(&path).framing(SysLogFraming::NonTransparent).build()?;
    /// h.emit(&Record::new("x", Level::INFO, Message::Str("")), "a\nb")?;
    /// h.close();
    /// let mut got = String::new();
    /// daemon.accept()?.0.read_to_string(&mut got)?;
    /// assert!(got.ends_with(": a#012b\n"), "{got}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn unix_stream(path: impl AsRef<Path>) -> SysLogBuilder {
        SysLogBuilder::new(Spec::Unix(path.as_ref().to_path_buf(), UnixKind::Stream))
    }

    /// To the local daemon: `/dev/log` (`/var/run/syslog` on macOS), as
    /// [`SysLogHandler::unix`] does.
    ///
    /// ```no_run
    /// let log = lumber::get_logger("app");
    /// log.add_handler(lumber::SysLogHandler::local().build()?);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn local() -> SysLogBuilder {
        let path = if cfg!(target_os = "macos") {
            "/var/run/syslog"
        } else {
            "/dev/log"
        };
        SysLogHandler::unix(path)
    }

    /// The format it writes.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-syslog-fmt-{}.sock", std::process::id()));
    /// use lumber::{SysLogFormat, SysLogHandler};
    /// assert_eq!(SysLogHandler::unix(&path).build()?.format(), SysLogFormat::Rfc3164);
    /// assert_eq!(SysLogHandler::udp("127.0.0.1:514").build()?.format(), SysLogFormat::Rfc5424);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn format(&self) -> SysLogFormat {
        self.layout.format
    }

    /// How many records wait for the daemon (see [`SysLogBuilder::buffer`]).
    ///
    /// ```
    /// use lumber::{Level, Message, Record, Sink, SysLogHandler};
    /// # let path = std::env::temp_dir().join(format!("lumber-doc-syslog-waiting-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let h = SysLogHandler::unix_datagram(&path).build()?; // nobody listens yet
    /// assert!(h.emit(&Record::new("x", Level::INFO, Message::Str("")), "kept").is_err());
    /// assert_eq!(h.waiting(), 1);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn waiting(&self) -> usize {
        self.lock().link.waiting()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Once the daemon is back, tells it how many records were dropped
    /// while it was not (a WARNING from logger `lumber`).
    fn report_drops(&self, state: &mut State) {
        let State { link, scratch } = state;
        if let Some(n) = link.take_dropped() {
            let text = format!(
                "lumber: {} for {} dropped while it could not be reached",
                transport::records(n),
                self.target
            );
            let notice = Record::new("lumber", Level::WARNING, Message::Str(&text));
            let mut msg = link.buffer();
            self.layout.frame(&notice, &text, scratch, &mut msg);
            let _ = link.send(msg);
        }
    }
}

impl Sink for SysLogHandler {
    fn emit(&self, record: &Record<'_>, line: &str) -> io::Result<()> {
        let mut state = self.lock();
        let State { link, scratch } = &mut *state;
        let mut msg = link.buffer();
        self.layout.frame(record, line, scratch, &mut msg);
        let result = link.send(msg);
        self.report_drops(&mut state);
        result
    }

    fn flush(&self) -> io::Result<()> {
        let mut state = self.lock();
        let result = state.link.flush();
        self.report_drops(&mut state);
        result
    }

    fn close(&self) -> io::Result<()> {
        self.lock().link.close()
    }

    fn target(&self) -> String {
        self.target.clone()
    }
}

impl fmt::Debug for SysLogHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SysLogHandler")
            .field("target", &self.target)
            .field("format", &self.layout.format)
            .field("facility", &self.layout.facility)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_depend_on_the_transport() {
        let h = SysLogHandler::udp("127.0.0.1:9").build().unwrap();
        assert_eq!(h.layout.format, SysLogFormat::Rfc5424);
        assert_eq!(h.layout.max_size, 2048);
        assert_eq!(h.layout.procid, Some(std::process::id().to_string()));
        assert!(h.layout.app_name.is_some());
        assert_eq!(h.target(), "udp://127.0.0.1:9");
        let h = SysLogHandler::unix("/nonexistent/lumber.sock")
            .build()
            .unwrap();
        assert_eq!(h.layout.format, SysLogFormat::Rfc3164);
        assert_eq!(h.layout.hostname, None);
        assert_eq!(h.layout.max_size, 8192);
        assert_eq!(h.target(), "unix:/nonexistent/lumber.sock");
        assert_eq!(h.kind(), "SysLogHandler");
    }
}
