"""The game's side of the NST service: start a round's two jobs, route answers to its slots.

Plain logic over `game.nst.service.NSTService` (which never blocks and never imports
TensorFlow). The App calls `update()` once per step; scenes only read the round's slots.
Once the painting is in and both machines' answers are final, the round's ScoreJob goes out
(painting, and each machine's picture that exists) and its answer fills `round.scoring`.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from game.i18n import Msg, Text
from game.round import WAITING, EngineSlot, Round
from models.messages import ENGINES, Failed, Progress, Result, ScoreResult

log = logging.getLogger(__name__)
# The offline stand-ins describe themselves in English (models.standins); players read these.
STANDIN_LABELS = {"studio filter (offline)": "machines.label_studio",
                  "Gatys, untrained features (offline)": "machines.label_untrained"}


def display_label(label: str) -> Text:
    """A worker's engine label as players see it: stand-ins translated, model names kept."""
    key = STANDIN_LABELS.get(label)
    return Msg(key) if key else label


def failure(reason: str) -> Msg:
    """A worker's reason, in English and technical, inside a sentence in the player's language."""
    return Msg("machines.failed", reason=reason)


def apply_message(slot: EngineSlot, message) -> None:
    """Progress / Result / Failed -> the slot the player sees."""
    if isinstance(message, Progress):
        slot.status = "running"
        slot.progress = max(slot.progress, float(message.fraction))
        slot.iteration = message.iteration
        slot.seconds = message.elapsed_s
        if message.preview is not None:
            slot.image = message.preview
        slot.detail = (Msg("machines.refining", iteration=message.iteration)
                       if message.iteration else Msg("machines.working"))
    elif isinstance(message, Result):
        slot.status, slot.progress = "done", 1.0
        slot.image, slot.seconds = message.image, message.seconds
        slot.iteration = message.iterations
        slot.label = display_label(message.label)
        # The worker writes its settings in English (model terms); the sentence around
        # them is the player's language.
        slot.settings_text = (Msg("machines.settings", text=message.settings_text)
                              if message.settings_text else "")
        slot.detail = (Msg("machines.took_iterations", seconds=message.seconds,
                           iterations=message.iterations) if message.iterations > 1
                       else Msg("machines.took", seconds=message.seconds))
    elif isinstance(message, Failed):
        slot.status = "failed"
        slot.detail = failure(message.reason)


class Machines:
    """Owns the NSTService for the whole game; rounds register their slots by job id."""

    def __init__(self, cache_dir: Path | None, service=None) -> None:
        self._cache_dir = cache_dir
        self._service = service           # injected in tests; made on first use otherwise
        self._slots: dict[str, EngineSlot] = {}
        self._unscored: dict[str, Round] = {}     # round_id -> round waiting to be scored
        self._scoring: dict[str, Round] = {}      # score job id -> its round

    @property
    def service(self):
        if self._service is None:
            from game.nst.service import NSTService
            self._service = NSTService(self._cache_dir)
        return self._service

    def start(self) -> None:
        """Spawn the workers early (setup screen) so TensorFlow loads while the player looks."""
        self.service.start()

    def start_round(self, round_: Round, content: np.ndarray, style: np.ndarray, *,
                    score: bool = True) -> None:
        """Submit both engines' jobs for the round's pair; Gatys gets the round's time.

        score=False: the round only carries the jobs (a party pair that several players
        paint); the players' rounds share its slots with `share_round` and are scored.
        """
        self.start()
        for engine in ENGINES:
            slot = round_.slots[engine]
            job_id = self.service.submit(round_.round_id, engine, content, [(style, 1.0)],
                                         budget_s=round_.seconds)
            slot.job_id, slot.status, slot.detail = job_id, "waiting", WAITING
            self._slots[job_id] = slot
        if score:
            self._unscored[round_.round_id] = round_

    def share_round(self, round_: Round, carrier: Round) -> None:
        """Another painting of the same pair: the carrier's jobs fill its slots too."""
        round_.slots = carrier.slots
        self._unscored[round_.round_id] = round_

    def abandon(self, round_: Round) -> None:
        """The player left the round: stop its jobs; late answers are dropped by id."""
        if self._service is None:
            return
        self._unscored.pop(round_.round_id, None)
        for job_id in self.service.cancel_round(round_.round_id):
            self._slots.pop(job_id, None)
            self._scoring.pop(job_id, None)

    def release(self, round_: Round) -> None:
        """The player left but their painting is kept (kiosk gallery): stop the machines
        still working on it, so the next visitor's jobs do not queue behind them, and score
        it with the pictures that are done. A score already on its way is left alone."""
        if self._service is None or round_.scoring.status == "scoring":
            return
        working = [job_id for job_id, slot in self._slots.items()
                   if any(slot is mine for mine in round_.slots.values())]
        if not working:
            return
        self.service.cancel_round(round_.round_id)
        for job_id in working:
            slot = self._slots.pop(job_id)
            slot.status, slot.detail = "failed", Msg("machines.stopped")

    def update(self) -> None:
        if self._service is None:
            return
        labels = {engine: st.label for engine, st in self._service.status().items()}
        for slot in self._slots.values():
            # The worker says which engine it really runs (real model or offline stand-in).
            if labels.get(slot.engine) and slot.status != "done":
                slot.label = display_label(labels[slot.engine])
        for message in self.service.poll():
            if message.job_id in self._scoring:
                self._apply_score(self._scoring.pop(message.job_id), message)
                continue
            slot = self._slots.get(message.job_id)
            if slot is None:
                continue                      # a job nobody watches any more
            apply_message(slot, message)
            if not isinstance(message, Progress):
                del self._slots[message.job_id]
        for round_ in list(self._unscored.values()):
            self._maybe_score(round_)

    def _maybe_score(self, round_: Round) -> None:
        """Submit the round's ScoreJob once the painting is in and both machines are final."""
        if round_.phase != "finished":
            return
        if round_.gave_up or round_.painting is None:
            del self._unscored[round_.round_id]
            round_.scoring.status = "none"
            round_.scoring.detail = Msg("score.gave_up" if round_.gave_up
                                        else "score.no_painting")
            return
        slots = round_.slots.values()
        if any(slot.status not in ("done", "failed") for slot in slots):
            return                            # Gatys may still be refining on screen
        del self._unscored[round_.round_id]
        images = {slot.engine: slot.image for slot in slots
                  if slot.status == "done" and slot.image is not None}
        if not images:
            round_.score_failed(Msg("score.no_machine_picture"))
            return
        job_id = self.service.submit_score(round_.round_id,
                                           {"painting": round_.painting, **images})
        round_.scoring.job_id, round_.scoring.status = job_id, "scoring"
        self._scoring[job_id] = round_

    @staticmethod
    def _apply_score(round_: Round, message) -> None:
        if isinstance(message, ScoreResult):
            round_.set_scores(message.scores, message.label, message.parts, message.cost)
        elif isinstance(message, Failed):
            round_.score_failed(failure(message.reason))

    def status(self) -> dict:
        """engine -> WorkerStatus, or {} before the workers were started."""
        return self._service.status() if self._service is not None else {}

    def close(self) -> None:
        if self._service is not None:
            self._service.shutdown()
            self._service = None
