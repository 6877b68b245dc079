"""The worker side of the process boundary: its inbox thread, a real spawned worker, engines.

Spawned workers here run scripted test behaviours (no TensorFlow). Timeouts are safety nets
for a stuck process, never assertions about speed.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import queue
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from models.engines import (TEST_LABEL, TestBehaviour, blend_strength, fit_to, load_engine,
                            shrink)
from models.messages import (CANCELLED, TEST_BEHAVIOUR, Cancel, Failed, Heartbeat, Job,
                             Progress, Ready, Result, Shutdown)
from models.standins import STUDIO_LABEL
from models.worker import Inbox, WorkerConfig, run_worker

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parent.parent
SAFETY_S = 60.0          # give up waiting after this long: something is stuck


def pictures(h: int = 30, w: int = 40):
    rng = np.random.default_rng(7)
    content = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    style = rng.integers(0, 256, (24, 24, 3), dtype=np.uint8)
    return content, style


def job(job_id: str, behaviour: str | None = None, **settings) -> Job:
    content, style = pictures()
    if behaviour:
        settings[TEST_BEHAVIOUR] = behaviour
    return Job(job_id, "round-1", "magenta", content, [(style, 1.0)], settings=settings)


# -- the inbox thread, in this process --------------------------------------------------------

def test_inbox_queues_jobs_and_turns_cancel_into_the_running_jobs_flag():
    jobs = queue.Queue()
    inbox = Inbox(jobs)
    inbox.start()
    first, second = job("a"), job("b")
    jobs.put(first)
    jobs.put(second)
    taken = inbox.local.get(timeout=SAFETY_S)
    assert taken.job_id == "a"
    stop = inbox.begin(taken)
    assert not stop.is_set()
    jobs.put(Cancel("b"))                   # not running yet: flagged for when it starts
    jobs.put(Cancel("a"))
    assert stop.wait(SAFETY_S)              # the running job sees its cancel
    inbox.end(taken)
    later = inbox.local.get(timeout=SAFETY_S)
    assert later.job_id == "b" and inbox.begin(later).is_set()
    inbox.end(later)
    jobs.put(Shutdown())
    assert inbox.local.get(timeout=SAFETY_S) is None
    inbox.join(SAFETY_S)
    assert not inbox.is_alive()


def test_shutdown_stops_the_running_job():
    jobs = queue.Queue()
    inbox = Inbox(jobs)
    inbox.start()
    jobs.put(job("a"))
    running = inbox.local.get(timeout=SAFETY_S)
    stop = inbox.begin(running)
    jobs.put(Shutdown())
    assert stop.wait(SAFETY_S)
    assert inbox.local.get(timeout=SAFETY_S) is None


# -- a real spawned worker ------------------------------------------------------------------

class SpawnedWorker:
    """run_worker in a spawned process, driven through its two queues like the service does."""

    def __init__(self, **config):
        context = multiprocessing.get_context("spawn")
        self.jobs, self.answers = context.Queue(), context.Queue()
        self.jobs.cancel_join_thread()
        config = WorkerConfig("magenta", preload=False, heartbeat_s=0.1, **config)
        self.process = context.Process(target=run_worker,
                                       args=(config, self.jobs, self.answers), daemon=True)
        self.process.start()
        self.seen: list = []

    def until(self, test) -> object:
        """The first answer passing `test` (all answers are kept in self.seen)."""
        deadline = time.monotonic() + SAFETY_S
        while time.monotonic() < deadline:
            try:
                message = self.answers.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(message)
            if test(message):
                return message
        pytest.fail(f"no such answer; got {[type(m).__name__ for m in self.seen]}")

    def answer_to(self, job_id: str):
        return self.until(lambda m: isinstance(m, (Result, Failed)) and m.job_id == job_id)

    def close(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join(SAFETY_S)


@pytest.fixture
def worker():
    spawned = SpawnedWorker()
    yield spawned
    spawned.close()


def test_worker_says_ready_beats_and_echoes(worker):
    ready = worker.until(lambda m: isinstance(m, Ready))
    assert ready.worker_name == "magenta-worker" and ready.engine_label is None
    worker.until(lambda m: isinstance(m, Heartbeat))
    sent = job("echo-1", "echo")
    worker.jobs.put(sent)
    result = worker.answer_to("echo-1")
    assert isinstance(result, Result) and result.label == TEST_LABEL
    np.testing.assert_array_equal(result.image, sent.content)
    progress = [m for m in worker.seen if isinstance(m, Progress) and m.job_id == "echo-1"]
    assert progress[0].fraction == 0.0                   # "started" comes first
    assert any(p.preview is not None and p.preview.dtype == np.uint8 for p in progress)


def test_worker_lowers_its_priority_and_caps_threads(worker):
    worker.until(lambda m: isinstance(m, Ready))
    expected_nice = min(19, os.nice(0) + 10)
    assert psutil.Process(worker.process.pid).nice() == expected_nice
    worker.jobs.put(job("probe", "probe"))
    notes = worker.answer_to("probe").notes
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                 "TF_NUM_INTEROP_THREADS"):
        assert f"{name}=1" in notes
    assert f"nice={expected_nice}" in notes


def test_cancel_stops_a_running_job_and_the_worker_goes_on(worker):
    worker.jobs.put(job("slow-1", "slow", seconds=600))
    worker.until(lambda m: isinstance(m, Progress) and m.job_id == "slow-1")
    worker.jobs.put(Cancel("slow-1"))
    answer = worker.answer_to("slow-1")
    assert isinstance(answer, Failed) and answer.reason == CANCELLED
    worker.jobs.put(job("echo-2", "echo"))
    assert isinstance(worker.answer_to("echo-2"), Result)


def test_a_failing_job_is_answered_and_the_worker_goes_on(worker):
    worker.jobs.put(job("bad", "raise", message="the model exploded"))
    answer = worker.answer_to("bad")
    assert isinstance(answer, Failed)
    assert answer.reason == "The Magenta engine failed: RuntimeError: the model exploded"
    worker.jobs.put(job("echo-3", "echo"))
    assert isinstance(worker.answer_to("echo-3"), Result)
    assert worker.process.is_alive()


def test_shutdown_cancels_the_job_answers_and_exits_cleanly(worker):
    worker.jobs.put(job("slow-2", "slow", seconds=600))
    worker.until(lambda m: isinstance(m, Progress) and m.job_id == "slow-2")
    worker.jobs.put(Shutdown())
    answer = worker.answer_to("slow-2")
    assert isinstance(answer, Failed) and answer.reason == CANCELLED
    worker.process.join(SAFETY_S)
    assert worker.process.exitcode == 0


def test_crash_behaviour_exits_with_the_asked_code(worker):
    worker.jobs.put(job("boom", "crash", exit_code=7))
    worker.process.join(SAFETY_S)
    assert worker.process.exitcode == 7


ORPHAN_SCRIPT = textwrap.dedent("""
    import time
    from game.nst.service import NSTService

    if __name__ == "__main__":
        service = NSTService(None, preload=False, heartbeat_s=0.1, engines=("magenta",))
        service.start()
        while service.status()["magenta"].state != "ready":
            service.poll()
            time.sleep(0.05)
        print("READY", flush=True)
        time.sleep(600)
