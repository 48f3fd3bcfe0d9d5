//! What goes on the wire: RFC 5424, RFC 3164 and Python's own format,
//! structured data, size limits, and RFC 6587 framing.

use std::fmt::{self, Write as _};
use std::sync::{Arc, OnceLock};

use super::priority::{SysLogFacility, SysLogSeverity};
use crate::level::Level;
use crate::record::{Record, Timestamp};
use crate::value::Value;

/// The message format a [`crate::SysLogHandler`] writes.
///
/// ```text
/// Rfc5424  <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID name="value" ...] MSG
/// Rfc3164  <PRI>Mmm dd hh:mm:ss HOSTNAME APP-NAME[PROCID]: MSG
/// Python   <PRI>ident MSG \0
/// ```
///
/// ```
/// use lumber::{SysLogFormat, SysLogHandler};
/// let h = SysLogHandler::udp("127.0.0.1:514").format(SysLogFormat::Rfc3164);
/// # let _ = h;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SysLogFormat {
    /// RFC 5424, the syslog protocol: an ISO 8601 timestamp with
    /// microseconds and the local UTC offset, the host name, app-name,
    /// procid and msgid, the record's fields as structured data, then the
    /// message. Network transports' default.
    Rfc5424,
    /// RFC 3164, the BSD format (`Mmm dd hh:mm:ss` in local time, then
    /// the host name, then the tag `app-name[procid]:`). Without a host
    /// name when sent to a local Unix socket, as `syslog(3)` does: the
    /// daemons' `/dev/log` parsers take the first word for the tag. Unix
    /// sockets' default. Fields are not sent (3164 has no place for them;
    /// put them in the message with a formatter).
    Rfc3164,
    /// What Python's `SysLogHandler` sends: `<PRI>`, the handler's
    /// `ident`, the message, and a NUL byte (`append_nul`). No timestamp,
    /// host name or tag: the daemon fills them in (the tag is the
    /// message's first word, so an ident of `"app: "` names the app).
    Python,
}

/// How records are delimited on a stream transport (TCP, TLS, Unix
/// stream), as RFC 6587 defines it.
///
/// ```
/// use lumber::{SysLogFraming, SysLogHandler};
/// let h = SysLogHandler::tcp("127.0.0.1:514").framing(SysLogFraming::NonTransparent);
/// # let _ = h;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SysLogFraming {
    /// `MSG-LEN SP SYSLOG-MSG`: the length in decimal, a space, the
    /// message. Any byte can be in a message, newlines too. The default,
    /// and what RFC 5425 (TLS) requires. rsyslog's `imtcp`/`imptcp`
    /// accept it; syslog-ng's `syslog()` source does, its `network()`
    /// source does not.
    #[default]
    OctetCounting,
    /// Each message ends with a newline (LF). Newlines inside a message
    /// would end it early, so each one is sent as the four characters
    /// `#012` — what rsyslog itself shows for a control character it
    /// escapes.
    NonTransparent,
}

/// A function that picks the severity of a record's level.
pub(super) type SeverityMap = Arc<dyn Fn(Level) -> SysLogSeverity + Send + Sync>;

/// The SD-ID used when none is set: `lumber` under IANA's example
/// Private Enterprise Number (RFC 5612).
pub(super) const DEFAULT_SD_ID: &str = "lumber@32473";

/// Everything that decides the bytes of a message: fixed when the handler
/// is built.
pub(super) struct Layout {
    pub(super) format: SysLogFormat,
    pub(super) facility: SysLogFacility,
    pub(super) severity: SeverityMap,
    /// Sanitized; `None`: omitted (3164) or `-` (5424).
    pub(super) hostname: Option<String>,
    /// Sanitized for the format; `None`: `-` (5424), no tag (3164).
    pub(super) app_name: Option<String>,
    pub(super) procid: Option<String>,
    pub(super) msgid: Option<String>,
    pub(super) msgid_field: Option<String>,
    /// `None`: no structured data.
    pub(super) sd_id: Option<String>,
    pub(super) context: bool,
    pub(super) bom: bool,
    pub(super) ident: String,
    pub(super) append_nul: bool,
    pub(super) max_size: usize,
    /// Newlines as `#012` (LF framing on a stream).
    pub(super) escape_lf: bool,
}

