//! The colored console formatter: the color decision, exact output with and
//! without colors, escaping, terminal detection through handlers; and the
//! pattern formatter's `escape` option.

use std::error::Error;
use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use lumber::{
    Color, ColorChoice, ConsoleFormatter, ConsoleStyle, Destination, FileHandler, Format,
    Formatter, Handler, Level, Message, OwnedValue, Record, Sink, StreamHandler, Timestamp, Value,
};
use proptest::prelude::*;

use crate::render;

// ---------------------------------------------------------------------------
// The color decision

const DESTINATIONS: [Destination; 3] = [
    Destination::Terminal,
    Destination::Redirected,
    Destination::Other,
];

/// The rules of `ColorChoice`'s documentation, restated as one formula.
fn expected(choice: ColorChoice, destination: Destination, env: &[(&str, &str)]) -> bool {
    let get = |k: &str| env.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let set = |k: &str| get(k).is_some_and(|v| !v.is_empty());
    let no_color = set("NO_COLOR");
    let force = set("CLICOLOR_FORCE") && get("CLICOLOR_FORCE") != Some("0");
    let off = get("CLICOLOR") == Some("0") || get("TERM") == Some("dumb");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            destination != Destination::Other
                && !no_color
                && (force || (!off && destination == Destination::Terminal))
        }
    }
}

