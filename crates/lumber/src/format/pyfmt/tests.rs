//! Expectations printed by CPython 3.11 on Linux/glibc.

//! Literal expectations produced by CPython 3.11 (`'!'` marks an exception's text).

use super::spec::grouped_len;
use super::*;

/// Parses the Python literal the oracle printed for a value (`repr()`-style; `inf`,
/// `-inf` and `nan` stand for the floats).
struct Lit<'a>(std::iter::Peekable<std::str::Chars<'a>>);

impl Lit<'_> {
    fn value(&mut self) -> PyValue {
        while self.0.next_if_eq(&' ').is_some() {}
        match self.0.peek().copied() {
            Some('[') => PyValue::List(self.items(']').0),
            Some('(') => match self.items(')') {
                (items, false) if items.len() == 1 => items.into_iter().next().unwrap(),
                (items, _) => PyValue::Tuple(items),
            },
            Some('{') => {
                self.0.next();
                let mut entries = Vec::new();
                while self.0.next_if_eq(&'}').is_none() {
                    let PyValue::Str(key) = self.value() else {
                        panic!("dict key")
                    };
                    assert_eq!(self.0.next(), Some(':'));
                    entries.push((key, self.value()));
                    self.0.next_if_eq(&',');
                    while self.0.next_if_eq(&' ').is_some() {}
                }
                PyValue::Dict(entries)
            }
            Some(quote @ ('\'' | '"')) => {
                self.0.next();
                let mut s = String::new();
                loop {
                    match self.0.next().unwrap() {
                        c if c == quote => break PyValue::Str(s),
                        '\\' => s.push(self.escape()),
                        c => s.push(c),
                    }
                }
            }
            _ => {
                let mut word = String::new();
                while let Some(c) = self.0.next_if(|c| !",)]}: ".contains(*c)) {
                    word.push(c);
                }
                match word.as_str() {
                    "None" => PyValue::None,
                    "True" => PyValue::Bool(true),
                    "False" => PyValue::Bool(false),
                    "inf" => PyValue::Float(f64::INFINITY),
                    "-inf" => PyValue::Float(f64::NEG_INFINITY),
                    "nan" => PyValue::Float(f64::NAN),
                    w if w.contains(['.', 'e']) => PyValue::Float(w.parse().unwrap()),
                    w => PyValue::Int(w.parse().unwrap()),
                }
            }
        }
    }

    /// The items of a list or tuple, and whether a comma followed the last one.
    fn items(&mut self, close: char) -> (Vec<PyValue>, bool) {
        self.0.next();
        let (mut items, mut comma) = (Vec::new(), false);
        while self.0.next_if_eq(&close).is_none() {
            items.push(self.value());
            comma = self.0.next_if_eq(&',').is_some();
            while self.0.next_if_eq(&' ').is_some() {}
        }
        (items, comma)
    }

    fn escape(&mut self) -> char {
        let n = match self.0.next().unwrap() {
            'n' => return '\n',
            't' => return '\t',
            'r' => return '\r',
            'x' => 2,
            'u' => 4,
            'U' => 8,
            c => return c,
        };
        let digits: String = (0..n).map(|_| self.0.next().unwrap()).collect();
        char::from_u32(u32::from_str_radix(&digits, 16).unwrap()).unwrap()
    }
}

fn lit(src: &str) -> PyValue {
    Lit(src.chars().peekable()).value()
}

fn shown(r: Result<String, PyFmtError>) -> String {
    r.unwrap_or_else(|e| format!("!{e}"))
}

fn check_pct(cases: &[(&str, &str, &str)]) {
    for &(msg, args, want) in cases {
        assert_eq!(
            shown(percent_format(msg, &lit(args))),
            want,
            "{msg:?} % {args}"
        );
    }
}

fn check_fmt(cases: &[(&str, &str, &str)]) {
    for &(spec, value, want) in cases {
        let got = FormatSpec::parse(spec).and_then(|s| {
            let mut out = String::new();
            s.write_value(&mut out, &lit(value)).map(|()| out)
        });
        assert_eq!(shown(got), want, "format({value}, {spec:?})");
    }
}

fn check_repr(cases: &[(&str, &str)]) {
    for &(value, want) in cases {
        let mut out = String::new();
        py_repr(&mut out, &lit(value));
        assert_eq!(out, want, "repr({value})");
    }
}

fn check_str_repr(cases: &[(&str, &str, &str)]) {
    for &(value, want_str, want_repr) in cases {
        let (mut s, mut r) = (String::new(), String::new());
        py_str(&mut s, &lit(value));
        py_repr(&mut r, &lit(value));
        assert_eq!((s.as_str(), r.as_str()), (want_str, want_repr), "{value}");
    }
}

