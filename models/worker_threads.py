"""The worker's two helper threads: the heartbeat and the inbox (see models.worker).

Both run beside the main thread, which loads the engine and runs jobs. Neither imports
anything once started (numpy is already whole: models.worker imports it first), and an
exception in either ends the worker (models.worker's threading.excepthook).
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable

from models.messages import Cancel, Heartbeat, Job, ScoreJob, Shutdown


class HeartbeatThread(threading.Thread):
    """Says "alive" every `interval` s until stopped; exits the process if the game is gone."""

    def __init__(self, name: str, answers, interval: float):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_name, self.answers, self.interval = name, answers, interval
        self.stopped = threading.Event()
        self.paused = threading.Event()      # the "hang" test behaviour goes silent
        self.parent = multiprocessing.parent_process()

    def run(self) -> None:
        while True:
            if self.parent is not None and not self.parent.is_alive():
                os._exit(0)                  # the game died: nobody will read our answers
            if not self.paused.is_set():
                try:
                    self.answers.put(Heartbeat(self.worker_name, time.time()))
                except ValueError:           # the queue closed: the worker is ending
                    return
            if self.stopped.wait(self.interval):
                return


class Inbox(threading.Thread):
    """Reads the job queue: jobs go to a local queue, Cancel and Shutdown set flags."""

    def __init__(self, jobs, acknowledge: Callable[[str], None] | None = None):
        """acknowledge(job_id): called as each job is taken (the worker sends Received)."""
        super().__init__(name="inbox", daemon=True)
        self.jobs, self.acknowledge = jobs, acknowledge
        self.local: queue.SimpleQueue[Job | ScoreJob | None] = queue.SimpleQueue()  # None: stop
        self.shutdown = threading.Event()
        self._lock = threading.Lock()
        self._cancelled: set[str] = set()      # ids cancelled before or while they ran
        self._current: tuple[str, threading.Event] | None = None

    def run(self) -> None:
        while not self.shutdown.is_set():
            try:
                message = self.jobs.get()
            except (EOFError, OSError, ValueError):   # the game closed its end: stop
                message = Shutdown()
            if isinstance(message, (Job, ScoreJob)):
                if self.acknowledge is not None:
                    self.acknowledge(message.job_id)
                self.local.put(message)
            elif isinstance(message, Cancel):
                self.cancel(message.job_id)
            elif isinstance(message, Shutdown):
                self.shutdown.set()
                self.cancel(None)
                self.local.put(None)

    def cancel(self, job_id: str | None) -> None:
        """Flag `job_id` (None: whatever runs now) so the engine stops at its next check."""
        with self._lock:
            if job_id is not None:
                self._cancelled.add(job_id)
            if self._current and job_id in (None, self._current[0]):
                self._current[1].set()

    def begin(self, job: Job) -> threading.Event:
        """The job's stop flag; already set if it was cancelled while it waited."""
        stop = threading.Event()
        with self._lock:
            if job.job_id in self._cancelled or self.shutdown.is_set():
                stop.set()
            self._current = (job.job_id, stop)
        return stop

    def end(self, job: Job) -> None:
        with self._lock:
            self._current = None
            self._cancelled.discard(job.job_id)
