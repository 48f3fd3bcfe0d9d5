//! A tour of lumber: `cargo run --example tour`.
//!
//! A small "shop" program with a module hierarchy logs to the console
//! (INFO and up) and to a file (everything), with levels per subsystem,
//! structured fields, a bound logger, scoped context, an error chain, and
//! a dependency that logs through the `log` facade.

use std::error::Error;
use std::fmt;

use lumber::{
    FileHandler, Formatter, Handler, Level, StreamHandler, fields, get_logger, info, warning,
};

mod shop {
    pub mod db {
        use lumber::{debug, info};

        pub fn connect(url: &str) {
            // Logged on the logger named after this module: `tour.shop.db`.
            debug!(url = url; "opening pool");
            info!(size = 8, "pool ready");
        }
    }

    pub mod http {
        use lumber::{debug, info};

        pub fn serve(path: &str, ms: u64) {
            debug!("parsing headers"); // below this subsystem's level: costs one atomic load
            info!(path = path, ms = ms; "GET {} -> 200", path);
        }
    }
}

/// Stands in for a dependency that logs through the `log` facade, as most
/// crates do: its records land on `tour.vendor_sdk`, under lumber's levels.
mod vendor_sdk {
    pub fn charge(order: u64) {
        log::info!(order = order; "POST /v1/charges");
        log::trace!("TLS handshake details"); // below every level: stops at the facade
    }
}

#[derive(Debug)]
struct ChargeError {
    source: std::io::Error,
}

impl fmt::Display for ChargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("payment provider rejected the charge")
    }
}

impl Error for ChargeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.source)
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let log_path = std::env::temp_dir().join("lumber-tour/shop.log");

    // The console: INFO and up, Python's classic layout.
    let console = Handler::new(StreamHandler::stderr())
        .with_level(Level::INFO)
        .with_formatter(
            Formatter::new("%(asctime)s %(levelname)-8s %(name)s: %(message)s")?
                .datefmt("%H:%M:%S"),
        );
    // The file: everything, with the call site and the request id.
    let file = Handler::new(FileHandler::new(&log_path)?).with_formatter(Formatter::new(
        "%(asctime)s %(levelname)s %(name)s [%(request)s] %(filename)s:%(lineno)d %(funcName)s: %(message)s",
    )?
    .default_field("request", "-"));

    let root = lumber::root();
    root.set_level(Level::DEBUG);
    root.add_handler(console);
    root.add_handler(file);
    let _guard = lumber::InitGuard::new();
    // Crates that log through `log` land in the same hierarchy.
    lumber::bridge::log::init()?;

    // Levels per subsystem: the HTTP layer is chatty, keep it at INFO.
    get_logger("tour.shop.http").set_level(Level::INFO);

    info!("shop starting");
    shop::db::connect("postgres://localhost/shop");

    // Scoped context: every record inside carries the request id.
    for (request, path) in [("r-1", "/cart"), ("r-2", "/checkout")] {
        let _ctx = lumber::push_context(fields!(request = request));
        shop::http::serve(path, 12);

        if path == "/checkout" {
            // A bound logger (Python's LoggerAdapter) adds fields to each record.
            let payments = get_logger("tour.shop.payments").bind("provider", "acme-pay");
            vendor_sdk::charge(1042);
            warning!(logger: payments, "charge took {} ms", 2300);
            let err = ChargeError {
                source: std::io::Error::new(std::io::ErrorKind::TimedOut, "connection timed out"),
            };
            // Like Python's logger.exception: the error's whole chain follows the message.
            lumber::exception!(logger: payments, err, "checkout failed for order {}", 1042);
        }
    }

    info!("shop stopped; the full log is in {}", log_path.display());
    Ok(())
}
