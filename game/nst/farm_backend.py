"""A render farm behind the NST service's own interface: submit / poll / cancel.

    backend = FarmBackend(FarmConnection(url, token), local=lambda: NSTService(cache_dir))
    backend.start(); job_id = backend.submit(round_id, "gatys", content, [(style, 1.0)], 90)
    for message in backend.poll(): ...     # Progress | Result | ScoreResult | Failed
    backend.cancel(job_id); backend.shutdown()

Every job goes to the farm first, through the network thread (game.nst.farm_link): this
object never touches the network, so a frame never waits on it. The farm is never a single
point of failure: a farm that is unreachable (at start or later), times out, answers 5xx,
refuses the job or loses its replica mid-job hands that job to the local workers
(game.nst.service.NSTService, or their offline stand-ins), made only when first needed
(no TensorFlow anywhere until then) or at start with warm_fallback. Every Result says where
it was painted (Result.where: "farm GPU", "farm CPU" or "this computer"), and the farm is
tried again after retry_after_s.
"""
from __future__ import annotations

import logging
import queue
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.nst.farm_link import Cancel, Delivered, Fallback, FarmLink, Submit
from game.nst.farm_link import FARM_GRACE_S
from game.nst.workers import ServiceStats, WorkerStatus
from models.farm import wire
from models.farm.client import FarmAddress, FarmClient
from models.messages import (ENGINES, SCORE, SCORE_PAIRS, WHERE_LOCAL, Failed, Progress,
                             Result)

log = logging.getLogger(__name__)

LOCAL = WHERE_LOCAL       # Result.where of a job painted here because the farm could not
SCORE_DEADLINE_S = 60.0


@dataclass(frozen=True)
class FarmConnection:
    url: str
    token: str
    timeout_s: float = 10.0          # one HTTP call
    retry_after_s: float = 60.0      # a farm found down is left alone this long
    warm_fallback: bool = False      # start the local workers at once, not on first need


@dataclass
class _Ticket:
    """One job as the game sees it, wherever it runs."""
    round_id: str
    engine: str                      # "magenta" | "gatys" | "score" (SCORE)
    args: tuple                      # how to submit it locally
    local_id: str | None = None      # set once it fell back


def _image(array, what: str) -> np.ndarray:
    image = np.asarray(array)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"{what} must be an (H, W, 3) uint8 array")
    return np.array(image, copy=True, order="C")


