//! Configuration factory for Python's `SysLogHandler` (`address`,
//! `facility`, `socktype`, and Python 3.14's `timeout`), with lumber's
//! extensions as snake_case options: the message format, framing, TLS,
//! header fields, structured data, timeouts and buffers.

use std::path::PathBuf;
use std::time::Duration;

use super::Builtin;
use super::{checked, shown};
use crate::config::{Args, Node, Value};
use crate::handler::Handler;
use crate::handler::syslog::{
    SysLogBuilder, SysLogFacility, SysLogFormat, SysLogFraming, SysLogHandler, SysLogSeverity,
};

/// The syslog handler class.
pub(crate) fn handlers() -> Vec<Builtin<Handler>> {
    vec![Builtin {
        name: "SysLogHandler",
        aliases: &["logging.handlers.SysLogHandler"],
        params: &["address", "facility", "socktype", "timeout"],
        build: syslog,
    }]
}

/// Where records go: a network address (`host:port`) or a Unix socket.
#[derive(Debug, Clone, PartialEq)]
enum Address {
    Net(String),
    Unix(PathBuf),
}

/// Python's `socktype`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SockType {
    Dgram,
    Stream,
}

/// `host` and `port` as one address, IPv6 hosts in brackets.
fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Python's `address`: `[host, port]` (a tuple in an INI file), a Unix
/// socket path (`/dev/log`), or lumber's `host:port`.
fn parse_address(n: &Node) -> Option<Address> {
    match &n.value {
        Value::Str(s) => {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            if !s.contains('/')
                && let Some((host, port)) = s.rsplit_once(':')
                && let Ok(port) = port.parse::<u16>()
                && !host.is_empty()
            {
                return Some(Address::Net(host_port(host, port)));
            }
            Some(Address::Unix(PathBuf::from(s)))
        }
        Value::List(items) => match items.as_slice() {
            [host, port] => {
                let host = host.as_str().map(str::trim).filter(|h| !h.is_empty())?;
                let port = match &port.value {
                    Value::Int(p) => u16::try_from(*p).ok(),
                    Value::Str(p) => p.trim().parse().ok(),
                    _ => None,
                }?;
                Some(Address::Net(host_port(host, port)))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Option `name` as an [`Address`].
fn address(a: &mut Args<'_>, name: &str) -> Option<Address> {
    let n = a.node(name)?;
    let parsed = parse_address(n);
    if parsed.is_none() {
        a.error(
            name,
            format!(
                "expected [host, port], 'host:port' or a Unix socket path like /dev/log, got {}",
                shown(n)
            ),
        );
    }
    parsed
}

/// Python's `socktype`: `ext://socket.SOCK_DGRAM` or
/// `ext://socket.SOCK_STREAM` (also `SOCK_DGRAM`, `udp`, `tcp`, and the
/// numbers Linux gives them, 2 and 1).
fn socktype(a: &mut Args<'_>, name: &str) -> Option<SockType> {
    let n = a.node(name)?;
    let parsed = match &n.value {
        Value::Int(2) => Some(SockType::Dgram),
        Value::Int(1) => Some(SockType::Stream),
        Value::Str(s) => {
            let s = s.trim().trim_start_matches("ext://");
            let s = s.strip_prefix("socket.").unwrap_or(s).to_ascii_lowercase();
            match s.as_str() {
                "sock_dgram" | "dgram" | "datagram" | "udp" => Some(SockType::Dgram),
                "sock_stream" | "stream" | "tcp" => Some(SockType::Stream),
                _ => None,
            }
        }
        _ => None,
    };
    if parsed.is_none() {
        a.error(
            name,
            format!(
                "expected ext://socket.SOCK_DGRAM or ext://socket.SOCK_STREAM, got {}",
                shown(n)
            ),
        );
    }
    parsed
}

/// Python's `facility`: a name of `SysLogHandler.facility_names` (any
/// case; `LOG_LOCAL0` too) or its number.
fn facility(a: &mut Args<'_>, name: &str) -> Option<SysLogFacility> {
    super::facility_code(a, name).and_then(SysLogFacility::from_code)
}

/// An RFC 5424 SD-ID with an `@`, as the builder requires (checked here
/// so that `lumber config check` reports it).
fn valid_sd_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| (33..=126).contains(&b) && !matches!(b, b'=' | b']' | b'"'))
        && id
            .split_once('@')
            .is_some_and(|(name, pen)| !name.is_empty() && !pen.is_empty())
}

/// The TLS options: trusted CAs (or the system's), a client certificate,
/// the name to check the daemon's certificate against.
#[cfg_attr(not(feature = "syslog-tls"), allow(dead_code))]
struct TlsOptions {
    ca_file: Option<PathBuf>,
    client: Option<(PathBuf, PathBuf)>,
    server_name: Option<String>,
}

/// Reads `tls` and the options that go with it.
fn tls_options(a: &mut Args<'_>, bad: &mut bool) -> Option<TlsOptions> {
    let tls = checked(a, bad, "tls", Args::bool).unwrap_or(false);
    let ca_file = checked(a, bad, "ca_file", Args::path_buf);
    let cert_file = checked(a, bad, "cert_file", Args::path_buf);
    let key_file = checked(a, bad, "key_file", Args::path_buf);
    let server_name = checked(a, bad, "server_name", Args::str);
    if !tls {
        for key in ["ca_file", "cert_file", "key_file", "server_name"] {
            if a.node(key).is_some() {
                a.error(key, "only used with tls: true");
                *bad = true;
            }
        }
        return None;
    }
    if !cfg!(feature = "syslog-tls") {
        a.error("tls", "TLS is not built in (lumber's 'syslog-tls' feature)");
        *bad = true;
    }
    let client = match (cert_file, key_file) {
        (Some(c), Some(k)) => Some((c, k)),
        (None, None) => None,
        (Some(_), None) => {
            a.error(
                "key_file",
                "required with cert_file (the client certificate's private key)",
            );
            *bad = true;
            None
        }
        (None, Some(_)) => {
            a.error(
                "cert_file",
                "required with key_file (the client certificate)",
            );
            *bad = true;
            None
        }
    };
    Some(TlsOptions {
        ca_file,
        client,
        server_name,
    })
}

/// The builder for the transport: UDP, TCP, TLS or a Unix socket.
#[cfg_attr(not(feature = "syslog-tls"), allow(unused_variables))]
fn transport(
    a: &mut Args<'_>,
    address: &Address,
    kind: Option<SockType>,
    tls: Option<TlsOptions>,
) -> Option<SysLogBuilder> {
    match (address, tls) {
        #[cfg(feature = "syslog-tls")]
        (Address::Net(addr), Some(t)) => {
            use crate::handler::syslog::SysLogTls;
            let roots = match &t.ca_file {
                Some(path) => SysLogTls::from_ca_file(path),
                None => SysLogTls::from_system_roots(),
            };
            let mut settings = match roots {
                Ok(s) => s,
                Err(e) => {
                    a.error(
                        if t.ca_file.is_some() {
                            "ca_file"
                        } else {
                            "tls"
                        },
                        e.to_string(),
                    );
                    return None;
                }
            };
            if let Some((cert, key)) = &t.client {
                settings = match settings.with_client_cert(cert, key) {
                    Ok(s) => s,
                    Err(e) => {
                        a.error(
                            "cert_file",
                            format!("cannot use the client certificate: {e}"),
                        );
                        return None;
                    }
                };
            }
            if let Some(name) = &t.server_name {
                settings = settings.server_name(name);
            }
            Some(SysLogHandler::tls(addr, settings))
        }
        (Address::Net(addr), _) => Some(match kind {
            Some(SockType::Stream) => SysLogHandler::tcp(addr),
            _ => SysLogHandler::udp(addr),
        }),
        (Address::Unix(path), _) => Some(match kind {
            None => SysLogHandler::unix(path),
            Some(SockType::Dgram) => SysLogHandler::unix_datagram(path),
            Some(SockType::Stream) => SysLogHandler::unix_stream(path),
        }),
    }
}

/// `SysLogHandler`: every option read and checked, then the transport
/// and the header.
fn syslog(a: &mut Args<'_>) -> Option<Handler> {
    let mut bad = false;
    // Python's default: UDP to localhost:514.
    let address = checked(a, &mut bad, "address", address)
        .unwrap_or_else(|| Address::Net("localhost:514".into()));
    let facility = checked(a, &mut bad, "facility", facility);
    let kind = checked(a, &mut bad, "socktype", socktype);
    let timeout = checked(a, &mut bad, "timeout", Args::duration);
    let format = checked(a, &mut bad, "format", |a, n| {
        a.choice(n, &["rfc5424", "rfc3164", "python"])
    });
    let framing = checked(a, &mut bad, "framing", |a, n| {
        a.choice(n, &["octet_counting", "non_transparent"])
    });
    let severity = checked(a, &mut bad, "severity_map", |a, n| {
        a.choice(n, &["lumber", "python"])
    });
    let hostname = checked(a, &mut bad, "hostname", Args::str);
    let app_name = checked(a, &mut bad, "app_name", Args::str);
    let procid = checked(a, &mut bad, "procid", Args::str);
    let msgid = checked(a, &mut bad, "msgid", Args::str);
    let msgid_field = checked(a, &mut bad, "msgid_field", Args::str);
    let sd_id = checked(a, &mut bad, "structured_data_id", Args::str);
    let structured = checked(a, &mut bad, "structured_data", Args::bool);
    let context = checked(a, &mut bad, "context", Args::bool);
    let bom = checked(a, &mut bad, "bom", Args::bool);
    let ident = checked(a, &mut bad, "ident", Args::str);
    let append_nul = checked(a, &mut bad, "append_nul", Args::bool);
    let max_size = checked(a, &mut bad, "max_message_size", Args::size);
    let connect_timeout = checked(a, &mut bad, "connect_timeout", Args::duration);
    let write_timeout = checked(a, &mut bad, "write_timeout", Args::duration);
    let backoff = checked(a, &mut bad, "reconnect_backoff", Args::duration);
    let backoff_max = checked(a, &mut bad, "reconnect_backoff_max", Args::duration);
    let buffer = checked(a, &mut bad, "buffer", Args::count);
    let window = checked(a, &mut bad, "resend_window", Args::count);
    let tls = tls_options(a, &mut bad);

    let network = matches!(address, Address::Net(_));
    let udp = network && tls.is_none() && kind != Some(SockType::Stream);
    if tls.is_some() {
        if !network {
            a.error(
                "tls",
                "needs a network address ([host, port]), not a Unix socket",
            );
            bad = true;
        } else if kind == Some(SockType::Dgram) {
            a.error(
                "tls",
                "needs a stream socket: leave socktype out or set ext://socket.SOCK_STREAM",
            );
            bad = true;
        }
    }
    if framing.is_some() && (udp || kind == Some(SockType::Dgram)) {
        a.error("framing", "only used on TCP, TLS and Unix stream sockets");
        bad = true;
    }
    if let Some(id) = &sd_id {
        if structured == Some(false) {
            a.error(
                "structured_data_id",
                "cannot be used with structured_data: false",
            );
            bad = true;
        } else if !valid_sd_id(id) {
            a.error(
                "structured_data_id",
                format!(
                    "expected name@number (at most 32 printable ASCII characters without '=', ' ', ']' or '\"'), got '{id}'"
                ),
            );
            bad = true;
        }
    }
    if let Some(size) = max_size {
        let most = if udp { 65_507 } else { u64::MAX };
        if size < 64 || size > most {
            let range = if udp {
                "64 to 65507 bytes on UDP"
            } else {
                "at least 64 bytes"
            };
            a.error("max_message_size", format!("expected {range}, got {size}"));
            bad = true;
        }
    }
    if let (Some(first), Some(max)) = (backoff, backoff_max)
        && max < first
    {
        a.error(
            "reconnect_backoff_max",
            "must not be below reconnect_backoff",
        );
        bad = true;
    }
    if bad || a.check_only() {
        return None;
    }

    let mut b = transport(a, &address, kind, tls)?;
    if let Some(f) = format {
        b = b.format(match f {
            "rfc3164" => SysLogFormat::Rfc3164,
            "python" => SysLogFormat::Python,
            _ => SysLogFormat::Rfc5424,
        });
    }
    if let Some(f) = framing {
        b = b.framing(if f == "non_transparent" {
            SysLogFraming::NonTransparent
        } else {
            SysLogFraming::OctetCounting
        });
    }
    if let Some(f) = facility {
        b = b.facility(f);
    }
    if severity == Some("python") {
        b = b.severity_map(SysLogSeverity::python);
    }
    if let Some(h) = &hostname {
        b = b.hostname(h);
    }
    if let Some(n) = &app_name {
        b = b.app_name(n);
    }
    if let Some(p) = &procid {
        b = b.procid(p);
    }
    if let Some(m) = &msgid {
        b = b.msgid(m);
    }
    if let Some(f) = &msgid_field {
        b = b.msgid_field(f);
    }
    if let Some(s) = structured {
        b = b.structured_data(s);
    }
    if let Some(id) = &sd_id {
        b = b.structured_data_id(id);
    }
    if let Some(c) = context {
        b = b.context(c);
    }
    if let Some(bom) = bom {
        b = b.bom(bom);
    }
    if let Some(i) = &ident {
        b = b.ident(i);
    }
    if let Some(n) = append_nul {
        b = b.append_nul(n);
    }
    if let Some(size) = max_size {
        b = b.max_message_size(usize::try_from(size).unwrap_or(usize::MAX));
    }
    // Python's `timeout` bounds every socket operation: connecting and
    // writing, unless those are given on their own.
    if let Some(t) = connect_timeout.or(timeout) {
        b = b.connect_timeout(t);
    }
    if let Some(t) = write_timeout.or(timeout) {
        b = b.write_timeout(t);
    }
    if backoff.is_some() || backoff_max.is_some() {
        let first = backoff.unwrap_or(Duration::from_millis(100));
        let max = backoff_max.unwrap_or(Duration::from_secs(10)).max(first);
        b = b.reconnect_backoff(first, max);
    }
    if let Some(n) = buffer {
        b = b.buffer(n);
    }
    if let Some(n) = window {
        b = b.resend_window(n);
    }
    match b.build() {
        Ok(h) => Some(Handler::new(h)),
        Err(e) => {
            let target = match &address {
                Address::Net(addr) => addr.clone(),
                Address::Unix(path) => path.display().to_string(),
            };
            a.error("address", format!("cannot open syslog at {target}: {e}"));
            None
        }
    }
}

#[cfg(test)]
mod tests;
