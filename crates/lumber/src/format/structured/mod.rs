//! The field model the structured formatters share: which record
//! attributes a line shows and under which keys, static keys, the record's
//! fields in precedence order, and the rules that keep every key unique.

pub(crate) mod encode;
pub(crate) mod time;

use std::borrow::Cow;
use std::cell::RefCell;

use crate::format::pyfmt::PyValue;
use crate::level::Level;
use crate::record::{Message, Record};
use crate::value::{OwnedValue, Value};

/// A record attribute a structured formatter can show, by Python's name
/// (plus lumber's own: `module_path`, `exc_message`, `short_message`,
/// `full_message`, `syslog_severity`), a record field picked by key, or a
/// constant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Attr {
    Asctime,
    Created,
    Msecs,
    RelativeCreated,
    Levelname,
    Levelno,
    Name,
    Message,
    Msg,
    Pathname,
    Filename,
    Module,
    ModulePath,
    Lineno,
    FuncName,
    Thread,
    ThreadName,
    Process,
    ProcessName,
    ExcInfo,
    ExcText,
    ExcMessage,
    StackInfo,
    ShortMessage,
    FullMessage,
    SyslogSeverity,
    /// A record field shown at this place (absent if the record lacks it).
    Field(Box<str>),
    /// A constant.
    Static(OwnedValue),
}

impl Attr {
    /// The attribute named `name`; any other name is a record field.
    pub(crate) fn parse(name: &str) -> Attr {
        match name {
            "asctime" => Attr::Asctime,
            "created" => Attr::Created,
            "msecs" => Attr::Msecs,
            "relativeCreated" => Attr::RelativeCreated,
            "levelname" => Attr::Levelname,
            "levelno" => Attr::Levelno,
            "name" => Attr::Name,
            "message" => Attr::Message,
            "msg" => Attr::Msg,
            "pathname" => Attr::Pathname,
            "filename" => Attr::Filename,
            "module" => Attr::Module,
            "module_path" => Attr::ModulePath,
            "lineno" => Attr::Lineno,
            "funcName" => Attr::FuncName,
            "thread" => Attr::Thread,
            "threadName" => Attr::ThreadName,
            "process" => Attr::Process,
            "processName" => Attr::ProcessName,
            "exc_info" => Attr::ExcInfo,
            "exc_text" => Attr::ExcText,
            "exc_message" => Attr::ExcMessage,
            "stack_info" => Attr::StackInfo,
            "short_message" => Attr::ShortMessage,
            "full_message" => Attr::FullMessage,
            "syslog_severity" => Attr::SyslogSeverity,
            other => Attr::Field(other.into()),
        }
    }

    /// The attribute's name (a field's key; empty for a constant).
    pub(crate) fn name(&self) -> &str {
        match self {
            Attr::Asctime => "asctime",
            Attr::Created => "created",
            Attr::Msecs => "msecs",
            Attr::RelativeCreated => "relativeCreated",
            Attr::Levelname => "levelname",
            Attr::Levelno => "levelno",
            Attr::Name => "name",
            Attr::Message => "message",
            Attr::Msg => "msg",
            Attr::Pathname => "pathname",
            Attr::Filename => "filename",
            Attr::Module => "module",
            Attr::ModulePath => "module_path",
            Attr::Lineno => "lineno",
            Attr::FuncName => "funcName",
            Attr::Thread => "thread",
            Attr::ThreadName => "threadName",
            Attr::Process => "process",
            Attr::ProcessName => "processName",
            Attr::ExcInfo => "exc_info",
            Attr::ExcText => "exc_text",
            Attr::ExcMessage => "exc_message",
            Attr::StackInfo => "stack_info",
            Attr::ShortMessage => "short_message",
            Attr::FullMessage => "full_message",
            Attr::SyslogSeverity => "syslog_severity",
            Attr::Field(key) => key,
            Attr::Static(_) => "",
        }
    }

