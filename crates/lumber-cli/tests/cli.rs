//! The `lumber` binary end to end: `emit`, `pipe`, files, exit statuses.
#![allow(clippy::unwrap_used, missing_docs)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BASIC: &str = "%(levelname)s:%(name)s:%(message)s";

mod common;
use common::{stderr, stdout};

fn lumber(args: &[&str], stdin: &str) -> Output {
    common::run(common::command(None, args), stdin)
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lumber-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn emit_logs_one_line_like_python_basic_config() {
    let out = lumber(
        &[
            "emit", "--stream", "stdout", "--name", "app", "--level", "warning", "disk", "almost",
            "full",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "WARNING:app:disk almost full\n");
}

#[test]
fn emit_writes_to_stderr_by_default_at_info_from_root() {
    let out = lumber(&["emit", "hello"], "");
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "INFO:root:hello\n");
}

#[test]
fn emit_takes_message_words_that_look_like_flags() {
    let out = lumber(&["emit", "--stream", "stdout", "value", "-5", "--x"], "");
    assert_eq!(stdout(&out), "INFO:root:value -5 --x\n");
    let out = lumber(&["emit", "--stream", "stdout", "--", "-5"], "");
    assert_eq!(stdout(&out), "INFO:root:-5\n");
}

#[test]
fn emit_threshold_drops_records_below_it() {
    let out = lumber(
        &[
            "emit",
            "--stream",
            "stdout",
            "--threshold",
            "warning",
            "quiet",
        ],
        "",
    );
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    let out = Command::new(env!("CARGO_BIN_EXE_lumber"))
        .args(["emit", "--stream", "stdout", "--level", "error", "loud"])
        .env("LUMBER_THRESHOLD", "warning")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "ERROR:root:loud\n");
}

#[test]
fn emit_sets_site_and_extras() {
    let format =
        "%(pathname)s %(filename)s %(module)s %(lineno)d %(funcName)s %(user)s %(message)s";
    let args = [
        "emit",
        "--stream",
        "stdout",
        "--format",
        format,
        "--pathname",
        "/opt/jobs/backup.sh",
        "--lineno",
        "7",
        "--func",
        "main",
        "--extra",
        "user=bob",
        "done",
    ];
    let out = lumber(&args, "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "/opt/jobs/backup.sh backup.sh backup 7 main bob done\n"
    );
}

