"""Keeps the libraries' start-up chatter off the terminal (`main.py -v` shows it all).

What fills a terminal when the game starts is not ours and tells a player nothing: ALSA's
"cannot find card" lines when SDL probes audio on a machine without a sound card,
libwayland's "XDG_RUNTIME_DIR is invalid or not set", and TensorFlow's CUDA probing in
the NST workers ("Could not find cuda drivers", "failed call to cuInit"), which it logs
before its own log level applies. They come from C code writing straight to file
descriptor 2, and the workers are other processes, so no Python logging setting reaches
them.

`install()` therefore puts a filter between file descriptor 2 and the real stderr: a
small process (this file run as a script, stdlib only) that passes every line through
except those known lines. Child processes (the NST workers, model downloads) inherit the
filtered descriptor. A terminal stays a terminal (a pseudo-terminal in raw mode stands in
for it, so progress bars still redraw in place), partial lines pass at once unless they
may be the start of a known line, and the filter ignores Ctrl+C and SIGTERM: it ends when
the last process writing to it has, so the game's own last words always get out.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

# Whole lines that are library chatter. The glog-style lines (TensorFlow, XLA, absl) are
# dropped at INFO and WARNING; an ERROR only when it is about the missing GPU.
NOISE = re.compile(
    rb"^(ALSA lib .*"
    rb"|.*XDG_RUNTIME_DIR.*"
    rb"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to"
    rb" STDERR"
    rb"|[IW]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\] .*"
    rb"|E\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\] .*(?i:cuda|cuinit|cudnn|cufft|cublas"
    rb"|tensorrt|gpu).*"
    rb"|INFO: Created TensorFlow Lite XNNPACK delegate for CPU\.)\r?$")
# How known lines begin: a partial line that may still become one waits for its end.
NOISE_STARTS = (b"ALSA lib ", b"error: XDG_RUNTIME_DIR", b"WARNING: All log messages",
                b"INFO: Created TensorFlow Lite")
# (Before absl is set up the "time" is 00:00:<seconds since 1970>.)
GLOG_START = re.compile(rb"^[IWE]\d{0,4}( \d{0,2}(:\d{0,2}(:\d*(\.\d*( +\d*)?)?)?)?)?$"
                        rb"|^[IWE]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ ")
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2"}          # what TensorFlow itself can hold back
VERBOSE_ENV = {"TF_CPP_MIN_LOG_LEVEL": "0"}


def is_noise(line: bytes) -> bool:
    """A whole line (without its newline) that is library chatter."""
    return NOISE.match(line) is not None


def may_become_noise(partial: bytes) -> bool:
    """A line's beginning that could still turn out to be one of the known lines."""
    if any(start.startswith(partial) or partial.startswith(start) for start in NOISE_STARTS):
        return True
    return GLOG_START.match(partial) is not None


class LineFilter:
    """Bytes in, bytes out: drops known lines, passes everything else as soon as it can."""

    def __init__(self) -> None:
        self.held = b""          # the start of a line that may be chatter
        self.passing = False     # the current line was already let through in part

    def feed(self, data: bytes) -> bytes:
        out = []
        lines = (self.held + data).split(b"\n")
        self.held = b""
        for line in lines[:-1]:
            if self.passing or not is_noise(line):
                out.append(line + b"\n")
            self.passing = False
        last = lines[-1]
        if last:
            if not self.passing and may_become_noise(last):
                self.held = last
            else:
                out.append(last)
                self.passing = True
        return b"".join(out)

    def end(self) -> bytes:
        held, self.held = self.held, b""
        return b"" if is_noise(held) else held


def run_filter(source: int, sink: int) -> None:
    """Copy source to sink through a LineFilter until every writer of source is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the game decides when it ends
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    lines = LineFilter()
    while True:
        try:
            data = os.read(source, 65536)
        except OSError:          # a pseudo-terminal whose last writer closed: EIO
            data = b""
        out = lines.feed(data) if data else lines.end()
        if out:
            try:
                os.write(sink, out)
            except OSError:      # nobody reads stderr any more: nothing left to do
                return
        if not data:
            return


def quiet_environment(verbose: bool) -> None:
    """Settings every process started from here inherits (the NST workers read them)."""
    for name, value in (VERBOSE_ENV if verbose else QUIET_ENV).items():
        os.environ.setdefault(name, value)
    if not verbose:
        import warnings

        # pygame's SCALED window on a machine without a GPU renderer: nothing to act on.
        warnings.filterwarnings("ignore", message="no fast renderer available")


def install() -> bool:
    """Route this process's stderr (fd 2) and its children's through the filter.

    Returns False, changing nothing, where that cannot be done (not POSIX, no fd 2, the
    filter process cannot start): the chatter then shows, nothing else changes.
    """
    if os.name != "posix":
        return False
    try:
        real = os.dup(2)
    except OSError:
        return False
    try:
        reader, writer = _pseudo_terminal(real) if os.isatty(real) else os.pipe()
        sys.stderr.flush()
        subprocess.Popen([sys.executable, "-I", "-S", os.path.abspath(__file__)],
                         stdin=reader, stdout=real, stderr=real, close_fds=True)
    except OSError:
        os.close(real)
        return False
    os.dup2(writer, 2)
    for fd in (reader, writer, real):
        os.close(fd)
    return True


def _pseudo_terminal(real: int) -> tuple[int, int]:
    """(reader, writer) of a pseudo-terminal that passes bytes unchanged, sized as `real`,
    so whoever asks whether stderr is a terminal still hears yes."""
    import fcntl
    import termios
    import tty

    reader, writer = os.openpty()
    tty.setraw(writer)
    try:
        size = fcntl.ioctl(real, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(writer, termios.TIOCSWINSZ, size)
    except OSError:
        pass
    return reader, writer


if __name__ == "__main__":
    run_filter(0, 1)
