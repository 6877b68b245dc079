"""Wet watercolour layer: one simulation tick on a grid of 2x2-pixel cells.

Watercolour is pigment suspended in water over the paper. Per cell we keep
`water` (amount, 0 = dry) and `pigment` (optical density per RGB channel of the
pigment still in suspension). A tick:
  1. moves pigment between neighbouring wet cells: diffusion (colours bleed into
     each other while wet) plus capillary drift towards drier cells (edges dry
     first, so pigment piles up there: the dark wet-edge of a dried wash);
  2. lets water even out, and very wet cells creep a little into dry paper;
  3. evaporates water, faster where a cell has dry neighbours;
  4. reports cells that just became dry, which the canvas then "folds": their
     pigment is multiplied into the dry reflectance (Beer-Lambert, so glazes
     darken like real pigment instead of alpha-blending towards a colour).

The grid is half resolution because the wet layer is smooth anyway and the tick
must fit in a few ms for a 500x400 px wet area; paper-driven granulation is
applied at full resolution, after bilinear upsampling, when the layer is shown
or folded (see `glaze_transmittance`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class WetParams:
    tick_seconds: float = 1.0 / 30.0  # fixed step: ticks, not dt, make replays exact
    max_ticks_per_update: int = 2  # a slow frame slows drying instead of spiking
    dry_seconds: float = 2.4  # water 1.0 in an open interior evaporates in this time
    edge_evaporation: float = 2.0  # extra evaporation per fully dry neighbourhood
    diffusion: float = 0.10  # pigment exchange per tick between two wet cells
    capillary: float = 1.0  # pigment drift per unit water difference (wet edges)
    capillary_cap: float = 0.03  # stability cap of the drift per edge per tick
    water_diffusion: float = 0.10
    creep_threshold: float = 0.9  # water above this spreads into dry paper
    granulation: float = 0.3  # extra density in paper pits (0 = none)


def glaze_transmittance(halo: np.ndarray, neg_gran: np.ndarray) -> np.ndarray:
    """Full-resolution transmittance of suspended pigment.

    halo: (hc + 2, wc + 2, 3) float32 optical density per cell, with a one-cell ring
    of neighbours (edge-replicated at the canvas border) for the interpolation.
    neg_gran: (2*hc, 2*wc) float32, minus the granulation multiplier (>1 in pits).
    Returns (2*hc, 2*wc, 3) float32 in (0, 1].

    Cells are upsampled bilinearly (weights 3/4, 1/4 per axis) so wash edges are
    smooth instead of 2-px stairs. Every output float depends only on its own few
    cells, computed in the same order whatever the region, and both the display and
    the fold call this: folding a wet area reproduces the very float shown.
    """
    hc, wc = halo.shape[0] - 2, halo.shape[1] - 2
    near, far = np.float32(0.75), np.float32(0.25)
    mid = halo[1:-1] * near  # (hc, wc + 2, 3)
    rows = np.empty((hc, 2, wc + 2, 3), np.float32)
    np.multiply(halo[:-2], far, out=rows[:, 0])
    rows[:, 0] += mid
    np.multiply(halo[2:], far, out=rows[:, 1])
    rows[:, 1] += mid
    rows = rows.reshape(2 * hc, wc + 2, 3)
    mid = rows[:, 1:-1] * near  # (2 hc, wc, 3)
    out = np.empty((2 * hc, wc, 2, 3), np.float32)
    np.multiply(rows[:, :-2], far, out=out[:, :, 0])
    out[:, :, 0] += mid
    np.multiply(rows[:, 2:], far, out=out[:, :, 1])
    out[:, :, 1] += mid
    out = out.reshape(2 * hc, 2 * wc, 3)
    out *= neg_gran[..., None]
    np.exp(out, out=out)
    return out


def _exchange(p_a: np.ndarray, p_b: np.ndarray, w_a: np.ndarray, w_b: np.ndarray,
              prm: WetParams) -> None:
    """Move pigment across the edges between cell views a and b (neighbours), in place."""
    both = np.minimum(w_a, w_b)  # (h, w) > 0 only if both cells are wet
    dw = w_a - w_b
    drift_ab = np.minimum(np.maximum(dw, 0.0) * np.float32(prm.capillary),
                          np.float32(prm.capillary_cap))
    drift_ba = np.minimum(np.maximum(-dw, 0.0) * np.float32(prm.capillary),
                          np.float32(prm.capillary_cap))
    linked = both > 0
    diff = np.minimum(both, 1.0) * np.float32(prm.diffusion)
    out_a = (diff + drift_ab * linked)[..., None]  # share of a's pigment leaving to b
    out_b = (diff + drift_ba * linked)[..., None]
    flux = out_a * p_a - out_b * p_b  # (h, w, 3) net pigment a -> b
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


def step(water: np.ndarray, pigment: np.ndarray, prm: WetParams) -> np.ndarray:
    """Advance one tick in place on a box of cells; returns cells that just dried.

    water: (h, w) float32 >= 0; pigment: (h, w, 3) float32 >= 0. The box must have a
    one-cell dry margin around the wet cells (the canvas pads it), so nothing leaks
    across the box border. Returns (h, w) bool.
    """
    was_wet = water > 0
    _exchange(pigment[:, :-1], pigment[:, 1:], water[:, :-1], water[:, 1:], prm)
    _exchange(pigment[:-1, :], pigment[1:, :], water[:-1, :], water[1:, :], prm)
    _water_exchange(water[:, :-1], water[:, 1:], prm)
    _water_exchange(water[:-1, :], water[1:, :], prm)

    wet = water > 0
    dry_nbrs = np.zeros(water.shape, np.float32)  # how many of the 4 neighbours are dry
    dry = (~wet).astype(np.float32)
    dry_nbrs[:, 1:] += dry[:, :-1]
    dry_nbrs[:, :-1] += dry[:, 1:]
    dry_nbrs[1:, :] += dry[:-1, :]
    dry_nbrs[:-1, :] += dry[1:, :]
    base = np.float32(prm.tick_seconds / prm.dry_seconds)
    evap = base * (np.float32(1.0) + np.float32(prm.edge_evaporation * 0.25) * dry_nbrs)
    water -= evap * wet
    np.maximum(water, 0.0, out=water)
    return (was_wet | wet) & (water <= 0)