    /// Long text (errors, stacks) written after the fields, so that the
    /// short keys stay together at the start of the line.
    pub(crate) fn is_tail(&self) -> bool {
        matches!(
            self,
            Attr::ExcInfo | Attr::ExcText | Attr::ExcMessage | Attr::StackInfo | Attr::FullMessage
        )
    }

    /// The Python attribute whose value (on a record from Python) replaces
    /// what lumber would derive.
    pub(crate) fn python_override(&self) -> Option<&'static str> {
        Some(match self {
            Attr::Created => "created",
            Attr::Msecs => "msecs",
            Attr::RelativeCreated => "relativeCreated",
            Attr::Levelname => "levelname",
            Attr::Levelno => "levelno",
            Attr::Name => "name",
            Attr::Msg => "msg",
            Attr::Pathname => "pathname",
            Attr::Filename => "filename",
            Attr::Module => "module",
            Attr::ModulePath => "module_path",
            Attr::Lineno => "lineno",
            Attr::FuncName => "funcName",
            Attr::Thread => "thread",
            Attr::ThreadName => "threadName",
            Attr::Process => "process",
            Attr::ProcessName => "processName",
            _ => return None,
        })
    }
}

/// The attributes of a Python `LogRecord` (and lumber's `module_path`):
/// on a record from Python, every other attribute is an `extra` field.
const PYTHON_ATTRS: [&str; 24] = [
    "name",
    "msg",
    "args",
    "levelname",
    "levelno",
    "pathname",
    "filename",
    "module",
    "exc_info",
    "exc_text",
    "stack_info",
    "lineno",
    "funcName",
    "created",
    "msecs",
    "relativeCreated",
    "thread",
    "threadName",
    "processName",
    "process",
    "message",
    "asctime",
    "taskName",
    "module_path",
];

/// Which conventions a formatter follows beyond its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// JSON with Python's attribute names.
    Json,
    /// Elastic Common Schema.
    Ecs,
    /// Graylog Extended Log Format 1.1.
    Gelf,
    /// logfmt.
    Logfmt,
}

impl Flavor {
    /// The key an attribute gets when it is selected without a key.
    pub(crate) fn default_key(self, attr: &Attr) -> Cow<'static, str> {
        let name = attr.name();
        let fixed: Option<&'static str> = match (self, attr) {
            (Flavor::Logfmt, Attr::Asctime) => Some("time"),
            (Flavor::Logfmt, Attr::Levelname) => Some("level"),
            (Flavor::Logfmt, Attr::Name) => Some("logger"),
            (Flavor::Logfmt, Attr::Message) => Some("msg"),
            (Flavor::Logfmt, Attr::ExcInfo) => Some("error"),
            (Flavor::Logfmt, Attr::StackInfo) => Some("stack"),
            (Flavor::Ecs, Attr::Asctime) => Some("@timestamp"),
            (Flavor::Ecs, Attr::Levelname) => Some("log.level"),
            (Flavor::Ecs, Attr::Name) => Some("log.logger"),
            (Flavor::Ecs, Attr::Filename) => Some("log.origin.file.name"),
            (Flavor::Ecs, Attr::Lineno) => Some("log.origin.file.line"),
            (Flavor::Ecs, Attr::FuncName) => Some("log.origin.function"),
            (Flavor::Ecs, Attr::Process) => Some("process.pid"),
            (Flavor::Ecs, Attr::ProcessName) => Some("process.name"),
            (Flavor::Ecs, Attr::Thread) => Some("process.thread.id"),
            (Flavor::Ecs, Attr::ThreadName) => Some("process.thread.name"),
            (Flavor::Ecs, Attr::ExcMessage) => Some("error.message"),
            (Flavor::Ecs, Attr::ExcText) => Some("error.stack_trace"),
            (Flavor::Gelf, Attr::Asctime) => Some("timestamp"),
            (Flavor::Gelf, Attr::SyslogSeverity) => Some("level"),
            (Flavor::Gelf, Attr::ShortMessage) => Some("short_message"),
            (Flavor::Gelf, Attr::FullMessage) => Some("full_message"),
            (Flavor::Gelf, Attr::Name) => Some("_logger"),
            (Flavor::Gelf, Attr::Levelname) => Some("_level_name"),
            (Flavor::Gelf, Attr::Pathname) => Some("_file"),
            (Flavor::Gelf, Attr::Lineno) => Some("_line"),
            (Flavor::Gelf, Attr::FuncName) => Some("_function"),
            (Flavor::Gelf, Attr::Process) => Some("_pid"),
            (Flavor::Gelf, Attr::ProcessName) => Some("_process_name"),
            (Flavor::Gelf, Attr::ThreadName) => Some("_thread_name"),
            _ => None,
        };
        match (fixed, self) {
            (Some(key), _) => Cow::Borrowed(key),
            (None, Flavor::Gelf) => Cow::Owned(gelf_additional(name)),
            (None, _) => Cow::Owned(name.to_owned()),
        }
    }

    /// The key a static field gets: GELF's additional fields start with
    /// `_` unless they are GELF's own.
    pub(crate) fn static_key(self, key: &str) -> String {
        const GELF_OWN: [&str; 9] = [
            "version",
            "host",
            "short_message",
            "full_message",
            "timestamp",
            "level",
            "facility",
            "line",
            "file",
        ];
        if self == Flavor::Gelf && !GELF_OWN.contains(&key) {
            gelf_additional(key)
        } else {
            key.to_owned()
        }
    }
}

