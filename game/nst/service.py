"""The NST service: the game's only door to the models, through worker processes.

    service = NSTService(cache_dir, heartbeat_timeout_s=20.0)
    service.start()                                   # spawns both workers, returns at once
    job_id = service.submit(round_id, "gatys", content, [(style, 1.0)], budget_s=90)
    score_id = service.submit_score(round_id, {"painting": p, "magenta": m, "gatys": g})
    for message in service.poll(): ...                # Progress | Result | Failed; never blocks
    service.cancel(job_id); service.cancel_round(round_id)
    service.status()["gatys"]                         # WorkerStatus(state, label, restarts, ..)
    service.shutdown(timeout=2.0)

One worker process per engine (models.worker), spawned with the "spawn" start method:
TensorFlow starts inside the workers, never here (this module imports no TF, Keras or
LiteRT, not even lazily). How the pieces fit:

- One job at a time per worker; the rest wait here. A restart then loses only the job that
  was running, a job cancelled while it waits never reaches a worker, and "busy" is exact.
  Every job a worker takes gets one answer (Result or Failed) unless the worker dies.
- A pump thread per worker moves its answers into a local queue, and poll() only calls
  get_nowait on those. multiprocessing.Queue.get_nowait itself is not safe in a frame
  loop: once a message's first bytes are in the pipe it blocks until the rest arrives, and
  a worker killed half-way through a 200 KB preview would freeze the game for good.
- Liveness: workers send Heartbeat every second from a thread. poll() restarts a worker
  whose process has exited (its exit code says why) or that has been silent for
  heartbeat_timeout_s (killed first), and reports its job as Failed with a sentence for the
  player. Restarting is spawn-and-go; nothing here waits on a process except shutdown().
  A worker that keeps dying before it is ready is retried with a growing pause, and the
  jobs waiting for it fail at once instead of waiting for ever. A worker that beats but
  sends no Started for a job within job_start_timeout_s (its inbox thread is gone) is
  killed and replaced; the job it never began goes to the successor once, then fails.
- Job ids of jobs not yet answered are kept; anything that arrives for another id (the
  late answer of a cancelled job or an abandoned round) is dropped and counted.
- Results are cached on disk (game.nst.result_cache) when a cache_dir is given: a job seen
  before is answered by the next poll() without a worker.
- Scoring (models.score) runs in the Magenta worker (SCORER_ENGINE): its engine is idle
  once its picture is out, the encoder costs a few ms a picture, and a third TensorFlow
  process would cost the two cores more than it saves. A ScoreJob queues there like a Job
  and is answered by ScoreResult or Failed.
"""
from __future__ import annotations

import logging
import multiprocessing
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.nst.result_cache import CacheWriter, ResultCache, models_fingerprint, result_key
from game.nst.workers import (EXIT_GRACE_S, MAX_BACKOFF_S, MAX_START_FAILURES, ServiceStats,
                              WorkerStatus, _Slot, _Worker, crash_reason)
from models.cache import default_models_dir
from models.messages import (ENGINES, SCORE, SCORE_PAIRS, SCORER_ENGINE, Cancel, Failed, Job,
                             Progress, Ready, Result, ScoreJob, ScoreResult, Shutdown, Started)
from models.worker import WorkerConfig

log = logging.getLogger(__name__)

Message = Progress | Result | ScoreResult | Failed


@dataclass
class _Live:
    """A job whose final answer has not been delivered yet."""
    round_id: str
    engine: str
    cache_key: str | None          # where its Result is stored; None: no cache


def _checked_image(image, what: str) -> np.ndarray:
    """A private C-ordered copy of an (H, W, 3) uint8 image (the queue pickles it later)."""
    array = np.asarray(image)
    if (array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8
            or min(array.shape[:2]) < 1):
        raise ValueError(f"{what} must be an (H, W, 3) uint8 array, "
                         f"not {array.shape} {array.dtype}")
    return np.array(array, copy=True, order="C")


