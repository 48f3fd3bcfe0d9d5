//! [`ConsoleFormatter`]: records for people at a terminal — level colors,
//! dim metadata, bold logger names, fields as `key=value` — and nothing
//! but plain text anywhere else.

mod color;
mod render;

use std::sync::Arc;

pub use color::{Color, ColorChoice, ConsoleStyle};

use super::{Format, Formatter};
use crate::handler::{Destination, Sink};
use crate::level::Level;
use crate::record::Record;

/// Python's built-in levels, each the start of a range: a level takes the
/// style of the highest entry at or below it (NOTICE, 25, is INFO's green).
const DEFAULT_LEVELS: [(Level, ConsoleStyle); 6] = [
    (Level::NOTSET, ConsoleStyle::new().fg(Color::Magenta)),
    (Level::DEBUG, ConsoleStyle::new().fg(Color::Cyan)),
    (Level::INFO, ConsoleStyle::new().fg(Color::Green)),
    (Level::WARNING, ConsoleStyle::new().fg(Color::Yellow).bold()),
    (Level::ERROR, ConsoleStyle::new().fg(Color::Red).bold()),
    (
        Level::CRITICAL,
        ConsoleStyle::new()
            .fg(Color::BrightWhite)
            .bg(Color::Red)
            .bold(),
    ),
];

/// A formatter for people at a terminal:
///
/// ```text
/// 10:04:05.123 INFO     shop.db: pool ready  size=8 url="postgres://db/shop"
/// 10:04:05.126 ERROR    shop.pay: charge failed  order=1042
///     Error: payment provider rejected the charge
///     Caused by: connection reset by peer
/// ```
///
/// The time is dim, the level colored by range (TRACE magenta, DEBUG
/// cyan, INFO green, WARNING bold yellow, ERROR bold red, CRITICAL bold
/// white on red; see [`ConsoleFormatter::level_style`]) and padded so
/// that logger names line up, the logger name bold, field keys dim.
/// Fields are the call site's, then the logger's bound fields, then the
/// scoped context (a key shown once, with the value [`Record::field`]
/// gives); a string value is quoted, like a Rust string literal, when it
/// is empty or holds spaces, quotes, `=` or control characters. The
/// error chain and stack follow on lines of their own.
///
/// **Colors** follow [`ColorChoice`]: in `Auto` mode (the default) they
/// are decided once, when the formatter is installed on a handler
/// ([`Format::for_sink`], from the sink's [`Destination`]), and only a
/// terminal gets them — a file, a pipe or a writer never sees an escape
/// code unless the formatter says [`ColorChoice::Always`] (or, for a
/// redirected stdout/stderr, `CLICOLOR_FORCE` asks for it). Each handler
/// gets its own copy, so one formatter can serve a terminal and a file. A
/// formatter used on its own, on no handler, does not color in `Auto`
/// mode (see [`ConsoleFormatter::for_destination`]). On Windows, colors
/// need a terminal that understands ANSI escape codes (Windows Terminal,
/// VS Code, or a console with virtual terminal processing on).
///
/// **Escaping** (on by default): terminal escape sequences and other
/// control characters in the message, the logger name, the error chain
/// and the stack are shown escaped — ESC as `\x1b`, carriage return as
/// `\r`, other C0 controls, DEL and C1 controls (U+0080–U+009F) as
/// `\xNN` — so a message can neither repaint the terminal nor move the
/// cursor over earlier lines. Line feeds and tabs are kept: every line
/// after the first of a record is indented by four spaces, so a
/// multi-line message reads well and cannot pass for the next record.
/// Field values are escaped whatever the setting, and stay on their line
/// (a line feed in one is shown as `\n`).
///
/// Formatting writes straight into the handler's buffer: nothing is
/// allocated for a record unless something has to be escaped.
///
/// ```
/// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record, Timestamp, Value};
/// let f = ConsoleFormatter::new().color(ColorChoice::Never).utc(true);
/// let fields = [("user", Value::from("ann")), ("ms", Value::from(12))];
/// let r = Record::new("app.db", Level::WARNING, Message::Str("slow query"))
///     .with_fields(&fields)
///     .with_time(Timestamp::from_f64(1_700_000_000.25));
/// let mut out = String::new();
/// f.format(&r, &mut out);
/// assert_eq!(out, "22:13:20.250 WARNING  app.db: slow query  user=ann ms=12");
///
/// let f = f.color(ColorChoice::Always).time(false);
/// out.clear();
/// f.format(&r, &mut out);
/// assert_eq!(
///     out,
///     "\x1b[1;33mWARNING\x1b[0m  \x1b[1mapp.db\x1b[0m: slow query  \
///      \x1b[2muser=\x1b[0mann \x1b[2mms=\x1b[0m12"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct ConsoleFormatter {
    choice: ColorChoice,
    /// The decision for the sink this copy was installed on.
    color: bool,
    escape: bool,
    show_time: bool,
    /// Renders the time: a pattern formatter's cached `format_time`.
    clock: Formatter,
    time_format: Box<str>,
    millis: bool,
    thread: bool,
    location: bool,
    fields: bool,
    level_width: usize,
    /// Sorted by level: (start of the range, its style, the style's
    /// escape sequence).
    levels: Vec<(u32, ConsoleStyle, Box<str>)>,
}