""")


def test_worker_exits_when_the_game_process_dies(tmp_path):
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN_SCRIPT)
    game = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert game.stdout.readline().strip() == "READY"
        workers = [p for p in psutil.Process(game.pid).children()
                   if any("spawn_main" in part for part in p.cmdline())]
        assert len(workers) == 1
        game.kill()
        game.wait(SAFETY_S)
        gone, alive = psutil.wait_procs(workers, timeout=SAFETY_S)
        assert alive == [] or all(p.status() == psutil.STATUS_ZOMBIE for p in alive)
    finally:
        if game.poll() is None:
            game.kill()
            game.wait(SAFETY_S)


# -- engines, in this process (no TensorFlow) ------------------------------------------------

def test_fit_to_and_shrink_keep_uint8_and_the_shape_asked():
    content, _ = pictures(30, 40)
    assert fit_to(content, (60, 80, 3)).shape == (60, 80, 3)
    np.testing.assert_array_equal(fit_to(content, content.shape), content)
    small = shrink(np.zeros((512, 256, 3), np.uint8), 128)
    assert small.shape == (128, 64, 3) and small.dtype == np.uint8
    assert shrink(content, 128).shape == content.shape     # never upscaled


def test_blend_strength_mixes_towards_the_photo():
    photo = np.zeros((2, 2, 3), np.uint8)
    picture = np.full((2, 2, 3), 200, np.uint8)
    assert blend_strength(picture, photo, 1.0) is picture
    assert np.all(blend_strength(picture, photo, 0.25) == 50)


def test_magenta_slot_without_models_is_the_labelled_studio_filter(tmp_path):
    engine = load_engine("magenta", tmp_path)
    assert engine.label == STUDIO_LABEL
    assert any("no Magenta model installed" in note for note in engine.notes)
    sent = job("studio", seed=1, colour="blue")
    output = engine.run(sent, lambda p: None, lambda: False)
    assert output.image.shape == sent.content.shape and output.image.dtype == np.uint8
    assert output.label == STUDIO_LABEL
    assert "ignored setting 'colour'" in output.notes
    assert not np.array_equal(output.image, sent.content)


def test_unknown_test_behaviour_is_an_error():
    behaviour = TestBehaviour(pause_heartbeat=lambda: None)
    with pytest.raises(ValueError, match="unknown test behaviour"):
        behaviour.run(job("x", "dance"), lambda p: None, lambda: False)


class LeaveTheSleep(Exception):
    pass


def test_hang_behaviour_silences_the_heartbeat_first():
    paused = threading.Event()

    def pause():
        paused.set()
        raise LeaveTheSleep                   # the real worker would sleep for ever here

    with pytest.raises(LeaveTheSleep):
        TestBehaviour(pause).run(job("h", "hang"), lambda p: None, lambda: False)
    assert paused.is_set()


# -- start-up: the race that froze party mode, and dead threads --------------------------------

def test_a_job_arriving_during_a_slow_engine_load_imports_nothing_off_the_main_thread(tmp_path):
    """The first Job reaches the inbox while main still loads the engine: the inbox thread
    must not import anything (it once imported numpy beside main and died half-way)."""
    from tests.worker_probe import run_watched_worker

    context = multiprocessing.get_context("spawn")
    jobs, answers = context.Queue(), context.Queue()
    jobs.cancel_join_thread()
    record = tmp_path / "imports.json"
    config = WorkerConfig("magenta", preload=True, heartbeat_s=0.1)
    process = context.Process(target=run_watched_worker,
                              args=(config, jobs, answers, str(record), 3.0), daemon=True)
    process.start()
    try:
        jobs.put(job("first", "echo"))          # at once: main is still loading
        seen = []
        deadline = time.monotonic() + SAFETY_S
        while not any(isinstance(m, (Result, Failed)) for m in seen):
            assert time.monotonic() < deadline, f"no answer: {seen}"
            try:
                seen.append(answers.get(timeout=0.5))
            except queue.Empty:
                continue
        ready = [m for m in seen if isinstance(m, Ready)]
        assert ready and ready[0].engine_label == "slow-loading test engine"
        assert isinstance(seen[-1], Result) and seen[-1].job_id == "first"
        jobs.put(Shutdown())
        process.join(SAFETY_S)
        assert process.exitcode == 0
    finally:
        if process.is_alive():
            process.kill()
    imported = json.loads(record.read_text(encoding="utf-8"))
    assert imported == [], f"helper threads imported modules: {imported[:10]}"


def test_a_dead_inbox_thread_ends_the_worker_instead_of_beating_on(worker):
    from models.messages import THREAD_DIED_EXIT
    from tests.worker_probe import BreaksOnUnpickle

    worker.until(lambda m: isinstance(m, Ready))
    worker.jobs.put(job("poisoned", "echo", poison=BreaksOnUnpickle()))
    worker.process.join(SAFETY_S)
    assert worker.process.exitcode == THREAD_DIED_EXIT
