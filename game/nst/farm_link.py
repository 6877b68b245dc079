"""The farm backend's network thread: every HTTP call to the render farm happens here.

The game loop never waits on the network (frame time unchanged): it hands requests in
through a queue and drains events out of another (game.nst.farm_backend). The thread
submits jobs, polls each one's status (progress, the latest preview), fetches results,
and cancels; anything that goes wrong with a job becomes a Fallback event, and the backend
paints that job on this computer instead.

When the farm cannot be reached (or refuses the token, or errs with a 5xx) it counts as down
for `retry_after_s`: new jobs go local at once during that time instead of each waiting
for its own timeout, and the farm is tried again afterwards.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

from models.farm import wire
from models.farm.client import FarmClient, FarmError, decode_picture, to_message
from models.messages import Progress, Result, ScoreResult

log = logging.getLogger(__name__)

POLL_S = 0.3                 # how often live jobs' status is asked for
FARM_GRACE_S = 60.0          # a job may be late by this much beyond its budget (queueing)


@dataclass
class Submit:
    job_id: str                  # the backend's id
    body: dict                   # wire.job_body / wire.score_body
    deadline_s: float            # give up on the farm after this long


@dataclass
class Cancel:
    job_id: str


@dataclass
class Fallback:
    """Paint this job locally: the farm could not (reason is one line, for the log)."""
    job_id: str
    reason: str


@dataclass
class Delivered:
    """A farm message for the backend: Progress, Result or ScoreResult (our job id)."""
    message: Progress | Result | ScoreResult


@dataclass
class _Remote:
    submit: Submit
    farm_id: str
    started: float
    seen: int = 0                # the latest preview_seq delivered


@dataclass
class LinkState:
    """What the game thread may read (plain values; written by the link thread only)."""
    down_until: float = 0.0      # time.monotonic() before which the farm counts as down
    last_reason: str | None = None
    label: dict = field(default_factory=dict)   # engine -> the farm's engine label


def as_farm_error(error: Exception) -> FarmError:
    """Any failure of a call as a FarmError; one that is not already one counts as the farm
    not reached (a bug or an odd answer must not leave a job waiting for ever)."""
    if isinstance(error, FarmError):
        return error
    log.warning("farm call failed unexpectedly", exc_info=error)
    return FarmError(f"the farm's answer could not be used ({type(error).__name__}: {error})")


class FarmLink(threading.Thread):
    def __init__(self, client: FarmClient, retry_after_s: float, inbox: queue.SimpleQueue,
                 outbox: queue.SimpleQueue):
        super().__init__(name="farm-link", daemon=True)
        self.client, self.retry_after_s = client, retry_after_s
        self.inbox, self.outbox = inbox, outbox
        self.state = LinkState()
        self.stopped = threading.Event()
        self._remote: dict[str, _Remote] = {}

    def is_down(self, now: float | None = None) -> bool:
        return (time.monotonic() if now is None else now) < self.state.down_until

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                request = self.inbox.get(timeout=POLL_S)
            except queue.Empty:
                request = None
            try:
                while request is not None:
                    self._handle(request)
                    request = self.inbox.get_nowait()
            except queue.Empty:
                pass
            self._poll_all()

    def _handle(self, request) -> None:
        if isinstance(request, Cancel):
            remote = self._remote.pop(request.job_id, None)
            if remote is not None:
                try:
                    self.client.cancel(remote.farm_id)
                except FarmError as error:
                    log.info("farm cancel of %s not delivered: %s", request.job_id, error)
            return
        if self.is_down():
            self.outbox.put(Fallback(request.job_id, self.state.last_reason or "farm down"))
            return
        try:
            answer = self.client.submit(request.body)
        except Exception as error:      # noqa: BLE001 - this thread must outlive any call
            self._failed(request.job_id, as_farm_error(error))
            return
        self._remote[request.job_id] = _Remote(request, answer["job_id"], time.monotonic())

    def _poll_all(self) -> None:
        for job_id, remote in list(self._remote.items()):
            if self.stopped.is_set() or job_id not in self._remote:
                return
            if time.monotonic() - remote.started > remote.submit.deadline_s:
                self._give_up(job_id, "the farm did not finish it in time")
                continue
            try:
                self._poll(job_id, remote)
            except Exception as error:  # noqa: BLE001 - this thread must outlive any call
                self._remote.pop(job_id, None)
                self._failed(job_id, as_farm_error(error))

    def _poll(self, job_id: str, remote: _Remote) -> None:
        status = self.client.job(remote.farm_id, remote.seen)
        state = status["state"]
        if state == wire.DONE:
            self._remote.pop(job_id, None)
            message = to_message(self.client.result(remote.farm_id), job_id)
            self.outbox.put(Delivered(message))
        elif state in (wire.FAILED, wire.CANCELLED):
            self._remote.pop(job_id, None)
            self.outbox.put(Fallback(job_id, status.get("reason") or state))
        elif state == wire.RUNNING and (status.get("preview") or status["iteration"]
                                        or status["progress"]):
            preview = None
            if status.get("preview"):
                preview = decode_picture(status["preview"], "a preview")
                remote.seen = int(status["preview_seq"])
            self.outbox.put(Delivered(Progress(job_id, float(status["progress"]),
                                               int(status["iteration"]),
                                               float(status["elapsed_s"]),
                                               dict(status.get("loss_parts") or {}), preview)))

    def _give_up(self, job_id: str, reason: str) -> None:
        remote = self._remote.pop(job_id, None)
        if remote is not None:
            try:
                self.client.cancel(remote.farm_id)
            except FarmError:
                pass
        self.outbox.put(Fallback(job_id, reason))

    def _failed(self, job_id: str, error: FarmError) -> None:
        """A call failed: this job goes local; a farm that is unreachable, refuses our
        token or is broken (5xx) is left alone for a while; 400/413/429 are this job's."""
        if error.status is None or error.status in (401, 403) or error.status >= 500:
            self.state.down_until = time.monotonic() + self.retry_after_s
            self.state.last_reason = error.reason
            log.warning("render farm down for %.0f s: %s", self.retry_after_s, error.reason)
            for other in list(self._remote):          # the others will fail the same way
                if error.status is None:
                    self._remote.pop(other, None)
                    self.outbox.put(Fallback(other, error.reason))
        self.outbox.put(Fallback(job_id, error.reason))