/// PercentSpec::parse reports the bytes it used, validates the conversion, refuses `*`.
#[test]
fn percent_spec_parse_consumes_spec_and_rejects_star() {
    let (spec, used) = PercentSpec::parse("-8s|rest").unwrap();
    assert_eq!(used, 3);
    assert!(spec.left && spec.width == Some(8) && spec.conv == 's');
    let (spec, used) = PercentSpec::parse("#+012.3lX").unwrap();
    assert_eq!(used, 9);
    assert!(spec.alt && spec.plus && spec.zero && !spec.space);
    assert_eq!(
        (spec.width, spec.precision, spec.conv),
        (Some(12), Some(3), 'X')
    );
    assert_eq!(PercentSpec::parse("%").unwrap().1, 1);
    let error = |s: &str| PercentSpec::parse(s).unwrap_err().0;
    assert_eq!(error("5%"), "unsupported format character '%' (0x25)");
    assert_eq!(error("q"), "unsupported format character 'q' (0x71)");
    assert_eq!(error(".3é"), "unsupported format character '?' (0xe9)");
    assert_eq!(error("-5"), "incomplete format");
    assert_eq!(error(""), "incomplete format");
    assert!(error("*d").contains('*'));
    assert_eq!(error("99999999999999999999d"), "width too big");
}

/// The typed writers of PercentSpec give the results and errors of `'%..' % (v,)`.
#[test]
fn percent_spec_typed_writers_match_python() {
    let spec = |s: &str| PercentSpec::parse(s).unwrap().0;
    let mut out = String::new();
    spec("-6s").write_str(&mut out, "é").unwrap();
    spec("%").write_int(&mut out, 5).unwrap();
    spec("05.1f").write_int(&mut out, 7).unwrap();
    spec("c").write_int(&mut out, 0x263A).unwrap();
    spec("r").write_float(&mut out, 1e16).unwrap();
    spec("#x").write_int(&mut out, 255).unwrap();
    spec("d").write_float(&mut out, -2.9).unwrap();
    assert_eq!(out, "é     %007.0☺1e+160xff-2");
    let error = |s: &str, v: &PyValue| spec(s).write_value(&mut String::new(), v).unwrap_err().0;
    let text = PyValue::Str("x".into());
    assert_eq!(
        error("d", &text),
        "%d format: a real number is required, not str"
    );
    assert_eq!(
        error("X", &text),
        "%X format: an integer is required, not str"
    );
    assert_eq!(
        error("g", &PyValue::None),
        "must be real number, not NoneType"
    );
    assert_eq!(
        error("o", &PyValue::Float(1.0)),
        "%o format: an integer is required, not float"
    );
    assert_eq!(error("c", &PyValue::Float(1.0)), "%c requires int or char");
}

/// FormatSpec::parse splits the mini-language into its fields.
#[test]
fn format_spec_parse_fills_every_field() {
    let spec = FormatSpec::parse("*^+z#10_.3e").unwrap();
    let want = FormatSpec {
        fill: Some('*'),
        align: Some('^'),
        sign: Some('+'),
        no_neg_zero: true,
        alternate: true,
        zero: false,
        width: Some(10),
        grouping: Some('_'),
        precision: Some(3),
        ty: Some('e'),
    };
    assert_eq!(spec, want);
    let zero = FormatSpec::parse("012,").unwrap();
    assert!(zero.zero && zero.fill.is_none() && zero.width == Some(12));
    assert_eq!(
        FormatSpec::parse("abc").unwrap_err().0,
        "Invalid format specifier 'abc'"
    );
}

/// The closed form of grouped_len agrees with CPython's group-by-group loop.
#[test]
fn grouping_closed_form_matches_cpython_loop() {
    for g in [3, 4] {
        for n in 1..12 {
            for min_width in -3..40 {
                let (mut remaining, mut width, mut count, mut digits) = (n, min_width.max(0), 0, 0);
                loop {
                    let len = g.min(remaining.max(width).max(1));
                    let chars = remaining.min(len).max(0);
                    count += i64::from(digits > 0) + len;
                    digits += len;
                    remaining -= chars;
                    width -= len;
                    if remaining <= 0 && width <= 0 {
                        break;
                    }
                    width -= 1;
                }
                assert_eq!(grouped_len(n, min_width, Some((g, ','))), (digits, count));
            }
        }
    }
}

/// A width too large to allocate is Python's MemoryError rather than an abort.
#[test]
fn huge_widths_are_memory_errors() {
    let huge = PyValue::Tuple(vec![PyValue::Int(1 << 62), PyValue::Int(1)]);
    assert_eq!(percent_format("%*d", &huge).unwrap_err().0, "MemoryError");
    for spec in [
        "4611686018427387904",
        "04611686018427387904,",
        ">4611686018427387904",
    ] {
        let err = FormatSpec::parse(spec)
            .unwrap()
            .write_int(&mut String::new(), 5);
        assert_eq!(err.unwrap_err().0, "MemoryError");
    }
}

/// repr(float): shortest digits, positional between 1e-4 and 1e16.
#[test]
#[rustfmt::skip]
fn repr_of_floats_matches_python() {
    check_repr(&[
        ("0.0", "0.0"),
        ("-0.0", "-0.0"),
        ("1.0", "1.0"),
        ("-1.5", "-1.5"),
        ("0.1", "0.1"),
        ("0.30000000000000004", "0.30000000000000004"),
        ("0.3333333333333333", "0.3333333333333333"),
        ("0.6666666666666666", "0.6666666666666666"),
        ("1e+16", "1e+16"),
        ("1000000000000000.0", "1000000000000000.0"),
        ("9999999999999998.0", "9999999999999998.0"),
        ("1e+17", "1e+17"),
        ("1.2345678901234568e+17", "1.2345678901234568e+17"),
        ("0.0001", "0.0001"),
        ("1e-05", "1e-05"),
        ("0.00012345", "0.00012345"),
        ("1.5e-05", "1.5e-05"),
        ("5e-324", "5e-324"),
        ("2.2250738585072014e-308", "2.2250738585072014e-308"),
        ("1.7976931348623157e+308", "1.7976931348623157e+308"),
        ("1e+22", "1e+22"),
        ("1e+23", "1e+23"),
        ("100.0", "100.0"),
        ("12345.678", "12345.678"),
        ("inf", "inf"),
        ("-inf", "-inf"),
        ("nan", "nan"),
        ("9007199254740992.0", "9007199254740992.0"),
        ("9.223372036854776e+18", "9.223372036854776e+18"),
        ("0.5", "0.5"),
        ("4.35", "4.35"),
        ("1e+100", "1e+100"),
        ("1.0000000000000002", "1.0000000000000002"),
    ]);
}