/// `key` as a GELF additional field: `_` then the key with invalid
/// characters as `_` (a key that already starts with `_` keeps it).
fn gelf_additional(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 1);
    if !key.starts_with('_') {
        out.push('_');
    }
    encode::gelf_key(&mut out, key);
    out
}

/// Where the record's fields go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldsMode {
    /// At the top level, beside the attributes.
    Flat,
    /// In an object under this key.
    Nested(Box<str>),
    /// Not shown.
    Off,
}

/// One key of the output: an attribute and where it goes.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) attr: Attr,
    /// The key it was selected with (or the flavor's default).
    pub(crate) name: Box<str>,
    /// The key written, after renames.
    pub(crate) key: Box<str>,
    /// The key as written, with its syntax: `"key":` or `key=`.
    pub(crate) prefix: Box<str>,
    /// For `levelname`: the key and each built-in level's name, written.
    pub(crate) levels: Box<[Box<str>]>,
    /// False when a later entry has the same key (the later one is shown).
    pub(crate) live: bool,
}

/// The selection and naming of keys, shared by the structured formatters.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub(crate) flavor: Flavor,
    entries: Vec<Entry>,
    renames: Vec<(Box<str>, Box<str>)>,
    /// The renames that apply to fields: those naming no attribute.
    field_renames: Vec<(Box<str>, Box<str>)>,
    pub(crate) fields: FieldsMode,
    pub(crate) context: Option<Box<str>>,
    lowercase_level: bool,
    /// Keys of fields picked as entries: not repeated among the fields.
    picks: Vec<Box<str>>,
    /// Entry keys as written (escaped, sanitized), which fields must avoid.
    reserved: Vec<Box<str>>,
    /// A bit per reserved key, from its length and first byte, to skip
    /// comparing most field keys at all.
    reserved_bits: u64,
}

impl Layout {
    pub(crate) fn new(flavor: Flavor, names: &[&str]) -> Layout {
        let mut layout = Layout {
            flavor,
            entries: Vec::new(),
            renames: Vec::new(),
            field_renames: Vec::new(),
            fields: FieldsMode::Flat,
            context: None,
            lowercase_level: flavor == Flavor::Logfmt || flavor == Flavor::Ecs,
            picks: Vec::new(),
            reserved: Vec::new(),
            reserved_bits: 0,
        };
        for name in names {
            layout.push(name);
        }
        layout.resolve();
        layout
    }

    fn push(&mut self, name: &str) {
        let attr = Attr::parse(name);
        if self.entries.iter().any(|e| e.attr == attr) {
            return;
        }
        let key: Box<str> = self.flavor.default_key(&attr).into();
        self.entries.push(Entry {
            attr,
            name: key.clone(),
            key,
            prefix: "".into(),
            levels: Box::new([]),
            live: true,
        });
    }

