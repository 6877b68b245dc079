"""The kiosk supervisor, against real child processes and real log files."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from game.supervisor import (SupervisorSettings, default_command, exit_status, main,
                             run_supervisor, settings_from_argv, supervise)

ROOT = Path(__file__).resolve().parent.parent
# A bound for tests whose child ends with exit 0: a supervisor that wrongly restarted after
# a staff quit would fail the run counts instead of looping forever.
BOUND = 5
# Generous: these bound how long a broken supervisor may hang a test run, they do not
# measure how fast a working one is.
PATIENCE_S = 20.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def child_script(tmp_path: Path, body: str) -> list[str]:
    """A child that bumps tmp_path/runs on every start, then runs `body` with `run` set."""
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent("""\
        import os, signal, sys, time
        from pathlib import Path
        counter = Path(sys.argv[1])
        run = int(counter.read_text()) + 1 if counter.exists() else 1
        counter.write_text(str(run))
        """) + textwrap.dedent(body), encoding="utf-8")
    return [sys.executable, str(script), str(tmp_path / "runs")]


def runs(tmp_path: Path) -> int:
    counter = tmp_path / "runs"
    return int(counter.read_text()) if counter.exists() else 0


def log_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


class FakeSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_two_crashes_then_staff_quit(tmp_path):
    command = child_script(tmp_path, "sys.exit(3 if run <= 2 else 0)\n")
    log = tmp_path / "data" / "supervisor.log"     # the folder does not exist yet
    sleep = FakeSleep()
    settings = SupervisorSettings(command=command, backoff_s=0.5, log_path=log,
                                  max_restarts=BOUND)

    report = run_supervisor(settings, sleep=sleep)

    assert (report.restarts, report.last_exit, report.stopped_by) == (2, 0, None)
    assert runs(tmp_path) == 3
    # One line per crash; the clean exit 0 is not a crash and writes nothing.
    lines = log_lines(log)
    assert len(lines) == 2
    assert all("crash: exit code 3" in line for line in lines)
    assert "restart 1 in 0.5s" in lines[0] and "restart 2 in 1s" in lines[1]
    assert lines[0][:20].endswith("Z")              # UTC stamp, e.g. 2025-01-01T12:00:00Z


def test_supervise_returns_zero_after_staff_quit(tmp_path):
    command = child_script(tmp_path, "sys.exit(3 if run == 1 else 0)\n")
    settings = SupervisorSettings(command=command, max_restarts=BOUND)
    assert supervise(settings, sleep=FakeSleep()) == 0
    assert runs(tmp_path) == 2


def test_staff_quit_first_time_never_restarts(tmp_path):
    command = child_script(tmp_path, "sys.exit(0)\n")
    log = tmp_path / "supervisor.log"
    sleep = FakeSleep()
    settings = SupervisorSettings(command=command, log_path=log, max_restarts=BOUND)
    report = run_supervisor(settings, sleep=sleep)
    assert (report.restarts, report.last_exit, runs(tmp_path)) == (0, 0, 1)
    assert sleep.delays == [] and not log.exists()


def test_sigkill_counts_as_crash_and_names_the_signal(tmp_path):
    command = child_script(tmp_path, """\
        if run == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        sys.exit(0)
        """)
    log = tmp_path / "supervisor.log"
    settings = SupervisorSettings(command=command, log_path=log, max_restarts=BOUND)
    report = run_supervisor(settings, sleep=FakeSleep())
    assert (report.restarts, report.last_exit, runs(tmp_path)) == (1, 0, 2)
    [line] = log_lines(log)
    assert "killed by SIGKILL" in line


def test_backoff_doubles_up_to_the_cap(tmp_path):
    command = child_script(tmp_path, "sys.exit(1)\n")
    log = tmp_path / "supervisor.log"
    sleep = FakeSleep()
    settings = SupervisorSettings(command=command, backoff_s=1, max_backoff_s=5,
                                  log_path=log, max_restarts=5)
    report = run_supervisor(settings, sleep=sleep)
    assert sleep.delays == [1, 2, 4, 5, 5]
    assert report.delays == sleep.delays
    assert (report.restarts, report.last_exit, runs(tmp_path)) == (5, 1, 6)
    lines = log_lines(log)
    assert len(lines) == 6                          # five restarts and the give-up
    assert "giving up after 5 restarts" in lines[-1]


def test_healthy_run_resets_backoff(tmp_path):
    command = child_script(tmp_path, "sys.exit(1)\n")
    # Run lengths 1, 1, 400 (healthy: over 300 s), 1, 1 seconds; the clock is read at the
    # start and the end of each run.
    readings = iter([0, 1, 10, 11, 20, 420, 500, 501, 600, 601])
    sleep = FakeSleep()
    settings = SupervisorSettings(command=command, backoff_s=1, max_backoff_s=60,
                                  healthy_after_s=300, max_restarts=4)
    report = run_supervisor(settings, sleep=sleep, clock=lambda: next(readings))
    assert sleep.delays == [1, 2, 1, 2]
    assert report.restarts == 4 and runs(tmp_path) == 5
    assert next(readings, None) is None             # every run was timed


def test_max_restarts_zero_runs_once(tmp_path):
    command = child_script(tmp_path, "sys.exit(7)\n")
    sleep = FakeSleep()
    report = run_supervisor(SupervisorSettings(command=command, max_restarts=0), sleep=sleep)
    assert (report.restarts, report.last_exit, runs(tmp_path)) == (0, 7, 1)
    assert sleep.delays == []


def test_unwritable_log_does_not_stop_supervision(tmp_path, capfd):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, so nothing can be created under it, even by root")
    log = blocker / "log"
    command = child_script(tmp_path, "sys.exit(3 if run <= 2 else 0)\n")
    settings = SupervisorSettings(command=command, log_path=log, max_restarts=BOUND)
    report = run_supervisor(settings, sleep=FakeSleep())
    assert (report.restarts, report.last_exit, runs(tmp_path)) == (2, 0, 3)
    assert not log.exists()
    err = capfd.readouterr().err
    assert err.count("cannot write") == 1           # said once, not on every crash
    assert err.count("crash: exit code 3") == 2


def test_command_that_cannot_start_is_retried(tmp_path):
    log = tmp_path / "supervisor.log"
    settings = SupervisorSettings(command=[str(tmp_path / "no-such-program")],
                                  log_path=log, max_restarts=1)
    report = run_supervisor(settings, sleep=FakeSleep())
    assert (report.restarts, report.last_exit) == (1, 127)
    lines = log_lines(log)
    assert len(lines) == 4                          # "cannot start" + crash, twice
    assert "cannot start" in lines[0] and "exit code 127" in lines[1]


def test_settings_reject_nonsense():
    with pytest.raises(ValueError):
        SupervisorSettings(command=[])
    with pytest.raises(ValueError):
        SupervisorSettings(command=["x"], backoff_s=-1)
    with pytest.raises(ValueError):
        SupervisorSettings(command=["x"], max_restarts=-1)


def test_exit_status_maps_signals_like_a_shell():
    assert [exit_status(c) for c in (0, 3, -signal.SIGTERM)] == [0, 3, 143]


def test_main_runs_the_command_after_double_dash(tmp_path):
    command = child_script(tmp_path, "sys.exit(4 if run == 1 else 0)\n")
    log = tmp_path / "supervisor.log"
    argv = ["--log", str(log), "--backoff", "0", "--max-restarts", str(BOUND), "--", *command]
    assert main(argv) == 0
    assert runs(tmp_path) == 2 and len(log_lines(log)) == 1


def test_default_command_is_the_kiosk():
    assert default_command() == [sys.executable, str(ROOT / "main.py"), "--kiosk"]


def test_game_options_after_double_dash_extend_the_kiosk_command(tmp_path):
    # What `main.py supervise -- --config X` hands over: game options, not a command.
    settings = settings_from_argv(["--log", str(tmp_path / "s.log"), "--backoff", "1",
                                   "--", "--config", "kiosk.toml"])
    assert settings.command == default_command() + ["--config", "kiosk.toml"]
    assert (settings.log_path, settings.backoff_s) == (tmp_path / "s.log", 1.0)
    assert settings_from_argv([]).command == default_command()
    assert settings_from_argv(["--", "game", "-x"]).command == ["game", "-x"]


def test_main_rejects_bad_settings(capsys):
    assert main(["--backoff", "-1", "--", "true"]) == 2
    assert "must be >= 0" in capsys.readouterr().err


def start_supervisor(tmp_path: Path, command: list[str], backoff_s: float):
    """`python -m game.supervisor` in its own process, so signals hit it and not pytest."""
    log = tmp_path / "supervisor.log"
    return subprocess.Popen(
        [sys.executable, "-m", "game.supervisor", "--log", str(log),
         "--backoff", str(backoff_s), "--", *command], cwd=ROOT), log


def test_sigterm_is_forwarded_and_stops_without_restart(tmp_path):
    command = child_script(tmp_path, """\
        Path(sys.argv[1] + ".pid").write_text(str(os.getpid()))
        time.sleep(600)
        """)
    pid_file = tmp_path / "runs.pid"
    supervisor, log = start_supervisor(tmp_path, command, backoff_s=0)
    child_pid = None
    try:
        wait_for(pid_file.exists, "the child to start")
        wait_for(lambda: pid_file.read_text() != "", "the child's pid")
        child_pid = int(pid_file.read_text())
        supervisor.send_signal(signal.SIGTERM)
        code = supervisor.wait(timeout=PATIENCE_S)
        # The child died of the forwarded SIGTERM; the supervisor reports it as 128+15.
        assert code == 143
        wait_for(lambda: not pid_alive(child_pid), "the child to be gone")
        assert runs(tmp_path) == 1                  # stopped, not restarted
        assert log_lines(log) == []                 # a stop is not a crash
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
        if child_pid is not None and pid_alive(child_pid):
            os.kill(child_pid, signal.SIGKILL)


def test_sigterm_during_backoff_stops_without_restart(tmp_path):
    command = child_script(tmp_path, "sys.exit(3)\n")
    # A pause far longer than the test's patience: only an interrupted pause can pass.
    supervisor, log = start_supervisor(tmp_path, command, backoff_s=3600)
    try:
        wait_for(lambda: len(log_lines(log)) == 1, "the first crash line")
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=PATIENCE_S) == 143
        assert runs(tmp_path) == 1
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