/// Scratch space reused from one record to the next.
#[derive(Default)]
pub(super) struct Scratch {
    names: Vec<(usize, usize)>,
    text: String,
}

impl Layout {
    /// Writes the message of one record into `out` (cleared first),
    /// truncated to the size limit; the transport frames it.
    pub(super) fn frame(
        &self,
        record: &Record<'_>,
        line: &str,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        let severity = (self.severity)(record.level());
        let pri = self.facility.priority(severity);
        push_fmt(out, format_args!("<{pri}>"));
        let lf = self.escape_lf;
        let mut sd = None;
        match self.format {
            SysLogFormat::Python => {
                push_text(out, &self.ident, lf);
                push_text(out, line, lf);
            }
            SysLogFormat::Rfc3164 => {
                let (t, _) = local_time(record.time())
                    .or_else(|| local_time(Timestamp::now()))
                    .unwrap_or_default();
                push_fmt(
                    out,
                    format_args!(
                        "{} {:>2} {:02}:{:02}:{:02} ",
                        MONTHS[usize::try_from(t.month - 1).unwrap_or(0).min(11)],
                        t.day,
                        t.hour,
                        t.minute,
                        t.second
                    ),
                );
                if let Some(host) = &self.hostname {
                    out.extend_from_slice(host.as_bytes());
                    out.push(b' ');
                }
                if let Some(app) = &self.app_name {
                    out.extend_from_slice(app.as_bytes());
                    if let Some(pid) = &self.procid {
                        push_fmt(out, format_args!("[{pid}]"));
                    }
                    out.extend_from_slice(b": ");
                }
                push_text(out, line, lf);
            }
            SysLogFormat::Rfc5424 => {
                out.extend_from_slice(b"1 ");
                match local_time(record.time()) {
                    Some((t, offset)) if (0..=9999).contains(&t.year) => {
                        push_fmt(
                            out,
                            format_args!(
                                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}",
                                t.year, t.month, t.day, t.hour, t.minute, t.second, t.micros
                            ),
                        );
                        if offset == 0 {
                            out.push(b'Z');
                        } else {
                            let sign = if offset < 0 { '-' } else { '+' };
                            let m = offset.unsigned_abs() / 60;
                            push_fmt(out, format_args!("{sign}{:02}:{:02}", m / 60, m % 60));
                        }
                    }
                    _ => out.push(b'-'),
                }
                for field in [&self.hostname, &self.app_name, &self.procid] {
                    out.push(b' ');
                    out.extend_from_slice(field.as_deref().unwrap_or("-").as_bytes());
                }
                out.push(b' ');
                self.write_msgid(record, scratch, out);
                out.push(b' ');
                let start = out.len();
                self.write_structured_data(record, lf, scratch, out);
                sd = Some((start, out.len()));
                if !line.is_empty() {
                    out.push(b' ');
                    if self.bom {
                        out.extend_from_slice("\u{feff}".as_bytes());
                    }
                    push_text(out, line, lf);
                }
            }
        }
        let tail: &[u8] = if self.format == SysLogFormat::Python && self.append_nul {
            b"\0"
        } else {
            b""
        };
        let limit = self.max_size.saturating_sub(tail.len());
        if out.len() > limit {
            // Structured data that alone would overflow is left out
            // rather than cut (a cut element would not parse).
            if let Some((start, end)) = sd.filter(|&(start, end)| end > limit && end - start > 1) {
                out.splice(start..end, *b"-");
            }
            out.truncate(floor_char_boundary(out, limit));
        }
        out.extend_from_slice(tail);
    }

    fn write_msgid(&self, record: &Record<'_>, scratch: &mut Scratch, out: &mut Vec<u8>) {
        if let Some(value) = self.msgid_field.as_deref().and_then(|k| record.field(k)) {
            scratch.text.clear();
            let _ = write!(scratch.text, "{value}");
            let id = sanitize_header(&scratch.text, 32);
            if !id.is_empty() {
                out.extend_from_slice(id.as_bytes());
                return;
            }
        }
        out.extend_from_slice(self.msgid.as_deref().unwrap_or("-").as_bytes());
    }

    /// `[SD-ID name="value" ...]` with every field of the record (call
    /// site, bound, then context), the first of each name; `-` if none.
    fn write_structured_data(
        &self,
        record: &Record<'_>,
        lf: bool,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) {
        let Some(sd_id) = &self.sd_id else {
            out.push(b'-');
            return;
        };
        let start = out.len();
        out.push(b'[');
        out.extend_from_slice(sd_id.as_bytes());
        scratch.names.clear();
        let skip = self.msgid_field.as_deref();
        let mut param = |key: &str, value: Value<'_>| {
            if Some(key) == skip {
                return;
            }
            let mark = out.len();
            out.push(b' ');
            let name_start = out.len();
            push_param_name(key, out);
            let name = (name_start, out.len());
            let seen = scratch
                .names
                .iter()
                .any(|&(s, e)| out.get(s..e) == out.get(name.0..name.1));
            if seen {
                out.truncate(mark);
                return;
            }
            scratch.names.push(name);
            out.extend_from_slice(b"=\"");
            let _ = write!(SdValue { out, lf }, "{value}");
            out.push(b'"');
        };
        for (k, v) in record.fields() {
            param(k, *v);
        }
        for (k, v) in record.bound() {
            param(k, v.as_value());
        }
        if self.context {
            let mut frame = record.context();
            while let Some(c) = frame {
                for (k, v) in c.fields() {
                    param(k, v.as_value());
                }
                frame = c.parent();
            }
        }
        if scratch.names.is_empty() {
            out.truncate(start);
            out.push(b'-');
        } else {
            out.push(b']');
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn push_fmt(out: &mut Vec<u8>, args: fmt::Arguments<'_>) {
    let _ = std::io::Write::write_fmt(out, args);
}

/// Writes a field value as an RFC 5424 PARAM-VALUE: `"`, `\` and `]`
/// escaped with a backslash (and with `lf`, newlines as `#012`).
struct SdValue<'a> {
    out: &'a mut Vec<u8>,
    lf: bool,
}

