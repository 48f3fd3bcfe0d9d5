//! Building a configuration's [`Plan`]: the top level checked, then
//! formatters, filters, handlers (each by its factory) and loggers, in
//! Python's order, every problem recorded as it is found.

use std::collections::HashSet;
use std::sync::Arc;

use super::ConfigError;
use super::apply::Plan;
use super::args::{Args, snake_case};
use super::node::{Key, Node, Value, did_you_mean};
use super::registry::{self, Found};
use crate::handler::Handler;
use crate::value::OwnedValue;

mod loggers;
use loggers::{incremental_plan, logger_plan};

const TOP_KEYS: &[&str] = &[
    "version",
    "incremental",
    "disable_existing_loggers",
    "formatters",
    "filters",
    "handlers",
    "loggers",
    "root",
];

fn unknown_key(p: &mut ConfigError, path: &str, key: &Key, known: &[&str], what: &str) {
    let hint = did_you_mean(&key.name, known.iter().copied())
        .map(|c| format!("; did you mean '{c}'?"))
        .unwrap_or_default();
    let full = if path.is_empty() {
        key.name.clone()
    } else {
        format!("{path}.{}", key.name)
    };
    p.push_at(key.pos, full, format!("unknown {what}{hint}"));
}

fn entries<'a>(node: Option<&'a Node>, path: &str, p: &mut ConfigError) -> &'a [(Key, Node)] {
    match node {
        None => &[],
        Some(n) if matches!(n.value, Value::Null) => &[],
        Some(n) => match n.entries() {
            Some(e) => e,
            None => {
                p.push_at(n.pos, path, format!("expected a mapping, got {}", n.kind()));
                &[]
            }
        },
    }
}

fn bool_at(node: Option<&Node>, path: &str, default: bool, p: &mut ConfigError) -> bool {
    match node.map(|n| (&n.value, n.pos)) {
        None | Some((Value::Null, _)) => default,
        Some((Value::Bool(b), _)) => *b,
        Some((Value::Int(0), _)) => false,
        Some((Value::Int(1), _)) => true,
        // Python would take any non-empty string as true, "false" too;
        // lumber reads what the string says.
        Some((Value::Str(s), pos)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => true,
            "false" | "no" | "off" | "0" => false,
            _ => {
                p.push_at(pos, path, format!("expected true or false, got '{s}'"));
                default
            }
        },
        Some((_, pos)) => {
            p.push_at(pos, path, "expected true or false");
            default
        }
    }
}

/// The class of an object: `()` (a registered factory) or `class`.
fn class_of<'a>(
    node: &'a Node,
    path: &str,
    p: &mut ConfigError,
) -> Option<(&'a str, &'static str)> {
    for key in ["()", "class"] {
        if let Some(n) = node.get(key) {
            return match n.as_str() {
                Some(s) => Some((s, key)),
                None => {
                    p.push_at(
                        n.pos,
                        format!("{path}.{key}"),
                        format!("expected a class name, got {}", n.kind()),
                    );
                    None
                }
            };
        }
    }
    None
}

