//! `Node` as a serde value: a logging configuration can be a field of an
//! application's own configuration, read by whatever reads that (serde
//! derive, `figment`, `config`), and any serde format can carry one.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::node::{Key, Node, Value};

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.value {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::Str(v) => s.serialize_str(v),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(&k.name, v)?;
                }
                map.end()
            }
        }
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a logging configuration value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::from(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::from(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        match i64::try_from(v) {
            Ok(i) => Ok(Node::from(i)),
            Err(_) => Ok(Node::from(Value::Float(v as f64))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::from(Value::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::from(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::list(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<KeyName, Node>()? {
            entries.push((Key::new(k.0), v));
        }
        Ok(Node::from(Value::Map(entries)))
    }
}

/// A mapping key: a string, or a number or boolean written as one.
struct KeyName(String);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyName, D::Error> {
        let n = Node::deserialize(d)?;
        match n.value {
            Value::Str(s) => Ok(KeyName(s)),
            Value::Int(i) => Ok(KeyName(i.to_string())),
            Value::Bool(b) => Ok(KeyName(b.to_string())),
            _ => Err(de::Error::custom(format!(
                "a mapping key must be a string, got {}",
                n.kind()
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    /// Reads any serde value as a configuration tree (without positions).
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct AppConfig {
    ///     port: u16,
    ///     logging: lumber::config::Node,
    /// }
    /// let app: AppConfig = serde_json::from_str(r#"{
    ///     "port": 8080,
    ///     "logging": {"version": 1, "root": {"level": "INFO"}}
    /// }"#).unwrap();
    /// let config = lumber::config::Config::from_node(app.logging);
    /// assert!(config.check().is_ok());
    /// # assert_eq!(app.port, 8080);
    /// ```
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_round_trip() {
        let text = r#"{"version":1,"handlers":{"h":{"class":"NullHandler","level":10}},"root":{"handlers":["h"],"propagate":true,"x":1.5,"n":null}}"#;
        let n: Node = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), text);
        let mut parsed = super::super::FileFormat::Json.parse(text).unwrap();
        parsed.strip_positions();
        assert_eq!(n, parsed);
    }
}
