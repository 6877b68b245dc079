"""Spawned-worker entry points for tests that need to watch a worker from the inside.

Kept in a module of its own (not a test file) so a spawned interpreter can import it by
name without collecting tests.
"""
from __future__ import annotations

import json
import sys
import threading
import time
import types
from pathlib import Path


class SlowEngine:
    """Stands in for a real engine whose load takes a while (TensorFlow on a busy machine)."""
    label = "slow-loading test engine"

    def run(self, job, report, should_stop):
        return EchoOutput(job.content)


class EchoOutput:
    """What an engine returns, without importing numpy (this test counts imports)."""

    def __init__(self, image) -> None:
        self.image, self.label, self.iterations, self.converged = image, "echo", 1, True
        self.notes, self.settings_text, self.snapshots = [], "", []


class EchoBehaviour:
    """models.engines.TestBehaviour's "echo", numpy-free: the picture comes straight back."""

    def __init__(self, pause_heartbeat) -> None:
        self.pause_heartbeat = pause_heartbeat

    def run(self, job, report, should_stop):
        return EchoOutput(job.content)


def stand_in_engines(load_delay_s: float) -> types.ModuleType:
    """A models.engines with a slow load_engine, and no numpy import of its own."""
    module = types.ModuleType("models.engines")

    def load_engine(*_args, **_kwargs):
        time.sleep(load_delay_s)       # the job arrives while main is still in here
        return SlowEngine()

    module.load_engine, module.TestBehaviour = load_engine, EchoBehaviour
    return module


def run_watched_worker(config, jobs, answers, record: str, load_delay_s: float) -> None:
    """run_worker with a slow engine load, recording which thread imported which module.

    The start-up race was two threads importing numpy at once: the inbox unpickling the
    first Job while main loaded the engine. Every module a helper thread imports is a
    chance for that race, so the test asks for none at all.
    """
    imports: list[tuple[str, str]] = []

    def audit(event: str, args: tuple) -> None:
        if event == "import":
            imports.append((threading.current_thread().name, str(args[0])))

    sys.addaudithook(audit)
    sys.modules["models.engines"] = stand_in_engines(load_delay_s)
    from models.worker import run_worker

    try:
        run_worker(config, jobs, answers)
    finally:
        others = [(thread, module) for thread, module in imports if thread != "MainThread"]
        Path(record).write_text(json.dumps(others), encoding="utf-8")


class BreaksOnUnpickle:
    """Unpickles by raising ImportError, as the inbox did on a half-imported numpy."""

    def __reduce__(self):
        return (raise_partial_import, ())


def raise_partial_import():
    raise ImportError("cannot import name 'busday_count' from partially initialized module "
                      "'numpy._core.multiarray'")


class StallsOnUnpickle:
    """Unpickling never ends: the inbox thread is stuck while the heartbeat goes on."""

    def __reduce__(self):
        return (time.sleep, (3600.0,))


def silent_loading_engines(silence_s: float) -> types.ModuleType:
    """A models.engines whose load silences the heartbeat for `silence_s`, as loading
    TensorFlow's libraries on a starved core does (the GIL held for seconds)."""
    module = types.ModuleType("models.engines")

    def load_engine(*_args, **_kwargs):
        beating = [t for t in threading.enumerate() if t.name == "heartbeat"]
        for thread in beating:
            thread.paused.set()
        time.sleep(silence_s)
        for thread in beating:
            thread.paused.clear()
        return SlowEngine()

    module.load_engine, module.TestBehaviour = load_engine, EchoBehaviour
    return module


def run_silently_loading_worker(config, jobs, answers) -> None:
    """run_worker whose engine load is silent for 4 s (the service's test bound is 1 s)."""
    sys.modules["models.engines"] = silent_loading_engines(4.0)
    from models.worker import run_worker
    run_worker(config, jobs, answers)
