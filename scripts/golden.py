#!/usr/bin/env python3
"""Golden cases for `lumber pipe`: what CPython 3.11's logging prints.

Each case is one input line for `lumber pipe`, the command-line flags, the
TZ to run under, and the exact bytes CPython prints for it. CPython makes
them the way the CLI documents its semantics:

* a line that is a JSON object is a record in Python's attribute names:
  ``logging.makeLogRecord(obj)``, except that a JSON array given as
  ``args`` becomes a tuple (our framing: ``msg % tuple(args)``);
* any other line is the message of a record at ``--level`` from logger
  ``--name``: ``makeLogRecord({"name", "levelno", "levelname", "msg"})``;
* the line printed is ``Formatter(fmt, datefmt, style).format(record)``
  (with ``converter = time.gmtime`` for ``--utc``) plus ``"\\n"``, as
  ``StreamHandler`` writes it. When formatting raises (Python reports a
  "Logging error" on stderr and prints nothing) the expected output is
  empty and ``python_error`` says why.

Usage:
  python3 scripts/golden.py           # rewrite crates/lumber-cli/tests/golden/cases.json
  python3 scripts/golden.py --check   # regenerate into a temp file and diff (CI)
  python3 scripts/golden.py --stdout  # print the cases
"""

import difflib
import json
import logging
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES_PATH = os.path.join(ROOT, "crates", "lumber-cli", "tests", "golden", "cases.json")

DEFAULT_FORMATS = {
    "%": logging.BASIC_FORMAT,
    "{": "{levelname}:{name}:{message}",
    "$": "${levelname}:${name}:${message}",
}

# Times: winter and summer in Berlin, both DST switches of 2023 (Berlin),
# a msecs of 999, the epoch, and a date past 2038.
WINTER = 1700000000.123456  # 2023-11-14 22:13:20 UTC, a Tuesday
SUMMER = 1690000000.987654  # 2023-07-22 04:26:40 UTC, a Saturday
SPRING_BEFORE = 1679792399.5  # 00:59:59.5 UTC, Berlin 01:59:59 CET
SPRING_AFTER = 1679792400.25  # 01:00:00 UTC, Berlin 03:00:00 CEST
FALL_BEFORE = 1698541199.75  # 00:59:59 UTC, Berlin 02:59:59 CEST
FALL_AFTER = 1698541200.0  # 01:00:00 UTC, Berlin 02:00:00 CET
EDGE_MS = 1700000000.9995  # msecs 999
EPOCH = 0.0
FAR = 2200000000.5  # 2039-09-18
BEFORE_EPOCH = -1.5  # 1969-12-31 23:59:58.5 UTC, msecs -500
LEAP_DAY = 1709210096.042  # 2024-02-29 12:34:56 UTC
TIMES = [WINTER, SUMMER, SPRING_BEFORE, SPRING_AFTER, FALL_BEFORE, FALL_AFTER, EDGE_MS, EPOCH, FAR, BEFORE_EPOCH, LEAP_DAY]

