//! Colors and styles: [`ColorChoice`] (when to color), [`Color`] and
//! [`ConsoleStyle`] (what the escape codes are).

use std::ffi::OsStr;
use std::fmt::{self, Write};

use crate::handler::Destination;

/// Whether a [`ConsoleFormatter`](crate::ConsoleFormatter) colors its output.
///
/// `Auto` (the default) decides once, when the formatter is installed on a
/// handler, from what the handler writes to ([`Sink::destination`](crate::Sink::destination)) and
/// the environment, in this order (the first rule that applies wins):
///
/// 1. not a standard stream or a terminal (a log file, a socket, a
///    writer, a queue) → no colors, whatever the environment says;
/// 2. `NO_COLOR` set and not empty → no colors (<https://no-color.org>);
/// 3. `CLICOLOR_FORCE` set, not empty and not `0` → colors, even when
///    stdout/stderr is a pipe (<https://bixense.com/clicolors>);
/// 4. `CLICOLOR=0` → no colors;
/// 5. `TERM=dumb` → no colors;
/// 6. colors if and only if the stream is a terminal.
///
/// `Always` and `Never` are the program's explicit choice (say, from a
/// `--color` flag) and override the environment, as no-color.org asks.
/// `Always` colors any destination, files included.
///
/// ```
/// use lumber::{ColorChoice, Destination};
/// let env = |key: &str| (key == "NO_COLOR").then_some("1");
/// assert!(!ColorChoice::Auto.resolve(Destination::Terminal, env));
/// assert!(ColorChoice::Always.resolve(Destination::Terminal, env));
/// assert!(ColorChoice::Auto.resolve(Destination::Terminal, |_| None::<&str>));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ColorChoice {
    /// Colors on a terminal, following the environment (see above).
    #[default]
    Auto,
    /// Colors wherever the output goes.
    Always,
    /// Never colors.
    Never,
}

impl ColorChoice {
    /// Whether output to `destination` is colored, with `env` looking up
    /// environment variables: a pure function of its arguments.
    ///
    /// ```
    /// use lumber::{ColorChoice, Destination};
    /// let forced = |key: &str| (key == "CLICOLOR_FORCE").then_some("1");
    /// assert!(ColorChoice::Auto.resolve(Destination::Redirected, forced)); // `app | less -R`
    /// assert!(!ColorChoice::Auto.resolve(Destination::Other, forced)); // a log file: never
    /// ```
    pub fn resolve<S: AsRef<OsStr>>(
        self,
        destination: Destination,
        env: impl Fn(&str) -> Option<S>,
    ) -> bool {
        match self {
            ColorChoice::Always => return true,
            ColorChoice::Never => return false,
            ColorChoice::Auto => {}
        }
        if destination == Destination::Other {
            return false;
        }
        let var = |key: &str| env(key).filter(|v| !v.as_ref().is_empty());
        if var("NO_COLOR").is_some() {
            return false;
        }
        if var("CLICOLOR_FORCE").is_some_and(|v| v.as_ref() != "0") {
            return true;
        }
        if var("CLICOLOR").is_some_and(|v| v.as_ref() == "0") {
            return false;
        }
        if var("TERM").is_some_and(|v| v.as_ref() == "dumb") {
            return false;
        }
        destination == Destination::Terminal
    }

    /// [`ColorChoice::resolve`] with this process's environment.
    ///
    /// ```
    /// use lumber::{ColorChoice, Destination};
    /// assert!(!ColorChoice::Auto.resolve_from_env(Destination::Other));
    /// ```
    pub fn resolve_from_env(self, destination: Destination) -> bool {
        self.resolve(destination, |key: &str| std::env::var_os(key))
    }
}

/// One of the terminal's colors.
///
/// ```
/// use lumber::{Color, ConsoleStyle};
/// assert_eq!(ConsoleStyle::new().fg(Color::Fixed(208)).to_string(), "\x1b[38;5;208m");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Color {
    /// ANSI black.
    Black,
    /// ANSI red.
    Red,
    /// ANSI green.
    Green,
    /// ANSI yellow.
    Yellow,
    /// ANSI blue.
    Blue,
    /// ANSI magenta.
    Magenta,
    /// ANSI cyan.
    Cyan,
    /// ANSI white (light gray on most terminals).
    White,
    /// Bright black (dark gray).
    BrightBlack,
    /// Bright red.
    BrightRed,
    /// Bright green.
    BrightGreen,
    /// Bright yellow.
    BrightYellow,
    /// Bright blue.
    BrightBlue,
    /// Bright magenta.
    BrightMagenta,
    /// Bright cyan.
    BrightCyan,
    /// Bright white.
    BrightWhite,
    /// One of the 256 colors of the xterm palette.
    Fixed(u8),
    /// A 24-bit color (most modern terminals).
    Rgb(u8, u8, u8),
}

