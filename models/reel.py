"""Gatys's reel: the pictures of an optimisation under way, a bounded few, evenly spread.

The duel replay shows Gatys's picture forming beside the player's strokes. An engine offers
a picture every preview (about one a second); a long round offers hundreds, but a Result
carries at most MAX_SNAPSHOTS of them. So the reel keeps every `stride`-th picture it is
offered and, when that is too many, doubles the stride and drops every second one it kept:
what is kept stays evenly spread over the whole run, the first picture always among them.
The latest picture offered is always kept too (the reel ends where the engine stopped),
without a second copy when it is on the stride already.

No TensorFlow, no game imports: numpy only, so a worker and the game's cache can both use it.
"""
from __future__ import annotations

import math

import numpy as np

from models.messages import MAX_SNAPSHOTS, SNAPSHOT_SIDE, Snapshot


class SnapshotReel:
    """Snapshots offered oldest first -> at most `max_count`, evenly spread, first and last."""

    def __init__(self, max_count: int = MAX_SNAPSHOTS, side: int = SNAPSHOT_SIDE):
        if max_count < 2:
            raise ValueError("a reel keeps at least its first and last picture")
        self.max_count, self.side = max_count, side
        self.offered = 0                        # pictures offered so far
        self.stride = 1                         # keep offer i when i % stride == 0
        self._kept: list[tuple[int, Snapshot]] = []   # (offer index, snapshot)
        self._latest: tuple[int, Snapshot] | None = None

    def add(self, seconds: float, iteration: int, image: np.ndarray) -> None:
        """Offer one picture, (h, w, 3) uint8 with its long side <= `side` (ValueError
        otherwise: the caller shrinks, so a reel never holds more bytes than it says)."""
        image = np.asarray(image)
        if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise ValueError(f"a snapshot is (h, w, 3) uint8, not {image.shape} {image.dtype}")
        if max(image.shape[:2]) > self.side or min(image.shape[:2]) < 1:
            raise ValueError(f"a snapshot's side is 1..{self.side}, not {image.shape[:2]}")
        if not math.isfinite(seconds):
            raise ValueError("a snapshot's seconds must be finite")
        entry = (self.offered, Snapshot(float(seconds), int(iteration),
                                        np.ascontiguousarray(image)))
        self.offered += 1
        self._latest = entry
        if entry[0] % self.stride == 0:
            self._kept.append(entry)
        while len(self._kept) + self._extra() > self.max_count:
            self.stride *= 2
            self._kept = [kept for kept in self._kept if kept[0] % self.stride == 0]

    def _extra(self) -> int:
        """1 when the latest picture is off the stride (it needs a place of its own)."""
        return int(self._latest is not None and (not self._kept
                                                  or self._kept[-1] is not self._latest))

    def snapshots(self) -> list[Snapshot]:
        """What is kept, oldest first: the first and the latest picture among them."""
        kept = [snapshot for _, snapshot in self._kept]
        if self._extra():
            kept.append(self._latest[1])
        return kept

    def __len__(self) -> int:
        return len(self.snapshots())


def valid_snapshots(snapshots, side: int = SNAPSHOT_SIDE,
                    max_count: int = MAX_SNAPSHOTS) -> list[Snapshot]:
    """Snapshots read back from a file or the wire, checked (ValueError with the reason):
    at most `max_count`, each (h, w, 3) uint8 with 1 <= side <= `side`, finite seconds."""
    snapshots = list(snapshots)
    if len(snapshots) > max_count:
        raise ValueError(f"{len(snapshots)} snapshots, more than {max_count}")
    reel = SnapshotReel(max(2, len(snapshots)), side)
    for snapshot in snapshots:
        reel.add(snapshot.seconds, snapshot.iteration, snapshot.image)
    return reel.snapshots()