impl fmt::Write for SdValue<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            match b {
                b'"' | b'\\' | b']' => self.out.extend_from_slice(&[b'\\', b]),
                b'\n' if self.lf => self.out.extend_from_slice(b"#012"),
                _ => self.out.push(b),
            }
        }
        Ok(())
    }
}

/// Appends `s`, with `lf` each newline as `#012`.
fn push_text(out: &mut Vec<u8>, s: &str, lf: bool) {
    if !lf {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    for (i, part) in s.split('\n').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"#012");
        }
        out.extend_from_slice(part.as_bytes());
    }
}

/// An RFC 5424 SD-NAME: 1 to 32 printable US-ASCII characters but `=`,
/// space, `]` and `"`. Any other character becomes `_`.
fn push_param_name(key: &str, out: &mut Vec<u8>) {
    let start = out.len();
    for c in key.chars() {
        if out.len() - start == 32 {
            break;
        }
        out.push(if is_sd_name_char(c) { c as u8 } else { b'_' });
    }
    if out.len() == start {
        out.push(b'_');
    }
}

pub(super) fn is_sd_name_char(c: char) -> bool {
    matches!(c, '!'..='~') && !matches!(c, '=' | ']' | '"')
}

/// An RFC 5424 header field: printable US-ASCII, at most `max` octets;
/// any other character becomes `_`. Empty stays empty (the caller writes
/// `-`).
pub(super) fn sanitize_header(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| if matches!(c, '!'..='~') { c } else { '_' })
        .take(max)
        .collect()
}

/// An RFC 3164 tag part (app-name or procid): also without the `:`, `[`
/// and `]` that delimit the tag.
pub(super) fn sanitize_tag(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '!'..='~') && !matches!(c, ':' | '[' | ']') {
                c
            } else {
                '_'
            }
        })
        .take(max)
        .collect()
}

/// The largest index `<= limit` that does not split a UTF-8 sequence.
fn floor_char_boundary(bytes: &[u8], limit: usize) -> usize {
    if limit >= bytes.len() {
        return bytes.len();
    }
    let mut i = limit;
    // At most 3 continuation bytes precede a boundary in valid UTF-8;
    // in anything else, cut where asked.
    while i > 0 && limit - i < 3 && bytes.get(i).is_some_and(|b| b & 0xC0 == 0x80) {
        i -= 1;
    }
    if bytes.get(i).is_some_and(|b| b & 0xC0 == 0x80) {
        limit
    } else {
        i
    }
}

