//! Where and when a record was made: the call site and the timestamp.

use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time: seconds and nanoseconds since the Unix epoch.
///
/// ```
/// use lumber::Timestamp;
/// let t = Timestamp::from_f64(1700000000.25);
/// assert_eq!((t.seconds(), t.nanos()), (1700000000, 250_000_000));
/// assert_eq!(t.as_f64(), 1700000000.25);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

impl Timestamp {
    /// The current wall-clock time.
    ///
    /// ```
    /// assert!(lumber::Timestamp::now().seconds() > 1_600_000_000);
    /// ```
    #[inline]
    pub fn now() -> Timestamp {
        #[cfg(unix)]
        {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: `ts` is a valid, writable timespec and CLOCK_REALTIME
            // always exists. This skips `SystemTime`'s conversions, which
            // cost a third of the read on the machines measured.
            #[allow(unsafe_code)]
            let rc = unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
            // The kernel keeps `tv_nsec` below a second: no carry to make
            // (`Timestamp::new`'s division), but checked all the same.
            if rc == 0 && (0..1_000_000_000).contains(&ts.tv_nsec) {
                // `time_t` is narrower than i64 on some targets.
                #[allow(clippy::unnecessary_cast)]
                return Timestamp {
                    secs: ts.tv_sec as i64,
                    nanos: ts.tv_nsec as u32,
                };
            }
        }
        Timestamp::from(SystemTime::now())
    }

    /// A timestamp from parts; `nanos` above 999,999,999 carry into seconds.
    ///
    /// ```
    /// let t = lumber::Timestamp::new(10, 1_500_000_000);
    /// assert_eq!((t.seconds(), t.nanos()), (11, 500_000_000));
    /// ```
    pub const fn new(secs: i64, nanos: u32) -> Timestamp {
        Timestamp {
            secs: secs.saturating_add((nanos / 1_000_000_000) as i64),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// From Python's `created` (float seconds). Round-trips exactly through
    /// [`Timestamp::as_f64`] for every time a float can hold to better than a
    /// microsecond, so records read from Python print the same `created`.
    ///
    /// ```
    /// let c = 1732233333.1234567;
    /// assert_eq!(lumber::Timestamp::from_f64(c).as_f64(), c);
    /// ```
    pub fn from_f64(created: f64) -> Timestamp {
        if !created.is_finite() {
            return Timestamp::default();
        }
        let secs = created.floor();
        let mut nanos = ((created - secs) * 1e9).round();
        let mut secs = secs as i64;
        if nanos >= 1e9 {
            secs = secs.saturating_add(1);
            nanos -= 1e9;
        }
        Timestamp {
            secs,
            nanos: nanos as u32,
        }
    }

    /// Seconds since the epoch as a float, Python's `record.created`.
    ///
    /// ```
    /// assert_eq!(lumber::Timestamp::new(1, 500_000_000).as_f64(), 1.5);
    /// ```
    pub fn as_f64(self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// Whole seconds since the epoch.
    ///
    /// ```
    /// assert_eq!(lumber::Timestamp::new(-2, 0).seconds(), -2);
    /// ```
    pub const fn seconds(self) -> i64 {
        self.secs
    }

    /// Nanoseconds within the second.
    ///
    /// ```
    /// assert_eq!(lumber::Timestamp::new(0, 7).nanos(), 7);
    /// ```
    pub const fn nanos(self) -> u32 {
        self.nanos
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Timestamp {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp::new(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let (secs, nanos) = (d.as_secs() as i64, d.subsec_nanos());
                if nanos == 0 {
                    Timestamp::new(-secs, 0)
                } else {
                    Timestamp::new(-secs - 1, 1_000_000_000 - nanos)
                }
            }
        }
    }
}

/// The function a record was logged from.
///
/// ```
/// use lumber::{Function, Site};
/// let site = Site { function: Function::Name("connect"), ..Site::UNKNOWN };
/// assert_eq!(site.function_name(), Some("connect"));
/// assert_eq!(Site::UNKNOWN.function_name(), None); // Function::Unknown
/// ```
#[derive(Copy, Clone, Debug)]
pub enum Function<'a> {
    /// Not known (Python shows `None`).
    Unknown,
    /// A name, as Python's `funcName`.
    Name(&'a str),
    /// A path from `std::any::type_name` of an item nested in the function,
    /// resolved to a name only when a formatter asks (the macros use this).
    TypePath(fn() -> &'static str),
}

/// Where a record comes from: static metadata of a call site.
///
/// The macros make one `static` per call site; code that builds records by
/// hand (bridges, the `lumber pipe` command) fills it in from its source.
///
/// ```
/// use lumber::{Function, Site};
/// static SITE: Site = Site {
///     module_path: module_path!(),
///     file: "src/net/record.rs",
///     line: line!(),
///     template: "hello",
///     function: Function::Name("main"),
/// };
/// assert_eq!(SITE.filename(), "record.rs");
/// assert_eq!(SITE.module(), "record");
/// ```
#[derive(Copy, Clone, Debug)]
pub struct Site<'a> {
    /// Rust module path (`my_app::db`).
    pub module_path: &'a str,
    /// Source file path, Python's `pathname`.
    pub file: &'a str,
    /// Line number, Python's `lineno`.
    pub line: u32,
    /// The message template before arguments (Python's `msg`).
    pub template: &'a str,
    /// The enclosing function.
    pub function: Function<'a>,
}

impl<'a> Site<'a> {
    /// A site that knows nothing (file `(unknown file)`, line 0), as Python
    /// uses for records made without a caller.
    ///
    /// ```
    /// assert_eq!(lumber::Site::UNKNOWN.line, 0);
    /// ```
    pub const UNKNOWN: Site<'static> = Site {
        module_path: "",
        file: "(unknown file)",
        line: 0,
        template: "",
        function: Function::Unknown,
    };

    /// The file's base name, Python's `filename`.
    ///
    /// ```
    /// let mut s = lumber::Site::UNKNOWN;
    /// s.file = "src/db/pool.rs";
    /// assert_eq!(s.filename(), "pool.rs");
    /// ```
    pub fn filename(&self) -> &'a str {
        match self.file.rfind('/') {
            Some(i) => &self.file[i + 1..],
            None => self.file,
        }
    }

    /// The file's base name without extension, Python's `module`.
    ///
    /// ```
    /// let mut s = lumber::Site::UNKNOWN;
    /// s.file = "src/db/pool.rs";
    /// assert_eq!(s.module(), "pool");
    /// ```
    pub fn module(&self) -> &'a str {
        let name = self.filename();
        // Python's os.path.splitext: a leading dot does not start an extension.
        match name.rfind('.') {
            Some(i) if name[..i].chars().any(|c| c != '.') => &name[..i],
            _ => name,
        }
    }

