//! `lumber pipe`: one record per line of standard input.

use std::io::{self, BufRead};

use crate::cli::PipeArgs;
use crate::output::{CliError, Output, Stop, stop_to_result};
use crate::record::{Clock, PyRecord};

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
pub fn run(args: &PipeArgs) -> Result<Summary, CliError> {
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
            eprintln!("lumber: line {}: {e}", summary.lines);
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
    fn newlines_are_stripped_once() {
        assert_eq!(strip_newline(b"a\r\n"), b"a");
        assert_eq!(strip_newline(b"a\n"), b"a");
        assert_eq!(strip_newline(b"a\n\n"), b"a\n");
        assert_eq!(strip_newline(b"a"), b"a");
        assert_eq!(strip_newline(b"\r"), b"");
    }
}
