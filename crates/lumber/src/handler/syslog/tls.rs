//! Syslog over TLS (RFC 5425) with rustls and its `ring` provider.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};

use super::sys;
use super::transport::Health;

/// How a [`crate::SysLogHandler`] made with [`crate::SysLogHandler::tls`]
/// trusts the daemon and, optionally, proves who it is: the certificate
/// authorities to trust, a client certificate for daemons that ask for
/// one, and the name to check the daemon's certificate against (by
/// default the host of the address, a DNS name or an IP address).
///
/// ```no_run
/// use lumber::{SysLogHandler, SysLogTls};
/// let tls = SysLogTls::from_ca_file("/etc/rsyslog/ca.pem")?
///     .with_client_cert("/etc/app/client.pem", "/etc/app/client.key")?;
/// let h = SysLogHandler::tls("logs.example.com:6514", tls).build()?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone)]
pub struct SysLogTls {
    roots: Option<Arc<RootCertStore>>,
    config: Arc<ClientConfig>,
    server_name: Option<String>,
}

impl SysLogTls {
    /// Trusts the certificate authorities of a PEM file (one or more
    /// `CERTIFICATE` blocks).
    ///
    /// ```
    /// # let dir = std::env::temp_dir();
    /// let missing = dir.join("lumber-doc-no-such-ca.pem");
    /// let err = lumber::SysLogTls::from_ca_file(&missing).err().unwrap();
    /// assert!(err.to_string().contains("lumber-doc-no-such-ca.pem"));
    /// ```
    pub fn from_ca_file(path: impl AsRef<Path>) -> io::Result<SysLogTls> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
        })?;
        SysLogTls::from_ca_pem(&pem)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    }

    /// Trusts the certificate authorities of PEM text.
    ///
    /// ```
    /// let err = lumber::SysLogTls::from_ca_pem(b"not a certificate").err().unwrap();
    /// assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    /// ```
    pub fn from_ca_pem(pem: &[u8]) -> io::Result<SysLogTls> {
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(invalid)?;
            roots.add(cert).map_err(invalid)?;
        }
        if roots.is_empty() {
            return Err(invalid("no CERTIFICATE in the PEM data"));
        }
        SysLogTls::from_roots(Arc::new(roots))
    }

    /// Trusts the system's certificate authorities: the file named by
    /// `SSL_CERT_FILE`, else the first of the usual bundles
    /// (`/etc/ssl/certs/ca-certificates.crt` on Debian and Ubuntu,
    /// `/etc/pki/tls/certs/ca-bundle.crt` on Fedora and RHEL,
    /// `/etc/ssl/cert.pem` on Alpine, macOS and the BSDs).
    ///
    /// ```no_run
    /// let tls = lumber::SysLogTls::from_system_roots()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_system_roots() -> io::Result<SysLogTls> {
        if let Some(file) = std::env::var_os("SSL_CERT_FILE") {
            return SysLogTls::from_ca_file(file);
        }
        const BUNDLES: [&str; 4] = [
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt",
            "/etc/ssl/cert.pem",
            "/etc/ssl/ca-bundle.pem",
        ];
        for bundle in BUNDLES {
            if Path::new(bundle).is_file() {
                return SysLogTls::from_ca_file(bundle);
            }
        }
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no system CA bundle found (set SSL_CERT_FILE)",
        ))
    }

    /// Uses a rustls client configuration as it is (for anything the
    /// other constructors do not offer: pinned keys, other providers).
    ///
    /// ```
    /// use std::sync::Arc;
    /// let roots = rustls::RootCertStore::empty();
    /// let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
    ///     .with_safe_default_protocol_versions().unwrap()
    ///     .with_root_certificates(roots)
    ///     .with_no_client_auth();
    /// let tls = lumber::SysLogTls::from_config(Arc::new(config));
    /// # let _ = tls;
    /// ```
    pub fn from_config(config: Arc<ClientConfig>) -> SysLogTls {
        SysLogTls {
            roots: None,
            config,
            server_name: None,
        }
    }

    /// Presents a client certificate (a PEM chain, the leaf first) and
    /// its private key (PEM: PKCS#8, PKCS#1 or SEC1), for daemons that
    /// authenticate their clients (rsyslog's `x509/certvalid` and
    /// `x509/name` modes). Not possible on a [`SysLogTls::from_config`]
    /// configuration: set it up there.
    ///
    /// ```no_run
    /// let tls = lumber::SysLogTls::from_ca_file("/etc/app/ca.pem")?
    ///     .with_client_cert("/etc/app/client.pem", "/etc/app/client.key")?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn with_client_cert(
        self,
        cert_file: impl AsRef<Path>,
        key_file: impl AsRef<Path>,
    ) -> io::Result<SysLogTls> {
        let Some(roots) = self.roots.clone() else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a client certificate cannot be added to a ready-made rustls configuration",
            ));
        };
        let (cert_file, key_file) = (cert_file.as_ref(), key_file.as_ref());
        let certs = CertificateDer::pem_file_iter(cert_file)
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| invalid(format!("{}: {e}", cert_file.display())))?;
        if certs.is_empty() {
            return Err(invalid(format!(
                "{}: no CERTIFICATE in the PEM file",
                cert_file.display()
            )));
        }
        let key = PrivateKeyDer::from_pem_file(key_file)
            .map_err(|e| invalid(format!("{}: {e}", key_file.display())))?;
        let config = builder()?
            .with_root_certificates(roots.clone())
            .with_client_auth_cert(certs, key)
            .map_err(invalid)?;
        Ok(SysLogTls {
            roots: Some(roots),
            config: Arc::new(config),
            server_name: self.server_name,
        })
    }

    /// Checks the daemon's certificate against this name (a DNS name or
    /// an IP address) instead of the host of the address connected to.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # let config = Arc::new(rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
    /// #     .with_safe_default_protocol_versions().unwrap()
    /// #     .with_root_certificates(rustls::RootCertStore::empty()).with_no_client_auth());
    /// let tls = lumber::SysLogTls::from_config(config).server_name("logs.internal");
    /// let h = lumber::SysLogHandler::tls("10.0.0.5:6514", tls);
    /// # let _ = h;
    /// ```
    pub fn server_name(mut self, name: &str) -> SysLogTls {
        self.server_name = Some(name.to_owned());
        self
    }

    fn from_roots(roots: Arc<RootCertStore>) -> io::Result<SysLogTls> {
        let config = builder()?
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        Ok(SysLogTls {
            roots: Some(roots),
            config: Arc::new(config),
            server_name: None,
        })
    }

    /// What connects: the configuration and the name to check, from
    /// the explicit name or the host of `addr`.
    pub(super) fn connector(&self, addr: &str) -> io::Result<Connector> {
        let name = match &self.server_name {
            Some(n) => n.clone(),
            None => host_of(addr).to_owned(),
        };
        let server = ServerName::try_from(name.clone()).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("TLS server name '{name}': {e}"),
            )
        })?;
        Ok(Connector {
            config: self.config.clone(),
            server,
        })
    }
}

