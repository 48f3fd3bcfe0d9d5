//! lumber against CPython 3.11's `logging.config`: the same configuration
//! files (`tests/fixtures/config/`), the same loggers created before
//! configuring and the same calls, run by `scripts/cpython_config.py` with
//! `dictConfig`/`fileConfig` and by lumber in a child process (this test
//! binary run again, as the logger hierarchy is process-wide), each in a
//! fresh directory. The logger trees (levels, effective levels,
//! propagation, disabled, handlers with their class, level, formatter and
//! filters), every file the handlers wrote and what went to stdout and
//! stderr must be the same.
//!
//! Stdout: both sides write their result (steps, tree) to a file, not to
//! stdout, so stdout holds only what handlers wrote there. CPython's whole
//! stdout is compared with the part of the lumber child's stdout between
//! two marker lines the child prints around its steps (before and after
//! them, libtest prints its own lines there).
//!
//! Also: the configurations of CPython's own `test.test_logging`
//! (`ConfigFileTest`, `ConfigDictTest`), read from the installed test
//! suite at test time, must load in lumber when they only use handlers
//! lumber has; every one that both accept is then run as a scenario too
//! (the loggers CPython's tests create, the configuration, every level on
//! the root, `compiler.parser`, `compiler.lexer` and `other`).
//!
//! Skipped, loudly, without `python3` (or without `test.test_logging`).

#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use lumber::config::{Config, FileFormat};
use serde_json::{Value, json};

const CHILD_ENV: &str = "LUMBER_CPYTHON_CONFIG_CHILD";
const MARK: &str = "@@JSON@@";
/// Around the lumber child's steps on its stdout.
const STDOUT_BEGIN: &str = "@@LUMBER-STDOUT-BEGIN@@";
const STDOUT_END: &str = "@@LUMBER-STDOUT-END@@";
const LEVELS: [&str; 5] = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/cpython_config.py")
}

fn python_available() -> bool {
    let ok = Command::new("python3")
        .args([
            "-c",
            "import logging.config, sys; assert sys.version_info >= (3, 8)",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !peers_required(),
            "python3 (3.8 or newer) is required: LUMBER_REQUIRE_PEERS=1"
        );
        eprintln!(
            "\n!!!!! cpython_config: python3 is not available; CPython comparison SKIPPED !!!!!\n"
        );
    }
    ok
}

/// As `scripts/test.sh` sets it where the peers can be run (CI): CPython
/// missing is then a failure, not a skip.
fn peers_required() -> bool {
    std::env::var("LUMBER_REQUIRE_PEERS").is_ok_and(|v| v == "1")
}

// ---------------------------------------------------------------------------
// The child: runs a scenario's steps with lumber, prints the tree.

fn level_of(name: &str) -> lumber::Level {
    name.parse().unwrap_or_else(|_| panic!("bad level {name}"))
}

fn logger_of(name: &str) -> lumber::Logger {
    if name.is_empty() {
        lumber::root()
    } else {
        lumber::get_logger(name)
    }
}

/// Runs only when the parent sets `LUMBER_CPYTHON_CONFIG_CHILD` to a spec file.
#[test]
fn child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        writeln!(out, "\n{STDOUT_BEGIN}").unwrap();
        out.flush().unwrap();
    }
    let mut results = Vec::new();
    for step in spec["steps"].as_array().unwrap() {
        let s = |i: usize| step[i].as_str().unwrap();
        match s(0) {
            "create" => {
                logger_of(s(1));
            }
            "config" => match Config::from_path(s(2)).and_then(|c| c.apply()) {
                Ok(()) => results.push(Value::Null),
                Err(e) => results.push(Value::String(e.to_string())),
            },
            "log" => logger_of(s(1)).log(level_of(s(2)), s(3)),
            other => panic!("unknown step {other}"),
        }
    }
    let tree = lumber::config::tree().to_json();
    lumber::flush();
    std::fs::write(
        spec["out"].as_str().unwrap(),
        format!("{{\"steps\": {}, \"tree\": {tree}}}", Value::Array(results)),
    )
    .unwrap();
    // Shut down (MemoryHandlers flush into their targets, files close).
    lumber::shutdown();
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        out.flush().unwrap();
        writeln!(out, "{STDOUT_END}").unwrap();
        out.flush().unwrap();
    }
}

