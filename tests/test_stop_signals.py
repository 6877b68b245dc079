"""A stop signal ends the game in order: `systemctl stop` sends SIGTERM to the process group.

The real game runs in a process group of its own, as under systemd; the test waits for
its NST workers to be up, signals the whole group, and checks what a museum's staff would
see: exit code 0, no worker left behind, no "restarted" in the log. Waits are for events
with generous bounds, never assertions about speed (bench/stop_signal.py measures that).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAFETY_S = 300.0

pytestmark = pytest.mark.timeout(900)


def start_kiosk_demo(tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               STYLE_DUEL_HOME=str(tmp_path / "home"),
               STYLE_DUEL_MODELS=str(tmp_path / "no-models"))
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "demo", "--kiosk",
                             "--rounds", "3", "--realtime", "--seed", "4"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_workers(game: psutil.Process, count: int = 2) -> list[psutil.Process]:
    deadline = time.monotonic() + SAFETY_S
    while time.monotonic() < deadline:
        workers = [child for child in game.children(recursive=True)
                   if "spawn_main" in " ".join(child.cmdline())]     # not the resource tracker
        if len(workers) >= count:
            return workers
        assert game.is_running() and game.status() != psutil.STATUS_ZOMBIE, "game ended"
        time.sleep(0.2)
    pytest.fail("the NST workers never started")


def stop_game(tmp_path: Path, send) -> tuple[subprocess.Popen, str, list[psutil.Process]]:
    """Start the kiosk demo, `send(proc)` a signal once its workers are up; (proc, stderr,
    workers) once it has ended (killed outright if it never does)."""
    proc = start_kiosk_demo(tmp_path)
    try:
        workers = wait_for_workers(psutil.Process(proc.pid))
        time.sleep(2.0)             # let the workers get into their engine loads
        send(proc)
        _, stderr = proc.communicate(timeout=SAFETY_S)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc, stderr, workers


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_to_the_group_ends_game_and_workers_with_exit_0(tmp_path, sig):
    proc, stderr, workers = stop_game(tmp_path, lambda p: os.killpg(p.pid, sig))
    assert proc.returncode == 0, stderr[-2000:]
    assert "restarted" not in stderr, stderr[-2000:]
    assert f"{signal.Signals(sig).name} received" in stderr
    gone, alive = psutil.wait_procs(workers, timeout=SAFETY_S)
    assert not alive


def test_a_stop_signal_to_the_game_alone_stops_its_workers(tmp_path):
    """`kill PID` (not the group): the game must stop its own workers, not orphan them."""
    proc, stderr, workers = stop_game(tmp_path, lambda p: p.send_signal(signal.SIGTERM))
    assert proc.returncode == 0, stderr[-2000:]
    gone, alive = psutil.wait_procs(workers, timeout=SAFETY_S)
    assert not alive


def test_a_signal_during_start_up_stops_the_game_once_it_exists():
    """The handlers are in place before pygame starts; a signal that comes before the App
    exists is kept and stops it as soon as it is attached. Handlers are restored after."""
    from game.stop_signals import StopSignals
    before = signal.getsignal(signal.SIGTERM)
    stopped: list[str] = []
    with StopSignals() as stop:
        os.kill(os.getpid(), signal.SIGTERM)     # handled between bytecodes, right here
        time.sleep(0.01)
        assert stop.received == "SIGTERM" and stopped == []
        stop.attach(stopped.append)
        assert stopped == ["SIGTERM"]
    assert signal.getsignal(signal.SIGTERM) is before
