"""Tile snapshots for undo: the canvas state of one 32x32 px tile, and a recorder
that copies a tile's state the first time a command is about to change it.

Tiles (rather than one bounding rectangle) keep a long diagonal stroke cheap: its
memory follows the painted area, not the area of its bounding box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

TILE = 32  # px; even, so a tile is exactly 16x16 wet cells


@dataclass(frozen=True)
class TileState:
    """Everything the canvas keeps for one tile; cell arrays are None when blank."""

    refl: np.ndarray  # (3, th, tw) float32 dry reflectance
    surface: np.ndarray  # (th, tw) float32 surface height
    water: np.ndarray | None  # (th/2, tw/2) float32
    pigment: np.ndarray | None  # (3, th/2, tw/2) float32

    @property
    def nbytes(self) -> int:
        extra = 0 if self.water is None else self.water.nbytes + self.pigment.nbytes
        return self.refl.nbytes + self.surface.nbytes + extra


class _Pristine:
    """Marker for "this tile is clean paper": nothing to store, rebuilt from the paper."""

    __slots__ = ()
    nbytes = 0

    def __repr__(self) -> str:
        return "PRISTINE"


PRISTINE = _Pristine()

TileKey = tuple[int, int]  # (tile row, tile column)


class TileSource(Protocol):
    def capture_tile(self, key: TileKey) -> TileState | _Pristine: ...

    def capture_row(self, ty: int, tx0: int, tx1: int) -> list[TileState | _Pristine]: ...


class SnapshotLedger:
    """Bytes of the distinct tile snapshots an undo history holds, kept up to date as
    snapshots are taken and dropped, so a memory cap costs nothing to check.

    One command's "after" tile is often the very snapshot the next command keeps as
    "before": each snapshot is counted once, by identity, however many hold it.
    """

    def __init__(self) -> None:
        self._held: dict[int, list] = {}  # id -> [snapshot, holders]; keeps ids unique
        self.nbytes = 0

    def hold(self, snapshot: TileState | _Pristine) -> None:
        entry = self._held.get(id(snapshot))
        if entry is not None:
            entry[1] += 1
        elif snapshot.nbytes:  # PRISTINE costs nothing
            self._held[id(snapshot)] = [snapshot, 1]
            self.nbytes += snapshot.nbytes

    def release(self, snapshot: TileState | _Pristine) -> None:
        entry = self._held.get(id(snapshot))
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del self._held[id(snapshot)]
            self.nbytes -= snapshot.nbytes


class OwedAfters:
    """Sealed commands whose "after" copy of a tile has not been taken yet.

    Copying every tile of a big wash when the next stroke begins would cost
    megabytes in one frame. A sealed tile stays as it is until something touches
    it, and the next recorder's "before" copy taken at that moment is exactly the
    "after" copy owed, so it is shared instead of taken twice. Undo and redo pay
    whatever is still owed first (pay_all), before they change the canvas.
    """

    def __init__(self, ledger: SnapshotLedger | None = None) -> None:
        self._owed: dict[TileKey, list[dict]] = {}  # tile -> "after" dicts awaiting it
        self._ledger = ledger

    def owe(self, keys, after: dict) -> None:
        for key in keys:
            self._owed.setdefault(key, []).append(after)

    def pay(self, key: TileKey, snapshot: TileState | _Pristine) -> None:
        for after in self._owed.pop(key, ()):
            after[key] = snapshot
            if self._ledger is not None:
                self._ledger.hold(snapshot)

    def pay_all(self, canvas: TileSource) -> None:
        for key in list(self._owed):
            self.pay(key, canvas.capture_tile(key))

    def forget(self, after: dict) -> None:
        """Stop owing tiles to a command that has been dropped from the history."""
        for key in list(self._owed):
            waiting = [a for a in self._owed[key] if a is not after]
            if waiting:
                self._owed[key] = waiting
            else:
                del self._owed[key]


class TileRecorder:
    """Copy-on-write "before" snapshots of every tile one command touches."""

    def __init__(self, grid_shape: tuple[int, int], owed: OwedAfters | None = None,
                 ledger: SnapshotLedger | None = None):
        self.before: dict[TileKey, TileState | _Pristine] = {}
        self._seen = np.zeros(grid_shape, bool)  # (tiles_y, tiles_x)
        self._owed = owed
        self._ledger = ledger

    def save(self, canvas: TileSource, ty0: int, ty1: int, tx0: int, tx1: int) -> None:
        """Snapshot tiles in [ty0, ty1) x [tx0, tx1) not yet saved; call BEFORE changing them."""
        seen = self._seen[ty0:ty1, tx0:tx1]
        if seen.all():
            return
        for j in range(ty1 - ty0):
            row = seen[j]
            i = 0
            while i < row.size:  # runs of unseen tiles are captured together
                if row[i]:
                    i += 1
                    continue
                k = i
                while k < row.size and not row[k]:
                    k += 1
                ty = ty0 + j
                for n, snapshot in enumerate(canvas.capture_row(ty, tx0 + i, tx0 + k)):
                    key = (ty, tx0 + i + n)
                    self.before[key] = snapshot
                    if self._ledger is not None:
                        self._ledger.hold(snapshot)
                    if self._owed is not None:
                        self._owed.pay(key, snapshot)
                i = k
        seen[...] = True
