//! Getting messages to the daemon: sockets, framing, the backlog of
//! records waiting for a connection, the resend window, reconnection with
//! backoff.
//!
//! Stream transports (TCP, TLS, Unix stream) keep every message written
//! on the current connection in a *resend window* (the last N). Before
//! each write the connection is checked without blocking: if the daemon
//! closed it cleanly (EOF, or a TLS close_notify), everything it had read
//! is known to be safe, and only the messages the peer had not
//! acknowledged (Linux `SIOCOUTQ`) are written again on the next
//! connection; if it was reset, or a write failed, the whole window is
//! written again. So a record is lost only if more than N records were in
//! flight when the connection broke, or if the backlog overflowed.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::message::SysLogFraming;
use super::sys;
#[cfg(feature = "syslog-tls")]
use super::tls;

/// Where messages go.
pub(super) enum Endpoint {
    Udp(String),
    Tcp(String),
    Unix(PathBuf, UnixKind),
    #[cfg(feature = "syslog-tls")]
    Tls(String, tls::Connector),
}

/// Which kind of Unix socket: Python's `socktype`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnixKind {
    /// Datagram, or stream if the socket is one (Python's `None`).
    Auto,
    Datagram,
    Stream,
}

/// Timeouts and bounds.
#[derive(Debug, Clone)]
pub(super) struct Limits {
    pub(super) connect_timeout: Duration,
    pub(super) write_timeout: Duration,
    pub(super) backoff_first: Duration,
    pub(super) backoff_max: Duration,
    pub(super) buffer: usize,
    pub(super) window: usize,
    pub(super) framing: SysLogFraming,
}

enum Conn {
    Udp(UdpSocket),
    Datagram(UnixDatagram),
    Stream(Stream),
}

/// A stream connection and how many bytes were written on it.
struct Stream {
    io: StreamIo,
    written: u64,
}

enum StreamIo {
    Tcp(TcpStream),
    Unix(UnixStream),
    #[cfg(feature = "syslog-tls")]
    Tls(Box<tls::TlsStream>),
}

/// What a non-blocking look at a stream connection found.
pub(super) enum Health {
    Alive,
    /// The peer closed it in an orderly way (EOF, TLS close_notify).
    Closed,
    /// Reset, or any other error.
    Broken(io::Error),
}

/// The connection to the daemon and the messages on their way.
pub(super) struct Link {
    endpoint: Endpoint,
    limits: Limits,
    unix_kind: UnixKind,
    conn: Option<Conn>,
    /// Messages (unframed) not written yet, oldest first.
    backlog: VecDeque<Vec<u8>>,
    /// Messages written on the current stream connection, oldest first,
    /// with the stream offset at which each one ended.
    window: VecDeque<(Vec<u8>, u64)>,
    retry_at: Option<Instant>,
    backoff: Duration,
    /// Records dropped since the daemon was last told.
    dropped: u64,
    /// A record the socket refused as too large (dropped), to report.
    oversize: Option<io::Error>,
    last_error: Option<String>,
    frame: Vec<u8>,
    spare: Vec<Vec<u8>>,
}

const KEEP_SPARE: usize = 8;
const KEEP_CAPACITY: usize = 16 * 1024;