/// repr(str): quote choice, escapes, str.isprintable.
#[test]
#[rustfmt::skip]
fn repr_of_strings_quotes_and_escapes_like_python() {
    check_repr(&[
        ("''", "''"),
        ("'plain'", "'plain'"),
        ("\"it's\"", "\"it's\""),
        ("'say \"hi\"'", "'say \"hi\"'"),
        ("'both \\' and \"'", "'both \\' and \"'"),
        ("'tab\\there'", "'tab\\there'"),
        ("'new\\nline\\r'", "'new\\nline\\r'"),
        ("'back\\\\slash'", "'back\\\\slash'"),
        ("'\\x00\\x07\\x1b\\x7f'", "'\\x00\\x07\\x1b\\x7f'"),
        ("'\\x80\\x9f\\xa0\\xad'", "'\\x80\\x9f\\xa0\\xad'"),
        ("'é日本'", "'é日本'"),
        ("'\\u200b\\u200e\\u2028\\u2029\\ufeff'", "'\\u200b\\u200e\\u2028\\u2029\\ufeff'"),
        ("'😀'", "'😀'"),
        ("'\\U000e0001\\U0010ffff'", "'\\U000e0001\\U0010ffff'"),
        ("'\\u0378'", "'\\u0378'"),
        ("'à'", "'à'"),
        ("'\\ud7ff\\ue000'", "'\\ud7ff\\ue000'"),
        ("'\\x85'", "'\\x85'"),
    ]);
}

/// %a: repr() with every non-ASCII character escaped.
#[test]
#[rustfmt::skip]
fn ascii_conversion_escapes_all_non_ascii() {
    check_pct(&[
        ("%a", "('é',)", "'\\xe9'"),
        ("%a", "('😀',)", "'\\U0001f600'"),
        ("%a", "('日本',)", "'\\u65e5\\u672c'"),
        ("%a", "(['é', {'ü': 'x'}],)", "['\\xe9', {'\\xfc': 'x'}]"),
        ("%a", "('ok\\n',)", "'ok\\n'"),
    ]);
}

/// str()/repr() of None, bools, ints and containers (incl. the 1-tuple).
#[test]
#[rustfmt::skip]
fn str_and_repr_of_containers_like_python() {
    check_str_repr(&[
        ("None", "None", "None"),
        ("True", "True", "True"),
        ("False", "False", "False"),
        ("0", "0", "0"),
        ("-12345678901234567890", "-12345678901234567890", "-12345678901234567890"),
        ("[]", "[]", "[]"),
        ("[1, 'a', 2.5]", "[1, 'a', 2.5]", "[1, 'a', 2.5]"),
        ("()", "()", "()"),
        ("(1,)", "(1,)", "(1,)"),
        ("(1, 'b')", "(1, 'b')", "(1, 'b')"),
        ("{}", "{}", "{}"),
        ("{'k': 1, \"q'\": [None, (2,)]}", "{'k': 1, \"q'\": [None, (2,)]}", "{'k': 1, \"q'\": [None, (2,)]}"),
        ("[[], {}, ()]", "[[], {}, ()]", "[[], {}, ()]"),
        ("({'a': (1,)},)", "({'a': (1,)},)", "({'a': (1,)},)"),
        ("[inf, -0.0, nan]", "[inf, -0.0, nan]", "[inf, -0.0, nan]"),
    ]);
}

/// %s %r %c: width/precision count code points; `0` is ignored.
#[test]
#[rustfmt::skip]
fn percent_string_conversions_pad_and_truncate_by_code_points() {
    check_pct(&[
        ("%s", "('abc',)", "abc"),
        ("%5s|", "('abc',)", "  abc|"),
        ("%-5s|", "('abc',)", "abc  |"),
        ("%.2s", "('abc',)", "ab"),
        ("%5.1s|", "('abc',)", "    a|"),
        ("%.0s|", "('abc',)", "|"),
        ("%05s", "('ab',)", "   ab"),
        ("%+s % s", "('a', 'b')", "a b"),
        ("%4s|", "('日本',)", "  日本|"),
        ("%.1s", "('日本',)", "日"),
        ("%-4.1s|", "('é',)", "é   |"),
        ("%s", "(1.0,)", "1.0"),
        ("%s", "(1e+16,)", "1e+16"),
        ("%r", "(0.1,)", "0.1"),
        ("%s", "(True,)", "True"),
        ("%r", "(None,)", "None"),
        ("%s", "([1, 'a'],)", "[1, 'a']"),
        ("%10r|", "('x',)", "       'x'|"),
        ("%-8r|", "([1],)", "[1]     |"),
        ("%.3r", "({'a': 1},)", "{'a"),
        ("%6.3r|", "('é日',)", "   'é日|"),
        ("%s", "((1,),)", "(1,)"),
        ("%c", "(65,)", "A"),
        ("%c", "('é',)", "é"),
        ("%3c|", "(128512,)", "  😀|"),
        ("%-3c|", "('x',)", "x  |"),
        ("%05c", "(66,)", "    B"),
        ("%.0c", "(67,)", "C"),
        ("%ls %hs %Ls", "('a', 'b', 'c')", "a b c"),
        ("%s", "('',)", ""),
        ("%5s|", "('',)", "     |"),
        ("%.10s", "('short',)", "short"),
    ]);
}