TZS = ["UTC", "Europe/Berlin"]
MORE_TZS = ["America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "America/St_Johns", "Europe/Dublin", "Asia/Kathmandu", "Pacific/Kiritimati"]


def msecs_of(created):
    """Python 3.11's LogRecord.msecs."""
    return int((created - int(created)) * 1000) + 0.0


def record(created=WINTER, **changes):
    """A record as Python's HTTPHandler would send it (record.__dict__)."""
    rec = {
        "name": "app.db",
        "msg": "connected to %s in %d ms",
        "args": ["db1", 42],
        "levelname": "INFO",
        "levelno": 20,
        "pathname": "/srv/app/db/pool.py",
        "filename": "pool.py",
        "module": "pool",
        "exc_info": None,
        "exc_text": None,
        "stack_info": None,
        "lineno": 118,
        "funcName": "connect",
        "created": created,
        "msecs": msecs_of(created),
        "relativeCreated": 5321.987654321,
        "thread": 140245532321600,
        "threadName": "MainThread",
        "processName": "MainProcess",
        "process": 4242,
    }
    for key, value in changes.items():
        if value is DELETE:
            rec.pop(key, None)
        else:
            rec[key] = value
    return rec


DELETE = object()

ALL_ATTRS = (
    "%(name)s|%(levelno)s|%(levelname)s|%(pathname)s|%(filename)s|%(module)s|"
    "%(lineno)d|%(funcName)s|%(created)f|%(msecs)d|%(relativeCreated)d|%(thread)d|"
    "%(threadName)s|%(process)d|%(processName)s|%(msg)s|%(message)s"
)

PERCENT_FORMATS = [
    "%(asctime)s %(levelname)s %(name)s: %(message)s",
    ALL_ATTRS,
    "%(created)s %(msecs)s %(relativeCreated)s %(levelno)s %(lineno)s %(thread)s %(process)s",
    "[%(levelname)-8s] %(name)10s|%(name)-10.3s|%(lineno)05d|%(lineno)+d|%(lineno) d|%(msecs)03d",
    "%(created).3f|%(relativeCreated)12.4f|%(relativeCreated)-12.1f|%(created)e|%(created).2E|%(created)g|%(msecs)G",
    "%(levelno)x|%(levelno)X|%(levelno)o|%(levelno)#x|%(levelno)#o|%(levelno)#X|%(lineno)-6d|%(lineno)06.2f|%(levelno)i|%(levelno)u",
    "%(msg)r|%(name)r|%(funcName)a|%(levelname).1s|%(levelname)5.2s|%(pathname)-25r|",
    "%(message)s %% done %%(name)s",
    "%(exc_text)s|%(stack_info)s|%(args)s",
    "%(asctime)s.%(msecs)03d %(levelname).4s %(module)s:%(funcName)s:%(lineno)d %(message)s",
]

BRACE_FORMATS = [
    "{asctime} {levelname:<8} {name}: {message}",
    "{lineno:06d} {name!r:>12} {levelname:^9}|{msecs:03.0f} {created:.3f} {relativeCreated:,.2f}",
    "{thread:x} {process:>8} {levelno:#b} {name!s:*^20} {funcName!a} {levelno:+05d}",
    "{message!r} {msg!r:.10} {created} {msecs} {relativeCreated}",
    "{{literal}} {name} }}{{ {levelno:=+6} {lineno:_} {thread:,}",
    "{created:e} {created:.4g} {msecs:.1%} {relativeCreated:>15.3f} {levelname:.3} {name:<10.4}|",
    "{exc_text} {stack_info!r} {args}",
]

# Less common conversions and specs on every kind of attribute.
SPEC_FORMATS = [
    ("%", "%(created)20.10f|%(created)#.0f|%(created)+015.3f|%(lineno)#5x|%(levelno)c|%(relativeCreated)r|%(thread)r|%(msecs)-7.1f|"),
    ("%", "%(created).0e|%(created)G|%(relativeCreated).10g|%(msecs)#g|%(lineno)#o|%(process)+5d|%(process)-+8d|%(levelname)-10r|"),
    ("{", "{created:_.3f}|{lineno:x<8}|{lineno:#010x}|{created:+.2e}|{thread:_x}|{msecs:n}|{levelno:%}|{relativeCreated:g}|"),
    ("{", "{relativeCreated:.0f}|{name:s}|{lineno:d}|{created:.15g}|{created:.20f}|{name:=^10}|{lineno:^+9}|{levelno:c}|"),
    ("{", "{lineno:,}|{thread:_}|{process:#o}|{process:#X}|{msecs:.0%}|{relativeCreated:E}|{created:G}|{name!a:>10}|{funcName!r:^12}|"),
    ("$", "${levelno}${lineno}$$${name}$$$process"),
]

DOLLAR_FORMATS = [
    "$asctime $levelname $name: $message",
    "${name}_${levelname}: $message $$5 $lineno ${funcName}x",
    "$created $msecs $relativeCreated $thread $process $processName $threadName $pathname $args",
]

DATEFMTS = [
    None,
    "%Y-%m-%dT%H:%M:%S%z",
    "%a %b %d %j %p %Z %z",
    "%A %B %d/%m/%y %I:%M:%S %p",
    "%H:%M:%S",
    "%c | %x | %X",
    "%e %U %W %u %w %G %V %g %C %D %F %R %T %h %%",
    "[%Y-%m-%d %H:%M:%S.%%03d]",
]

ARG_CASES = [
    ("tuple", "connected to %s in %d ms", ["db1", 42]),
    ("dict", "%(user)s has %(n)d items (%(user)r)", {"user": "bob", "n": 3}),
    ("repr", "%r %r %r %r", ["it's", None, [1, "a"], {"k": True}]),
    ("floats", "%5.2f|%-8.3f|%+.1f|%.0f|%.0f|%e|%g|%g|%G|%s|%s|%s|%r", [3.14159, 2.5, 7.25, 0.5, 2.5, 12345.678, 1e-05, 123456789.0, 1e20, 0.1, 1.0, 1e20, 1e-7]),
    ("ints", "%x|%X|%#x|%o|%#o|%05d|%-5d|%+d|% d|%i|%u|%c|%d|%s", [255, 255, 255, 8, 8, -42, 7, 7, 7, 3, 4, 65, 10**18, 2**70]),
    ("bools", "%s %d %r %.1f %x", [True, True, False, True, True]),
    ("strings", "%10s|%-10s|%.2s|%10.4s|%a|%s", ["right", "left", "trunc", "truncate", "caf\u00e9 \u65e5", "\u00fcber"]),
    ("nested", "%s %s %s", [["a", 1, 2.5, None], {"k": [True, False]}, []]),
    ("percent", "100%% of %s", ["jobs"]),
    ("star", "%*d|%-*s|%.*f", [5, 42, 6, "ab", 2, 3.14159]),
    ("single", "value: %s", "just a string"),
    ("scalar_int", "n=%d", 7),
    ("empty_args", "literal %s %d stays", []),
    ("null_args", "literal %s stays", None),
    ("dict_unused", "no placeholders", {"a": 1}),
    ("unicode", "%s \u2192 %s", ["\u65e5\u672c\u8a9e", "\U0001f389"]),
    ("repr_quotes", "%r|%r|%r|%r", ["a'b", 'a"b', "a'b\"c", "tab\there\nnl\x07bell\u200b"]),
    ("err_missing", "%s and %s", ["only one"]),
    ("err_extra", "no placeholders", ["x"]),
    ("err_type", "%d", ["abc"]),
    ("err_mapping", "%(a)s", [{"a": 1}]),
]

EXTRAS = {
    "user": "b\u00f6b",
    "letter": "x",
    "req_id": 42,
    "ratio": 0.5,
    "ok": True,
    "tags": ["a", "b"],
    "meta": {"k": 1, "n": None},
    "nothing": None,
    "big": 1e20,
    "whole": 3.0,
    "\u00fcml": "\u00e4",
    "nan": float("nan"),
    "inf": float("-inf"),
    "tiny": 1e-05,
    "neg_zero": -0.0,
    "sum": 0.1 + 0.2,
    "big_int": 2**64 + 1,
    "neg": -7,
    "nested": [[1, [2, {"a": (3,)}]], "x", None],
}

EXTRA_FORMATS = [
    ("%", "%(user)s %(req_id)05d %(ratio).1f %(ok)s %(tags)s %(meta)s %(nothing)s %(ratio)s %(ok)d %(big)s %(whole)s"),
    ("%", "%(user)r %(req_id)r %(ok)r %(nothing)r %(tags)r %(user)-8s| %(req_id)-6s| %(whole)5.1f %(user)a"),
    ("{", "{user!r} {req_id:>6} {ratio:.2%} {ok} {tags} {meta!r} {nothing} {big} {whole} {ok:>5} {user:*<8}"),
    ("{", "{user} {req_id} {ratio} {whole!r} {nothing!r} {tags!s:>12} {user!a}"),
    ("$", "$user $req_id $ok $tags $meta $nothing $ratio ${big} ${whole}"),
    ("%", "%(user)s %(missing)s"),
    ("{", "{user} {missing}"),
    ("$", "$user $missing"),
    ("%", "%(\u00fcml)s %(nan)s %(inf)s %(tiny)s %(neg_zero)s %(sum)s %(big_int)s %(neg)05d %(nested)s"),
    ("%", "%(nan)f %(inf)10.2f %(tiny)e %(neg_zero)+.1f %(sum).17g %(big_int)d %(neg)x %(nested)r %(ok)5s"),
    ("{", "{\u00fcml!a} {nan} {inf:>8} {tiny:.2%} {neg_zero} {sum!r} {big_int} {neg:+} {nested!s:.12} {ok!s:>6}"),
    ("{", "{nan:f} {inf:e} {tiny:g} {neg_zero:.0f} {sum:.3} {neg:b} {ratio:08.3f} {req_id:c}"),
    ("{", "{big_int:,} {big_int:>30_x} {ok:>5} {ok:.1f} {req_id!r:>5}"),
    ("%", "%(big_int)030d|%(big_int)x|%(ok).2f|%(ok)x|%(letter)c|%(req_id)c"),
    # Python raises for these: nothing is printed.
    ("{", "{tags:>10}"),
    ("%", "%(nothing)d"),
    ("{", "{user:d}"),
    ("%", "%(meta)f"),
]

EXC_TEXT = (
    "Traceback (most recent call last):\n"
    '  File "/srv/app/db/pool.py", line 118, in connect\n'
    "    raise ValueError(\"boom\")\n"
    "ValueError: boom"
)
STACK = (
    "Stack (most recent call last):\n"
    '  File "/srv/app/main.py", line 10, in <module>\n'
    "    main()"
)

MULTILINE = [
    ("msg", {"msg": "line one\nline two\n\tindented", "args": None}),
    ("msg_nl", {"msg": "ends with newline\n", "args": None}),
    ("exc", {"exc_text": EXC_TEXT, "levelname": "ERROR", "levelno": 40}),
    ("exc_nl", {"msg": "ends with newline\n", "args": None, "exc_text": EXC_TEXT}),
    ("stack", {"stack_info": STACK}),
    ("exc_stack", {"exc_text": EXC_TEXT, "stack_info": STACK, "msg": "multi\nline", "args": None}),
    ("empty_exc", {"exc_text": "", "stack_info": ""}),
    ("crlf", {"msg": "windows\r\nline", "args": None}),
]

UNICODE = [
    ("name", {"name": "app.\u00fcn\u00efc\u00f8d\u00e9", "msg": "h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e \U0001f389", "args": None}),
    ("args", {"msg": "%s|%5s|%-5s|%.2s|%r", "args": ["\u00e9\u00e9", "\u65e5", "\u65e5", "\U0001f389\U0001f389\U0001f389", "\u00e9\U0001f389"]}),
    ("thread", {"threadName": "w\u00f6rker-\u2460", "funcName": "f\u00fcnc", "pathname": "/srv/\u00e4pp/m\u00f6d.py", "filename": "m\u00f6d.py", "module": "m\u00f6d"}),
]

UNICODE_FORMATS = [
    ("%", "%(name)-20s|%(name)20s|%(name).5s|%(name)r|%(name)a|%(message)s"),
    ("{", "{name:<20}|{name:>20}|{name:^21}|{name:.5}|{name!r}|{name!a}|{message!r}"),
    ("%", "%(threadName)s %(funcName)s %(pathname)s %(filename)s %(module)s %(message)s"),
    ("$", "$name $threadName $funcName $module: $message"),
]

ODD_RECORDS = [
    # makeLogRecord's defaults for everything that is missing.
    ("defaults", {"msg": "only msg", "created": WINTER, "msecs": msecs_of(WINTER), "relativeCreated": 1.5}),
    ("defaults_nothing", {"created": WINTER, "msecs": msecs_of(WINTER), "relativeCreated": 1.5}),
    # pathname without filename/module: Python keeps the defaults ("").
    ("path_only", record(filename=DELETE, module=DELETE)),
    # levelno without levelname: levelname stays "Level None".
    ("levelno_only", record(levelname=DELETE)),
    ("levelname_only", record(levelno=DELETE)),
    ("custom_level", record(levelno=25, levelname="NOTICE")),
    ("unnamed_level", record(levelno=33, levelname="Level 33")),
    ("mismatched_level", record(levelno=20, levelname="WARNING")),
    ("null_func", record(funcName=None)),
    ("int_times", record(created=1700000000, msecs=0, relativeCreated=12)),
    ("filename_differs", record(filename="other.py", module="other")),
    ("dotfile", record(pathname="/srv/app/.hidden", filename=".hidden", module=".hidden")),
    ("tar_gz", record(pathname="/srv/app/c.tar.gz", filename="c.tar.gz", module="c.tar")),
    ("non_str_msg", record(msg=12345, args=None)),
    ("null_msg", record(msg=None, args=None)),
    ("root_name", record(name="root")),
    ("extra_message_key", record(message="ignored", asctime="ignored too")),
    ("exc_info_null", record(exc_info=None, exc_text="Traceback: x")),
    ("neg_lineno", record(lineno=-1)),
    ("str_lineno", record(lineno="12")),
    ("float_levelno", record(levelno=20.0)),
    ("bool_thread", record(thread=True)),
    ("list_name", record(name=["a", "b"])),
    ("str_created", dict(record(), created="yesterday")),
]

ODD_FORMATS = [
    # (No thread or process here: makeLogRecord's defaults are the current ones.)
    ("%", "%(name)s|%(levelname)s|%(levelno)s|%(pathname)s|%(filename)s|%(module)s|%(lineno)d|%(funcName)s|%(exc_text)s|%(stack_info)s|%(threadName)s|%(processName)s|%(msg)s|%(message)s"),
    ("{", "{name!r} {levelname!r} {levelno} {filename!r} {module!r} {funcName!r} {threadName!r} {processName!r} {created} {msecs} {relativeCreated} {msg!r}"),
    ("%", "%(asctime)s %(created)s %(msecs)s %(relativeCreated)s"),
    ("$", "$name $levelname $levelno $filename $module $funcName $msg"),
]

# Formats for records that carry thread and process (even as null).
THREAD_FORMATS = [
    ("%", "%(thread)s|%(threadName)s|%(process)s|%(processName)s|%(thread)r|%(threadName)r"),
    ("{", "{thread} {threadName!r} {process} {processName!s:>12} {thread!r}"),
    ("$", "$thread $threadName $process $processName"),
]

PLAIN_LINES = [
    ("words", "hello world", "app", "warning"),
    ("percent", "100% done %s %(x)s", "app.job", "info"),
    ("unicode", "gr\u00fc\u00dfe \u2014 \u65e5\u672c \U0001f389", "\u00fc.app", "error"),
    ("bad_json", "{not json", "app", "info"),
    ("json_array", "[1, 2, 3]", "app", "debug"),
    ("json_scalar", "42", "app", "critical"),
    ("json_string", '"quoted"', "app", "info"),
    ("empty", "", "app", "info"),
    ("spaces", "  padded  ", "root", "info"),
    ("numeric_level", "custom", "app", "25"),
]

PLAIN_FORMATS = [
    ("%", None),
    ("%", "%(levelname)s:%(name)s:%(levelno)d:%(message)s|%(pathname)s|%(funcName)s|%(lineno)d"),
    ("{", "{levelname:<8} {name!r} {message!r}"),
    ("$", "$levelname $name $message"),
]


def flags_of(style, fmt, datefmt=None, utc=False, name=None, level=None):
    flags = []
    if fmt is not None:
        flags += ["--format", fmt]
    if datefmt is not None:
        flags += ["--datefmt", datefmt]
    if style != "%":
        flags += ["--style", style]
    if utc:
        flags.append("--utc")
    if name is not None:
        flags += ["--name", name]
    if level is not None:
        flags += ["--level", level]
    return flags


def build_cases():
    """Every case as (id, tz, flags, input line, cli options)."""
    cases = []

    def add(case_id, tz, line, style="%", fmt=None, datefmt=None, utc=False, name=None, level=None):
        opts = {"style": style, "fmt": fmt, "datefmt": datefmt, "utc": utc, "name": name, "level": level}
        cases.append((case_id, tz, flags_of(style, fmt, datefmt, utc, name, level), line, opts))

    def dumps(rec):
        return json.dumps(rec, ensure_ascii=False)

    base = dumps(record())
    for tz in TZS:
        for i, (style, fmt) in enumerate(SPEC_FORMATS):
            add(f"spec{i}{style}/{tz}", tz, base, style, fmt)
        for i, fmt in enumerate(PERCENT_FORMATS):
            add(f"percent{i}/{tz}", tz, base, "%", fmt)
        for i, fmt in enumerate(BRACE_FORMATS):
            add(f"brace{i}/{tz}", tz, base, "{", fmt)
        for i, fmt in enumerate(DOLLAR_FORMATS):
            add(f"dollar{i}/{tz}", tz, base, "$", fmt)
        for style in "%{$":
            add(f"default_format{style}/{tz}", tz, base, style)

    # Dates: every datefmt at every time, local (two zones) and --utc.
    time_fmts = {
        "%": "%(asctime)s %(msecs)03d %(created)f %(message)s",
        "{": "{asctime} {msecs:03.0f} {created:f} {message}",
        "$": "$asctime $msecs $message",
    }
    for t_index, created in enumerate(TIMES):
        line = dumps(record(created=created))
        for d_index, datefmt in enumerate(DATEFMTS):
            style = "%{$"[(t_index + d_index) % 3]
            for tz in TZS:
                add(f"time{t_index}/datefmt{d_index}/{tz}", tz, line, style, time_fmts[style], datefmt)
            add(f"time{t_index}/datefmt{d_index}/utc-flag", "Europe/Berlin", line, style, time_fmts[style], datefmt, utc=True)
    for tz in MORE_TZS:
        for t_index in (0, 1, 2, 4, 9):
            line = dumps(record(created=TIMES[t_index]))
            for d_index in (0, 1, 2):
                add(f"time{t_index}/datefmt{d_index}/{tz}", tz, line, "%", time_fmts["%"], DATEFMTS[d_index])

    # Message arguments.
    arg_fmts = {"%": "%(levelname)s %(message)s", "{": "{levelname} {message}", "$": "$levelname $message"}
    for case_id, msg, args in ARG_CASES:
        line = dumps(record(msg=msg, args=args))
        for style in "%{$":
            add(f"args/{case_id}{style}", "UTC", line, style, arg_fmts[style])
        add(f"args/{case_id}/msg", "UTC", line, "%", "%(msg)s|%(args)s|%(message)r")

    # Extra keys as record attributes.
    extras = dumps(record(**EXTRAS))
    for i, (style, fmt) in enumerate(EXTRA_FORMATS):
        add(f"extra{i}{style}", "UTC", extras, style, fmt)

    # Multi-line messages, exc_text and stack_info.
    ml_fmts = [("%", "%(asctime)s %(levelname)s %(message)s"), ("{", "{levelname}: {message!r} {exc_text!r}"), ("$", "[$levelname] $message")]
    for case_id, changes in MULTILINE:
        line = dumps(record(**changes))
        for style, fmt in ml_fmts:
            add(f"multiline/{case_id}{style}", "Europe/Berlin", line, style, fmt)

    for case_id, changes in UNICODE:
        line = dumps(record(**changes))
        for i, (style, fmt) in enumerate(UNICODE_FORMATS):
            add(f"unicode/{case_id}/{i}{style}", "UTC", line, style, fmt)

    for case_id, rec in ODD_RECORDS:
        line = dumps(rec)
        for i, (style, fmt) in enumerate(ODD_FORMATS):
            add(f"odd/{case_id}/{i}{style}", "UTC", line, style, fmt)

    for case_id, changes in (("null", {"thread": None, "threadName": None, "process": None, "processName": None}), ("set", {})):
        line = dumps(record(**changes))
        for i, (style, fmt) in enumerate(THREAD_FORMATS):
            add(f"thread/{case_id}/{i}{style}", "UTC", line, style, fmt)

    # JSON quirks: repeated keys (the last wins), whitespace, Python's NaN.
    quirks = [
        ("repeated_key", '{"msg": "first", "msg": "second", "levelno": 20, "levelname": "INFO", "name": "q"}'),
        ("whitespace", '   { "msg" : "spaced" , "name" : "q" }   '),
        ("nan_created", '{"msg": "nan", "name": "q", "relativeCreated": NaN, "created": 1700000000.5, "msecs": 500.0}'),
        ("escapes", '{"msg": "tab\\t \\u00e9 \\ud83c\\udf89 \\"q\\" \\\\", "name": "q\\/r"}'),
        ("args_string", '{"msg": "%s!", "args": "abc", "name": "q"}'),
        ("args_nested_tuple", '{"msg": "%s|%r", "args": [[1, 2], ["a"]], "name": "q"}'),
    ]
    for case_id, line in quirks:
        for style, fmt in (("%", "%(name)s %(message)s"), ("{", "{name!r} {message!r}")):
            add(f"json/{case_id}{style}", "UTC", line, style, fmt)
    nan = quirks[2][1]
    add("json/nan_created/relative", "UTC", nan, "%", "%(relativeCreated)s %(relativeCreated)f %(asctime)s")
    add("json/nan_created/relative{", "UTC", nan, "{", "{relativeCreated} {relativeCreated:>8.2f} {relativeCreated!r}")

    for case_id, text, name, level in PLAIN_LINES:
        for i, (style, fmt) in enumerate(PLAIN_FORMATS):
            add(f"plain/{case_id}/{i}{style}", "UTC", text, style, fmt, name=name, level=level)
    return cases


def parse_level(text):
    """The CLI's --level: a number or a level name."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    value = logging.getLevelName(text.upper())
    if not isinstance(value, int):
        raise ValueError(f"unknown level {text!r}")
    return value


def record_from_line(line, name, level):
    """What `lumber pipe` makes of one input line, as a Python LogRecord."""
    obj = None
    if line.lstrip().startswith("{"):
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
    if isinstance(obj, dict):
        if isinstance(obj.get("args"), list):
            obj["args"] = tuple(obj["args"])
        return logging.makeLogRecord(obj)
    levelno = parse_level(level or "INFO")
    return logging.makeLogRecord({
        "name": name if name is not None else "root",
        "msg": line,
        "levelno": levelno,
        "levelname": logging.getLevelName(levelno),
    })


def python_output(tz, line, opts):
    """CPython's bytes for one case: (output, error or None)."""
    os.environ["TZ"] = tz
    time.tzset()
    style = opts["style"]
    fmt = opts["fmt"] if opts["fmt"] is not None else DEFAULT_FORMATS[style]
    formatter = logging.Formatter(fmt, opts["datefmt"], style)
    if opts["utc"]:
        formatter.converter = time.gmtime
    rec = record_from_line(line, opts["name"], opts["level"])
    try:
        return formatter.format(rec) + "\n", None
    except Exception as e:  # Python's handleError: nothing reaches the stream
        return "", f"{type(e).__name__}: {e}"


def generate():
    out = []
    seen = set()
    for case_id, tz, flags, line, opts in build_cases():
        if case_id in seen:
            raise SystemExit(f"duplicate case id {case_id}")
        seen.add(case_id)
        expected, error = python_output(tz, line, opts)
        case = {"id": case_id, "tz": tz, "flags": flags, "input": line, "expected": expected}
        if error is not None:
            case["python_error"] = error
        out.append(case)
    doc = {
        "generator": "scripts/golden.py",
        "python": "%d.%d" % sys.version_info[:2],
        "cases": out,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def main(argv):
    if sys.version_info[:2] != (3, 11):
        print(f"golden.py: needs CPython 3.11 (this is {sys.version.split()[0]})", file=sys.stderr)
        return 2
    text = generate()
    if "--stdout" in argv:
        sys.stdout.write(text)
        return 0
    if "--check" in argv:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
            tmp.write(text)
        try:
            with open(CASES_PATH, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            print(f"golden.py: {CASES_PATH} is missing; run python3 scripts/golden.py", file=sys.stderr)
            return 1
        if current == text:
            print(f"golden.py: {len(json.loads(text)['cases'])} cases up to date")
            os.unlink(tmp.name)
            return 0
        diff = difflib.unified_diff(current.splitlines(True), text.splitlines(True), CASES_PATH, tmp.name, n=2)
        sys.stdout.writelines(list(diff)[:400])
        print(f"golden.py: {CASES_PATH} is out of date (fresh copy: {tmp.name}); run python3 scripts/golden.py", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(CASES_PATH), exist_ok=True)
    with open(CASES_PATH, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"golden.py: wrote {len(json.loads(text)['cases'])} cases to {os.path.relpath(CASES_PATH, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
