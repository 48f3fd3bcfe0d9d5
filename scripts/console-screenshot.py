#!/usr/bin/env python3
"""Renders `cargo run --example console` as a terminal screenshot (SVG).

Runs the example with CLICOLOR_FORCE=1 (its stderr is a pipe here, so
colors must be forced), turns the ANSI escape codes it prints into SVG text
with the same colors, and writes docs/console.svg for the README:

    python3 scripts/console-screenshot.py [--out docs/console.svg] [--input FILE]

--input reads already captured output instead of running cargo.
"""

import argparse
import html
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A dark theme (Catppuccin Mocha): the 16 ANSI colors, then fg and bg.
PALETTE = {
    30: "#45475a", 31: "#f38ba8", 32: "#a6e3a1", 33: "#f9e2af",
    34: "#89b4fa", 35: "#cba6f7", 36: "#94e2d5", 37: "#bac2de",
    90: "#585b70", 91: "#f38ba8", 92: "#a6e3a1", 93: "#f9e2af",
    94: "#89b4fa", 95: "#f5c2e7", 96: "#94e2d5", 97: "#ffffff",
}
# Backgrounds: the same hues, deeper, so that bright text stays readable.
BACKGROUND = {31: "#d20f39", 91: "#d20f39", 32: "#40a02b", 33: "#df8e1d",
              34: "#1e66f5", 35: "#8839ef", 36: "#179299"}
FG = "#cdd6f4"
BG = "#1e1e2e"
TITLE_BG = "#181825"

FONT_SIZE = 14
CHAR_W = FONT_SIZE * 0.6      # monospace advance
LINE_H = FONT_SIZE * 1.45
PAD_X, PAD_TOP, PAD_BOTTOM, TITLE_H = 18, 16, 16, 30

SGR = re.compile(r"\x1b\[([0-9;]*)m")
RECORD = re.compile(r"\x1b\[2m\d\d:\d\d:\d\d")


def xterm256(n):
    if n < 16:
        return PALETTE[(30 + n) if n < 8 else (90 + n - 8)]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[n // 6 % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = False

    def key(self):
        return (self.fg, self.bg, self.bold, self.dim, self.italic, self.underline)

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif 30 <= c <= 37 or 90 <= c <= 97:
                self.fg = PALETTE[c]
            elif 40 <= c <= 47 or 100 <= c <= 107:
                base = c - 10
                self.bg = BACKGROUND.get(base, PALETTE[base])
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    color = xterm256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    color = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                    i += 4
                else:
                    color = None
                if c == 38:
                    self.fg = color
                else:
                    self.bg = color
            i += 1


def parse(text):
    """Lines of (text, style-key) runs."""
    style = Style()
    lines = []
    for raw in text.rstrip("\n").split("\n"):
        runs = []
        pos = 0
        for m in SGR.finditer(raw):
            if m.start() > pos:
                runs.append((raw[pos:m.start()], style.key()))
            style.apply(m.group(1))
            pos = m.end()
        if pos < len(raw):
            runs.append((raw[pos:], style.key()))
        lines.append(runs)
    return lines


def svg(lines, title, prompt):
    lines = [[(prompt, ("#a6e3a1", None, True, False, False, False))]] + lines
    cols = max((sum(len(t) for t, _ in runs) for runs in lines), default=0)
    width = int(PAD_X * 2 + max(cols, 60) * CHAR_W)
    height = int(TITLE_H + PAD_TOP + len(lines) * LINE_H + PAD_BOTTOM)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
        "<style>text{font-family:'JetBrains Mono','Cascadia Mono','SF Mono',Menlo,Consolas,"
        f"'DejaVu Sans Mono','Liberation Mono',monospace;font-size:{FONT_SIZE}px;"
        "white-space:pre}</style>",
        f'<rect width="{width}" height="{height}" rx="10" fill="{BG}"/>',
        f'<path d="M0 10a10 10 0 0 1 10-10h{width - 20}a10 10 0 0 1 10 10v{TITLE_H - 10}'
        f'h-{width}z" fill="{TITLE_BG}"/>',
    ]
    for i, color in enumerate(["#f38ba8", "#f9e2af", "#a6e3a1"]):
        out.append(f'<circle cx="{20 + i * 20}" cy="{TITLE_H / 2}" r="6" fill="{color}"/>')
    out.append(
        f'<text x="{width / 2}" y="{TITLE_H / 2 + 4.5}" fill="#6c7086" '
        f'text-anchor="middle" font-size="12">{html.escape(title)}</text>'
    )
    for row, runs in enumerate(lines):
        baseline = TITLE_H + PAD_TOP + row * LINE_H + FONT_SIZE
        col = 0
        for text, (fg, bg, bold, dim, italic, underline) in runs:
            x = PAD_X + col * CHAR_W
            if bg:
                out.append(
                    f'<rect x="{x:.1f}" y="{baseline - FONT_SIZE + 1:.1f}" '
                    f'width="{len(text) * CHAR_W:.1f}" height="{LINE_H - 2:.1f}" fill="{bg}"/>'
                )
            attrs = [f'x="{x:.1f}"', f'y="{baseline:.1f}"', f'fill="{fg or FG}"',
                     'xml:space="preserve"']
            if bold:
                attrs.append('font-weight="bold"')
            if dim:
                attrs.append('fill-opacity="0.55"')
            if italic:
                attrs.append('font-style="italic"')
            if underline:
                attrs.append('text-decoration="underline"')
            if text.strip():
                out.append(f"<text {' '.join(attrs)}>{html.escape(text)}</text>")
            col += len(text)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "console.svg"))
    ap.add_argument("--input", help="read captured output instead of running the example")
    args = ap.parse_args()
    if args.input:
        text = Path(args.input).read_text(encoding="utf-8")
    else:
        env = dict(os.environ, CLICOLOR_FORCE="1", CARGO_TERM_COLOR="never")
        env.pop("NO_COLOR", None)
        done = subprocess.run(
            ["cargo", "run", "-q", "-p", "lumber", "--example", "console"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stderr.decode("utf-8", "replace"))
            sys.exit(done.returncode)
        # The example logs to stderr, where cargo may also replay compiler
        # warnings: start at the first record (a dim time).
        text = done.stderr.decode("utf-8")
        lines = text.split("\n")
        first = next((i for i, l in enumerate(lines) if RECORD.match(l)), 0)
        text = "\n".join(lines[first:])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        svg(parse(text), "lumber — ConsoleFormatter", "$ cargo run --example console"),
        encoding="utf-8",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
