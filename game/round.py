"""One round of Style Duel: the pair, the clock, the player's painting and the results to come.

Plain data and arithmetic only, so scenes stay thin and tests can drive a whole round
without a window: the scene feeds `tick(dt)` from its frame clock and reads the state back.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from game.i18n import Msg, Text

MIN_SECONDS, MAX_SECONDS = 30, 600
URGENT_SECONDS = 10

Phase = Literal["setup", "painting", "finished"]
EngineName = Literal["magenta", "gatys"]
SlotStatus = Literal["waiting", "running", "done", "failed"]
# waiting: the machines are not finished; scoring: the job is out; none: nothing to score
# (gave up, or both machines failed)
ScoreStatus = Literal["waiting", "scoring", "done", "failed", "none"]
# How the player's picture came to be: painted on the canvas, or an image they brought
# (painted on paper or in another app); the leaderboard tags and can filter the latter.
Origin = Literal["painted", "uploaded"]
ORIGINS: tuple[str, ...] = ("painted", "uploaded")
WAITING = Msg("machines.waiting")


def worded(key: str, origin: str, **args) -> Msg:
    """A sentence about the player's picture: `key` for a painting, its `key_uploaded` twin
    for a brought one ("Sign your picture", not "Sign your painting")."""
    return Msg(f"{key}_uploaded" if origin == "uploaded" else key, **args)


class CatalogueItem(Protocol):
    """What a round needs from a content photo or a style painting."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass
class EngineSlot:
    """Where one NST model's result for this round will land when it arrives."""

    engine: EngineName
    label: Text                # the default names the engine; the worker says which model ran
    status: SlotStatus = "waiting"
    progress: float = 0.0  # 0..1, for a progress bar while the model runs
    image: np.ndarray | None = None
    seconds: float | None = None  # how long the model took, shown next to the player's time
    detail: Text = ""  # player-facing line under the slot, e.g. "waiting for the models"
    job_id: str | None = None  # the NST job filling this slot; answers for others are ignored
    iteration: int = 0  # optimiser iterations so far (Gatys keeps refining on screen)
    settings_text: Text = ""  # one line: the settings that made the picture
    # The picture forming (models.messages.Snapshot, oldest first) for the duel replay;
    # Gatys's Result carries them, one-shot engines have none.
    snapshots: list = field(default_factory=list)


@dataclass
class ScoreSlot:
    """The round's score: three comparisons (0-10, one decimal) and how they combine."""

    status: ScoreStatus = "waiting"
    vs_magenta: float | None = None      # your painting against Magenta's picture
    vs_gatys: float | None = None        # your painting against Gatys's picture
    machines_agree: float | None = None  # Magenta's picture against Gatys's
    # "layout", "colour", "brushwork" -> 0..10: the painting's three parts, averaged over the
    # machine pictures it was compared with (empty until scored, or from an older worker).
    parts: dict[str, float] = field(default_factory=dict)
    cost: str = ""                       # the part that cost the most (locale cost.<key>)
    detail: Text = ""                    # why there is no score, for the player
    job_id: str | None = None            # the ScoreJob filling this slot
    label: str = ""                      # which score model ran


def round_score(vs_magenta: float | None, vs_gatys: float | None) -> float | None:
    """The round's score: the mean of painting-vs-Magenta and painting-vs-Gatys.

    Both machines count equally (neither is "the right answer"), and a mean rather than the
    better of the two rewards a painting that sits between them. When one machine failed,
    the other's comparison is the score; with neither there is no score.
    """
    parts = [s for s in (vs_magenta, vs_gatys) if s is not None]
    if not parts:
        return None
    return round(sum(parts) / len(parts), 1)


def clamp_seconds(seconds: float) -> float:
    """Keep a requested round length inside what the game supports."""
    if not math.isfinite(seconds):
        raise ValueError(f"round length must be a finite number of seconds, not {seconds!r}")
    return float(min(MAX_SECONDS, max(MIN_SECONDS, seconds)))


def _checked_painting(painting: np.ndarray) -> np.ndarray:
    if painting.ndim != 3 or painting.shape[2] != 3 or painting.dtype != np.uint8:
        raise ValueError(
            f"a painting must be an (H, W, 3) uint8 array, not {painting.shape} {painting.dtype}"
        )
    # Copy so later strokes on a live canvas buffer cannot change the submitted painting.
    return np.array(painting, copy=True)


