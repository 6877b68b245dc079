"""Gatys's reel (models.reel): bounded, evenly spread, first and last kept; and the farm
wire's reel (models.farm.client.decode_snapshots): a bad one is dropped, never a crash.
"""
from __future__ import annotations

import base64
import io
import json
import logging

import numpy as np
import pytest
from PIL import Image

from models.engines import TestBehaviour
from models.farm import wire
from models.farm.cache import FarmCache
from models.farm.client import MAX_REEL_BYTES, decode_snapshots, to_message
from models.farm.dispatch import result_json
from models.farm.replicas import ReplicaAnswer
from models.messages import MAX_SNAPSHOTS, SNAPSHOT_SIDE, TEST_BEHAVIOUR, Job, Result, Snapshot
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


def bmp_text(image: np.ndarray) -> str:
    stream = io.BytesIO()
    Image.fromarray(image).save(stream, format="BMP")
    return base64.b64encode(stream.getvalue()).decode("ascii")


def scene(t: float, h: int = 144, w: int = 192) -> np.ndarray:
    """A smooth photo-like (h, w, 3) uint8 picture that changes with t (a reel forming)."""
    yy, xx = np.mgrid[0:h, 0:w] / w
    picture = np.stack([np.sin(xx * 7 + c * 2 + t * 3) * 80 + yy * 90 + 40 + t * 30
                        for c in range(3)], -1)
    return picture.clip(0, 255).astype(np.uint8)


def sent_result(snapshots: list[Snapshot], final: np.ndarray) -> dict:
    """result_json's answer as the kiosk reads it (through JSON text, as on the wire)."""
    result = Result("job-1", "gatys", "Gatys", final, 12.0, 230, False, snapshots=snapshots)
    return json.loads(json.dumps(result_json("job-1", ReplicaAnswer(result, {}))))


def test_the_reel_goes_as_jpeg_and_comes_back_close_the_result_as_png():
    reel = [Snapshot(i * 0.5, i * 10, scene(i / 23)) for i in range(24)]
    final = scene(1.0, 300, 400)
    sent = sent_result(reel, final)
    assert base64.b64decode(sent["image"])[:8] == b"\x89PNG\r\n\x1a\n"     # scored: lossless
    assert all(base64.b64decode(e["image"])[:3] == b"\xff\xd8\xff" for e in sent["snapshots"])
    message = to_message(sent, "job-1")
    assert (message.image == final).all()
    got = message.snapshots
    assert [(s.seconds, s.iteration) for s in got] == [(s.seconds, s.iteration) for s in reel]
    for back, sent_snapshot in zip(got, reel):
        assert back.image.shape == (144, 192, 3) and back.image.dtype == np.uint8
        assert np.abs(back.image.astype(int) - sent_snapshot.image).mean() < 3
    # The point of it: a fraction of the PNG reel's bytes (the farm's cache keeps this JSON).
    png_reel = sum(len(wire.encode_png(s.image)) for s in reel)
    assert sum(len(e["image"]) for e in sent["snapshots"]) < png_reel / 3


def test_the_farm_cache_keeps_the_jpeg_reel_across_a_restart(tmp_path):
    reel = [Snapshot(i * 1.0, i, scene(i / 4)) for i in range(5)]
    sent = sent_result(reel, scene(1.0))
    FarmCache(10, tmp_path).put("k" * 64, sent)
    kept = FarmCache(10, tmp_path).get("k" * 64)                     # a restarted farm
    assert kept["snapshots"] == sent["snapshots"]
    again = to_message(kept, "job-2").snapshots
    assert [s.iteration for s in again] == list(range(5))
    assert all((a.image == b.image).all() for a, b in
               zip(again, to_message(sent, "job-1").snapshots))


def test_farm_reel_is_decoded_and_brought_to_the_snapshot_side():
    # PNG snapshots, as a farm of the version before sends them (and its cache holds).
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
    [{**entry(tile(1)), "image": bmp_text(tile(1))}],                # JPEG or PNG only
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


def test_a_reel_over_the_byte_cap_is_dropped_and_the_result_still_shown(caplog):
    # 40 snapshots of noise as PNG (an older farm's worst case): about 5.9 MB of base64.
    rng = np.random.default_rng(3)
    reel = [entry(rng.integers(0, 256, (SNAPSHOT_SIDE, SNAPSHOT_SIDE, 3), np.uint8), i, i)
            for i in range(MAX_SNAPSHOTS)]
    assert sum(len(e["image"]) for e in reel) > MAX_REEL_BYTES
    result = {"kind": "result", "engine": "gatys", "label": "Gatys", "seconds": 3.0,
              "image": wire.encode_png(scene(0.5)), "iterations": 40, "converged": False,
              "snapshots": reel}
    with caplog.at_level(logging.WARNING, logger="models.farm.client"):
        message = to_message(result, "job-1")
    assert message.snapshots == [] and (message.image == scene(0.5)).all()
    dropped = [r.message for r in caplog.records if "reel" in r.message]
    assert len(dropped) == 1 and "bytes" in dropped[0]
    assert len(decode_snapshots(reel[:10])) == 10                    # under the cap: kept
