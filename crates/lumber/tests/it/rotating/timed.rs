//! TimedRotatingFileHandler with a manual clock: never a sleep.

use std::fs;
use std::time::Duration;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
#[cfg(feature = "gzip")]
use lumber::Compression;
use lumber::{Clock, ManualClock, Sink, TimedRotatingFileHandler, When};

use super::common::{at, files, names, rec, scratch, secs, set_mtime};

fn local(zone: &TimeZone, civil: &str) -> i64 {
    let dt: DateTime = civil.parse().unwrap();
    zone.to_ambiguous_timestamp(dt)
        .compatible()
        .unwrap()
        .as_second()
}

fn show(zone: &TimeZone, t: i64) -> String {
    zone.to_datetime(jiff::Timestamp::from_second(t).unwrap())
        .to_string()
}

#[test]
fn a_rollover_missed_while_not_running_happens_with_the_first_record() {
    let dir = scratch("missed");
    let path = dir.join("app.log");
    let utc = TimeZone::UTC;
    fs::write(&path, "from last week\n").unwrap();
    set_mtime(&path, at(local(&utc, "2024-01-10T15:00") as f64));
    let clock = ManualClock::at_unix(local(&utc, "2024-01-17T09:00"));
    let h = TimedRotatingFileHandler::options(&path)
        .when(When::Midnight)
        .utc(true)
        .clock(clock.clone())
        .open()
        .unwrap();
    assert_eq!(show(&utc, secs(h.next_rollover())), "2024-01-11T00:00:00");
    h.emit(&rec(), "today").unwrap();
    assert_eq!(
        files(&dir),
        [
            ("app.log".into(), "today\n".into()),
            ("app.log.2024-01-10".into(), "from last week\n".into())
        ]
    );
    assert_eq!(show(&utc, secs(h.next_rollover())), "2024-01-18T00:00:00");
}

#[test]
fn midnight_on_the_wall_clock_across_both_dst_changes() {
    let ny = TimeZone::get("America/New_York").unwrap();
    for (start, days) in [("2024-03-08T12:00", 4), ("2024-11-01T12:00", 4)] {
        let dir = scratch(&format!("dst-{start}"));
        let path = dir.join("app.log");
        let clock = ManualClock::at_unix(local(&ny, start));
        let h = TimedRotatingFileHandler::options(&path)
            .when(When::Midnight)
            .time_zone(ny.clone())
            .clock(clock.clone())
            .open()
            .unwrap();
        let mut rollovers = Vec::new();
        // A record every 20 minutes for four days.
        for _ in 0..days * 72 {
            clock.advance(Duration::from_secs(1200));
            h.emit(&rec(), &format!("{}", secs(clock.now()))).unwrap();
            let next = show(&ny, secs(h.next_rollover()));
            if rollovers.last() != Some(&next) {
                rollovers.push(next);
            }
        }
        assert!(
            rollovers.iter().all(|r| r.ends_with("T00:00:00")),
            "{rollovers:?}"
        );
        // Every backup holds exactly the records of its local day.
        for (name, text) in files(&dir) {
            let Some(day) = name.strip_prefix("app.log.") else {
                continue;
            };
            for line in text.lines() {
                let t: i64 = line.parse().unwrap();
                assert!(show(&ny, t).starts_with(day), "{t} in {name}");
            }
        }
        assert_eq!(names(&dir).len(), days + 1);
    }
}

#[test]
fn a_rollover_never_overwrites_an_existing_file() {
    let dir = scratch("overwrite");
    let path = dir.join("app.log");
    fs::write(dir.join("app.log.2024-01-15"), "precious\n").unwrap();
    fs::write(dir.join("app.log.2024-01-15.1.gz"), "precious too\n").unwrap();
    let clock = ManualClock::at_unix(local(&TimeZone::UTC, "2024-01-15T10:00"));
    let h = TimedRotatingFileHandler::options(&path)
        .when(When::Day)
        .utc(true)
        .clock(clock.clone())
        .open()
        .unwrap();
    h.emit(&rec(), "new").unwrap();
    clock.advance(Duration::from_secs(86_400));
    h.emit(&rec(), "newer").unwrap();
    assert_eq!(
        files(&dir),
        [
            ("app.log".into(), "newer\n".into()),
            ("app.log.2024-01-15".into(), "precious\n".into()),
            ("app.log.2024-01-15.1.gz".into(), "precious too\n".into()),
            ("app.log.2024-01-15.2".into(), "new\n".into()),
        ]
    );
}

