//! Configuration files: building, applying, errors, the logger tree,
//! reloading, and every example configuration in the docs.
//!
//! These tests share the process's logger hierarchy with every other test,
//! so each configuration sets `disable_existing_loggers = false` and names
//! only loggers of its own (the `disable_existing_loggers` semantics are
//! compared with CPython in child processes, in `tests/cpython_config.rs`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lumber::config::{Config, FileFormat, Node, Value, render_tree};
use lumber::{Level, get_logger};
use proptest::prelude::*;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lumber-it-dictconfig-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(text: &str) -> Config {
    Config::from_str(text, FileFormat::Json, None).unwrap()
}

#[test]
fn a_config_builds_formatters_filters_handlers_and_loggers() {
    let dir = scratch("build");
    let log = dir.join("app.log");
    let text = format!(
        r#"
version = 1
disable_existing_loggers = false

[formatters.brief]
format = "{{levelname}}|{{name}}|{{message}}"
style = "{{"

[filters.only_db]
name = "cfg.build.db"

[handlers.file]
class = "logging.FileHandler"
filename = "{}"
mode = "w"
level = "INFO"
formatter = "brief"
filters = ["only_db"]

[loggers."cfg.build"]
level = "DEBUG"
handlers = ["file"]
propagate = false
"#,
        log.display()
    );
    let config = Config::from_str(&text, FileFormat::Toml, None).unwrap();
    config.apply().unwrap();
    let app = get_logger("cfg.build");
    assert_eq!(app.level(), Level::DEBUG);
    assert!(!app.propagate());
    let h = &app.handlers()[0];
    assert_eq!(h.name().as_deref(), Some("file"));
    assert_eq!(h.level(), Level::INFO);
    get_logger("cfg.build.db").info("kept");
    get_logger("cfg.build.db").debug("below the handler's level");
    get_logger("cfg.build.web").warning("filtered out");
    lumber::flush();
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "INFO|cfg.build.db|kept\n"
    );
}

#[test]
fn applying_again_replaces_and_closes_the_old_handlers() {
    let dir = scratch("replace");
    let (a, b) = (dir.join("a.log"), dir.join("b.log"));
    let config = |path: &Path| {
        json(&format!(
            r#"{{"disable_existing_loggers": false,
                "handlers": {{"f": {{"class": "FileHandler", "filename": {:?}}}}},
                "loggers": {{"cfg.replace": {{"handlers": ["f"], "propagate": false}}}}}}"#,
            path.display().to_string()
        ))
    };
    config(&a).apply().unwrap();
    let first = get_logger("cfg.replace").handlers()[0].clone();
    get_logger("cfg.replace").warning("one");
    config(&b).apply().unwrap();
    get_logger("cfg.replace").warning("two");
    lumber::flush();
    assert_eq!(get_logger("cfg.replace").handlers().len(), 1);
    assert!(!Arc::ptr_eq(
        &first,
        &get_logger("cfg.replace").handlers()[0]
    ));
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "one\n");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "two\n");
}

#[test]
fn a_bad_config_changes_nothing_and_lists_every_problem() {
    let log = get_logger("cfg.atomic");
    log.set_level(Level::ERROR);
    let err = json(
        r#"{
  "version": 1,
  "disable_existing_loggers": false,
  "formatters": {"f": {"format": "%(name)d %(message)s"}},
  "handlers": {
    "h": {"class": "StreamHandler", "stream": "ext://sys.stdrr", "formatter": "g"},
    "r": {"class": "RotatingFileHandler", "filename": "x.log", "maxBytes": "ten", "backup_count": -1},
    "s": {"class": "StreamHandlr"}
  },
  "loggers": {"cfg.atomic": {"level": "DEBUG", "handlers": ["h", "nope"], "propogate": false}}
}"#,
    )
    .apply()
    .unwrap_err();
    assert_eq!(log.level(), Level::ERROR, "nothing was applied");
    let text = err.to_string();
    for expected in [
        "4:34: formatters.f.format: invalid format \"%(name)d %(message)s\", field 'name'",
        "6:47: handlers.h.stream: expected ext://sys.stdout or ext://sys.stderr, got 'ext://sys.stdrr'",
        "6:79: handlers.h.formatter: no formatter named 'g'; did you mean 'f'?",
        "7:76: handlers.r.max_bytes: expected a size like 10MB, got 'ten'",
        "7:99: handlers.r.backup_count: expected a number >= 0, got -1",
        "8:20: handlers.s.class: unknown handler class 'StreamHandlr'; did you mean 'StreamHandler'?",
        "10:66: loggers.cfg.atomic.handlers: no handler named 'nope'",
        "10:75: loggers.cfg.atomic.propogate: unknown key; did you mean 'propagate'?",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(err.len(), 8, "{text}");
    let lines: Vec<u32> = err.iter().map(|p| p.pos().unwrap().line).collect();
    assert!(lines.is_sorted(), "problems in file order: {lines:?}");
}