// ---------------------------------------------------------------------------
// Scenarios.

#[derive(Clone)]
enum Step {
    Create(&'static str),
    /// A fixture, by name.
    Config(&'static str),
    /// A configuration file anywhere.
    ConfigAt(PathBuf),
    Log(String, &'static str, String),
}

struct Scenario {
    name: String,
    /// Files in the working directory before anything runs.
    seed: &'static [(&'static str, &'static str)],
    steps: Vec<Step>,
}

/// Every level on every logger (`""` is the root).
fn calls(tag: &str, loggers: &[&'static str]) -> Vec<Step> {
    let mut out = Vec::new();
    for lg in loggers {
        for level in LEVELS {
            let who = if lg.is_empty() { "root" } else { lg };
            out.push(Step::Log(
                (*lg).to_owned(),
                level,
                format!("{tag} {level} to {who}"),
            ));
        }
    }
    out
}

fn scenario(
    name: &'static str,
    pre: &[&'static str],
    config: &'static str,
    loggers: &[&'static str],
) -> Scenario {
    let mut steps: Vec<Step> = pre.iter().map(|n| Step::Create(n)).collect();
    steps.push(Step::Config(config));
    steps.extend(calls("m", loggers));
    Scenario {
        name: name.to_owned(),
        seed: &[],
        steps,
    }
}

fn unique_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lumber-cpython-config-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The output line after the marker, parsed.
fn marked_json(stdout: &[u8], what: &str) -> Value {
    let text = String::from_utf8_lossy(stdout);
    let line = text
        .lines()
        .find_map(|l| l.find(MARK).map(|i| &l[i + MARK.len()..]))
        .unwrap_or_else(|| panic!("{what} printed no {MARK} line:\n{text}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: bad JSON ({e}): {line}"))
}

/// Every file a run left in its directory, as lines.
fn files(dir: &Path) -> Value {
    let mut out = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| format!("<unreadable: {e}>"));
        let lines: Vec<Value> = text.lines().map(|l| Value::String(l.to_owned())).collect();
        out.insert(
            p.file_name().unwrap().to_string_lossy().into_owned(),
            Value::Array(lines),
        );
    }
    json!(out)
}

fn output_lines(bytes: &[u8]) -> Value {
    let text = String::from_utf8_lossy(bytes);
    json!(text.lines().collect::<Vec<_>>())
}

/// A level as Python's `getLevelName` writes it.
fn level_text(v: Option<&Value>) -> Value {
    match v {
        None | Some(Value::Null) => json!("NOTSET"),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(0) => json!("NOTSET"),
            Some(10) => json!("DEBUG"),
            Some(20) => json!("INFO"),
            Some(30) => json!("WARNING"),
            Some(40) => json!("ERROR"),
            Some(50) => json!("CRITICAL"),
            _ => json!(format!("Level {n}")),
        },
        Some(Value::String(s)) => json!(s.to_uppercase()),
        Some(other) => other.clone(),
    }
}

/// `logging.handlers.RotatingFileHandler` → `RotatingFileHandler`.
fn class_text(v: Option<&Value>) -> Value {
    match v.and_then(Value::as_str) {
        Some(s) => json!(s.rsplit('.').next().unwrap_or(s)),
        None => Value::Null,
    }
}

/// lumber's live tree in the projection `cpython_config.py` prints.
fn project_lumber(tree: &Value) -> Value {
    let filter_names = |list: &Value| -> Value {
        let names = list.as_array().cloned().unwrap_or_default();
        json!(
            names
                .iter()
                .map(|n| {
                    let spec = &tree["filters"][n.as_str().unwrap_or("")];
                    spec.get("name").cloned().unwrap_or(json!(""))
                })
                .collect::<Vec<_>>()
        )
    };
    let handler = |name: &str| -> Value {
        let spec = &tree["handlers"][name];
        let fmt = spec
            .get("formatter")
            .and_then(Value::as_str)
            .map(|f| &tree["formatters"][f]);
        let mut h = json!({
            "name": name,
            "class": class_text(spec.get("class")),
            "level": level_text(spec.get("level")),
            "formatter_fmt": fmt.map_or(Value::Null, |f| f.get("format").cloned().unwrap_or(Value::Null)),
            "formatter_datefmt": fmt.map_or(Value::Null, |f| f.get("datefmt").cloned().unwrap_or(Value::Null)),
            "formatter_style": fmt.map_or(Value::Null, |f| f.get("style").cloned().unwrap_or(json!("%"))),
            "filters": filter_names(spec.get("filters").unwrap_or(&Value::Null)),
        });
        if let Some(t) = spec.get("target") {
            h["target"] = t.clone();
        }
        h
    };
    let logger = |n: &Value, is_root: bool| -> Value {
        let hs: Vec<Value> = n["handlers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|h| handler(h.as_str().unwrap()))
            .collect();
        let mut out = json!({
            "level": level_text(n.get("level")),
            "effective_level": level_text(n.get("effective_level")),
            "handlers": hs,
            "filters": filter_names(&n["filters"]),
        });
        if !is_root {
            out["propagate"] = n.get("propagate").cloned().unwrap_or(json!(true));
            out["disabled"] = n.get("disabled").cloned().unwrap_or(json!(false));
        }
        out
    };
    let mut out = serde_json::Map::new();
    out.insert(String::new(), logger(&tree["root"], true));
    if let Some(m) = tree["loggers"].as_object() {
        for (k, v) in m {
            out.insert(k.clone(), logger(v, false));
        }
    }
    Value::Object(out)
}

/// Every place where `a` (CPython) and `b` (lumber) differ.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}/{k}");
                match y.get(k) {
                    Some(w) => diff(&p, v, w, out),
                    None => out.push(format!("{p}: CPython has {v}, lumber has nothing")),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) {
                    out.push(format!("{path}/{k}: CPython has nothing, lumber has {w}"));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), v, w, out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!(
            "{path}:\n      CPython: {}\n      lumber:  {}",
            serde_json::to_string(a).unwrap(),
            serde_json::to_string(b).unwrap()
        )),
    }
}

/// What handlers wrote to the lumber child's stdout: the lines between its
/// markers (libtest's own lines are outside them).
fn child_stdout(stdout: &[u8]) -> Value {
    let text = String::from_utf8_lossy(stdout);
    let begin = text
        .find(STDOUT_BEGIN)
        .unwrap_or_else(|| panic!("lumber child printed no {STDOUT_BEGIN}:\n{text}"));
    let rest = &text[begin + STDOUT_BEGIN.len()..];
    let rest = rest.strip_prefix('\n').unwrap_or(rest);
    let end = rest
        .find(STDOUT_END)
        .unwrap_or_else(|| panic!("lumber child printed no {STDOUT_END}:\n{text}"));
    json!(rest[..end].lines().collect::<Vec<_>>())
}

fn read_json(path: &Path, what: &str) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{what} wrote no result to {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: bad JSON ({e}): {text}"))
}

fn run(sc: &Scenario) {
    if !python_available() {
        return;
    }
    match compare(sc) {
        Ok(summary) => eprintln!("{summary}"),
        Err(msg) => panic!("{msg}"),
    }
}

/// Runs a scenario in CPython and in a lumber child: `Ok` with a summary
/// when they agree, `Err` with every difference when not.
fn compare(sc: &Scenario) -> Result<String, String> {
    let base = unique_dir(&sc.name);
    let (spec_dir, py_dir, rs_dir) = (base.join("spec"), base.join("py"), base.join("rs"));
    for d in [&spec_dir, &py_dir, &rs_dir] {
        std::fs::create_dir_all(d).unwrap();
    }
    for (file, text) in sc.seed {
        std::fs::write(py_dir.join(file), text).unwrap();
        std::fs::write(rs_dir.join(file), text).unwrap();
    }
    // CPython gets dictConfig fixtures as JSON (the tree lumber read), INI
    // files and JSON files from elsewhere (CPython's suite) as they are.
    let mut py_steps = Vec::new();
    let mut rs_steps = Vec::new();
    for (i, step) in sc.steps.iter().enumerate() {
        match step {
            Step::Create(n) => {
                py_steps.push(json!(["create", n]));
                rs_steps.push(json!(["create", n]));
            }
            Step::Config(_) | Step::ConfigAt(_) => {
                let (f, path) = match step {
                    Step::Config(f) => ((*f).to_owned(), fixture(f)),
                    Step::ConfigAt(p) => (p.display().to_string(), p.clone()),
                    _ => unreachable!(),
                };
                rs_steps.push(json!(["config", "", path]));
                if f.ends_with(".ini") {
                    py_steps.push(json!(["config", "ini", path]));
                } else if matches!(step, Step::ConfigAt(_)) && f.ends_with(".json") {
                    py_steps.push(json!(["config", "dict", path]));
                } else {
                    let config = Config::from_path(&path).unwrap_or_else(|e| panic!("{f}: {e}"));
                    let json_path = spec_dir.join(format!("step{i}.json"));
                    std::fs::write(&json_path, config.node().to_json()).unwrap();
                    py_steps.push(json!(["config", "dict", json_path]));
                }
            }
            Step::Log(lg, level, msg) => {
                py_steps.push(json!(["log", lg, level, msg]));
                rs_steps.push(json!(["log", lg, level, msg]));
            }
        }
    }
    let py_spec = spec_dir.join("python.json");
    let rs_spec = spec_dir.join("lumber.json");
    let py_out = spec_dir.join("python-out.json");
    let rs_out = spec_dir.join("lumber-out.json");
    std::fs::write(
        &py_spec,
        json!({ "out": py_out, "steps": py_steps }).to_string(),
    )
    .unwrap();
    std::fs::write(
        &rs_spec,
        json!({ "out": rs_out, "steps": rs_steps }).to_string(),
    )
    .unwrap();

    let py = Command::new("python3")
        .arg(script())
        .arg("run")
        .arg(&py_spec)
        .current_dir(&py_dir)
        .output()
        .unwrap();
    if !py.status.success() {
        return Err(format!(
            "{}: python failed: {}",
            sc.name,
            String::from_utf8_lossy(&py.stderr)
        ));
    }
    let rs = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child", "--nocapture", "--test-threads=1", "-q"])
        .env(CHILD_ENV, &rs_spec)
        .current_dir(&rs_dir)
        .output()
        .unwrap();
    if !rs.status.success() {
        return Err(format!(
            "{}: lumber child failed:\n{}\n{}",
            sc.name,
            String::from_utf8_lossy(&rs.stdout),
            String::from_utf8_lossy(&rs.stderr)
        ));
    }
    let pj = read_json(&py_out, "python");
    let rj = read_json(&rs_out, "lumber child");

    // Config errors: both fail or neither; the texts are shown.
    let ok = |v: &Value| {
        json!(
            v.as_array()
                .unwrap()
                .iter()
                .map(Value::is_null)
                .collect::<Vec<_>>()
        )
    };
    let python = json!({
        "config_ok": ok(&pj["steps"]),
        "tree": pj["tree"],
        "files": files(&py_dir),
        "stdout": output_lines(&py.stdout),
        "stderr": output_lines(&py.stderr),
    });
    // Loggers CPython does not have (lumber makes real loggers where
    // CPython keeps PlaceHolders) are left out.
    let mut ltree = project_lumber(&rj["tree"]);
    let extra: Vec<String> = ltree
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| pj["tree"].get(k.as_str()).is_none())
        .cloned()
        .collect();
    for k in &extra {
        ltree.as_object_mut().unwrap().remove(k);
    }
    let lumber = json!({
        "config_ok": ok(&rj["steps"]),
        "tree": ltree,
        "files": files(&rs_dir),
        "stdout": child_stdout(&rs.stdout),
        "stderr": output_lines(&rs.stderr),
    });
    let mut diffs = Vec::new();
    diff("", &python, &lumber, &mut diffs);
    if !diffs.is_empty() {
        return Err(format!(
            "scenario {}: lumber differs from CPython in {} place(s):\n  {}\n\nconfig errors: CPython {} / lumber {}\nlumber-only loggers (ignored): {extra:?}\n\nCPython:\n{}\n\nlumber:\n{}\n",
            sc.name,
            diffs.len(),
            diffs.join("\n  "),
            pj["steps"],
            rj["steps"],
            serde_json::to_string_pretty(&python).unwrap(),
            serde_json::to_string_pretty(&lumber).unwrap(),
        ));
    }
    let summary: Vec<String> = python["files"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(f, l)| format!("{f}: {} lines", l.as_array().unwrap().len()))
        .collect();
    let _ = std::fs::remove_dir_all(&base);
    Ok(format!(
        "scenario {}: same as CPython ({} loggers; {}; stdout: {} lines; stderr: {} lines; lumber-only loggers ignored: {extra:?})",
        sc.name,
        pj["tree"].as_object().unwrap().len(),
        summary.join(", "),
        python["stdout"].as_array().unwrap().len(),
        python["stderr"].as_array().unwrap().len()
    ))
}

