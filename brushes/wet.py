"""Wet watercolour layer: one simulation tick on a grid of 2x2-pixel cells.

Watercolour is pigment suspended in water over the paper. Per cell we keep
`water` (amount, 0 = dry) and `pigment` (optical density per RGB channel of the
pigment still in suspension). A tick:
  1. moves pigment between neighbouring wet cells: diffusion (colours bleed into
     each other while wet) plus capillary drift towards drier cells (edges dry
     first, so pigment piles up there: the dark wet-edge of a dried wash);
  2. lets water even out, and very wet cells creep a little into dry paper;
  3. evaporates water, faster where a cell has dry neighbours;
  Dry cells keep their pigment as a stain (it no longer moves). The canvas later
  "folds" stains into the dry reflectance (Beer-Lambert: refl *= exp(-density),
  so glazes darken like real pigment instead of alpha-blending to a colour).

The grid is half resolution because the wet layer is smooth anyway and the tick
must fit in a few ms for a 500x400 px wet area; paper-driven granulation is
applied at full resolution, after bilinear upsampling, when the layer is shown
or folded (see `glaze_transmittance`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scratch import Scratch


@dataclass(frozen=True)
class WetParams:
    tick_seconds: float = 1.0 / 30.0  # fixed step: ticks, not dt, make replays exact
    phases_per_tick: int = 2  # a tick runs as this many row bands, one per phase
    max_phases_per_update: int = 2  # a slow frame slows drying instead of spiking
    dry_seconds: float = 2.4  # water 1.0 in an open interior evaporates in this time
    edge_evaporation: float = 2.0  # extra evaporation per fully dry neighbourhood
    diffusion: float = 0.2  # pigment exchange per tick between two soaked cells
    capillary: float = 1.5  # pigment drift per unit water difference (wet edges)
    capillary_cap: float = 0.04  # stability cap of the drift per edge per tick
    edge_contrast: float = 1.8  # most a wet edge can out-darken its neighbour (density)
    water_diffusion: float = 0.10
    creep_threshold: float = 0.9  # water above this spreads into dry paper
    granulation: float = 0.3  # extra density in paper pits (0 = none)
    # Re-drawing a big wash every tick would not fit a frame, so update() re-draws
    # at most this many px per call, sweeping the wash in row bands.
    redraw_px_per_update: int = 64_000
    # After drying, stains are folded into the dry layer this many cells per tick.
    settle_cells_per_tick: int = 12_000


def glaze_transmittance(halo: np.ndarray, neg_gran: np.ndarray, scratch: Scratch) -> np.ndarray:
    """Full-resolution transmittance of suspended pigment.

    halo: (3, hc + 2, wc + 2) float32 optical density per cell, with a one-cell ring
    of neighbours (edge-replicated at the canvas border) for the interpolation.
    neg_gran: (2*hc, 2*wc) float32, minus the granulation multiplier (>1 in pits).
    Returns (3, 2*hc, 2*wc) float32 in (0, 1], in scratch buffer "trans".

    Cells are upsampled bilinearly (weights 3/4, 1/4 per axis) so wash edges are
    smooth instead of 2-px stairs. Every output float depends only on its own few
    cells, computed in the same order whatever the region, and both the display and
    the fold call this: folding a wet area reproduces the very float shown.
    """
    hc, wc = halo.shape[1] - 2, halo.shape[2] - 2
    near, far = np.float32(0.75), np.float32(0.25)
    mid = np.multiply(halo[:, 1:-1], near, out=scratch.get("mid", (3, hc, wc + 2)))
    rows = scratch.get("rows", (3, hc, 2, wc + 2))
    np.multiply(halo[:, :-2], far, out=rows[:, :, 0])
    rows[:, :, 0] += mid
    np.multiply(halo[:, 2:], far, out=rows[:, :, 1])
    rows[:, :, 1] += mid
    rows = rows.reshape(3, 2 * hc, wc + 2)
    mid = np.multiply(rows[:, :, 1:-1], near, out=scratch.get("mid", (3, 2 * hc, wc)))
    out = scratch.get("trans", (3, 2 * hc, wc, 2))
    np.multiply(rows[:, :, :-2], far, out=out[..., 0])
    out[..., 0] += mid
    np.multiply(rows[:, :, 2:], far, out=out[..., 1])
    out[..., 1] += mid
    out = out.reshape(3, 2 * hc, 2 * wc)
    out *= neg_gran
    np.exp(out, out=out)
    return out


def _exchange(p_a: np.ndarray, p_b: np.ndarray, w_a: np.ndarray, w_b: np.ndarray,
              rim_a: np.ndarray, rim_b: np.ndarray, prm: WetParams) -> None:
    """Move pigment across the edges between cell views a and b (neighbours), in place.

    rim_*: (h, w) bool, cells near the edge of the wet area. Drift only flows into
    those: water gradients inside a wash (the frontier of a stroke still being
    painted) must not leave dark seams, only the pinned outer edge collects pigment.
    """
    both = np.minimum(w_a, w_b)  # (h, w) > 0 only if both cells are wet
    cap = np.float32(prm.capillary_cap)
    drift = np.clip((w_a - w_b) * np.float32(prm.capillary), -cap, cap)  # + is a -> b
    drift_ab = np.maximum(drift, 0.0)
    drift_ba = np.maximum(-drift, 0.0)
    # The drift stops once the receiving cell is edge_contrast times as dense as the
    # sender: wide washes get a dark rim, thin lines don't hollow out into outlines.
    tot_a, tot_b = p_a.sum(axis=0), p_b.sum(axis=0)
    eps = np.float32(1e-6)
    drift_ab *= np.clip(np.float32(prm.edge_contrast) - tot_b / (tot_a + eps), 0.0, 1.0)
    drift_ba *= np.clip(np.float32(prm.edge_contrast) - tot_a / (tot_b + eps), 0.0, 1.0)
    linked = both > 0
    drift_ab *= rim_b & linked
    drift_ba *= rim_a & linked
    # Pigment moves freely in a puddle and hardly at all in damp paper, so the
    # edge build-up of the late drying phase is not smoothed away again.
    damp = np.minimum(both, 1.0)
    diff = damp * damp * np.float32(prm.diffusion)
    out_a = diff + drift_ab  # (h, w) share of a's pigment leaving to b
    out_b = diff + drift_ba
    flux = out_a * p_a - out_b * p_b  # (3, h, w) net pigment a -> b
    p_a -= flux
    p_b += flux


def _water_exchange(w_a: np.ndarray, w_b: np.ndarray, prm: WetParams) -> None:
    """Water evens out between wet cells; very wet cells push into dry neighbours."""
    both_wet = np.minimum(w_a, w_b) > 0
    creep = np.maximum(w_a, w_b) > prm.creep_threshold
    k = (both_wet | creep) * np.float32(prm.water_diffusion)
    flux = k * (w_a - w_b) * np.float32(0.5)
    w_a -= flux
    w_b += flux


def _rim(water: np.ndarray, r0: int, r1: int, reach: int = 4) -> np.ndarray:
    """(r1 - r0, w) bool: wet cells within `reach` cells of a dry one, for rows [r0, r1)."""
    h = water.shape[0]
    lo, hi = max(r0 - reach, 0), min(r1 + reach, h)
    dry = water[lo:hi] <= 0
    near = dry.copy()
    for _ in range(reach):
        grown = near.copy()
        grown[1:] |= near[:-1]
        grown[:-1] |= near[1:]
        grown[:, 1:] |= near[:, :-1]
        grown[:, :-1] |= near[:, 1:]
        near = grown
    return (near & ~dry)[r0 - lo:r1 - lo]


def step(water: np.ndarray, pigment: np.ndarray, prm: WetParams,
         r0: int = 0, r1: int | None = None) -> None:
    """Advance rows [r0, r1) of a box of cells by one tick, in place.

    water: (h, w) float32 >= 0; pigment: (3, h, w) float32 >= 0. The box must have a
    one-cell dry margin around the wet cells (the canvas pads it), so nothing leaks
    across the box border. A band owns the horizontal edges in its rows and the
    vertical edges below them, so bands that tile the box add up to exactly one
    tick; the canvas runs a tick as two half-box phases to keep frames flat.
    """
    h, w = water.shape
    r1 = h if r1 is None else r1
    rows = slice(r0, r1)
    e1 = min(r1, h - 1)  # vertical edges (r, r + 1) for r in [r0, e1)
    rim = _rim(water, r0, e1 + 1)  # rows r0 .. e1 inclusive, as the edges need
    _exchange(pigment[:, rows, :-1], pigment[:, rows, 1:], water[rows, :-1], water[rows, 1:],
              rim[:r1 - r0, :-1], rim[:r1 - r0, 1:], prm)
    if e1 > r0:
        _exchange(pigment[:, r0:e1], pigment[:, r0 + 1:e1 + 1], water[r0:e1],
                  water[r0 + 1:e1 + 1], rim[:e1 - r0], rim[1:e1 - r0 + 1], prm)
    _water_exchange(water[rows, :-1], water[rows, 1:], prm)
    if e1 > r0:
        _water_exchange(water[r0:e1], water[r0 + 1:e1 + 1], prm)

    n = r1 - r0
    dry = np.zeros((n + 2, w + 2), np.float32)  # 1 = dry; the ring outside the box is 0
    lo, hi = max(r0 - 1, 0), min(r1 + 1, h)
    dry[lo - (r0 - 1):hi - (r0 - 1), 1:-1] = water[lo:hi] <= 0
    dry_nbrs = dry[:-2, 1:-1] + dry[2:, 1:-1] + dry[1:-1, :-2] + dry[1:-1, 2:]  # (n, w)
    base = np.float32(prm.tick_seconds / prm.dry_seconds)
    evap = base * (np.float32(1.0) + np.float32(prm.edge_evaporation * 0.25) * dry_nbrs)
    band = water[rows]
    band -= evap * (band > 0)
    np.maximum(band, 0.0, out=band)
