//! The colored console: `cargo run --example console`.
//!
//! Every level, fields (from the call site, a bound logger and the scoped
//! context), a custom level, an error chain, a multi-line message and a
//! message that tries to clear the screen. Colors appear when stderr is a
//! terminal (or with `CLICOLOR_FORCE=1`), never in a file or a pipe;
//! `NO_COLOR=1` turns them off. `scripts/console-screenshot.py` turns this
//! program's output into the README's screenshot.

use std::error::Error;
use std::fmt;

use lumber::{
    Color, ConsoleFormatter, ConsoleStyle, Handler, Level, StreamHandler, add_level_name, critical,
    debug, error, fields, get_logger, info, log, push_context, trace, warning,
};

#[derive(Debug)]
struct ChargeError(std::io::Error);

impl fmt::Display for ChargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("payment provider rejected the charge")
    }
}

impl Error for ChargeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

const NOTICE: Level = Level::new(25);

fn main() {
    // One handler on the root: stderr, the console formatter, with a style
    // for a custom level. Colors are decided here, once: stderr is a
    // terminal, or it is not.
    add_level_name(NOTICE, "NOTICE");
    let format = ConsoleFormatter::new()
        .level_style(NOTICE, ConsoleStyle::new().fg(Color::BrightBlue).bold());
    let root = lumber::root();
    root.add_handler(Handler::new(StreamHandler::stderr()).with_formatter(format));
    root.set_level(Level::TRACE);

    let app = get_logger("shop");
    let db = get_logger("shop.db");
    let pay = get_logger("shop.pay");

    info!(logger: app, version = "1.4.2", workers = 4; "starting");
    trace!(logger: db, attempt = 1; "resolving db.internal");
    debug!(logger: db, url = "postgres://db.internal/shop"; "opening pool");
    info!(logger: db, size = 8, ms = 12.5; "pool ready");

    {
        // Everything logged in this scope carries the request id; the bound
        // logger adds the client's address.
        let _request = push_context(fields!(request = "7f3a"));
        let http = get_logger("shop.http").bind("client", "10.0.0.7");
        info!(logger: http, status = 200, ms = 3.5; "GET /cart");
        warning!(logger: http, status = 200, ms = 1270; "slow request: GET /checkout");
        log!(logger: get_logger("shop.audit"), NOTICE, sku = "A-113", price = "9.99 → 11.49"; "price changed");
        let err = ChargeError(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by peer",
        ));
        error!(logger: pay, error: err, order = 1042, user = "ann"; "charge failed");
        // A message can carry anything; on the console it cannot repaint
        // the screen or rewrite earlier lines.
        warning!(logger: http, agent = "curl/8.5\x1b[2J"; "odd request: \x1b[2J\x1b[Hpwned\r");
    }

    info!(logger: app, "config loaded:\n  listen  = 0.0.0.0:8080\n  workers = 4");
    critical!(logger: app, free_mb = 0; "disk full, shutting down");
    lumber::shutdown();
}