impl Link {
    pub(super) fn new(endpoint: Endpoint, limits: Limits) -> Link {
        let unix_kind = match &endpoint {
            Endpoint::Unix(_, kind) => *kind,
            _ => UnixKind::Auto,
        };
        Link {
            endpoint,
            unix_kind,
            backoff: limits.backoff_first,
            limits,
            conn: None,
            backlog: VecDeque::new(),
            window: VecDeque::new(),
            retry_at: None,
            dropped: 0,
            oversize: None,
            last_error: None,
            frame: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// A cleared buffer for the next message.
    pub(super) fn buffer(&mut self) -> Vec<u8> {
        self.spare.pop().unwrap_or_default()
    }

    fn recycle(&mut self, buf: Vec<u8>) {
        recycle(&mut self.spare, buf);
    }

    /// Connects now if it can; a failure is not an error (the daemon may
    /// start later), records then wait in the backlog.
    pub(super) fn connect_now(&mut self) {
        if self.conn.is_none() {
            match self.connect() {
                Ok(conn) => self.conn = Some(conn),
                Err(e) => self.last_error = Some(e.to_string()),
            }
        }
    }

    /// Sends one message (or queues it until the daemon can be reached).
    pub(super) fn send(&mut self, msg: Vec<u8>) -> io::Result<()> {
        if let Endpoint::Udp(_) = self.endpoint {
            return self.send_udp(msg);
        }
        self.backlog.push_back(msg);
        self.pump(false)
    }

    /// Tries to deliver the backlog now, whatever the backoff says.
    pub(super) fn flush(&mut self) -> io::Result<()> {
        if self.backlog.is_empty() {
            return Ok(());
        }
        self.pump(true)
    }

    /// Flushes, then closes the connection in an orderly way (a TLS
    /// close_notify, then FIN). The next message connects again.
    pub(super) fn close(&mut self) -> io::Result<()> {
        let flushed = self.flush();
        if let Some(Conn::Stream(mut s)) = self.conn.take() {
            s.io.close();
        }
        let window = std::mem::take(&mut self.window);
        for (m, _) in window {
            self.recycle(m);
        }
        flushed
    }

    /// How many records were dropped, once the backlog is delivered and
    /// the daemon can be told: the count is then reset.
    pub(super) fn take_dropped(&mut self) -> Option<u64> {
        if self.dropped > 0 && self.backlog.is_empty() && self.conn.is_some() {
            Some(std::mem::take(&mut self.dropped))
        } else {
            None
        }
    }

    pub(super) fn waiting(&self) -> usize {
        self.backlog.len()
    }

    fn send_udp(&mut self, msg: Vec<u8>) -> io::Result<()> {
        if self.conn.is_none() {
            // Only name resolution can fail here: do not ask the resolver
            // again for every record.
            if self.retry_at.is_some_and(|t| Instant::now() < t) {
                self.recycle(msg);
                let cause = self.last_error.as_deref().unwrap_or("not connected");
                return Err(io::Error::new(
                    io::ErrorKind::NotConnected,
                    format!("{}: {cause}", self.describe()),
                ));
            }
            match self.connect() {
                Ok(conn) => {
                    self.conn = Some(conn);
                    self.retry_at = None;
                    self.backoff = self.limits.backoff_first;
                }
                Err(e) => {
                    self.recycle(msg);
                    self.schedule_retry();
                    self.last_error = Some(e.to_string());
                    return Err(io::Error::new(
                        e.kind(),
                        format!("{}: {e}", self.describe()),
                    ));
                }
            }
        }
        let result = match &self.conn {
            // A refusal reports an ICMP error caused by an earlier
            // datagram; this one was not sent: try once more.
            Some(Conn::Udp(s)) => match s.send(&msg) {
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => s.send(&msg),
                other => other,
            },
            _ => Err(io::Error::other("not a UDP socket")),
        };
        self.recycle(msg);
        result.map(drop)
    }

    /// Writes the backlog, connecting (at most twice) if needed.
    fn pump(&mut self, force: bool) -> io::Result<()> {
        let mut connects = 0;
        let mut failure: Option<io::Error> = None;
        while !self.backlog.is_empty() {
            if self.conn.is_none() {
                let waiting = self.retry_at.is_some_and(|t| Instant::now() < t);
                if waiting && !force {
                    break;
                }
                if connects == 2 {
                    // Connected twice and lost it twice: a daemon that
                    // accepts and hangs up. Give it time.
                    self.schedule_retry();
                    break;
                }
                connects += 1;
                match self.connect() {
                    Ok(conn) => {
                        self.conn = Some(conn);
                        self.retry_at = None;
                        self.backoff = self.limits.backoff_first;
                    }
                    Err(e) => {
                        self.schedule_retry();
                        failure = Some(e);
                        break;
                    }
                }
            }
            match self.deliver() {
                Ok(()) => failure = None,
                Err(e) => {
                    // A timeout means a daemon that does not read: back
                    // off. Anything else may be a restart: reconnect now.
                    let stuck = matches!(
                        e.kind(),
                        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                    );
                    failure = Some(e);
                    if stuck {
                        self.schedule_retry();
                        break;
                    }
                }
            }
        }
        if let Some(e) = &failure {
            self.last_error = Some(e.to_string());
        }
        let dropped = self.trim_backlog();
        if let Some(e) = self.oversize.take() {
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{}: a record larger than the socket takes was dropped \
                     (lower max_message_size): {e}",
                    self.describe()
                ),
            ));
        }
        if self.backlog.is_empty() && dropped == 0 {
            return Ok(());
        }
        let cause = failure
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| self.last_error.clone())
            .unwrap_or_else(|| "not connected".to_owned());
        let mut text = format!("{}: {cause}", self.describe());
        if !self.backlog.is_empty() {
            text.push_str(&format!("; {} waiting", records(self.backlog.len() as u64)));
        }
        if dropped > 0 {
            text.push_str(&format!(
                "; {} dropped (the buffer holds {})",
                records(dropped),
                self.limits.buffer
            ));
        }
        let kind = failure.map_or(io::ErrorKind::NotConnected, |e| e.kind());
        Err(io::Error::new(kind, text))
    }

    /// Drops the oldest records beyond the buffer's bound; returns how many.
    fn trim_backlog(&mut self) -> u64 {
        let mut dropped = 0;
        while self.backlog.len() > self.limits.buffer {
            if let Some(m) = self.backlog.pop_front() {
                self.recycle(m);
            }
            dropped += 1;
        }
        self.dropped += dropped;
        dropped
    }

    fn schedule_retry(&mut self) {
        self.retry_at = Some(Instant::now() + self.backoff);
        self.backoff = (self.backoff * 2).min(self.limits.backoff_max);
    }

    /// Writes the backlog on the current connection; on failure the
    /// connection is dropped and what may not have arrived goes back to
    /// the backlog.
    fn deliver(&mut self) -> io::Result<()> {
        match self.conn.as_mut() {
            None => Ok(()),
            Some(Conn::Udp(_)) => Ok(()),
            Some(Conn::Datagram(sock)) => {
                while let Some(msg) = self.backlog.front() {
                    if let Err(e) = sock.send(msg) {
                        if e.raw_os_error() == Some(libc::EMSGSIZE) {
                            // It will never fit: drop it, not the link.
                            if let Some(m) = self.backlog.pop_front() {
                                recycle(&mut self.spare, m);
                            }
                            self.dropped += 1;
                            self.oversize = Some(e);
                            continue;
                        }
                        self.conn = None;
                        return Err(e);
                    }
                    if let Some(m) = self.backlog.pop_front() {
                        recycle(&mut self.spare, m);
                    }
                }
                Ok(())
            }
            Some(Conn::Stream(stream)) => {
                match stream.health() {
                    Health::Alive => {}
                    Health::Closed => {
                        self.broken(true);
                        return Err(io::Error::new(
                            io::ErrorKind::ConnectionAborted,
                            "connection closed by the daemon",
                        ));
                    }
                    Health::Broken(e) => {
                        self.broken(false);
                        return Err(e);
                    }
                }
                // Everything written to a Unix stream was read: nothing
                // in the window needs writing again.
                if let StreamIo::Unix(s) = &stream.io
                    && sys::unacknowledged(s) == Some(0)
                {
                    for (m, _) in self.window.drain(..) {
                        recycle(&mut self.spare, m);
                    }
                }
                while let Some(msg) = self.backlog.front() {
                    frame(msg, self.limits.framing, &mut self.frame);
                    match stream.write(&self.frame) {
                        Ok(end) => {
                            if let Some(m) = self.backlog.pop_front() {
                                self.window.push_back((m, end));
                            }
                            while self.window.len() > self.limits.window {
                                if let Some((m, _)) = self.window.pop_front() {
                                    recycle(&mut self.spare, m);
                                }
                            }
                        }
                        Err(e) => {
                            self.broken(false);
                            return Err(e);
                        }
                    }
                }
                if self.frame.capacity() > KEEP_CAPACITY {
                    self.frame = Vec::new();
                }
                Ok(())
            }
        }
    }

    /// Drops a broken stream connection. After an orderly close, the
    /// messages the peer acknowledged were read by the daemon (a daemon
    /// that exits with unread data resets the connection instead); the
    /// others, and after a reset the whole window, go back to the front
    /// of the backlog.
    fn broken(&mut self, orderly: bool) {
        let safe_up_to = match self.conn.take() {
            Some(Conn::Stream(s)) if orderly => {
                s.io.unacknowledged()
                    .map_or(0, |n| s.written.saturating_sub(n))
            }
            _ => 0,
        };
        let window = std::mem::take(&mut self.window);
        let mut again = Vec::new();
        for (m, end) in window {
            if end > safe_up_to {
                again.push(m);
            } else {
                self.recycle(m);
            }
        }
        for m in again.into_iter().rev() {
            self.backlog.push_front(m);
        }
    }

    fn connect(&mut self) -> io::Result<Conn> {
        let limits = &self.limits;
        match &self.endpoint {
            Endpoint::Udp(addr) => {
                let mut last = None;
                for a in resolve(addr)? {
                    let local: SocketAddr = if a.is_ipv4() {
                        ([0, 0, 0, 0], 0).into()
                    } else {
                        ([0u16; 8], 0).into()
                    };
                    let r = UdpSocket::bind(local).and_then(|s| {
                        s.connect(a)?;
                        s.set_write_timeout(Some(limits.write_timeout))?;
                        Ok(s)
                    });
                    match r {
                        Ok(s) => return Ok(Conn::Udp(s)),
                        Err(e) => last = Some(e),
                    }
                }
                Err(last.unwrap_or_else(|| no_address(addr)))
            }
            Endpoint::Tcp(addr) => {
                let s = tcp_connect(addr, limits)?;
                Ok(Conn::Stream(Stream::new(StreamIo::Tcp(s))))
            }
            #[cfg(feature = "syslog-tls")]
            Endpoint::Tls(addr, connector) => {
                let s = tcp_connect(addr, limits)?;
                let t = connector.handshake(s, limits.connect_timeout)?;
                Ok(Conn::Stream(Stream::new(StreamIo::Tls(Box::new(t)))))
            }
            Endpoint::Unix(path, _) => {
                let datagram = || -> io::Result<Conn> {
                    let s = UnixDatagram::unbound()?;
                    s.connect(path)?;
                    s.set_write_timeout(Some(limits.write_timeout))?;
                    Ok(Conn::Datagram(s))
                };
                let stream = || -> io::Result<Conn> {
                    let s = UnixStream::connect(path)?;
                    s.set_write_timeout(Some(limits.write_timeout))?;
                    Ok(Conn::Stream(Stream::new(StreamIo::Unix(s))))
                };
                match self.unix_kind {
                    UnixKind::Datagram => datagram(),
                    UnixKind::Stream => stream(),
                    UnixKind::Auto => match datagram() {
                        Ok(c) => {
                            self.unix_kind = UnixKind::Datagram;
                            Ok(c)
                        }
                        // A stream socket refuses a datagram peer.
                        Err(e) if e.raw_os_error() == Some(libc::EPROTOTYPE) => {
                            let c = stream()?;
                            self.unix_kind = UnixKind::Stream;
                            Ok(c)
                        }
                        Err(e) => Err(e),
                    },
                }
            }
        }
    }

    fn describe(&self) -> String {
        describe(&self.endpoint)
    }
}