    /// Adds an attribute (or a constant) under a given key.
    pub(crate) fn push_as(&mut self, attr: Attr, key: &str) {
        self.entries.push(Entry {
            attr,
            name: key.into(),
            key: key.into(),
            prefix: "".into(),
            levels: Box::new([]),
            live: true,
        });
        self.resolve();
    }

    /// Replaces the attributes shown (constants stay, after them).
    pub(crate) fn set_keys<I, S>(&mut self, names: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let statics: Vec<Entry> = self
            .entries
            .drain(..)
            .filter(|e| matches!(e.attr, Attr::Static(_)))
            .collect();
        for name in names {
            self.push(name.as_ref());
        }
        self.entries.extend(statics);
        self.resolve();
    }

    pub(crate) fn add_key(&mut self, name: &str) {
        self.push(name);
        self.resolve();
    }

    /// Removes whatever `name` names: an attribute by its name, or any
    /// entry by its key.
    pub(crate) fn remove_key(&mut self, name: &str) {
        self.entries.retain(|e| {
            let by_name = !matches!(e.attr, Attr::Static(_)) && e.attr.name() == name;
            !(by_name || &*e.name == name || &*e.key == name)
        });
        self.resolve();
    }

    pub(crate) fn rename(&mut self, from: &str, to: &str) {
        self.renames.retain(|(f, _)| &**f != from);
        self.renames.push((from.into(), to.into()));
        self.resolve();
    }

    /// Adds a constant, or replaces the value of the one with that key
    /// (keeping its place).
    pub(crate) fn static_field(&mut self, key: &str, value: OwnedValue) {
        let key = self.flavor.static_key(key);
        let existing = self
            .entries
            .iter_mut()
            .find(|e| matches!(e.attr, Attr::Static(_)) && *e.name == *key);
        match existing {
            Some(entry) => {
                entry.attr = Attr::Static(value);
                self.resolve();
            }
            None => self.push_as(Attr::Static(value), &key),
        }
    }

    /// Recomputes written keys, liveness, picks and reserved keys.
    pub(crate) fn resolve(&mut self) {
        let renames = &self.renames;
        let flavor = self.flavor;
        let mut used = vec![false; renames.len()];
        for e in &mut self.entries {
            let attr_name = match e.attr {
                Attr::Static(_) => None,
                ref a => Some(a.name()),
            };
            // Renames apply in the order given, each to the attribute's
            // name or to the key so far: `levelname` -> `level` ->
            // `severity`.
            let mut key = e.name.clone();
            for (i, (from, to)) in renames.iter().enumerate() {
                if Some(&**from) == attr_name || *from == key || *from == e.name {
                    key = to.clone();
                    used[i] = true;
                }
            }
            e.key = key;
            let mut prefix = String::with_capacity(e.key.len() + 4);
            match flavor {
                Flavor::Logfmt => {
                    encode::logfmt_key(&mut prefix, &e.key);
                    prefix.push('=');
                }
                _ => {
                    prefix.push('"');
                    encode::json_str(&mut prefix, &e.key);
                    prefix.push_str("\":");
                }
            }
            if e.attr == Attr::Levelname {
                let json = flavor != Flavor::Logfmt;
                e.levels = builtin_level_pairs(&prefix, self.lowercase_level, json).into();
            }
            e.prefix = prefix.into();
        }
        let n = self.entries.len();
        for i in 0..n {
            let later = self.entries[i + 1..]
                .iter()
                .any(|l| l.prefix == self.entries[i].prefix);
            self.entries[i].live = !later;
        }
        // A rename that names no attribute is a field's.
        self.field_renames = renames
            .iter()
            .zip(&used)
            .filter(|((from, _), used)| !**used && matches!(Attr::parse(from), Attr::Field(_)))
            .map(|(pair, _)| pair.clone())
            .collect();
        self.picks = self
            .entries
            .iter()
            .filter_map(|e| match &e.attr {
                Attr::Field(key) => Some(key.clone()),
                _ => None,
            })
            .collect();
        let syntax_len = |flavor: Flavor| {
            if flavor == Flavor::Logfmt {
                (0, 1)
            } else {
                (1, 2)
            }
        };
        let (head, tail) = syntax_len(flavor);
        self.reserved = self
            .entries
            .iter()
            .filter(|e| e.live)
            .filter_map(|e| e.prefix.get(head..e.prefix.len() - tail).map(Box::from))
            .collect();
        if flavor == Flavor::Gelf {
            // GELF reserves `_id`.
            self.reserved.push("_id".into());
        }
        self.reserved_bits = self
            .reserved
            .iter()
            .fold(0, |bits, r| bits | key_bit(r.as_bytes()));
    }