#[test]
fn the_same_config_in_every_format_makes_the_same_tree() {
    let toml = r#"
disable_existing_loggers = false
[formatters.f]
format = "%(levelname)s %(message)s"
[handlers.h]
class = "NullHandler"
formatter = "f"
level = "WARNING"
[loggers."cfg.formats"]
level = "INFO"
handlers = ["h"]
"#;
    let yaml = "
disable_existing_loggers: false
formatters:
  f: {format: '%(levelname)s %(message)s'}
handlers:
  h: {class: NullHandler, formatter: f, level: WARNING}
loggers:
  cfg.formats: {level: INFO, handlers: [h]}
";
    let json_text = r#"{"disable_existing_loggers": false,
        "formatters": {"f": {"format": "%(levelname)s %(message)s"}},
        "handlers": {"h": {"class": "NullHandler", "formatter": "f", "level": "WARNING"}},
        "loggers": {"cfg.formats": {"level": "INFO", "handlers": ["h"]}}}"#;
    let ini = "
[loggers]
keys=root,formats
[handlers]
keys=h
[formatters]
keys=f
[logger_root]
handlers=
[logger_formats]
qualname=cfg.formats
level=INFO
handlers=h
[handler_h]
class=NullHandler
formatter=f
level=WARNING
[formatter_f]
format=%(levelname)s %(message)s
";
    let tree = |text: &str, format| {
        let mut t = Config::from_str(text, format, None)
            .unwrap()
            .tree()
            .unwrap();
        t.strip_positions();
        // fileConfig has no disable_existing_loggers key (it is an argument).
        t.set("disable_existing_loggers", false.into());
        t
    };
    let expected = tree(toml, FileFormat::Toml);
    assert_eq!(tree(yaml, FileFormat::Yaml), expected);
    assert_eq!(tree(json_text, FileFormat::Json), expected);
    let from_ini = tree(ini, FileFormat::Ini);
    assert_eq!(from_ini.get("handlers"), expected.get("handlers"));
    assert_eq!(from_ini.get("formatters"), expected.get("formatters"));
    assert_eq!(from_ini.get("loggers"), expected.get("loggers"));
}

#[test]
fn the_live_tree_reads_back_as_the_configuration_that_made_it() {
    let config = json(
        r#"{"disable_existing_loggers": false,
            "formatters": {"plain": {"format": "%(name)s %(message)s", "datefmt": "%H:%M"}},
            "filters": {"f": {"name": "cfg.live"}},
            "handlers": {"n": {"class": "NullHandler", "formatter": "plain", "filters": ["f"], "level": 25}},
            "loggers": {"cfg.live": {"level": "DEBUG", "handlers": ["n"], "propagate": false},
                        "cfg.live.child": {"level": "ERROR"}}}"#,
    );
    config.apply().unwrap();
    let live = lumber::config::tree();
    let handler = live.get("handlers").unwrap().get("n").unwrap();
    assert_eq!(handler.get("class").unwrap().as_str(), Some("NullHandler"));
    assert_eq!(handler.get("level").unwrap().as_i64(), Some(25));
    assert_eq!(handler.get("formatter").unwrap().as_str(), Some("plain"));
    assert_eq!(
        live.get("formatters")
            .unwrap()
            .get("plain")
            .unwrap()
            .get("datefmt")
            .unwrap()
            .as_str(),
        Some("%H:%M")
    );
    let child = live.get("loggers").unwrap().get("cfg.live.child").unwrap();
    assert_eq!(
        child.get("effective_level").unwrap().as_str(),
        Some("ERROR")
    );

    // Written out and read back, the configuration makes the same tree.
    let mut ours = config.tree().unwrap();
    // (The live tree holds every other test's loggers too: take ours.)
    let mut mine = live.clone();
    for (section, keep) in [("formatters", "plain"), ("filters", "f"), ("handlers", "n")] {
        let mut only = Node::map();
        only.set(keep, live.get(section).unwrap().get(keep).unwrap().clone());
        mine.set(section, only);
    }
    let mut loggers = Node::map();
    for name in ["cfg.live", "cfg.live.child"] {
        loggers.set(
            name,
            live.get("loggers").unwrap().get(name).unwrap().clone(),
        );
    }
    mine.set("loggers", loggers);
    mine.remove("root");
    let mut again = Config::from_node(mine).tree().unwrap();
    for t in [&mut ours, &mut again] {
        t.strip_positions();
    }
    for key in ["formatters", "filters", "handlers"] {
        assert_eq!(again.get(key), ours.get(key), "{key}");
    }
    for name in ["cfg.live", "cfg.live.child"] {
        let a = again.get("loggers").unwrap().get(name).unwrap();
        let b = ours.get("loggers").unwrap().get(name).unwrap();
        for key in ["level", "propagate", "handlers", "filters"] {
            assert_eq!(a.get(key), b.get(key), "{name}.{key}");
        }
    }
    let text = render_tree(&live);
    assert!(text.contains("o<--\"cfg.live\"\n"), "{text}");
    assert!(text.contains("Handler NullHandler 'n'"), "{text}");
}

