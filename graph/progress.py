"""Progress of a long build: a bar on a terminal, plain lines in a log, nothing when quiet."""

from __future__ import annotations

import time
from typing import TextIO

#: Seconds between two plain progress lines when the output is not a terminal.
LINE_EVERY = 5.0
BAR_WIDTH = 30


class ProgressReport:
    """Called with (done, total): a bar on a terminal, else a line every few seconds."""

    def __init__(self, out: TextIO, terminal: bool | None = None) -> None:
        self.out = out
        self.terminal = out.isatty() if terminal is None else terminal
        self.start = time.monotonic()
        self.last = 0.0
        self.first: int | None = None
        self.shown = False  # a short build shows nothing, not even its last line

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = done  # articles found in the cache: not part of the rate
            self.start = self.last = now
            return
        finished = done == total
        if now - self.last < (0.1 if self.terminal else LINE_EVERY):
            if not (finished and self.shown):
                return
        self.shown = True
        self.last = now
        line = self.line(done, total, now - self.start)
        if self.terminal:
            self.out.write("\r" + line + ("\n" if finished else ""))
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def line(self, done: int, total: int, elapsed: float) -> str:
        """`[#####.....] 500/1000 articles, 250/s, 2 s left`."""
        rate = (done - (self.first or 0)) / elapsed if elapsed > 0 else 0.0
        left = f"{(total - done) / rate:.0f} s left" if rate > 0 and done < total else "done"
        text = f"{done}/{total} articles, {rate:.0f}/s, {left}"
        if not self.terminal:
            return "Extracting: " + text
        filled = BAR_WIDTH * done // max(total, 1)
        return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {text}"
