"""What the score costs on one thread (bench/score_validity.py's last phase).

A reference's setup is its features plus its anchors (the calibration canvases, each encoded);
it happens once per machine picture, while the player is still painting. A comparison is what
happens when the player presses Finish: the painting's features and its judgement against a
prepared reference. The issue's budget is <= 50 ms per comparison on one core.
"""
from __future__ import annotations

import os
import time

import numpy as np

import score_ladders as ladders

TIMED_RUNGS = ("photo", "bot", "blurred", "tiles", "flat")


def speed(scorer, pictures: ladders.Pictures, references: int) -> dict:
    """Setups and comparisons on `references` Magenta pictures spread over the pairs, with a
    fresh Scorer so that every setup timed is a real one and not a cache hit."""
    from models.score import Scorer

    fresh = Scorer(scorer.model, scorer.label, scorer.config)
    pairs = [(name, c, s) for name, pair in pictures.sets.items() for c, s in pair.pairs()]
    first = pictures.sets[pairs[0][0]].contents[pairs[0][1]]
    fresh.reference(first)                          # warm-up: the graph is traced once
    load_before, setups, comparisons = os.getloadavg()[0], [], []
    for task in ladders.spread(pairs, references):
        start = time.perf_counter()
        prepared = fresh.reference(pictures.get("magenta", *task))
        setups.append(1000 * (time.perf_counter() - start))
        ladder = ladders.rungs(pictures, "magenta", *task)
        for rung in TIMED_RUNGS:
            start = time.perf_counter()
            prepared.judge(fresh.features(ladder[rung]))
            comparisons.append(1000 * (time.perf_counter() - start))
    return {"ms_per_comparison": round(float(np.median(comparisons)), 1),
            "ms_per_comparison_p90": round(float(np.percentile(comparisons, 90)), 1),
            "ms_per_comparison_target": "<= 50 (one core)",
            "ms_reference_setup": round(float(np.median(setups)), 1),
            "comparisons": len(comparisons), "references": len(setups), "threads": 1,
            "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
