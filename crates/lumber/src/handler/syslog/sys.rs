//! The two socket calls std does not offer: a non-blocking receive on a
//! blocking socket, and the count of bytes the peer has not yet
//! acknowledged.

use std::io;
use std::os::fd::AsRawFd;

/// `recv(fd, buf, MSG_DONTWAIT)`: what the peer sent, `Ok(0)` if it
/// closed its side, `WouldBlock` if nothing is waiting. The socket stays
/// blocking for writes.
pub(super) fn recv_nonblocking(socket: &impl AsRawFd, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the
    // duration of the call, and the descriptor is an open socket borrowed
    // from `socket`, which outlives the call.
    #[allow(unsafe_code)]
    let n = unsafe {
        libc::recv(
            socket.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_DONTWAIT,
        )
    };
    usize::try_from(n).map_err(|_| io::Error::last_os_error())
}

/// Bytes written to the socket that the peer has not acknowledged yet
/// (Linux `SIOCOUTQ`): for TCP, sent but not ACKed by the peer's kernel;
/// for a Unix stream socket, not yet read by the peer. `None` where the
/// call does not exist or fails.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn unacknowledged(socket: &impl AsRawFd) -> Option<u64> {
    let mut n: libc::c_int = 0;
    // SAFETY: SIOCOUTQ (TIOCOUTQ) writes one `c_int` through the pointer,
    // which points at a live local of that type; the descriptor is an
    // open socket borrowed from `socket`.
    #[allow(unsafe_code)]
    let r = unsafe {
        libc::ioctl(
            socket.as_raw_fd(),
            libc::TIOCOUTQ,
            &mut n as *mut libc::c_int,
        )
    };
    if r == 0 { u64::try_from(n).ok() } else { None }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn unacknowledged(_socket: &impl AsRawFd) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::net::UnixStream;

    #[test]
    fn nonblocking_receive_sees_nothing_data_and_eof() {
        let (mut a, b) = UnixStream::pair().unwrap();
        let mut buf = [0u8; 8];
        let e = recv_nonblocking(&b, &mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        a.write_all(b"hi").unwrap();
        assert_eq!(recv_nonblocking(&b, &mut buf).unwrap(), 2);
        drop(a);
        assert_eq!(recv_nonblocking(&b, &mut buf).unwrap(), 0);
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn unread_bytes_of_a_unix_stream() {
        let (mut a, b) = UnixStream::pair().unwrap();
        assert_eq!(unacknowledged(&a), Some(0));
        a.write_all(b"hello").unwrap();
        assert!(unacknowledged(&a).unwrap() >= 5);
        let mut buf = [0u8; 8];
        recv_nonblocking(&b, &mut buf).unwrap();
        assert_eq!(unacknowledged(&a), Some(0));
    }
}