impl Default for ConsoleFormatter {
    fn default() -> ConsoleFormatter {
        ConsoleFormatter::new()
    }
}

const DEFAULT_TIME_FORMAT: &str = "%H:%M:%S";

impl ConsoleFormatter {
    /// The default console format: local time with milliseconds, the
    /// level padded to 8, the logger name, the message, the fields;
    /// colors in `Auto` mode; escaping on.
    ///
    /// ```
    /// use lumber::{ConsoleFormatter, Handler, StreamHandler};
    /// // Colored if stderr is a terminal and the environment allows it.
    /// let console = Handler::new(StreamHandler::stderr()).with_formatter(ConsoleFormatter::new());
    /// # let _ = console;
    /// ```
    pub fn new() -> ConsoleFormatter {
        ConsoleFormatter {
            choice: ColorChoice::Auto,
            color: false,
            escape: true,
            show_time: true,
            clock: Formatter::message_only().datefmt(DEFAULT_TIME_FORMAT),
            time_format: DEFAULT_TIME_FORMAT.into(),
            millis: true,
            thread: false,
            location: false,
            fields: true,
            level_width: 8,
            levels: DEFAULT_LEVELS
                .iter()
                .map(|(level, style)| (level.value(), *style, style.to_string().into()))
                .collect(),
        }
    }