/// The options of an object for its factory: every key but the ones the
/// configuration itself handles, with `fileConfig`'s positional `args`
/// named after the class's parameters and its `kwargs` merged in.
fn options(
    node: &Node,
    path: &str,
    handled: &[&str],
    params: &[&str],
    p: &mut ConfigError,
) -> Node {
    let mut out = Vec::new();
    for (k, v) in node.entries().unwrap_or_default() {
        match k.name.as_str() {
            name if handled.contains(&name) => {}
            "args" => match v.items() {
                Some(items) => {
                    if items.len() > params.len() {
                        p.push_at(
                            v.pos,
                            format!("{path}.args"),
                            format!(
                                "takes at most {} arguments, got {}",
                                params.len(),
                                items.len()
                            ),
                        );
                    }
                    for (name, item) in params.iter().zip(items) {
                        out.push((
                            Key {
                                name: (*name).to_owned(),
                                pos: item.pos,
                            },
                            item.clone(),
                        ));
                    }
                }
                None => p.push_at(
                    v.pos,
                    format!("{path}.args"),
                    "expected a tuple of arguments",
                ),
            },
            // Python's "." sets attributes after construction; lumber
            // passes them to the class as options.
            "." => match v.entries() {
                Some(attrs) => out.extend(attrs.iter().cloned()),
                None => p.push_at(
                    v.pos,
                    format!("{path}.."),
                    "expected a mapping of attributes",
                ),
            },
            "kwargs" => match v.entries() {
                Some(kw) => out.extend(kw.iter().cloned()),
                None => p.push_at(
                    v.pos,
                    format!("{path}.kwargs"),
                    "expected a dict of arguments",
                ),
            },
            _ => out.push((k.clone(), v.clone())),
        }
    }
    // A keyword given twice (positionally and by name) is Python's
    // "got multiple values for argument".
    for (i, (k, _)) in out.iter().enumerate() {
        let name = snake_case(&k.name);
        if out[..i].iter().any(|(o, _)| snake_case(&o.name) == name) {
            p.push_at(k.pos, format!("{path}.{}", k.name), "given more than once");
        }
    }
    Node::new(Value::Map(out), node.pos)
}

