"""The ingress's table of jobs: who owns each, how far it is, its latest preview, its result.

A job is visible only to its owner (the token and the address that submitted it): ids are
random, but a kiosk that learnt another's id must still not read that visitor's picture.
Each owner may have a few jobs in flight (queued or running), the farm a bounded total;
finished jobs are kept for a while so a slow kiosk can still fetch its result, then
dropped. No Ray and no asyncio here: models.farm.dispatch drives it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from models.farm.options import LimitOptions
from models.farm.wire import CANCELLED, FAILED, FINAL_STATES, QUEUED, RUNNING


class TooManyJobs(Exception):
    """This client (or the farm) has too many jobs in flight; str() is the one-line reason."""


@dataclass
class FarmJob:
    job_id: str
    owner: str
    engine: str
    state: str = QUEUED
    progress: float = 0.0
    iteration: int = 0
    elapsed_s: float = 0.0
    loss_parts: dict = field(default_factory=dict)
    preview: str | None = None         # base64 PNG of the latest preview
    preview_seq: int = 0               # bumped with every new preview
    result: dict | None = None         # wire JSON once done
    reason: str | None = None          # why it failed, one line
    # The failure was the farm's (a replica died, a timeout), not the picture's: the
    # kiosk should paint it locally instead.
    retry_local: bool = False
    created: float = field(default_factory=time.monotonic)
    finished_at: float | None = None
    task: object = None                # the asyncio task running it

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    def status(self, since: int) -> dict:
        """The status route's JSON; the preview only when the client has not seen it yet."""
        return {"job_id": self.job_id, "engine": self.engine, "state": self.state,
                "progress": self.progress, "iteration": self.iteration,
                "elapsed_s": self.elapsed_s, "loss_parts": self.loss_parts,
                "preview": self.preview if self.preview_seq > since else None,
                "preview_seq": self.preview_seq, "reason": self.reason,
                "retry_local": self.retry_local}

    def finish(self, state: str, *, result: dict | None = None, reason: str | None = None,
               retry_local: bool = False) -> None:
        if self.final:
            return
        self.state, self.result, self.reason = state, result, reason
        self.retry_local = retry_local
        self.finished_at = time.monotonic()
        if state not in (FAILED, CANCELLED):
            self.progress = 1.0


class JobTable:
    def __init__(self, limits: LimitOptions):
        self.limits = limits
        self._jobs: dict[str, FarmJob] = {}

    def admit(self, job_id: str, owner: str, engine: str) -> FarmJob:
        """A new record, or TooManyJobs when the owner or the farm is at its cap."""
        self.prune()
        flying = [job for job in self._jobs.values() if not job.final]
        mine = sum(1 for job in flying if job.owner == owner)
        if mine >= self.limits.jobs_in_flight_per_client:
            raise TooManyJobs(f"this client already has {mine} jobs in flight (the limit is "
                              f"{self.limits.jobs_in_flight_per_client})")
        if len(flying) >= self.limits.jobs_in_flight_total:
            raise TooManyJobs("the farm is full; try again shortly")
        job = FarmJob(job_id, owner, engine)
        self._jobs[job_id] = job
        return job

    def get(self, job_id: str, owner: str) -> FarmJob | None:
        """The job if it exists and belongs to `owner` (else None: 404 either way)."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def prune(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        keep = self.limits.finished_kept_s
        for job_id in [job_id for job_id, job in self._jobs.items()
                       if job.finished_at is not None and now - job.finished_at > keep]:
            del self._jobs[job_id]

    def queues(self) -> dict[str, dict[str, int]]:
        """Per engine: jobs queued and running (farm status, benchmarks)."""
        counts: dict[str, dict[str, int]] = {}
        for job in self._jobs.values():
            if job.state in (QUEUED, RUNNING):
                row = counts.setdefault(job.engine, {QUEUED: 0, RUNNING: 0})
                row[job.state] += 1
        return counts

    def __len__(self) -> int:
        return len(self._jobs)
