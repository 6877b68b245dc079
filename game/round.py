"""One round of Style Duel: the pair, the clock, the player's painting and the results to come.

Plain data and arithmetic only, so scenes stay thin and tests can drive a whole round
without a window: the scene feeds `tick(dt)` from its frame clock and reads the state back.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

MIN_SECONDS, MAX_SECONDS = 30, 600
URGENT_SECONDS = 10

Phase = Literal["setup", "painting", "finished"]
EngineName = Literal["magenta", "gatys"]
SlotStatus = Literal["waiting", "running", "done", "failed"]


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
    label: str
    status: SlotStatus = "waiting"
    progress: float = 0.0  # 0..1, for a progress bar while the model runs
    image: np.ndarray | None = None
    seconds: float | None = None  # how long the model took, shown next to the player's time
    detail: str = ""  # player-facing line under the slot, e.g. "waiting for the models"
    job_id: str | None = None  # the NST job filling this slot; answers for others are ignored
    iteration: int = 0  # optimiser iterations so far (Gatys keeps refining on screen)
    settings_text: str = ""  # one line: the settings that made the picture


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
    waiting = "waiting for the models"
    return {
        "magenta": EngineSlot("magenta", "Magenta (fast model)", detail=waiting),
        "gatys": EngineSlot("gatys", "Gatys (slow model)", detail=waiting),
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
        self.score: float | None = None
        self.gave_up = False
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

    def give_up(self, painting: np.ndarray | None = None) -> None:
        """End the round because the player gave up; the flag lets later scenes skip saving."""
        self.gave_up = True
        self.finish(painting)
