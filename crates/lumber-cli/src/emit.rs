//! `lumber emit`: one record from the command line.

use lumber::python::PyValue;

use crate::cli::EmitArgs;
use crate::json;
use crate::output::{CliError, Output, stop_to_result};
use crate::record::{Clock, PyRecord, RecordError, level_dict};

/// The attributes `--extra` may not set: they have flags of their own or
/// are computed.
const RESERVED: [&str; 8] = [
    "name",
    "msg",
    "levelno",
    "levelname",
    "message",
    "asctime",
    "args",
    "exc_info",
];

/// Logs the record. `Ok(false)`: it was below the threshold.
pub fn run(args: &EmitArgs) -> Result<bool, CliError> {
    let dict = attributes(args)?;
    let mut output = Output::open(&args.setup)?;
    let record = PyRecord::from_dict(dict, &Clock::new());
    let written = output.write(&record).map_err(|e| match e {
        RecordError::Missing(name) => CliError::Usage(format!(
            "the format uses '{name}', which the record does not have (give it with --extra {name}=VALUE)"
        )),
        other => CliError::Usage(other.to_string()),
    });
    let finished = output.finish();
    let written = written?;
    finished.or_else(stop_to_result)?;
    Ok(written)
}

/// The record's attributes, as `makeLogRecord` would be given them.
fn attributes(args: &EmitArgs) -> Result<Vec<(String, PyValue)>, CliError> {
    let message = args.message.join(" ");
    let mut dict = level_dict(&args.name, args.level, &message);
    if let Some(path) = &args.pathname {
        // LogRecord.__init__: filename = basename, module = splitext(filename)[0].
        let site = lumber::Site {
            file: path,
            ..lumber::Site::UNKNOWN
        };
        dict.push(("pathname".into(), PyValue::Str(path.clone())));
        dict.push(("filename".into(), PyValue::Str(site.filename().to_owned())));
        dict.push(("module".into(), PyValue::Str(site.module().to_owned())));
    }
    if let Some(line) = args.lineno {
        dict.push(("lineno".into(), PyValue::Int(i128::from(line))));
    }
    if let Some(func) = &args.func {
        dict.push(("funcName".into(), PyValue::Str(func.clone())));
    }
    for extra in &args.extra {
        let (key, value) = parse_extra(extra).map_err(CliError::Usage)?;
        if RESERVED.contains(&key.as_str()) {
            return Err(CliError::Usage(format!(
                "--extra {key}: '{key}' is set by the command itself"
            )));
        }
        dict.retain(|(k, _)| *k != key);
        dict.push((key, value));
    }
    Ok(dict)
}

/// `KEY=TEXT` or `KEY:=JSON`.
fn parse_extra(text: &str) -> Result<(String, PyValue), String> {
    let Some(eq) = text.find('=') else {
        return Err(format!("--extra {text:?}: expected KEY=VALUE or KEY:=JSON"));
    };
    let (key, value) = (&text[..eq], &text[eq + 1..]);
    let (key, value) = match key.strip_suffix(':') {
        Some(key) => {
            let value = json::parse(value)
                .map_err(|e| format!("--extra {key}: the value is not JSON: {e}"))?;
            (key, value)
        }
        None => (key, PyValue::Str(value.to_owned())),
    };
    if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(format!(
            "--extra {text:?}: a key is letters, digits and '_' (to be usable in a format)"
        ));
    }
    Ok((key.to_owned(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_are_text_or_json() {
        assert_eq!(
            parse_extra("user=bob=1").unwrap(),
            ("user".into(), PyValue::Str("bob=1".into()))
        );
        assert_eq!(
            parse_extra("n:=42").unwrap(),
            ("n".into(), PyValue::Int(42))
        );
        assert_eq!(
            parse_extra("tags:=[\"a\"]").unwrap(),
            ("tags".into(), PyValue::List(vec![PyValue::Str("a".into())]))
        );
        assert!(parse_extra("novalue").is_err());
        assert!(parse_extra("n:=nope").is_err());
        assert!(parse_extra("a-b=1").is_err());
        assert!(parse_extra("=1").is_err());
    }
}