/// Reads `root` into a plan; in `check_only` mode, handlers are checked
/// but not opened.
pub(crate) fn build_plan(root: &Node, check_only: bool, p: &mut ConfigError) -> Plan {
    let mut plan = Plan::default();
    let top = entries(Some(root), "", p);
    for (k, _) in top {
        if !TOP_KEYS.contains(&k.name.as_str()) {
            unknown_key(p, "", k, TOP_KEYS, "key");
        }
    }
    if let Some(v) = root.get("version")
        && v.as_i64() != Some(1)
    {
        p.push_at(
            v.pos,
            "version",
            format!(
                "expected 1 (the only dictConfig schema version), got {}",
                v.to_json()
            ),
        );
    }
    plan.incremental = bool_at(root.get("incremental"), "incremental", false, p);
    plan.disable_existing = bool_at(
        root.get("disable_existing_loggers"),
        "disable_existing_loggers",
        true,
        p,
    );

    if plan.incremental {
        incremental_plan(root, &mut plan, p);
        return plan;
    }

    // Formatters, then filters.
    let (built, specs) =
        build_section(root, "formatters", "Formatter", registry::find_formatter, p);
    plan.formatters = built;
    plan.specs.formatters = specs;
    let formatter_names: Vec<&str> =
        entries(root.get("formatters"), "", &mut ConfigError::default())
            .iter()
            .map(|(k, _)| k.name.as_str())
            .collect();
    let (built, specs) = build_section(root, "filters", "Filter", registry::find_filter, p);
    plan.filters = built;
    plan.specs.filters = specs;
    let filter_names: Vec<&str> = entries(root.get("filters"), "", &mut ConfigError::default())
        .iter()
        .map(|(k, _)| k.name.as_str())
        .collect();

    // Handlers, in an order where the ones others name come first.
    let handler_nodes = entries(root.get("handlers"), "handlers", p);
    let handler_names: Vec<&str> = handler_nodes.iter().map(|(k, _)| k.name.as_str()).collect();
    for name in handler_order(handler_nodes, p) {
        let Some((k, v)) = handler_nodes.iter().find(|(k, _)| k.name == name) else {
            continue;
        };
        let path = format!("handlers.{}", k.name);
        let found = match class_of(v, &path, p) {
            None => {
                if v.entries().is_some() {
                    p.push_at(v.pos, path.clone(), "required key 'class' missing");
                } else {
                    p.push_at(
                        v.pos,
                        path.clone(),
                        format!("expected a mapping, got {}", v.kind()),
                    );
                }
                continue;
            }
            Some((class, key)) => match registry::find_handler(class) {
                Ok(f) => f,
                Err(msg) => {
                    p.push_at(v.get(key).and_then(|n| n.pos), format!("{path}.{key}"), msg);
                    continue;
                }
            },
        };
        let opts = options(
            v,
            &path,
            &["class", "()", "level", "formatter", "filters"],
            found.params,
            p,
        );
        let mut common = Args::new(&path, v);
        for skip in ["class", "()", "args", "kwargs", "."] {
            let _ = common.node(skip);
        }
        for (key, _) in opts.entries().unwrap_or_default() {
            let _ = common.node(&key.name);
        }
        let level = common.level("level");
        let formatter = common.str("formatter");
        let filters = common.str_list("filters").unwrap_or_default();
        if let Some(f) = &formatter
            && !formatter_names.contains(&f.as_str())
        {
            common.error("formatter", missing_ref("formatter", f, &formatter_names));
        }
        for f in &filters {
            if !filter_names.contains(&f.as_str()) {
                common.error("filters", missing_ref("filter", f, &filter_names));
            }
        }
        if let Err(e) = common.finish() {
            p.extend(e);
        }
        // A handler defined here but not built (checking only, or it has a
        // problem of its own, already reported) stands in as a null handler:
        // the plan is not applied either way.
        let built_handlers = plan.handlers.clone();
        let defined: Vec<String> = handler_names.iter().map(|s| (*s).to_owned()).collect();
        let lookup = move |n: &str| {
            built_handlers
                .iter()
                .find(|(name, _, _)| name == n)
                .map(|(_, h, _)| Arc::clone(h))
                .or_else(|| {
                    defined
                        .iter()
                        .any(|d| d == n)
                        .then(|| Arc::new(Handler::new(crate::handler::NullHandler)))
                })
        };
        let attributes: Vec<String> = v
            .get(".")
            .and_then(Node::entries)
            .map(|a| a.iter().map(|(k, _)| k.name.clone()).collect())
            .unwrap_or_default();
        let mut args = Args::new(&path, &opts)
            .with_handlers(&lookup)
            .checking(check_only)
            .attributes(attributes);
        let built = found.build(&mut args);
        let kept = args.take_kept();
        if let Err(e) = args.finish() {
            p.extend(e);
        }
        let mut full = spec(&found, &opts);
        if let Some(l) = level {
            full.set("level", super::tree::level_node(l));
        }
        if let Some(f) = &formatter {
            full.set("formatter", f.as_str().into());
        }
        if !filters.is_empty() {
            full.set(
                "filters",
                Node::list(filters.iter().map(|f| Node::from(f.as_str())).collect()),
            );
        }
        plan.specs.handlers.push((k.name.clone(), full));
        if let Some(h) = built {
            let h = Arc::new(h);
            for k in kept {
                plan.kept.push((Arc::downgrade(&h), k));
            }
            h.set_name(Some(&k.name));
            if let Some(l) = level {
                h.set_level(l);
            }
            if let Some(f) =
                formatter.and_then(|f| plan.formatters.iter().find(|(n, _, _)| *n == f))
            {
                h.set_formatter(Arc::clone(&f.1));
                plan.installed.push((f.0.clone(), h.formatter()));
            }
            for f in &filters {
                if let Some((_, filter, _)) = plan.filters.iter().find(|(n, _, _)| n == f) {
                    h.add_filter(Arc::clone(filter));
                }
            }
            plan.handlers.push((k.name.clone(), h, spec(&found, &opts)));
        }
    }

    // Loggers and the root.
    let handler_names: Vec<&str> = handler_nodes.iter().map(|(k, _)| k.name.as_str()).collect();
    if let Some(r) = root.get("root") {
        plan.root = logger_plan("", "root", r, &handler_names, &filter_names, p);
    }
    for (k, v) in entries(root.get("loggers"), "loggers", p) {
        let path = format!("loggers.{}", k.name);
        let name = crate::logger::normalize_name(&k.name);
        if let Some(lp) = logger_plan(&name, &path, v, &handler_names, &filter_names, p) {
            plan.loggers.push(lp);
        }
    }
    plan
}