class FarmBackend:
    """NSTService's interface over a render farm, with the local workers as the fallback."""

    def __init__(self, connection: FarmConnection, local: Callable[[], object],
                 client: FarmClient | None = None):
        self.connection = connection
        self.stats = ServiceStats()
        self.fallbacks = 0
        self._make_local, self._local = local, None
        self._tickets: dict[str, _Ticket] = {}
        self._by_local: dict[str, str] = {}          # local job id -> our job id
        self._to_link: queue.SimpleQueue = queue.SimpleQueue()
        self._from_link: queue.SimpleQueue = queue.SimpleQueue()
        client = client or FarmClient(FarmAddress(connection.url, connection.token,
                                                  connection.timeout_s))
        self._link = FarmLink(client, connection.retry_after_s, self._to_link,
                              self._from_link)
        self._outbox: list = []
        self._labels: dict[str, str] = {}            # engine -> the last farm label seen

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        if not self._link.is_alive() and not self._link.stopped.is_set():
            self._link.start()
        if self.connection.warm_fallback:
            self._local_service()

    def shutdown(self, timeout: float = 2.0) -> None:
        self._link.stopped.set()
        for job_id in list(self._tickets):
            self.cancel(job_id)
        if self._local is not None:
            self._local.shutdown(timeout)
            self._local = None

    def __enter__(self) -> FarmBackend:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def _local_service(self):
        if self._local is None:
            log.info("starting the local NST workers (the farm's fallback)")
            self._local = self._make_local()
            self._local.start()
        return self._local

    # -- jobs ------------------------------------------------------------------------------

    def submit(self, round_id: str, engine: str, content: np.ndarray,
               styles: list[tuple[np.ndarray, float]], budget_s: float = 35.0,
               strength: float = 1.0, settings: dict | None = None) -> str:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
        if not styles:
            raise ValueError("at least one style is needed")
        content = _image(content, "content")
        styles = [(_image(image, "style"), float(weight)) for image, weight in styles]
        job_id = f"{engine}-{uuid.uuid4().hex[:12]}"
        args = (engine, content, styles, float(budget_s), float(strength),
                dict(settings or {}))
        self._tickets[job_id] = _Ticket(round_id, engine, args)
        body = wire.job_body(engine, content, styles, strength, budget_s, settings or {})
        self._send(job_id, body, float(budget_s) + FARM_GRACE_S)
        return job_id

    def submit_score(self, round_id: str, images: dict[str, np.ndarray],
                     pairs: tuple[tuple[str, str], ...] = SCORE_PAIRS) -> str:
        images = {name: _image(image, name) for name, image in images.items()}
        job_id = f"{SCORE}-{uuid.uuid4().hex[:12]}"
        self._tickets[job_id] = _Ticket(round_id, SCORE, (images, tuple(pairs)))
        self._send(job_id, wire.score_body(images, pairs), SCORE_DEADLINE_S)
        return job_id

    def _send(self, job_id: str, body: dict, deadline_s: float) -> None:
        if self._link.is_down() or self._link_dead():
            self._fall_back(job_id, self._link.state.last_reason or "the farm is down")
        else:
            self.stats.jobs_sent += 1
            self._to_link.put(Submit(job_id, body, deadline_s))

    def _link_dead(self) -> bool:
        """The network thread ended by itself (it should not): every job goes local."""
        return (self._link.ident is not None and not self._link.is_alive()
                and not self._link.stopped.is_set())

    def cancel(self, job_id: str) -> bool:
        ticket = self._tickets.pop(job_id, None)
        if ticket is None:
            return False
        if ticket.local_id is not None:
            self._by_local.pop(ticket.local_id, None)
            if self._local is not None:
                self._local.cancel(ticket.local_id)
        else:
            self._to_link.put(Cancel(job_id))
        return True

    def cancel_round(self, round_id: str) -> list[str]:
        ids = [job_id for job_id, t in self._tickets.items() if t.round_id == round_id]
        for job_id in ids:
            self.cancel(job_id)
        return ids

    def poll(self) -> list:
        """Progress, Result, ScoreResult and Failed since the last call. Never blocks."""
        if self._link_dead():
            for job_id, ticket in list(self._tickets.items()):   # the link died: go local
                if ticket.local_id is None:
                    self._fall_back(job_id, "the farm link stopped")
        while True:
            try:
                event = self._from_link.get_nowait()
            except queue.Empty:
                break
            job_id = event.job_id if isinstance(event, Fallback) else event.message.job_id
            if job_id not in self._tickets:
                self.stats.dropped += 1             # cancelled while the answer travelled
                continue
            if isinstance(event, Fallback):
                self._fall_back(event.job_id, event.reason)
            else:
                self._deliver(event.message)
        if self._local is not None:
            for message in self._local.poll():
                job_id = self._by_local.get(message.job_id)
                if job_id is None:
                    continue
                message.job_id = job_id
                if isinstance(message, Result):
                    message.where = LOCAL
                self._deliver(message)
        delivered, self._outbox = self._outbox, []
        return delivered

    def _deliver(self, message) -> None:
        if not isinstance(message, Progress):
            ticket = self._tickets.pop(message.job_id, None)
            if ticket is not None and ticket.local_id is not None:
                self._by_local.pop(ticket.local_id, None)
            if isinstance(message, Result) and message.where != LOCAL:
                self._labels[message.engine] = message.label
        self._outbox.append(message)

    def _fall_back(self, job_id: str, reason: str) -> None:
        """Paint the job on this computer (the farm could not); the player is not told why
        here, the reveal says where it was painted."""
        ticket = self._tickets[job_id]
        log.warning("job %s painted on this computer: %s", job_id, reason)
        self.fallbacks += 1
        service = self._local_service()
        try:
            if ticket.engine == SCORE:
                local_id = service.submit_score(ticket.round_id, *ticket.args)
            else:
                engine, content, styles, budget, strength, settings = ticket.args
                local_id = service.submit(ticket.round_id, engine, content, styles, budget,
                                          strength, settings)
        except ValueError as error:
            self._deliver(Failed(job_id, ticket.engine, str(error)))
            return
        ticket.local_id = local_id
        self._by_local[local_id] = job_id

    # -- what the game shows ---------------------------------------------------------------

    def status(self) -> dict[str, WorkerStatus]:
        """Per engine: the local workers' status once they run, else the farm's word."""
        local = self._local.status() if self._local is not None else {}
        state = "restarting" if self._link.is_down() else "ready"
        return {engine: local.get(engine) or WorkerStatus(state, self._labels.get(engine))
                for engine in ENGINES}

    def live_jobs(self) -> list[str]:
        return list(self._tickets)

    def farm_down(self) -> bool:
        return self._link.is_down()


def backend_for(farm, make_local: Callable[[], object]):
    """The NST service a game with these [farm] settings uses: a FarmBackend when a farm URL
    is set and its token file reads, else the local workers (`make_local()`) as always."""
    if farm is None or not farm.url:
        return make_local()
    from models.farm.auth import TokenFileError, read_token

    try:
        token = read_token(farm.token_file)
    except TokenFileError as error:
        log.warning("no render farm: %s; painting on this computer", error)
        return make_local()
    return FarmBackend(FarmConnection(farm.url, token, farm.timeout_s, farm.retry_after_s,
                                      farm.warm_fallback), make_local)