#[test]
fn by_size_and_time_in_one_handler() {
    let dir = scratch("size-and-time");
    let path = dir.join("app.log");
    let clock = ManualClock::at_unix(local(&TimeZone::UTC, "2024-01-15T10:00"));
    let h = TimedRotatingFileHandler::options(&path)
        .when(When::Hour)
        .utc(true)
        .max_bytes(25)
        .backup_count(4)
        .clock(clock.clone())
        .open()
        .unwrap();
    for i in 0..5 {
        h.emit(&rec(), &format!("ten-{i}-xxx")).unwrap(); // 10 bytes each
    }
    clock.advance(Duration::from_secs(3600));
    h.emit(&rec(), "eleven").unwrap();
    assert_eq!(
        files(&dir),
        [
            ("app.log".into(), "eleven\n".into()),
            (
                "app.log.2024-01-15_10".into(),
                "ten-0-xxx\nten-1-xxx\n".into()
            ),
            (
                "app.log.2024-01-15_10.1".into(),
                "ten-2-xxx\nten-3-xxx\n".into()
            ),
            ("app.log.2024-01-15_10.2".into(), "ten-4-xxx\n".into()),
        ]
    );
    // backup_count counts the size pieces too: the oldest goes first.
    clock.advance(Duration::from_secs(3600));
    h.emit(&rec(), "twelve").unwrap();
    clock.advance(Duration::from_secs(3600));
    h.emit(&rec(), "thirteen").unwrap();
    assert_eq!(
        names(&dir),
        [
            "app.log",
            "app.log.2024-01-15_10.1",
            "app.log.2024-01-15_10.2",
            "app.log.2024-01-15_11",
            "app.log.2024-01-15_12"
        ]
    );
}

#[test]
fn dated_file_names_and_restart_within_the_interval() {
    let dir = scratch("dated");
    let path = dir.join("app.log");
    let clock = ManualClock::at_unix(local(&TimeZone::UTC, "2024-01-15T10:00"));
    let open = || {
        TimedRotatingFileHandler::options(&path)
            .when(When::Midnight)
            .utc(true)
            .dated(true)
            .max_bytes(30)
            .clock(clock.clone())
            .open()
            .unwrap()
    };
    let h = open();
    assert_eq!(h.current_path(), dir.join("app.log.2024-01-15"));
    h.emit(&rec(), "first run").unwrap();
    drop(h);
    clock.advance(Duration::from_secs(3600));
    let h = open();
    h.emit(&rec(), "second run").unwrap();
    h.emit(&rec(), "second run, more").unwrap(); // over 30 bytes: next piece
    clock.advance(Duration::from_secs(14 * 3600));
    h.emit(&rec(), "next day").unwrap();
    assert_eq!(
        files(&dir),
        [
            (
                "app.log.2024-01-15".into(),
                "first run\nsecond run\n".into()
            ),
            ("app.log.2024-01-15.1".into(), "second run, more\n".into()),
            ("app.log.2024-01-16".into(), "next day\n".into()),
        ]
    );
    assert!(!path.exists(), "nothing is written to the undated name");
}

#[cfg(feature = "gzip")]
#[test]
fn compressed_backups_count_toward_backup_count_and_age() {
    let dir = scratch("timed-gzip");
    let path = dir.join("app.log");
    let clock = ManualClock::at_unix(local(&TimeZone::UTC, "2024-01-15T10:00"));
    let h = TimedRotatingFileHandler::options(&path)
        .when(When::Midnight)
        .utc(true)
        .backup_count(3)
        .compress(Compression::Gzip)
        .clock(clock.clone())
        .open()
        .unwrap();
    for day in 0..6 {
        h.emit(&rec(), &format!("day {day}")).unwrap();
        h.flush().unwrap();
        clock.advance(Duration::from_secs(86_400));
    }
    h.emit(&rec(), "day 6").unwrap();
    h.flush().unwrap();
    assert_eq!(
        names(&dir),
        [
            "app.log",
            "app.log.2024-01-18.gz",
            "app.log.2024-01-19.gz",
            "app.log.2024-01-20.gz"
        ]
    );
    drop(h);
    // Age: the backups were written now (real time); a clock 30 days
    // ahead with a 7-day limit deletes them when the handler opens.
    let later = ManualClock::new(std::time::SystemTime::now() + Duration::from_secs(30 * 86_400));
    let _h = TimedRotatingFileHandler::options(&path)
        .when(When::Midnight)
        .utc(true)
        .max_age(Duration::from_secs(7 * 86_400))
        .clock(later)
        .open()
        .unwrap();
    assert_eq!(names(&dir), ["app.log"]);
}

#[test]
fn weekly_and_at_time() {
    let dir = scratch("weekly");
    let path = dir.join("app.log");
    let utc = TimeZone::UTC;
    // 2024-01-17 is a Wednesday.
    let clock = ManualClock::at_unix(local(&utc, "2024-01-17T12:00"));
    let h = TimedRotatingFileHandler::options(&path)
        .when("w4".parse().unwrap())
        .at_time(6, 30, 0)
        .utc(true)
        .clock(clock.clone())
        .open()
        .unwrap();
    assert_eq!(show(&utc, secs(h.next_rollover())), "2024-01-19T06:30:00");
    h.emit(&rec(), "wednesday").unwrap();
    clock.advance(Duration::from_secs(2 * 86_400));
    h.emit(&rec(), "friday").unwrap();
    assert_eq!(show(&utc, secs(h.next_rollover())), "2024-01-26T06:30:00");
    assert_eq!(names(&dir), ["app.log", "app.log.2024-01-12"]);
}