#[test]
fn a_watched_file_is_reapplied_and_a_broken_one_is_kept_out() {
    let dir = scratch("watch");
    let path = dir.join("lumber.yaml");
    let write = |level: &str| {
        std::fs::write(
            &path,
            format!(
                "disable_existing_loggers: false\nloggers:\n  cfg.watch:\n    level: {level}\n"
            ),
        )
        .unwrap();
    };
    write("INFO");
    let watcher = lumber::config::watch(&path, std::time::Duration::from_secs(3600)).unwrap();
    assert_eq!(get_logger("cfg.watch").level(), Level::INFO);
    assert!(watcher.poll().is_none());
    write("ERROR");
    assert!(watcher.poll().unwrap().is_ok());
    assert_eq!(get_logger("cfg.watch").level(), Level::ERROR);
    write("LOUD");
    let err = watcher.poll().unwrap().unwrap_err();
    assert!(
        err.to_string()
            .contains("lumber.yaml:4:12: loggers.cfg.watch.level:"),
        "{err}"
    );
    assert_eq!(get_logger("cfg.watch").level(), Level::ERROR);
    assert!(watcher.last_error().is_some());
    write("DEBUG");
    assert!(watcher.poll().unwrap().is_ok());
    assert!(watcher.last_error().is_none());
    assert_eq!(get_logger("cfg.watch").level(), Level::DEBUG);
}

#[test]
fn environment_overrides_apply_last() {
    let config = json(
        r#"{"disable_existing_loggers": false, "loggers": {"cfg.env.db": {"level": "INFO"}}}"#,
    )
    .with_vars([
        (
            "LUMBER__LOGGERS__CFG__ENV__DB__LEVEL".to_owned(),
            "WARNING".to_owned(),
        ),
        (
            "LUMBER_LOG".to_owned(),
            "cfg.env.db=error,cfg.env.web=debug".to_owned(),
        ),
    ])
    .unwrap();
    config.apply().unwrap();
    assert_eq!(get_logger("cfg.env.db").level(), Level::ERROR);
    assert_eq!(get_logger("cfg.env.web").level(), Level::DEBUG);
}

