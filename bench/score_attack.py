"""The issue's attack on the score: a hill-climb that may change only the colours of 8 flat
blobs at random positions, seeing only the score against one reference.

The blobs are the 8 Voronoi cells of random points, so together they cover the whole canvas
(the strongest version of "8 flat blobs": no bare paper for the score to punish). Each step
changes one blob's colour (a random jump one time in five, else a small nudge) and keeps the
change when the unrounded score did not fall: the climber knows nothing but that number.
Ported from the study's /work/score-lab/attack.py (voronoi shape).
"""
from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AttackSettings:
    steps: int = 2000
    blobs: int = 8
    jump_share: float = 0.2        # steps that try a fresh random colour instead of a nudge
    nudge_sigma: float = 25.0      # a nudge's spread per channel, 0-255 units


def blob_labels(shape: tuple[int, ...], blobs: int, rng: np.random.Generator) -> np.ndarray:
    """(H, W) int: which of `blobs` Voronoi cells of random points each pixel belongs to."""
    h, w = shape[:2]
    rows, cols = np.mgrid[0:h, 0:w]
    points = rng.uniform(0, 1, (blobs, 2)) * (h, w)
    return ((rows[..., None] - points[:, 0]) ** 2
            + (cols[..., None] - points[:, 1]) ** 2).argmin(-1)


def seed_of(reference: np.ndarray) -> int:
    """The climb's seed from the reference's pixels (not its name): reproducible anywhere."""
    return zlib.crc32(np.ascontiguousarray(reference).tobytes())


def climb(scorer, reference: np.ndarray, settings: AttackSettings) -> dict:
    """Hill-climb against one reference -> {"start", "end", "parts", "seconds", "canvas"}."""
    start_time = time.monotonic()
    prepared = scorer.reference(reference)
    rng = np.random.default_rng(seed_of(reference))
    labels = blob_labels(reference.shape, settings.blobs, rng)
    colours = rng.uniform(0, 255, (settings.blobs, 3))

    def paint(cs: np.ndarray) -> np.ndarray:
        return np.rint(cs[labels]).astype(np.uint8)

    def judge(cs: np.ndarray):
        return prepared.judge(scorer.features(paint(cs)))

    best = judge(colours)
    start = best.score
    for _ in range(settings.steps):
        trial = colours.copy()
        i = rng.integers(settings.blobs)
        if rng.random() < settings.jump_share:
            trial[i] = rng.uniform(0, 255, 3)
        else:
            trial[i] = np.clip(trial[i] + rng.normal(0, settings.nudge_sigma, 3), 0, 255)
        judgement = judge(trial)
        if judgement.score >= best.score:           # not lower: plateaus are walked
            best, colours = judgement, trial
    return {"start": start, "end": best.score, "parts": dict(best.parts),
            "seconds": time.monotonic() - start_time, "canvas": paint(colours)}


def summary(results: list[dict], limit: float, settings: AttackSettings) -> dict:
    ends = [r["end"] for r in results]
    return {"shape": f"{settings.blobs} Voronoi blobs covering the canvas, colours only",
            "steps": settings.steps, "pairs": len(results),
            "max_end": round(max(ends), 2) if ends else None,
            "mean_end": round(float(np.mean(ends)), 2) if ends else None,
            "target": f"<= {limit:g} every pair",
            "met": (max(ends) <= limit) if ends else None,
            "per_pair": results}