/// %d %i %u %o %x %X: sign flags, zero padding, `#` prefixes, precision digits.
#[test]
#[rustfmt::skip]
fn percent_integer_conversions_flags_and_prefixes() {
    check_pct(&[
        ("%d", "(42,)", "42"),
        ("%d", "(-42,)", "-42"),
        ("%5d|", "(42,)", "   42|"),
        ("%-5d|", "(42,)", "42   |"),
        ("%05d", "(-42,)", "-0042"),
        ("%+d", "(42,)", "+42"),
        ("% d", "(42,)", " 42"),
        ("%+ d", "(42,)", "+42"),
        ("% 05d", "(42,)", " 0042"),
        ("%+05d", "(42,)", "+0042"),
        ("%-+05d|", "(3,)", "+3   |"),
        ("%-05d|", "(3,)", "3    |"),
        ("%.3d", "(-5,)", "-005"),
        ("%.0d", "(0,)", "0"),
        ("%7.3d|", "(5,)", "    005|"),
        ("%07.3d|", "(-5,)", "-000005|"),
        ("%i %u", "(7, -7)", "7 -7"),
        ("%x", "(255,)", "ff"),
        ("%X", "(255,)", "FF"),
        ("%#x", "(31,)", "0x1f"),
        ("%#X", "(31,)", "0X1F"),
        ("%#o", "(15,)", "0o17"),
        ("%o", "(-8,)", "-10"),
        ("%#010x", "(-31,)", "-0x000001f"),
        ("%#010X", "(31,)", "0X0000001F"),
        ("%#010o", "(8,)", "0o00000010"),
        ("%#10x|", "(31,)", "      0x1f|"),
        ("%-#10x|", "(31,)", "0x1f      |"),
        ("%+#x", "(0,)", "+0x0"),
        ("%#.5x", "(255,)", "0x000ff"),
        ("%#8.5o|", "(8,)", " 0o00010|"),
        ("%d", "(170141183460469231731687303715884105727,)", "170141183460469231731687303715884105727"),
        ("%x", "(-170141183460469231731687303715884105728,)", "-80000000000000000000000000000000"),
        ("%o", "(1267650600228229401496703205376,)", "2000000000000000000000000000000000"),
        ("%d", "(True,)", "1"),
        ("%x", "(False,)", "0"),
        ("%ld %hd", "(1, 2)", "1 2"),
        ("%d", "(3.99,)", "3"),
        ("%d", "(-3.99,)", "-3"),
        ("%i", "(-0.0,)", "0"),
        ("%05d", "(1e+20,)", "100000000000000000000"),
        ("%d", "(1e+300,)", "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"),
        ("%.40u", "(-1e+30,)", "-0000000001000000000000000019884624838656"),
    ]);
}

/// %f %e %g: the exact binary value is rounded, half-even on exact ties.
#[test]
#[rustfmt::skip]
fn percent_float_conversions_round_exact_binary_value_half_even() {
    check_pct(&[
        ("%.1f", "(0.25,)", "0.2"),
        ("%.1f", "(0.35,)", "0.3"),
        ("%.0f", "(2.5,)", "2"),
        ("%.0f", "(3.5,)", "4"),
        ("%.0f", "(0.5,)", "0"),
        ("%.0f", "(1.5,)", "2"),
        ("%.0f", "(-0.5,)", "-0"),
        ("%.2f", "(1.005,)", "1.00"),
        ("%.2f", "(2.675,)", "2.67"),
        ("%.2f", "(0.125,)", "0.12"),
        ("%.2f", "(0.375,)", "0.38"),
        ("%.3f", "(1.0625,)", "1.062"),
        ("%.2f", "(9.995,)", "9.99"),
        ("%.0f", "(99.5,)", "100"),
        ("%.0f", "(100.5,)", "100"),
        ("%.3f", "(5e-324,)", "0.000"),
        ("%.5f", "(1e-10,)", "0.00000"),
        ("%.5f", "(-1e-10,)", "-0.00000"),
        ("%.1e", "(0.25,)", "2.5e-01"),
        ("%.1e", "(0.35,)", "3.5e-01"),
        ("%.0e", "(2.5,)", "2e+00"),
        ("%.0e", "(3.5,)", "4e+00"),
        ("%.0e", "(0.5,)", "5e-01"),
        ("%.0e", "(1.5,)", "2e+00"),
        ("%.0e", "(-0.5,)", "-5e-01"),
        ("%.2e", "(1.005,)", "1.00e+00"),
        ("%.2g", "(0.25,)", "0.25"),
        ("%.2g", "(0.35,)", "0.35"),
        ("%.1g", "(2.5,)", "2"),
        ("%.1g", "(3.5,)", "4"),
        ("%.1g", "(0.5,)", "0.5"),
        ("%.1g", "(1.5,)", "2"),
        ("%.1g", "(-0.5,)", "-0.5"),
        ("%.3g", "(1.005,)", "1"),
    ]);
}