    /// Writes level names in lowercase.
    pub(crate) fn set_lowercase_level(&mut self, lowercase: bool) {
        self.lowercase_level = lowercase;
        self.resolve();
    }

    pub(crate) fn lowercase_level(&self) -> bool {
        self.lowercase_level
    }

    /// The entries shown before the fields.
    pub(crate) fn head(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.live && !e.attr.is_tail())
    }

    /// The entries shown after the fields.
    pub(crate) fn tail(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.live && e.attr.is_tail())
    }

    /// Whether a field with this key is shown as an entry instead.
    #[inline]
    pub(crate) fn is_pick(&self, key: &str) -> bool {
        !self.picks.is_empty() && self.picks.iter().any(|p| &**p == key)
    }

    /// The key a field is written under.
    #[inline]
    pub(crate) fn field_key<'k>(&'k self, key: &'k str) -> &'k str {
        let mut key = key;
        for (from, to) in &self.field_renames {
            if **from == *key {
                key = to;
            }
        }
        key
    }

    /// Whether a written key (inner form) is an entry's.
    #[inline]
    pub(crate) fn is_reserved(&self, written: &str) -> bool {
        self.reserved_bits & key_bit(written.as_bytes()) != 0
            && self
                .reserved
                .iter()
                .any(|r| r.len() == written.len() && **r == *written)
    }

    /// `a, b, c; fields ...` for `describe`.
    pub(crate) fn describe(&self) -> String {
        let mut s = String::new();
        for e in self.entries.iter().filter(|e| e.live) {
            if !s.is_empty() {
                s.push_str(", ");
            }
            match &e.attr {
                Attr::Static(v) => s.push_str(&format!("{}={v}", e.key)),
                a if a.name() == &*e.key => s.push_str(&e.key),
                a => s.push_str(&format!("{}->{}", a.name(), e.key)),
            }
        }
        match &self.fields {
            FieldsMode::Flat => s.push_str("; fields flat"),
            FieldsMode::Nested(key) => s.push_str(&format!("; fields under {key:?}")),
            FieldsMode::Off => s.push_str("; no fields"),
        }
        if let Some(key) = &self.context {
            s.push_str(&format!("; context under {key:?}"));
        }
        s
    }
}

/// One of 64 bits for a key, from its length and first byte.
#[inline]
fn key_bit(key: &[u8]) -> u64 {
    let first = key.first().copied().unwrap_or(0);
    1 << ((key.len().wrapping_mul(7) ^ usize::from(first)) & 63)
}

/// `prefix` then `"NAME"` (JSON) or `name` (logfmt) for each built-in
/// level, in the order of [`builtin_index`], for the common case of a
/// native record without custom level names.
pub(crate) fn builtin_level_pairs(prefix: &str, lowercase: bool, json: bool) -> Vec<Box<str>> {
    [
        "NOTSET", "TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL",
    ]
    .iter()
    .map(|name| {
        let name = if lowercase {
            name.to_lowercase()
        } else {
            (*name).to_owned()
        };
        if json {
            format!("{prefix}\"{name}\"").into()
        } else {
            format!("{prefix}{name}").into()
        }
    })
    .collect()
}

/// Where a built-in level is in [`builtin_level_pairs`].
#[inline]
pub(crate) fn builtin_index(level: Level) -> Option<usize> {
    level.builtin_name()?;
    Some(match level.value() {
        0 => 0,
        5 => 1,
        10 => 2,
        20 => 3,
        30 => 4,
        40 => 5,
        50 => 6,
        _ => return None,
    })
}

