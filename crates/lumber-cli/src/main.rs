//! The `lumber` command: log from shell scripts and pipes through the same
//! formats as a Python (or lumber) application, byte for byte.
//!
//! - `lumber emit [--name LOGGER] [--level LEVEL] MESSAGE…` logs one record.
//! - `lumber pipe` logs each line of standard input; a line that is a JSON
//!   object is a whole record in Python's attribute names.
//! - Both set up Python's `basicConfig` from their flags, or take a
//!   configuration file with `--config FILE` (or `LUMBER_CONFIG`).
//! - `lumber config check FILE…` validates configuration files; `lumber
//!   config tree [FILE]` shows the logger tree one makes.
//! - `lumber completions SHELL` prints a completion script.
//!
//! Exit status: 0 ok, 1 a configuration with problems, an I/O error or a
//! record that could not be formatted, 2 bad flags (usage). A closed
//! standard output is not an error.

mod cli;
mod config_cmd;
mod configured;
mod convert;
mod json;
mod output;
mod record;

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use lumber::python::PyValue;

use crate::cli::{Cli, Command, CompletionsArgs, ConfigCommand, EmitArgs, PipeArgs};
use crate::convert::RecordError;
use crate::output::{CliError, Output, Stop, stop_to_result};
use crate::record::{Clock, PyRecord, level_dict};

fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version end up here too, with status 0. A closed
            // stdout while printing them is not worth a message.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let result = match &cli.command {
        Command::Emit(args) => emit(args).map(|_| ExitCode::SUCCESS),
        Command::Pipe(args) => pipe(args).map(|summary| {
            if summary.rejected > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }),
        Command::Config(ConfigCommand::Check(args)) => config_cmd::check(args).map(|all_good| {
            if all_good {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }),
        Command::Config(ConfigCommand::Tree(args)) => {
            config_cmd::tree(args).map(|()| ExitCode::SUCCESS)
        }
        Command::Completions(args) => completions(args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            match &e {
                CliError::Config(problems) => config_cmd::report(problems),
                other => {
                    let _ = writeln!(io::stderr(), "lumber: {other}");
                }
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// `lumber completions`.
fn completions(args: &CompletionsArgs) -> Result<(), CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "lumber", &mut script);
    config_cmd::print_stdout(&script).map(|_| ())
}

// `lumber emit`.

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
pub fn emit(args: &EmitArgs) -> Result<bool, CliError> {
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

// `lumber pipe`.

/// What a run did, for the exit status.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Lines read.
    pub lines: u64,
    /// Lines that could not be logged (reported on stderr).
    pub rejected: u64,
}

/// Reads standard input to its end (or until the output closes) and logs
/// every line.
pub fn pipe(args: &PipeArgs) -> Result<Summary, CliError> {
    if args.setup.config.as_deref() == Some(std::path::Path::new("-")) {
        return Err(CliError::Usage(
            "--config -: standard input carries the records; give the configuration as a file"
                .to_owned(),
        ));
    }
    let mut output = Output::open(&args.setup)?;
    let stdin = io::stdin();
    let summary = pump(&mut stdin.lock(), args, &mut output);
    let finished = output.finish();
    let summary = summary?;
    match finished {
        Ok(()) => Ok(summary),
        Err(stop) => stop_to_result(stop).map(|()| summary),
    }
}

/// Logs each line of `input`.
fn pump(
    input: &mut impl BufRead,
    args: &PipeArgs,
    output: &mut Output,
) -> Result<Summary, CliError> {
    let clock = Clock::new();
    let mut summary = Summary::default();
    let mut buf = Vec::with_capacity(256);
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| CliError::Io(format!("cannot read standard input: {e}")))?;
        if n == 0 {
            return Ok(summary);
        }
        summary.lines += 1;
        let line = String::from_utf8_lossy(strip_newline(&buf));
        let record = PyRecord::from_line(&line, &args.name, args.level, &clock);
        if let Err(e) = output.write(&record) {
            let _ = writeln!(io::stderr(), "lumber: line {}: {e}", summary.lines);
            summary.rejected += 1;
        }
        match output.check() {
            Ok(()) => {}
            Err(Stop::BrokenPipe) => return Ok(summary),
            Err(stop) => return stop_to_result(stop).map(|()| summary),
        }
    }
}

/// The line without its `\n` or `\r\n`.
fn strip_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
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

    #[test]
    fn newlines_are_stripped_once() {
        assert_eq!(strip_newline(b"a\r\n"), b"a");
        assert_eq!(strip_newline(b"a\n"), b"a");
        assert_eq!(strip_newline(b"a\n\n"), b"a\n");
        assert_eq!(strip_newline(b"a"), b"a");
        assert_eq!(strip_newline(b"\r"), b"");
    }
}