    /// When to color (default [`ColorChoice::Auto`]).
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter};
    /// assert!(ConsoleFormatter::new().color(ColorChoice::Always).is_colored());
    /// assert!(!ConsoleFormatter::new().color(ColorChoice::Never).is_colored());
    /// ```
    pub fn color(mut self, choice: ColorChoice) -> ConsoleFormatter {
        self.choice = choice;
        self.color = choice == ColorChoice::Always;
        self
    }

    /// Escape control characters in messages, errors and stacks (default
    /// on; see the type's documentation). Off, they are written as they
    /// are — for messages that color themselves; field values stay
    /// escaped either way.
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record};
    /// let r = Record::new("x", Level::INFO, Message::Str("\x1b[2Jgone"));
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).time(false);
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert_eq!(out, r"INFO     x: \x1b[2Jgone");
    /// out.clear();
    /// f.escape(false).format(&r, &mut out);
    /// assert_eq!(out, "INFO     x: \x1b[2Jgone");
    /// ```
    pub fn escape(mut self, escape: bool) -> ConsoleFormatter {
        self.escape = escape;
        self
    }

    /// Show the time (default on).
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record};
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).time(false);
    /// let mut out = String::new();
    /// f.format(&Record::new("app", Level::INFO, Message::Str("up")), &mut out);
    /// assert_eq!(out, "INFO     app: up");
    /// ```
    pub fn time(mut self, show: bool) -> ConsoleFormatter {
        self.show_time = show;
        self
    }

    /// The time's strftime format (default `%H:%M:%S`; the same dialect
    /// as [`Formatter::datefmt`]), followed by `.mmm` unless
    /// [`ConsoleFormatter::millis`] is off.
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record, Timestamp};
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).utc(true).time_format("%Y-%m-%d %H:%M:%S");
    /// let r = Record::new("app", Level::INFO, Message::Str("up")).with_time(Timestamp::from_f64(0.5));
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert_eq!(out, "1970-01-01 00:00:00.500 INFO     app: up");
    /// ```
    pub fn time_format(mut self, strftime: &str) -> ConsoleFormatter {
        self.clock = self.clock.datefmt(strftime);
        self.time_format = strftime.into();
        self
    }

    /// Append milliseconds to the time (default on).
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record, Timestamp};
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).utc(true).millis(false);
    /// let r = Record::new("app", Level::INFO, Message::Str("up")).with_time(Timestamp::from_f64(0.5));
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert_eq!(out, "00:00:00 INFO     app: up");
    /// ```
    pub fn millis(mut self, millis: bool) -> ConsoleFormatter {
        self.millis = millis;
        self
    }

    /// Show the time in UTC instead of local time.
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record, Timestamp};
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).utc(true);
    /// let r = Record::new("app", Level::INFO, Message::Str("up")).with_time(Timestamp::from_f64(3600.0));
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert!(out.starts_with("01:00:00.000 "));
    /// ```
    pub fn utc(mut self, utc: bool) -> ConsoleFormatter {
        self.clock = self.clock.utc(utc);
        self
    }

    /// Show the time in a named time zone.
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record, Timestamp};
    /// let zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(2));
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).time_zone(zone);
    /// let r = Record::new("app", Level::INFO, Message::Str("up")).with_time(Timestamp::from_f64(0.0));
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert!(out.starts_with("02:00:00.000 "));
    /// ```
    pub fn time_zone(mut self, zone: jiff::tz::TimeZone) -> ConsoleFormatter {
        self.clock = self.clock.time_zone(zone);
        self
    }

    /// Show the thread's name, dim, in brackets before the logger name
    /// (default off).
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record};
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).time(false).thread(true);
    /// let r = Record::new("app", Level::INFO, Message::Str("up")).with_thread(7, "worker-1");
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert_eq!(out, "INFO     [worker-1] app: up");
    /// ```
    pub fn thread(mut self, show: bool) -> ConsoleFormatter {
        self.thread = show;
        self
    }

    /// Show the source location, dim, after the logger name (default
    /// off): `file:line`, which most terminals and editors can open.
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record, Site};
    /// static SITE: Site = Site { file: "src/db.rs", line: 42, ..Site::UNKNOWN };
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).time(false).location(true);
    /// let r = Record::new("app.db", Level::INFO, Message::Str("up")).with_site(&SITE);
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert_eq!(out, "INFO     app.db: src/db.rs:42: up");
    /// ```
    pub fn location(mut self, show: bool) -> ConsoleFormatter {
        self.location = show;
        self
    }

    /// Show the record's fields after the message (default on).
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record, Value};
    /// let fields = [("user", Value::from(7))];
    /// let r = Record::new("app", Level::INFO, Message::Str("up")).with_fields(&fields);
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).time(false).fields(false);
    /// let mut out = String::new();
    /// f.format(&r, &mut out);
    /// assert_eq!(out, "INFO     app: up");
    /// ```
    pub fn fields(mut self, show: bool) -> ConsoleFormatter {
        self.fields = show;
        self
    }

    /// Pad the level name to this many characters (default 8, the
    /// length of `CRITICAL`; 0 for no padding).
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter, Format, Level, Message, Record};
    /// let f = ConsoleFormatter::new().color(ColorChoice::Never).time(false).level_width(5);
    /// let mut out = String::new();
    /// f.format(&Record::new("app", Level::INFO, Message::Str("up")), &mut out);
    /// assert_eq!(out, "INFO  app: up");
    /// ```
    pub fn level_width(mut self, width: usize) -> ConsoleFormatter {
        self.level_width = width;
        self
    }

    /// Styles the levels from `level` up to the next level that has a
    /// style of its own (the built-in levels start the default ranges:
    /// a custom level 25 is styled like INFO unless given a style).
    ///
    /// ```
    /// use lumber::{Color, ColorChoice, ConsoleFormatter, ConsoleStyle, Format, Level, Message, Record};
    /// const NOTICE: Level = Level::new(25);
    /// let f = ConsoleFormatter::new()
    ///     .color(ColorChoice::Always)
    ///     .time(false)
    ///     .level_style(NOTICE, ConsoleStyle::new().fg(Color::BrightCyan).bold());
    /// let mut out = String::new();
    /// f.format(&Record::new("app", Level::new(27), Message::Str("m")), &mut out);
    /// assert!(out.starts_with("\x1b[1;96mLevel 27\x1b[0m "), "{out:?}");
    /// out.clear();
    /// f.format(&Record::new("app", Level::INFO, Message::Str("m")), &mut out);
    /// assert!(out.starts_with("\x1b[32mINFO\x1b[0m"), "{out:?}");
    /// ```
    pub fn level_style(mut self, level: Level, style: ConsoleStyle) -> ConsoleFormatter {
        let value = level.value();
        let entry = (value, style, style.to_string().into_boxed_str());
        match self.levels.binary_search_by_key(&value, |(v, _, _)| *v) {
            Ok(i) => {
                if let Some(slot) = self.levels.get_mut(i) {
                    *slot = entry;
                }
            }
            Err(i) => self.levels.insert(i, entry),
        }
        self
    }

    /// The style of a level.
    ///
    /// ```
    /// use lumber::{Color, ConsoleFormatter, ConsoleStyle, Level};
    /// let f = ConsoleFormatter::new();
    /// assert_eq!(f.style_of(Level::INFO), ConsoleStyle::new().fg(Color::Green));
    /// assert_eq!(f.style_of(Level::new(45)), f.style_of(Level::ERROR));
    /// ```
    pub fn style_of(&self, level: Level) -> ConsoleStyle {
        self.level_entry(level)
            .map_or(ConsoleStyle::new(), |(_, style, _)| *style)
    }

    /// The color choice.
    ///
    /// ```
    /// use lumber::{ColorChoice, ConsoleFormatter};
    /// assert_eq!(ConsoleFormatter::new().color_choice(), ColorChoice::Auto);
    /// ```
    pub fn color_choice(&self) -> ColorChoice {
        self.choice
    }

    /// Whether this formatter writes colors: the decision made when it was
    /// installed on a handler (in `Auto` mode, a formatter on no handler
    /// does not color).
    ///
    /// ```
    /// assert!(!lumber::ConsoleFormatter::new().is_colored());
    /// ```
    pub fn is_colored(&self) -> bool {
        self.color
    }

    /// This formatter as it would be installed on a handler writing to
    /// `destination`: in `Auto` mode, colored if
    /// [`ColorChoice::resolve_from_env`] says so. Handlers do this
    /// themselves; this is for code that formats records on its own.
    ///
    /// ```
    /// use lumber::{ConsoleFormatter, Destination};
    /// assert!(!ConsoleFormatter::new().for_destination(Destination::Other).is_colored());
    /// ```
    pub fn for_destination(mut self, destination: Destination) -> ConsoleFormatter {
        self.color = self.choice.resolve_from_env(destination);
        self
    }
}