#[test]
fn root_level_and_handler() {
    run(&scenario(
        "root_basic",
        &["app"],
        "root_basic.json",
        &["", "app", "app.x"],
    ));
}

#[test]
fn named_logger_with_own_handler_and_no_propagation() {
    run(&scenario(
        "named_logger",
        &[],
        "named_logger.yaml",
        &[
            "",
            "compiler",
            "compiler.parser",
            "compiler.parser.deep",
            "compiler.lexer",
        ],
    ));
}

#[test]
fn disable_existing_loggers_true() {
    run(&scenario(
        "disable_true",
        &[
            "old",
            "old.child",
            "app",
            "app.child",
            "app.child.grand",
            "apple",
        ],
        "disable_true.toml",
        &[
            "",
            "old",
            "old.child",
            "app",
            "app.child",
            "app.child.grand",
            "apple",
            "new",
        ],
    ));
}

#[test]
fn disable_existing_loggers_false() {
    run(&scenario(
        "disable_false",
        &[
            "old",
            "old.child",
            "app",
            "app.child",
            "app.child.grand",
            "apple",
        ],
        "disable_false.toml",
        &[
            "",
            "old",
            "old.child",
            "app",
            "app.child",
            "app.child.grand",
            "apple",
            "new",
        ],
    ));
}

