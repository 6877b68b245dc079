"""Zig-zag hatching that covers a region's pixels without leaving it."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HatchFrame:
    """A region's pixels seen in hatch coordinates: u along the rows, v across them."""
    centre: np.ndarray      # (2,) grid (x, y) origin
    along: np.ndarray       # (2,) unit vector of u
    across: np.ndarray      # (2,) unit vector of v
    u: np.ndarray           # (M,) each pixel's u
    row: np.ndarray         # (M,) each pixel's row index
    mid: np.ndarray         # (rows,) v of each row's centre line


def _hatch_frame(pixels: np.ndarray, angle: float, spacing: float,
                 radius: float) -> HatchFrame:
    """Rows ``spacing`` apart at ``angle`` over (M, 2) (x, y) pixels, a brush radius inside."""
    along = np.array([np.cos(angle), np.sin(angle)])
    across = np.array([-along[1], along[0]])
    centre = pixels.mean(axis=0)
    u, v = (pixels - centre) @ along, (pixels - centre) @ across
    v_lo, v_hi = v.min() + radius, v.max() - radius
    if v_lo >= v_hi:                                    # thinner than the brush: one row
        v_lo = v_hi = (v.min() + v.max()) / 2
    rows = max(1, int(np.ceil((v_hi - v_lo) / spacing)) + 1)
    row = np.clip(np.round((v - v_lo) / max(v_hi - v_lo, 1e-9) * (rows - 1)), 0, rows - 1)
    return HatchFrame(centre, along, across, u, row.astype(int), np.linspace(v_lo, v_hi, rows))


def _row_runs(frame: HatchFrame, gap: float) -> list[list[tuple[float, float]]]:
    """Per row, the (lo, hi) stretches of u the region fills, split where it has a wider gap.

    Narrow gaps (a ragged region border) are painted across: not worth lifting the brush.
    """
    order = np.lexsort((frame.u, frame.row))
    u, row = frame.u[order], frame.row[order]
    breaks = (np.diff(row) != 0) | (np.diff(u) > gap)
    starts = np.concatenate([[0], np.nonzero(breaks)[0] + 1])
    ends = np.concatenate([starts[1:], [len(u)]]) - 1
    runs: list[list[tuple[float, float]]] = [[] for _ in frame.mid]
    for a, b in zip(starts.tolist(), ends.tolist()):
        runs[row[a]].append((float(u[a]), float(u[b])))
    return runs


def _chains(runs: list[list[tuple[float, float]]]) -> list[list[tuple[int, float, float]]]:
    """Runs of consecutive rows that overlap, grouped into chains: (row, lo, hi) each.

    A boustrophedon decomposition: one chain is what one zig-zag can cover without crossing
    ground outside the region, so a U-shaped region becomes its bar and its two arms.
    """
    chains: list[list[tuple[int, float, float]]] = []
    growing: list[list[tuple[int, float, float]]] = []     # chains ending in the last row
    for r, row_runs in enumerate(runs):
        grown: list[list[tuple[int, float, float]]] = []
        for lo, hi in row_runs:
            touching = [c for c in growing if c[-1][1] <= hi and c[-1][2] >= lo]
            if len(touching) == 1 and not any(c is touching[0] for c in grown):
                chain = touching[0]
            else:                                           # a split, a join or a new piece
                chain = []
                chains.append(chain)
            chain.append((r, lo, hi))
            grown.append(chain)
        growing = grown
    return chains


def _zigzag(frame: HatchFrame, chain: list[tuple[int, float, float]],
            radius: float) -> np.ndarray:
    """(P, 2) grid polyline running a chain's rows back and forth, a radius short of the ends."""
    ends = []
    for i, (r, lo, hi) in enumerate(chain):
        inset = min(radius, (hi - lo) / 2)
        row_ends = [(lo + inset, r), (hi - inset, r)]
        ends += row_ends if i % 2 == 0 else row_ends[::-1]
    u = np.array([e[0] for e in ends])
    v = frame.mid[[e[1] for e in ends]]
    return frame.centre + u[:, None] * frame.along + v[:, None] * frame.across


def _hatch(pixels: np.ndarray, angle: float, spacing: float, radius: float) -> list[np.ndarray]:
    """Zig-zag (P, 2) grid polylines covering a region's (M, 2) (x, y) pixels, biggest first.

    Rows run at ``angle`` (along the region's edges) and keep a brush ``radius`` inside the
    region, so the brush's own width fills to the border without spilling over it. Pieces
    shorter than the brush is wide are left to the neighbours' overspill.
    """
    frame = _hatch_frame(pixels, angle, spacing, radius)
    chains = _chains(_row_runs(frame, radius))
    length = [sum(hi - lo for _, lo, hi in chain) for chain in chains]
    biggest = np.argsort(length, kind="stable")[::-1]
    keep = [i for i in biggest if i == biggest[0] or length[i] >= 2 * radius]
    return [_zigzag(frame, chains[i], radius) for i in keep]
