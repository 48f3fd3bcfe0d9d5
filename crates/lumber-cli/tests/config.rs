//! The `lumber` binary with configuration files: `config check`, `config
//! tree`, `emit`/`pipe --config`, `LUMBER_CONFIG`, `completions`.
#![allow(clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::{run, stderr, stdout};

/// A command with none of lumber's environment variables, in `dir`.
fn command(dir: &Path, args: &[&str]) -> Command {
    common::command(Some(dir), args)
}

fn lumber(dir: &Path, args: &[&str], stdin: &str) -> Output {
    run(command(dir, args), stdin)
}

/// A fresh, empty directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lumber-cli-config-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A configuration: a FileHandler writing `log` with a format of its own
/// on the root (INFO); `app.db` at WARNING.
fn file_config(log: &Path) -> String {
    format!(
        r#"version = 1
disable_existing_loggers = false

[formatters.plain]
format = "%(levelname)s %(name)s [%(user)s] %(message)s"

[handlers.file]
class = "FileHandler"
filename = "{}"
formatter = "plain"

[loggers."app.db"]
level = "WARNING"

[root]
level = "INFO"
handlers = ["file"]
"#,
        log.display()
    )
}

/// A configuration with three problems, at lines 6, 8 and 9.
const BAD_YAML: &str = "\
version: 1
handlers:
  file:
    class: logging.handlers.RotatingFileHandler
    filename: app.log
    maxBytes: ten
root:
  levle: INFO
  handlers: [fiel]
";

const BAD_PROBLEMS: [&str; 3] = [
    ":6:15: handlers.file.max_bytes: ",
    ":8:3: root.levle: ",
    ":9:14: root.handlers: ",
];

/// A dictConfig with a stdout handler and two loggers.
const STDOUT_YAML: &str = "\
version: 1
formatters:
  short: {format: '%(name)s/%(levelname)s: %(message)s'}