/// Every configuration file under `examples/config/`, and every fenced
/// `toml`/`yaml`/`json`/`ini` block in the README and `docs/`, loads
/// without a problem.
#[test]
fn every_example_config_in_the_docs_loads() {
    // The guide's example of a registered class.
    lumber::config::register_handler("myapp.Audit", |args| {
        let _ = args.str("table");
        None
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(root.join("examples/config")).unwrap() {
        let path = entry.unwrap().path();
        if let Err(e) = Config::from_path(&path).and_then(|c| c.check()) {
            failures.push(format!("{e}"));
        }
        checked += 1;
    }
    let mut docs = vec![root.join("README.md")];
    if let Ok(dir) = std::fs::read_dir(root.join("docs")) {
        docs.extend(
            dir.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "md")),
        );
    }
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        let mut lines = text.lines().enumerate();
        while let Some((n, line)) = lines.next() {
            let format = match line.trim() {
                "```toml" => FileFormat::Toml,
                "```yaml" => FileFormat::Yaml,
                "```json" => FileFormat::Json,
                "```ini" => FileFormat::Ini,
                _ => continue,
            };
            let block: Vec<&str> = lines
                .by_ref()
                .map(|(_, l)| l)
                .take_while(|l| l.trim() != "```")
                .collect();
            let name = format!("{}:{}", doc.display(), n + 2);
            match Config::from_str(&block.join("\n"), format, Some(name.as_ref()))
                .and_then(|c| c.check())
            {
                Ok(()) => {}
                Err(e) => failures.push(e.to_string()),
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 5, "only {checked} example configs found");
}

fn level_name() -> impl Strategy<Value = Node> {
    prop_oneof![
        Just(Node::from("DEBUG")),
        Just(Node::from("info")),
        Just(Node::from("WARNING")),
        Just(Node::from("NOTSET")),
        (1i64..60).prop_map(Node::from),
    ]
}

fn handler() -> impl Strategy<Value = Node> {
    (
        0..3usize,
        proptest::option::of(level_name()),
        any::<bool>(),
        proptest::option::of("[a-z]{1,6}"),
    )
        .prop_map(|(kind, level, use_formatter, file)| {
            let mut h = Node::map();
            match kind {
                0 => h.set("class", "NullHandler".into()),
                1 => {
                    h.set("class", "logging.StreamHandler".into());
                    h.set("stream", "ext://sys.stdout".into());
                }
                _ => {
                    h.set("class", "FileHandler".into());
                    h.set(
                        "filename",
                        format!("{}.log", file.unwrap_or_default()).into(),
                    );
                    h.set("delay", true.into());
                    h.set("mode", "w".into());
                }
            }
            if let Some(l) = level {
                h.set("level", l);
            }
            if use_formatter {
                h.set("formatter", "f".into());
            }
            h
        })
}

fn config() -> impl Strategy<Value = Node> {
    (
        "[%a-z(){}$ ]{0,20}",
        proptest::collection::vec(handler(), 0..4),
        proptest::collection::vec(
            (
                "[a-c](\\.[a-c]){0,2}",
                proptest::option::of(level_name()),
                proptest::option::of(any::<bool>()),
                any::<u8>(),
            ),
            0..5,
        ),
        proptest::option::of(level_name()),
        any::<bool>(),
    )
        .prop_map(|(pattern, handlers, loggers, root_level, disable)| {
            let mut n = Node::map();
            n.set("version", 1i64.into());
            n.set("disable_existing_loggers", disable.into());
            let mut f = Node::map();
            f.set(
                "format",
                format!("%(message)s {}", pattern.replace('%', "%%")).into(),
            );
            let mut fm = Node::map();
            fm.set("f", f);
            n.set("formatters", fm);
            let mut hm = Node::map();
            for (i, h) in handlers.iter().enumerate() {
                hm.set(&format!("h{i}"), h.clone());
            }
            n.set("handlers", hm);
            let mut lm = Node::map();
            for (name, level, propagate, pick) in loggers {
                let mut l = Node::map();
                if let Some(level) = level {
                    l.set("level", level);
                }
                if let Some(p) = propagate {
                    l.set("propagate", p.into());
                }
                let chosen: Vec<Node> = (0..handlers.len())
                    .filter(|i| pick & (1 << i) != 0)
                    .map(|i| Node::from(format!("h{i}")))
                    .collect();
                l.set("handlers", Node::list(chosen));
                lm.set(&name, l);
            }
            n.set("loggers", lm);
            let mut root = Node::map();
            if let Some(l) = root_level {
                root.set("level", l);
            }
            n.set("root", root);
            n
        })
}

proptest! {
    /// What lumber writes out (the tree, as `lumber config tree --json`
    /// prints it) reads back to the same tree, through JSON text too.
    #[test]
    fn written_configs_round_trip(node in config()) {
        let first = Config::from_node(node).tree().unwrap();
        let second = Config::from_node(first.clone()).tree().unwrap();
        prop_assert_eq!(&second, &first);
        let mut reread = Config::from_str(&first.to_json_pretty(), FileFormat::Json, None).unwrap().tree().unwrap();
        reread.strip_positions();
        prop_assert_eq!(&reread, &first);
        prop_assert!(matches!(first.get("loggers").map(|l| &l.value), Some(Value::Map(_))));
    }
}

#[test]
fn pythons_dot_attributes_are_options_and_unknown_ones_are_kept() {
    let dir = scratch("dot");
    let log = dir.join("dot.log");
    let config = json(&format!(
        r#"{{"disable_existing_loggers": false,
            "handlers": {{"f": {{"class": "logging.FileHandler", "filename": {:?},
                               ".": {{"terminator": "!\n", "foo": "bar"}}}}}},
            "loggers": {{"cfg.dot": {{"handlers": ["f"], "propagate": "false"}}}}}}"#,
        log.display().to_string()
    ));
    config.apply().unwrap();
    assert!(!get_logger("cfg.dot").propagate());
    get_logger("cfg.dot").warning("a");
    get_logger("cfg.dot").warning("b");
    lumber::flush();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "a!\nb!\n");
}