/// A field's value: lumber's, or a Python record's `extra`.
#[derive(Clone, Copy)]
pub(crate) enum FieldValue<'r> {
    Native(Value<'r>),
    Py(&'r PyValue),
}

/// Which fields to visit.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Python extras, call-site and bound fields, and the context.
    All,
    /// All but the context.
    Own,
    /// The context only, innermost frame first.
    Context,
}

/// Calls `f` with each field in precedence order (a Python record's
/// extras, call site, bound, context innermost first). A key may come more
/// than once; the first is the one that counts.
pub(crate) fn for_each_field<'r>(
    record: &Record<'r>,
    part: Part,
    mut f: impl FnMut(&'r str, FieldValue<'r>),
) {
    if part != Part::Context {
        let python = record.python_attrs();
        if !python.is_empty() {
            for (k, v) in python {
                if !PYTHON_ATTRS.contains(k) {
                    f(k, FieldValue::Py(v));
                }
            }
        }
        for (k, v) in record.fields() {
            f(k, FieldValue::Native(*v));
        }
        for (k, v) in record.bound() {
            f(k, FieldValue::Native(v.as_value()));
        }
    }
    if part != Part::Own {
        let mut frame = record.context();
        while let Some(c) = frame {
            for (k, v) in c.fields() {
                f(k, FieldValue::Native(v.as_value()));
            }
            frame = c.parent();
        }
    }
}

/// A field picked as an entry: the Python extra or the first field with
/// that key.
pub(crate) fn picked_field<'r>(record: &Record<'r>, key: &str) -> Option<FieldValue<'r>> {
    if !PYTHON_ATTRS.contains(&key)
        && let Some(v) = record.python_attr(key)
    {
        return Some(FieldValue::Py(v));
    }
    record.field(key).map(FieldValue::Native)
}

