"""The NST worker process: one engine, a job queue in, an answer queue out.

The service spawns `run_worker(config, jobs, answers)` in a fresh interpreter (spawn
context). Three threads, each with one job:
- main: loads the engine (TensorFlow starts here, never in the game), then runs jobs one at
  a time and answers each with Result or Failed; a worker with `scorer` set also answers
  ScoreJobs with ScoreResult, and loads the score's encoder (models.score) in its first
  idle moment after a job (see Worker.next_job: a picture never waits behind that load);
- reader: drains the job queue into a local queue, turns Cancel into a per-job flag and
  Shutdown into a stop, so the engine's `should_stop()` is one Event check;
- heartbeat: sends Heartbeat every `heartbeat_s`, also while a long TF op runs in main, and
  ends the process when the game process is gone (no orphaned workers eating the CPU).

Before anything heavy the worker lowers its priority and caps its math libraries to one
thread: measured to keep the game at full frame rate on two cores.

Start-up is ordered so no two threads ever import at once: numpy (all a message needs to be
unpickled) is imported before the reader and heartbeat threads start. When the reader
unpickled the first Job (importing numpy) while main was importing numpy for TensorFlow,
the reader died on a half-initialised numpy, the heartbeat went on, and the round waited
for ever. Any helper thread that dies now ends the whole worker (THREAD_DIED_EXIT), so the
service sees a crash, restarts it and says why.
"""
from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

from models.messages import (CANCELLED, ENGINE_DISPLAY, SCORE, TEST_BEHAVIOUR,
                             THREAD_DIED_EXIT, Failed, Job, Loading, Progress, Ready, Received,
                             Result, ScoreJob, ScoreResult)
from models.reasons import one_line
from models.worker_threads import HeartbeatThread, Inbox

# Read by OpenMP, MKL, OpenBLAS and TensorFlow when they load: set before any of them does.
THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
              "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2"}   # TF's start-up chatter is not for the player
# A scoring worker loads the score's encoder once it has answered a job and no other job
# has come for this long (the service hands over the next waiting job within a frame or two).
SCORER_IDLE_S = 0.5


@dataclass(frozen=True)
class WorkerConfig:
    engine: str                  # "magenta" | "gatys"
    models_dir: str | None = None  # model cache folder; None: models.cache's default
    # Load the engine (and TensorFlow) before the first job, so the first result is quick.
    # Tests of the scripted behaviours turn it off: no TensorFlow in those workers.
    preload: bool = True
    heartbeat_s: float = 1.0     # well under the service's timeout (20 s by default)
    nice: int = 10               # lower priority: the paint loop must win every frame
    threads: int = 1             # TF intra/inter-op and LiteRT threads
    # Also answer ScoreJobs (the Magenta worker: its engine is idle once its picture is
    # out). The encoder loads in the first idle moment after a job when `preload` (see
    # Worker.next_job), else on the first ScoreJob; a ScoreJob before then loads it too.
    scorer: bool = False
    score_dir: str | None = None  # weights + record folder; None: models.score's default

    @property
    def name(self) -> str:
        return f"{self.engine}-worker"


def limit_resources(config: WorkerConfig) -> None:
    """Lower this process's priority and cap thread pools (before numpy/TF load their own)."""
    for name in THREAD_ENV:
        os.environ[name] = str(config.threads)
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
    if config.nice and hasattr(os, "nice"):
        try:
            os.nice(config.nice)
        except OSError:
            pass                 # not allowed here: run at normal priority rather than not


def import_message_modules() -> None:
    """Import what unpickling any message needs, in the main thread, before other threads.

    A Job carries numpy arrays: unpickling one imports numpy. Two threads importing numpy
    at once is what killed the reader at start-up (a partially initialised module).
    """
    import numpy  # noqa: F401 - imported for its side effect: numpy is whole in sys.modules


def end_worker_when_a_thread_dies(args: threading.ExceptHookArgs) -> None:
    """threading.excepthook: a dead helper thread ends the worker, loudly.

    A worker that still beats but no longer reads jobs (or beats no more while it works)
    looks alive to the service for ever. Dying instead is a crash the service already
    handles: restart, the job reported Failed with a sentence.
    """
    if args.exc_type is SystemExit:
        return
    thread = args.thread.name if args.thread is not None else "?"
    print(f"style-duel worker: thread {thread!r} died: the worker ends", file=sys.stderr)
    traceback.print_exception(args.exc_type, args.exc_value, args.exc_traceback,
                              file=sys.stderr)
    sys.stderr.flush()
    os._exit(THREAD_DIED_EXIT)


def ignore_interrupts() -> None:
    """Ctrl+C in a terminal reaches the whole process group: only the game acts on it.

    The game then stops its workers in order; a worker dying on its own KeyboardInterrupt
    would look like a crash and be restarted.
    """
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):       # not the main thread (tests run it in-process)
        pass


def run_worker(config: WorkerConfig, jobs, answers) -> None:
    """Process entry point: serve jobs until Shutdown (or the game goes away)."""
    limit_resources(config)
    ignore_interrupts()
    import_message_modules()       # before any thread starts: see the module doc
    threading.excepthook = end_worker_when_a_thread_dies
    heartbeat = HeartbeatThread(config.name, answers, config.heartbeat_s)
    heartbeat.start()
    inbox = Inbox(jobs, acknowledge=lambda job_id: answers.put(Received(job_id)))
    inbox.start()
    worker = Worker(config, answers, heartbeat)
    if config.preload:
        worker.load()
    else:
        answers.put(Ready(config.name, None))
    while (job := worker.next_job(inbox.local)) is not None:
        stop = inbox.begin(job)
        try:
            answers.put(worker.answer(job, stop))
        finally:
            inbox.end(job)
            worker.jobs_done += 1
    heartbeat.stopped.set()
    heartbeat.join(timeout=1.0)
    answers.close()
    answers.join_thread()          # every answer reaches the pipe before the process ends