/// %e %E %f %F %g %G with flags, widths, `#`, and extreme magnitudes.
#[test]
#[rustfmt::skip]
fn percent_float_conversions_layout_like_python() {
    check_pct(&[
        ("%f", "(3.14159,)", "3.141590"),
        ("%.2f", "(3.14159,)", "3.14"),
        ("%8.3f|", "(-3.14159,)", "  -3.142|"),
        ("%-8.2f|", "(2.5,)", "2.50    |"),
        ("%+08.2f", "(3.14159,)", "+0003.14"),
        ("% .1f", "(2.0,)", " 2.0"),
        ("%08.2f", "(-3.14159,)", "-0003.14"),
        ("%.0f", "(0.5,)", "0"),
        ("%#.0f", "(1.0,)", "1."),
        ("%e", "(12345.678,)", "1.234568e+04"),
        ("%E", "(0.000123,)", "1.230000E-04"),
        ("%.0e", "(15.0,)", "2e+01"),
        ("%#.0e", "(1.0,)", "1.e+00"),
        ("%.3e", "(0.0,)", "0.000e+00"),
        ("%e", "(1e-300,)", "1.000000e-300"),
        ("%e", "(1e+300,)", "1.000000e+300"),
        ("%g", "(100000.0,)", "100000"),
        ("%g", "(1000000.0,)", "1e+06"),
        ("%g", "(0.0001,)", "0.0001"),
        ("%g", "(1e-05,)", "1e-05"),
        ("%G", "(1.5e-10,)", "1.5E-10"),
        ("%#g", "(1.0,)", "1.00000"),
        ("%.0g", "(0.5,)", "0.5"),
        ("%.3g", "(1234.5,)", "1.23e+03"),
        ("%#.3g", "(1.0,)", "1.00"),
        ("%10.4g|", "(3.14159,)", "     3.142|"),
        ("%-+10.4G|", "(1e+20,)", "+1E+20    |"),
        ("%.20f", "(0.1,)", "0.10000000000000000555"),
        ("%.17g", "(0.1,)", "0.10000000000000001"),
        ("%.25e", "(0.3333333333333333,)", "3.3333333333333331482961626e-01"),
        ("%f", "(1e+22,)", "10000000000000000000000.000000"),
        ("%.3f", "(1.1805916207174113e+21,)", "1180591620717411303424.000"),
        ("%.60f", "(5e-324,)", "0.000000000000000000000000000000000000000000000000000000000000"),
        ("%g", "(123456789.0,)", "1.23457e+08"),
        ("%g", "(0.0001234,)", "0.0001234"),
        ("%f", "(7,)", "7.000000"),
        ("%e", "(True,)", "1.000000e+00"),
        ("%g", "(1180591620717411303424,)", "1.18059e+21"),
        ("%.2f%%", "(99.5,)", "99.50%"),
        ("%F", "(1.5,)", "1.500000"),
        ("%5.1f|%-6.2e|%g", "(1.25, 1.5, 0.1)", "  1.2|1.50e+00|0.1"),
    ]);
}

/// inf/nan/-0.0: `%f` of inf is `inf`, `%F` is `INF`, nan never has a sign.
#[test]
#[rustfmt::skip]
fn percent_float_special_values_inf_nan_negative_zero() {
    check_pct(&[
        ("%f", "(inf,)", "inf"),
        ("%F", "(inf,)", "INF"),
        ("%f", "(-inf,)", "-inf"),
        ("%e", "(nan,)", "nan"),
        ("%E", "(nan,)", "NAN"),
        ("%G", "(-inf,)", "-INF"),
        ("%+f", "(nan,)", "+nan"),
        ("% f", "(inf,)", " inf"),
        ("%010f", "(inf,)", "0000000inf"),
        ("%+010f", "(-inf,)", "-000000inf"),
        ("%-8f|", "(nan,)", "nan     |"),
        ("%#g", "(inf,)", "inf"),
        ("%.3f", "(-0.0,)", "-0.000"),
        ("%g", "(-0.0,)", "-0"),
        ("%e", "(-0.0,)", "-0.000000e+00"),
        ("%+.1f", "(-0.0,)", "-0.0"),
        ("%.2f", "(-0.001,)", "-0.00"),
        ("%s", "(-0.0,)", "-0.0"),
        ("%r", "(nan,)", "nan"),
        ("%s", "(-inf,)", "-inf"),
        ("%5s|", "(inf,)", "  inf|"),
    ]);
}

