//! Reading TOML, YAML, JSON and INI text into a [`Node`] tree with
//! positions.

use std::path::Path;

use super::ConfigError;
use super::node::{Key, LineIndex, Node, Pos, Value};

/// The format of a configuration file.
///
/// ```
/// use lumber::config::FileFormat;
/// assert_eq!(FileFormat::from_path("lumber.yml".as_ref()), Some(FileFormat::Yaml));
/// assert_eq!(FileFormat::from_path("logging.conf".as_ref()), Some(FileFormat::Ini));
/// assert_eq!(FileFormat::from_path("README".as_ref()), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// TOML, in the `dictConfig` schema.
    Toml,
    /// YAML, in the `dictConfig` schema.
    Yaml,
    /// JSON, in the `dictConfig` schema.
    Json,
    /// Python's `fileConfig` INI format.
    Ini,
}

impl FileFormat {
    /// The format a file's extension says (`.toml`, `.yaml`/`.yml`,
    /// `.json`, `.ini`/`.conf`/`.cfg`).
    ///
    /// ```
    /// use lumber::config::FileFormat;
    /// assert_eq!(FileFormat::from_path("a/b.TOML".as_ref()), Some(FileFormat::Toml));
    /// ```
    pub fn from_path(path: &Path) -> Option<FileFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "toml" => FileFormat::Toml,
            "yaml" | "yml" => FileFormat::Yaml,
            "json" => FileFormat::Json,
            "ini" | "conf" | "cfg" => FileFormat::Ini,
            _ => return None,
        })
    }

    /// The format's name.
    ///
    /// ```
    /// assert_eq!(lumber::config::FileFormat::Ini.name(), "INI");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Toml => "TOML",
            FileFormat::Yaml => "YAML",
            FileFormat::Json => "JSON",
            FileFormat::Ini => "INI",
        }
    }

    /// Reads `text` into a tree. Syntax errors are reported with their
    /// line and column (all of them, where the parser recovers).
    ///
    /// ```
    /// use lumber::config::FileFormat;
    /// let n = FileFormat::Json.parse(r#"{"root": {"level": "INFO"}}"#).unwrap();
    /// assert_eq!(n.get("root").unwrap().get("level").unwrap().as_str(), Some("INFO"));
    /// let err = FileFormat::Json.parse("{\n  \"root\": }").unwrap_err();
    /// assert_eq!(err.iter().next().unwrap().pos().unwrap().line, 2);
    /// ```
    pub fn parse(self, text: &str) -> Result<Node, ConfigError> {
        match self {
            FileFormat::Toml => parse_toml(text),
            FileFormat::Yaml => parse_yaml(text),
            FileFormat::Json => parse_json(text),
            FileFormat::Ini => super::ini::parse(text),
        }
    }
}

fn parse_toml(text: &str) -> Result<Node, ConfigError> {
    use toml::de::{DeTable, DeValue};
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let mut e = ConfigError::default();
        for err in errors {
            let pos = err.span().map(|s| Pos::at_offset(text, s.start));
            e.push_at(pos, "", format!("TOML syntax: {}", err.message().trim()));
        }
        return Err(e);
    }
    fn convert(
        v: &DeValue<'_>,
        pos: Pos,
        text: &LineIndex<'_>,
        problems: &mut ConfigError,
    ) -> Node {
        let value = match v {
            DeValue::String(s) => Value::Str(s.to_string()),
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                let (neg, digits) = match digits.strip_prefix('-') {
                    Some(d) => (true, d.to_owned()),
                    None => (false, digits.trim_start_matches('+').to_owned()),
                };
                let digits = if i.radix() == 10 {
                    digits.as_str()
                } else {
                    digits.get(2..).unwrap_or_default()
                };
                match i64::from_str_radix(digits, i.radix()) {
                    Ok(n) => Value::Int(if neg { -n } else { n }),
                    Err(_) => {
                        problems.push_at(Some(pos), "", "integer out of range");
                        Value::Null
                    }
                }
            }
            DeValue::Float(f) => {
                let s = f.as_str().replace('_', "");
                Value::Float(match s.trim_start_matches(['+', '-']) {
                    "inf" if s.starts_with('-') => f64::NEG_INFINITY,
                    "inf" => f64::INFINITY,
                    "nan" => f64::NAN,
                    _ => s.parse().unwrap_or(f64::NAN),
                })
            }
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(d) => Value::Str(d.to_string()),
            DeValue::Array(a) => Value::List(
                a.iter()
                    .map(|item| {
                        let p = text.pos(item.span().start);
                        convert(item.get_ref(), p, text, problems)
                    })
                    .collect(),
            ),
            DeValue::Table(t) => Value::Map({
                // Keep the file's order (the table itself is sorted).
                let mut items: Vec<_> = t.iter().collect();
                items.sort_by_key(|(k, _)| k.span().start);
                items
                    .into_iter()
                    .map(|(k, item)| {
                        let kp = text.pos(k.span().start);
                        let vp = text.pos(item.span().start);
                        (
                            Key {
                                name: k.get_ref().to_string(),
                                pos: Some(kp),
                            },
                            convert(item.get_ref(), vp, text, problems),
                        )
                    })
                    .collect()
            }),
        };
        Node::new(value, Some(pos))
    }
    let mut problems = ConfigError::default();
    let root = DeValue::Table(table.into_inner());
    let node = convert(&root, Pos::new(1, 1), &LineIndex::new(text), &mut problems);
    problems.into_result().map(|()| node)
}

