//! Getting an entry to journald: one datagram on its socket, or, for an
//! entry too large for a datagram, a sealed memfd passed over the socket.

use std::io;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The socket, made on first use; where to send and how.
pub(super) struct Transport {
    pub(super) path: PathBuf,
    /// How long a send may wait for room in journald's queue.
    pub(super) timeout: Duration,
    /// Entries larger than this skip the datagram and go in a memfd.
    pub(super) max_datagram: usize,
    socket: OnceLock<UnixDatagram>,
}

impl Transport {
    pub(super) fn new(path: PathBuf, timeout: Duration, max_datagram: usize) -> Transport {
        Transport {
            path,
            timeout,
            max_datagram,
            socket: OnceLock::new(),
        }
    }

    /// Sends one entry (a whole native-protocol payload). Errors say where
    /// journald was expected.
    pub(super) fn send(&self, payload: &[u8]) -> io::Result<()> {
        self.try_send(payload).map_err(|e| self.explain(e))
    }

    fn try_send(&self, payload: &[u8]) -> io::Result<()> {
        let socket = self.socket()?;
        if payload.len() <= self.max_datagram {
            match retry_interrupted(|| socket.send_to(payload, &self.path)) {
                Ok(_) => return Ok(()),
                // Larger than the socket's send buffer: what the memfd is for.
                Err(e) if is_too_large(&e) => {}
                Err(e) => return Err(e),
            }
        }
        send_memfd(socket, &self.path, payload)
    }

    fn socket(&self) -> io::Result<&UnixDatagram> {
        if let Some(socket) = self.socket.get() {
            return Ok(socket);
        }
        let socket = UnixDatagram::unbound()?;
        // A journald that stops reading makes sends block once its queue is
        // full: wait that long, then report, rather than hang the program.
        socket.set_write_timeout(Some(self.timeout))?;
        // Two threads may both get here; one socket is kept, the other
        // closed.
        Ok(self.socket.get_or_init(|| socket))
    }

    fn explain(&self, e: io::Error) -> io::Error {
        let path = self.path.display();
        let text = match e.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => {
                format!("cannot reach journald at {path} (is systemd-journald running?): {e}")
            }
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => format!(
                "journald at {path} did not take the entry within {:?}: {e}",
                self.timeout
            ),
            _ => format!("journald at {path}: {e}"),
        };
        io::Error::new(e.kind(), text)
    }
}

fn retry_interrupted<T>(mut f: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let mut tries = 0;
    loop {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted && tries < 8 => tries += 1,
            other => return other,
        }
    }
}

/// EMSGSIZE, or ENOBUFS, which some kernels return for a datagram larger
/// than the send buffer.
fn is_too_large(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(code) if code == rustix::io::Errno::MSGSIZE.raw_os_error()
            || code == rustix::io::Errno::NOBUFS.raw_os_error()
    )
}

