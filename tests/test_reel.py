"""Gatys's reel (models.reel): bounded, evenly spread, first and last kept; and the farm
wire's reel (models.farm.client.decode_snapshots): a bad one is dropped, never a crash.
"""
from __future__ import annotations

import base64
import io
import logging

import numpy as np
import pytest
from PIL import Image

from models.engines import TestBehaviour
from models.farm import wire
from models.farm.client import decode_snapshots, to_message
from models.messages import MAX_SNAPSHOTS, SNAPSHOT_SIDE, TEST_BEHAVIOUR, Job
from models.reel import SnapshotReel, valid_snapshots
from tests.farm_kit import png_bomb_header


def tile(value: int, h: int = 9, w: int = 12) -> np.ndarray:
    return np.full((h, w, 3), value % 256, np.uint8)


@pytest.mark.parametrize("offered", [1, 2, 39, 40, 41, 79, 80, 81, 100, 333, 1000])
def test_reel_thins_evenly(offered):
    reel = SnapshotReel()
    for i in range(offered):
        reel.add(i * 0.75, i, tile(i))
    kept = reel.snapshots()
    iterations = [s.iteration for s in kept]
    assert len(kept) <= MAX_SNAPSHOTS
    assert iterations[0] == 0 and iterations[-1] == offered - 1     # first and last kept
    assert iterations == sorted(set(iterations))
    if offered <= MAX_SNAPSHOTS:
        assert iterations == list(range(offered))                  # nothing dropped
    else:
        # Evenly spread: one stride between all but the last (the latest picture), and
        # never fewer than half the cap.
        steps = {b - a for a, b in zip(iterations[:-2], iterations[1:-1])}
        assert len(steps) == 1 and len(kept) > MAX_SNAPSHOTS // 2
        assert 0 < iterations[-1] - iterations[-2] <= steps.pop()
    for snapshot in kept:                                          # the pictures go along
        assert (snapshot.image == tile(snapshot.iteration)).all()
        assert snapshot.seconds == snapshot.iteration * 0.75


def test_reel_refuses_pictures_it_cannot_carry():
    reel = SnapshotReel()
    for bad in (np.zeros((SNAPSHOT_SIDE + 1, 10, 3), np.uint8), np.zeros((9, 9), np.uint8),
                np.zeros((9, 9, 3), np.float32), np.zeros((0, 9, 3), np.uint8)):
        with pytest.raises(ValueError):
            reel.add(1.0, 1, bad)
    with pytest.raises(ValueError):
        reel.add(float("nan"), 1, tile(1))
    assert reel.snapshots() == []
    with pytest.raises(ValueError):
        valid_snapshots([None] * (MAX_SNAPSHOTS + 1))


def test_gatys_test_behaviour_sends_a_reel_and_magenta_none():
    content = np.random.default_rng(1).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    runner = TestBehaviour(lambda: None)

    def run(engine, **settings):
        job = Job("j", "r", engine, content, [(content, 1.0)],
                  settings={TEST_BEHAVIOUR: "slow", "seconds": 0.3, "step": 0.05, **settings})
        return runner.run(job, lambda message: None, lambda: False)

    reel = run("gatys").snapshots
    assert 2 <= len(reel) <= MAX_SNAPSHOTS
    assert all(s.image.shape == (144, 192, 3) for s in reel)
    means = [float(s.image.mean()) for s in reel]
    assert means == sorted(means) and means[0] < means[-1]         # the picture forming
    assert [s.seconds for s in reel] == sorted(s.seconds for s in reel)
    assert run("magenta").snapshots == []


# -- the farm's wire ----------------------------------------------------------------------------

def entry(image: np.ndarray, seconds=1.0, iteration=3) -> dict:
    return {"seconds": seconds, "iteration": iteration, "image": wire.encode_png(image)}


def jpeg_text(image: np.ndarray) -> str:
    stream = io.BytesIO()
    Image.fromarray(image).save(stream, format="JPEG")
    return base64.b64encode(stream.getvalue()).decode("ascii")


def test_farm_reel_is_decoded_and_brought_to_the_snapshot_side():
    pictures = [tile(10, 48, 64), tile(200, 400, 300)]
    reel = decode_snapshots([entry(pictures[0], 0.5, 1), entry(pictures[1], 2.0, 9)])
    assert [(s.seconds, s.iteration) for s in reel] == [(0.5, 1), (2.0, 9)]
    assert reel[0].image.shape == (48, 64, 3) and (reel[0].image == 10).all()
    assert reel[1].image.shape == (SNAPSHOT_SIDE, 144, 3)           # a larger one shrunk
    assert decode_snapshots(None) == [] and decode_snapshots([]) == []


@pytest.mark.parametrize("reel", [
    "not a list",
    [entry(tile(1))] * (MAX_SNAPSHOTS + 1),                          # too many
    [entry(tile(1)), {"seconds": 1.0, "iteration": 2}],              # no picture
    [entry(tile(1)), {**entry(tile(2)), "image": "%%%not base64"}],
    [{**entry(tile(1)), "image": base64.b64encode(png_bomb_header()).decode("ascii")}],
    [{**entry(tile(1)), "image": jpeg_text(tile(1))}],               # PNG only
    [{**entry(tile(1)), "image": base64.b64encode(b"\x89PNG broken").decode("ascii")}],
    [entry(tile(1), seconds="soon")], [entry(tile(1), seconds=float("inf"))],
    [entry(tile(1), iteration=None)], [entry(tile(1), seconds=True)], [None], [[1, 2]],
    [{**entry(tile(1)), "image": wire.encode_png(np.zeros((600, 600, 3), np.uint8))}],
])
def test_a_bad_farm_reel_is_dropped_with_a_log_line(reel, caplog):
    result = {"kind": "result", "engine": "gatys", "label": "Gatys", "seconds": 3.0,
              "image": wire.encode_png(tile(7, 30, 40)), "iterations": 12, "converged": False,
              "snapshots": reel}
    with caplog.at_level(logging.WARNING, logger="models.farm.client"):
        message = to_message(result, "job-1")
    assert message.snapshots == []
    assert (message.image == 7).all() and message.iterations == 12  # the picture still shown
    assert [r.message for r in caplog.records if "reel" in r.message]