fn parse_yaml(text: &str) -> Result<Node, ConfigError> {
    use saphyr::{LoadableYamlNode, MarkedYamlOwned, ScalarOwned, YamlDataOwned};
    let docs = MarkedYamlOwned::load_from_str(text).map_err(|e| {
        let m = e.marker();
        let pos = Pos::new(
            u32::try_from(m.line()).unwrap_or(u32::MAX),
            u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
        );
        let mut err = ConfigError::default();
        err.push_at(Some(pos), "", format!("YAML syntax: {}", e.info()));
        err
    })?;
    fn pos_of(y: &MarkedYamlOwned) -> Pos {
        let m = y.span.start;
        Pos::new(
            u32::try_from(m.line()).unwrap_or(u32::MAX),
            u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
        )
    }
    fn convert(y: &MarkedYamlOwned, problems: &mut ConfigError) -> Node {
        let pos = pos_of(y);
        let value = match &y.data {
            YamlDataOwned::Value(s) => match s {
                ScalarOwned::Null => Value::Null,
                ScalarOwned::Boolean(b) => Value::Bool(*b),
                ScalarOwned::Integer(i) => Value::Int(*i),
                ScalarOwned::FloatingPoint(f) => Value::Float(f.into_inner()),
                ScalarOwned::String(s) => Value::Str(s.clone()),
            },
            YamlDataOwned::Representation(s, _, _) => Value::Str(s.clone()),
            YamlDataOwned::Sequence(items) => {
                Value::List(items.iter().map(|i| convert(i, problems)).collect())
            }
            YamlDataOwned::Mapping(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| {
                        let name = match &k.data {
                            YamlDataOwned::Value(ScalarOwned::String(s)) => s.clone(),
                            YamlDataOwned::Value(ScalarOwned::Integer(i)) => i.to_string(),
                            YamlDataOwned::Value(ScalarOwned::Boolean(b)) => b.to_string(),
                            YamlDataOwned::Value(ScalarOwned::Null) => String::new(),
                            YamlDataOwned::Value(ScalarOwned::FloatingPoint(f)) => f.to_string(),
                            _ => {
                                problems.push_at(
                                    Some(pos_of(k)),
                                    "",
                                    "a mapping key must be a string",
                                );
                                String::new()
                            }
                        };
                        (
                            Key {
                                name,
                                pos: Some(pos_of(k)),
                            },
                            convert(v, problems),
                        )
                    })
                    .collect(),
            ),
            YamlDataOwned::Tagged(_, inner) => return convert(inner, problems),
            YamlDataOwned::Alias(_) => {
                problems.push_at(Some(pos), "", "YAML aliases are not supported");
                Value::Null
            }
            YamlDataOwned::BadValue => {
                problems.push_at(Some(pos), "", "unreadable YAML value");
                Value::Null
            }
        };
        Node::new(value, Some(pos))
    }
    let mut problems = ConfigError::default();
    let node = match docs.as_slice() {
        [] => Node::map(),
        [one] => convert(one, &mut problems),
        [_, second, ..] => {
            problems.push_at(
                Some(pos_of(second)),
                "",
                "more than one YAML document; a configuration is one document",
            );
            Node::map()
        }
    };
    problems.into_result().map(|()| node)
}

