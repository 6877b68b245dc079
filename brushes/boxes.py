"""Boxes of wet cells, (y0, y1, x0, x1) half-open, and the few things the canvas
does with them: union, overlap, growing, shrinking to what is set, and cutting a
cell array out with a one-cell ring around it.
"""

from __future__ import annotations

import numpy as np

Box = tuple[int, int, int, int]  # (y0, y1, x0, x1), half-open


def intersect(a: Box, b: Box) -> Box:
    return max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3])


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])


def grow(b: Box, m: int, h: int, w: int) -> Box:
    """`b` grown by m on every side, clipped to an h x w grid."""
    return max(b[0] - m, 0), min(b[1] + m, h), max(b[2] - m, 0), min(b[3] + m, w)


def shrink_to(mask: np.ndarray, oy: int, ox: int) -> Box | None:
    """Bounding box of True cells in `mask`, offset by (oy, ox); None if none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return oy + int(rows[0]), oy + int(rows[-1]) + 1, ox + int(cols[0]), ox + int(cols[-1]) + 1


def halo(cells: np.ndarray, box: Box) -> np.ndarray:
    """cells[..., box] plus a one-cell ring, edge-replicated past the grid.

    cells: (..., Hc, Wc); returns (..., h + 2, w + 2), a view when possible.
    """
    hc, wc = cells.shape[-2:]
    cy0, cy1, cx0, cx1 = box
    ya, yb = max(cy0 - 1, 0), min(cy1 + 1, hc)
    xa, xb = max(cx0 - 1, 0), min(cx1 + 1, wc)
    core = cells[..., ya:yb, xa:xb]
    pads = ((ya - (cy0 - 1), (cy1 + 1) - yb), (xa - (cx0 - 1), (cx1 + 1) - xb))
    if pads == ((0, 0), (0, 0)):
        return core
    return np.pad(core, ((0, 0),) * (cells.ndim - 2) + pads, mode="edge")
