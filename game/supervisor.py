"""Keep the kiosk running: restart the game when it crashes, stop when staff quit.

    python -m game.supervisor [--log PATH] [--backoff S] [--max-backoff S] -- COMMAND...

Exit code 0 from the game means staff quit on purpose (admin key chord): the supervisor
stops too. Anything else, a non-zero code or death by a signal, is a crash: one line goes
to the log and the game is started again after a delay that doubles with each quick crash
(so a game that dies on start-up does not spin a CPU) and resets after a healthy run.
SIGTERM and SIGINT are passed on to the game and then the supervisor stops without a
restart, so `systemctl stop` and Ctrl-C behave.

Standard library only: the supervisor must keep working when the game's own dependencies
(pygame, numpy, a broken venv package) are what makes it crash.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Protocol

from game.files import make_folder, open_for_append  # standard library only, too

REPO = Path(__file__).resolve().parent.parent
LOG_FILENAME = "supervisor.log"
# Shell convention for "command not found / could not execute".
CANNOT_START = 127
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Child(Protocol):
    """The part of subprocess.Popen the supervisor uses; tests may wrap a real Popen."""

    returncode: int | None

    def wait(self) -> int: ...

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...


@dataclass
class SupervisorSettings:
    command: list[str]
    # Short enough that visitors barely notice a one-off crash.
    backoff_s: float = 2.0
    # A game that dies on every start still gets retried each minute (a late network
    # mount or display may fix it) without filling the log or heating the box.
    max_backoff_s: float = 60.0
    # Five minutes means at least one round was played: the crash was not a start-up loop.
    healthy_after_s: float = 300.0
    # Normally <data_dir>/supervisor.log; None writes crash lines to stderr (journald).
    log_path: Path | None = None
    # None = restart forever (a kiosk); a number bounds the loop for tests.
    max_restarts: int | None = None

    def __post_init__(self) -> None:
        if not self.command:
            raise ValueError("command must not be empty")
        if self.backoff_s < 0 or self.max_backoff_s < 0 or self.healthy_after_s < 0:
            raise ValueError("backoff_s, max_backoff_s and healthy_after_s must be >= 0")
        if self.max_restarts is not None and self.max_restarts < 0:
            raise ValueError("max_restarts must be >= 0 or None")


@dataclass
class SupervisorReport:
    restarts: int = 0
    # Popen convention: negative means killed by that signal; None only before a first run.
    last_exit: int | None = None
    # Name of the signal (SIGTERM, SIGINT) that stopped the supervisor, if one did.
    stopped_by: str | None = None
    # Delays actually requested between runs, in order; handy when reading a report.
    delays: list[float] = field(default_factory=list)


class _StopRequested(Exception):
    """Raised by the signal handler only while backing off, to cut the sleep short."""


@dataclass
class _RunState:
    child: Child | None = None
    stop_signal: int | None = None
    sleeping: bool = False
    log_failed: bool = False


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def exit_status(code: int) -> int:
    """A returncode as a process exit status: death by signal N becomes 128+N like a shell."""
    return 128 - code if code < 0 else code


def _write_line(settings: SupervisorSettings, state: _RunState, line: str) -> None:
    stamped = f"{datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ} {line}\n"
    if settings.log_path is not None and not state.log_failed:
        try:
            make_folder(settings.log_path.parent)
            # Opened per line: restarts are rare, and a rotated or deleted log just
            # starts again instead of the supervisor writing into an unlinked file.
            with open_for_append(settings.log_path) as log:
                log.write(stamped)
                log.flush()
            return
        except OSError as error:
            # A full disk or read-only data folder must not stop the restarts: from now
            # on the lines go to stderr, which journald or the terminal keeps.
            state.log_failed = True
            print(f"supervisor: cannot write {settings.log_path} ({error}); "
                  "logging to stderr", file=sys.stderr)
    sys.stderr.write(f"supervisor: {stamped}")
    sys.stderr.flush()


def _install_handlers(state: _RunState) -> dict[int, object] | None:
    if threading.current_thread() is not threading.main_thread():
        return None     # Python only allows signal handlers in the main thread.

    def on_stop(signum: int, _frame: object) -> None:
        state.stop_signal = signum
        child = state.child
        if child is not None and child.poll() is None:
            child.send_signal(signum)
        if state.sleeping:
            # Cleared first so at most one _StopRequested is ever raised per pause.
            state.sleeping = False
            raise _StopRequested

    return {sig: signal.signal(sig, on_stop) for sig in STOP_SIGNALS}


def _start(run: Callable[[list[str]], Child], settings: SupervisorSettings,
           state: _RunState) -> Child | None:
    try:
        child = run(settings.command)
    except OSError as error:
        _write_line(settings, state, f"cannot start {settings.command[0]!r}: {error}")
        return None
    state.child = child
    if state.stop_signal is not None:
        # The signal came between Popen and the line above: the handler missed this child.
        child.send_signal(state.stop_signal)
    return child


def run_supervisor(settings: SupervisorSettings, *, sleep: Callable[[float], None] = time.sleep,
                   run: Callable[[list[str]], Child] = subprocess.Popen,
                   clock: Callable[[], float] = time.monotonic,
                   handle_signals: bool = True) -> SupervisorReport:
    """Run settings.command until it exits 0, a stop signal arrives or max_restarts runs out.

    `clock` is read exactly twice per run (start and end) to time it.
    """
    state = _RunState()
    report = SupervisorReport()
    previous = _install_handlers(state) if handle_signals else None
    delay = min(settings.backoff_s, settings.max_backoff_s)
    try:
        while True:
            started = clock()
            child = _start(run, settings, state)
            code = CANNOT_START if child is None else child.wait()
            length = clock() - started
            state.child = None
            report.last_exit = code
            if state.stop_signal is not None:
                report.stopped_by = signal.Signals(state.stop_signal).name
                return report
            if code == 0:
                return report
            if length > settings.healthy_after_s:
                # A long good run before this crash: treat it as a first crash, not the
                # next step of a crash loop.
                delay = min(settings.backoff_s, settings.max_backoff_s)
            what = f"crash: {describe_exit(code)} after {length:.1f}s"
            if settings.max_restarts is not None and report.restarts >= settings.max_restarts:
                _write_line(settings, state,
                            f"{what}; giving up after {report.restarts} restarts")
                return report
            report.restarts += 1
            _write_line(settings, state, f"{what}; restart {report.restarts} in {delay:g}s")
            report.delays.append(delay)
            try:
                try:
                    state.sleeping = True
                    sleep(delay)
                finally:
                    state.sleeping = False
            except _StopRequested:
                pass     # a stop signal cut the pause short; handled just below
            if state.stop_signal is not None:
                # Stopped during the pause: nothing runs, report it as ended by the signal.
                report.last_exit = -state.stop_signal
                report.stopped_by = signal.Signals(state.stop_signal).name
                return report
            delay = min(delay * 2, settings.max_backoff_s)
    finally:
        if previous is not None:
            for sig, handler in previous.items():
                # None: a handler set outside Python; the default is the closest match.
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def supervise(settings: SupervisorSettings, *, sleep: Callable[[float], None] = time.sleep,
              run: Callable[[list[str]], Child] = subprocess.Popen,
              clock: Callable[[], float] = time.monotonic) -> int:
    """The last child's returncode (0 after a staff quit; negative if killed by a signal)."""
    report = run_supervisor(settings, sleep=sleep, run=run, clock=clock)
    return CANNOT_START if report.last_exit is None else report.last_exit