impl Format for ConsoleFormatter {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        self.render(record, out);
    }

    fn describe(&self) -> String {
        let choice = match self.choice {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        };
        let time = if self.show_time {
            &*self.time_format
        } else {
            "off"
        };
        format!(
            "ConsoleFormatter(color={choice}, colored={}, time={time:?})",
            self.color
        )
    }

    fn for_sink(&self, sink: &dyn Sink) -> Option<Arc<dyn Format>> {
        if self.choice != ColorChoice::Auto {
            return None;
        }
        Some(Arc::new(self.clone().for_destination(sink.destination())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_ranges_start_at_each_styled_level() {
        let f = ConsoleFormatter::new();
        assert_eq!(f.style_of(Level::new(1)), f.style_of(Level::TRACE));
        assert_eq!(f.style_of(Level::new(15)), f.style_of(Level::DEBUG));
        assert_eq!(f.style_of(Level::new(29)), f.style_of(Level::INFO));
        assert_eq!(f.style_of(Level::MAX), f.style_of(Level::CRITICAL));
        let red = ConsoleStyle::new().fg(Color::Red);
        let f = f.level_style(Level::INFO, red);
        assert_eq!(f.style_of(Level::INFO), red);
        assert_eq!(f.levels.len(), DEFAULT_LEVELS.len(), "replaced, not added");
    }
}