/// Broken-down local time.
#[derive(Default, Clone, Copy)]
struct Civil {
    year: i16,
    month: i8,
    day: i8,
    hour: i8,
    minute: i8,
    second: i8,
    micros: i32,
}

fn zone() -> &'static jiff::tz::TimeZone {
    static ZONE: OnceLock<jiff::tz::TimeZone> = OnceLock::new();
    ZONE.get_or_init(jiff::tz::TimeZone::system)
}

/// The local time of `t` and the zone's UTC offset then, in seconds.
fn local_time(t: Timestamp) -> Option<(Civil, i32)> {
    let ts = jiff::Timestamp::new(t.seconds(), i32::try_from(t.nanos()).ok()?).ok()?;
    let offset = zone().to_offset(ts);
    let dt = offset.to_datetime(ts);
    Some((
        Civil {
            year: dt.year(),
            month: dt.month(),
            day: dt.day(),
            hour: dt.hour(),
            minute: dt.minute(),
            second: dt.second(),
            micros: dt.subsec_nanosecond() / 1000,
        },
        offset.seconds(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Message;

    fn layout(format: SysLogFormat) -> Layout {
        Layout {
            format,
            facility: SysLogFacility::Local0,
            severity: Arc::new(SysLogSeverity::from_level),
            hostname: Some("host".into()),
            app_name: Some("app".into()),
            procid: Some("42".into()),
            msgid: None,
            msgid_field: None,
            sd_id: Some(DEFAULT_SD_ID.into()),
            context: true,
            bom: false,
            ident: String::new(),
            append_nul: true,
            max_size: 2048,
            escape_lf: false,
        }
    }

    fn frame(l: &Layout, record: &Record<'_>, line: &str) -> String {
        let mut out = Vec::new();
        l.frame(record, line, &mut Scratch::default(), &mut out);
        String::from_utf8(out).unwrap()
    }

    fn rec(level: Level) -> Record<'static> {
        Record::new("app", level, Message::Str("m"))
            .with_time(Timestamp::new(1_700_000_000, 123_456_789))
    }

    #[test]
    fn rfc5424_header_and_structured_data() {
        let fields = [
            ("user", Value::from("a\"b\\c]d ü")),
            ("n", Value::from(3)),
            ("bad key=]\"é", Value::from(true)),
            ("user", Value::from("second is dropped")),
        ];
        let r = rec(Level::WARNING).with_fields(&fields);
        let out = frame(&layout(SysLogFormat::Rfc5424), &r, "hello");
        let (head, rest) = out.split_once(' ').unwrap();
        assert_eq!(head, "<132>1");
        let (ts, rest) = rest.split_once(' ').unwrap();
        assert_eq!(
            ts.len(),
            "2023-11-14T22:13:20.123456".len() + if ts.ends_with('Z') { 1 } else { 6 }
        );
        assert!(ts.contains(":20.123456"), "{ts}");
        assert_eq!(
            rest,
            r#"host app 42 - [lumber@32473 user="a\"b\\c\]d ü" n="3" bad_key____="true"] hello"#
        );
    }

    #[test]
    fn rfc5424_nil_values_and_empty_message() {
        let mut l = layout(SysLogFormat::Rfc5424);
        l.hostname = None;
        l.app_name = None;
        l.procid = None;
        let out = frame(&l, &rec(Level::INFO), "");
        assert!(out.starts_with("<134>1 "), "{out}");
        assert!(out.ends_with(" - - - - -"), "{out}");
    }

    #[test]
    fn msgid_from_a_field_is_not_repeated_in_structured_data() {
        let mut l = layout(SysLogFormat::Rfc5424);
        l.msgid = Some("DEFAULT".into());
        l.msgid_field = Some("msgid".into());
        let fields = [("msgid", Value::from("LOGIN ok")), ("x", Value::from(1))];
        let out = frame(&l, &rec(Level::INFO).with_fields(&fields), "m");
        assert!(
            out.ends_with(r#"host app 42 LOGIN_ok [lumber@32473 x="1"] m"#),
            "{out}"
        );
        let out = frame(&l, &rec(Level::INFO), "m");
        assert!(out.ends_with("host app 42 DEFAULT - m"), "{out}");
    }

    #[test]
    fn rfc3164_with_and_without_host() {
        let mut l = layout(SysLogFormat::Rfc3164);
        let out = frame(&l, &rec(Level::ERROR), "boom");
        assert!(out.starts_with("<131>Nov "), "{out}");
        assert!(out.ends_with(" host app[42]: boom"), "{out}");
        assert_eq!(out.len(), "<131>Nov 14 22:13:20 host app[42]: boom".len());
        l.hostname = None;
        l.procid = None;
        let out = frame(&l, &rec(Level::ERROR), "boom");
        assert!(out.ends_with(":20 app: boom"), "{out}");
    }

    #[test]
    fn python_format_is_pri_ident_message_nul() {
        let mut l = layout(SysLogFormat::Python);
        l.ident = "myapp: ".into();
        l.facility = SysLogFacility::User;
        l.severity = Arc::new(SysLogSeverity::python);
        assert_eq!(frame(&l, &rec(Level::new(25)), "hi"), "<12>myapp: hi\0");
        l.append_nul = false;
        assert_eq!(frame(&l, &rec(Level::DEBUG), "hi"), "<15>myapp: hi");
    }

    #[test]
    fn newlines_for_lf_framing() {
        let mut l = layout(SysLogFormat::Rfc5424);
        let fields = [("k", Value::from("x\ny"))];
        let r = rec(Level::INFO).with_fields(&fields);
        assert!(frame(&l, &r, "a\nb").ends_with("[lumber@32473 k=\"x\ny\"] a\nb"));
        l.escape_lf = true;
        assert!(frame(&l, &r, "a\nb\n").ends_with("[lumber@32473 k=\"x#012y\"] a#012b#012"));
    }

    #[test]
    fn truncation_keeps_utf8_and_the_nul() {
        let mut l = layout(SysLogFormat::Python);
        l.max_size = 10;
        // "<134>" is 5 bytes; 4 left for the message before the NUL.
        assert_eq!(frame(&l, &rec(Level::INFO), "abcdef"), "<134>abcd\0");
        assert_eq!(frame(&l, &rec(Level::INFO), "aéé"), "<134>aé\0");
        assert_eq!(frame(&l, &rec(Level::INFO), "€€€"), "<134>€\0");
        for max in 0..40 {
            l.max_size = max;
            let out = frame(&l, &rec(Level::INFO), "ü€𝄞x".repeat(3).as_str());
            assert!(out.len() <= max.max(1), "{max}: {out:?}");
        }
    }

    #[test]
    fn oversized_structured_data_is_dropped_not_cut() {
        let mut l = layout(SysLogFormat::Rfc5424);
        l.max_size = 120;
        let big = "x".repeat(200);
        let fields = [("big", Value::from(big.as_str()))];
        let out = frame(&l, &rec(Level::INFO).with_fields(&fields), "message text");
        assert!(out.ends_with("host app 42 - - message text"), "{out}");
        let long = "y".repeat(500);
        let out = frame(&l, &rec(Level::INFO).with_fields(&fields), &long);
        assert_eq!(out.len(), 120);
        assert!(out.contains(" - - yyy"), "{out}");
    }

    #[test]
    fn floor_char_boundary_never_splits() {
        let s = "a€b".as_bytes();
        assert_eq!(floor_char_boundary(s, 0), 0);
        assert_eq!(floor_char_boundary(s, 1), 1);
        assert_eq!(floor_char_boundary(s, 2), 1);
        assert_eq!(floor_char_boundary(s, 3), 1);
        assert_eq!(floor_char_boundary(s, 4), 4);
        assert_eq!(floor_char_boundary(s, 99), 5);
        assert_eq!(floor_char_boundary(&[0x80, 0x80, 0x80, 0x80, 0x80], 4), 4);
    }

    #[test]
    fn sanitizers() {
        assert_eq!(sanitize_header("my app é", 48), "my_app__");
        assert_eq!(sanitize_header(&"z".repeat(40), 32).len(), 32);
        assert_eq!(sanitize_tag("a:b[c]", 48), "a_b_c_");
        let mut out = Vec::new();
        push_param_name("", &mut out);
        push_param_name(&"k".repeat(40), &mut out);
        assert_eq!(out.len(), 33);
    }
}