#[test]
fn formatters_with_datefmt_and_styles() {
    run(&scenario(
        "formatters",
        &[],
        "formatters.yaml",
        &["", "fmt.a"],
    ));
}

#[test]
fn handler_levels() {
    run(&scenario(
        "handler_level",
        &[],
        "handler_level.json",
        &["", "svc", "svc.quiet", "svc.loud", "other"],
    ));
}

#[test]
fn filters_on_a_handler_and_on_a_logger() {
    run(&scenario(
        "filters",
        &[],
        "filters.yaml",
        &[
            "",
            "app",
            "app.web",
            "app.web.api",
            "app.db",
            "app.dbx",
            "app.other",
        ],
    ));
}

#[test]
fn incremental_changes_levels() {
    let loggers = ["", "job", "job.step", "job.other"];
    let mut steps = vec![
        Step::Create("job.other"),
        Step::Config("incremental_base.json"),
    ];
    steps.extend(calls("before", &loggers));
    steps.push(Step::Config("incremental_change.json"));
    steps.extend(calls("after", &loggers));
    run(&Scenario {
        name: "incremental".to_owned(),
        seed: &[],
        steps,
    });
}

#[test]
fn file_handler_modes() {
    let mut sc = scenario("file_mode", &[], "file_mode.toml", &["", "x"]);
    sc.seed = &[
        ("truncated.log", "OLD LINE 1\nOLD LINE 2\n"),
        ("appended.log", "KEPT LINE\n"),
    ];
    run(&sc);
}

