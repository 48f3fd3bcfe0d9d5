//! The command line: `lumber emit` and `lumber pipe` with Python's
//! `basicConfig` options (or `--config FILE`), `lumber config check|tree`
//! and `lumber completions`.

use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use lumber::{Level, Style};

mod config;

use config::{COMPLETIONS_ABOUT, COMPLETIONS_EXAMPLES, CONFIG_ABOUT, CONFIG_EXAMPLES};
pub use config::{CheckArgs, CompletionsArgs, ConfigCommand, TreeArgs};

const ABOUT: &str =
    "Log from shell scripts and pipes exactly as Python's logging (and lumber) would";

const LONG_ABOUT: &str = "\
Log from shell scripts and pipes exactly as Python's logging (and lumber)
would: the same records, the same formats, byte for byte what CPython 3.11
prints.

Both commands set up what Python's logging.basicConfig() sets up: one
handler on the root logger, writing to standard error (or --stream stdout,
or --file PATH), with --format, --datefmt, --style and --utc. --json and
--logfmt write structured lines instead of --format: one JSON object per
record in Python's attribute names, or logfmt's key=value pairs.

With --config FILE (or LUMBER_CONFIG), records go through a logging
configuration instead: a dictConfig file in TOML, YAML or JSON, or a
fileConfig INI file, with its loggers, levels, handlers and formatters.
`lumber config check` validates such files, `lumber config tree` shows the
loggers they make.";

const AFTER_HELP: &str = "\
Exit status:
  0  everything was done (standard output closing early, as in
     `lumber pipe --stream stdout | head`, is not an error)
  1  a configuration has problems, reading or writing failed, or a record
     could not be formatted
  2  bad flags or a bad --format (usage)

Where a command reads a file, `-` means standard input.

Examples:
  lumber emit --level warning disk almost full
  lumber emit --name backup --format '%(asctime)s %(levelname)s %(name)s: %(message)s' done
  tail -f app.log | lumber pipe --name app --file /var/log/app.log
  python3 worker.py | lumber pipe --style '{' --format '{asctime} {levelname:<8} {message}'
  python3 worker.py | lumber pipe --json --utc > records.jsonl
  lumber emit --logfmt --extra user=bob logged in
  lumber emit --config logging.toml --name app.db --level error connection lost
  lumber config check logging.toml logging.yaml
  lumber config tree --json
  lumber completions bash > ~/.local/share/bash-completion/completions/lumber";

/// The `lumber` command.
#[derive(Debug, Parser)]
#[command(name = "lumber", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log one record: the message words joined by spaces, like echo.
    #[command(long_about = EMIT_ABOUT, after_help = EMIT_EXAMPLES)]
    Emit(EmitArgs),
    /// Log each line of standard input; a JSON object line is a whole record.
    #[command(long_about = PIPE_ABOUT, after_help = PIPE_EXAMPLES)]
    Pipe(PipeArgs),
    /// Check logging configuration files, or show the logger tree one makes.
    #[command(subcommand, long_about = CONFIG_ABOUT, after_help = CONFIG_EXAMPLES)]
    Config(ConfigCommand),
    /// Print a completion script for a shell.
    #[command(long_about = COMPLETIONS_ABOUT, after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

const EMIT_ABOUT: &str = "\
Log one record: the message words joined by spaces, like echo, at --level
(default INFO) from logger --name (default root). The record is the one
Python's logging.makeLogRecord() makes from those (and from --pathname,
--lineno, --func and --extra), so %(threadName)s is MainThread and
%(processName)s MainProcess, as in a Python program.

The root logger's level is set low enough to let the record through: a
record at INFO is printed even though Python's root defaults to WARNING.
Give --threshold (or LUMBER_THRESHOLD) to drop records below a level,
so a script can turn its own debug output on and off.

With --config FILE (or LUMBER_CONFIG), the record goes to logger --name
of that configuration, and the configuration's levels decide, as in a
program using it: a record below the logger's effective level is dropped
(and the exit status is still 0). Its handlers and formatters write it.

Options go before the message: everything after the first word of the
message is message.";

const EMIT_EXAMPLES: &str = "\
Examples:
  lumber emit starting backup                    # INFO:root:starting backup
  lumber emit --level error --name backup -- -x failed
  lumber emit --format '%(levelname)s %(user)s: %(message)s' --extra user=bob hi
  lumber emit --json --utc --extra user=bob --extra n:=3 hi
  lumber emit --pathname \"$0\" --lineno \"$LINENO\" --func main --format '%(filename)s:%(lineno)d %(message)s' here
  LUMBER_THRESHOLD=info lumber emit --level debug 'not shown'
  lumber emit --config logging.toml --name app.db --level error connection lost
  LUMBER_CONFIG=logging.yaml lumber emit --name cron nightly run done";

