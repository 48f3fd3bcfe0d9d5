//! The loggers' part of a plan: `loggers`, `root`, and Python's
//! incremental mode.

use super::{bool_at, entries, missing_ref, unknown_key};
use crate::config::ConfigError;
use crate::config::apply::{self, LoggerPlan, Plan};
use crate::config::args::parse_level;
use crate::config::node::{Node, Value};

const LOGGER_KEYS: &[&str] = &[
    "level",
    "propagate",
    "handlers",
    "filters",
    "disabled",
    "effective_level",
];

pub(super) fn logger_plan(
    name: &str,
    path: &str,
    v: &Node,
    handler_names: &[&str],
    filter_names: &[&str],
    p: &mut ConfigError,
) -> Option<LoggerPlan> {
    let map = entries(Some(v), path, p);
    for (k, _) in map {
        if !LOGGER_KEYS.contains(&k.name.as_str()) {
            unknown_key(p, path, k, LOGGER_KEYS, "key");
        }
    }
    let mut lp = LoggerPlan {
        name: name.to_owned(),
        ..LoggerPlan::default()
    };
    if let Some(n) = v.get("level") {
        match parse_level(n) {
            Ok(l) => lp.level = Some(l),
            Err(msg) => p.push_at(n.pos, format!("{path}.level"), msg),
        }
    }
    if v.get("propagate").is_some() {
        lp.propagate = Some(bool_at(
            v.get("propagate"),
            &format!("{path}.propagate"),
            true,
            p,
        ));
    }
    if v.get("disabled").is_some() {
        lp.disabled = Some(bool_at(
            v.get("disabled"),
            &format!("{path}.disabled"),
            false,
            p,
        ));
    }
    for (key, known, out, kind) in [
        ("handlers", handler_names, &mut lp.handlers, "handler"),
        ("filters", filter_names, &mut lp.filters, "filter"),
    ] {
        let Some(n) = v.get(key) else { continue };
        let items: Vec<(&str, &Node)> = match &n.value {
            Value::Null => Vec::new(),
            Value::List(l) => l
                .iter()
                .filter_map(|i| match i.as_str() {
                    Some(s) => Some((s, i)),
                    None => {
                        p.push_at(
                            i.pos,
                            format!("{path}.{key}"),
                            format!("expected a {kind} name, got {}", i.kind()),
                        );
                        None
                    }
                })
                .collect(),
            Value::Str(s) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| (s, n))
                .collect(),
            _ => {
                p.push_at(
                    n.pos,
                    format!("{path}.{key}"),
                    format!("expected a list of {kind} names, got {}", n.kind()),
                );
                Vec::new()
            }
        };
        let mut names = Vec::new();
        for (s, at) in items {
            if known.contains(&s) {
                names.push(s.to_owned());
            } else {
                p.push_at(at.pos, format!("{path}.{key}"), missing_ref(kind, s, known));
            }
        }
        *out = Some(names);
    }
    Some(lp)
}

/// A logger's options without `handlers` and `filters`, which Python's
/// incremental mode does not read.
fn without_refs(logger: &Node) -> Node {
    let mut l = logger.clone();
    l.remove("handlers");
    l.remove("filters");
    l
}

pub(super) fn incremental_plan(root: &Node, plan: &mut Plan, p: &mut ConfigError) {
    // Python's incremental mode: only handler levels and logger levels and
    // propagation change; the handlers must exist already.
    for (k, v) in entries(root.get("handlers"), "handlers", p) {
        let path = format!("handlers.{}", k.name);
        if let Some(n) = v.get("level") {
            match parse_level(n) {
                Ok(l) => plan.handler_levels.push((k.name.clone(), l, n.pos, path)),
                Err(msg) => p.push_at(n.pos, format!("{path}.level"), msg),
            }
        }
    }
    let empty: &[&str] = &[];
    if let Some(r) = root.get("root") {
        plan.root = logger_plan("", "root", &without_refs(r), empty, empty, p);
    }
    for (k, v) in entries(root.get("loggers"), "loggers", p) {
        let path = format!("loggers.{}", k.name);
        let name = crate::logger::normalize_name(&k.name);
        if let Some(lp) = logger_plan(&name, &path, &without_refs(v), empty, empty, p) {
            plan.loggers.push(lp);
        }
    }
    let names: Vec<String> = apply::named_handlers()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for (name, _, pos, path) in &plan.handler_levels {
        if !names.iter().any(|n| n == name) {
            p.push_at(
                *pos,
                path.clone(),
                missing_ref(
                    "configured handler",
                    name,
                    &names.iter().map(String::as_str).collect::<Vec<_>>(),
                ),
            );
        }
    }
}
