//! The logging macros. The level is checked before anything else: when it
//! is off, no argument is evaluated, nothing is formatted or allocated.
//!
//! Grammar, for every macro:
//!
//! ```text
//! info!([logger: LOGGER,] [error: ERR,] [stack_info: BOOL,] [KEY = VALUE, ...;] "format", args...)
//! ```
//!
//! - without `logger:`, the logger is the one named after the calling
//!   module (`my_app::db` → `my_app.db`);
//! - `KEY = VALUE` fields end with `;` (as in the `log` crate) or `,` (as
//!   in `tracing`); `KEY = %VALUE` records it with `Display`,
//!   `KEY = ?VALUE` with `Debug`;
//! - `error: ERR` attaches an error, rendered with its `source()` chain.

/// Logs at a level given at run time: `log!(Level::INFO, "...")`, or with
/// an explicit logger: `log!(logger: l, level, "...")`.
///
/// ```
/// use lumber::{log, Level, get_logger};
/// log!(Level::WARNING, "disk {}% full", 91);
/// let db = get_logger("app.db");
/// log!(logger: db, Level::new(25), user = 7; "custom level");
/// ```
#[macro_export]
macro_rules! log {
    (logger: $logger:expr, $level:expr, $($rest:tt)+) => {
        $crate::__lumber_parse!(($logger) ($level) (::core::option::Option::None) (false) [] $($rest)+)
    };
    ($level:expr, $($rest:tt)+) => {
        $crate::__lumber_parse!(
            ({
                static __LUMBER_LOGGER: $crate::__private::LazyLogger =
                    $crate::__private::LazyLogger::new(::core::module_path!());
                __LUMBER_LOGGER.get()
            })
            ($level) (::core::option::Option::None) (false) [] $($rest)+
        )
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __lumber_parse {
    // error: ERR,
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] error: $err:expr, $($rest:tt)+) => {
        $crate::__lumber_parse!(($l) ($lv)
            (::core::option::Option::Some({ use $crate::__private::AsError as _; ($err).as_dyn_error() }))
            ($s) [$($f)*] $($rest)+)
    };
    // stack_info: BOOL,
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] stack_info: $st:expr, $($rest:tt)+) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($st) [$($f)*] $($rest)+)
    };
    // key = %value / ?value / value, then `,` or `;`
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] $k:ident = % $v:expr $(, $($rest:tt)+)?) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($s)
            [$($f)* (::core::stringify!($k), $crate::Value::Display(&$v)),] $($($rest)+)?)
    };
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] $k:ident = % $v:expr; $($rest:tt)+) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($s)
            [$($f)* (::core::stringify!($k), $crate::Value::Display(&$v)),] $($rest)+)
    };
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] $k:ident = ? $v:expr $(, $($rest:tt)+)?) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($s)
            [$($f)* (::core::stringify!($k), $crate::Value::Debug(&$v)),] $($($rest)+)?)
    };
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] $k:ident = ? $v:expr; $($rest:tt)+) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($s)
            [$($f)* (::core::stringify!($k), $crate::Value::Debug(&$v)),] $($rest)+)
    };
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] $k:ident = $v:expr $(, $($rest:tt)+)?) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($s)
            [$($f)* (::core::stringify!($k), $crate::ToValue::to_value(&$v)),] $($($rest)+)?)
    };
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] $k:ident = $v:expr; $($rest:tt)+) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($s)
            [$($f)* (::core::stringify!($k), $crate::ToValue::to_value(&$v)),] $($rest)+)
    };
    // the message
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)*] $fmt:literal $($args:tt)*) => {{
        let __lumber_level: $crate::Level = $lv;
        if __lumber_level >= $crate::STATIC_MIN_LEVEL {
            let __lumber_logger = &$l;
            if $crate::__private::AsLogger::as_logger(__lumber_logger).is_enabled_for(__lumber_level) {
                static __SITE: $crate::Site<'static> = $crate::Site {
                    module_path: ::core::module_path!(),
                    file: ::core::file!(),
                    line: ::core::line!(),
                    template: $fmt,
                    function: $crate::Function::TypePath({
                        fn __lumber_fn() -> &'static str {
                            fn f() {}
                            ::core::any::type_name_of_val(&f)
                        }
                        __lumber_fn
                    }),
                };
                // The fast path: arguments encoded by value for a listener
                // thread to format; otherwise the record is handled here.
                let __lumber_deferred = match $crate::__private::AsLogger::as_logger(__lumber_logger).fast_path() {
                    ::core::option::Option::Some(__lumber_fast) => $crate::__private::defer(
                        __lumber_fast,
                        __lumber_logger,
                        __lumber_level,
                        &__SITE,
                        |__lumber_w: &mut $crate::__private::Writer<'_>| {
                            $crate::__private::encode_message!(__lumber_w, $crate, $fmt $($args)*)
                        },
                        &[$($f)*],
                        $e,
                        $s,
                    ),
                    ::core::option::Option::None => false,
                };
                if !__lumber_deferred {
                    $crate::__private::sync_message!(
                        (__lumber_message)
                        ({
                            $crate::__private::log(
                                __lumber_logger,
                                __lumber_level,
                                &__SITE,
                                __lumber_message,
                                &[$($f)*],
                                $e,
                                $s,
                            )
                        }),
                        $crate,
                        $fmt $($args)*
                    );
                }
            }
        }
    }};
    // fields only, no message (`info!(user = 1)`): an empty message
    (($l:expr) ($lv:expr) ($e:expr) ($s:expr) [$($f:tt)+]) => {
        $crate::__lumber_parse!(($l) ($lv) ($e) ($s) [$($f)+] "")
    };
}