const PIPE_ABOUT: &str = "\
Log each line of standard input, one record per line.

A line that is a JSON object is a log record in Python's own attribute
names: what Python's HTTPHandler sends (record.__dict__, here one JSON
object per line instead of a form-encoded request) and what
logging.makeLogRecord() accepts. name, msg, args, levelname, levelno,
pathname, filename, module, lineno, funcName, created, msecs,
relativeCreated, thread, threadName, process, processName, exc_text and
stack_info are used as Python uses them, and missing ones get
makeLogRecord's defaults (name None, levelname 'Level None', pathname '',
lineno 0, funcName None, created now, ...). One difference: a record with
created but no msecs gets the milliseconds of created.

The message is str(msg) % args when args is not empty, as getMessage()
does: a JSON array is a tuple of arguments, an object a mapping. Every
other key is a record attribute too, usable in the format (%(user)s).
exc_info is not used: send the traceback as exc_text.

Any other line is a message at --level (default INFO) from logger --name
(default root). Records are never dropped unless --threshold (or
LUMBER_THRESHOLD) is given.

With --config FILE (or LUMBER_CONFIG), each record goes to the logger of
that configuration its name says (the root for a record without one),
and is dropped when below that logger's effective level. The configured
handlers and formatters write it.

A record that Python could not format (msg % args fails, the format names
an attribute the record lacks) is reported on standard error with its line
number and skipped; the exit status is then 1.";

const PIPE_EXAMPLES: &str = "\
Examples:
  make 2>&1 | lumber pipe --name build --format '%(asctime)s %(name)s %(message)s'
  echo '{\"name\": \"app\", \"levelno\": 30, \"levelname\": \"WARNING\", \"msg\": \"%s left\", \"args\": [3]}' | lumber pipe
  lumber pipe --threshold warning --file app.log < records.jsonl
  make 2>&1 | lumber pipe --name build --logfmt
  python3 worker.py | lumber pipe --config logging.yaml";

/// `lumber emit`.
#[derive(Debug, Args)]
pub struct EmitArgs {
    /// The logger's name.
    #[arg(short, long, value_name = "LOGGER", default_value = "root")]
    pub name: String,
    /// The record's level: a name (debug, info, warning, error, critical) or a number.
    #[arg(short, long, value_name = "LEVEL", default_value = "INFO", value_parser = parse_level)]
    pub level: Level,
    /// The record's pathname (filename and module follow from it).
    #[arg(long, value_name = "PATH")]
    pub pathname: Option<String>,
    /// The record's lineno.
    #[arg(long, value_name = "N")]
    pub lineno: Option<u32>,
    /// The record's funcName.
    #[arg(long = "func", value_name = "NAME")]
    pub func: Option<String>,
    /// An extra record attribute: KEY=TEXT, or KEY:=JSON for a number, list...
    #[arg(short = 'x', long = "extra", value_name = "KEY=VALUE")]
    pub extra: Vec<String>,
    /// basicConfig options.
    #[command(flatten)]
    pub setup: Setup,
    /// The message, joined by spaces.
    #[arg(value_name = "MESSAGE", trailing_var_arg = true)]
    pub message: Vec<String>,
}

/// `lumber pipe`.
#[derive(Debug, Args)]
pub struct PipeArgs {
    /// The logger of lines that are not JSON records.
    #[arg(short, long, value_name = "LOGGER", default_value = "root")]
    pub name: String,
    /// The level of lines that are not JSON records: a name or a number.
    #[arg(short, long, value_name = "LEVEL", default_value = "INFO", value_parser = parse_level)]
    pub level: Level,
    /// basicConfig options.
    #[command(flatten)]
    pub setup: Setup,
}