class Worker:
    """The main thread's state: the engine, loaded once, and how a job becomes an answer."""

    def __init__(self, config: WorkerConfig, answers, heartbeat: HeartbeatThread):
        self.config, self.answers, self.heartbeat = config, answers, heartbeat
        self.engine = None
        self.load_error: str | None = None
        self.scorer = None
        self.scorer_error: str | None = None
        self.jobs_done = 0               # jobs answered (run_worker counts them)

    @contextmanager
    def loading(self):
        """Tell the service a long, possibly silent load is under way (see Loading)."""
        self.answers.put(Loading(self.config.name))
        try:
            yield
        finally:
            self.answers.put(Loading(self.config.name, done=True))

    def load(self) -> None:
        """Choose and load the engine, then say Ready with its label (or why it failed)."""
        with self.loading():
            self._load_engine()
        label = self.engine.label if self.engine is not None else None
        self.answers.put(Ready(self.config.name, label))

    def _load_engine(self) -> None:
        try:
            from models.engines import load_engine

            self.engine = load_engine(self.config.engine, self.config.models_dir,
                                      self.config.threads)
            self.load_error = None
        except Exception as error:          # noqa: BLE001 - keep serving: jobs get Failed
            traceback.print_exc(file=sys.stderr)
            self.load_error = one_line(error)

    def next_job(self, local: queue.SimpleQueue):
        """The next job from the inbox (None: stop); may load the score's encoder first.

        The encoder brings TensorFlow into a worker whose TFLite engine needs none: seconds of
        load on a free machine, far more on a busy one, in this one job thread. Loaded right
        after Ready, it made a round started at once wait for Magenta's picture until it was
        done; so it loads in the first idle moment after a job instead: a round's picture is
        out, the player paints for half a minute at least, and a ScoreJob that comes first
        (the picture was in the result cache) loads it on the spot.
        """
        if (self.config.scorer and self.config.preload and self.jobs_done
                and self.scorer is None and self.scorer_error is None):
            try:
                return local.get(timeout=SCORER_IDLE_S)     # the service's next waiting job
            except queue.Empty:
                self.load_scorer()
        return local.get()

    def load_scorer(self) -> None:
        """Load the score's encoder once; on failure keep the reason for every ScoreJob."""
        with self.loading():
            self._load_scorer()

    def _load_scorer(self) -> None:
        try:
            from models.score import ScoreUnavailable, Scorer
        except Exception as error:          # noqa: BLE001 - a broken install: say so
            self.scorer_error = f"the score could not be started ({error})"
            return
        try:
            self.scorer = Scorer.load(self.config.score_dir)
        except ScoreUnavailable as error:
            self.scorer_error = str(error)
        except Exception as error:          # noqa: BLE001 - keep serving: jobs get Failed
            traceback.print_exc(file=sys.stderr)
            self.scorer_error = f"the score model failed to load ({type(error).__name__})"

    def score(self, job: ScoreJob, stop: threading.Event) -> ScoreResult | Failed:
        """Compare the round's pictures; Failed says in a sentence why there is no score."""
        if stop.is_set():
            return Failed(job.job_id, SCORE, CANCELLED)
        start = time.monotonic()
        if self.scorer is None and self.scorer_error is None:
            self.load_scorer()
        if self.scorer is None:
            return Failed(job.job_id, SCORE, f"No score this round: {self.scorer_error}.")
        try:
            scores, verdict = self.scorer.compare(job.images, tuple(job.pairs))
        except Exception as error:          # noqa: BLE001 - one bad job must not end the worker
            traceback.print_exc(file=sys.stderr)
            return Failed(job.job_id, SCORE, f"No score this round: scoring failed "
                                             f"({one_line(error)}).")
        return ScoreResult(job.job_id, scores, self.scorer.label, time.monotonic() - start,
                           verdict.parts, verdict.cost)

    def answer(self, job: Job | ScoreJob,
               stop: threading.Event) -> Result | ScoreResult | Failed:
        """Run one job; the answer is Result, or Failed with a sentence for the player."""
        if isinstance(job, ScoreJob):
            return self.score(job, stop)
        if stop.is_set():
            return Failed(job.job_id, job.engine, CANCELLED)
        display = ENGINE_DISPLAY.get(job.engine, job.engine)
        start = time.monotonic()
        self.answers.put(Progress(job.job_id, 0.0, 0, 0.0))     # started: no longer queued
        try:
            if TEST_BEHAVIOUR in job.settings:
                from models.engines import TestBehaviour

                output = TestBehaviour(self.heartbeat.paused.set).run(
                    job, self.answers.put, stop.is_set)
            else:
                if self.engine is None:
                    self.load()
                if self.engine is None:
                    return Failed(job.job_id, job.engine,
                                  f"The {display} engine could not be loaded "
                                  f"({self.load_error}).")
                output = self.engine.run(job, self.answers.put, stop.is_set)
        except Exception as error:          # noqa: BLE001 - one bad job must not end the worker
            traceback.print_exc(file=sys.stderr)
            return Failed(job.job_id, job.engine,
                          f"The {display} engine failed: {one_line(error)}")
        if output is None or stop.is_set():
            return Failed(job.job_id, job.engine, CANCELLED)
        return Result(job.job_id, job.engine, output.label, output.image,
                      time.monotonic() - start, output.iterations, output.converged,
                      output.notes, output.settings_text, snapshots=output.snapshots)