impl fmt::Debug for SysLogTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SysLogTls")
            .field("roots", &self.roots.as_ref().map(|r| r.len()))
            .field(
                "client_auth",
                &self.config.client_auth_cert_resolver.has_certs(),
            )
            .field("server_name", &self.server_name)
            .finish()
    }
}

fn builder() -> io::Result<rustls::ConfigBuilder<ClientConfig, rustls::WantsVerifier>> {
    ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(invalid)
}

fn invalid(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// The host part of `host:port`, `[v6]:port`.
fn host_of(addr: &str) -> &str {
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}

/// A TLS client configuration and the server name to check.
pub(super) struct Connector {
    config: Arc<ClientConfig>,
    server: ServerName<'static>,
}

impl Connector {
    /// The TLS handshake on a connected socket, within `timeout`.
    pub(super) fn handshake(
        &self,
        mut sock: TcpStream,
        timeout: Duration,
    ) -> io::Result<TlsStream> {
        let mut conn =
            ClientConnection::new(self.config.clone(), self.server.clone()).map_err(invalid)?;
        let deadline = Instant::now() + timeout;
        while conn.is_handshaking() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "TLS handshake timed out",
                ));
            }
            sock.set_read_timeout(Some(left))?;
            conn.complete_io(&mut sock)
                .map_err(|e| io::Error::new(e.kind(), format!("TLS handshake: {e}")))?;
        }
        while conn.wants_write() {
            conn.write_tls(&mut sock)?;
        }
        sock.set_read_timeout(None)?;
        Ok(TlsStream { conn, sock })
    }
}

