//! `lumber config check|tree` and `lumber completions`: their arguments
//! and help.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use clap_complete::Shell;
use lumber::config::FileFormat;

pub(super) const CONFIG_ABOUT: &str = "\
Check logging configuration files, or show the logger tree one makes.

A configuration is Python's dictConfig schema (version, formatters,
filters, handlers, loggers, root, ...) in TOML, YAML or JSON, or Python's
fileConfig INI format. The format comes from the file's extension (.toml,
.yaml, .yml, .json, .ini, .conf, .cfg), from --format, or, for standard
input (`-`), from the text itself.

Every problem is reported, one per line, as FILE:LINE:COL: KEY: MESSAGE;
the exit status is then 1.";

pub(super) const CONFIG_EXAMPLES: &str = "\
Examples:
  lumber config check logging.toml
  lumber config check --format yaml - < logging.txt
  lumber config tree
  lumber config tree logging.yaml --json";

const CHECK_ABOUT: &str = "\
Check configuration files without opening anything: every problem of
every file is printed to standard error, one per line, as
FILE:LINE:COL: KEY: MESSAGE, and `FILE: ok` for each good file to standard
output.

Only the files are checked: the environment overrides (LUMBER_LEVEL,
LUMBER_FORMAT, LUMBER__..., LUMBER_LOG) are not applied.

Exit status: 0 if every file is good, 1 if any has a problem or cannot be
read, 2 for bad flags.";

const CHECK_EXAMPLES: &str = "\
Examples:
  lumber config check logging.toml
  lumber config check lumber.yaml deploy/*.json
  lumber config check --format ini logging.txt
  generate-config | lumber config check -              # format guessed from the text
  generate-config | lumber config check --format yaml -";

const TREE_ABOUT: &str = "\
Show the logger tree a configuration makes, as Python's logging_tree
shows it: each logger with its level and effective level, propagation,
filters and handlers (with their formatters), children indented under
their parent.

Without FILE, the configuration is found as a program's
lumber::config::init() finds it: the file named by LUMBER_CONFIG, else lumber.toml, lumber.yaml,
lumber.yml, lumber.json or lumber.ini in the working directory, else the
console default. The environment overrides (LUMBER_LEVEL, LUMBER_FORMAT,
LUMBER__..., LUMBER_LOG) are applied, with or without FILE: the tree is
what a program (or `lumber emit --config`) would get.

--json writes the tree in the dictConfig schema, each logger with its
effective_level: a configuration that can be read back.

Exit status: 0 shown, 1 the configuration has problems, 2 bad flags.";

const TREE_EXAMPLES: &str = "\
Examples:
  lumber config tree
  lumber config tree logging.toml
  LUMBER_LEVEL=debug lumber config tree logging.yaml
  lumber config tree --json logging.ini > logging.json
  generate-config | lumber config tree --format toml -";

pub(super) const COMPLETIONS_ABOUT: &str = "\
Print a completion script for SHELL (bash, zsh, fish, elvish or
powershell) to standard output.";

pub(super) const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  lumber completions bash > ~/.local/share/bash-completion/completions/lumber
  lumber completions zsh > ~/.zfunc/_lumber        # with fpath+=~/.zfunc in .zshrc
  lumber completions fish > ~/.config/fish/completions/lumber.fish
  lumber completions powershell >> $PROFILE
  eval \"$(lumber completions bash)\"";

/// `lumber config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check configuration files: every problem, one per line.
    #[command(long_about = CHECK_ABOUT, after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Show the logger tree a configuration makes.
    #[command(long_about = TREE_ABOUT, after_help = TREE_EXAMPLES)]
    Tree(TreeArgs),
}

/// `lumber config check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The configuration files; `-` is standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The files' format, whatever their names [default: from the extension,
    /// else guessed from the text].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
}

/// `lumber config tree`.
#[derive(Debug, Args)]
pub struct TreeArgs {
    /// The configuration file; `-` is standard input [default: LUMBER_CONFIG,
    /// else lumber.{toml,yaml,yml,json,ini} here, else the console default].
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Write the tree as JSON in the dictConfig schema, with effective levels.
    #[arg(long)]
    pub json: bool,
    /// FILE's format, whatever its name [default: from the extension, else
    /// guessed from the text].
    #[arg(long, value_enum, value_name = "FORMAT", requires = "file")]
    pub format: Option<FormatArg>,
}

/// A configuration file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// TOML, in the dictConfig schema.
    Toml,
    /// YAML, in the dictConfig schema.
    Yaml,
    /// JSON, in the dictConfig schema.
    Json,
    /// Python's fileConfig INI format.
    Ini,
}

impl From<FormatArg> for FileFormat {
    fn from(format: FormatArg) -> FileFormat {
        match format {
            FormatArg::Toml => FileFormat::Toml,
            FormatArg::Yaml => FileFormat::Yaml,
            FormatArg::Json => FileFormat::Json,
            FormatArg::Ini => FileFormat::Ini,
        }
    }
}

/// `lumber completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}
