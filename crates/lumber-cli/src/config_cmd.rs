//! `lumber config check` and `lumber config tree`: configuration files
//! read from a path or standard input, their problems reported one per
//! line.

use std::io::{self, Read, Write};
use std::path::Path;

use lumber::ConfigError;
use lumber::config::{Config, FileFormat, render_tree};

use crate::cli::{CheckArgs, TreeArgs};
use crate::output::CliError;

/// How standard input is named in messages.
const STDIN: &str = "<stdin>";

/// Reads a configuration: `-` is standard input. The format is `format`
/// if given, else the file's extension says it, else it is guessed from
/// the text.
pub fn load(path: &Path, format: Option<FileFormat>) -> Result<Config, ConfigError> {
    if path == Path::new("-") {
        let name = Path::new(STDIN);
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| ConfigError::new("", format!("cannot read: {e}")).in_file(name))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ConfigError::new("", "not UTF-8 text").in_file(name))?;
        let format = format.or_else(|| guess_format(&text)).ok_or_else(|| {
            ConfigError::new(
                "",
                "cannot tell the format of the text: give --format toml, yaml, json or ini",
            )
            .in_file(name)
        })?;
        return Config::from_str(&text, format, Some(name));
    }
    if format.is_none() && FileFormat::from_path(path).is_some() {
        return Config::from_path(path);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::new("", format!("cannot read: {e}")).in_file(path))?;
    let format = format.or_else(|| guess_format(&text)).ok_or_else(|| {
        ConfigError::new(
            "",
            "unknown configuration format: name the file .toml, .yaml, .yml, .json, .ini, \
             .conf or .cfg, or give --format",
        )
        .in_file(path)
    })?;
    Config::from_str(&text, format, Some(path))
}

/// The format of a configuration text, from its first lines: `{` starts
/// JSON; `fileConfig`'s sections (`[logger_root]`, `[handler_x]`...) make
/// INI; other `[table]` headers or `key = value` make TOML; `key: value`,
/// `---` or `- item` make YAML.
pub fn guess_format(text: &str) -> Option<FileFormat> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'));
    let first = lines.clone().next()?;
    if first.starts_with('{') {
        return Some(FileFormat::Json);
    }
    if first == "---" || first.starts_with("- ") || first.starts_with("%YAML") {
        return Some(FileFormat::Yaml);
    }
    let ini_section = |line: &str| {
        line.strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .is_some_and(|name| {
                let name = name.trim();
                ["logger_", "handler_", "formatter_", "filter_"]
                    .iter()
                    .any(|prefix| name.starts_with(prefix))
            })
    };
    if lines.any(ini_section) {
        return Some(FileFormat::Ini);
    }
    if first.starts_with('[') {
        return Some(FileFormat::Toml);
    }
    match first.find(['=', ':']).map(|i| first.as_bytes()[i]) {
        Some(b'=') => Some(FileFormat::Toml),
        Some(_) => Some(FileFormat::Yaml),
        None => None,
    }
}

/// Writes `text` to standard output. `Ok(false)`: the reader went away
/// (a broken pipe), which is not an error.
pub fn print_stdout(text: &[u8]) -> Result<bool, CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(CliError::Io(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// Prints every problem, one per line, to standard error.
pub fn report(e: &ConfigError) {
    let mut err = io::stderr().lock();
    if e.is_empty() {
        let _ = writeln!(err, "{e}");
    }
    for problem in e.iter() {
        let _ = writeln!(err, "{problem}");
    }
}

/// `lumber config check`: `Ok(true)` if every file is good.
pub fn check(args: &CheckArgs) -> Result<bool, CliError> {
    let stdin_count = args.files.iter().filter(|p| *p == Path::new("-")).count();
    if stdin_count > 1 {
        return Err(CliError::Usage(
            "`-` (standard input) can be given only once".to_owned(),
        ));
    }
    let format = args.format.map(FileFormat::from);
    let mut all_good = true;
    let mut stdout_open = true;
    for path in &args.files {
        match load(path, format).and_then(|config| config.check()) {
            Ok(()) => {
                if stdout_open {
                    let name = if path == Path::new("-") {
                        STDIN.to_owned()
                    } else {
                        path.display().to_string()
                    };
                    stdout_open = print_stdout(format!("{name}: ok\n").as_bytes())?;
                }
            }
            Err(e) => {
                all_good = false;
                report(&e);
            }
        }
    }
    Ok(all_good)
}

/// `lumber config tree`.
pub fn tree(args: &TreeArgs) -> Result<(), CliError> {
    let config = match &args.file {
        Some(path) => load(path, args.format.map(FileFormat::from))?.with_env()?,
        None => Config::discover()?,
    };
    let tree = config.tree()?;
    let mut text = if args.json {
        tree.to_json_pretty()
    } else {
        render_tree(&tree)
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    print_stdout(text.as_bytes()).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_guessed_from_the_text() {
        let cases = [
            ("{\"version\": 1}", Some(FileFormat::Json)),
            ("  \n{\n}", Some(FileFormat::Json)),
            (
                "version = 1\n[root]\nlevel = 'INFO'\n",
                Some(FileFormat::Toml),
            ),
            ("# c\n[root]\nlevel = \"INFO\"\n", Some(FileFormat::Toml)),
            (
                "[loggers]\n\"app.db\" = { level = \"DEBUG\" }\n",
                Some(FileFormat::Toml),
            ),
            ("version: 1\nroot:\n  level: INFO\n", Some(FileFormat::Yaml)),
            ("---\nroot: {level: INFO}\n", Some(FileFormat::Yaml)),
            ("format: \"%(a)s = %(b)s\"\n", Some(FileFormat::Yaml)),
            (
                "[loggers]\nkeys=root\n\n[handlers]\nkeys=h\n\n[logger_root]\nlevel=INFO\n",
                Some(FileFormat::Ini),
            ),
            (
                "; comment\n[formatters]\nkeys=f\n[formatter_f]\nformat=%(message)s\n",
                Some(FileFormat::Ini),
            ),
            ("", None),
            ("just words", None),
        ];
        for (text, want) in cases {
            assert_eq!(guess_format(text), want, "{text:?}");
        }
    }
}
