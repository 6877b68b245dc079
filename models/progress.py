"""A plain-text download progress bar for stderr that also reads well without a terminal."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


@dataclass
class ProgressBar:
    label: str
    total: int | None                 # bytes expected; None when the server does not say
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    width: int = 30                   # characters of bar; fits an 80-column terminal
    # Without a terminal (logs, CI) a line per 10 % (or per 10 MB when the size is unknown)
    # instead of carriage-return redraws that would fill a log with thousands of lines.
    log_step: float = 0.1
    log_step_bytes: int = 10_000_000
    show_bytes: bool = True           # False for work that is not a download (Gatys steps)
    note: str = ""                    # shown after the bar, e.g. "iteration 42"
    _last_logged: float = -1.0
    _done: int = 0

    @property
    def interactive(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, done: int) -> None:
        self._done = done
        if self.interactive:
            self.stream.write("\r" + self._line())
            self.stream.flush()
            return
        mark = (done / self.total / self.log_step if self.total
                else done / self.log_step_bytes)
        if int(mark) > self._last_logged:
            self._last_logged = int(mark)
            self.stream.write(self._line() + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\r" + self._line() + "\n")
            self.stream.flush()

    def _line(self) -> str:
        if not self.total:
            return f"{self.label}: {_megabytes(self._done)}"
        fraction = min(1.0, self._done / self.total)
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        amount = (f" {_megabytes(self._done)} / {_megabytes(self.total)}" if self.show_bytes
                  else "")
        return f"{self.label} [{bar}] {fraction * 100:3.0f}%{amount} {self.note}".rstrip()