/// Builds every formatter or filter of `section`: `(name, object,
/// spec)` of those built, and `(name, spec)` of every one (for the tree).
#[allow(clippy::type_complexity)]
fn build_section<T>(
    root: &Node,
    section: &str,
    default_class: &str,
    find: fn(&str) -> Result<Found<T>, String>,
    p: &mut ConfigError,
) -> (Vec<(String, T, Node)>, Vec<(String, Node)>) {
    let mut built = Vec::new();
    let mut specs = Vec::new();
    for (k, v) in entries(root.get(section), section, p) {
        let path = format!("{section}.{}", k.name);
        let class = class_of(v, &path, p);
        let found = match find(class.map_or(default_class, |(c, _)| c)) {
            Ok(f) => f,
            Err(msg) => {
                let key = class.map_or("class", |(_, key)| key);
                p.push_at(
                    v.get(key).and_then(|n| n.pos).or(v.pos),
                    format!("{path}.{key}"),
                    msg,
                );
                continue;
            }
        };
        let opts = options(v, &path, &["class", "()"], found.params, p);
        let mut args = Args::new(&path, &opts);
        let object = found.build(&mut args);
        if let Err(e) = args.finish() {
            p.extend(e);
        }
        let spec = spec(&found, &opts);
        specs.push((k.name.clone(), spec.clone()));
        if let Some(o) = object {
            built.push((k.name.clone(), o, spec));
        }
    }
    (built, specs)
}

fn missing_ref(kind: &str, name: &str, known: &[&str]) -> String {
    let hint = did_you_mean(name, known.iter().copied())
        .map(|c| format!("; did you mean '{c}'?"))
        .unwrap_or_default();
    format!("no {kind} named '{name}'{hint}")
}

/// Handler names in build order: a handler naming others (`target`,
/// `handlers`) after them. A cycle is a problem.
fn handler_order<'a>(nodes: &'a [(Key, Node)], p: &mut ConfigError) -> Vec<&'a str> {
    let deps = |v: &Node| -> Vec<String> {
        let mut d = Vec::new();
        for key in ["target", "handlers"] {
            match v.get(key).map(|n| &n.value) {
                Some(Value::Str(s)) => d.extend(s.split(',').map(|s| s.trim().to_owned())),
                Some(Value::List(l)) => {
                    d.extend(l.iter().filter_map(|n| n.as_str().map(str::to_owned)))
                }
                _ => {}
            }
        }
        d
    };
    let mut sorted: Vec<&(Key, Node)> = nodes.iter().collect();
    sorted.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let defined: HashSet<&str> = nodes.iter().map(|(k, _)| k.name.as_str()).collect();
    let mut order: Vec<&str> = Vec::new();
    let mut done: HashSet<&str> = HashSet::new();
    let mut pending: Vec<(&str, Vec<String>)> = sorted
        .iter()
        .map(|(k, v)| (k.name.as_str(), deps(v)))
        .collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|(name, deps)| {
            // A name that is not a handler here is reported by the factory.
            let ready = deps
                .iter()
                .all(|d| done.contains(d.as_str()) || !defined.contains(d.as_str()));
            if ready {
                order.push(name);
                done.insert(name);
            }
            !ready
        });
        if pending.len() == before {
            for (name, _) in &pending {
                let pos = nodes
                    .iter()
                    .find(|(k, _)| k.name == *name)
                    .and_then(|(k, _)| k.pos);
                p.push_at(
                    pos,
                    format!("handlers.{name}"),
                    "handlers refer to each other in a cycle",
                );
            }
            break;
        }
    }
    order
}

/// What built an object, kept for `lumber config tree`: its class and its
/// options.
fn spec<T>(found: &Found<T>, opts: &Node) -> Node {
    let mut s = Node::map();
    s.set("class", found.name.clone().into());
    for (k, v) in opts.entries().unwrap_or_default() {
        s.set(&snake_case(&k.name), v.clone());
    }
    s.strip_positions();
    s
}

/// A configuration value as a record field value.
pub(crate) fn owned_value(n: &Node) -> OwnedValue {
    match &n.value {
        Value::Null => OwnedValue::Null,
        Value::Bool(b) => OwnedValue::Bool(*b),
        Value::Int(i) => OwnedValue::I64(*i),
        Value::Float(f) => OwnedValue::F64(*f),
        Value::Str(s) => OwnedValue::Str(s.clone()),
        Value::List(_) | Value::Map(_) => OwnedValue::Str(n.to_json()),
    }
}
