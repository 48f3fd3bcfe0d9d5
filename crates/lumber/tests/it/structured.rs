//! The structured formatters: JSON (with the ECS and GELF presets) and
//! logfmt. Exact output for every option, then property tests that parse
//! every line with a real JSON parser (serde_json) or a logfmt decoder
//! written after go-logfmt's.

use std::collections::HashSet;
use std::error::Error;
use std::fmt;

use lumber::python::PyValue;
use lumber::{
    Format, Function, Handler, JsonFormatter, Level, LogfmtFormatter, Message, OwnedValue, Record,
    Site, TimeFormat, TimePrecision, Timestamp, Value, error, exception, info, warning,
};
use proptest::prelude::*;

use crate::{Capture, render};

static SITE: Site<'static> = Site {
    module_path: "app::db",
    file: "/src/app/db.rs",
    line: 42,
    template: "user {}",
    function: Function::Name("connect"),
};

/// A record with everything set, at 2023-11-14T22:13:20.045678901Z.
fn record<'a>(message: &'a str, fields: &'a [(&'a str, Value<'a>)]) -> Record<'a> {
    Record::new("app.db", Level::WARNING, Message::Str(message))
        .with_site(&SITE)
        .with_time(Timestamp::new(1_700_000_000, 45_678_901))
        .with_thread(7, "worker")
        .with_process(99, "proc")
        .with_python_times(Some(45.0), Some(1500.5))
        .with_fields(fields)
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

fn chain() -> Layer {
    Layer(
        "load config",
        Some(Box::new(Layer(
            "read \"app.toml\"",
            Some(Box::new(Layer("permission denied", None))),
        ))),
    )
}

const ALL_KEYS: [&str; 26] = [
    "asctime",
    "created",
    "msecs",
    "relativeCreated",
    "levelname",
    "levelno",
    "name",
    "message",
    "msg",
    "pathname",
    "filename",
    "module",
    "module_path",
    "lineno",
    "funcName",
    "thread",
    "threadName",
    "process",
    "processName",
    "short_message",
    "syslog_severity",
    "exc_info",
    "exc_text",
    "exc_message",
    "stack_info",
    "full_message",
];

// JSON: exact output.

#[test]
fn json_default_shows_pythons_names_then_fields() {
    let fields = [("user", Value::from(42)), ("ok", Value::from(true))];
    let out = render(&JsonFormatter::new().utc(true), &record("done", &fields));
    assert_eq!(
        out,
        r#"{"asctime":"2023-11-14T22:13:20.045Z","levelname":"WARNING","name":"app.db","message":"done","user":42,"ok":true}"#
    );
    let f = JsonFormatter::default();
    assert!(f.describe().starts_with("JsonFormatter(asctime, levelname"));
}

#[test]
fn json_shows_every_attribute() {
    let e = chain();
    let r = record("two\nlines", &[])
        .with_error(&e)
        .with_stack_info("Stack (most recent call last):\n  here");
    let out = render(&JsonFormatter::new().keys(ALL_KEYS).utc(true), &r);
    assert_eq!(
        out,
        concat!(
            r#"{"asctime":"2023-11-14T22:13:20.045Z","created":1700000000.0456789,"msecs":45.0,"#,
            r#""relativeCreated":1500.5,"levelname":"WARNING","levelno":30,"name":"app.db","#,
            r#""message":"two\nlines","msg":"user {}","pathname":"/src/app/db.rs","filename":"db.rs","#,
            r#""module":"db","module_path":"app::db","lineno":42,"funcName":"connect","thread":7,"#,
            r#""threadName":"worker","process":99,"processName":"proc","short_message":"two","#,
            r#""syslog_severity":4,"#,
            r#""exc_info":{"message":"load config","causes":["read \"app.toml\"","permission denied"]},"#,
            r#""exc_text":"Error: load config\nCaused by: read \"app.toml\"\nCaused by: permission denied","#,
            r#""exc_message":"load config","#,
            r#""stack_info":"Stack (most recent call last):\n  here","#,
            r#""full_message":"two\nlines\nError: load config\nCaused by: read \"app.toml\"\nCaused by: permission denied\nStack (most recent call last):\n  here"}"#
        )
    );
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
}

#[test]
fn json_leaves_out_errors_and_stacks_a_record_lacks() {
    let out = render(
        &JsonFormatter::new().keys(ALL_KEYS).utc(true),
        &record("m", &[]),
    );
    assert!(
        out.ends_with(r#""short_message":"m","syslog_severity":4}"#),
        "{out}"
    );
    // An unknown function is null.
    let r = Record::new("x", Level::INFO, Message::Str("m"));
    let out = render(&JsonFormatter::new().keys(["funcName", "lineno"]), &r);
    assert_eq!(out, r#"{"funcName":null,"lineno":0}"#);
}

#[test]
fn json_time_formats_and_zones() {
    let r = record("m", &[]);
    let show = |f: JsonFormatter| render(&f.keys(["asctime"]), &r);
    let f = || JsonFormatter::new().utc(true);
    assert_eq!(
        show(f().time_format(TimeFormat::Rfc3339(TimePrecision::Seconds))),
        r#"{"asctime":"2023-11-14T22:13:20Z"}"#
    );
    assert_eq!(
        show(f().time_format(TimeFormat::Rfc3339(TimePrecision::Micros))),
        r#"{"asctime":"2023-11-14T22:13:20.045678Z"}"#
    );
    assert_eq!(
        show(f().time_format(TimeFormat::Rfc3339(TimePrecision::Nanos))),
        r#"{"asctime":"2023-11-14T22:13:20.045678901Z"}"#
    );
    assert_eq!(
        show(f().time_format(TimeFormat::EpochSeconds(TimePrecision::Micros))),
        r#"{"asctime":1700000000.045678}"#
    );
    assert_eq!(
        show(f().time_format(TimeFormat::EpochMillis)),
        r#"{"asctime":1700000000045}"#
    );
    assert_eq!(
        show(f().time_format(TimeFormat::EpochNanos)),
        r#"{"asctime":1700000000045678901}"#
    );
    let kolkata = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap();
    assert_eq!(
        show(JsonFormatter::new().time_zone(kolkata)),
        r#"{"asctime":"2023-11-15T03:43:20.045+05:30"}"#
    );
    let new_york = jiff::tz::TimeZone::get("America/New_York").unwrap();
    assert_eq!(
        show(JsonFormatter::new().time_zone(new_york)),
        r#"{"asctime":"2023-11-14T17:13:20.045-05:00"}"#
    );
    // Local time carries the local offset (whatever TZ is here).
    let local = show(JsonFormatter::new());
    let offset = &local[local.len() - 8..local.len() - 2];
    assert!(
        offset.starts_with(['+', '-']) && offset.as_bytes()[3] == b':',
        "{local}"
    );
    // `utc(false)` goes back to local time.
    assert_eq!(show(f().utc(false)), local);
}

#[test]
fn json_selection_renames_and_statics() {
    let fields = [("user", Value::from("ann")), ("n", Value::from(1))];
    let r = record("m", &fields);
    let f = JsonFormatter::new()
        .keys(["levelname", "user", "message", "missing"])
        .add_key("lineno")
        .add_key("lineno")
        .rename("levelname", "level")
        .rename("level", "severity")
        .rename("n", "count")
        .static_field("service", "billing")
        .static_field("replica", 3)
        .static_field("service", "api")
        .remove_key("replica");
    assert_eq!(
        render(&f, &r),
        r#"{"severity":"WARNING","user":"ann","message":"m","lineno":42,"service":"api","count":1}"#
    );
    assert_eq!(
        f.describe(),
        "JsonFormatter(levelname->severity, user, message, missing, lineno, service=api; fields flat)"
    );
    // Statics stay when the keys change.
    let f = f.keys(["message"]);
    assert_eq!(
        render(&f, &r),
        r#"{"message":"m","service":"api","user":"ann","count":1}"#
    );
    // Removing by key and by Python name.
    let f = JsonFormatter::new()
        .utc(true)
        .rename("asctime", "ts")
        .remove_key("ts");
    assert_eq!(
        render(&f.remove_key("name"), &r),
        r#"{"levelname":"WARNING","message":"m","user":"ann","n":1}"#
    );
}

#[test]
fn json_fields_nested_omitted_and_context_apart() {
    let fields = [("user", Value::from(7)), ("req", Value::from("call site"))];
    let bound = vec![("svc".into(), OwnedValue::from("api"))];
    let _outer = lumber::push_context(lumber::fields!(req = "outer", tenant = "acme"));
    let _inner = lumber::push_context(lumber::fields!(req = "inner", step = 2));
    let ctx = lumber::current_context();
    let r = record("m", &fields)
        .with_bound(&bound)
        .with_context(ctx.as_ref());
    let base = || JsonFormatter::new().keys(["message"]);
    assert_eq!(
        render(&base(), &r),
        r#"{"message":"m","user":7,"req":"call site","svc":"api","step":2,"tenant":"acme"}"#
    );
    assert_eq!(
        render(&base().fields_under("fields"), &r),
        r#"{"message":"m","fields":{"user":7,"req":"call site","svc":"api","step":2,"tenant":"acme"}}"#
    );
    assert_eq!(
        render(&base().context_under("context"), &r),
        r#"{"message":"m","user":7,"req":"call site","svc":"api","context":{"req":"inner","step":2,"tenant":"acme"}}"#
    );
    assert_eq!(
        render(&base().fields_under("fields").context_under("fields"), &r),
        r#"{"message":"m","fields":{"user":7,"req":"call site","svc":"api"},"fields.fields":{"req":"inner","step":2,"tenant":"acme"}}"#
    );
    assert_eq!(render(&base().omit_fields(), &r), r#"{"message":"m"}"#);
    assert_eq!(
        render(&base().omit_fields().context_under("ctx"), &r),
        r#"{"message":"m","ctx":{"req":"inner","step":2,"tenant":"acme"}}"#
    );
    assert_eq!(
        render(
            &base()
                .context_under("ctx")
                .merge_context()
                .fields_under("f")
                .flatten_fields(),
            &r
        ),
        render(&base(), &r)
    );
}

#[test]
fn json_keys_never_repeat() {
    // A field named like an attribute gets `fields.`; one named like that
    // gets another; duplicates in the record keep the first (innermost).
    let fields = [
        ("name", Value::from("ann")),
        ("message", Value::from("field message")),
        ("fields.name", Value::from(2)),
        ("name", Value::from("shadowed")),
        ("exc_info", Value::from("not an error")),
        ("service", Value::from("field service")),
    ];
    let _scope = lumber::push_context(lumber::fields!(name = "context"));
    let ctx = lumber::current_context();
    let r = record("m", &fields).with_context(ctx.as_ref());
    let f = JsonFormatter::new()
        .keys(["name", "message", "exc_info"])
        .static_field("service", "api")
        .static_field("name", "static name");
    assert_eq!(
        render(&f, &r),
        concat!(
            r#"{"message":"m","service":"api","name":"static name","fields.name":"ann","#,
            r#""fields.message":"field message","fields.fields.name":2,"#,
            r#""fields.exc_info":"not an error","fields.service":"field service"}"#
        )
    );
    // A rename onto another key: the one configured last is shown.
    let f = JsonFormatter::new()
        .keys(["name", "message"])
        .rename("name", "message");
    assert_eq!(
        render(&f, &r),
        r#"{"message":"m","name":"ann","fields.message":"field message","fields.name":2,"exc_info":"not an error","service":"field service"}"#
    );
}

#[test]
fn json_escapes_everything_and_writes_any_value() {
    #[derive(Debug)]
    struct Point {
        #[allow(dead_code)]
        x: i32,
    }
    let p = Point { x: -1 };
    let d = std::net::Ipv4Addr::LOCALHOST;
    let fields = [
        ("bytes", Value::Bytes(b"caf\xe9\n")),
        ("nan", Value::from(f64::NAN)),
        ("inf", Value::from(f64::INFINITY)),
        ("ninf", Value::from(f64::NEG_INFINITY)),
        ("big", Value::from(1e20)),
        ("small", Value::from(1e-5)),
        ("neg", Value::from(-3i64)),
        ("max", Value::from(u64::MAX)),
        ("none", Value::Null),
        ("debug", Value::Debug(&p)),
        ("display", Value::Display(&d)),
        (
            "ctl\u{1}\"key",
            Value::from("\u{0}\u{1f}\u{7f}\t\u{2028}\u{2029}\\"),
        ),
    ];
    let out = render(
        &JsonFormatter::new().keys(["message"]),
        &record("a\r\n\"b\"", &fields),
    );
    let expected = [
        r#"{"message":"a\r\n\"b\"","bytes":"caf"#,
        "\u{FFFD}",
        r#"\n","nan":"NaN","inf":"Infinity","ninf":"-Infinity","big":1e+20,"small":1e-05,"#,
        r#""neg":-3,"max":18446744073709551615,"none":null,"debug":"Point { x: -1 }","#,
        r#""display":"127.0.0.1","ctl\u0001\"key":"\u0000\u001f"#,
        "\u{7f}",
        r#"\t\u2028\u2029\\"}"#,
    ]
    .concat();
    assert_eq!(out, expected);
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["bytes"], "caf\u{FFFD}\n");
    let raw = top_level_raw(&out);
    assert_eq!(raw[0], ("message".to_owned(), r#""a\r\n\"b\"""#.to_owned()));
    assert_eq!(raw[5], ("big".to_owned(), "1e+20".to_owned()));
    assert_eq!(raw.len(), 13);
    assert_eq!(
        parsed["ctl\u{1}\"key"],
        "\u{0}\u{1f}\u{7f}\t\u{2028}\u{2029}\\"
    );
}

#[test]
fn json_messages_from_format_args_are_escaped_as_they_render() {
    fn show(args: fmt::Arguments<'_>) -> String {
        let r = Record::new("x", Level::INFO, Message::Args(args));
        render(
            &JsonFormatter::new().keys(["message", "short_message", "full_message"]),
            &r,
        )
    }
    let who = "\"ann\"\n";
    let out = show(format_args!("hello {who} {}", 1.5));
    assert_eq!(
        out,
        r#"{"message":"hello \"ann\"\n 1.5","short_message":"hello \"ann\"","full_message":"hello \"ann\"\n 1.5"}"#
    );
}

#[test]
fn json_errors_from_python_records_are_tracebacks() {
    let tb = "Traceback (most recent call last):\n  File \"w.py\", line 3, in run\nValueError: bad";
    let r = Record::new("py", Level::ERROR, Message::Str("failed")).with_exc_text(tb);
    let f = JsonFormatter::new().keys(["message", "exc_info", "exc_text", "exc_message"]);
    let out = render(&f, &r);
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["exc_info"]["traceback"], tb);
    assert_eq!(parsed["exc_text"], tb);
    assert!(parsed.get("exc_message").is_none());
    // An empty traceback is no traceback (as Python's formatter has it).
    let r = Record::new("py", Level::ERROR, Message::Str("m")).with_exc_text("");
    assert_eq!(render(&f, &r), r#"{"message":"m"}"#);
}

#[test]
fn json_error_chains_stop_at_64_causes() {
    let mut e = Layer("root", None);
    for _ in 0..100 {
        e = Layer("layer", Some(Box::new(e)));
    }
    let r = Record::new("x", Level::ERROR, Message::Str("m")).with_error(&e);
    let out = render(&JsonFormatter::new().keys(["exc_info"]), &r);
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let causes = parsed["exc_info"]["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 65);
    assert_eq!(causes[64], "... (chain too deep)");
}

#[test]
fn json_python_records_show_their_own_values() {
    let attrs = [
        ("levelname", PyValue::Str("NOTICE".into())),
        ("levelno", PyValue::Int(25)),
        ("funcName", PyValue::None),
        ("created", PyValue::Int(1_700_000_000)),
        ("args", PyValue::Tuple(vec![PyValue::Int(1)])),
        ("exc_info", PyValue::None),
        ("msg", PyValue::Str("hi %s".into())),
        (
            "user",
            PyValue::Dict(vec![
                ("id".into(), PyValue::Int(1)),
                (
                    "tags".into(),
                    PyValue::List(vec![
                        PyValue::Str("a".into()),
                        PyValue::Float(f64::INFINITY),
                    ]),
                ),
            ]),
        ),
        ("name", PyValue::Str("ignored: not an extra".into())),
        ("big", PyValue::Int(i128::MAX)),
    ];
    let r = Record::new("py.app", Level::new(25), Message::Str("hi ann"))
        .with_time(Timestamp::new(1_700_000_000, 0))
        .with_python_attrs(&attrs);
    let f = JsonFormatter::new().utc(true).keys([
        "asctime",
        "created",
        "levelname",
        "levelno",
        "name",
        "funcName",
        "msg",
        "message",
    ]);
    assert_eq!(
        render(&f, &r),
        concat!(
            r#"{"asctime":"2023-11-14T22:13:20.000Z","created":1700000000,"levelname":"NOTICE","#,
            r#""levelno":25,"name":"ignored: not an extra","funcName":null,"msg":"hi %s","message":"hi ann","#,
            r#""user":{"id":1,"tags":["a","Infinity"]},"big":170141183460469231731687303715884105727}"#
        )
    );
    assert_eq!(
        render(
            &JsonFormatter::new()
                .keys(["levelname"])
                .lowercase_level(true),
            &r
        ),
        r#"{"levelname":"notice","user":{"id":1,"tags":["a","Infinity"]},"big":170141183460469231731687303715884105727}"#
    );
    // A picked extra, in its place.
    assert_eq!(
        render(
            &JsonFormatter::new().keys(["user", "message"]).omit_fields(),
            &r
        ),
        r#"{"user":{"id":1,"tags":["a","Infinity"]},"message":"hi ann"}"#
    );
}

#[test]
fn json_custom_level_names_lowercase() {
    lumber::add_level_name(Level::new(37), "AUDIT");
    let r = Record::new("x", Level::new(37), Message::Str("m"));
    assert_eq!(
        render(&JsonFormatter::new().keys(["levelname"]), &r),
        r#"{"levelname":"AUDIT"}"#
    );
    assert_eq!(
        render(
            &JsonFormatter::new()
                .keys(["levelname"])
                .lowercase_level(true),
            &r
        ),
        r#"{"levelname":"audit"}"#
    );
    assert_eq!(
        render(&LogfmtFormatter::new().keys(["levelname"]), &r),
        "level=audit"
    );
}

// Presets.

#[test]
fn ecs_preset_follows_ecs_logging() {
    let e = chain();
    let fields = [
        ("user.id", Value::from(7)),
        ("http.request.method", Value::from("GET")),
    ];
    let r = record("query failed", &fields)
        .with_error(&e)
        .with_stack_info("Stack:\n  here");
    let out = render(&JsonFormatter::ecs(), &r);
    assert_eq!(
        out,
        concat!(
            r#"{"@timestamp":"2023-11-14T22:13:20.045Z","log.level":"warning","message":"query failed","#,
            r#""ecs.version":"1.6.0","log.logger":"app.db","log.origin.file.name":"db.rs","#,
            r#""log.origin.file.line":42,"log.origin.function":"connect","process.pid":99,"#,
            r#""process.name":"proc","process.thread.id":7,"process.thread.name":"worker","#,
            r#""user.id":7,"http.request.method":"GET","error.message":"load config","#,
            r#""error.stack_trace":"Error: load config\nCaused by: read \"app.toml\"\nCaused by: permission denied\nStack:\n  here"}"#
        )
    );
    assert!(
        JsonFormatter::ecs()
            .describe()
            .starts_with("JsonFormatter(ecs: asctime->@timestamp")
    );
    // The stack alone is the stack trace, as ecs-logging-python has it.
    let r = record("m", &[]).with_stack_info("Stack:\n  here");
    let out = render(&JsonFormatter::ecs().keys(["message", "exc_text"]), &r);
    assert_eq!(
        out,
        r#"{"message":"m","ecs.version":"1.6.0","error.stack_trace":"Stack:\n  here"}"#
    );
}

#[test]
fn ecs_labels_have_no_dots() {
    let fields = [
        ("app.version", Value::from("1.0")),
        ("a*b\\c", Value::from(1)),
    ];
    let r = record("m", &fields);
    let f = JsonFormatter::ecs()
        .keys(["message"])
        .fields_under("labels");
    assert_eq!(
        render(&f, &r),
        r#"{"message":"m","ecs.version":"1.6.0","labels":{"app_version":"1.0","a_b_c":1}}"#
    );
}

#[test]
fn gelf_preset_follows_gelf_1_1() {
    let e = chain();
    let fields = [
        ("id", Value::from(1)),
        ("user id", Value::from("ann")),
        ("logger", Value::from("field")),
        ("ok", Value::from(false)),
        ("none", Value::Null),
        ("ratio", Value::from(0.5)),
    ];
    let r = record("query failed\nsecond line", &fields).with_error(&e);
    let f = JsonFormatter::gelf()
        .static_field("host", "web-1")
        .static_field("env", "prod");
    let out = render(&f, &r);
    assert_eq!(
        out,
        concat!(
            r#"{"version":"1.1","host":"web-1","short_message":"query failed","timestamp":1700000000.045,"#,
            r#""level":4,"_logger":"app.db","_level_name":"WARNING","_file":"/src/app/db.rs","_line":42,"#,
            r#""_function":"connect","_pid":99,"_process_name":"proc","_thread_name":"worker","_env":"prod","#,
            r#""_fields.id":1,"_user_id":"ann","_fields.logger":"field","_ok":"false","_ratio":0.5,"#,
            r#""full_message":"query failed\nsecond line\nError: load config\nCaused by: read \"app.toml\"\nCaused by: permission denied"}"#
        )
    );
    // One line, no error: no full_message; unknown function: no _function.
    let r = Record::new("x", Level::new(25), Message::Str("m")).with_time(Timestamp::new(0, 0));
    let out = render(&JsonFormatter::gelf().static_field("host", "h"), &r);
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(parsed.get("full_message").is_none() && parsed.get("_function").is_none());
    assert_eq!(parsed["level"], 5);
    assert_eq!(parsed["timestamp"].as_f64(), Some(0.0));
    // The host is this machine's by default.
    let out = render(&JsonFormatter::gelf(), &r);
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!parsed["host"].as_str().unwrap().is_empty());
}

#[test]
fn gelf_levels_are_syslog_severities() {
    let f = JsonFormatter::gelf().keys(["syslog_severity"]);
    let level = |n: u32| {
        let r = Record::new("x", Level::new(n), Message::Str("m"));
        let out = render(&f, &r);
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        parsed["level"].as_u64().unwrap()
    };
    let got: Vec<u64> = [5, 10, 20, 25, 30, 40, 50, 60].map(level).to_vec();
    assert_eq!(got, [7, 7, 6, 5, 4, 3, 2, 2]);
}

#[test]
fn gelf_python_values_are_strings_or_numbers() {
    let attrs = [
        ("tags", PyValue::List(vec![PyValue::Int(1)])),
        ("flag", PyValue::Bool(true)),
        ("nothing", PyValue::None),
        ("funcName", PyValue::None),
    ];
    let r = Record::new("py", Level::INFO, Message::Str("m")).with_python_attrs(&attrs);
    let f = JsonFormatter::gelf()
        .static_field("host", "h")
        .keys(["short_message", "funcName"]);
    assert_eq!(
        render(&f, &r),
        r#"{"short_message":"m","version":"1.1","host":"h","_tags":"[1]","_flag":"true"}"#
    );
}

// logfmt: exact output.

#[test]
fn logfmt_default() {
    let fields = [("user", Value::from(42)), ("path", Value::from("/a b"))];
    let out = render(
        &LogfmtFormatter::new().utc(true),
        &record("request done", &fields),
    );
    assert_eq!(
        out,
        r#"time=2023-11-14T22:13:20.045Z level=warning logger=app.db msg="request done" user=42 path="/a b""#
    );
    assert_eq!(
        LogfmtFormatter::default().describe(),
        "LogfmtFormatter(asctime->time, levelname->level, name->logger, message->msg, exc_info->error, stack_info->stack; fields flat)"
    );
}

#[test]
fn logfmt_quotes_and_escapes() {
    let fields = [
        ("empty", Value::from("")),
        ("eq", Value::from("a=b")),
        ("quote", Value::from("say \"hi\"")),
        ("nl", Value::from("a\nb\r\tc")),
        ("ctl", Value::from("\u{1}\u{7f}\u{85}")),
        ("nbsp", Value::from("a\u{a0}b")),
        ("ls", Value::from("a\u{2028}b")),
        ("backslash", Value::from("C:\\dir")),
        ("unicode", Value::from("café")),
        ("bytes", Value::Bytes(b"caf\xe9")),
        ("nan", Value::from(f64::NAN)),
        ("inf", Value::from(f64::NEG_INFINITY)),
        ("float", Value::from(2.0)),
        ("none", Value::Null),
        ("yes", Value::from(true)),
        ("bad key=\"x\"\n", Value::from(1)),
        ("", Value::from(2)),
    ];
    let out = render(
        &LogfmtFormatter::new().keys(["message"]),
        &record("", &fields),
    );
    assert_eq!(
        out,
        concat!(
            r#"msg="" empty="" eq="a=b" quote="say \"hi\"" nl="a\nb\r\tc" ctl="\u0001\u007f\u0085" "#,
            "nbsp=\"a\u{a0}b\" ",
            r#"ls="a\u2028b" backslash=C:\dir unicode=café bytes=caf"#,
            "\u{FFFD}",
            r#" nan=NaN inf=-Inf float=2.0 none=null yes=true bad_key__x__=1 _=2"#
        )
    );
    assert_eq!(
        parse_logfmt(&out).unwrap()[3],
        ("quote".into(), "say \"hi\"".into())
    );
}

#[test]
fn logfmt_errors_and_stacks() {
    let e = chain();
    let fields = [("user", Value::from(7))];
    let r = record("failed", &fields)
        .with_error(&e)
        .with_stack_info("Stack:\n  here");
    let f = LogfmtFormatter::new().keys(["levelname", "message", "exc_info", "stack_info"]);
    assert_eq!(
        render(&f, &r),
        r#"level=warning msg=failed user=7 error="load config: read \"app.toml\": permission denied" stack="Stack:\n  here""#
    );
    let f =
        LogfmtFormatter::new().keys(["exc_text", "exc_message", "short_message", "full_message"]);
    assert_eq!(
        render(&f, &r),
        concat!(
            r#"short_message=failed user=7 exc_text="Error: load config\nCaused by: read \"app.toml\"\nCaused by: permission denied" "#,
            r#"exc_message="load config" full_message="failed\nError: load config\nCaused by: read \"app.toml\"\nCaused by: permission denied\nStack:\n  here""#
        )
    );
    let tb = "Traceback (most recent call last):\nValueError: bad";
    let r = Record::new("py", Level::ERROR, Message::Str("m")).with_exc_text(tb);
    assert_eq!(
        render(&LogfmtFormatter::new().keys(["exc_info", "exc_text"]), &r),
        r#"error="Traceback (most recent call last):\nValueError: bad" exc_text="Traceback (most recent call last):\nValueError: bad""#
    );
}

#[test]
fn logfmt_options() {
    let fields = [("level", Value::from("field")), ("n", Value::from(1))];
    let r = record("m", &fields);
    let f = LogfmtFormatter::new()
        .utc(true)
        .time_format(TimeFormat::EpochMillis)
        .rename("logger", "component")
        .rename("n", "count")
        .static_field("svc", "api")
        .lowercase_level(false)
        .add_key("lineno")
        .add_key("user");
    assert_eq!(
        render(&f, &r),
        r#"time=1700000000045 level=WARNING component=app.db msg=m svc=api lineno=42 fields.level=field count=1"#
    );
    let tz = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap();
    assert_eq!(
        render(
            &LogfmtFormatter::new()
                .keys(["asctime"])
                .time_zone(tz)
                .omit_fields(),
            &r
        ),
        "time=2023-11-15T03:43:20.045+05:30"
    );
    assert_eq!(
        render(
            &LogfmtFormatter::new().keys(["name"]).remove_key("logger"),
            &r
        ),
        "level=field n=1"
    );
}

#[test]
fn logfmt_python_records() {
    let attrs = [
        ("levelname", PyValue::Str("NOTICE".into())),
        ("funcName", PyValue::None),
        ("user", PyValue::Dict(vec![("id".into(), PyValue::Int(1))])),
        ("ratio", PyValue::Float(0.25)),
    ];
    let r = Record::new("py", Level::new(25), Message::Str("m")).with_python_attrs(&attrs);
    assert_eq!(
        render(
            &LogfmtFormatter::new().keys(["levelname", "funcName", "message"]),
            &r
        ),
        r#"level=notice funcName=null msg=m user="{\"id\":1}" ratio=0.25"#
    );
}

// Through loggers and handlers.

fn capture_logger(name: &str, format: impl Format) -> (lumber::Logger, Capture) {
    let logger = lumber::get_logger(name);
    logger.set_propagate(false);
    logger.set_level(Level::TRACE);
    let capture = Capture::default();
    logger.add_handler(Handler::new(capture.clone()).with_formatter(format));
    (logger, capture)
}

#[test]
fn json_through_a_handler_with_macros_bound_loggers_and_context() {
    let (log, capture) = capture_logger(
        "structured.json.handler",
        JsonFormatter::new().keys(["levelname", "name", "message", "exc_info"]),
    );
    lumber::with_context(lumber::fields!(request = "r-1", user = 0), || {
        info!(logger: log, user = 42, name = "ann"; "hello {}", "world");
    });
    let bound = log.bind("svc", "api");
    warning!(logger: bound, ratio = 0.5, "bound {}", 1);
    let e = chain();
    exception!(logger: log, e, "startup failed");
    error!(logger: log, data = %"line1\nline2"; "multi");
    let lines = capture.lines();
    assert_eq!(
        lines,
        [
            r#"{"levelname":"INFO","name":"structured.json.handler","message":"hello world","user":42,"fields.name":"ann","request":"r-1"}"#,
            r#"{"levelname":"WARNING","name":"structured.json.handler","message":"bound 1","ratio":0.5,"svc":"api"}"#,
            r#"{"levelname":"ERROR","name":"structured.json.handler","message":"startup failed","exc_info":{"message":"load config","causes":["read \"app.toml\"","permission denied"]}}"#,
            r#"{"levelname":"ERROR","name":"structured.json.handler","message":"multi","data":"line1\nline2"}"#,
        ]
    );
}

#[test]
fn json_through_a_handler_shows_the_call_site() {
    let (log, capture) = capture_logger(
        "structured.json.site",
        JsonFormatter::new().keys(["filename", "lineno", "funcName", "module_path"]),
    );
    fn here(log: lumber::Logger) -> u32 {
        info!(logger: log, "x");
        line!() - 1
    }
    let line = here(log);
    let parsed: serde_json::Value = serde_json::from_str(&capture.lines()[0]).unwrap();
    assert_eq!(parsed["filename"], "structured.rs");
    assert_eq!(parsed["lineno"], line);
    assert_eq!(parsed["funcName"], "here");
    assert!(
        parsed["module_path"]
            .as_str()
            .unwrap()
            .ends_with("structured")
    );
}

#[test]
fn logfmt_through_a_handler() {
    let (log, capture) = capture_logger(
        "structured.logfmt.handler",
        LogfmtFormatter::new().remove_key("time"),
    );
    let e = chain();
    lumber::with_context(lumber::fields!(request = "r 1"), || {
        exception!(logger: log, e, "failed for {}", "ann");
    });
    assert_eq!(
        capture.lines(),
        [
            r#"level=error logger=structured.logfmt.handler msg="failed for ann" request="r 1" error="load config: read \"app.toml\": permission denied""#
        ]
    );
}

#[test]
fn formatters_are_shared_and_cloned() {
    let f = std::sync::Arc::new(JsonFormatter::new().keys(["message"]));
    let g = (*f).clone().add_key("levelno");
    let r = record("m", &[]);
    assert_eq!(render(&f, &r), r#"{"message":"m"}"#);
    assert_eq!(render(&g, &r), r#"{"message":"m","levelno":30}"#);
    assert_eq!(
        format!("{}", LogfmtFormatter::new().keys(["message"])),
        "LogfmtFormatter(message->msg; fields flat)"
    );
    assert_eq!(
        format!(
            "{}",
            JsonFormatter::gelf()
                .keys(["short_message"])
                .remove_key("host")
        ),
        "JsonFormatter(gelf: short_message, version=1.1; fields flat)"
    );
}

// Property tests.

/// The keys of every object in a JSON text, decoded, per object.
fn object_keys(json: &str) -> Vec<Vec<String>> {
    let bytes = json.as_bytes();
    let mut done = Vec::new();
    // (is an object, its keys, a key comes next)
    let mut stack: Vec<(bool, Vec<String>, bool)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => stack.push((true, Vec::new(), true)),
            b'[' => stack.push((false, Vec::new(), false)),
            b'}' | b']' => {
                let (object, keys, _) = stack.pop().unwrap();
                if object {
                    done.push(keys);
                }
            }
            b',' => {
                if let Some(top) = stack.last_mut() {
                    top.2 = top.0;
                }
            }
            b':' => {
                if let Some(top) = stack.last_mut() {
                    top.2 = false;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if let Some((true, keys, true)) = stack.last_mut() {
                    keys.push(serde_json::from_str(&json[start..=i]).unwrap());
                }
            }
            _ => {}
        }
        i += 1;
    }
    done
}

/// The keys of a JSON object and the raw text of their values.
fn top_level_raw(json: &str) -> Vec<(String, String)> {
    let bytes = json.as_bytes();
    // The end of the string that starts at `i`.
    let string_end = |mut i: usize| {
        i += 1;
        while bytes[i] != b'"' {
            if bytes[i] == b'\\' {
                i += 1;
            }
            i += 1;
        }
        i
    };
    let mut pairs = Vec::new();
    let mut i = 1;
    while bytes[i] == b'"' {
        let end = string_end(i);
        let key: String = serde_json::from_str(&json[i..=end]).unwrap();
        i = end + 2; // past `":`
        let start = i;
        let mut depth = 0;
        while depth > 0 || !matches!(bytes[i], b',' | b'}') {
            match bytes[i] {
                b'"' => i = string_end(i),
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        pairs.push((key, json[start..i].to_owned()));
        if bytes[i] == b'}' {
            break;
        }
        i += 1;
    }
    pairs
}

fn assert_unique(json: &str) {
    for keys in object_keys(json) {
        let set: HashSet<&String> = keys.iter().collect();
        assert_eq!(set.len(), keys.len(), "duplicate key in {json}");
    }
}

fn assert_one_line(line: &str) {
    // Every line end of Python's `str.splitlines` and JavaScript.
    let ends = [
        '\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}',
        '\u{2029}',
    ];
    assert!(!line.contains(ends), "not one line: {line:?}");
}

#[derive(Debug, Clone)]
enum V {
    Null,
    Bool(bool),
    I(i64),
    U(u64),
    F(f64),
    S(String),
    B(Vec<u8>),
    D(String),
}

impl V {
    fn value(&self) -> Value<'_> {
        match self {
            V::Null => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::I(n) => Value::I64(*n),
            V::U(n) => Value::U64(*n),
            V::F(f) => Value::F64(*f),
            V::S(s) => Value::Str(s),
            V::B(b) => Value::Bytes(b),
            V::D(s) => Value::Display(s),
        }
    }

    fn owned(&self) -> OwnedValue {
        self.value().to_owned()
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            V::Null => J::Null,
            V::Bool(b) => J::Bool(*b),
            V::I(n) => J::from(*n),
            V::U(n) => J::from(*n),
            V::F(f) if f.is_nan() => J::from("NaN"),
            V::F(f) if f.is_infinite() => J::from(if *f > 0.0 { "Infinity" } else { "-Infinity" }),
            V::F(f) => J::from(*f),
            V::S(s) | V::D(s) => J::from(s.as_str()),
            V::B(b) => J::from(String::from_utf8_lossy(b).into_owned()),
        }
    }

    fn logfmt(&self) -> String {
        match self {
            V::Null => "null".into(),
            V::Bool(b) => b.to_string(),
            V::I(n) => n.to_string(),
            V::U(n) => n.to_string(),
            V::F(f) if f.is_nan() => "NaN".into(),
            V::F(f) if f.is_infinite() => if *f > 0.0 { "+Inf" } else { "-Inf" }.into(),
            V::F(f) => {
                let mut s = String::new();
                lumber::python::repr_float(&mut s, *f);
                s
            }
            V::S(s) | V::D(s) => s.clone(),
            V::B(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\"\\\\\u{7f}\u{85}\u{a0}\u{2028}\u{2029}\u{feff}\u{ffff}\u{10ffff} =a.é_*-]{0,12}",
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(1e300),
        Just(5e-324),
    ]
}

fn value() -> impl Strategy<Value = V> {
    prop_oneof![
        Just(V::Null),
        any::<bool>().prop_map(V::Bool),
        any::<i64>().prop_map(V::I),
        any::<u64>().prop_map(V::U),
        float().prop_map(V::F),
        text().prop_map(V::S),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(V::B),
        text().prop_map(V::D),
    ]
}

/// Keys that collide with attributes, with each other, with the
/// `fields.` prefix, or are anything at all.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "asctime",
            "levelname",
            "name",
            "message",
            "exc_info",
            "stack_info",
            "time",
            "level",
            "logger",
            "msg",
            "error",
            "stack",
            "fields.name",
            "fields.msg",
            "user",
            "id",
            "_id",
            "",
            "a b",
            "a_b",
            "a=b",
            "a\"b",
        ])
        .prop_map(str::to_owned),
        text(),
    ]
}

fn pairs(max: usize) -> impl Strategy<Value = Vec<(String, V)>> {
    proptest::collection::vec((key(), value()), 0..max)
}

/// The fields a record shows, in order, with the key each is written
/// under: the first of each raw key, then `fields.` prefixes until the key
/// is free.
fn expected_fields<'v>(
    sources: &[&'v [(String, V)]],
    reserved: &[&str],
    sanitize: impl Fn(&str) -> String,
) -> Vec<(String, &'v V)> {
    let mut raw_seen = HashSet::new();
    let mut written: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for source in sources {
        for (k, v) in source.iter() {
            if !raw_seen.insert(k.clone()) {
                continue;
            }
            let mut prefix = String::new();
            let key = loop {
                let candidate = format!("{prefix}{}", sanitize(k));
                if !reserved.contains(&candidate.as_str()) && !written.contains(&candidate) {
                    break candidate;
                }
                prefix.push_str("fields.");
            };
            written.insert(key.clone());
            out.push((key, v));
        }
    }
    out
}

fn as_fields(pairs: &[(String, V)]) -> Vec<(&str, Value<'_>)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.value())).collect()
}

fn as_owned(pairs: &[(String, V)]) -> lumber::OwnedFields {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str().into(), v.owned()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn json_lines_parse_round_trip_and_never_repeat_a_key(
        message in text(),
        fields in pairs(24),
        bound in pairs(4),
        outer in pairs(4),
        inner in pairs(4),
    ) {
        let call = as_fields(&fields);
        let bound_owned = as_owned(&bound);
        let _outer = lumber::push_context(as_owned(&outer));
        let _inner = lumber::push_context(as_owned(&inner));
        let ctx = lumber::current_context();
        let r = Record::new("app", Level::INFO, Message::Str(&message))
            .with_fields(&call)
            .with_bound(&bound_owned)
            .with_context(ctx.as_ref());
        let out = render(&JsonFormatter::new(), &r);
        assert_one_line(&out);
        assert_unique(&out);
        let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(parsed["message"].as_str(), Some(message.as_str()));
        let reserved = ["asctime", "levelname", "name", "message", "exc_info", "stack_info"];
        let expected = expected_fields(&[&fields, &bound, &inner, &outer], &reserved, str::to_owned);
        prop_assert_eq!(parsed.len(), 4 + expected.len());
        let raw = top_level_raw(&out);
        for (key, v) in expected {
            match v {
                // serde_json's default float parsing can miss by an ulp:
                // parse the digits written with Rust's, exactly.
                V::F(f) if f.is_finite() => {
                    let text = &raw.iter().find(|(k, _)| *k == key).unwrap().1;
                    let back: f64 = text.parse().unwrap();
                    prop_assert_eq!(back.to_bits(), f.to_bits(), "{} in {}", text, out);
                }
                _ => prop_assert_eq!(&parsed[&key], &v.json(), "key {:?} in {}", key, out),
            }
        }

        // Nested, with the context apart: still valid and unique.
        let f = JsonFormatter::new().fields_under("fields").context_under("fields");
        let out = render(&f, &r);
        assert_one_line(&out);
        assert_unique(&out);
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }

    #[test]
    fn json_presets_stay_valid(
        message in text(),
        fields in pairs(20),
        stack in text(),
    ) {
        let call = as_fields(&fields);
        let e = std::io::Error::other(message.clone());
        let r = Record::new("app", Level::ERROR, Message::Str(&message))
            .with_fields(&call)
            .with_error(&e)
            .with_stack_info(&stack);
        for f in [JsonFormatter::ecs(), JsonFormatter::ecs().fields_under("labels")] {
            let out = render(&f, &r);
            assert_one_line(&out);
            assert_unique(&out);
            let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
            prop_assert_eq!(parsed["message"].as_str(), Some(message.as_str()));
            prop_assert_eq!(parsed["error.message"].as_str(), Some(message.as_str()));
            if let Some(labels) = parsed.get("labels") {
                for key in labels.as_object().unwrap().keys() {
                    prop_assert!(!key.contains(['.', '*', '\\']), "{}", key);
                }
            }
        }
        let out = render(&JsonFormatter::gelf(), &r);
        assert_one_line(&out);
        assert_unique(&out);
        let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(parsed["short_message"].as_str(), message.split('\n').next().map(|l| l.strip_suffix('\r').unwrap_or(l)));
        for (key, value) in &parsed {
            let own = ["version", "host", "short_message", "full_message", "timestamp", "level"];
            if !own.contains(&key.as_str()) {
                prop_assert!(key.starts_with('_') && key != "_id", "{}", key);
                prop_assert!(key.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)), "{}", key);
            }
            prop_assert!(value.is_string() || value.is_number(), "{}: {}", key, value);
        }
    }

    #[test]
    fn json_python_records_stay_valid(
        attrs in proptest::collection::vec((key(), py_value()), 0..12),
        message in text(),
    ) {
        let attrs: Vec<(&str, PyValue)> = attrs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let r = Record::new("py", Level::new(25), Message::Str(&message)).with_python_attrs(&attrs);
        let all = JsonFormatter::new().keys(ALL_KEYS);
        for f in [JsonFormatter::new(), all, JsonFormatter::gelf(), JsonFormatter::ecs()] {
            let out = render(&f, &r);
            assert_one_line(&out);
            assert_unique(&out);
            serde_json::from_str::<serde_json::Value>(&out).unwrap();
        }
        let out = render(&LogfmtFormatter::new(), &r);
        assert_one_line(&out);
        let parsed = parse_logfmt(&out).unwrap();
        let keys: HashSet<&String> = parsed.iter().map(|(k, _)| k).collect();
        prop_assert_eq!(keys.len(), parsed.len());
    }

    #[test]
    fn logfmt_lines_decode_and_round_trip(
        message in text(),
        fields in pairs(24),
        inner in pairs(4),
    ) {
        let call = as_fields(&fields);
        let _inner = lumber::push_context(as_owned(&inner));
        let ctx = lumber::current_context();
        let r = Record::new("app.db", Level::WARNING, Message::Str(&message))
            .with_time(Timestamp::new(1_700_000_000, 5_000_000))
            .with_fields(&call)
            .with_context(ctx.as_ref());
        let out = render(&LogfmtFormatter::new().utc(true), &r);
        assert_one_line(&out);
        let parsed = parse_logfmt(&out).map_err(|e| TestCaseError::fail(format!("{e}: {out}")))?;
        let mut expected: Vec<(String, String)> = vec![
            ("time".into(), "2023-11-14T22:13:20.005Z".into()),
            ("level".into(), "warning".into()),
            ("logger".into(), "app.db".into()),
            ("msg".into(), message.clone()),
        ];
        let reserved = ["time", "level", "logger", "msg", "error", "stack"];
        for (key, v) in expected_fields(&[&fields, &inner], &reserved, sanitize_logfmt_key) {
            expected.push((key, v.logfmt()));
        }
        prop_assert_eq!(parsed, expected);
    }
}

fn py_value() -> impl Strategy<Value = PyValue> {
    let leaf = prop_oneof![
        Just(PyValue::None),
        any::<bool>().prop_map(PyValue::Bool),
        any::<i128>().prop_map(PyValue::Int),
        float().prop_map(PyValue::Float),
        text().prop_map(PyValue::Str),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(PyValue::List),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(PyValue::Tuple),
            proptest::collection::vec((key(), inner), 0..4).prop_map(PyValue::Dict),
        ]
    })
}

