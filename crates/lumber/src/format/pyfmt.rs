//! TEMPORARY STUB (replaced by the real module).
#![allow(dead_code, missing_docs, clippy::all)]
use std::fmt::Write;
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    None,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    List(Vec<PyValue>),
    Tuple(Vec<PyValue>),
    Dict(Vec<(String, PyValue)>),
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyFmtError(pub String);
impl std::fmt::Display for PyFmtError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for PyFmtError {}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentSpec {
    pub left: bool,
    pub zero: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub width: Option<usize>,
    pub precision: Option<usize>,
    pub conv: char,
}
impl PercentSpec {
    pub fn parse(s: &str) -> Result<(PercentSpec, usize), PyFmtError> {
        let mut sp = PercentSpec {
            left: false,
            zero: false,
            plus: false,
            space: false,
            alt: false,
            width: None,
            precision: None,
            conv: 's',
        };
        let b: Vec<char> = s.chars().collect();
        let mut i = 0;
        while i < b.len() && "-0+ #".contains(b[i]) {
            match b[i] {
                '-' => sp.left = true,
                '0' => sp.zero = true,
                _ => {}
            }
            i += 1;
        }
        let mut w = String::new();
        while i < b.len() && b[i].is_ascii_digit() {
            w.push(b[i]);
            i += 1;
        }
        if !w.is_empty() {
            sp.width = w.parse().ok();
        }
        if i < b.len() && b[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < b.len() && b[i].is_ascii_digit() {
                p.push(b[i]);
                i += 1;
            }
            sp.precision = Some(p.parse().unwrap_or(0));
        }
        if i >= b.len() {
            return Err(PyFmtError("incomplete format".into()));
        }
        if !"sdifrx".contains(b[i]) {
            return Err(PyFmtError(format!(
                "unsupported format character '{}'",
                b[i]
            )));
        }
        sp.conv = b[i];
        Ok((sp, b[..=i].iter().map(|c| c.len_utf8()).sum()))
    }
    fn pad(&self, out: &mut String, s: &str) {
        let w = self.width.unwrap_or(0);
        let n = s.chars().count();
        if self.left {
            out.push_str(s);
            for _ in n..w {
                out.push(' ');
            }
        } else {
            let c = if self.zero { '0' } else { ' ' };
            for _ in n..w {
                out.push(c);
            }
            out.push_str(s);
        }
    }
    pub fn write_str(&self, out: &mut String, s: &str) -> Result<(), PyFmtError> {
        if !"sr".contains(self.conv) {
            return Err(PyFmtError(format!(
                "%{} format: a real number is required, not str",
                self.conv
            )));
        }
        let s: String = match self.precision {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_owned(),
        };
        self.pad(out, &s);
        Ok(())
    }
    pub fn write_int(&self, out: &mut String, v: i128) -> Result<(), PyFmtError> {
        self.pad(out, &v.to_string());
        Ok(())
    }
    pub fn write_float(&self, out: &mut String, v: f64) -> Result<(), PyFmtError> {
        let s = if self.conv == 'f' {
            format!("{:.*}", self.precision.unwrap_or(6), v)
        } else if "di".contains(self.conv) {
            (v.trunc() as i128).to_string()
        } else {
            let mut s = String::new();
            repr_float(&mut s, v);
            s
        };
        self.pad(out, &s);
        Ok(())
    }
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub spec: String,
}
impl FormatSpec {
    pub fn parse(spec: &str) -> Result<FormatSpec, PyFmtError> {
        Ok(FormatSpec {
            spec: spec.to_owned(),
        })
    }
    fn pad(&self, out: &mut String, s: &str, right: bool) {
        let t = self
            .spec
            .trim_start_matches(['<', '>', '^'])
            .trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let zero = t.starts_with('0');
        let w: usize = t.trim_start_matches('0').parse().unwrap_or(0);
        let n = s.chars().count();
        let right = if self.spec.starts_with('>') {
            true
        } else if self.spec.starts_with('<') {
            false
        } else {
            right
        };
        if right {
            for _ in n..w {
                out.push(if zero { '0' } else { ' ' });
            }
            out.push_str(s);
        } else {
            out.push_str(s);
            for _ in n..w {
                out.push(' ');
            }
        }
    }
    pub fn write_str(&self, out: &mut String, s: &str) -> Result<(), PyFmtError> {
        if self.spec.ends_with('d') {
            return Err(PyFmtError(
                "Unknown format code 'd' for object of type 'str'".into(),
            ));
        }
        self.pad(out, s, false);
        Ok(())
    }
    pub fn write_int(&self, out: &mut String, v: i128) -> Result<(), PyFmtError> {
        self.pad(out, &v.to_string(), true);
        Ok(())
    }
    pub fn write_float(&self, out: &mut String, v: f64) -> Result<(), PyFmtError> {
        let mut s = String::new();
        repr_float(&mut s, v);
        self.pad(out, &s, true);
        Ok(())
    }
}
pub fn repr_str(out: &mut String, s: &str) {
    let _ = write!(out, "'{}'", s);
}
pub fn repr_float(out: &mut String, v: f64) {
    if v == v.trunc() && v.abs() < 1e16 {
        let _ = write!(out, "{v:.1}");
    } else {
        let _ = write!(out, "{v}");
    }
}
pub fn py_str(out: &mut String, v: &PyValue) {
    let _ = write!(out, "{v:?}");
}
pub fn py_repr(out: &mut String, v: &PyValue) {
    let _ = write!(out, "{v:?}");
}
pub fn percent_format(msg: &str, _args: &PyValue) -> Result<String, PyFmtError> {
    Ok(msg.to_owned())
}
