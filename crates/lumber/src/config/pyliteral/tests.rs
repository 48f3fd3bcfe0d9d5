//! Tests of the Python literal reader, some against CPython's `ast.literal_eval`.

use super::*;

/// The literal as JSON (positions dropped).
fn json(text: &str) -> serde_json::Value {
    let node = parse_literal(text, |o| Some(Pos::at_offset(text, o)))
        .unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
    serde_json::from_str(&node.to_json()).unwrap()
}

/// `(offset, message)` of every problem.
fn errors(text: &str) -> Vec<(usize, String)> {
    let e = parse_literal(text, |_| None).expect_err(text);
    e.into_iter().map(|e| (e.offset, e.message)).collect()
}

#[test]
fn every_kind_of_literal() {
    use serde_json::json as j;
    let cases = [
        (
            "('app.log', 'a', 1024, 3.5, True, None)",
            j!(["app.log", "a", 1024, 3.5, true, null]),
        ),
        ("'a', -1", j!(["a", -1])),
        ("()", j!([])),
        ("('x',)", j!(["x"])),
        ("('x')", j!("x")),
        ("[1, [2, (3,)],]", j!([1, [2, [3]]])),
        (
            "{'a': 1, 2: 'b', 1.5: {}, 'a': 3}",
            j!({"a": 3, "2": "b", "1.5": {}}),
        ),
        ("0x_1F + 0", j!(null)),
        (
            "0o17, 0b101, 1_000, -0x10, +-+5",
            j!([15, 5, 1000, -16, -5]),
        ),
        ("-9223372036854775808", j!(i64::MIN)),
        (
            "1., .5, 1e3, 1.e-2, 2_5.0_1E+1",
            j!([1.0, 0.5, 1000.0, 0.01, 250.1]),
        ),
        (
            r#"'a' "b" '''c''' """d""" r'\n' u'e' B'f' Rb'\x'"#,
            j!(null),
        ),
        (r#"'a' "b" '''c''' """d""" r'\n' u'e'"#, j!("abcd\\ne")),
        (r"b'\x41\101' rb'\x'", j!("AA\\x")),
        (
            r"'\x41\101\u00e9\U0001F600\t\\\'\q\
z'",
            j!("AAé😀\t\\'\\qz"),
        ),
        ("'''two\nlines'''", j!("two\nlines")),
        (
            "(sys.stdout, sys.stderr, logging.DEBUG, WARN)",
            j!(["ext://sys.stdout", "ext://sys.stderr", 10, 30]),
        ),
        (
            "(handlers.SYSLOG_UDP_PORT, logging.handlers.SysLogHandler.LOG_LOCAL3, handlers.SysLogHandler.LOG_ERR)",
            j!([514, 19, 3]),
        ),
        (
            "(socket.SOCK_DGRAM, tuple(), list(), dict(), dict(a=1, b='x'))",
            j!(["ext://socket.SOCK_DGRAM", [], [], {}, {"a": 1, "b": "x"}]),
        ),
        ("(1,\n 2)  # comment", j!([1, 2])),
        ("\n('a',)\n", j!(["a"])),
    ];
    for (text, want) in cases {
        if want.is_null() {
            assert!(
                parse_literal(text, |_| None).is_err(),
                "{text:?} should fail"
            );
        } else {
            assert_eq!(json(text), want, "{text:?}");
        }
    }
}

#[test]
fn positions_of_items() {
    let text = "('a',\n  {'k': [1]})";
    let node = parse_literal(text, |o| Some(Pos::at_offset(text, o))).unwrap();
    assert_eq!(node.pos, Some(Pos::new(1, 1)));
    let items = node.items().unwrap();
    assert_eq!(items[0].pos, Some(Pos::new(1, 2)));
    assert_eq!(items[1].pos, Some(Pos::new(2, 3)));
    let (key, value) = &items[1].entries().unwrap()[0];
    assert_eq!((key.name.as_str(), key.pos), ("k", Some(Pos::new(2, 4))));
    assert_eq!(value.items().unwrap()[0].pos, Some(Pos::new(2, 10)));
}

#[test]
fn code_is_reported_with_its_text() {
    let e = parse_literal(r#"('a', os.getenv("X"), 1 + 2, [f'{x}'])"#, |_| None).unwrap_err();
    let got: Vec<(usize, &str, bool)> = e
        .iter()
        .map(|e| (e.offset, e.message.as_str(), e.code))
        .collect();
    assert_eq!(
        got,
        [
            (6, r#"not a literal: os.getenv("X")"#, true),
            (22, "not a literal: 1 + 2", true),
            (30, "not a literal: f'{x}'", true),
        ]
    );
    assert_eq!(
        errors("[foo()] + x"),
        [(0, "not a literal: [foo()] + x".into())]
    );
    assert_eq!(
        errors("{'a': lambda x: x}"),
        [(6, "not a literal: lambda x: x".into())]
    );
    assert_eq!(
        errors("[x for x in y]"),
        [(1, "not a literal: x for x in y".into())]
    );
    assert_eq!(
        errors("sys.stbout"),
        [(0, "not a literal: sys.stbout".into())]
    );
    assert_eq!(errors("{**d}"), [(1, "not a literal: **d".into())]);
}

#[test]
fn syntax_errors() {
    let cases = [
        ("('a'", 0, "`(` is never closed"),
        ("{'a': 1", 0, "`{` is never closed"),
        ("[1, (2, f(3)", 4, "`(` is never closed"),
        ("[1, f(2", 5, "`(` is never closed"),
        ("'abc", 0, "unterminated string literal"),
        ("(1, 2))", 6, "invalid syntax at \")\""),
        (
            "01",
            0,
            "leading zeros in decimal integer literals are not permitted (0o... is octal)",
        ),
        ("1__0", 0, "invalid number literal"),
        ("1abc", 0, "invalid number literal"),
        (
            "99999999999999999999",
            0,
            "integer out of range (lumber keeps integers in 64 bits)",
        ),
        ("1j", 0, "complex numbers are not supported"),
        (r"'\x4'", 1, "truncated \\x escape: expected 2 hex digits"),
        (
            r"'\ud800'",
            1,
            "\\u escape is not a Unicode scalar value (surrogates are not supported)",
        ),
        (
            r"'\N{BULLET}'",
            1,
            "\\N{...} escapes are not supported: write the character",
        ),
        ("'a' b'b'", 4, "cannot mix bytes and nonbytes literals"),
        (
            "{1, 2}",
            1,
            "sets are not supported (write a list or a tuple)",
        ),
        ("{(1,): 2}", 1, "a dict key must be a string or a number"),
        ("'a',\n'b'", 5, "invalid syntax at \"'b'\""),
        ("1 +\n2", 4, "invalid syntax at \"2\""),
        ("-", 1, "unexpected end of the value"),
        ("", 0, "expected a value"),
        ("[1, 2", 0, "`[` is never closed"),
        ("1 ; 2", 2, "invalid character ';'"),
    ];
    for (text, offset, message) in cases {
        assert_eq!(errors(text), [(offset, message.to_owned())], "{text:?}");
    }
}

/// The same strings through `ast.literal_eval`: the same values, and
/// the same refusals.
#[test]
fn agrees_with_python_literal_eval() {
    let accepted = [
        "1",
        "-1",
        "+1",
        "0",
        "00",
        "0x_ff",
        "0o17",
        "0B1010",
        "1_000_000",
        "-0x10",
        "9223372036854775807",
        "-9223372036854775808",
        "1.5",
        "1.",
        ".5",
        "1e3",
        "1.e5",
        "1E-3",
        "-2.5e+2",
        "1_0.0_1",
        "0.000001",
        "'a'",
        "\"b\"",
        "'''x\ny'''",
        "\"\"\"q\"\"\"",
        r"r'\n'",
        "b'abc'",
        "u'x'",
        "'a' 'b'",
        "'a' \\\n 'b'",
        r"'\x41\101\u00e9\U0001F600'",
        r#"'\a\b\f\n\r\t\v\\\'\"'"#,
        r"'\q\8'",
        r"'\777'",
        "'é'",
        r"b'\x41'",
        "R'x'",
        r"Rb'\x'",
        "BR'x'",
        "True",
        "False",
        "None",
        "()",
        "(1,)",
        "(1, 2)",
        "1, 2",
        "1,",
        "[]",
        "[1, [2, (3,)]]",
        "{}",
        "{'a': 1, 2: 'b'}",
        "{'a': {'b': [1, 2.5, None]}}",
        "('a')",
        "(('a'))",
        "['x',]",
        "{'k': 'v',}",
        "(1,\n 2)",
        "{'a': 1, 'a': 2}",
        "('log', 'a', 10485760, 5, 'utf-8')",
    ];
    let refused = [
        "os.getenv('X')",
        "1 + 2",
        "foo",
        "[x for x in y]",
        "lambda: 1",
        "f'x'",
        "'a' + 'b'",
        "x.y",
        "(1, foo())",
        "1 if 2 else 3",
        "01",
        "'abc",
        "(1",
        "1 2",
        "{**d}",
        "'a' b'b'",
        "",
    ];
    let script = "import ast, json, sys\n\
            def conv(v):\n\
            \x20   if isinstance(v, (tuple, list)): return [conv(x) for x in v]\n\
            \x20   if isinstance(v, dict): return {str(k): conv(x) for k, x in v.items()}\n\
            \x20   if isinstance(v, bytes): return v.decode()\n\
            \x20   return v\n\
            for s in json.load(sys.stdin):\n\
            \x20   try: print(json.dumps([conv(ast.literal_eval(s))]))\n\
            \x20   except Exception: print('[]')\n";
    let all: Vec<&str> = accepted.iter().chain(&refused).copied().collect();
    let run = std::process::Command::new("python3")
        .args(["-W", "ignore", "-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = run else {
        eprintln!("SKIPPED agrees_with_python_literal_eval: python3 is not available");
        return;
    };
    let input = serde_json::to_string(&all).unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(
        lines.len(),
        all.len(),
        "python3 said: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (text, line) in all.iter().zip(lines) {
        let python: Vec<serde_json::Value> = serde_json::from_str(line).unwrap();
        if accepted.contains(text) {
            assert_eq!(python.len(), 1, "python refused {text:?}");
            assert_eq!(json(text), python[0], "{text:?}");
        } else {
            assert!(python.is_empty(), "python accepted {text:?}");
            assert!(
                parse_literal(text, |_| None).is_err(),
                "lumber accepted {text:?}"
            );
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let ok = format!("{}1{}", "(".repeat(50), ")".repeat(50));
    assert!(parse_literal(&ok, |_| None).is_ok());
    let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let errors = parse_literal(&deep, |_| None).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("nested more than 100 deep")),
        "{errors:?}"
    );
}