/// Writes the entry into a memfd, seals it (no more writes, no size
/// change, no more seals) so that journald can map it safely, and sends
/// an empty datagram carrying the descriptor.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn send_memfd(socket: &UnixDatagram, path: &Path, payload: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    use std::mem::MaybeUninit;
    use std::os::fd::AsFd as _;

    use rustix::fs::{MemfdFlags, SealFlags};
    use rustix::net::{SendAncillaryBuffer, SendAncillaryMessage, SendFlags, SocketAddrUnix};

    let mut file = std::fs::File::from(sealed_memfd_create()?);
    file.write_all(payload)?;
    rustix::fs::fcntl_add_seals(
        &file,
        SealFlags::SHRINK | SealFlags::GROW | SealFlags::WRITE | SealFlags::SEAL,
    )?;
    let addr = SocketAddrUnix::new(path)?;
    let fds = [file.as_fd()];
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(1))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !control.push(SendAncillaryMessage::ScmRights(&fds)) {
        return Err(io::Error::other("no room to pass the memfd"));
    }
    retry_interrupted(|| {
        rustix::net::sendmsg_addr(socket, &addr, &[], &mut control, SendFlags::empty())
            .map_err(io::Error::from)
    })?;
    return Ok(());

    fn sealed_memfd_create() -> io::Result<std::os::fd::OwnedFd> {
        let flags = MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING;
        Ok(rustix::fs::memfd_create("lumber-journald", flags)?)
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn send_memfd(_: &UnixDatagram, _: &Path, payload: &[u8]) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "an entry of {} bytes needs a memfd, which only Linux has",
            payload.len()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Seek as _};
    use std::mem::MaybeUninit;

    use rustix::fs::SealFlags;
    use rustix::net::{RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags};

    /// A datagram socket standing in for journald's, in a fresh directory
    /// removed when it is dropped.
    struct Listener {
        socket: UnixDatagram,
        path: PathBuf,
    }

    impl Drop for Listener {
        fn drop(&mut self) {
            if let Some(dir) = self.path.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }

    fn listener(name: &str) -> Listener {
        let dir =
            std::env::temp_dir().join(format!("lumber-journald-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("socket");
        Listener {
            socket: UnixDatagram::bind(&path).unwrap(),
            path,
        }
    }

    /// One datagram: its payload, and the contents and seals of the file
    /// it carries, if any.
    fn receive(socket: &UnixDatagram) -> (Vec<u8>, Option<(Vec<u8>, SealFlags)>) {
        let mut buf = vec![0u8; 1 << 20];
        let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(4))];
        let mut control = RecvAncillaryBuffer::new(&mut space);
        let mut iov = [io::IoSliceMut::new(&mut buf)];
        let got = rustix::net::recvmsg(socket, &mut iov, &mut control, RecvFlags::empty()).unwrap();
        let n = got.bytes;
        let mut file = None;
        for message in control.drain() {
            if let RecvAncillaryMessage::ScmRights(fds) = message {
                let fds: Vec<_> = fds.collect();
                assert_eq!(fds.len(), 1);
                let seals = rustix::fs::fcntl_get_seals(&fds[0]).unwrap();
                let mut f = std::fs::File::from(fds.into_iter().next().unwrap());
                // The offset is shared with the sender's descriptor, which
                // left it at the end (journald maps the file instead).
                f.seek(io::SeekFrom::Start(0)).unwrap();
                let mut content = Vec::new();
                f.read_to_end(&mut content).unwrap();
                file = Some((content, seals));
            }
        }
        (buf[..n].to_vec(), file)
    }

    const ALL_SEALS: SealFlags = SealFlags::SHRINK
        .union(SealFlags::GROW)
        .union(SealFlags::WRITE)
        .union(SealFlags::SEAL);

    #[test]
    fn a_small_entry_is_one_datagram() {
        let rx = listener("small");
        let t = Transport::new(rx.path.clone(), Duration::from_secs(1), 1024);
        t.send(b"MESSAGE=hi\n").unwrap();
        assert_eq!(receive(&rx.socket), (b"MESSAGE=hi\n".to_vec(), None));
    }

    #[test]
    fn a_large_entry_goes_in_a_sealed_memfd() {
        let rx = listener("large");
        let path = rx.path.clone();
        let payload: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        // Over the threshold: straight to a memfd.
        let t = Transport::new(path.clone(), Duration::from_secs(1), 128 * 1024);
        t.send(&payload).unwrap();
        let (data, file) = receive(&rx.socket);
        assert!(data.is_empty());
        let (content, seals) = file.unwrap();
        assert!(content == payload);
        assert_eq!(seals, ALL_SEALS);
        // No threshold: the datagram is tried, the kernel refuses it (3 MB
        // is over any default socket buffer), and the memfd takes it.
        let t = Transport::new(path.clone(), Duration::from_secs(1), usize::MAX);
        t.send(&payload).unwrap();
        let (data, file) = receive(&rx.socket);
        assert!(data.is_empty() && file.unwrap().0 == payload);
        // Threshold 0: even a small entry.
        let t = Transport::new(path, Duration::from_secs(1), 0);
        t.send(b"MESSAGE=x\n").unwrap();
        assert_eq!(
            receive(&rx.socket),
            (Vec::new(), Some((b"MESSAGE=x\n".to_vec(), ALL_SEALS)))
        );
    }

    #[test]
    fn no_journald_is_an_error_that_names_the_socket() {
        let t = Transport::new(
            PathBuf::from("/nonexistent/lumber/socket"),
            Duration::from_secs(1),
            1024,
        );
        let e = t.send(b"MESSAGE=hi\n").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
        assert!(
            e.to_string()
                .contains("cannot reach journald at /nonexistent/lumber/socket"),
            "{e}"
        );
        // The memfd path says the same.
        let t = Transport::new(
            PathBuf::from("/nonexistent/lumber/socket"),
            Duration::from_secs(1),
            0,
        );
        assert_eq!(
            t.send(b"MESSAGE=hi\n").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn a_journald_that_stops_reading_times_out_instead_of_blocking() {
        let rx = listener("stuck");
        let t = Transport::new(rx.path.clone(), Duration::from_millis(20), 1 << 20);
        let payload = vec![b'x'; 4096];
        let started = std::time::Instant::now();
        let e = (0..100_000).find_map(|_| t.send(&payload).err()).unwrap();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock, "{e}");
        assert!(
            e.to_string().contains("did not take the entry within 20ms"),
            "{e}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