#[test]
fn a_config_with_a_problem_opens_nothing() {
    let dir = scratch("opens-nothing");
    let precious = dir.join("precious.log");
    std::fs::write(&precious, "precious\n").unwrap();
    let err = json(&format!(
        r#"{{"disable_existing_loggers": false,
            "handlers": {{"file": {{"class": "FileHandler", "filename": {:?}, "mode": "w"}}}},
            "loggers": {{"cfg.nothing": {{"handlers": ["fiel"]}}}}}}"#,
        precious.display().to_string()
    ))
    .apply()
    .unwrap_err();
    assert!(err.to_string().contains("no handler named 'fiel'"), "{err}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious\n");
}

#[test]
fn a_queue_handler_keeps_its_listener_while_attached() {
    let _listeners = crate::listeners();
    let dir = scratch("queue-kept");
    let log = dir.join("q.log");
    json(&format!(
        r#"{{"disable_existing_loggers": false,
            "handlers": {{"file": {{"class": "FileHandler", "filename": {:?}}},
                          "q": {{"class": "QueueHandler", "handlers": ["file"]}}}},
            "loggers": {{"cfg.kept.q": {{"handlers": ["q"], "propagate": false}}}}}}"#,
        log.display().to_string()
    ))
    .apply()
    .unwrap();
    get_logger("cfg.kept.q").warning("one");
    // A later configuration that does not name the logger leaves its
    // queue handler attached, so its listener must go on.
    json(
        r#"{"disable_existing_loggers": false, "loggers": {"cfg.kept.other": {"level": "INFO"}}}"#,
    )
    .apply()
    .unwrap();
    get_logger("cfg.kept.q").warning("two");
    lumber::flush();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "one\ntwo\n");
}

#[test]
fn incremental_ignores_handlers_and_filters_as_python_does() {
    json(
        r#"{"disable_existing_loggers": false, "handlers": {"cfg_inc_h": {"class": "NullHandler"}},
             "loggers": {"cfg.inc": {"handlers": ["cfg_inc_h"]}}}"#,
    )
    .apply()
    .unwrap();
    json(r#"{"incremental": true, "handlers": {"cfg_inc_h": {"level": "ERROR"}},
             "loggers": {"cfg.inc": {"level": "DEBUG", "handlers": ["nope"], "filters": ["nope"]}}}"#)
    .apply()
    .unwrap();
    assert_eq!(get_logger("cfg.inc").level(), Level::DEBUG);
    assert_eq!(get_logger("cfg.inc").handlers()[0].level(), Level::ERROR);
}

#[test]
fn a_repeated_json_key_is_a_problem() {
    let err = Config::from_str(
        "{\"handlers\": {\"h\": {\"class\": \"NullHandler\"},\n \"h\": {\"class\": \"StreamHandler\"}}}",
        FileFormat::Json,
        None,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "2:2: duplicate key 'h'");
}

#[test]
fn the_watcher_thread_applies_a_changed_file() {
    let dir = scratch("watch-thread");
    let path = dir.join("lumber.json");
    // Written whole and renamed into place, as editors and deploy tools
    // do, so the watcher never reads half a file.
    let write = |level: &str| {
        let tmp = dir.join("lumber.json.tmp");
        std::fs::write(
            &tmp,
            format!(r#"{{"disable_existing_loggers": false, "loggers": {{"cfg.watch.thread": {{"level": "{level}"}}}}}}"#),
        )
        .unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    };
    write("INFO");
    let watcher = lumber::config::watch(&path, std::time::Duration::from_millis(50)).unwrap();
    assert_eq!(watcher.outcomes(), 1);
    write("ERROR");
    // The background thread, not `poll`, picks it up.
    assert!(watcher.wait_for_outcomes(2, std::time::Duration::from_secs(60)));
    assert_eq!(get_logger("cfg.watch.thread").level(), Level::ERROR);
}

#[test]
fn handlers_naming_each_other_in_a_cycle_are_reported() {
    let err = json(
        r#"{"handlers": {
            "a": {"class": "MemoryHandler", "capacity": 10, "target": "b"},
            "b": {"class": "MemoryHandler", "capacity": 10, "target": "a"},
            "c": {"class": "MemoryHandler", "capacity": 10, "target": "d"},
            "d": {"class": "NullHandler"}}}"#,
    )
    .check()
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("handlers.a: handlers refer to each other in a cycle"),
        "{text}"
    );
    assert!(
        text.contains("handlers.b: handlers refer to each other in a cycle"),
        "{text}"
    );
    assert!(!text.contains("handlers.c"), "{text}");
}
