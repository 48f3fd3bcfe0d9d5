//! Rotating files: `cargo run --example rotating`.
//!
//! Four threads log through a size-rotating file compressed in the
//! background; then a timed handler driven by a manual clock rolls over
//! at midnight in New York across the night clocks fall back, with the
//! date in the current file's name. The files are listed at the end.

use std::sync::Arc;
use std::time::Duration;

use jiff::tz::TimeZone;
use lumber::{
    Compression, Formatter, Handler, Level, ManualClock, RotatingFileHandler,
    TimedRotatingFileHandler, When, get_logger, info,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("lumber-example-rotating-{}", std::process::id()));
    let format = "%(asctime)s %(threadName)s %(levelname)s %(message)s";

    // By size: app.log, app.log.1.gz ... app.log.5.gz, 16 KiB each.
    let sized = RotatingFileHandler::options(dir.join("app.log"))
        .max_bytes(16 * 1024)
        .backup_count(5)
        .compress(Compression::Gzip)
        .open()?;
    let app = get_logger("example.app");
    app.set_propagate(false);
    app.set_level(Level::INFO);
    app.add_handler(Arc::new(
        Handler::new(sized).with_formatter(Formatter::new(format)?),
    ));
    std::thread::scope(|s| {
        for t in 0..4 {
            s.spawn(move || {
                for i in 0..500 {
                    info!(logger: app, worker = t; "request {} handled", i);
                }
            });
        }
    });

    // By time, on a clock we move by hand: midnight in New York on the
    // night of 2024-11-03, when 01:00-02:00 happens twice.
    let ny = TimeZone::get("America/New_York")?;
    let start = ny
        .to_ambiguous_timestamp("2024-11-02T21:00".parse()?)
        .compatible()?;
    let clock = ManualClock::at_unix(start.as_second());
    let timed = TimedRotatingFileHandler::options(dir.join("audit.log"))
        .when(When::Midnight)
        .time_zone(ny)
        .dated(true) // write to audit.log.2024-11-02, then audit.log.2024-11-03, ...
        .clock(clock.clone())
        .open()?;
    let audit = get_logger("example.audit");
    audit.set_propagate(false);
    audit.set_level(Level::INFO);
    audit.add_handler(timed);
    for hour in 0..30 {
        info!(logger: audit, "audit event {} hours after 21:00", hour);
        clock.advance(Duration::from_secs(3600));
    }

    lumber::flush(); // writes what is pending and waits for compression
    let mut names: Vec<_> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort();
    println!("{}:", dir.display());
    for name in names {
        let len = std::fs::metadata(dir.join(&name))?.len();
        println!("  {name:24} {len:>7} bytes");
    }
    Ok(())
}
