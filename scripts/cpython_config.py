#!/usr/bin/env python3
"""CPython's side of lumber's `cpython_config` test.

    cpython_config.py run SPEC.json
        Runs the steps of a scenario in the current directory and writes
        {"steps": [...], "tree": {...}} as JSON to the file SPEC's "out"
        names, so that the process's real stdout carries nothing but what
        handlers write to it (`ext://sys.stdout`, `args=(sys.stdout,)`):
        the test compares that with lumber's.
        SPEC is {"out": path, "steps": [step, ...]} where a step is one of
          ["create", logger_name]                  logging.getLogger(name)
          ["config", "dict", path_to_json]         logging.config.dictConfig
          ["config", "ini", path_to_ini, disable]  logging.config.fileConfig
          ["log", logger_name, level_name, message]
        "steps" in the output holds, for each config step, null or the
        error's text. After the tree is taken, logging.shutdown() runs
        (which flushes MemoryHandlers into their targets and closes files).

    cpython_config.py suite
        Prints `@@JSON@@{...}`: the configurations of CPython's own
        test.test_logging (ConfigFileTest INI strings, ConfigDictTest dicts
        that are plain JSON), each with whether CPython accepts it.
"""

import io
import json
import logging
import logging.config
import logging.handlers
import sys

STYLES = {"PercentStyle": "%", "StrFormatStyle": "{", "StringTemplateStyle": "$"}


def level_name(level):
    return logging.getLevelName(level)


def project_handler(h):
    fmt = h.formatter
    out = {
        "name": h.name,
        "class": type(h).__name__,
        "level": level_name(h.level),
        "formatter_fmt": fmt._fmt if fmt is not None else None,
        "formatter_datefmt": fmt.datefmt if fmt is not None else None,
        "formatter_style": STYLES.get(type(fmt._style).__name__, "?") if fmt is not None else None,
        "filters": [getattr(f, "name", "?") for f in h.filters],
    }
    target = getattr(h, "target", None)
    if isinstance(target, logging.Handler):
        out["target"] = target.name
    return out


def project_logger(lg, is_root):
    out = {
        "level": level_name(lg.level),
        "effective_level": level_name(lg.getEffectiveLevel()),
        "handlers": [project_handler(h) for h in lg.handlers],
        "filters": [getattr(f, "name", "?") for f in lg.filters],
    }
    if not is_root:
        out["propagate"] = bool(lg.propagate)
        out["disabled"] = bool(lg.disabled)
    return out


def tree():
    out = {"": project_logger(logging.root, True)}
    for name, lg in sorted(logging.Logger.manager.loggerDict.items()):
        if isinstance(lg, logging.Logger):
            out[name] = project_logger(lg, False)
    return out


def run(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    results = []
    for step in spec["steps"]:
        kind = step[0]
        if kind == "create":
            logging.getLogger(step[1])
        elif kind == "config":
            try:
                if step[1] == "dict":
                    with open(step[2], encoding="utf-8") as f:
                        logging.config.dictConfig(json.load(f))
                else:
                    disable = step[3] if len(step) > 3 else True
                    logging.config.fileConfig(step[2], disable_existing_loggers=disable)
                results.append(None)
            except Exception as e:  # noqa: BLE001 - reported to the test
                results.append(f"{type(e).__name__}: {e}")
        elif kind == "log":
            lg = logging.getLogger(step[1]) if step[1] else logging.root
            lg.log(logging.getLevelName(step[2]), step[3])
        else:
            raise SystemExit(f"unknown step {step!r}")
    t = tree()
    logging.shutdown()
    with open(spec["out"], "w", encoding="utf-8") as f:
        json.dump({"steps": results, "tree": t}, f)


def plain_json(value):
    """JSON text of `value`, or None if it holds anything JSON does not."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        return None
    if json.loads(text) != value:
        return None
    return text


def usable_dict(value):
    """Whether a dictConfig dict uses only what a config file could say."""
    text = plain_json(value)
    if text is None:
        return None
    if '"()"' in text or "cfg://" in text:
        return None
    for s in ("ext://",):
        i = text.find(s)
        while i != -1:
            rest = text[i:]
            # sys.stdout, sys.stderr (and ConfigDictTest.config2's misspelt sys.stdbout).
            if not rest.startswith("ext://sys.std"):
                return None
            i = text.find(s, i + 1)
    return text


def suite():
    import test.test_logging as t

    out = []
    real_out, real_err = sys.stdout, sys.stderr
    for cls, kind in ((t.ConfigFileTest, "ini"), (t.ConfigDictTest, "dict")):
        for name in sorted(dir(cls)):
            if not (name.startswith("config") or name in ("disable_test", "out_of_order")):
                continue
            value = getattr(cls, name)
            if kind == "ini":
                if not isinstance(value, str):
                    continue
                text = value
                if "{tempfile}" in text:
                    # ConfigFileTest.config8 is a str.format template.
                    text = text.format(tempfile="config8.log")
            else:
                if not isinstance(value, dict):
                    continue
                text = usable_dict(value)
                if text is None:
                    out.append({"name": f"{cls.__name__}.{name}", "kind": kind, "skipped": True})
                    continue
            # Each configuration on its own: no handlers left by the one before
            # (ConfigDictTest applies config9a/9b after config9; lumber reads
            # each alone).
            logging.shutdown()
            logging._handlers.clear()
            del logging._handlerList[:]
            sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
            try:
                if kind == "ini":
                    import textwrap

                    logging.config.fileConfig(io.StringIO(textwrap.dedent(text)))
                else:
                    logging.config.dictConfig(json.loads(text))
                error = None
            except Exception as e:  # noqa: BLE001 - reported to the test
                error = f"{type(e).__name__}: {e}"
            finally:
                sys.stdout, sys.stderr = real_out, real_err
            if kind == "ini":
                import textwrap

                text = textwrap.dedent(text)
            out.append({"name": f"{cls.__name__}.{name}", "kind": kind, "text": text, "python_error": error})
    # ConfigDictTest.test_out_of_order_with_dollar_style's configuration.
    import copy

    config = copy.deepcopy(t.ConfigDictTest.out_of_order)
    config["formatters"]["mySimpleFormatter"]["format"] = "${asctime} (${name}) ${levelname}: ${message}"
    logging.shutdown()
    logging._handlers.clear()
    del logging._handlerList[:]
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        logging.config.dictConfig(copy.deepcopy(config))
        error = None
    except Exception as e:  # noqa: BLE001 - reported to the test
        error = f"{type(e).__name__}: {e}"
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    out.append({
        "name": "ConfigDictTest.out_of_order_with_dollar_style",
        "kind": "dict",
        "text": json.dumps(config),
        "python_error": error,
    })
    logging.shutdown()
    sys.stdout.write("@@JSON@@" + json.dumps(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        run(sys.argv[2])
    elif len(sys.argv) >= 2 and sys.argv[1] == "suite":
        suite()
    else:
        raise SystemExit(__doc__)