/// `msg % args`: tuples, single values, mappings, `%%`, leftovers.
#[test]
#[rustfmt::skip]
fn percent_mapping_keys_and_argument_counting() {
    check_pct(&[
        ("%s", "()", "!not enough arguments for format string"),
        ("%s", "(1,)", "1"),
        ("%s %s", "(1,)", "!not enough arguments for format string"),
        ("%s", "(1, 2)", "!not all arguments converted during string formatting"),
        ("%s", "[1, 2]", "[1, 2]"),
        ("%s", "'abc'", "abc"),
        ("%s", "5", "5"),
        ("%s", "((1, 2),)", "(1, 2)"),
        ("hello", "()", "hello"),
        ("hello", "5", "!not all arguments converted during string formatting"),
        ("hello", "'x'", "!not all arguments converted during string formatting"),
        ("hello", "[1]", "hello"),
        ("hello", "{'a': 1}", "hello"),
        ("hello", "(1,)", "!not all arguments converted during string formatting"),
        ("%(a)s", "{'a': 1}", "1"),
        ("%(a)s-%(b)r", "{'a': 'x', 'b': 'y'}", "x-'y'"),
        ("%(a)05.1f|%(b)-4s|", "{'a': 3.14159, 'b': 'é'}", "003.1|é   |"),
        ("%(a(b))s", "{'a(b)': 2}", "2"),
        ("%()s", "{'': 3}", "3"),
        ("%(a)s %s", "{'a': 1}", "!not enough arguments for format string"),
        ("%s %(a)s", "{'a': 1}", "{'a': 1} 1"),
        ("%(a)s %(a)d", "{'a': True}", "True 1"),
        ("%(a)s", "[1]", "!list indices must be integers or slices, not str"),
        ("%(a)s", "(1,)", "!format requires a mapping"),
        ("%(a)s", "5", "!format requires a mapping"),
        ("%(a)s", "'ab'", "!format requires a mapping"),
        ("%(b)s", "{'a': 1}", "!'b'"),
        ("%(it's)s", "{}", "!\"it's\""),
        ("%(a", "{'a': 1}", "!incomplete format key"),
        ("%(a)", "{'a': 1}", "!incomplete format"),
        ("%%", "()", "%"),
        ("100%% of %d%%", "(5,)", "100% of 5%"),
        ("%%%s%%", "('x',)", "%x%"),
        ("%s%%", "'x'", "x%"),
        ("%(a)%", "{'a': 1}", "!unsupported format character '%' (0x25) at index 4"),
        ("%5%", "()", "!not enough arguments for format string"),
        ("%5%", "(1,)", "!unsupported format character '%' (0x25) at index 2"),
        ("%s", "{'a': 1}", "{'a': 1}"),
        ("%d items", "{'a': 1}", "!%d format: a real number is required, not dict"),
    ]);
}

/// `*` takes width/precision from the arguments; negative width left-aligns.
#[test]
#[rustfmt::skip]
fn percent_star_width_and_precision() {
    check_pct(&[
        ("%*d|", "(5, 3)", "    3|"),
        ("%-*d|", "(5, 3)", "3    |"),
        ("%*d|", "(-5, 3)", "3    |"),
        ("%.*f", "(2, 3.14159)", "3.14"),
        ("%.*f", "(-2, 3.14159)", "3"),
        ("%*.*f|", "(10, 3, 3.14159)", "     3.142|"),
        ("%*s|", "(True, 'x')", "x|"),
        ("%*d", "('a', 3)", "!* wants int"),
        ("%.*d", "(1.5, 3)", "!* wants int"),
        ("%*5d", "(5, 3)", "!unsupported format character '5' (0x35) at index 2"),
        ("%*", "(5,)", "!incomplete format"),
        ("%*", "()", "!not enough arguments for format string"),
        ("%.*", "(1,)", "!incomplete format"),
        ("%*d", "(1180591620717411303424, 1)", "!Python int too large to convert to C ssize_t"),
        ("%.*d", "(1099511627776, 1)", "!Python int too large to convert to C int"),
        ("%(a)*d", "{'a': 3}", "!not enough arguments for format string"),
    ]);
}

/// Bad conversions and types give the text of the exception Python raises.
#[test]
#[rustfmt::skip]
fn percent_errors_use_python_messages() {
    check_pct(&[
        ("%", "()", "!incomplete format"),
        ("abc %", "()", "!incomplete format"),
        ("%.", "(1,)", "!incomplete format"),
        ("%.s", "('abc',)", ""),
        ("%l", "(1,)", "!incomplete format"),
        ("%ll", "(1,)", "!unsupported format character 'l' (0x6c) at index 2"),
        ("%q", "()", "!not enough arguments for format string"),
        ("%q", "(1,)", "!unsupported format character 'q' (0x71) at index 1"),
        ("%\u{1}", "(1,)", "!unsupported format character '?' (0x1) at index 1"),
        ("%\u{1f}", "(1,)", "!unsupported format character '\u{1f}' (0x1f) at index 1"),
        ("%é", "(1,)", "!unsupported format character '?' (0xe9) at index 1"),
        ("é日%Q", "(1,)", "!unsupported format character 'Q' (0x51) at index 3"),
        ("%999999999999999999999999999999d", "(1,)", "!width too big"),
        ("%.999999999999999999999999999999d", "(1,)", "!precision too big"),
        ("%.2147483647d", "(1,)", "!precision too large"),
        ("%d", "('1',)", "!%d format: a real number is required, not str"),
        ("%i", "(None,)", "!%i format: a real number is required, not NoneType"),
        ("%u", "([],)", "!%u format: a real number is required, not list"),
        ("%x", "(1.5,)", "!%x format: an integer is required, not float"),
        ("%o", "('7',)", "!%o format: an integer is required, not str"),
        ("%X", "({},)", "!%X format: an integer is required, not dict"),
        ("%f", "('1',)", "!must be real number, not str"),
        ("%e", "(None,)", "!must be real number, not NoneType"),
        ("%g", "((),)", "!must be real number, not tuple"),
        ("%c", "('ab',)", "!%c requires int or char"),
        ("%c", "('',)", "!%c requires int or char"),
        ("%c", "(1.0,)", "!%c requires int or char"),
        ("%c", "(None,)", "!%c requires int or char"),
        ("%c", "(-1,)", "!%c arg not in range(0x110000)"),
        ("%c", "(1114112,)", "!%c arg not in range(0x110000)"),
        ("%d", "(inf,)", "!cannot convert float infinity to integer"),
        ("%d", "(-inf,)", "!cannot convert float infinity to integer"),
        ("%d", "(nan,)", "!cannot convert float NaN to integer"),
    ]);
}