    /// The enclosing function's name, Python's `funcName`, if known.
    ///
    /// ```
    /// let mut s = lumber::Site::UNKNOWN;
    /// s.function = lumber::Function::Name("run");
    /// assert_eq!(s.function_name(), Some("run"));
    /// ```
    pub fn function_name(&self) -> Option<&'a str> {
        match self.function {
            Function::Unknown => None,
            Function::Name(name) => Some(name),
            Function::TypePath(f) => Some(function_from_type_path(f())),
        }
    }
}

/// `my_app::db::connect::__SITE::__lumber_fn::f` → `connect`; closures keep
/// their enclosing function: `my_app::main::{{closure}}::__SITE::…` →
/// `main::{{closure}}`; trait methods drop the `<T as Trait>` prefix.
fn function_from_type_path(path: &'static str) -> &'static str {
    let path = match path.find("::__SITE::") {
        Some(i) => &path[..i],
        None => path.rsplit_once("::").map_or(path, |(head, _)| head),
    };
    let mut start = 0;
    let mut rest = path;
    while let Some((head, last)) = rest.rsplit_once("::") {
        start = head.len() + 2;
        if !last.starts_with('{') {
            break;
        }
        rest = head;
    }
    &path[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_round_trips_python_floats() {
        for c in [
            0.0,
            1.5,
            1732233333.1234567,
            1700000000.999_999_9,
            1e9 + 0.000_001,
        ] {
            assert_eq!(Timestamp::from_f64(c).as_f64(), c, "{c}");
        }
        assert_eq!(Timestamp::from_f64(-1.5), Timestamp::new(-2, 500_000_000));
    }

    #[test]
    fn function_names_come_from_type_paths() {
        let f = function_from_type_path;
        assert_eq!(f("app::db::connect::__SITE::__lumber_fn::f"), "connect");
        assert_eq!(
            f("app::main::{{closure}}::__SITE::__lumber_fn::f"),
            "main::{{closure}}"
        );
        assert_eq!(f("<app::S as app::T>::tm::__SITE::__lumber_fn::f"), "tm");
        assert_eq!(f("app::S::meth::__SITE::__lumber_fn::f"), "meth");
        assert_eq!(f("main::f"), "main");
        assert_eq!(f("f"), "f");
    }

    #[test]
    fn module_is_file_stem_like_python_splitext() {
        let mut s = Site::UNKNOWN;
        s.file = "/a/b/.hidden";
        assert_eq!(s.module(), ".hidden");
        s.file = "/a/b/c.tar.gz";
        assert_eq!(s.module(), "c.tar");
        s.file = "noext";
        assert_eq!(s.module(), "noext");
    }
}