def default_command() -> list[str]:
    return [sys.executable, str(REPO / "main.py"), "--kiosk"]


def build_parser() -> argparse.ArgumentParser:
    defaults = SupervisorSettings(command=["unused"])
    parser = argparse.ArgumentParser(
        prog="python -m game.supervisor",
        description="Restart the Style Duel kiosk when it crashes.",
        epilog="After --: the full command to run, or only game options (starting with -) "
               "to add to the default: python main.py --kiosk.")
    parser.add_argument("--log", type=Path, metavar="PATH",
                        help="append crash lines here (normally <data_dir>/supervisor.log); "
                             "default: stderr")
    parser.add_argument("--backoff", type=float, default=defaults.backoff_s, metavar="S",
                        help="first restart delay in seconds (default %(default)s)")
    parser.add_argument("--max-backoff", type=float, default=defaults.max_backoff_s,
                        metavar="S", help="longest restart delay (default %(default)s)")
    parser.add_argument("--max-restarts", type=int, metavar="N",
                        help="give up after N restarts (for testing; default: never)")
    return parser


def settings_from_argv(argv: list[str]) -> SupervisorSettings:
    """Parse `[options] -- COMMAND...`; raises SystemExit or ValueError on bad input."""
    # Split by hand: argparse would try to read the game's own options as ours.
    own, command = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) \
        if "--" in argv else (argv, [])
    args = build_parser().parse_args(own)
    if not command or command[0].startswith("-"):
        # `main.py supervise -- --config X` passes game options only: a command never
        # starts with a dash.
        command = default_command() + command
    return SupervisorSettings(command=command, backoff_s=args.backoff,
                              max_backoff_s=args.max_backoff, log_path=args.log,
                              max_restarts=args.max_restarts)


def main(argv: list[str] | None = None) -> int:
    try:
        settings = settings_from_argv(sys.argv[1:] if argv is None else list(argv))
    except ValueError as error:
        print(f"supervisor: {error}", file=sys.stderr)
        return 2
    return exit_status(supervise(settings))


if __name__ == "__main__":
    sys.exit(main())
