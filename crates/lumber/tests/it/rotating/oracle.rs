//! CPython 3.11 as the oracle: the same scenarios through Python's stock
//! handlers (with a fake `time.time`) and through lumber's (with a
//! [`ManualClock`]); rollover times, file names and contents compared.

use std::io::Write;
use std::process::{Command, Stdio};

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use lumber::{ManualClock, RotatingFileHandler, Sink, TimedRotatingFileHandler, When};
use serde_json::{Value, json};

use super::common::{at, files, python3, rec, scratch, secs, set_mtime};

/// The result of one scenario.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    rollovers: Vec<i64>,
    files: Vec<(String, String)>,
}

fn python(scenarios: &[Value]) -> Vec<Run> {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(include_str!("oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(scenarios).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "oracle failed");
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    results
        .into_iter()
        .map(|r| Run {
            rollovers: r["rollovers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap() as i64)
                .collect(),
            files: r["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f[0].as_str().unwrap().to_owned(),
                        f[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect(),
        })
        .collect()
}

/// A small deterministic random sequence.
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Debug, Clone)]
struct TimedCell {
    label: String,
    tz: &'static str,
    when: &'static str,
    interval: u32,
    utc: bool,
    at: Option<(u8, u8, u8)>,
    backup_count: u32,
    mtime: i64,
    events: Vec<f64>,
}

impl TimedCell {
    fn json(&self) -> Value {
        json!({
            "kind": "timed",
            "tz": self.tz,
            "when": self.when,
            "interval": self.interval,
            "utc": self.utc,
            "at": self.at.map(|(h, m, s)| vec![h, m, s]),
            "backup_count": self.backup_count,
            "mtime": self.mtime,
            "events": self.events,
        })
    }

    fn ours(&self, index: usize) -> Run {
        let dir = scratch(&format!("oracle-timed-{index}"));
        let path = dir.join("app.log");
        std::fs::write(&path, "").unwrap();
        set_mtime(&path, at(self.mtime as f64));
        let clock = ManualClock::new(at(self.events[0]));
        let mut options = TimedRotatingFileHandler::options(&path)
            .when(self.when.parse::<When>().unwrap())
            .interval(self.interval)
            .utc(self.utc)
            .time_zone(TimeZone::get(self.tz).unwrap())
            .backup_count(self.backup_count)
            .clock(clock.clone());
        if let Some((h, m, s)) = self.at {
            options = options.at_time(h, m, s);
        }
        let handler = options.open().unwrap();
        let mut rollovers = vec![secs(handler.next_rollover())];
        for (i, &t) in self.events.iter().enumerate() {
            clock.set(at(t));
            handler.emit(&rec(), &format!("e{i}")).unwrap();
            rollovers.push(secs(handler.next_rollover()));
        }
        drop(handler);
        let run = Run {
            rollovers,
            files: files(&dir),
        };
        let _ = std::fs::remove_dir_all(&dir);
        run
    }
}

fn local(tz: &str, civil: &str) -> i64 {
    let dt: DateTime = civil.parse().unwrap();
    TimeZone::get(tz)
        .unwrap()
        .to_ambiguous_timestamp(dt)
        .compatible()
        .unwrap()
        .as_second()
}

const ZONES: [&str; 4] = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"];

fn anchors(tz: &str) -> [(&'static str, &'static str); 3] {
    match tz {
        "Europe/Berlin" => [
            ("jan", "2024-01-15T10:17:23"),
            ("spring", "2024-03-31T01:20:00"),
            ("fall", "2024-10-27T01:40:00"),
        ],
        _ => [
            ("jan", "2024-01-15T10:17:23"),
            ("spring", "2024-03-10T01:20:00"),
            ("fall", "2024-11-03T00:40:00"),
        ],
    }
}

/// `when`, `interval`, `at_time`, and the period that sets the event
/// spacing.
type Config = (&'static str, u32, Option<(u8, u8, u8)>, f64);

fn configs() -> Vec<Config> {
    let day = 86_400.0;
    vec![
        ("S", 1, None, 1.0),
        ("S", 7, None, 7.0),
        ("M", 1, None, 60.0),
        ("M", 5, None, 300.0),
        ("H", 1, None, 3600.0),
        ("H", 3, None, 3.0 * 3600.0),
        ("D", 1, None, day),
        ("D", 2, None, 2.0 * day),
        ("midnight", 1, None, day),
        ("midnight", 1, Some((1, 30, 0)), day),
        ("midnight", 1, Some((2, 30, 0)), day),
        ("midnight", 1, Some((23, 59, 59)), day),
        ("midnight", 1, Some((0, 0, 0)), day),
        ("W0", 1, None, 7.0 * day),
        ("W3", 1, None, 7.0 * day),
        ("W6", 1, None, 7.0 * day),
        ("W6", 1, Some((2, 30, 0)), 7.0 * day),
        ("W0", 1, Some((1, 30, 0)), 7.0 * day),
    ]
}

fn timed_cells() -> Vec<TimedCell> {
    let mut rng = Lcg(0x5eed);
    let mut cells = Vec::new();
    for tz in ZONES {
        for (anchor_name, anchor) in anchors(tz) {
            let anchor = local(tz, anchor) as f64;
            for (when, interval, at_time, period) in configs() {
                for utc in [false, true] {
                    for missed in [false, true] {
                        let count = 24;
                        // Events from a few periods before the anchor to a few after.
                        let (lead, spread) = if when.starts_with('W') {
                            (10.0 * 86_400.0, 2.5 * 86_400.0)
                        } else if when == "midnight" {
                            (2.0 * 86_400.0, 0.45 * 86_400.0)
                        } else {
                            (3.0 * period, 0.5 * period)
                        };
                        let mut t =
                            (anchor - lead).floor() + if rng.unit() < 0.5 { 0.5 } else { 0.0 };
                        let mut events = Vec::with_capacity(count);
                        for _ in 0..count {
                            events.push(t);
                            t += (spread * (0.3 + 1.4 * rng.unit())).max(0.5).round();
                        }
                        let first = events[0];
                        let mtime = if missed {
                            (first - 3.3 * period.max(86_400.0 / 24.0)).floor() as i64
                        } else {
                            (first - rng.unit() * period / 2.0).floor() as i64
                        };
                        let backup_count = if cells.len() % 3 == 0 { 3 } else { 0 };
                        cells.push(TimedCell {
                            label: format!(
                                "{tz} {anchor_name} when={when} interval={interval} at={at_time:?} utc={utc} missed={missed} backups={backup_count}"
                            ),
                            tz,
                            when,
                            interval,
                            utc,
                            at: at_time,
                            backup_count,
                            mtime,
                            events,
                        });
                    }
                }
            }
        }
    }
    cells
}

/// What any correct timed rotation keeps, given the scenario: Python 3.11
/// breaks these across daylight-saving changes (gh-88352: files
/// overwritten; hour-off names; rollovers an hour early or late), which is
/// where lumber departs from it.
fn violations(cell: &TimedCell, run: &Run) -> Vec<String> {
    let mut out = Vec::new();
    let zone = if cell.utc {
        TimeZone::UTC
    } else {
        TimeZone::get(cell.tz).unwrap()
    };
    let local = |t: i64| zone.to_datetime(jiff::Timestamp::from_second(t).unwrap());
    // Every record exactly once (at most once when old files are deleted).
    let mut count = vec![0usize; cell.events.len()];
    let mut first_record: Vec<(String, Option<usize>)> = Vec::new();
    for (name, text) in &run.files {
        let mut first = None;
        for line in text.lines() {
            let i: usize = line.strip_prefix('e').unwrap().parse().unwrap();
            count[i] += 1;
            first.get_or_insert(i);
        }
        if name != "app.log" {
            first_record.push((name.clone(), first));
        }
    }
    for (i, &n) in count.iter().enumerate() {
        if n > 1 || (n == 0 && cell.backup_count == 0) {
            out.push(format!("record e{i} found {n} times"));
        }
    }
    let wall_clock = cell.when == "midnight" || cell.when.starts_with('W');
    if wall_clock {
        // Each rollover at the wall-clock time of day, on the right day.
        let (h, m, s) = cell.at.unwrap_or((0, 0, 0));
        let tod = jiff::civil::time(h as i8, m as i8, s as i8, 0);
        for &r in &run.rollovers {
            let date = local(r).date();
            let expected = zone
                .to_ambiguous_timestamp(date.to_datetime(tod))
                .compatible()
                .unwrap()
                .as_second();
            if expected != r {
                out.push(format!("rollover at {} is not at {tod} local", local(r)));
            }
            if let Some(day) = cell.when.strip_prefix('W') {
                let day: i8 = day.parse().unwrap();
                let want = if cell.at.is_none() {
                    (day + 1) % 7
                } else {
                    day
                };
                if date.weekday().to_monday_zero_offset() != want {
                    out.push(format!("weekly rollover at {} on the wrong day", local(r)));
                }
            }
        }
    } else {
        // Each backup is named after the start of its interval: the first
        // record in it, or for the first file the time it was last written.
        let format = match cell.when {
            "S" => "%Y-%m-%d_%H-%M-%S",
            "M" => "%Y-%m-%d_%H-%M",
            "H" => "%Y-%m-%d_%H",
            _ => "%Y-%m-%d",
        };
        for (name, first) in &first_record {
            let suffix = name.strip_prefix("app.log.").unwrap();
            let suffix = suffix.split('.').next().unwrap();
            // The first file holds what came before the first rollover,
            // which happens before e0 if it was due when the program
            // started.
            let rolled_at_start = cell.events[0].floor() as i64 >= run.rollovers[0];
            let start = match first {
                Some(0) if !rolled_at_start => cell.mtime,
                Some(i) => cell.events[*i].floor() as i64,
                None => cell.mtime,
            };
            let expected = local(start).strftime(format).to_string();
            if suffix != expected {
                out.push(format!(
                    "{name} holds an interval that starts at {expected}"
                ));
            }
        }
    }
    out
}

/// The same scenarios through CPython 3.11 and lumber: 864 combinations
/// of `when` (S, M, H, D with intervals 1 and more; midnight and W0, W3,
/// W6 with and without `at_time`, including times in the skipped and
/// repeated hours), `utc`, four zones (UTC, New York, Berlin, Kolkata),
/// start dates around both daylight-saving changes, a log last written
/// just before or long before the start (rollover missed while not
/// running), and `backup_count` 0 or 3.
///
/// Wherever Python's result is correct, lumber's must be identical
/// (rollover times, file names, contents, deleted files). Where they
/// differ, Python's result must break an invariant (a record lost or
/// duplicated, a rollover off the wall clock, a backup named for a time
/// it does not hold) that lumber's keeps; and that may only happen in
/// local time in a zone with daylight saving.
#[test]
fn timed_rollover_matches_python() {
    if !python3() {
        eprintln!("SKIPPED: python3 is not available; the CPython parity test did not run");
        return;
    }
    let cells = timed_cells();
    let scenarios: Vec<Value> = cells.iter().map(TimedCell::json).collect();
    let theirs = python(&scenarios);
    assert_eq!(theirs.len(), cells.len());
    let mut same = 0;
    let mut python_wrong = Vec::new();
    let mut failures = Vec::new();
    for (i, (cell, py)) in cells.iter().zip(&theirs).enumerate() {
        let ours = cell.ours(i);
        let ours_bad = violations(cell, &ours);
        if !ours_bad.is_empty() {
            failures.push(format!("{}: lumber breaks {ours_bad:?}", cell.label));
        }
        if &ours == py {
            same += 1;
            continue;
        }
        let py_bad = violations(cell, py);
        let dst_zone = !cell.utc && matches!(cell.tz, "America/New_York" | "Europe/Berlin");
        if py_bad.is_empty() || !dst_zone {
            failures.push(format!(
                "{}: differs from CPython, which looks right\n  ours {:?}\n  py   {:?}\n  ours {:?}\n  py   {:?}",
                cell.label,
                ours.rollovers,
                py.rollovers,
                ours.files.iter().map(|f| &f.0).collect::<Vec<_>>(),
                py.files.iter().map(|f| &f.0).collect::<Vec<_>>(),
            ));
        } else {
            python_wrong.push(format!("{}: {}", cell.label, py_bad[0]));
        }
    }
    eprintln!(
        "{same} of {} scenarios identical to CPython 3.11; {} differ where CPython is wrong:",
        cells.len(),
        python_wrong.len()
    );
    for line in &python_wrong {
        eprintln!("  {line}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(same * 10 >= cells.len() * 9, "too few identical scenarios");
}

#[derive(Debug, Clone)]
struct SizeCell {
    label: String,
    max_bytes: u64,
    backup_count: u32,
    initial: Option<String>,
    messages: Vec<String>,
}

impl SizeCell {
    fn json(&self) -> Value {
        let mut v = json!({
            "kind": "size",
            "max_bytes": self.max_bytes,
            "backup_count": self.backup_count,
            "messages": self.messages,
        });
        if let Some(initial) = &self.initial {
            v["initial"] = json!(initial);
        }
        v
    }

    fn ours(&self, index: usize) -> Run {
        let dir = scratch(&format!("oracle-size-{index}"));
        let path = dir.join("app.log");
        if let Some(initial) = &self.initial {
            std::fs::write(&path, initial).unwrap();
        }
        let handler = RotatingFileHandler::new(&path, self.max_bytes, self.backup_count).unwrap();
        for m in &self.messages {
            handler.emit(&rec(), m).unwrap();
        }
        drop(handler);
        let run = Run {
            rollovers: Vec::new(),
            files: files(&dir),
        };
        let _ = std::fs::remove_dir_all(&dir);
        run
    }
}

/// Python's size rotation over 386 scenarios: `max_bytes` from 0 to 300
/// (including sizes smaller than one record), `backup_count` 0 to 5, a log
/// that is missing, empty or already full, and records of 0 to 60
/// characters. Identical to CPython except where CPython 3.11 rolls over
/// an empty file (gh-116263, fixed in 3.12.3/3.13), leaving an empty
/// backup that pushes a real one out; lumber never rolls over an empty
/// file.
#[test]
fn size_rollover_matches_python() {
    if !python3() {
        eprintln!("SKIPPED: python3 is not available; the CPython parity test did not run");
        return;
    }
    let mut rng = Lcg(42);
    let mut cells = Vec::new();
    for max_bytes in [0u64, 1, 10, 64, 100, 300] {
        for backup_count in [0u32, 1, 2, 5] {
            for initial in [
                None,
                Some(String::new()),
                Some("x".repeat(50) + "\n"),
                Some("y".repeat(500) + "\n"),
            ] {
                for round in 0..4 {
                    let messages = (0..30)
                        .map(|i| {
                            let len = (rng.unit() * 60.0) as usize;
                            let body: String = (0..len)
                                .map(|k| (b'a' + ((i + k) % 26) as u8) as char)
                                .collect();
                            format!("m{i}:{body}")
                        })
                        .collect();
                    cells.push(SizeCell {
                        label: format!(
                            "max_bytes={max_bytes} backup_count={backup_count} initial={} round={round}",
                            initial.as_ref().map_or("none".to_owned(), |s: &String| s.len().to_string())
                        ),
                        max_bytes,
                        backup_count,
                        initial: initial.clone(),
                        messages,
                    });
                }
            }
        }
    }
    // A first record larger than max_bytes, on a new and on an empty log.
    for initial in [None, Some(String::new())] {
        cells.push(SizeCell {
            label: format!("big first record, initial={initial:?}"),
            max_bytes: 100,
            backup_count: 5,
            initial,
            messages: vec!["A".repeat(150), "b".into(), "c".into()],
        });
    }
    let scenarios: Vec<Value> = cells.iter().map(SizeCell::json).collect();
    let theirs = python(&scenarios);
    let mut same = 0;
    let mut empty_rollover = 0;
    let mut failures = Vec::new();
    for (i, (cell, py)) in cells.iter().zip(&theirs).enumerate() {
        let ours = cell.ours(i);
        // lumber: no empty backups, every file but the last record's below
        // max_bytes unless it holds one record, records in order.
        let mut all = String::new();
        let mut names: Vec<&(String, String)> = ours.files.iter().collect();
        names.sort_by_key(|(n, _)| {
            std::cmp::Reverse(
                n.strip_prefix("app.log.")
                    .map_or(0, |k| k.parse::<u32>().unwrap()),
            )
        });
        for (name, text) in &names {
            if name != "app.log" {
                if text.is_empty() {
                    failures.push(format!("{}: empty backup {name}", cell.label));
                }
                if cell.max_bytes > 0
                    && text.len() as u64 >= cell.max_bytes
                    && text.lines().count() > 1
                {
                    failures.push(format!("{}: {name} is too big", cell.label));
                }
            }
            all.push_str(text);
        }
        if cell.backup_count == 0 || cell.max_bytes == 0 {
            let expected: String = cell.initial.clone().unwrap_or_default()
                + &cell
                    .messages
                    .iter()
                    .map(|m| format!("{m}\n"))
                    .collect::<String>();
            if all != expected {
                failures.push(format!("{}: records lost or reordered", cell.label));
            }
        }
        if &ours == py {
            same += 1;
        } else if py.files.iter().any(|(n, t)| n != "app.log" && t.is_empty()) {
            empty_rollover += 1;
        } else {
            failures.push(format!(
                "{}: differs from CPython\n  ours {:?}\n  py   {:?}",
                cell.label, ours.files, py.files
            ));
        }
    }
    eprintln!(
        "{same} of {} size scenarios identical to CPython 3.11; {empty_rollover} differ where CPython rolled over an empty file",
        cells.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        same + 2 >= cells.len(),
        "only the two big-first-record cases may differ"
    );
    assert_eq!(empty_rollover, 2);
}