macro_rules! level_macro {
    ($(#[$doc:meta])* $name:ident, $level:ident, $d:tt) => {
        $(#[$doc])*
        #[macro_export]
        macro_rules! $name {
            (logger: $d logger:expr, $d($d rest:tt)+) => {
                $crate::log!(logger: $d logger, $crate::Level::$level, $d($d rest)+)
            };
            ($d($d rest:tt)+) => {
                $crate::log!($crate::Level::$level, $d($d rest)+)
            };
        }
    };
}

level_macro!(
    /// Logs at TRACE (5).
    ///
    /// ```
    /// lumber::trace!(bytes = 512; "read chunk");
    /// ```
    trace, TRACE, $
);
level_macro!(
    /// Logs at DEBUG (10).
    ///
    /// ```
    /// lumber::debug!("cache size {}", 10);
    /// ```
    debug, DEBUG, $
);
level_macro!(
    /// Logs at INFO (20).
    ///
    /// ```
    /// let db = lumber::get_logger("app.db");
    /// lumber::info!(logger: db, user = 42, "connected in {} ms", 3);
    /// ```
    info, INFO, $
);
level_macro!(
    /// Logs at WARNING (30).
    ///
    /// ```
    /// lumber::warning!("disk {}% full", 91);
    /// ```
    warning, WARNING, $
);
level_macro!(
    /// Logs at WARNING (30); the same as [`warning!`].
    ///
    /// ```
    /// lumber::warn!("retrying");
    /// ```
    warn, WARNING, $
);
level_macro!(
    /// Logs at ERROR (40).
    ///
    /// ```
    /// let e = std::io::Error::other("refused");
    /// lumber::error!(error: e, "connect failed");
    /// ```
    error, ERROR, $
);
level_macro!(
    /// Logs at CRITICAL (50).
    ///
    /// ```
    /// lumber::critical!("out of memory");
    /// ```
    critical, CRITICAL, $
);

/// Logs an error with its whole `source()` chain at ERROR, like Python's
/// `logger.exception`: the first argument is the error.
///
/// ```
/// let e = std::io::Error::other("no route to host");
/// lumber::exception!(e, "upload of {} failed", "a.bin");
/// let db = lumber::get_logger("app.db");
/// lumber::exception!(logger: db, e, "query failed");
/// ```
#[macro_export]
macro_rules! exception {
    (logger: $logger:expr, $err:expr, $($rest:tt)+) => {
        $crate::log!(logger: $logger, $crate::Level::ERROR, error: $err, $($rest)+)
    };
    ($err:expr, $($rest:tt)+) => {
        $crate::log!($crate::Level::ERROR, error: $err, $($rest)+)
    };
}