/// A client TLS connection on a blocking socket.
pub(super) struct TlsStream {
    conn: ClientConnection,
    sock: TcpStream,
}

impl TlsStream {
    pub(super) fn socket(&self) -> &TcpStream {
        &self.sock
    }

    /// Writes `frame`; returns how many bytes went on the socket.
    pub(super) fn write(&mut self, frame: &[u8]) -> io::Result<u64> {
        let mut sent = 0u64;
        let mut rest = frame;
        while !rest.is_empty() {
            let n = self.conn.writer().write(rest)?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            rest = rest.get(n..).unwrap_or_default();
            while self.conn.wants_write() {
                sent += self.conn.write_tls(&mut self.sock)? as u64;
            }
        }
        Ok(sent)
    }

    /// Reads, without blocking, whatever the daemon sent (session
    /// tickets, alerts, close_notify) and says whether the connection
    /// still stands.
    pub(super) fn probe(&mut self) -> Health {
        for _ in 0..8 {
            match self.conn.read_tls(&mut NonBlocking(&self.sock)) {
                Ok(0) => return Health::Closed,
                Ok(_) => match self.conn.process_new_packets() {
                    Err(e) => {
                        let _ = self.conn.write_tls(&mut self.sock);
                        return Health::Broken(invalid(e));
                    }
                    Ok(state) => {
                        let unread = state.plaintext_bytes_to_read();
                        if unread > 0 {
                            let mut sink = vec![0u8; unread.min(64 * 1024)];
                            let _ = self.conn.reader().read(&mut sink);
                        }
                        if state.peer_has_closed() {
                            return Health::Closed;
                        }
                    }
                },
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Health::Alive,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Health::Broken(e),
            }
        }
        Health::Alive
    }

    /// Sends close_notify and shuts the socket's writing side.
    pub(super) fn close(&mut self) {
        self.conn.send_close_notify();
        while self.conn.wants_write() {
            if self.conn.write_tls(&mut self.sock).is_err() {
                break;
            }
        }
        let _ = self.sock.shutdown(std::net::Shutdown::Write);
    }
}

/// Reads from a blocking socket without blocking.
struct NonBlocking<'a>(&'a TcpStream);

impl Read for NonBlocking<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        sys::recv_nonblocking(self.0, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_an_address() {
        assert_eq!(host_of("logs.example.com:6514"), "logs.example.com");
        assert_eq!(host_of("127.0.0.1:6514"), "127.0.0.1");
        assert_eq!(host_of("[::1]:6514"), "::1");
        assert_eq!(host_of("noport"), "noport");
    }

    #[test]
    fn server_names_dns_and_ip() {
        let tls = SysLogTls::from_config(Arc::new(
            builder()
                .unwrap()
                .with_root_certificates(RootCertStore::empty())
                .with_no_client_auth(),
        ));
        assert!(tls.connector("127.0.0.1:6514").is_ok());
        assert!(tls.connector("[::1]:6514").is_ok());
        assert!(tls.connector("logs.example.com:6514").is_ok());
        assert!(tls.connector("bad name!:6514").is_err());
    }
}