#[test]
fn emit_reports_a_field_the_format_needs() {
    let out = lumber(&["emit", "--format", "%(user)s %(message)s", "hi"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'user'") && stderr(&out).contains("--extra"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn file_output_appends() {
    let path = temp_path("emit.log");
    let file = path.to_str().unwrap();
    for word in ["one", "two"] {
        let out = lumber(&["emit", "--file", file, "--format", BASIC, word], "");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
        assert_eq!(stderr(&out), "");
    }
    let out = lumber(&["pipe", "--file", file, "--name", "p"], "three\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "INFO:root:one\nINFO:root:two\nINFO:p:three\n"
    );
}

#[test]
fn a_file_that_cannot_be_opened_is_an_io_error() {
    let out = lumber(&["emit", "--file", "/etc/passwd/not-a-dir/x.log", "hi"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot open log file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_flags_exit_2_with_a_clear_error() {
    let cases: [(&[&str], &str); 6] = [
        (&["emit", "--bogus"], "--bogus"),
        (&["pipe", "--style", "x"], "expected %, { or $"),
        (&["pipe", "--level", "loud"], "unknown level"),
        (&["pipe", "--stream", "stdlog"], "stdlog"),
        (
            &["pipe", "--file", "x.log", "--stream", "stdout"],
            "cannot be used with",
        ),
        (&["frobnicate"], "frobnicate"),
    ];
    for (args, needle) in cases {
        let out = lumber(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_bad_format_exits_2_and_names_the_field() {
    let out = lumber(&["pipe", "--format", "%(asctime)s %(name)d"], "x\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--format") && stderr(&out).contains("field 'name'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
    for (format, style) in [("{name", "{"), ("no fields at all", "%"), ("$", "$")] {
        let out = lumber(&["emit", "--style", style, "--format", format, "x"], "");
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(
            stderr(&out).contains("--format"),
            "{format}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn pipe_logs_plain_lines_at_level_from_name() {
    let input = "hello world\n{not json\n[1, 2]\n\nlast without newline";
    let out = lumber(
        &[
            "pipe", "--stream", "stdout", "--name", "app", "--level", "warning",
        ],
        input,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "WARNING:app:hello world\nWARNING:app:{not json\nWARNING:app:[1, 2]\nWARNING:app:\nWARNING:app:last without newline\n"
    );
}

#[test]
fn pipe_reads_json_records_and_plain_lines() {
    let input = concat!(
        "{\"name\": \"svc\", \"levelno\": 40, \"levelname\": \"ERROR\", \"msg\": \"boom\", \"user\": \"ann\"}\r\n",
        "plain\r\n",
    );
    let format = "%(levelname)s:%(name)s:%(message)s";
    let out = lumber(&["pipe", "--stream", "stdout", "--format", format], input);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ERROR:svc:boom\nINFO:root:plain\n");
}

#[test]
fn pipe_uses_make_log_record_defaults() {
    let format = "%(name)s|%(levelname)s|%(pathname)s|%(filename)s|%(lineno)d|%(funcName)s|%(threadName)s|%(processName)s|%(message)s";
    let out = lumber(
        &["pipe", "--stream", "stdout", "--format", format],
        "{\"msg\": \"m\"}\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "None|Level None|||0|None|MainThread|MainProcess|m\n"
    );
}

#[test]
fn pipe_skips_and_reports_records_python_cannot_format() {
    let input = "{\"user\": \"a\", \"msg\": \"x\"}\ny\n{\"user\": \"b\", \"msg\": \"z\"}\n";
    let out = lumber(
        &[
            "pipe",
            "--stream",
            "stdout",
            "--format",
            "%(user)s:%(message)s",
        ],
        input,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "a:x\nb:z\n");
    let err = stderr(&out);
    assert!(err.contains("line 2:") && err.contains("'user'"), "{err}");
    assert!(
        !err.contains("line 1:") && !err.contains("line 3:"),
        "{err}"
    );
}

#[test]
fn pipe_threshold_filters_by_record_level() {
    let input = concat!(
        "{\"levelno\": 10, \"levelname\": \"DEBUG\", \"msg\": \"debug\"}\n",
        "{\"levelname\": \"ERROR\", \"msg\": \"named only\"}\n",
        "{\"msg\": \"no level at all\"}\n",
        "plain at info\n",
    );
    let out = lumber(
        &[
            "pipe",
            "--stream",
            "stdout",
            "--threshold",
            "info",
            "--format",
            "%(message)s",
        ],
        input,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "named only\nno level at all\nplain at info\n");
}

#[test]
fn pipe_keeps_invalid_utf8_lossily() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lumber"))
        .args(["pipe", "--stream", "stdout", "--format", "%(message)s"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"caf\xe9\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(stdout(&out), "caf\u{FFFD}\n");
}

#[test]
fn a_closed_stdout_ends_pipe_quietly() {
    common::assert_closed_stdout_ends_pipe_quietly(
        common::command(None, &["pipe", "--stream", "stdout"]),
        "INFO:root:line 0\n",
    );
}

#[test]
fn help_has_examples_and_explains_levels() {
    let out = lumber(&["--help"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Examples:"));
    let out = lumber(&["emit", "--help"], "");
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    assert!(
        help.contains("--threshold") && help.contains("WARNING"),
        "{help}"
    );
    let out = lumber(&["pipe", "--help"], "");
    assert!(stdout(&out).contains("HTTPHandler") && stdout(&out).contains("makeLogRecord"));
}

// Structured output: --json and --logfmt.

const RECORD: &str = concat!(
    r#"{"name": "app.db", "levelno": 30, "levelname": "WARNING", "msg": "disk %d%% full", "args": [93], "#,
    r#""created": 1700000000.5, "pathname": "/srv/app/disk.py", "lineno": 12, "funcName": "check", "#,
    r#""user": "bob", "tags": ["a", 1], "exc_text": null}"#,
    "\n"
);

#[test]
fn pipe_json_writes_one_object_per_record() {
    let input = format!("{RECORD}a plain line\n");
    let out = lumber(&["pipe", "--json", "--utc", "--stream", "stdout"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        r#"{"asctime":"2023-11-14T22:13:20.500Z","levelname":"WARNING","name":"app.db","message":"disk 93% full","user":"bob","tags":["a",1]}"#
    );
    let plain: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(plain["message"], "a plain line");
    assert_eq!(plain["levelname"], "INFO");
    assert_eq!(plain["name"], "root");
    assert!(plain["asctime"].as_str().unwrap().ends_with('Z'));
    assert_eq!(lines.len(), 2);
}

#[test]
fn pipe_logfmt_writes_key_value_pairs() {
    let tb = r#"{"name": "w", "levelno": 40, "levelname": "ERROR", "msg": "failed", "created": 0, "exc_text": "Traceback (most recent call last):\nValueError: x"}"#;
    let input = format!("{RECORD}{tb}\n");
    let out = lumber(&["pipe", "--logfmt", "--utc", "--stream", "stdout"], &input);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        concat!(
            "time=2023-11-14T22:13:20.500Z level=warning logger=app.db msg=\"disk 93% full\" user=bob tags=\"[\\\"a\\\",1]\"\n",
            "time=1970-01-01T00:00:00.000Z level=error logger=w msg=failed error=\"Traceback (most recent call last):\\nValueError: x\"\n",
        )
    );
}

#[test]
fn emit_json_and_logfmt_carry_extras_and_the_site() {
    let out = lumber(
        &[
            "emit",
            "--json",
            "--stream",
            "stdout",
            "--name",
            "backup",
            "--level",
            "error",
            "--extra",
            "user=bob",
            "--extra",
            "n:=3",
            "--pathname",
            "/opt/b.sh",
            "done",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    assert!(
        line.ends_with("}\n") && line.matches('\n').count() == 1,
        "{line}"
    );
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["levelname"], "ERROR");
    assert_eq!(v["name"], "backup");
    assert_eq!(v["message"], "done");
    assert_eq!(v["user"], "bob");
    assert_eq!(v["n"], 3);
    // TZ=UTC: local time has the offset +00:00.
    let asctime = v["asctime"].as_str().unwrap();
    assert!(
        asctime.ends_with("+00:00") && asctime.len() == 29,
        "{asctime}"
    );
    let out = lumber(
        &[
            "emit",
            "--logfmt",
            "--utc",
            "--stream",
            "stdout",
            "--extra",
            "user=bob b",
            "hi there",
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let rest = line.split_once(' ').unwrap().1;
    assert!(line.starts_with("time=") && line.split(' ').next().unwrap().ends_with('Z'));
    assert_eq!(
        rest,
        "level=info logger=root msg=\"hi there\" user=\"bob b\"\n"
    );
}

#[test]
fn structured_output_replaces_format_style_and_datefmt() {
    for flag in ["--json", "--logfmt"] {
        for extra in [
            &["--format", "%(message)s"][..],
            &["--style", "{"],
            &["--datefmt", "%H"],
        ] {
            let mut args = vec!["emit", flag];
            args.extend_from_slice(extra);
            args.push("x");
            let out = lumber(&args, "");
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            assert!(
                stderr(&out).contains("cannot be used with"),
                "{}",
                stderr(&out)
            );
        }
    }
    let out = lumber(&["emit", "--json", "--logfmt", "x"], "");
    assert_eq!(out.status.code(), Some(2));
    // The environment's format is for --format only.
    let out = Command::new(env!("CARGO_BIN_EXE_lumber"))
        .args(["emit", "--json", "--stream", "stdout", "hi"])
        .env("LUMBER_FORMAT", "%(message)s")
        .env("LUMBER_STYLE", "{")
        .env("LUMBER_DATEFMT", "%H")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["message"], "hi");
}

#[test]
fn json_lines_stay_valid_for_any_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lumber"))
        .args(["pipe", "--json", "--stream", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input: &[u8] = b"caf\xe9 \"quoted\" \x01\x1b[31m\t\xe2\x80\xa8end\n{\"msg\": \"a\\nb\\u0000\", \"k\\\"ey\": \"\\u2029\"}\n";
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines.len(), 3, "{text:?}");
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        first["message"],
        "caf\u{FFFD} \"quoted\" \u{1}\u{1b}[31m\t\u{2028}end"
    );
    let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(second["message"], "a\nb\u{0}");
    assert_eq!(second["k\"ey"], "\u{2029}");
    assert_eq!(lines[2], "");
}

#[test]
fn structured_output_goes_to_files_too() {
    let path = temp_path("structured.log");
    let file = path.to_str().unwrap();
    let out = lumber(&["pipe", "--json", "--file", file], RECORD);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = lumber(&["pipe", "--logfmt", "--file", file, "--utc"], RECORD);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 2);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["asctime"], "2023-11-14T22:13:20.500+00:00");
    assert!(lines[1].starts_with("time=2023-11-14T22:13:20.500Z level=warning"));
}

#[test]
fn structured_output_reports_messages_python_cannot_make() {
    let input = "{\"msg\": \"%d\", \"args\": [\"x\"]}\nok\n";
    let out = lumber(&["pipe", "--json", "--stream", "stdout"], input);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("line 1:"), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim_end()).unwrap();
    assert_eq!(v["message"], "ok");
}

#[test]
fn help_mentions_structured_output() {
    let out = lumber(&["pipe", "--help"], "");
    let help = stdout(&out);
    assert!(
        help.contains("--json") && help.contains("--logfmt"),
        "{help}"
    );
}