impl Color {
    /// Writes the SGR parameters; `base` is 30 for the foreground, 40 for
    /// the background.
    fn write_sgr(self, base: u8, out: &mut String) {
        let code: u8 = match self {
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::White => 7,
            Color::BrightBlack => 60,
            Color::BrightRed => 61,
            Color::BrightGreen => 62,
            Color::BrightYellow => 63,
            Color::BrightBlue => 64,
            Color::BrightMagenta => 65,
            Color::BrightCyan => 66,
            Color::BrightWhite => 67,
            Color::Fixed(n) => {
                let _ = write!(out, "{};5;{n}", base + 8);
                return;
            }
            Color::Rgb(r, g, b) => {
                let _ = write!(out, "{};2;{r};{g};{b}", base + 8);
                return;
            }
        };
        let _ = write!(out, "{}", u16::from(base) + u16::from(code));
    }
}

/// A text style: foreground and background colors, bold, dim, italic,
/// underline. Its `Display` is the escape sequence that turns it on
/// (nothing for the plain style).
///
/// ```
/// use lumber::{Color, ConsoleStyle};
/// let alarm = ConsoleStyle::new().fg(Color::BrightWhite).bg(Color::Red).bold();
/// assert_eq!(alarm.to_string(), "\x1b[1;97;41m");
/// assert_eq!(ConsoleStyle::new().to_string(), "");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ConsoleStyle {
    fg: Option<Color>,
    bg: Option<Color>,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
}

impl ConsoleStyle {
    /// The plain style.
    ///
    /// ```
    /// assert!(lumber::ConsoleStyle::new().is_plain());
    /// ```
    pub const fn new() -> ConsoleStyle {
        ConsoleStyle {
            fg: None,
            bg: None,
            bold: false,
            dim: false,
            italic: false,
            underline: false,
        }
    }

    /// With this foreground (text) color.
    ///
    /// ```
    /// use lumber::{Color, ConsoleStyle};
    /// assert_eq!(ConsoleStyle::new().fg(Color::Green).to_string(), "\x1b[32m");
    /// ```
    pub const fn fg(mut self, color: Color) -> ConsoleStyle {
        self.fg = Some(color);
        self
    }

    /// With this background color.
    ///
    /// ```
    /// use lumber::{Color, ConsoleStyle};
    /// assert_eq!(ConsoleStyle::new().bg(Color::Rgb(0, 0, 128)).to_string(), "\x1b[48;2;0;0;128m");
    /// ```
    pub const fn bg(mut self, color: Color) -> ConsoleStyle {
        self.bg = Some(color);
        self
    }

    /// Bold (bright on some terminals).
    ///
    /// ```
    /// assert_eq!(lumber::ConsoleStyle::new().bold().to_string(), "\x1b[1m");
    /// ```
    pub const fn bold(mut self) -> ConsoleStyle {
        self.bold = true;
        self
    }

    /// Dim (faint).
    ///
    /// ```
    /// assert_eq!(lumber::ConsoleStyle::new().dim().to_string(), "\x1b[2m");
    /// ```
    pub const fn dim(mut self) -> ConsoleStyle {
        self.dim = true;
        self
    }

    /// Italic (where the terminal has it).
    ///
    /// ```
    /// assert_eq!(lumber::ConsoleStyle::new().italic().to_string(), "\x1b[3m");
    /// ```
    pub const fn italic(mut self) -> ConsoleStyle {
        self.italic = true;
        self
    }

    /// Underlined.
    ///
    /// ```
    /// assert_eq!(lumber::ConsoleStyle::new().underline().to_string(), "\x1b[4m");
    /// ```
    pub const fn underline(mut self) -> ConsoleStyle {
        self.underline = true;
        self
    }

    /// Whether this is the plain style (no escape sequence).
    ///
    /// ```
    /// assert!(!lumber::ConsoleStyle::new().dim().is_plain());
    /// ```
    pub fn is_plain(&self) -> bool {
        *self == ConsoleStyle::new()
    }
}

impl fmt::Display for ConsoleStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_plain() {
            return Ok(());
        }
        let mut params = String::new();
        for (on, code) in [
            (self.bold, "1;"),
            (self.dim, "2;"),
            (self.italic, "3;"),
            (self.underline, "4;"),
        ] {
            if on {
                params.push_str(code);
            }
        }
        for (color, base) in [(self.fg, 30), (self.bg, 40)] {
            if let Some(color) = color {
                color.write_sgr(base, &mut params);
                params.push(';');
            }
        }
        write!(f, "\x1b[{}m", params.trim_end_matches(';'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_render_sgr_sequences() {
        let s = ConsoleStyle::new()
            .fg(Color::Rgb(1, 2, 3))
            .bg(Color::Fixed(4))
            .italic()
            .underline()
            .dim();
        assert_eq!(s.to_string(), "\x1b[2;3;4;38;2;1;2;3;48;5;4m");
        assert_eq!(
            ConsoleStyle::new().fg(Color::BrightBlack).to_string(),
            "\x1b[90m"
        );
        assert_eq!(
            ConsoleStyle::new().bg(Color::BrightWhite).to_string(),
            "\x1b[107m"
        );
        assert_eq!(ConsoleStyle::new().bg(Color::Black).to_string(), "\x1b[40m");
    }
}