handlers:
  out: {class: StreamHandler, stream: ext://sys.stdout, formatter: short}
loggers:
  app.db: {level: DEBUG}
  noisy: {level: ERROR}
root: {level: INFO, handlers: [out]}
";

// lumber config check

#[test]
fn check_says_ok_for_a_good_file() {
    let dir = temp_dir("check-good");
    std::fs::write(dir.join("lumber.toml"), file_config(&dir.join("x.log"))).unwrap();
    let out = lumber(&dir, &["config", "check", "lumber.toml"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "lumber.toml: ok\n");
    assert_eq!(stderr(&out), "");
    // Checking opens nothing.
    assert!(!dir.join("x.log").exists());
}

#[test]
fn check_reports_every_problem_with_its_place() {
    let dir = temp_dir("check-bad");
    std::fs::write(dir.join("bad.yaml"), BAD_YAML).unwrap();
    let out = lumber(&dir, &["config", "check", "bad.yaml"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    for (line, want) in lines.iter().zip(BAD_PROBLEMS) {
        assert!(line.starts_with(&format!("bad.yaml{want}")), "{line}");
    }
    assert!(lines[2].ends_with("did you mean 'file'?"), "{err}");
}

#[test]
fn check_goes_through_every_file() {
    let dir = temp_dir("check-many");
    std::fs::write(dir.join("bad.yaml"), BAD_YAML).unwrap();
    std::fs::write(
        dir.join("good.json"),
        r#"{"version": 1, "root": {"level": "DEBUG"}}"#,
    )
    .unwrap();
    let out = lumber(
        &dir,
        &["config", "check", "bad.yaml", "missing.toml", "good.json"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "good.json: ok\n");
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 4, "{err}");
    assert!(err.contains("missing.toml: cannot read"), "{err}");
}

#[test]
fn check_reads_standard_input() {
    let dir = temp_dir("check-stdin");
    let toml = file_config(&dir.join("x.log"));
    // Format given, or guessed from the text.
    for args in [
        &["config", "check", "--format", "toml", "-"][..],
        &["config", "check", "-"],
    ] {
        let out = lumber(&dir, args, &toml);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "<stdin>: ok\n");
    }
    let out = lumber(&dir, &["config", "check", "-"], BAD_YAML);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for want in BAD_PROBLEMS {
        assert!(err.contains(&format!("<stdin>{want}")), "{err}");
    }
    // The format given wins: this YAML is no TOML.
    let out = lumber(
        &dir,
        &["config", "check", "--format", "toml", "-"],
        BAD_YAML,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("TOML"), "{}", stderr(&out));
    let out = lumber(&dir, &["config", "check", "-"], "just some words\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--format"), "{}", stderr(&out));
}

#[test]
fn check_usage_errors_exit_2() {
    let dir = temp_dir("check-usage");
    for args in [
        &["config", "check"][..],
        &["config", "check", "--format", "xml", "a.toml"],
        &["config", "check", "-", "-"],
        &["config"],
    ] {
        let out = lumber(&dir, args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

// lumber config tree

#[test]
fn tree_shows_the_loggers_of_a_file() {
    let dir = temp_dir("tree-text");
    std::fs::write(dir.join("logging.yaml"), STDOUT_YAML).unwrap();
    let out = lumber(&dir, &["config", "tree", "logging.yaml"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("<--\"\""), "{text}");
    assert!(
        text.contains("\"app.db\"") && text.contains("\"noisy\""),
        "{text}"
    );
    assert!(
        text.contains("Level ERROR") && text.contains("StreamHandler"),
        "{text}"
    );
    assert!(text.ends_with('\n'));
}

#[test]
fn tree_json_is_the_dict_config_with_effective_levels() {
    let dir = temp_dir("tree-json");
    std::fs::write(dir.join("logging.yaml"), STDOUT_YAML).unwrap();
    let out = lumber(&dir, &["config", "tree", "--json", "logging.yaml"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tree: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let loggers = &tree["loggers"];
    assert_eq!(loggers["app.db"]["effective_level"], "DEBUG");
    assert_eq!(loggers["noisy"]["effective_level"], "ERROR");
    assert_eq!(tree["root"]["effective_level"], "INFO");
    assert_eq!(tree["root"]["handlers"][0], "out");
    assert_eq!(tree["handlers"]["out"]["class"], "StreamHandler");

    // What `tree --json` writes is a configuration: read back, it makes
    // the same tree, byte for byte.
    std::fs::write(dir.join("written.json"), stdout(&out)).unwrap();
    let again = lumber(&dir, &["config", "tree", "--json", "written.json"], "");
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), stdout(&out));
}

#[test]
fn tree_applies_the_environment() {
    let dir = temp_dir("tree-env");
    std::fs::write(dir.join("logging.yaml"), STDOUT_YAML).unwrap();
    let mut cmd = command(&dir, &["config", "tree", "--json", "logging.yaml"]);
    cmd.env("LUMBER_LEVEL", "debug");
    let out = run(cmd, "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tree: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(tree["root"]["effective_level"], "DEBUG");
}

#[test]
fn tree_without_a_file_finds_the_configuration() {
    let dir = temp_dir("tree-discover");
    std::fs::write(dir.join("lumber.yaml"), STDOUT_YAML).unwrap();
    let out = lumber(&dir, &["config", "tree", "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tree: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(tree["loggers"]["noisy"]["effective_level"], "ERROR");
    // LUMBER_CONFIG comes first.
    std::fs::write(
        dir.join("other.json"),
        r#"{"version": 1, "loggers": {"elsewhere": {"level": "CRITICAL"}}}"#,
    )
    .unwrap();
    let mut cmd = command(&dir, &["config", "tree", "--json"]);
    cmd.env("LUMBER_CONFIG", "other.json");
    let out = run(cmd, "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tree: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(tree["loggers"]["elsewhere"]["level"], "CRITICAL");
    assert!(tree["loggers"].get("noisy").is_none(), "{tree}");
}

#[test]
fn tree_of_a_bad_file_reports_its_problems() {
    let dir = temp_dir("tree-bad");
    std::fs::write(dir.join("bad.yaml"), BAD_YAML).unwrap();
    let out = lumber(&dir, &["config", "tree", "bad.yaml"], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    for want in BAD_PROBLEMS {
        assert!(err.contains(&format!("bad.yaml{want}")), "{err}");
    }
    let out = lumber(&dir, &["config", "tree", "--format", "yaml", "-"], BAD_YAML);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("<stdin>:8:3: root.levle"),
        "{}",
        stderr(&out)
    );
}

/// A configuration whose tree is far more than a pipe buffer (64 KiB).
fn many_loggers() -> String {
    let mut toml = String::from("version = 1\n");
    for i in 0..750 {
        toml.push_str(&format!(
            "[loggers.\"app.module{i}.part\"]\nlevel = \"DEBUG\"\n"
        ));
    }
    toml
}

#[test]
fn a_closed_stdout_ends_tree_quietly() {
    let dir = temp_dir("tree-pipe");
    std::fs::write(dir.join("many.toml"), many_loggers()).unwrap();
    for json in [false, true] {
        let mut args = vec!["config", "tree", "many.toml"];
        if json {
            args.push("--json");
        }
        let mut child = command(&dir, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Closing the read end before the child has written a pipe
        // buffer's worth: the child's writes fail with EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "json: {json}");
        assert_eq!(stderr(&out), "", "json: {json}");
    }
    // And it is that large.
    let out = lumber(&dir, &["config", "tree", "many.toml"], "");
    assert!(out.stdout.len() > 64 * 1024, "{}", out.stdout.len());
}

// emit and pipe --config

#[test]
fn emit_config_writes_through_the_configured_handler() {
    let dir = temp_dir("emit-config");
    let log = dir.join("app.log");
    std::fs::write(dir.join("logging.toml"), file_config(&log)).unwrap();
    let emit = |args: &[&str]| {
        let mut all = vec!["emit", "--config", "logging.toml"];
        all.extend_from_slice(args);
        let out = lumber(&dir, &all, "");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        assert_eq!(stderr(&out), "");
    };
    emit(&[
        "--name",
        "app.db",
        "--level",
        "error",
        "-x",
        "user=bob",
        "pool",
        "exhausted",
    ]);
    // Below app.db's WARNING: dropped, as the configuration says.
    emit(&[
        "--name", "app.db", "--level", "info", "-x", "user=bob", "dropped",
    ]);
    // The root is at INFO; app.web inherits it.
    emit(&["--name", "app.web", "-x", "user=ann", "served"]);
    emit(&["--level", "debug", "-x", "user=ann", "dropped too"]);
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "ERROR app.db [bob] pool exhausted\nINFO app.web [ann] served\n"
    );
}

#[test]
fn lumber_config_in_the_environment_is_used_by_emit() {
    let dir = temp_dir("emit-env");
    let log = dir.join("app.log");
    std::fs::write(dir.join("logging.toml"), file_config(&log)).unwrap();
    let mut cmd = command(&dir, &["emit", "--name", "job", "-x", "user=cron", "done"]);
    cmd.env("LUMBER_CONFIG", "logging.toml");
    let out = run(cmd, "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "INFO job [cron] done\n"
    );
    // basicConfig options on the command line win over the environment.
    let mut cmd = command(&dir, &["emit", "--stream", "stdout", "plain"]);
    cmd.env("LUMBER_CONFIG", "logging.toml");
    let out = run(cmd, "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "INFO:root:plain\n");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "INFO job [cron] done\n"
    );
}

#[test]
fn pipe_config_routes_records_by_logger() {
    let dir = temp_dir("pipe-config");
    std::fs::write(dir.join("logging.yaml"), STDOUT_YAML).unwrap();
    let input = concat!(
        "plain line\n",
        "{\"name\": \"app.db\", \"levelno\": 10, \"levelname\": \"DEBUG\", \"msg\": \"query %s\", \"args\": [7]}\n",
        "{\"name\": \"noisy\", \"levelno\": 30, \"levelname\": \"WARNING\", \"msg\": \"dropped\"}\n",
        "{\"name\": \"noisy\", \"levelno\": 40, \"levelname\": \"ERROR\", \"msg\": \"kept\"}\n",
        "{\"name\": \"other\", \"levelno\": 10, \"levelname\": \"DEBUG\", \"msg\": \"below the root\"}\n",
        "{\"msg\": \"no name: the root\", \"levelno\": 20, \"levelname\": \"INFO\"}\n",
    );
    let out = lumber(&dir, &["pipe", "--config", "logging.yaml"], input);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "root/INFO: plain line\napp.db/DEBUG: query 7\nnoisy/ERROR: kept\nNone/INFO: no name: the root\n"
    );
    assert_eq!(stderr(&out), "");
    // --threshold still applies; a file's records go to the file.
    let log = dir.join("pipe.log");
    std::fs::write(dir.join("file.toml"), file_config(&log)).unwrap();
    let input = "{\"name\": \"app\", \"levelno\": 20, \"levelname\": \"INFO\", \"msg\": \"info\", \"user\": \"a\"}\n\
                 {\"name\": \"app\", \"levelno\": 40, \"levelname\": \"ERROR\", \"msg\": \"error\", \"user\": \"b\"}\n";
    let out = lumber(
        &dir,
        &["pipe", "-c", "file.toml", "--threshold", "warning"],
        input,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "ERROR app [b] error\n"
    );
}

#[test]
fn a_closed_stdout_ends_pipe_config_quietly() {
    let dir = temp_dir("pipe-config-closed");
    std::fs::write(dir.join("logging.yaml"), STDOUT_YAML).unwrap();
    common::assert_closed_stdout_ends_pipe_quietly(
        command(&dir, &["pipe", "--config", "logging.yaml"]),
        "root/INFO: line 0\n",
    );
}

#[test]
fn config_and_basic_config_options_do_not_mix() {
    let dir = temp_dir("mix");
    std::fs::write(dir.join("logging.yaml"), STDOUT_YAML).unwrap();
    for args in [
        &[
            "emit",
            "--config",
            "logging.yaml",
            "--format",
            "%(message)s",
            "x",
        ][..],
        &["pipe", "--config", "logging.yaml", "--json"],
        &["pipe", "--file", "x.log", "--config", "logging.yaml"],
    ] {
        let out = lumber(&dir, args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("'--config <FILE>' cannot be used with"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "");
    }
    // The environment's format is not a conflict.
    let mut cmd = command(&dir, &["emit", "--config", "logging.yaml", "hi"]);
    cmd.env("LUMBER_STYLE", "{");
    let out = run(cmd, "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "root/INFO: hi\n");
    // Standard input is pipe's records, not its configuration.
    let out = lumber(&dir, &["pipe", "--config", "-"], "x\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--config -"), "{}", stderr(&out));
}

#[test]
fn emit_reads_its_configuration_from_standard_input() {
    let dir = temp_dir("emit-stdin");
    let out = lumber(
        &dir,
        &["emit", "--config", "-", "--name", "app.db", "hi"],
        STDOUT_YAML,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "app.db/INFO: hi\n");
}

#[test]
fn a_bad_configuration_stops_emit_and_pipe_with_its_problems() {
    let dir = temp_dir("emit-bad");
    std::fs::write(dir.join("bad.yaml"), BAD_YAML).unwrap();
    for args in [
        &["emit", "--config", "bad.yaml", "x"][..],
        &["pipe", "-c", "bad.yaml"],
    ] {
        let out = lumber(&dir, args, "x\n");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 3, "{err}");
        for want in BAD_PROBLEMS {
            assert!(err.contains(&format!("bad.yaml{want}")), "{err}");
        }
    }
    let out = lumber(&dir, &["emit", "--config", "missing.toml", "x"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("missing.toml: cannot read"),
        "{}",
        stderr(&out)
    );
}

// lumber completions, help

#[test]
fn completions_for_every_shell() {
    let dir = temp_dir("completions");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = lumber(&dir, &["completions", shell], "");
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains("lumber"), "{shell}");
        assert!(script.contains("config"), "{shell}");
    }
    let out = lumber(&dir, &["completions", "bash"], "");
    assert!(stdout(&out).contains("_lumber()"));
    let out = lumber(&dir, &["completions", "tcsh"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_help_has_examples_and_the_exit_codes_are_documented() {
    let dir = temp_dir("help");
    let out = lumber(&dir, &["--help"], "");
    let help = stdout(&out);
    for want in [
        "Exit status:",
        "  0  ",
        "  1  ",
        "  2  ",
        "config",
        "completions",
    ] {
        assert!(help.contains(want), "{want}: {help}");
    }
    for args in [
        &["emit", "--help"][..],
        &["pipe", "--help"],
        &["config", "--help"],
        &["config", "check", "--help"],
        &["config", "tree", "--help"],
        &["completions", "--help"],
    ] {
        let out = lumber(&dir, args, "");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("Examples:"), "{args:?}");
    }
    let out = lumber(&dir, &["emit", "--help"], "");
    assert!(stdout(&out).contains("effective level"), "{}", stdout(&out));
}
