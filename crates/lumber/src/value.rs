//! Key-value fields: the values a record carries beside its message.

use std::error::Error;
use std::fmt;

/// A field value borrowed from the call site.
///
/// Numbers, booleans and strings are kept as they are, so structured
/// formatters can write them as numbers; anything else is carried as a
/// `Display` or `Debug` reference and rendered only if a handler needs it.
///
/// ```
/// use lumber::Value;
/// assert_eq!(Value::from(42).to_string(), "42");
/// assert_eq!(Value::from("ok").to_string(), "ok");
/// ```
#[derive(Clone, Copy)]
pub enum Value<'a> {
    /// No value (Python's `None`).
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    I64(i64),
    /// An unsigned integer.
    U64(u64),
    /// A float.
    F64(f64),
    /// A string.
    Str(&'a str),
    /// Raw bytes, which may not be UTF-8 (shown with invalid sequences
    /// replaced by U+FFFD; structured formatters keep them valid).
    Bytes(&'a [u8]),
    /// Anything shown with `Display` (the `%value` form in the macros).
    Display(&'a (dyn fmt::Display + 'a)),
    /// Anything shown with `Debug` (the `?value` form in the macros).
    Debug(&'a (dyn fmt::Debug + 'a)),
}

impl Value<'_> {
    /// An owned copy, rendering `Display`/`Debug` values to strings.
    ///
    /// ```
    /// use lumber::{OwnedValue, Value};
    /// assert_eq!(Value::from(1.5).to_owned(), OwnedValue::F64(1.5));
    /// ```
    pub fn to_owned(&self) -> OwnedValue {
        match *self {
            Value::Null => OwnedValue::Null,
            Value::Bool(b) => OwnedValue::Bool(b),
            Value::I64(n) => OwnedValue::I64(n),
            Value::U64(n) => OwnedValue::U64(n),
            Value::F64(n) => OwnedValue::F64(n),
            Value::Str(s) => OwnedValue::Str(s.to_owned()),
            Value::Bytes(b) => OwnedValue::Bytes(b.to_vec()),
            Value::Display(d) => OwnedValue::Str(d.to_string()),
            Value::Debug(d) => OwnedValue::Str(format!("{d:?}")),
        }
    }
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.pad("None"),
            Value::Bool(b) => fmt::Display::fmt(b, f),
            Value::I64(n) => fmt::Display::fmt(n, f),
            Value::U64(n) => fmt::Display::fmt(n, f),
            Value::F64(n) => fmt::Display::fmt(n, f),
            Value::Str(s) => f.pad(s),
            Value::Bytes(b) => f.pad(&String::from_utf8_lossy(b)),
            Value::Display(d) => fmt::Display::fmt(d, f),
            Value::Debug(d) => fmt::Debug::fmt(d, f),
        }
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => fmt::Debug::fmt(s, f),
            Value::Display(d) => write!(f, "{d}"),
            other => fmt::Display::fmt(other, f),
        }
    }
}

/// An owned field value: what bound loggers, scoped context and queued
/// records keep.
///
/// ```
/// use lumber::OwnedValue;
/// let v: OwnedValue = "abc".into();
/// assert_eq!(v.as_value().to_string(), "abc");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum OwnedValue {
    /// No value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    I64(i64),
    /// An unsigned integer.
    U64(u64),
    /// A float.
    F64(f64),
    /// A string.
    Str(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
}

impl OwnedValue {
    /// Borrows it as a [`Value`].
    ///
    /// ```
    /// assert_eq!(lumber::OwnedValue::I64(-3).as_value().to_string(), "-3");
    /// ```
    pub fn as_value(&self) -> Value<'_> {
        match self {
            OwnedValue::Null => Value::Null,
            OwnedValue::Bool(b) => Value::Bool(*b),
            OwnedValue::I64(n) => Value::I64(*n),
            OwnedValue::U64(n) => Value::U64(*n),
            OwnedValue::F64(n) => Value::F64(*n),
            OwnedValue::Str(s) => Value::Str(s),
            OwnedValue::Bytes(b) => Value::Bytes(b),
        }
    }
}