#[test]
fn memory_handler_with_target() {
    let mut sc = scenario("memory", &[], "memory.json", &["batch", "batch.part", ""]);
    // Enough to fill the buffer more than once.
    sc.steps.extend(calls("more", &["batch"]));
    run(&sc);
}

#[test]
fn rotating_file_handler_from_ini_args() {
    let mut sc = scenario(
        "rotating",
        &["rot.sub", "gone"],
        "rotating.ini",
        &["", "rot", "rot.sub", "gone"],
    );
    sc.steps.extend(calls("again", &["rot", "rot.sub"]));
    run(&sc);
}

#[test]
fn ini_default_section_interpolation_and_disabling() {
    run(&scenario(
        "interpolation",
        &["svc.sub.deep", "svc.other", "unrelated", "unrelated.kid"],
        "interpolation.ini",
        &[
            "",
            "svc",
            "svc.sub",
            "svc.sub.deep",
            "svc.other",
            "unrelated",
            "unrelated.kid",
        ],
    ));
}

#[test]
fn stream_handler_to_stderr() {
    run(&scenario(
        "stderr_stream",
        &[],
        "stderr_stream.yaml",
        &["", "noisy", "calm"],
    ));
}

// ---------------------------------------------------------------------------
// CPython's own test configurations.

const LUMBER_HANDLERS: &[&str] = &[
    "StreamHandler",
    "FileHandler",
    "NullHandler",
    "RotatingFileHandler",
    "TimedRotatingFileHandler",
    "WatchedFileHandler",
    "MemoryHandler",
    "QueueHandler",
    "SysLogHandler",
];

