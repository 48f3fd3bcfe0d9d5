//! WatchedFileHandler: logrotate moves or deletes the file.

use std::fs;

use lumber::{Sink, WatchedFileHandler};

use super::common::{files, rec, scratch};

#[test]
fn reopens_after_a_move_and_after_a_delete() {
    let dir = scratch("watched");
    let path = dir.join("app.log");
    let h = WatchedFileHandler::new(&path).unwrap();
    h.emit(&rec(), "one").unwrap();
    fs::rename(&path, dir.join("app.log.1")).unwrap();
    h.emit(&rec(), "two").unwrap();
    fs::remove_file(&path).unwrap();
    h.emit(&rec(), "three").unwrap();
    h.emit(&rec(), "four").unwrap();
    assert_eq!(
        files(&dir),
        [
            ("app.log".into(), "three\nfour\n".into()),
            ("app.log.1".into(), "one\n".into())
        ]
    );
    // Replaced by another file under the same name (copy, then rename).
    fs::write(dir.join("new"), "fresh\n").unwrap();
    fs::rename(dir.join("new"), &path).unwrap();
    h.emit(&rec(), "five").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "fresh\nfive\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::remove_file(&path).unwrap();
        h.emit(&rec(), "six").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}

#[test]
fn many_threads_while_files_move() {
    let dir = scratch("watched-threads");
    let path = dir.join("app.log");
    let h = std::sync::Arc::new(WatchedFileHandler::new(&path).unwrap());
    let writers: Vec<_> = (0..4)
        .map(|t| {
            let h = h.clone();
            std::thread::spawn(move || {
                for i in 0..2000 {
                    h.emit(&rec(), &format!("t{t} r{i}")).unwrap();
                }
            })
        })
        .collect();
    for k in 1..=20 {
        let _ = fs::rename(&path, dir.join(format!("app.log.{k}")));
        std::thread::yield_now();
    }
    for w in writers {
        w.join().unwrap();
    }
    let mut seen = std::collections::HashSet::new();
    for (_, text) in files(&dir) {
        assert!(text.is_empty() || text.ends_with('\n'));
        for line in text.lines() {
            assert!(seen.insert(line.to_owned()), "{line} twice");
        }
    }
    assert_eq!(seen.len(), 8000);
}