/// Format spec on str: left default, fill/align, precision truncates code points.
#[test]
#[rustfmt::skip]
fn format_spec_strings_align_fill_truncate() {
    check_fmt(&[
        ("", "'abc'", "abc"),
        ("5", "'abc'", "abc  "),
        (">5", "'abc'", "  abc"),
        ("^6", "'abc'", " abc  "),
        ("^7", "'abc'", "  abc  "),
        ("*^9.2s", "'abc'", "***ab****"),
        (".2", "'abc'", "ab"),
        ("05", "'ab'", "ab000"),
        ("0>5", "'ab'", "000ab"),
        ("<<4", "'x'", "x<<<"),
        ("é>4", "'x'", "éééx"),
        (">4", "'日本'", "  日本"),
        (".1", "'日本'", "日"),
        ("s", "'x'", "x"),
        ("10.0", "'xyz'", "          "),
        ("\u{0}<3", "'a'", "a\u{0}\u{0}"),
        ("{^5", "'a'", "{{a{{"),
        (" <3", "'a'", "a  "),
    ]);
}

/// Format spec on int: bases, `#`, `,`/`_` grouping, `0` and `=` padding, `c`.
#[test]
#[rustfmt::skip]
fn format_spec_ints_bases_grouping_zero_padding() {
    check_fmt(&[
        ("", "42", "42"),
        ("d", "-42", "-42"),
        ("5", "42", "   42"),
        ("<5", "42", "42   "),
        ("^6", "42", "  42  "),
        ("=6", "-42", "-   42"),
        ("+", "42", "+42"),
        (" ", "42", " 42"),
        ("-", "42", "42"),
        ("05", "-42", "-0042"),
        ("b", "10", "1010"),
        ("#b", "10", "0b1010"),
        ("o", "8", "10"),
        ("#o", "8", "0o10"),
        ("x", "255", "ff"),
        ("#X", "255", "0XFF"),
        ("#010x", "-255", "-0x00000ff"),
        ("x=#10x", "255", "0xxxxxxxff"),
        (",", "1234567", "1,234,567"),
        ("_", "-1234567", "-1_234_567"),
        ("_x", "123456789", "75b_cd15"),
        ("#_b", "123456789", "0b111_0101_1011_1100_1101_0001_0101"),
        ("08,", "1234", "0,001,234"),
        ("09,", "1234", "0,001,234"),
        ("010,", "1234", "00,001,234"),
        ("+012,", "-1234567", "-001,234,567"),
        ("0=12_", "1234567", "0_001_234_567"),
        ("*=+12,", "1234", "+******1,234"),
        ("n", "1234567", "1234567"),
        ("010n", "-5", "-000000005"),
        ("c", "65", "A"),
        (">3c", "128512", "  😀"),
        ("05c", "65", "0000A"),
        ("e", "12345", "1.234500e+04"),
        (".2f", "5", "5.00"),
        ("%", "1", "100.000000%"),
        (",.1f", "1234567", "1,234,567.0"),
        ("g", "100000000000000000000", "1e+20"),
        ("", "170141183460469231731687303715884105727", "170141183460469231731687303715884105727"),
        ("_o", "-18446744073709551616", "-20_0000_0000_0000_0000_0000"),
        (" x", "255", " ff"),
        ("0<5", "5", "50000"),
        ("0^5", "5", "00500"),
        ("<05", "5", "50000"),
        (" <05", "5", "5    "),
        ("0", "5", "5"),
        ("00", "5", "5"),
    ]);
}