fn parse_json(text: &str) -> Result<Node, ConfigError> {
    use jsonc_parser::ast;
    use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = parse_to_ast(text, &CollectOptions::default(), &strict).map_err(|e| {
        let mut err = ConfigError::default();
        err.push_at(
            Some(Pos::at_offset(text, e.range().start)),
            "",
            format!("JSON syntax: {}", e.kind()),
        );
        err
    })?;
    fn convert(v: &ast::Value<'_>, text: &LineIndex<'_>, problems: &mut ConfigError) -> Node {
        let (value, start) = match v {
            ast::Value::StringLit(s) => (Value::Str(s.value.to_string()), s.range.start),
            ast::Value::NumberLit(n) => {
                let value = match n.value.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => match n.value.parse::<f64>() {
                        Ok(f) => Value::Float(f),
                        Err(_) => {
                            problems.push_at(
                                Some(text.pos(n.range.start)),
                                "",
                                format!("unreadable number {}", n.value),
                            );
                            Value::Null
                        }
                    },
                };
                (value, n.range.start)
            }
            ast::Value::BooleanLit(b) => (Value::Bool(b.value), b.range.start),
            ast::Value::NullKeyword(n) => (Value::Null, n.range.start),
            ast::Value::Array(a) => (
                Value::List(
                    a.elements
                        .iter()
                        .map(|e| convert(e, text, problems))
                        .collect(),
                ),
                a.range.start,
            ),
            ast::Value::Object(o) => (
                Value::Map({
                    // Python's json keeps the last of a repeated key; YAML
                    // and TOML refuse one, and so does lumber.
                    let mut seen = std::collections::HashSet::new();
                    for p in &o.properties {
                        let (name, start) = match &p.name {
                            ast::ObjectPropName::String(s) => (s.value.as_ref(), s.range.start),
                            ast::ObjectPropName::Word(w) => (w.value, w.range.start),
                        };
                        if !seen.insert(name) {
                            problems.push_at(
                                Some(text.pos(start)),
                                "",
                                format!("duplicate key '{name}'"),
                            );
                        }
                    }
                    o.properties
                        .iter()
                        .map(|p| {
                            let (name, start) = match &p.name {
                                ast::ObjectPropName::String(s) => {
                                    (s.value.to_string(), s.range.start)
                                }
                                ast::ObjectPropName::Word(w) => (w.value.to_owned(), w.range.start),
                            };
                            (
                                Key {
                                    name,
                                    pos: Some(text.pos(start)),
                                },
                                convert(&p.value, text, problems),
                            )
                        })
                        .collect()
                }),
                o.range.start,
            ),
        };
        Node::new(value, Some(text.pos(start)))
    }
    let mut problems = ConfigError::default();
    let node = match &parsed.value {
        Some(v) => convert(v, &LineIndex::new(text), &mut problems),
        None => Node::map(),
    };
    problems.into_result().map(|()| node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level_pos(n: &Node) -> Pos {
        n.get("root").unwrap().get("level").unwrap().pos.unwrap()
    }

    #[test]
    fn positions_in_every_format() {
        let toml = "version = 1\n[root]\nlevel = \"INFO\"\n";
        assert_eq!(
            level_pos(&FileFormat::Toml.parse(toml).unwrap()),
            Pos::new(3, 9)
        );
        let yaml = "version: 1\nroot:\n  level: INFO\n";
        assert_eq!(
            level_pos(&FileFormat::Yaml.parse(yaml).unwrap()),
            Pos::new(3, 10)
        );
        let json = "{\"version\": 1,\n \"root\": {\"level\": \"INFO\"}}";
        assert_eq!(
            level_pos(&FileFormat::Json.parse(json).unwrap()),
            Pos::new(2, 20)
        );
    }

    #[test]
    fn same_tree_from_every_format() {
        let toml = "version = 1\nincremental = false\n[handlers.h]\nclass = \"StreamHandler\"\nlevel = 10\n[root]\nhandlers = [\"h\"]\n";
        let yaml = "version: 1\nincremental: false\nhandlers:\n  h:\n    class: StreamHandler\n    level: 10\nroot:\n  handlers: [h]\n";
        let json = r#"{"version": 1, "incremental": false, "handlers": {"h": {"class": "StreamHandler", "level": 10}}, "root": {"handlers": ["h"]}}"#;
        let mut a = FileFormat::Toml.parse(toml).unwrap();
        let mut b = FileFormat::Yaml.parse(yaml).unwrap();
        let mut c = FileFormat::Json.parse(json).unwrap();
        a.strip_positions();
        b.strip_positions();
        c.strip_positions();
        assert_eq!(a, b);
        assert_eq!(b, c);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = FileFormat::Toml.parse("a = 1\nb = \n").unwrap_err();
        assert_eq!(e.iter().next().unwrap().pos().unwrap().line, 2);
        let e = FileFormat::Yaml.parse("a: 1\nb: [\n").unwrap_err();
        assert!(e.iter().next().unwrap().pos().is_some());
        let e = FileFormat::Json.parse("{\"a\": 1,}").unwrap_err();
        assert_eq!(e.iter().next().unwrap().pos().unwrap(), Pos::new(1, 8));
        assert!(FileFormat::Json.parse("{\"a\": 1 // no\n}").is_err());
    }
}
