"""CPython's logging.handlers as an oracle for lumber's rotating handlers.

Reads a JSON list of scenarios on stdin, runs each through the stock
RotatingFileHandler or TimedRotatingFileHandler with a fake time.time,
and prints a JSON list of results: the rollover time after each record
(timed) and every file left with its contents.
"""
import datetime
import json
import logging
import logging.handlers
import os
import shutil
import sys
import tempfile
import time

FAKE = [0.0]
time.time = lambda: FAKE[0]


def files(d):
    out = []
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            out.append([name, f.read()])
    return out


def record(msg):
    return logging.LogRecord("oracle", logging.INFO, "oracle.py", 0, msg, None, None)


def timed(s, d):
    os.environ["TZ"] = s["tz"]
    time.tzset()
    path = os.path.join(d, "app.log")
    with open(path, "w", encoding="utf-8") as f:
        f.write(s.get("initial", ""))
    os.utime(path, (s["mtime"], s["mtime"]))
    FAKE[0] = s["events"][0]
    at = s.get("at")
    h = logging.handlers.TimedRotatingFileHandler(
        path,
        when=s["when"],
        interval=s["interval"],
        backupCount=s["backup_count"],
        utc=s["utc"],
        atTime=datetime.time(*at) if at else None,
    )
    h.setFormatter(logging.Formatter("%(message)s"))
    rollovers = [h.rolloverAt]
    for i, t in enumerate(s["events"]):
        FAKE[0] = t
        h.handle(record("e%d" % i))
        rollovers.append(h.rolloverAt)
    h.close()
    return {"rollovers": rollovers, "files": files(d)}


def sized(s, d):
    path = os.path.join(d, "app.log")
    if "initial" in s:
        with open(path, "w", encoding="utf-8") as f:
            f.write(s["initial"])
    h = logging.handlers.RotatingFileHandler(
        path, maxBytes=s["max_bytes"], backupCount=s["backup_count"], encoding="utf-8"
    )
    h.setFormatter(logging.Formatter("%(message)s"))
    for msg in s["messages"]:
        h.handle(record(msg))
    h.close()
    return {"rollovers": [], "files": files(d)}


def main():
    scenarios = json.load(sys.stdin)
    results = []
    for s in scenarios:
        d = tempfile.mkdtemp(prefix="lumber-oracle-")
        try:
            results.append(timed(s, d) if s["kind"] == "timed" else sized(s, d))
        finally:
            shutil.rmtree(d, ignore_errors=True)
    json.dump(results, sys.stdout)


main()