/// A key as `LogfmtFormatter` writes it.
fn sanitize_logfmt_key(key: &str) -> String {
    if key.is_empty() {
        return "_".into();
    }
    key.chars()
        .map(|c| {
            if c <= ' ' || c == '=' || c == '"' || c.is_control() || c.is_whitespace() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// A logfmt decoder after go-logfmt's: pairs separated by bytes up to
/// space; a key runs to `=`; a value is bare (no space, `=` or `"`) or
/// quoted with JSON's escapes. Stricter than go-logfmt: every key has a
/// value.
fn parse_logfmt(line: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut chars = line.char_indices().peekable();
    loop {
        while chars.peek().is_some_and(|&(_, c)| c <= ' ') {
            chars.next();
        }
        let Some(&(start, _)) = chars.peek() else {
            return Ok(pairs);
        };
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c == '=' {
                break;
            }
            if c <= ' ' || c == '"' {
                return Err(format!("bad key character {c:?} at {i}"));
            }
            chars.next();
            end = i + c.len_utf8();
        }
        if end == start {
            return Err(format!("empty key at {start}"));
        }
        let key = line[start..end].to_owned();
        if chars.next().map(|(_, c)| c) != Some('=') {
            return Err(format!("key {key:?} without a value"));
        }
        let value = if chars.peek().is_some_and(|&(_, c)| c == '"') {
            chars.next();
            let mut value = String::new();
            loop {
                match chars.next() {
                    None => return Err("unterminated quote".into()),
                    Some((_, '"')) => break,
                    Some((_, '\\')) => match chars.next().map(|(_, c)| c) {
                        Some('"') => value.push('"'),
                        Some('\\') => value.push('\\'),
                        Some('/') => value.push('/'),
                        Some('n') => value.push('\n'),
                        Some('r') => value.push('\r'),
                        Some('t') => value.push('\t'),
                        Some('b') => value.push('\u{8}'),
                        Some('f') => value.push('\u{c}'),
                        Some('u') => {
                            let hex: String = (0..4)
                                .filter_map(|_| chars.next().map(|(_, c)| c))
                                .collect();
                            let n = u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                            value.push(char::from_u32(n).ok_or("surrogate escape")?);
                        }
                        other => return Err(format!("bad escape {other:?}")),
                    },
                    Some((_, c)) if c < ' ' => return Err(format!("raw control {c:?} in quotes")),
                    Some((_, c)) => value.push(c),
                }
            }
            if chars.peek().is_some_and(|&(_, c)| c > ' ') {
                return Err("garbage after a quoted value".into());
            }
            value
        } else {
            let mut value = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c <= ' ' {
                    break;
                }
                if c == '=' || c == '"' {
                    return Err(format!("{c:?} in a bare value"));
                }
                value.push(c);
                chars.next();
            }
            if value.is_empty() {
                return Err(format!("key {key:?} with an empty bare value"));
            }
            value
        };
        pairs.push((key, value));
    }
}

#[test]
fn the_logfmt_decoder_is_strict() {
    assert_eq!(
        parse_logfmt(r#"a=1 b="x \"y\"\n\u00e9" c=d"#).unwrap(),
        [
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "x \"y\"\né".to_owned()),
            ("c".to_owned(), "d".to_owned())
        ]
    );
    for bad in ["a", "a=", "a=b=c", "a=\"x", "=1", "a=\"x\"y", "a=b\"c"] {
        assert!(parse_logfmt(bad).is_err(), "{bad}");
    }
}