/// The keys written in one object so far: the raw key (for shadowing) and
/// where its written form is in the output (for collisions). A few on the
/// stack; more spill to the heap.
pub(crate) struct Seen<'r> {
    items: [(&'r str, usize, usize); 16],
    len: usize,
    spill: Vec<(&'r str, usize, usize)>,
}

/// A raw key and where its written form is in the output.
type SeenKey<'r> = (&'r str, usize, usize);

/// No written form (a field shadowing others that wrote nothing).
const NOWHERE: usize = usize::MAX;

impl<'r> Seen<'r> {
    #[inline]
    pub(crate) fn new() -> Seen<'r> {
        Seen {
            items: [("", NOWHERE, NOWHERE); 16],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn items(&self) -> (&[SeenKey<'r>], &[SeenKey<'r>]) {
        (self.items.get(..self.len).unwrap_or_default(), &self.spill)
    }

    /// Whether a field with this raw key was visited already.
    #[inline]
    pub(crate) fn has_raw(&self, raw: &str) -> bool {
        let (items, spill) = self.items();
        let same = |(k, _, _): &(&str, usize, usize)| k.len() == raw.len() && *k == raw;
        items.iter().any(same) || spill.iter().any(same)
    }

    /// Whether `out[start..end]` is a key already written.
    #[inline]
    pub(crate) fn has_written(&self, out: &str, start: usize, end: usize) -> bool {
        let bytes = out.as_bytes();
        let Some(written) = bytes.get(start..end) else {
            return false;
        };
        let same = |&(_, s, e): &(&str, usize, usize)| {
            s != NOWHERE && e - s == written.len() && bytes.get(s..e) == Some(written)
        };
        let (items, spill) = self.items();
        items.iter().any(same) || spill.iter().any(same)
    }

    /// Notes a visited field and where its key was written (`None`:
    /// nowhere).
    #[inline]
    pub(crate) fn push(&mut self, raw: &'r str, written: Option<(usize, usize)>) {
        let (s, e) = written.unwrap_or((NOWHERE, NOWHERE));
        if self.len < self.items.len() {
            self.items[self.len] = (raw, s, e);
            self.len += 1;
        } else {
            self.spill.push((raw, s, e));
        }
    }
}

/// The prefix of a key that is already taken.
pub(crate) const TAKEN_PREFIX: &str = "fields.";

/// Runs `f` with an empty string from a per-thread pool (no allocation
/// once warm; a fresh string when called re-entrantly past the pool).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut String) -> R) -> R {
    thread_local! {
        static POOL: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }
    let mut s = POOL
        .try_with(|p| p.try_borrow_mut().ok().and_then(|mut p| p.pop()))
        .ok()
        .flatten()
        .unwrap_or_default();
    s.clear();
    let result = f(&mut s);
    if s.capacity() <= 64 * 1024 {
        let _ = POOL.try_with(|p| {
            if let Ok(mut p) = p.try_borrow_mut()
                && p.len() < 4
            {
                p.push(s);
            }
        });
    }
    result
}

/// Calls `f` with the record's message as text: borrowed when it is,
/// else rendered into a scratch string.
pub(crate) fn with_message<R>(record: &Record<'_>, f: impl FnOnce(&str) -> R) -> R {
    let message = record.message();
    match message.as_str() {
        Some(s) => f(s),
        None => with_scratch(|s| {
            message.write_to(s);
            f(s)
        }),
    }
}

/// A simple attribute's value, with a Python record's own value first.
pub(crate) enum AttrValue<'r> {
    Str(&'r str),
    Text(Cow<'static, str>),
    U64(u64),
    F64(f64),
    Message(Message<'r>),
    Py(&'r PyValue),
    Null,
}

/// Calls `f` with the value of a simple attribute (not the time, the
/// message's parts, errors, stacks, fields or constants: `None` for
/// those).
pub(crate) fn with_attr_value<R>(
    attr: &Attr,
    record: &Record<'_>,
    lowercase_level: bool,
    f: impl FnOnce(AttrValue<'_>) -> R,
) -> Option<R> {
    if let Some(name) = attr.python_override()
        && let Some(v) = record.python_attr(name)
    {
        return Some(match (attr, v, lowercase_level) {
            (Attr::Levelname, PyValue::Str(s), true) => {
                f(AttrValue::Text(Cow::Owned(s.to_lowercase())))
            }
            _ => f(AttrValue::Py(v)),
        });
    }
    let site = record.site();
    let value = match attr {
        Attr::Created => AttrValue::F64(record.time().as_f64()),
        Attr::Msecs => AttrValue::F64(record.msecs()),
        Attr::RelativeCreated => AttrValue::F64(record.relative_created()),
        Attr::Levelname => AttrValue::Text(level_name(record.level(), lowercase_level)),
        Attr::Levelno => AttrValue::U64(u64::from(record.level().value())),
        Attr::Name => AttrValue::Str(record.logger()),
        Attr::Msg if !site.template.is_empty() => AttrValue::Str(site.template),
        Attr::Msg => AttrValue::Message(record.message()),
        Attr::Pathname => AttrValue::Str(site.file),
        Attr::Filename => AttrValue::Str(site.filename()),
        Attr::Module => AttrValue::Str(site.module()),
        Attr::ModulePath => AttrValue::Str(site.module_path),
        Attr::Lineno => AttrValue::U64(u64::from(site.line)),
        Attr::FuncName => match site.function_name() {
            Some(name) => AttrValue::Str(name),
            None => AttrValue::Null,
        },
        Attr::Thread => AttrValue::U64(record.thread_id()),
        Attr::ThreadName => return Some(record.with_thread_name(|n| f(AttrValue::Str(n)))),
        Attr::Process => AttrValue::U64(u64::from(record.process_id())),
        Attr::ProcessName => AttrValue::Str(record.process_name()),
        Attr::SyslogSeverity => AttrValue::U64(syslog_severity(record.level())),
        _ => return None,
    };
    Some(f(value))
}

/// A simple attribute of a native record (no Python attributes) that is
/// a number or borrowed text, without a callback: the common attributes
/// of the presets. `None` for the others.
#[inline]
pub(crate) fn native_simple<'r>(attr: &Attr, record: &Record<'r>) -> Option<AttrValue<'r>> {
    let site = record.site();
    Some(match attr {
        Attr::Levelno => AttrValue::U64(u64::from(record.level().value())),
        Attr::Name => AttrValue::Str(record.logger()),
        Attr::Pathname => AttrValue::Str(site.file),
        Attr::Filename => AttrValue::Str(site.filename()),
        Attr::Module => AttrValue::Str(site.module()),
        Attr::ModulePath => AttrValue::Str(site.module_path),
        Attr::Lineno => AttrValue::U64(u64::from(site.line)),
        Attr::FuncName => match site.function_name() {
            Some(name) => AttrValue::Str(name),
            None => AttrValue::Null,
        },
        Attr::Thread => AttrValue::U64(record.thread_id()),
        Attr::Process => AttrValue::U64(u64::from(record.process_id())),
        Attr::ProcessName => AttrValue::Str(record.process_name()),
        Attr::SyslogSeverity => AttrValue::U64(syslog_severity(record.level())),
        _ => return None,
    })
}

/// A level's name, lowercased on request (custom names too).
pub(crate) fn level_name(level: Level, lowercase: bool) -> Cow<'static, str> {
    if let Some(name) = level.builtin_name() {
        if !lowercase {
            return Cow::Borrowed(name);
        }
        let lower = match name {
            "NOTSET" => "notset",
            "TRACE" => "trace",
            "DEBUG" => "debug",
            "INFO" => "info",
            "WARNING" => "warning",
            "ERROR" => "error",
            "CRITICAL" => "critical",
            _ => return Cow::Owned(name.to_lowercase()),
        };
        return Cow::Borrowed(lower);
    }
    let name = level.name();
    if lowercase {
        Cow::Owned(name.to_lowercase())
    } else {
        name
    }
}

/// The syslog severity of a Python level: CRITICAL and above 2, ERROR 3,
/// WARNING 4, between INFO and WARNING (NOTICE) 5, INFO 6, below INFO 7.
pub(crate) fn syslog_severity(level: Level) -> u64 {
    match level.value() {
        50.. => 2,
        40..50 => 3,
        30..40 => 4,
        21..30 => 5,
        20 => 6,
        _ => 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_round_trip_their_names() {
        for name in [
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
            "exc_info",
            "exc_text",
            "exc_message",
            "stack_info",
            "short_message",
            "full_message",
            "syslog_severity",
            "user",
        ] {
            assert_eq!(Attr::parse(name).name(), name);
        }
        assert_eq!(Attr::parse("user"), Attr::Field("user".into()));
    }

    #[test]
    fn syslog_severities_follow_python_levels() {
        let s = |n| syslog_severity(Level::new(n));
        assert_eq!(
            [s(0), s(10), s(20), s(25), s(30), s(40), s(50), s(60)],
            [7, 7, 6, 5, 4, 3, 2, 2]
        );
    }

    #[test]
    fn later_entries_with_the_same_key_win() {
        let mut layout = Layout::new(Flavor::Json, &["name", "message"]);
        layout.static_field("name", OwnedValue::from("svc"));
        let keys: Vec<_> = layout.head().map(|e| e.prefix.to_string()).collect();
        assert_eq!(keys, ["\"message\":", "\"name\":"]);
        assert!(layout.is_reserved("name"));
        layout.rename("message", "msg");
        assert!(layout.is_reserved("msg") && !layout.is_reserved("message"));
    }

    #[test]
    fn gelf_keys_are_additional_fields() {
        let mut layout = Layout::new(Flavor::Gelf, &["name", "lineno", "user id"]);
        layout.static_field("service", OwnedValue::from("api"));
        layout.static_field("host", OwnedValue::from("h"));
        let keys: Vec<_> = layout.head().map(|e| e.key.to_string()).collect();
        assert_eq!(keys, ["_logger", "_line", "_user_id", "_service", "host"]);
        assert!(layout.is_reserved("_id"));
    }
}
