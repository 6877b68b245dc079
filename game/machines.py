"""The game's side of the NST service: start a round's two jobs, route answers to its slots.

Plain logic over `game.nst_service.NSTService` (which never blocks and never imports
TensorFlow). The App calls `update()` once per step; scenes only read the round's slots.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from game.round import EngineSlot, Round
from models.messages import ENGINES, Failed, Progress, Result

log = logging.getLogger(__name__)


def apply_message(slot: EngineSlot, message) -> None:
    """Progress / Result / Failed -> the slot the player sees."""
    if isinstance(message, Progress):
        slot.status = "running"
        slot.progress = max(slot.progress, float(message.fraction))
        slot.iteration = message.iteration
        slot.seconds = message.elapsed_s
        if message.preview is not None:
            slot.image = message.preview
        slot.detail = (f"iteration {message.iteration} · still refining"
                       if message.iteration else "working")
    elif isinstance(message, Result):
        slot.status, slot.progress = "done", 1.0
        slot.image, slot.seconds = message.image, message.seconds
        slot.iteration = message.iterations
        slot.label = message.label
        slot.settings_text = message.settings_text
        steps = f" · {message.iterations} iterations" if message.iterations > 1 else ""
        slot.detail = f"{message.seconds:.1f} s{steps}"
    elif isinstance(message, Failed):
        slot.status = "failed"
        slot.detail = message.reason


class Machines:
    """Owns the NSTService for the whole game; rounds register their slots by job id."""

    def __init__(self, cache_dir: Path | None, service=None) -> None:
        self._cache_dir = cache_dir
        self._service = service           # injected in tests; made on first use otherwise
        self._slots: dict[str, EngineSlot] = {}

    @property
    def service(self):
        if self._service is None:
            from game.nst_service import NSTService
            self._service = NSTService(self._cache_dir)
        return self._service

    def start(self) -> None:
        """Spawn the workers early (setup screen) so TensorFlow loads while the player looks."""
        self.service.start()

    def start_round(self, round_: Round, content: np.ndarray, style: np.ndarray) -> None:
        """Submit both engines' jobs for the round's pair; Gatys gets the round's time."""
        self.start()
        for engine in ENGINES:
            slot = round_.slots[engine]
            job_id = self.service.submit(round_.round_id, engine, content, [(style, 1.0)],
                                         budget_s=round_.seconds)
            slot.job_id, slot.status, slot.detail = job_id, "waiting", "waiting for the models"
            self._slots[job_id] = slot

    def abandon(self, round_: Round) -> None:
        """The player left the round: stop its jobs; late answers are dropped by id."""
        if self._service is None:
            return
        for job_id in self.service.cancel_round(round_.round_id):
            self._slots.pop(job_id, None)

    def update(self) -> None:
        if self._service is None:
            return
        labels = {engine: st.label for engine, st in self._service.status().items()}
        for slot in self._slots.values():
            # The worker says which engine it really runs (real model or offline stand-in).
            if labels.get(slot.engine) and slot.status != "done":
                slot.label = labels[slot.engine]
        for message in self.service.poll():
            slot = self._slots.get(message.job_id)
            if slot is None:
                continue                      # a job nobody watches any more
            apply_message(slot, message)
            if not isinstance(message, Progress):
                del self._slots[message.job_id]

    def status(self) -> dict:
        """engine -> WorkerStatus, or {} before the workers were started."""
        return self._service.status() if self._service is not None else {}

    def close(self) -> None:
        if self._service is not None:
            self._service.shutdown()
            self._service = None