/// Python's `basicConfig` options, shared by both commands, and
/// `--config`, which replaces them.
#[derive(Debug, Args)]
pub struct Setup {
    /// Log through this configuration file (dictConfig TOML, YAML or JSON, or
    /// fileConfig INI; for emit, `-` is standard input) instead of the
    /// basicConfig options, which cannot be given with it (LUMBER_CONFIG gives
    /// way to them); its levels decide what is logged, --threshold still
    /// applies.
    #[arg(
        short,
        long,
        value_name = "FILE",
        env = "LUMBER_CONFIG",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,
    /// The format [default: %(levelname)s:%(name)s:%(message)s, or its {/$ form].
    #[arg(
        short,
        long,
        value_name = "FORMAT",
        env = "LUMBER_FORMAT",
        hide_env_values = true
    )]
    pub format: Option<String>,
    /// The strftime format of %(asctime)s [default: %Y-%m-%d %H:%M:%S,mmm].
    #[arg(
        long,
        value_name = "DATEFMT",
        env = "LUMBER_DATEFMT",
        hide_env_values = true
    )]
    pub datefmt: Option<String>,
    /// Write one JSON object per record (asctime in RFC 3339, levelname, name,
    /// message, then the record's extra attributes) instead of --format.
    #[arg(long, conflicts_with = "logfmt")]
    pub json: bool,
    /// Write logfmt (time=... level=info logger=... msg=... key=value) instead of
    /// --format.
    #[arg(long)]
    pub logfmt: bool,
    /// The format's style: % (printf), { (str.format) or $ (string.Template).
    #[arg(long, value_name = "STYLE", default_value = "%", value_parser = parse_style, env = "LUMBER_STYLE", hide_env_values = true)]
    pub style: Style,
    /// Append to this file instead of writing to a stream.
    #[arg(long, value_name = "PATH", conflicts_with = "stream")]
    pub file: Option<PathBuf>,
    /// The stream to write to.
    #[arg(long, value_enum, value_name = "STREAM", default_value_t = StreamArg::Stderr)]
    pub stream: StreamArg,
    /// Show %(asctime)s (or the --json/--logfmt time) in UTC instead of local time (TZ).
    #[arg(long)]
    pub utc: bool,
    /// Drop records below this level (the root logger's level) [default: none].
    #[arg(long, value_name = "LEVEL", value_parser = parse_level, env = "LUMBER_THRESHOLD", hide_env_values = true)]
    pub threshold: Option<Level>,
}

/// `--stream`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StreamArg {
    /// Standard error (Python's default).
    Stderr,
    /// Standard output.
    Stdout,
}

/// The `basicConfig` options that `--config` replaces.
const BASIC_OPTIONS: [&str; 8] = [
    "format", "file", "stream", "json", "logfmt", "datefmt", "style", "utc",
];

/// Parses the command line. `--json` and `--logfmt` replace `--format`:
/// giving `--format`, `--style` or `--datefmt` with them on the command
/// line is an error, but the `LUMBER_FORMAT`, `LUMBER_STYLE` and
/// `LUMBER_DATEFMT` environment variables are ignored then. Likewise
/// `--config` replaces the `basicConfig` options: both on the command
/// line is an error; a `basicConfig` option on the command line wins over
/// `LUMBER_CONFIG`.
pub fn parse() -> Result<Cli, clap::Error> {
    from_matches(&Cli::command().try_get_matches()?)
}

fn from_matches(matches: &ArgMatches) -> Result<Cli, clap::Error> {
    let mut drop_env_config = false;
    if let Some((name, sub)) = matches.subcommand()
        && matches!(name, "emit" | "pipe")
    {
        check_structured(sub)?;
        drop_env_config = check_config(sub)?;
    }
    let mut cli = Cli::from_arg_matches(matches)?;
    if drop_env_config {
        match &mut cli.command {
            Command::Emit(args) => args.setup.config = None,
            Command::Pipe(args) => args.setup.config = None,
            Command::Config(_) | Command::Completions(_) => {}
        }
    }
    Ok(cli)
}

/// `sub` is the matches of `emit` or `pipe`.
fn check_structured(sub: &ArgMatches) -> Result<(), clap::Error> {
    let structured = ["json", "logfmt"].into_iter().find(|id| sub.get_flag(id));
    let Some(structured) = structured else {
        return Ok(());
    };
    for id in ["format", "style", "datefmt"] {
        if sub.value_source(id) == Some(ValueSource::CommandLine) {
            return Err(Cli::command().error(
                ErrorKind::ArgumentConflict,
                format!("the argument '--{structured}' cannot be used with '--{id}'"),
            ));
        }
    }
    Ok(())
}

/// `--config` against the `basicConfig` options of `emit` or `pipe`:
/// `Ok(true)` when the configuration came from `LUMBER_CONFIG` and must
/// give way to options on the command line.
fn check_config(sub: &ArgMatches) -> Result<bool, clap::Error> {
    let explicit = BASIC_OPTIONS
        .into_iter()
        .find(|id| sub.value_source(id) == Some(ValueSource::CommandLine));
    match (sub.value_source("config"), explicit) {
        (Some(ValueSource::CommandLine), Some(id)) => Err(Cli::command().error(
            ErrorKind::ArgumentConflict,
            format!(
                "the argument '--config <FILE>' cannot be used with '--{id}' \
                 (the configuration file sets up the handlers and formats)"
            ),
        )),
        (Some(ValueSource::EnvVariable), Some(_)) => Ok(true),
        _ => Ok(false),
    }
}