#[test]
fn the_color_decision_for_every_environment() {
    let values = |name: &'static str, vs: &'static [&'static str]| {
        let mut v: Vec<Option<(&str, &str)>> = vec![None];
        v.extend(vs.iter().map(|x| Some((name, *x))));
        v
    };
    let no_color = values("NO_COLOR", &["", "1", "0", "false"]);
    let force = values("CLICOLOR_FORCE", &["", "0", "1", "yes"]);
    let clicolor = values("CLICOLOR", &["", "0", "1"]);
    let term = values("TERM", &["dumb", "xterm-256color"]);
    let mut cases = 0;
    for a in &no_color {
        for b in &force {
            for c in &clicolor {
                for d in &term {
                    let env: Vec<(&str, &str)> =
                        [a, b, c, d].into_iter().flatten().copied().collect();
                    let lookup = |key: &str| env.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                    for destination in DESTINATIONS {
                        for choice in [ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never] {
                            assert_eq!(
                                choice.resolve(destination, lookup),
                                expected(choice, destination, &env),
                                "{choice:?} {destination:?} {env:?}"
                            );
                            cases += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(cases, 5 * 5 * 4 * 3 * 3 * 3);
}

#[test]
fn the_color_decision_in_the_cases_people_meet() {
    let auto = |destination, env: &[(&'static str, &'static str)]| {
        let env = env.to_vec();
        ColorChoice::Auto.resolve(destination, move |key: &str| {
            env.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
        })
    };
    use Destination::*;
    // A terminal, a pipe, a file, with nothing set.
    assert!(auto(Terminal, &[]));
    assert!(!auto(Redirected, &[]));
    assert!(!auto(Other, &[]));
    // NO_COLOR: any non-empty value, and it beats CLICOLOR_FORCE.
    assert!(!auto(Terminal, &[("NO_COLOR", "1")]));
    assert!(!auto(Terminal, &[("NO_COLOR", "0")]));
    assert!(auto(Terminal, &[("NO_COLOR", "")]));
    assert!(!auto(
        Redirected,
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
    ));
    // CLICOLOR_FORCE: a pipe is colored, a file or a writer never.
    assert!(auto(Redirected, &[("CLICOLOR_FORCE", "1")]));
    assert!(!auto(Redirected, &[("CLICOLOR_FORCE", "0")]));
    assert!(!auto(Redirected, &[("CLICOLOR_FORCE", "")]));
    assert!(!auto(Other, &[("CLICOLOR_FORCE", "1")]));
    assert!(auto(
        Terminal,
        &[("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")]
    ));
    assert!(auto(Terminal, &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")]));
    // CLICOLOR=0 and TERM=dumb turn a terminal's colors off.
    assert!(!auto(Terminal, &[("CLICOLOR", "0")]));
    assert!(auto(Terminal, &[("CLICOLOR", "1")]));
    assert!(!auto(Terminal, &[("TERM", "dumb")]));
    // The program's explicit choice beats the environment.
    let no_color = |key: &str| (key == "NO_COLOR").then_some("1");
    assert!(ColorChoice::Always.resolve(Other, no_color));
    assert!(!ColorChoice::Never.resolve(Terminal, |_: &str| Some("1")));
}

// ---------------------------------------------------------------------------
// Exact output

static SITE: lumber::Site<'static> = lumber::Site {
    module_path: "shop::db",
    file: "src/db.rs",
    line: 42,
    template: "",
    function: lumber::Function::Unknown,
};

/// 2023-11-14 22:13:20.045 UTC.
const T: f64 = 1_700_000_000.045;

fn record<'a>(name: &'a str, level: Level, message: &'a str) -> Record<'a> {
    Record::new(name, level, Message::Str(message))
        .with_time(Timestamp::from_f64(T))
        .with_site(&SITE)
        .with_thread(7, "worker-1")
}

fn plain() -> ConsoleFormatter {
    ConsoleFormatter::new().color(ColorChoice::Never).utc(true)
}

fn colored() -> ConsoleFormatter {
    ConsoleFormatter::new().color(ColorChoice::Always).utc(true)
}

#[test]
fn every_level_without_colors() {
    lumber::add_level_name(Level::new(23), "VERBOSE");
    let f = plain();
    let cases = [
        (Level::NOTSET, "NOTSET  "),
        (Level::TRACE, "TRACE   "),
        (Level::DEBUG, "DEBUG   "),
        (Level::INFO, "INFO    "),
        (Level::new(23), "VERBOSE "),
        (Level::WARNING, "WARNING "),
        (Level::ERROR, "ERROR   "),
        (Level::new(42), "Level 42"),
        (Level::CRITICAL, "CRITICAL"),
    ];
    for (level, shown) in cases {
        assert_eq!(
            render(&f, &record("shop.db", level, "pool ready")),
            format!("22:13:20.045 {shown} shop.db: pool ready"),
        );
    }
}

#[test]
fn every_level_with_colors() {
    let f = colored();
    let cases = [
        (Level::NOTSET, "\x1b[35mNOTSET\x1b[0m  "),
        (Level::TRACE, "\x1b[35mTRACE\x1b[0m   "),
        (Level::DEBUG, "\x1b[36mDEBUG\x1b[0m   "),
        (Level::INFO, "\x1b[32mINFO\x1b[0m    "),
        (Level::new(29), "\x1b[32mLevel 29\x1b[0m"),
        (Level::WARNING, "\x1b[1;33mWARNING\x1b[0m "),
        (Level::ERROR, "\x1b[1;31mERROR\x1b[0m   "),
        (Level::CRITICAL, "\x1b[1;97;41mCRITICAL\x1b[0m"),
        (Level::MAX, "\x1b[1;97;41mLevel 4294967294\x1b[0m"),
    ];
    for (level, shown) in cases {
        assert_eq!(
            render(&f, &record("shop.db", level, "pool ready")),
            format!("\x1b[2m22:13:20.045\x1b[0m {shown} \x1b[1mshop.db\x1b[0m: pool ready"),
        );
    }
}

#[test]
fn custom_level_styles_cover_a_range() {
    let f = colored()
        .time(false)
        .level_style(Level::new(25), ConsoleStyle::new().fg(Color::Fixed(208)))
        .level_style(Level::new(28), ConsoleStyle::new());
    let level = |n| render(&f, &record("x", Level::new(n), "m"));
    assert_eq!(level(24), "\x1b[32mLevel 24\x1b[0m \x1b[1mx\x1b[0m: m");
    assert_eq!(
        level(25),
        "\x1b[38;5;208mLevel 25\x1b[0m \x1b[1mx\x1b[0m: m"
    );
    assert_eq!(
        level(27),
        "\x1b[38;5;208mLevel 27\x1b[0m \x1b[1mx\x1b[0m: m"
    );
    // The plain style writes no escape codes at all.
    assert_eq!(level(28), "Level 28 \x1b[1mx\x1b[0m: m");
    assert_eq!(level(30), "\x1b[1;33mWARNING\x1b[0m  \x1b[1mx\x1b[0m: m");
}

#[test]
fn options_thread_location_width_time() {
    let r = record("shop.db", Level::INFO, "up");
    let f = plain().thread(true).location(true);
    assert_eq!(
        render(&f, &r),
        "22:13:20.045 INFO     [worker-1] shop.db: src/db.rs:42: up"
    );
    let f = colored().thread(true).location(true).level_width(0);
    assert_eq!(
        render(&f, &r),
        "\x1b[2m22:13:20.045\x1b[0m \x1b[32mINFO\x1b[0m \x1b[2m[worker-1]\x1b[0m \
         \x1b[1mshop.db\x1b[0m: \x1b[2msrc/db.rs:42\x1b[0m: up"
    );
    let f = plain().time_format("%Y-%m-%dT%H:%M:%S").millis(false);
    assert_eq!(render(&f, &r), "2023-11-14T22:13:20 INFO     shop.db: up");
    // An unknown site shows no location; an empty message no space.
    let f = plain().time(false).location(true);
    let r = Record::new("x", Level::INFO, Message::Str(""));
    assert_eq!(render(&f, &r), "INFO     x:");
}

#[test]
fn fields_from_every_source_each_key_once() {
    let bound = vec![
        ("client".into(), OwnedValue::from("10.0.0.7")),
        ("user".into(), OwnedValue::from("shadowed")),
    ];
    let _outer = lumber::push_context(lumber::fields!(request = "7f3a", client = "shadowed"));
    let ctx = lumber::current_context();
    let path = std::path::PathBuf::from("/tmp/a b");
    let fields = [
        ("user", Value::from("ann")),
        ("n", Value::from(-3)),
        ("big", Value::from(u64::MAX)),
        ("ratio", Value::from(1.0)),
        ("ok", Value::from(true)),
        ("none", Value::Null),
        ("empty", Value::from("")),
        ("quoted", Value::from("say \"hi\" = ok")),
        ("raw", Value::Bytes(b"ab\xffcd")),
        ("path", Value::Debug(&path)),
        ("shown", Value::Display(&"two\nlines\x1b")),
    ];
    let r = record("app", Level::INFO, "done")
        .with_fields(&fields)
        .with_bound(&bound)
        .with_context(ctx.as_ref());
    assert_eq!(
        render(&plain().time(false), &r),
        "INFO     app: done  user=ann n=-3 big=18446744073709551615 ratio=1.0 ok=true \
         none=None empty=\"\" quoted=\"say \\\"hi\\\" = ok\" raw=ab\u{fffd}cd \
         path=\"/tmp/a b\" shown=two\\nlines\\x1b client=10.0.0.7 request=7f3a"
    );
    let few = [("user", Value::from("ann")), ("ms", Value::from(2.5))];
    let r = record("app", Level::INFO, "done").with_fields(&few);
    assert_eq!(
        render(&colored().time(false), &r),
        "\x1b[32mINFO\x1b[0m     \x1b[1mapp\x1b[0m: done  \
         \x1b[2muser=\x1b[0mann \x1b[2mms=\x1b[0m2.5"
    );
    assert_eq!(
        render(&plain().time(false).fields(false), &r),
        "INFO     app: done"
    );
}

#[derive(Debug)]
struct Layer(&'static str, Option<Box<Layer>>);

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Error for Layer {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.1.as_deref().map(|l| l as &(dyn Error + 'static))
    }
}

#[test]
fn errors_chains_and_stacks_follow_indented() {
    let e = Layer(
        "charge failed",
        Some(Box::new(Layer(
            "provider said:\nno",
            Some(Box::new(Layer("reset", None))),
        ))),
    );
    let fields = [("order", Value::from(1042))];
    let r = record("shop.pay", Level::ERROR, "checkout")
        .with_fields(&fields)
        .with_error(&e)
        .with_stack_info("Stack (most recent call last):\n   0: main\n");
    assert_eq!(
        render(&plain().time(false), &r),
        "ERROR    shop.pay: checkout  order=1042\n\
         \x20   Error: charge failed\n\
         \x20   Caused by: provider said:\n\
         \x20   no\n\
         \x20   Caused by: reset\n\
         \x20   Stack (most recent call last):\n\
         \x20      0: main"
    );
    assert_eq!(
        render(&colored().time(false).fields(false), &r),
        "\x1b[1;31mERROR\x1b[0m    \x1b[1mshop.pay\x1b[0m: checkout\n\
         \x20   \x1b[1;31mError:\x1b[0m charge failed\n\
         \x20   \x1b[31mCaused by:\x1b[0m provider said:\n\
         \x20   no\n\
         \x20   \x1b[31mCaused by:\x1b[0m reset\n\
         \x20   \x1b[2mStack (most recent call last):\n\
         \x20      0: main\x1b[0m"
    );
    // Python's traceback text (records from `lumber pipe`).
    let r = record("py", Level::ERROR, "failed")
        .with_exc_text("Traceback (most recent call last):\n  File \"x.py\"\nValueError: x");
    assert_eq!(
        render(&plain().time(false), &r),
        "ERROR    py: failed\n\
         \x20   Traceback (most recent call last):\n\
         \x20     File \"x.py\"\n\
         \x20   ValueError: x"
    );
}

#[test]
fn multi_line_messages_are_indented() {
    let r = record("cfg", Level::INFO, "loaded:\n  port = 8080\n\tworkers = 4");
    assert_eq!(
        render(&plain().time(false), &r),
        "INFO     cfg: loaded:\n      port = 8080\n    \tworkers = 4"
    );
    // A forged record inside a message is indented, so it cannot pass for one.
    let r = record("x", Level::INFO, "ok\n22:13:20.046 CRITICAL root: forged");
    let out = render(&plain(), &r);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with(' '), "{out:?}");
}

// ---------------------------------------------------------------------------
// Escaping on the console

#[test]
fn control_characters_in_messages_are_escaped() {
    let f = plain().time(false);
    for (message, shown) in [
        ("\x1b[2Jcleared", r"\x1b[2Jcleared"),
        ("50%\rdone", r"50%\rdone"),
        ("bell\x07", r"bell\x07"),
        ("csi\u{9b}31m", r"csi\x9b31m"),
        ("del\x7f", r"del\x7f"),
        ("nul\0", r"nul\x00"),
        ("nel\u{85}", r"nel\x85"),
        ("keep\ttabs", "keep\ttabs"),
        ("é ünïcode ✓ \u{a0}", "é ünïcode ✓ \u{a0}"),
    ] {
        assert_eq!(
            render(&f, &record("x", Level::INFO, message)),
            format!("INFO     x: {shown}"),
            "{message:?}"
        );
    }
    // The same in colors: the message's escapes are text, the only escape
    // codes are the formatter's own.
    let out = render(
        &colored().time(false),
        &record("x", Level::INFO, "\x1b[31mred?"),
    );
    assert_eq!(
        out,
        "\x1b[32mINFO\x1b[0m     \x1b[1mx\x1b[0m: \\x1b[31mred?"
    );
    // Logger and thread names, error texts: escaped too.
    let e = Layer("bad\x1b]0;title\x07", None);
    let r = Record::new("a\x1bb", Level::ERROR, Message::Str("m"))
        .with_thread(1, "t\r")
        .with_error(&e);
    assert_eq!(
        render(&plain().time(false).thread(true), &r),
        "ERROR    [t\\r] a\\x1bb: m\n    Error: bad\\x1b]0;title\\x07"
    );
}

#[test]
fn escaping_can_be_turned_off_for_messages_not_fields() {
    let fields = [("v", Value::from("\x1b[1m"))];
    let r = record("x", Level::INFO, "\x1b[1mbold\x1b[0m\r\x07").with_fields(&fields);
    assert_eq!(
        render(&plain().time(false).escape(false), &r),
        "INFO     x: \x1b[1mbold\x1b[0m\r\x07  v=\"\\x1b[1m\""
    );
}

// ---------------------------------------------------------------------------
// Terminal detection: the handler tells the formatter where it writes.

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn a_few_records(h: &Handler) {
    let e = Layer("boom", Some(Box::new(Layer("cause", None))));
    let fields = [("k", Value::from("v w"))];
    for level in [Level::DEBUG, Level::INFO, Level::WARNING, Level::CRITICAL] {
        h.handle(&record("app", level, "line\nnext").with_fields(&fields));
    }
    h.handle(&record("app", Level::ERROR, "failed").with_error(&e));
}

#[test]
fn auto_never_colors_a_writer_or_a_file() {
    let buffer = Shared::default();
    let h =
        Handler::new(StreamHandler::writer(buffer.clone())).with_formatter(ConsoleFormatter::new());
    a_few_records(&h);
    let text = buffer.text();
    assert_eq!(text.lines().count(), 4 * 2 + 3, "{text}");
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(h.formatter().describe().contains("colored=false"));

    let path = std::env::temp_dir().join(format!("lumber-console-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let h = Handler::new(FileHandler::new(&path).unwrap()).with_formatter(ConsoleFormatter::new());
    a_few_records(&h);
    h.close();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 4 * 2 + 3, "{text}");
    assert!(!text.contains('\x1b'), "{text:?}");

    // A formatter shared with a handler on a terminal is specialized per
    // handler: moved to a writer, it stops coloring.
    let tty = Shared::default();
    let on_tty =
        Handler::new(StreamHandler::writer(tty.clone()).with_destination(Destination::Terminal))
            .with_formatter(ConsoleFormatter::new());
    let moved = Shared::default();
    let h = Handler::new(StreamHandler::writer(moved.clone()));
    h.set_formatter(on_tty.formatter());
    a_few_records(&h);
    assert!(!moved.text().contains('\x1b'));
    // On the "terminal" it colors exactly when the environment allows.
    a_few_records(&on_tty);
    assert_eq!(
        tty.text().contains('\x1b'),
        ColorChoice::Auto.resolve_from_env(Destination::Terminal)
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn always_colors_any_destination_and_never_none() {
    let buffer = Shared::default();
    let h = Handler::new(StreamHandler::writer(buffer.clone()))
        .with_formatter(ConsoleFormatter::new().color(ColorChoice::Always));
    a_few_records(&h);
    assert!(
        buffer.text().contains("\x1b[1;97;41mCRITICAL\x1b[0m"),
        "{}",
        buffer.text()
    );

    let path =
        std::env::temp_dir().join(format!("lumber-console-always-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let h = Handler::new(FileHandler::new(&path).unwrap())
        .with_formatter(ConsoleFormatter::new().color(ColorChoice::Always));
    a_few_records(&h);
    h.close();
    assert!(std::fs::read_to_string(&path).unwrap().contains('\x1b'));
    let _ = std::fs::remove_file(&path);

    let buffer = Shared::default();
    let h =
        Handler::new(StreamHandler::writer(buffer.clone()).with_destination(Destination::Terminal))
            .with_formatter(ConsoleFormatter::new().color(ColorChoice::Never));
    a_few_records(&h);
    assert!(!buffer.text().contains('\x1b'));
}

#[test]
fn sinks_say_what_they_write_to() {
    assert_eq!(
        StreamHandler::writer(Vec::new()).destination(),
        Destination::Other
    );
    assert_eq!(lumber::NullHandler.destination(), Destination::Other);
    let path = std::env::temp_dir().join(format!("lumber-console-dest-{}.log", std::process::id()));
    assert_eq!(
        FileHandler::new(&path).unwrap().destination(),
        Destination::Other
    );
    let _ = std::fs::remove_file(&path);
    use std::io::IsTerminal;
    let stderr = StreamHandler::stderr().destination();
    assert_eq!(stderr == Destination::Terminal, io::stderr().is_terminal());
    assert_ne!(stderr, Destination::Other);
}

/// Counts how often a handler asks the formatter to adapt.
struct Counting(Arc<AtomicUsize>);

impl Format for Counting {
    fn format(&self, record: &Record<'_>, out: &mut String) {
        let _ = fmt::Write::write_fmt(out, format_args!("{}", record.message()));
    }
    fn for_sink(&self, _sink: &dyn Sink) -> Option<Arc<dyn Format>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        None
    }
}

#[test]
fn formatters_adapt_once_when_installed_not_per_record() {
    let calls = Arc::new(AtomicUsize::new(0));
    let h = Handler::new(lumber::NullHandler).with_formatter(Counting(calls.clone()));
    for _ in 0..100 {
        h.handle(&record("x", Level::INFO, "m"));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Wrapped in an Arc, the formatter still adapts.
    h.set_formatter(Arc::new(Arc::new(Counting(calls.clone()))));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

// ---------------------------------------------------------------------------
// The pattern formatter's `escape` option

#[test]
fn pattern_escape_makes_one_line() {
    let f = Formatter::new("%(levelname)s\t%(user)s %(message)s")
        .unwrap()
        .escape(true);
    let fields = [("user", Value::from("a\nb"))];
    let e = Layer("boom\r", Some(Box::new(Layer("cause", None))));
    let r = Record::new(
        "x",
        Level::ERROR,
        Message::Str("m\x1b[2J\u{9b}\x7f\t\u{2028}\\n"),
    )
    .with_fields(&fields)
    .with_error(&e)
    .with_stack_info("Stack:\n  0: main");
    assert_eq!(
        render(&f, &r),
        "ERROR\ta\\nb m\\x1b[2J\\x9b\\x7f\\t\\u2028\\n\\nError: boom\\r\\nCaused by: cause\\nStack:\\n  0: main"
    );
    assert_eq!(
        f.describe(),
        "Formatter(\"%(levelname)s\\t%(user)s %(message)s\", escape=true)"
    );
    // try_format escapes as well.
    let mut out = String::new();
    f.try_format(&r, &mut out).unwrap();
    assert_eq!(out, render(&f, &r));
    // Off (the default): CPython's bytes.
    let f = Formatter::new("%(message)s").unwrap();
    assert_eq!(
        render(&f, &record("x", Level::INFO, "a\nb\x1b")),
        "a\nb\x1b"
    );
}

/// Strings biased towards the characters that matter.
fn nasty() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => any::<char>(),
        2 => prop::char::range('\0', '\x1f'),
        1 => Just('\x7f'),
        1 => prop::char::range('\u{80}', '\u{9f}'),
        1 => prop_oneof![Just('\u{2028}'), Just('\u{2029}'), Just('\\'), Just('\n')],
        4 => prop::char::range(' ', '~'),
    ];
    prop::collection::vec(c, 0..40).prop_map(|v| v.into_iter().collect())
}

fn forbidden(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

proptest! {
    #[test]
    fn escaped_pattern_output_is_one_line(message in nasty(), field in nasty(), error in nasty()) {
        let f = Formatter::with_style("{asctime} {levelname:<8} [{field}] {message!r:>10}|{message}", lumber::Style::Brace)
            .unwrap()
            .escape(true);
        let fields = [("field", Value::Str(&field))];
        let e = std::io::Error::other(error.clone());
        let r = Record::new("x", Level::WARNING, Message::Str(&message)).with_fields(&fields).with_error(&e);
        let out = render(&f, &r);
        prop_assert!(!out.chars().any(forbidden), "{:?}", out);
        prop_assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn escape_changes_nothing_without_control_characters(message in nasty(), field in nasty()) {
        let clean = |s: &str| s.chars().filter(|c| !forbidden(*c)).collect::<String>();
        let (message, field) = (clean(&message), clean(&field));
        let pattern = "%(asctime)s %(levelname)-8s %(name)s %(field)s: %(message)s";
        let fields = [("field", Value::Str(&field))];
        let r = Record::new("x.y", Level::INFO, Message::Str(&message)).with_fields(&fields);
        let plain = Formatter::new(pattern).unwrap();
        let escaped = Formatter::new(pattern).unwrap().escape(true);
        prop_assert_eq!(render(&escaped, &r), render(&plain, &r));
    }

    #[test]
    fn the_console_never_passes_terminal_controls(message in nasty(), field in nasty()) {
        let fields = [("f", Value::Str(&field))];
        let r = Record::new("x", Level::INFO, Message::Str(&message)).with_fields(&fields);
        for f in [plain(), colored()] {
            let out = render(&f, &r);
            // The formatter's own escape codes aside, no control character
            // but line feeds and tabs; every line after the first indented.
            let stripped = out.replace("\x1b[0m", "").replace("\x1b[2m", "").replace("\x1b[1m", "").replace("\x1b[32m", "");
            prop_assert!(!stripped.chars().any(|c| c != '\n' && c != '\t' && c.is_control()), "{:?}", out);
            prop_assert!(stripped.lines().skip(1).all(|l| l.starts_with("    ")), "{:?}", out);
            prop_assert_eq!(stripped.lines().count(), message.split('\n').count());
        }
    }
}
