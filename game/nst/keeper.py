"""Keeps one worker process per engine alive for game.nst.service.NSTService.

The service owns the jobs (who waits for what, the cache, what poll() delivers); the keeper
owns the processes: spawning, handing the next job to an idle worker, noticing a worker
that exited, went silent, never got ready or stopped taking jobs, and replacing it with a
growing pause when it keeps dying before it is ready. A job a worker lost is handed back
to the service through `fail` (or given to the successor when the worker never began it).
Nothing here waits on a process except stop_all(), which the game calls once, at exit.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from game.nst.workers import (EXIT_GRACE_S, MAX_BACKOFF_S, MAX_START_FAILURES, ServiceStats,
                              _Slot, _Worker, crash_reason)
from models.messages import Shutdown
from models.worker import WorkerConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Liveness:
    """How long a worker may stay quiet in each phase before it is replaced."""
    # Silence once Ready, except while it says it is Loading a model: hung (killed first).
    heartbeat_timeout_s: float = 20.0
    # From spawn to Ready, whatever the heartbeat says: loading TensorFlow's libraries holds
    # the GIL for seconds of CPU, and a nice-10 worker on two busy cores gets a twentieth of
    # one, so its heartbeat can fall silent for a minute while it is merely starting.
    startup_timeout_s: float = 300.0
    # From handing over a job (or Ready, or the end of a Loading, if later) to the inbox's
    # Received. Not counted while the worker is Loading: the GIL held by a starved load
    # delays the inbox thread too. Generous: a loaded machine schedules the worker late.
    job_start_timeout_s: float = 90.0


class WorkerKeeper:
    def __init__(self, context, configs: dict[str, WorkerConfig], liveness: Liveness,
                 clock: Callable[[], float], stats: ServiceStats,
                 is_live: Callable[[str], bool], fail: Callable[[str, str, str], None]):
        """is_live(job_id): someone still waits for it; fail(job_id, engine, reason)."""
        self.slots = {engine: _Slot(engine) for engine in configs}
        self.liveness = liveness
        self._context, self._configs, self._clock = context, configs, clock
        self._stats, self._is_live, self._fail = stats, is_live, fail
        self._graveyard: list = []              # killed processes not reaped yet

    def state(self, slot: _Slot, running: bool) -> str:
        worker = slot.worker
        if not running:
            return "stopped"
        if worker is None or not worker.ready:
            return "restarting" if slot.restarts else "starting"
        return "busy" if worker.current is not None else "ready"

    def tend(self, slot: _Slot, now: float) -> None:
        """One poll's care: replace a dead or stuck worker, spawn a due one, hand out a job."""
        if slot.worker is not None:
            self.check(slot, now)
        elif slot.restart_at is not None and now >= slot.restart_at:
            self.spawn(slot, now)
        self.dispatch(slot)

    def check(self, slot: _Slot, now: float) -> None:
        """Replace a worker that has exited, gone silent, or stopped taking jobs."""
        worker, limits = slot.worker, self.liveness
        exitcode = worker.process.exitcode          # non-blocking (waitpid WNOHANG)
        if exitcode is not None:
            if worker.dead_since is None:
                worker.dead_since = now             # let the pump bring in its last words
            elif now - worker.dead_since >= EXIT_GRACE_S:
                self.restart(slot, crash_reason(slot.engine, exitcode), now)
            return
        silent = (worker.last_seen is not None
                  and now - worker.last_seen > limits.heartbeat_timeout_s)
        loading_too_long = (worker.loading_since is not None
                            and now - worker.loading_since > limits.startup_timeout_s)
        if worker.ready and (loading_too_long or silent and worker.loading_since is None):
            worker.process.kill()
            self.restart(slot, f"The {slot.display} worker stopped answering and was "
                               "restarted.", now)
        elif not worker.ready and now - worker.started_at > limits.startup_timeout_s:
            worker.process.kill()
            self.restart(slot, f"The {slot.display} worker did not start in time and was "
                               "restarted.", now)
        elif self._job_not_taken(worker, now):
            worker.process.kill()
            self.restart(slot, f"The {slot.display} worker stopped taking jobs and was "
                               "restarted.", now, never_took_job=True)

    def _job_not_taken(self, worker: _Worker, now: float) -> bool:
        """A ready worker was handed a job long ago and its inbox has not taken it."""
        if (not worker.ready or worker.current is None or worker.received
                or worker.loading_since is not None):
            return False
        since = max(worker.sent_at or now, worker.ready_at or now, worker.loaded_at or 0.0)
        return now - since > self.liveness.job_start_timeout_s

    def restart(self, slot: _Slot, reason: str, now: float,
                never_took_job: bool = False) -> None:
        """Fail the lost job, retire the worker and spawn its successor (or schedule it).

        never_took_job: the worker was alive but its inbox never took the job: the
        job itself is fine, so the successor gets it, once.
        """
        worker = slot.worker
        log.warning("%s", reason)
        lost = worker.current
        if lost is not None and self._is_live(lost.job_id):
            if not worker.ready:        # it never started the job: the next worker will
                slot.pending.appendleft(lost)
            elif never_took_job and lost.job_id not in slot.requeued:
                slot.requeued.add(lost.job_id)  # never begun: the next worker gets it, once
                slot.pending.appendleft(lost)
            else:
                slot.requeued.discard(lost.job_id)
                self._fail(lost.job_id, slot.engine, reason)
        worker.retire()
        self._graveyard.append(worker.process)
        slot.worker = None
        slot.restarts += 1
        slot.last_reason = reason
        slot.start_failures = 0 if worker.ready else slot.start_failures + 1
        if slot.start_failures >= MAX_START_FAILURES:
            slot.restart_at = now + min(MAX_BACKOFF_S, 2.0 ** slot.start_failures)
        else:
            self.spawn(slot, now)

    def spawn(self, slot: _Slot, now: float) -> None:
        slot.restart_at = None
        try:
            slot.worker = _Worker(self._context, self._configs[slot.engine], self._clock)
        except OSError as error:                     # out of processes, memory, ...
            log.warning("cannot start the %s worker: %s", slot.engine, error)
            slot.last_reason = f"The {slot.display} worker could not be started ({error})."
            slot.start_failures += 1
            slot.restart_at = now + min(MAX_BACKOFF_S, 2.0 ** slot.start_failures)

    def dispatch(self, slot: _Slot) -> None:
        """Hand the next waiting job to an idle worker; fail waiting jobs of a broken one."""
        worker = slot.worker
        if worker is None:
            if slot.start_failures >= MAX_START_FAILURES:
                for job in slot.pending:
                    slot.requeued.discard(job.job_id)
                    self._fail(job.job_id, slot.engine,
                               f"The {slot.display} worker keeps failing to start, so there "
                               f"is no {slot.display} picture this time. ({slot.last_reason})")
                slot.pending.clear()
            return
        while worker.current is None and slot.pending:
            job = slot.pending.popleft()
            worker.send(job)
            worker.current, worker.sent_at, worker.received = job, self._clock(), False
            self._stats.jobs_sent += 1

    def reap(self) -> None:
        """Collect killed processes without waiting (no zombies, no blocking)."""
        for process in list(self._graveyard):
            if process.exitcode is not None:
                process.close()
                self._graveyard.remove(process)

    def ask_all_to_stop(self) -> list[_Worker]:
        """Send Shutdown to every worker; returns them for stop_all (cache writes go first)."""
        workers = [slot.worker for slot in self.slots.values() if slot.worker is not None]
        for worker in workers:
            worker.send(Shutdown())
        return workers

    def stop_all(self, workers: list[_Worker], deadline: float, timeout: float) -> None:
        """Wait for the workers until `deadline` (time.monotonic), then end stragglers."""
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
        for slot in self.slots.values():
            slot.worker, slot.restart_at = None, None
            slot.pending.clear()
            slot.requeued.clear()