/// Format spec on float: e f g n % and none (repr, or `g` keeping `.0`).
#[test]
#[rustfmt::skip]
fn format_spec_floats_types_precision_grouping() {
    check_fmt(&[
        ("", "1.0", "1.0"),
        ("", "1e+16", "1e+16"),
        ("", "1e-05", "1e-05"),
        (".3", "1.0", "1.0"),
        (".3", "123.0", "1.23e+02"),
        (".3", "1234.5", "1.23e+03"),
        (".3", "0.0001", "0.0001"),
        (".0", "1.0", "1e+00"),
        ("#", "1e+16", "1.e+16"),
        ("#.0", "5.0", "5.e+00"),
        ("#.0e", "5.0", "5.e+00"),
        ("#.0f", "5.0", "5."),
        ("#.0g", "5.0", "5."),
        ("g", "100000.0", "100000"),
        ("g", "1000000.0", "1e+06"),
        (".2g", "1.2345e-05", "1.2e-05"),
        ("e", "12345.678", "1.234568e+04"),
        ("E", "1e-100", "1.000000E-100"),
        ("f", "1e+22", "10000000000000000000000.000000"),
        ("F", "inf", "INF"),
        ("n", "1234567.0", "1.23457e+06"),
        ("n", "0.5", "0.5"),
        ("%", "0.5", "50.000000%"),
        (".1%", "0.12345", "12.3%"),
        ("_", "12345.678", "12_345.678"),
        (",.2f", "12345.678", "12,345.68"),
        (",", "1e+20", "1e+20"),
        ("010,.2f", "1234.5", "001,234.50"),
        ("015_", "123456.789", "000_123_456.789"),
        ("+.3e", "0.0", "+0.000e+00"),
        ("z", "-0.0", "0.0"),
        ("z.2f", "-0.0001", "0.00"),
        ("z.1%", "-0.001", "-0.1%"),
        ("zg", "-0.0", "0"),
        ("", "-0.0", "-0.0"),
        ("010", "inf", "0000000inf"),
        ("+", "nan", "+nan"),
        ("=+10.2f", "-3.14159", "-     3.14"),
        ("*^12.3e", "31415.9", "*3.142e+04**"),
        ("<10", "0.1", "0.1       "),
        (".17", "0.1", "0.10000000000000001"),
        (".25f", "0.3333333333333333", "0.3333333333333333148296163"),
        (".1f", "0.25", "0.2"),
        (".0f", "2.5", "2"),
        (".2f", "1.005", "1.00"),
        (".3", "2.5e-05", "2.5e-05"),
        ("#.3", "1.0", "1.00"),
        (".12g", "1.1805916207174113e+21", "1.18059162072e+21"),
        ("e", "5e-324", "4.940656e-324"),
        (".1e", "1.7976931348623157e+308", "1.8e+308"),
    ]);
}

/// Spec errors: parse-time ones, and type-dependent ones when writing.
#[test]
#[rustfmt::skip]
fn format_spec_errors_use_python_messages() {
    check_fmt(&[
        (".", "5", "!Format specifier missing precision"),
        (",_", "5", "!Cannot specify both ',' and '_'."),
        ("_,", "5", "!Cannot specify both ',' and '_'."),
        (",,", "5", "!Cannot specify ',' with ','."),
        (",x", "5", "!Cannot specify ',' with 'x'."),
        (",n", "5", "!Cannot specify ',' with 'n'."),
        (",c", "5", "!Cannot specify ',' with 'c'."),
        (",s", "5", "!Cannot specify ',' with 's'."),
        ("999999999999999999999999999999", "5", "!Too many decimal digits in format string"),
        (".9999999999999999999", "1.5", "!Too many decimal digits in format string"),
        (".3000000000", "1.5", "!precision too big"),
        ("\u{1}", "5", "!Unknown format code '\\x1' for object of type 'int'"),
        ("é", "'a'", "!Unknown format code '\\xe9' for object of type 'str'"),
        (", ", "5", "!Cannot specify ',' with '\\x20'."),
        (",", "'ab'", "!Cannot specify ',' with 's'."),
        ("d", "'ab'", "!Unknown format code 'd' for object of type 'str'"),
        ("+", "'ab'", "!Sign not allowed in string format specifier"),
        (" ", "'ab'", "!Space not allowed in string format specifier"),
        ("z", "'ab'", "!Negative zero coercion (z) not allowed in string format specifier"),
        ("#", "'ab'", "!Alternate form (#) not allowed in string format specifier"),
        ("=", "'ab'", "!'=' alignment not allowed in string format specifier"),
        ("0=5", "'ab'", "!'=' alignment not allowed in string format specifier"),
        (".2", "5", "!Precision not allowed in integer format specifier"),
        ("z", "5", "!Negative zero coercion (z) not allowed in integer format specifier"),
        ("+c", "5", "!Sign not allowed with integer format specifier 'c'"),
        ("#c", "5", "!Alternate form (#) not allowed with integer format specifier 'c'"),
        ("c", "1114112", "!%c arg not in range(0x110000)"),
        ("c", "-1", "!%c arg not in range(0x110000)"),
        ("c", "1180591620717411303424", "!Python int too large to convert to C long"),
        ("d", "1.5", "!Unknown format code 'd' for object of type 'float'"),
        ("c", "1.5", "!Unknown format code 'c' for object of type 'float'"),
        ("s", "5", "!Unknown format code 's' for object of type 'int'"),
        ("s", "True", "!Unknown format code 's' for object of type 'bool'"),
        ("q", "1.5", "!Unknown format code 'q' for object of type 'float'"),
    ]);
}

/// bool formats as int except for the empty spec; None/list/tuple/dict take only "".
#[test]
#[rustfmt::skip]
fn format_spec_bool_none_containers() {
    check_fmt(&[
        ("", "True", "True"),
        (">5", "True", "    1"),
        ("d", "False", "0"),
        ("f", "True", "1.000000"),
        (",", "True", "1"),
        ("", "None", "None"),
        ("s", "None", "!unsupported format string passed to NoneType.__format__"),
        ("", "[1, 'a']", "[1, 'a']"),
        ("5", "[1]", "!unsupported format string passed to list.__format__"),
        ("", "(1,)", "(1,)"),
        ("x", "(1,)", "!unsupported format string passed to tuple.__format__"),
        ("", "{'a': 1}", "{'a': 1}"),
        ("x", "{}", "!unsupported format string passed to dict.__format__"),
    ]);
}