/// `1 record`, `2 records`.
pub(super) fn records(n: u64) -> String {
    if n == 1 {
        "1 record".to_owned()
    } else {
        format!("{n} records")
    }
}

fn recycle(spare: &mut Vec<Vec<u8>>, mut buf: Vec<u8>) {
    if spare.len() < KEEP_SPARE && buf.capacity() <= KEEP_CAPACITY {
        buf.clear();
        spare.push(buf);
    }
}

/// `udp://host:port`, `unix:/dev/log`, ...
pub(super) fn describe(endpoint: &Endpoint) -> String {
    match endpoint {
        Endpoint::Udp(a) => format!("udp://{a}"),
        Endpoint::Tcp(a) => format!("tcp://{a}"),
        #[cfg(feature = "syslog-tls")]
        Endpoint::Tls(a, _) => format!("tls://{a}"),
        Endpoint::Unix(p, _) => format!("unix:{}", p.display()),
    }
}

/// The bytes of one message on a stream: RFC 6587 framing.
fn frame(msg: &[u8], framing: SysLogFraming, out: &mut Vec<u8>) {
    out.clear();
    match framing {
        SysLogFraming::OctetCounting => {
            let _ = write!(out, "{} ", msg.len());
            out.extend_from_slice(msg);
        }
        SysLogFraming::NonTransparent => {
            out.extend_from_slice(msg);
            out.push(b'\n');
        }
    }
}