class NSTService:
    """Worker processes for the NST engines, driven by submit/poll/cancel; see the module doc."""

    def __init__(self, cache_dir: Path | None, heartbeat_timeout_s: float = 20.0, *,
                 models_dir: Path | None = None, startup_timeout_s: float = 120.0,
                 job_start_timeout_s: float = 90.0,
                 heartbeat_s: float = 1.0, preload: bool = True, nice: int = 10,
                 engines: tuple[str, ...] = ENGINES, score_dir: Path | None = None,
                 clock: Callable[[], float] = time.monotonic):
        """
        cache_dir: folder for cached results (e.g. <data_dir>/nst-cache); None: no cache.
        heartbeat_timeout_s: silence after which a worker counts as hung and is replaced.
        models_dir: the model cache the workers choose engines from (default: the one
            models.cache uses: $STYLE_DUEL_MODELS, else the per-user folder).
        startup_timeout_s: how long a new worker may take to load its engine and say Ready
            (TensorFlow's import and a model load on a busy machine).
        job_start_timeout_s: how long a ready, idle worker may take to say Started for a job
            handed to it (the Magenta worker loads the score's encoder after Ready).
        heartbeat_s: how often workers send heartbeats.
        preload: workers load their engine (TensorFlow) before the first job.
        nice: how much workers lower their priority.
        engines: which workers to run ("magenta", "gatys").
        score_dir: folder of the score model (default: models.score's, the committed one).
        """
        unknown = set(engines) - set(ENGINES)
        if unknown:
            raise ValueError(f"unknown engines {sorted(unknown)}; known: {ENGINES}")
        self.heartbeat_timeout_s = heartbeat_timeout_s
        self.startup_timeout_s = startup_timeout_s
        self.job_start_timeout_s = job_start_timeout_s
        self.models_dir = Path(models_dir) if models_dir else default_models_dir()
        self.stats = ServiceStats()
        self._cache = ResultCache(cache_dir) if cache_dir is not None else None
        self._writer = CacheWriter(self._cache) if self._cache is not None else None
        self._configs = {engine: WorkerConfig(engine, str(self.models_dir), preload=preload,
                                              heartbeat_s=heartbeat_s, nice=nice,
                                              scorer=engine == SCORER_ENGINE,
                                              score_dir=str(score_dir) if score_dir else None)
                         for engine in engines}
        self._slots = {engine: _Slot(engine) for engine in engines}
        self._context = multiprocessing.get_context("spawn")
        self._clock = clock
        self._running = False
        self._live: dict[str, _Live] = {}
        self._outbox: list[Message] = []       # answers waiting for the next poll()
        self._graveyard: list = []              # killed processes not reaped yet

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Spawn the workers and return at once (they load their engines in the background)."""
        if self._running:
            return
        self._running = True
        now = self._clock()
        for slot in self._slots.values():
            self._spawn(slot, now)
            self._dispatch(slot)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Ask every worker to stop, wait up to `timeout` s, then terminate stragglers.

        The only method that waits: call it when the game exits. Results still being written
        to the cache are finished first (within the same timeout); jobs not answered yet
        are forgotten.
        """
        self._running = False
        deadline = time.monotonic() + timeout
        workers = [slot.worker for slot in self._slots.values() if slot.worker is not None]
        for worker in workers:
            worker.send(Shutdown())              # they stop while the cache writes finish
        if self._writer is not None and not self._writer.close(timeout):
            log.warning("result cache writes not finished in %.1f s", timeout)
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in workers:
            if worker.process.is_alive():
                log.warning("%s did not stop in %.1f s: terminating it",
                            worker.config.name, timeout)
                worker.process.terminate()
                worker.process.join(0.5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(0.5)
            worker.retire()
        for process in self._graveyard:
            if process.is_alive():
                process.kill()
            process.join(0.5)
        self._graveyard.clear()
        for slot in self._slots.values():
            slot.worker, slot.restart_at = None, None
            slot.pending.clear()
        self._live.clear()
        self._outbox.clear()

    def __enter__(self) -> NSTService:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    # -- jobs ------------------------------------------------------------------------------

    def submit(self, round_id: str, engine: str, content: np.ndarray,
               styles: list[tuple[np.ndarray, float]], budget_s: float = 35.0,
               strength: float = 1.0, settings: dict | None = None) -> str:
        """Queue a job and return its id; its answers come from poll().

        content: (H, W, 3) uint8; styles: (H, W, 3) uint8 paintings with weights >= 0.
        A result cached from an earlier round is returned by the next poll(), with no worker.
        Raises ValueError for malformed arguments (a programming error, not a player's).
        """
        if engine not in self._slots:
            raise ValueError(f"engine must be one of {tuple(self._slots)}, not {engine!r}")
        if not styles:
            raise ValueError("at least one style is needed")
        weights = [float(weight) for _, weight in styles]
        if any(not np.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError(f"style weights must be >= 0 with a positive sum: {weights}")
        if not (np.isfinite(budget_s) and budget_s > 0):
            raise ValueError(f"budget_s must be a positive number of seconds, not {budget_s}")
        if not 0.0 <= strength <= 1.0:
            raise ValueError(f"strength must be in [0, 1], not {strength}")
        job = Job(f"{engine}-{uuid.uuid4().hex[:12]}", round_id, engine,
                  _checked_image(content, "content"),
                  [(_checked_image(image, "style"), w) for (image, _), w in zip(styles, weights)],
                  float(strength), float(budget_s), dict(settings or {}))
        key = None
        if self._cache is not None:
            key = result_key(job, models_fingerprint(self.models_dir, engine))
            hit = self._cache.get(key, job.job_id)
            if hit is not None:
                self.stats.cache_hits += 1
                self._live[job.job_id] = _Live(round_id, engine, None)
                self._outbox.append(hit)
                return job.job_id
        self._live[job.job_id] = _Live(round_id, engine, key)
        slot = self._slots[engine]
        slot.pending.append(job)
        if self._running:
            self._dispatch(slot)
        return job.job_id

    def submit_score(self, round_id: str, images: dict[str, np.ndarray],
                     pairs: tuple[tuple[str, str], ...] = SCORE_PAIRS) -> str:
        """Queue a ScoreJob for the scoring worker; its ScoreResult or Failed comes from poll().

        images: "painting", "magenta", "gatys" -> (H, W, 3) uint8 (a missing one is skipped).
        """
        job = ScoreJob(f"{SCORE}-{uuid.uuid4().hex[:12]}", round_id,
                       {name: _checked_image(image, name) for name, image in images.items()},
                       tuple(pairs))
        self._live[job.job_id] = _Live(round_id, SCORER_ENGINE, None)
        slot = self._slots.get(SCORER_ENGINE)
        if slot is None:
            self._outbox.append(Failed(job.job_id, SCORE, "No score this round: the scoring "
                                       "worker is not running."))
            return job.job_id
        slot.pending.append(job)
        if self._running:
            self._dispatch(slot)
        return job.job_id

    def cancel(self, job_id: str) -> bool:
        """Forget a job: nothing more is delivered for it. False if it was not live."""
        live = self._live.pop(job_id, None)
        if live is None:
            return False
        slot = self._slots[live.engine]
        slot.pending = deque(job for job in slot.pending if job.job_id != job_id)
        worker = slot.worker
        running = worker.current if worker is not None else None
        if running is not None and running.job_id == job_id:
            worker.send(Cancel(job_id))         # it stays busy until it answers
        return True

    def cancel_round(self, round_id: str) -> list[str]:
        """Cancel every job of a round (the player left it); returns their ids."""
        ids = [job_id for job_id, live in self._live.items() if live.round_id == round_id]
        for job_id in ids:
            self.cancel(job_id)
        return ids

    def poll(self) -> list[Message]:
        """Progress, Result and Failed messages since the last call. Never blocks."""
        now = self._clock()
        if self._running:
            for slot in self._slots.values():
                if slot.worker is not None:
                    self._read(slot)
                    self._check(slot, now)
                elif slot.restart_at is not None and now >= slot.restart_at:
                    self._spawn(slot, now)
                self._dispatch(slot)
            self._reap()
        delivered = []
        for message in self._outbox:
            if message.job_id not in self._live:
                continue                                   # cancelled after it was queued
            if not isinstance(message, Progress):
                del self._live[message.job_id]
            delivered.append(message)
        self._outbox.clear()
        return delivered

    def status(self) -> dict[str, WorkerStatus]:
        """Per engine: what its worker is doing, which engine it runs, its restarts."""
        return {engine: WorkerStatus(self._state(slot), slot.label, slot.restarts,
                                     slot.last_reason, len(slot.pending),
                                     slot.worker.process.pid if slot.worker else None)
                for engine, slot in self._slots.items()}

    def live_jobs(self) -> list[str]:
        """Ids of the jobs whose final answer has not been delivered yet."""
        return list(self._live)

    # -- inside poll -----------------------------------------------------------------------

    def _state(self, slot: _Slot) -> str:
        worker = slot.worker
        if not self._running:
            return "stopped"
        if worker is None or not worker.ready:
            return "restarting" if slot.restarts else "starting"
        return "busy" if worker.current is not None else "ready"

    def _read(self, slot: _Slot) -> None:
        """Take in a worker's answers: liveness, labels, and messages for live jobs."""
        worker = slot.worker
        for received, message in worker.drain():
            worker.last_seen = max(received, worker.last_seen or received)
            if isinstance(message, Ready):
                worker.ready, slot.start_failures = True, 0
                worker.ready_at = received
                slot.label = message.engine_label or slot.label
            elif isinstance(message, Started):
                if worker.current is not None and worker.current.job_id == message.job_id:
                    worker.started = True
            elif isinstance(message, (Progress, Result, ScoreResult, Failed)):
                if (not isinstance(message, Progress) and worker.current is not None
                        and worker.current.job_id == message.job_id):
                    worker.current = None
                    slot.requeued.discard(message.job_id)
                live = self._live.get(message.job_id)
                if live is None:
                    self.stats.dropped += 1
                    continue
                if isinstance(message, Result) and live.cache_key and self._writer is not None:
                    self._writer.put(live.cache_key, message)
                self._outbox.append(message)

    def _check(self, slot: _Slot, now: float) -> None:
        """Replace a worker that has exited or gone silent."""
        worker = slot.worker
        exitcode = worker.process.exitcode          # non-blocking (waitpid WNOHANG)
        if exitcode is not None:
            if worker.dead_since is None:
                worker.dead_since = now             # let the pump bring in its last words
            elif now - worker.dead_since >= EXIT_GRACE_S:
                self._restart(slot, crash_reason(slot.engine, exitcode), now)
            return
        if worker.last_seen is not None and now - worker.last_seen > self.heartbeat_timeout_s:
            worker.process.kill()
            self._restart(slot, f"The {slot.display} worker stopped answering and was "
                                "restarted.", now)
        elif not worker.ready and now - worker.started_at > self.startup_timeout_s:
            worker.process.kill()
            self._restart(slot, f"The {slot.display} worker did not start in time and was "
                                "restarted.", now)
        elif self._job_not_taken(worker, now):
            worker.process.kill()
            self._restart(slot, f"The {slot.display} worker stopped taking jobs and was "
                                "restarted.", now, never_took_job=True)

    def _job_not_taken(self, worker: _Worker, now: float) -> bool:
        """A ready worker was handed a job long ago and has not said Started for it."""
        if not worker.ready or worker.current is None or worker.started:
            return False
        since = max(worker.sent_at or now, worker.ready_at or now)
        return now - since > self.job_start_timeout_s

    def _restart(self, slot: _Slot, reason: str, now: float,
                 never_took_job: bool = False) -> None:
        """Fail the lost job, retire the worker and spawn its successor (or schedule it).

        never_took_job: the worker was alive but did not begin its job (no Started): the
        job itself is fine, so the successor gets it, once.
        """
        worker = slot.worker
        log.warning("%s", reason)
        lost = worker.current
        if lost is not None and lost.job_id in self._live:
            if not worker.ready:        # it never started the job: the next worker will
                slot.pending.appendleft(lost)
            elif never_took_job and lost.job_id not in slot.requeued:
                slot.requeued.add(lost.job_id)  # never begun: the next worker gets it, once
                slot.pending.appendleft(lost)
            else:
                self._outbox.append(Failed(lost.job_id, slot.engine, reason))
        worker.retire()
        self._graveyard.append(worker.process)
        slot.worker = None
        slot.restarts += 1
        slot.last_reason = reason
        slot.start_failures = 0 if worker.ready else slot.start_failures + 1
        if slot.start_failures >= MAX_START_FAILURES:
            slot.restart_at = now + min(MAX_BACKOFF_S, 2.0 ** slot.start_failures)
        else:
            self._spawn(slot, now)

    def _spawn(self, slot: _Slot, now: float) -> None:
        slot.restart_at = None
        try:
            slot.worker = _Worker(self._context, self._configs[slot.engine], self._clock)
        except OSError as error:                     # out of processes, memory, ...
            log.warning("cannot start the %s worker: %s", slot.engine, error)
            slot.last_reason = f"The {slot.display} worker could not be started ({error})."
            slot.start_failures += 1
            slot.restart_at = now + min(MAX_BACKOFF_S, 2.0 ** slot.start_failures)

    def _dispatch(self, slot: _Slot) -> None:
        """Hand the next waiting job to an idle worker; fail waiting jobs of a broken one."""
        worker = slot.worker
        if worker is None:
            if slot.start_failures >= MAX_START_FAILURES:
                for job in slot.pending:
                    self._outbox.append(Failed(
                        job.job_id, slot.engine,
                        f"The {slot.display} worker keeps failing to start, so there is no "
                        f"{slot.display} picture this time. ({slot.last_reason})"))
                slot.pending.clear()
            return
        while worker.current is None and slot.pending:
            job = slot.pending.popleft()
            worker.send(job)
            worker.current, worker.sent_at, worker.started = job, self._clock(), False
            self.stats.jobs_sent += 1

    def _reap(self) -> None:
        """Collect killed processes without waiting (no zombies, no blocking)."""
        for process in list(self._graveyard):
            if process.exitcode is not None:
                process.close()
                self._graveyard.remove(process)
