//! `lumber pipe` against CPython 3.11: every case of
//! `tests/golden/cases.json` (made by `scripts/golden.py`) runs the built
//! binary with the case's flags and TZ, feeds it the case's line, and
//! compares standard output byte for byte.
//!
//! `GOLDEN_FILTER=text` runs only the cases whose id contains `text`.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::io::Write;
use std::process::Command;
use std::sync::Mutex;

use serde_json::Value;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/cases.json");

/// Environment variables that would change the output.
const CLEARED: [&str; 5] = [
    "LUMBER_FORMAT",
    "LUMBER_DATEFMT",
    "LUMBER_STYLE",
    "LUMBER_THRESHOLD",
    "LUMBER_CONFIG",
];

struct Case {
    id: String,
    tz: String,
    flags: Vec<String>,
    input: String,
    expected: String,
    python_error: Option<String>,
}

fn load() -> Vec<Case> {
    let text = std::fs::read_to_string(CASES)
        .expect("tests/golden/cases.json (python3 scripts/golden.py)");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let str_of = |v: &Value, key: &str| {
        v[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {v}"))
            .to_owned()
    };
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            id: str_of(c, "id"),
            tz: str_of(c, "tz"),
            flags: c["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_owned())
                .collect(),
            input: str_of(c, "input"),
            expected: str_of(c, "expected"),
            python_error: c
                .get("python_error")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
        .collect()
}

/// Runs one case; `Err` describes the mismatch.
fn run(case: &Case) -> Result<(), String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lumber"));
    cmd.arg("pipe")
        .args(&case.flags)
        .args(["--stream", "stdout"]);
    cmd.env("TZ", &case.tz);
    for var in CLEARED {
        cmd.env_remove(var);
    }
    let mut child = common::spawn(&mut cmd);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(case.input.as_bytes()).unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    if out.stdout != case.expected.as_bytes() {
        problems.push(format!(
            "  expected: {:?}\n  actual:   {:?}",
            case.expected, stdout
        ));
    }
    match &case.python_error {
        None if !out.status.success() || !stderr.is_empty() => {
            problems.push(format!("  status {} with stderr {:?}", out.status, stderr));
        }
        Some(error) if out.status.code() != Some(1) || !stderr.contains("line 1:") => problems.push(format!(
            "  Python fails ({error}): expected status 1 and a report on stderr, got status {} with stderr {:?}",
            out.status, stderr
        )),
        _ => {}
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "case {} (TZ={})\n  flags:    {:?}\n  input:    {}\n{}",
        case.id,
        case.tz,
        case.flags,
        case.input,
        problems.join("\n")
    ))
}

#[test]
fn pipe_prints_what_cpython_prints() {
    let filter = std::env::var("GOLDEN_FILTER").unwrap_or_default();
    let cases: Vec<Case> = load()
        .into_iter()
        .filter(|c| c.id.contains(&filter))
        .collect();
    assert!(!cases.is_empty(), "no golden case matches {filter:?}");
    let failures = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(case) = cases.get(i) else { break };
                    if let Err(report) = run(case) {
                        failures.lock().unwrap().push((i, report));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    if failures.is_empty() {
        println!("{} golden cases passed", cases.len());
        return;
    }
    for (_, report) in &failures {
        eprintln!("{report}\n");
    }
    panic!(
        "{} of {} golden cases differ from CPython (listed above; rerun one with GOLDEN_FILTER=<id>)",
        failures.len(),
        cases.len()
    );
}