fn resolve(addr: &str) -> io::Result<Vec<SocketAddr>> {
    Ok(addr.to_socket_addrs()?.collect())
}

fn no_address(addr: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{addr} resolves to no address"),
    )
}

fn tcp_connect(addr: &str, limits: &Limits) -> io::Result<TcpStream> {
    let mut last = None;
    for a in resolve(addr)? {
        match TcpStream::connect_timeout(&a, limits.connect_timeout) {
            Ok(s) => {
                s.set_write_timeout(Some(limits.write_timeout))?;
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| no_address(addr)))
}

impl Stream {
    fn new(io: StreamIo) -> Stream {
        Stream { io, written: 0 }
    }

    /// Writes a whole frame; returns the stream offset where it ends.
    fn write(&mut self, frame: &[u8]) -> io::Result<u64> {
        let n = match &mut self.io {
            StreamIo::Tcp(s) => s.write_all(frame).map(|()| frame.len() as u64)?,
            StreamIo::Unix(s) => s.write_all(frame).map(|()| frame.len() as u64)?,
            #[cfg(feature = "syslog-tls")]
            StreamIo::Tls(t) => t.write(frame)?,
        };
        self.written += n;
        Ok(self.written)
    }

    /// Looks, without blocking, whether the peer closed or reset the
    /// connection. Anything the daemon sent is read and ignored.
    fn health(&mut self) -> Health {
        let pending = match &self.io {
            StreamIo::Tcp(s) => s.take_error(),
            StreamIo::Unix(s) => s.take_error(),
            #[cfg(feature = "syslog-tls")]
            StreamIo::Tls(t) => t.socket().take_error(),
        };
        match pending {
            Ok(None) => {}
            Ok(Some(e)) | Err(e) => return Health::Broken(e),
        }
        match &mut self.io {
            StreamIo::Tcp(s) => probe(s),
            StreamIo::Unix(s) => probe(s),
            #[cfg(feature = "syslog-tls")]
            StreamIo::Tls(t) => t.probe(),
        }
    }
}

impl StreamIo {
    fn unacknowledged(&self) -> Option<u64> {
        match self {
            StreamIo::Tcp(s) => sys::unacknowledged(s),
            // A Unix peer that exits with unread data resets the
            // connection, and its queue is freed: the count is then 0.
            StreamIo::Unix(s) => sys::unacknowledged(s),
            #[cfg(feature = "syslog-tls")]
            StreamIo::Tls(t) => sys::unacknowledged(t.socket()),
        }
    }

    fn close(&mut self) {
        match self {
            StreamIo::Tcp(s) => {
                let _ = s.shutdown(std::net::Shutdown::Write);
            }
            StreamIo::Unix(s) => {
                let _ = s.shutdown(std::net::Shutdown::Write);
            }
            #[cfg(feature = "syslog-tls")]
            StreamIo::Tls(t) => t.close(),
        }
    }
}

/// Health of a plain stream socket.
fn probe(socket: &impl std::os::fd::AsRawFd) -> Health {
    let mut buf = [0u8; 512];
    // Bounded: a peer that keeps talking is read a little at a time.
    for _ in 0..8 {
        match sys::recv_nonblocking(socket, &mut buf) {
            Ok(0) => return Health::Closed,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Health::Alive,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Health::Broken(e),
        }
    }
    Health::Alive
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::os::unix::net::UnixListener;

    fn limits() -> Limits {
        Limits {
            connect_timeout: Duration::from_secs(1),
            write_timeout: Duration::from_secs(1),
            backoff_first: Duration::from_millis(10),
            backoff_max: Duration::from_millis(40),
            buffer: 4,
            window: 8,
            framing: SysLogFraming::OctetCounting,
        }
    }

    fn temp(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("lumber-syslog-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        p
    }

    #[test]
    fn octet_counting_and_lf_frames() {
        let mut out = Vec::new();
        frame(b"<13>hi", SysLogFraming::OctetCounting, &mut out);
        assert_eq!(out, b"6 <13>hi");
        frame(b"<13>hi", SysLogFraming::NonTransparent, &mut out);
        assert_eq!(out, b"<13>hi\n");
    }

    #[test]
    fn a_daemon_that_is_down_gets_the_backlog_later_and_overflow_is_counted() {
        let path = temp("late.sock");
        let mut link = Link::new(Endpoint::Unix(path.clone(), UnixKind::Datagram), limits());
        for i in 0..6 {
            let e = link.send(format!("m{i}").into_bytes()).unwrap_err();
            assert!(e.to_string().contains("unix:"), "{e}");
        }
        assert_eq!(link.waiting(), 4);
        assert_eq!(link.dropped, 2);
        let daemon = UnixDatagram::bind(&path).unwrap();
        link.flush().unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        for _ in 0..4 {
            let n = daemon.recv(&mut buf).unwrap();
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        assert_eq!(got, ["m2", "m3", "m4", "m5"]);
        assert_eq!(link.take_dropped(), Some(2));
        assert_eq!(link.take_dropped(), None);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn auto_unix_falls_back_to_stream_like_python() {
        let path = temp("auto.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let mut link = Link::new(Endpoint::Unix(path.clone(), UnixKind::Auto), limits());
        link.send(b"<13>one".to_vec()).unwrap();
        assert_eq!(link.unix_kind, UnixKind::Stream);
        let (mut peer, _) = listener.accept().unwrap();
        let mut buf = [0u8; 9];
        peer.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"7 <13>one");
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn an_orderly_close_resends_nothing_a_reset_resends_the_window() {
        let path = temp("restart.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let mut link = Link::new(Endpoint::Unix(path.clone(), UnixKind::Stream), limits());
        link.send(b"a".to_vec()).unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        let mut buf = [0u8; 3];
        peer.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"1 a");
        drop(peer); // read everything, then closed: orderly
        link.send(b"b".to_vec()).unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        peer.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"1 b", "a must not be sent twice");
        link.send(b"c".to_vec()).unwrap();
        // Closed with "c" unread: the peer's kernel resets the connection.
        // (A write on a Unix stream socket lands in the peer's receive
        // queue before `send` returns, so "c" is there already.)
        drop(peer);
        link.send(b"d".to_vec()).unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        let mut buf = [0u8; 6];
        peer.read_exact(&mut buf).unwrap();
        assert_eq!(
            &buf[..6],
            b"1 c1 d",
            "what was not read is written again after a reset"
        );
        let _ = std::fs::remove_file(&path);
    }
}