/// A level name (any case) or number.
fn parse_level(text: &str) -> Result<Level, String> {
    text.parse::<Level>().map_err(|e| e.to_string())
}

/// `%`, `{` or `$` (or `percent`, `brace`, `dollar`).
fn parse_style(text: &str) -> Result<Style, String> {
    match text {
        "%" | "percent" => Ok(Style::Percent),
        "{" | "brace" => Ok(Style::Brace),
        "$" | "dollar" => Ok(Style::Dollar),
        _ => Err(format!("expected %, {{ or $, got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap_complete::Shell;
    use lumber::config::FileFormat;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn emit_takes_the_rest_as_message() {
        let cli =
            Cli::try_parse_from(["lumber", "emit", "--level", "error", "a", "-b", "--c"]).unwrap();
        let Command::Emit(args) = cli.command else {
            panic!("not emit")
        };
        assert_eq!(args.level, Level::ERROR);
        assert_eq!(args.message, ["a", "-b", "--c"]);
    }

    #[test]
    fn styles_and_levels_parse() {
        assert_eq!(parse_style("{"), Ok(Style::Brace));
        assert!(parse_style("x").is_err());
        assert_eq!(parse_level("25"), Ok(Level::new(25)));
        assert!(parse_level("loud").is_err());
    }

    fn parse_from(args: &[&str]) -> Result<Cli, clap::Error> {
        from_matches(&Cli::command().try_get_matches_from(args)?)
    }

    #[test]
    fn structured_output_replaces_the_format() {
        let cli = parse_from(&["lumber", "emit", "--json", "--utc", "hi"]).unwrap();
        let Command::Emit(args) = cli.command else {
            panic!("not emit")
        };
        assert!(args.setup.json && !args.setup.logfmt && args.setup.utc);
        for flags in [
            &["--json", "--logfmt"][..],
            &["--json", "--format", "%(message)s"],
            &["--logfmt", "--style", "{"],
            &["--json", "--datefmt", "%H"],
        ] {
            let mut args = vec!["lumber", "pipe"];
            args.extend_from_slice(flags);
            let err = parse_from(&args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{flags:?}");
            assert!(err.to_string().contains("cannot be used with"), "{err}");
        }
    }

    #[test]
    fn file_and_stream_conflict() {
        let err = Cli::try_parse_from(["lumber", "pipe", "--file", "x", "--stream", "stdout"])
            .unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn config_replaces_the_basic_config_options() {
        let cli = parse_from(&[
            "lumber",
            "emit",
            "--config",
            "l.toml",
            "--threshold",
            "info",
            "x",
        ])
        .unwrap();
        let Command::Emit(args) = cli.command else {
            panic!("not emit")
        };
        assert_eq!(args.setup.config, Some(PathBuf::from("l.toml")));
        for flags in [
            &["--format", "%(message)s"][..],
            &["--file", "x.log"],
            &["--stream", "stdout"],
            &["--json"],
            &["--logfmt"],
            &["--datefmt", "%H"],
            &["--style", "{"],
            &["--utc"],
        ] {
            let mut args = vec!["lumber", "pipe", "--config", "l.toml"];
            args.extend_from_slice(flags);
            let err = parse_from(&args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{flags:?}");
            assert!(
                err.to_string()
                    .contains("'--config <FILE>' cannot be used with"),
                "{err}"
            );
        }
    }

    #[test]
    fn config_subcommands_parse() {
        let cli = parse_from(&[
            "lumber", "config", "check", "a.toml", "-", "--format", "yaml",
        ])
        .unwrap();
        let Command::Config(ConfigCommand::Check(args)) = cli.command else {
            panic!("not check")
        };
        assert_eq!(args.files, [PathBuf::from("a.toml"), PathBuf::from("-")]);
        assert_eq!(args.format.map(FileFormat::from), Some(FileFormat::Yaml));
        assert_eq!(
            parse_from(&["lumber", "config", "check"])
                .unwrap_err()
                .exit_code(),
            2
        );
        let cli = parse_from(&["lumber", "config", "tree", "--json"]).unwrap();
        let Command::Config(ConfigCommand::Tree(args)) = cli.command else {
            panic!("not tree")
        };
        assert!(args.json && args.file.is_none());
        let cli = parse_from(&["lumber", "completions", "zsh"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Completions(CompletionsArgs { shell: Shell::Zsh })
        ));
        assert!(parse_from(&["lumber", "completions", "tcsh"]).is_err());
    }
}
