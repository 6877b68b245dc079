"""The first score (2026-11), kept to measure the new one against: a global calibration.

    embedding   the encoder's 8 x 8 x 16 code map of the picture squashed to 128 x 128,
                standardised per code number (training statistics) and scaled to length 1
    distance    d = 1 - cosine similarity of the two embeddings, in [0, 2]
    grade       10 * exp(-(d / d0) ** p). d0 and p are fitted once, on held-out catalogue
                pictures, so that the median demo-bot imitation gets 5.0 and the median
                unrelated pair 1.0.

It rewarded palette over painting (issue 10; docs/score.md has the figures): a flat fill of
the right colour beat the photo in most pairs. The game scores with models.score; the training
command still records this calibration and bench/score_validity.py prints its figures beside
the new score's, for comparison.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

IMITATION_SCORE, UNRELATED_SCORE = 5.0, 1.0   # the calibration's two anchors


@dataclass(frozen=True)
class Calibration:
    d0: float      # the distance that scores 10 / e (about 3.7)
    p: float       # steepness: > 1 keeps near-copies near 10, then falls

    def grade(self, distance: float) -> float:
        """Distance in [0, 2] -> unrounded grade in (0, 10]."""
        return 10.0 * math.exp(-((max(0.0, distance) / self.d0) ** self.p))


def rounded(grade: float) -> float:
    return round(min(10.0, max(0.0, grade)), 1)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """1 - cosine of two unit embeddings; exactly symmetric (same products, same order)."""
    return max(0.0, 1.0 - float(np.dot(a, b)))


def anchors_to_calibration(d_imitation: float, d_unrelated: float) -> Calibration:
    """The (d0, p) putting IMITATION_SCORE at d_imitation and UNRELATED_SCORE at d_unrelated."""
    if not 0 < d_imitation < d_unrelated:
        raise ValueError(f"cannot calibrate: imitations (d={d_imitation:.4f}) are not closer "
                         f"than unrelated pairs (d={d_unrelated:.4f})")
    k_imitation = math.log(10.0 / IMITATION_SCORE)     # (d_i / d0) ** p
    k_unrelated = math.log(10.0 / UNRELATED_SCORE)     # (d_u / d0) ** p
    p = math.log(k_unrelated / k_imitation) / math.log(d_unrelated / d_imitation)
    return Calibration(d0=d_imitation / k_imitation ** (1 / p), p=p)


def _subject(source: str, name: str) -> str:
    """What a picture shows: its content photo, or for a style painting the painting."""
    return name.split("×")[0] if source != "style" else f"style:{name}"


def calibration_pairs(pool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Indices into pool.all(): (imitation pairs, unrelated pairs).

    imitation: a bot painting of (X, s) against the studio filter's and Magenta's (X, s)
    unrelated: any two pictures of different subjects (photo, style painting, results)
    """
    items = [(source, name) for source, names in pool.names.items() for name in names]
    index = {item: i for i, item in enumerate(items)}
    imitation = []
    for i, (source, name) in enumerate(items):
        if source != "bot":
            continue
        pair = name.split("#")[0]
        imitation += [(i, index[(machine, pair)]) for machine in ("studio", "magenta")
                      if (machine, pair) in index]
    unrelated = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))
                 if _subject(*items[i]) != _subject(*items[j])]
    return imitation, unrelated


def fit_calibration(pool, embed: Callable[[list[np.ndarray]], np.ndarray]) -> dict:
    """Held-out pictures -> the calibration's record (and the numbers behind it)."""
    vectors = embed(pool.all())                      # (N, code_size) unit vectors
    imitation, unrelated = calibration_pairs(pool)
    if not imitation or not unrelated:
        raise ValueError("calibration needs bot paintings and pictures of two subjects")
    d_imit = np.array([distance(vectors[i], vectors[j]) for i, j in imitation])
    d_unrel = np.array([distance(vectors[i], vectors[j]) for i, j in unrelated])
    median_imit, median_unrel = float(np.median(d_imit)), float(np.median(d_unrel))
    notes = []
    try:
        cal = anchors_to_calibration(median_imit, median_unrel)
    except ValueError as error:        # an untrained model (tests): still a usable record
        notes.append(f"{error}; imitation anchor moved to half the unrelated distance")
        cal = anchors_to_calibration(median_unrel / 2, median_unrel)
    unrelated_grades = [cal.grade(d) for d in d_unrel]
    return {
        "formula": "score = round(10 * exp(-(d / d0) ** p), 1), d = 1 - cosine",
        "d0": cal.d0, "p": cal.p,
        "anchors": {"imitation_median_d": median_imit,
                    "imitation_score": IMITATION_SCORE,
                    "unrelated_median_d": median_unrel,
                    "unrelated_score": UNRELATED_SCORE},
        "pairs": {"imitation": len(imitation), "unrelated": len(unrelated)},
        "quartiles": {
            "imitation_score": [rounded(cal.grade(float(q)))
                                for q in np.percentile(d_imit, [75, 50, 25])],
            "unrelated_score": [rounded(cal.grade(float(q)))
                                for q in np.percentile(d_unrel, [75, 50, 25])]},
        "unrelated_above_5": round(float(np.mean(np.array(unrelated_grades) > 5.0)), 3),
        "pictures": pool.counts(),
        "notes": notes,
    }


class LegacyScorer:
    """The first score's embedding and grade, from a loaded autoencoder and its record."""

    def __init__(self, model, record: dict):
        import tensorflow as tf

        self.model, self.size = model, model.config.size
        cal = record["calibration"]
        self.calibration = Calibration(float(cal["d0"]), float(cal["p"]))
        encoder, size = model.encoder, self.size
        self._encode = tf.function(lambda batch: encoder(batch, training=False),
                                   input_signature=[tf.TensorSpec((1, size, size, 3),
                                                                  tf.float32)])

    def embed(self, image: np.ndarray) -> np.ndarray:
        """(H, W, 3) uint8 -> (code_size,) float64 unit vector."""
        from models.encoder import embed_codes, prepare

        codes = self._encode(prepare(image, self.size)[None]).numpy()   # (1, s, s, C)
        return embed_codes(self.model, codes)[0]

    def grade(self, a: np.ndarray, b: np.ndarray) -> float:
        """Unrounded grade 0..10 of two embeddings."""
        return self.calibration.grade(distance(a, b))
