"""Where a layer's strokes start: the spots the estimate most needs paint."""
from __future__ import annotations

import numpy as np

from game.bot.fields import Fields, _blur
from game.bot.layers import TracedLayer


def _need(fields: Fields, estimate: np.ndarray, edges: np.ndarray, spec: TracedLayer,
          cell: int) -> np.ndarray:
    """(h, w) how much a layer's stroke is wanted at each grid pixel.

    Broad layers go where the estimate is furthest from the target over a brush-sized area,
    favouring busy areas: shapes (a face) make a subject recognisable more than flat tone does.
    The detail layer goes where the error sits on strong content edges.
    """
    error = np.linalg.norm(fields.colour - estimate, axis=-1)
    if spec.on_edges:
        return error * edges / (edges.max() + 1e-9)
    busy = _blur(edges, cell)
    return _blur(error, cell / 2) * np.minimum(0.5 + busy / (busy.mean() + 1e-9), 3.0)


def _peak_starts(n: int, need: np.ndarray, cell: int, floor: float, focus: float,
                 rng: np.random.Generator) -> np.ndarray:
    """(<=n, 2) grid (x, y) points at needy pixels, at most one per ``cell``-px block.

    Blocks are drawn at random with odds need**focus (Gumbel top-k), so strokes spread over
    everything that needs paint instead of piling onto the worst spot; a large ``focus`` picks
    the neediest blocks outright. Within a block the start is its neediest pixel. The block
    grid is shifted at random so rounds do not line up. Blocks below ``floor`` are left.
    """
    h, w = need.shape
    oy, ox = rng.integers(0, cell, 2)
    bh, bw = -(-(h + oy) // cell), -(-(w + ox) // cell)
    padded = np.full((bh * cell, bw * cell), -1.0)
    padded[oy:oy + h, ox:ox + w] = need
    blocks = padded.reshape(bh, cell, bw, cell).transpose(0, 2, 1, 3).reshape(bh, bw, -1)
    best = blocks.argmax(-1)                                      # (bh, bw) index in block
    peak = blocks.max(-1)
    key = focus * np.log(np.maximum(peak, 1e-9)) + rng.gumbel(size=peak.shape)
    order = np.argsort(-key, axis=None, kind="stable")[:n]
    order = order[peak.ravel()[order] > floor]
    by, bx = np.divmod(order, bw)
    iy, ix = np.divmod(best.ravel()[order], cell)
    jitter = rng.uniform(0.0, 1.0, (len(order), 2))
    pts = np.stack([bx * cell + ix - ox, by * cell + iy - oy], axis=1) + jitter
    return np.clip(pts, 0, [w - 1e-3, h - 1e-3])
