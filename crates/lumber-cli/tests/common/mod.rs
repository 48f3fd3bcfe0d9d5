//! What the CLI's test binaries share: running `lumber` with a clean
//! environment, and reading what it printed.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// `lumber args...` with none of lumber's environment variables, in UTC,
/// in `dir` (if given).
pub fn command(dir: Option<&Path>, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lumber"));
    cmd.args(args).env("TZ", "UTC");
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("LUMBER") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// Starts the command with its three streams piped.
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs the command with `stdin` as its input.
pub fn run(mut cmd: Command, stdin: &str) -> Output {
    let mut child = spawn(&mut cmd);
    // The command may exit (bad flags) before reading its input.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Feeds `lumber pipe` (as `cmd`) lines until it stops reading, reads its
/// first line of output (`first`), closes its standard output, and
/// checks that it ends quietly with status 0.
pub fn assert_closed_stdout_ends_pipe_quietly(mut cmd: Command, first: &str) {
    let mut child = spawn(&mut cmd);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for i in 0..200_000 {
            if writeln!(stdin, "line {i}").is_err() {
                break;
            }
        }
    });
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, first);
    drop(reader);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}