/// The classes a configuration names lumber does not have.
fn foreign_classes(kind: &str, text: &str) -> Vec<String> {
    let mut classes = Vec::new();
    if kind == "ini" {
        for line in text.lines() {
            if let Some((k, v)) = line.split_once(['=', ':'])
                && k.trim().eq_ignore_ascii_case("class")
            {
                classes.push(v.trim().to_owned());
            }
        }
    } else {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        if k == "class"
                            && let Some(s) = x.as_str()
                        {
                            out.push(s.to_owned());
                        }
                        walk(x, out);
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        walk(&serde_json::from_str(text).unwrap(), &mut classes);
    }
    classes
        .into_iter()
        .filter(|c| {
            let short = c.rsplit('.').next().unwrap_or(c);
            let known_module =
                !c.contains('.') || c.starts_with("logging.") || c.starts_with("handlers.");
            !(known_module
                && (LUMBER_HANDLERS.contains(&short) || short == "Formatter" || short == "Filter"))
        })
        .collect()
}

/// The configurations of CPython's `test.test_logging`, as
/// `cpython_config.py suite` prints them; `None` (said loudly) without
/// python3 or its test suite.
fn suite_entries() -> Option<Value> {
    if !python_available() {
        return None;
    }
    let out = Command::new("python3")
        .arg(script())
        .arg("suite")
        .output()
        .unwrap();
    if !out.status.success() {
        assert!(
            !peers_required(),
            "CPython's test.test_logging is required (LUMBER_REQUIRE_PEERS=1): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!(
            "\n!!!!! cpython_config: test.test_logging is not importable; CPython suite configs SKIPPED !!!!!\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(marked_json(&out.stdout, "python suite"))
}

/// `ConfigDictTest.test_config_9_ok`: config9, then the incremental
/// config9a and config9b changing the handler's and the logger's levels,
/// applied in one process as CPython's test does.
#[test]
fn cpython_suite_incremental_sequence() {
    let Some(entries) = suite_entries() else {
        return;
    };
    let dir = unique_dir("suite-seq");
    let mut steps = Vec::new();
    for (i, name) in ["config9", "config9a", "config9b"].into_iter().enumerate() {
        let full = format!("ConfigDictTest.{name}");
        let e = entries
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == full.as_str())
            .unwrap_or_else(|| panic!("{full} missing from CPython's test suite"));
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, e["text"].as_str().unwrap()).unwrap();
        steps.push(Step::ConfigAt(path));
        steps.extend(calls(&format!("after{i}"), &["", "compiler.parser"]));
    }
    run(&Scenario {
        name: "suite_config9_sequence".to_owned(),
        seed: &[],
        steps,
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cpython_test_suite_configs_load() {
    let Some(entries) = suite_entries() else {
        return;
    };
    let dir = unique_dir("suite");
    let mut failures = Vec::new();
    let mut report = Vec::new();
    let mut loaded = 0;
    let mut runnable = Vec::new();
    for e in entries.as_array().unwrap() {
        let name = e["name"].as_str().unwrap();
        if e.get("skipped").is_some() {
            report.push(format!(
                "{name}: skipped (callables, factories, cfg:// or non-std ext://)"
            ));
            continue;
        }
        let kind = e["kind"].as_str().unwrap();
        let text = e["text"].as_str().unwrap();
        let (format, ext) = if kind == "ini" {
            (FileFormat::Ini, "ini")
        } else {
            (FileFormat::Json, "json")
        };
        let path = dir.join(format!("{name}.{ext}"));
        std::fs::write(&path, text).unwrap();
        let result = Config::from_str(text, format, Some(&path)).and_then(|c| c.check());
        let python_error = e["python_error"].as_str();
        let foreign = foreign_classes(kind, text);
        match (&result, python_error) {
            (Ok(()), None) if foreign.is_empty() => {
                loaded += 1;
                runnable.push((name.to_owned(), path));
            }
            (Ok(()), None) => {
                loaded += 1;
                report.push(format!(
                    "{name}: loads, but uses classes of CPython's test module {foreign:?}; behavior not compared"
                ));
            }
            (Err(err), None) if foreign.is_empty() => {
                failures.push(format!("{name} ({kind}): CPython accepts it, lumber says:\n{err}\n--- config ---\n{text}"));
            }
            (Err(err), None) => {
                report.push(format!(
                    "{name}: uses classes lumber lacks {foreign:?}; lumber says: {err}"
                ));
            }
            (Ok(()), Some(py)) => {
                report.push(format!(
                    "{name}: CPython rejects it ({py}); lumber accepts it"
                ));
            }
            (Err(err), Some(py)) => {
                let first = err.to_string().lines().next().unwrap_or("").to_owned();
                report.push(format!(
                    "{name}: CPython rejects it ({py}); lumber too: {first}"
                ));
            }
        }
    }
    eprintln!("CPython suite configs: {loaded} loaded in lumber as in CPython");
    for r in &report {
        eprintln!("  {r}");
    }
    // Every configuration both accept, run: the loggers CPython's tests
    // create first, the configuration, every level on the root and three
    // loggers; tree, files, stdout (`ext://sys.stdout`, `args=(sys.stdout,)`
    // handlers) and stderr compared as in the scenarios above.
    let mut behaved = 0;
    for (name, path) in &runnable {
        let mut steps: Vec<Step> = ["compiler", "compiler.parser", "compiler.lexer", "other"]
            .into_iter()
            .map(Step::Create)
            .collect();
        steps.push(Step::ConfigAt(path.clone()));
        steps.extend(calls(
            "m",
            &["", "compiler.parser", "compiler.lexer", "other"],
        ));
        match compare(&Scenario {
            name: format!("suite-{name}"),
            seed: &[],
            steps,
        }) {
            Ok(summary) => {
                behaved += 1;
                eprintln!("  {summary}");
            }
            Err(msg) => failures.push(format!(
                "{name}: CPython and lumber both accept it, but behave differently:\n{msg}"
            )),
        }
    }
    eprintln!(
        "CPython suite configs: {behaved} of {} run the same in lumber as in CPython",
        runnable.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} CPython test configuration(s) lumber fails to load or runs differently:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
