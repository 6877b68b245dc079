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
  whose process has exited (its exit code says why), that has been silent for
  heartbeat_timeout_s once ready (killed first), or that is not ready after
  startup_timeout_s, and reports its job as Failed with a sentence for the
  player. Restarting is spawn-and-go; nothing here waits on a process except shutdown().
  A worker that keeps dying before it is ready is retried with a growing pause, and the
  jobs waiting for it fail at once instead of waiting for ever. A worker that beats but
  whose inbox sends no Received for a job within job_start_timeout_s (the inbox is stuck)
  is killed and replaced; the job it never took goes to the successor once, then fails.
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

from game.nst.keeper import Liveness, WorkerKeeper
from game.nst.result_cache import CacheWriter, ResultCache, models_fingerprint, result_key
from game.nst.workers import ServiceStats, WorkerStatus, _Slot
from game.nst.workers import crash_reason  # noqa: F401 - part of this module's API
from models.cache import default_models_dir
from models.messages import (ENGINES, SCORE, SCORE_PAIRS, SCORER_ENGINE, Cancel, Failed, Job,
                             Loading, Progress, Ready, Received, Result, ScoreJob,
                             ScoreResult)
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
                 models_dir: Path | None = None, startup_timeout_s: float = 300.0,
                 job_start_timeout_s: float = 90.0,
                 heartbeat_s: float = 1.0, preload: bool = True, nice: int = 10,
                 engines: tuple[str, ...] = ENGINES, score_dir: Path | None = None,
                 clock: Callable[[], float] = time.monotonic):
        """
        cache_dir: folder for cached results (e.g. <data_dir>/nst-cache); None: no cache.
        heartbeat_timeout_s: silence after which a ready worker counts as hung and is
            replaced (before Ready only startup_timeout_s applies: see game.nst.keeper).
        models_dir: the model cache the workers choose engines from (default: the one
            models.cache uses: $STYLE_DUEL_MODELS, else the per-user folder).
        startup_timeout_s: how long a new worker may take to load its engine and say Ready
            (TensorFlow's import and a model load on a busy machine).
        job_start_timeout_s: how long a worker's inbox may take to say Received for a job
            handed to it (counted from Ready when the job was sent earlier).
        heartbeat_s: how often workers send heartbeats.
        preload: workers load their engine (TensorFlow) before the first job.
        nice: how much workers lower their priority.
        engines: which workers to run ("magenta", "gatys").
        score_dir: folder of the score model (default: models.score's, the committed one).
        """
        unknown = set(engines) - set(ENGINES)
        if unknown:
            raise ValueError(f"unknown engines {sorted(unknown)}; known: {ENGINES}")
        self.models_dir = Path(models_dir) if models_dir else default_models_dir()
        self.stats = ServiceStats()
        self._cache = ResultCache(cache_dir) if cache_dir is not None else None
        self._writer = CacheWriter(self._cache) if self._cache is not None else None
        self._configs = {engine: WorkerConfig(engine, str(self.models_dir), preload=preload,
                                              heartbeat_s=heartbeat_s, nice=nice,
                                              scorer=engine == SCORER_ENGINE,
                                              score_dir=str(score_dir) if score_dir else None)
                         for engine in engines}
        self._clock = clock
        self._running = False
        self._live: dict[str, _Live] = {}
        self._outbox: list[Message] = []       # answers waiting for the next poll()
        self._keeper = WorkerKeeper(
            multiprocessing.get_context("spawn"), self._configs,
            Liveness(heartbeat_timeout_s, startup_timeout_s, job_start_timeout_s), clock,
            self.stats, is_live=self._live.__contains__, fail=self._fail)
        self._slots = self._keeper.slots

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Spawn the workers and return at once (they load their engines in the background)."""
        if self._running:
            return
        self._running = True
        now = self._clock()
        for slot in self._slots.values():
            self._keeper.spawn(slot, now)
            self._keeper.dispatch(slot)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Ask every worker to stop, wait up to `timeout` s, then terminate stragglers.

        The only method that waits: call it when the game exits. Results still being written
        to the cache are finished first (within the same timeout); jobs not answered yet
        are forgotten.
        """
        self._running = False
        deadline = time.monotonic() + timeout
        workers = self._keeper.ask_all_to_stop()  # they stop while the cache writes finish
        if self._writer is not None and not self._writer.close(timeout):
            log.warning("result cache writes not finished in %.1f s", timeout)
        self._keeper.stop_all(workers, deadline, timeout)
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
            self._keeper.dispatch(slot)
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
            self._keeper.dispatch(slot)
        return job.job_id

    def cancel(self, job_id: str) -> bool:
        """Forget a job: nothing more is delivered for it. False if it was not live."""
        live = self._live.pop(job_id, None)
        if live is None:
            return False
        slot = self._slots[live.engine]
        slot.pending = deque(job for job in slot.pending if job.job_id != job_id)
        slot.requeued.discard(job_id)
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
                self._keeper.tend(slot, now)
            self._keeper.reap()
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
        return {engine: WorkerStatus(self._keeper.state(slot, self._running), slot.label,
                                     slot.restarts, slot.last_reason, len(slot.pending),
                                     slot.worker.process.pid if slot.worker else None)
                for engine, slot in self._slots.items()}

    def live_jobs(self) -> list[str]:
        """Ids of the jobs whose final answer has not been delivered yet."""
        return list(self._live)

    # -- inside poll -----------------------------------------------------------------------

    def _fail(self, job_id: str, engine: str, reason: str) -> None:
        """The keeper lost a job (its worker died, or cannot start): tell whoever waits."""
        self._outbox.append(Failed(job_id, engine, reason))

    def _read(self, slot: _Slot) -> None:
        """Take in a worker's answers: liveness, labels, and messages for live jobs."""
        worker = slot.worker
        for received, message in worker.drain():
            worker.last_seen = max(received, worker.last_seen or received)
            if isinstance(message, Ready):
                worker.ready, slot.start_failures = True, 0
                worker.ready_at = received
                slot.label = message.engine_label or slot.label
            elif isinstance(message, Loading):
                worker.loading_since = None if message.done else received
                if message.done:
                    worker.loaded_at = received
            elif isinstance(message, Received):
                if worker.current is not None and worker.current.job_id == message.job_id:
                    worker.received = True
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

