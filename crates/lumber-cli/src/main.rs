//! The `lumber` command: log from shell scripts and pipes through the same
//! formats as a Python (or lumber) application, byte for byte.
//!
//! - `lumber emit [--name LOGGER] [--level LEVEL] MESSAGE…` logs one record.
//! - `lumber pipe` logs each line of standard input; a line that is a JSON
//!   object is a whole record in Python's attribute names.
//!
//! Exit status: 0 ok, 1 an I/O error or a record that could not be
//! formatted, 2 bad flags or configuration.

mod cli;
mod emit;
mod json;
mod output;
mod parts;
mod pipe;
mod plan;
mod pyargs;
mod record;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::output::CliError;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version end up here too, with status 0. A closed
            // stdout while printing them is not worth a message.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let result = match &cli.command {
        Command::Emit(args) => emit::run(args).map(|_| ExitCode::SUCCESS),
        Command::Pipe(args) => pipe::run(args).map(|summary| {
            if summary.rejected > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "lumber: {e}");
            ExitCode::from(match e {
                CliError::Usage(_) => 2,
                CliError::Io(_) => 1,
            })
        }
    }
}