def _default_slots() -> dict[str, EngineSlot]:
    waiting = WAITING
    return {
        "magenta": EngineSlot("magenta", Msg("machines.magenta"), detail=waiting),
        "gatys": EngineSlot("gatys", Msg("machines.gatys"), detail=waiting),
    }


class Round:
    """A content/style pair painted against the clock, plus the slots its results fill."""

    def __init__(
        self,
        content: CatalogueItem,
        style: CatalogueItem,
        seconds: float,
        *,
        round_id: str | None = None,
    ) -> None:
        self.round_id = round_id or uuid.uuid4().hex
        self.content = content
        self.style = style
        self.seconds = clamp_seconds(seconds)
        self.phase: Phase = "setup"
        self.painting: np.ndarray | None = None
        self.slots = _default_slots()
        self.score: float | None = None     # round_score() once scoring lands
        self.scoring = ScoreSlot()
        # Called with the ScoreSlot when the score lands after the painting was signed
        # (the leaderboard row then gets its score).
        self.score_listeners: list = []
        self.gave_up = False
        self.origin: Origin = "painted"
        # The canvas that painted it, so the stroke log can be replayed (kiosk time-lapse).
        self.canvas_seed = 0
        self.canvas_size: tuple[int, int] | None = None     # (w, h)
        self._elapsed = 0.0

    @property
    def elapsed(self) -> float:
        """Seconds spent painting so far (never more than the round length)."""
        return self._elapsed

    @property
    def remaining(self) -> float:
        return max(0.0, self.seconds - self._elapsed)

    @property
    def is_urgent(self) -> bool:
        return self.phase == "painting" and self.remaining <= URGENT_SECONDS

    @property
    def finished_early(self) -> bool:
        """True when the player stopped (or gave up) before the clock ran out."""
        return self.phase == "finished" and self.remaining > 0

    def set_pair(
        self, content: CatalogueItem | None = None, style: CatalogueItem | None = None
    ) -> None:
        # Swapping the pair mid-round would make the painting and the NST results disagree.
        if self.phase != "setup":
            raise RuntimeError(f"cannot change the pair once the round is {self.phase}")
        if content is not None:
            self.content = content
        if style is not None:
            self.style = style

    def start(self) -> None:
        """Begin painting; a repeated start (e.g. a double key press) changes nothing."""
        if self.phase == "finished":
            raise RuntimeError("this round has already finished")
        self.phase = "painting"

    def tick(self, dt: float) -> bool:
        """Advance the clock by dt seconds; True exactly once, when time has just run out."""
        if self.phase != "painting" or not dt > 0:
            # Negative or NaN dt (clock hiccups) must never give the player time back.
            return False
        self._elapsed = min(self.seconds, self._elapsed + dt)
        if self._elapsed >= self.seconds:
            self.phase = "finished"
            return True
        return False

    def finish(self, painting: np.ndarray | None = None) -> None:
        """End the round (early or on time-out) and keep the painting.

        Idempotent: the scene may call this after `tick` already reported the time-out, to
        hand over the canvas. The first painting handed over is kept, so a late second
        call cannot swap what the player submitted.
        """
        self.phase = "finished"
        if painting is not None and self.painting is None:
            self.painting = _checked_painting(painting)

    def set_scores(self, scores: dict[str, float], label: str = "",
                   parts: dict[str, float] | None = None, cost: str = "") -> None:
        """A ScoreResult's {"painting~magenta": 6.1, ...}, its parts and costliest part ->
        the slot and the round score."""
        slot = self.scoring
        slot.parts, slot.cost = dict(parts or {}), cost
        slot.vs_magenta = scores.get("painting~magenta")
        slot.vs_gatys = scores.get("painting~gatys")
        slot.machines_agree = scores.get("magenta~gatys")
        slot.status, slot.label = "done", label
        self.score = round_score(slot.vs_magenta, slot.vs_gatys)
        if self.score is None:
            slot.status, slot.detail = "none", Msg("score.no_picture")
        self._tell_listeners()

    def score_failed(self, reason: Text) -> None:
        self.scoring.status, self.scoring.detail = "failed", reason
        self.score = None
        self._tell_listeners()

    def _tell_listeners(self) -> None:
        for listener in list(self.score_listeners):
            listener(self)

    def give_up(self, painting: np.ndarray | None = None) -> None:
        """End the round because the player gave up; the flag lets later scenes skip saving."""
        self.gave_up = True
        self.scoring.status, self.scoring.detail = "none", Msg("score.gave_up")
        self.finish(painting)