/// Types that can be a field value as they are (`key = value` in the
/// macros). Other types use `key = %value` (Display) or `key = ?value`
/// (Debug).
///
/// ```
/// use lumber::ToValue;
/// assert_eq!(7u8.to_value().to_string(), "7");
/// assert_eq!(Some("x").to_value().to_string(), "x");
/// assert_eq!(None::<i32>.to_value().to_string(), "None");
/// ```
pub trait ToValue {
    /// The value, borrowed from `self`.
    fn to_value(&self) -> Value<'_>;
}

macro_rules! to_value_as {
    ($variant:ident($as:ty): $($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                Value::$variant(*self as $as)
            }
        }
        impl From<$t> for Value<'_> {
            fn from(v: $t) -> Self {
                Value::$variant(v as $as)
            }
        }
        impl From<$t> for OwnedValue {
            fn from(v: $t) -> Self {
                OwnedValue::$variant(v as $as)
            }
        }
    )*};
}

to_value_as!(I64(i64): i8, i16, i32, i64, isize);
to_value_as!(U64(u64): u8, u16, u32, u64, usize);
to_value_as!(F64(f64): f32, f64);

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Bool(*self)
    }
}

impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<bool> for OwnedValue {
    fn from(v: bool) -> Self {
        OwnedValue::Bool(v)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Bytes(self)
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Bytes(self)
    }
}

impl ToValue for char {
    fn to_value(&self) -> Value<'_> {
        Value::Display(self)
    }
}

impl ToValue for std::borrow::Cow<'_, str> {
    fn to_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}

impl ToValue for std::path::PathBuf {
    fn to_value(&self) -> Value<'_> {
        Value::Debug(self)
    }
}

impl ToValue for std::time::Duration {
    fn to_value(&self) -> Value<'_> {
        Value::Debug(self)
    }
}

impl ToValue for dyn Error + 'static {
    fn to_value(&self) -> Value<'_> {
        Value::Display(self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl ToValue for OwnedValue {
    fn to_value(&self) -> Value<'_> {
        self.as_value()
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Str(v)
    }
}

impl From<&str> for OwnedValue {
    fn from(v: &str) -> Self {
        OwnedValue::Str(v.to_owned())
    }
}

impl From<String> for OwnedValue {
    fn from(v: String) -> Self {
        OwnedValue::Str(v)
    }
}

impl fmt::Display for OwnedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_value(), f)
    }
}

/// An owned key-value list: bound logger fields and context frames.
///
/// ```
/// let fields: lumber::OwnedFields = lumber::fields!(user = 7, name = "ann");
/// assert_eq!(&*fields[0].0, "user");
/// assert_eq!(fields[1].1, lumber::OwnedValue::from("ann"));
/// ```
pub type OwnedFields = Vec<(Box<str>, OwnedValue)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_display_as_rust_shows_them() {
        assert_eq!(Value::from(true).to_string(), "true");
        assert_eq!(Value::from(-5i32).to_string(), "-5");
        assert_eq!(Value::from(2.5f64).to_string(), "2.5");
        assert_eq!(Value::Null.to_string(), "None");
        let d = std::time::Duration::from_millis(1500);
        assert_eq!(d.to_value().to_string(), "1.5s");
        assert_eq!(format!("{:?}", Value::from("a\"b")), "\"a\\\"b\"");
    }

    #[test]
    fn owned_round_trip_keeps_numbers_and_renders_the_rest() {
        assert_eq!(Value::from(3u64).to_owned(), OwnedValue::U64(3));
        let d = std::time::Duration::from_secs(2);
        assert_eq!(Value::Debug(&d).to_owned(), OwnedValue::Str("2s".into()));
        assert_eq!(OwnedValue::from("x").as_value().to_string(), "x");
    }
}
