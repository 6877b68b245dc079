"""The score: the committed encoder, its calibration, its failure modes, and its worker side."""
from __future__ import annotations

import json
import queue
import shutil
import threading

import numpy as np
import pytest

from game.round import round_score
from models.encoder import RECORD_FILE, WEIGHTS_FILE
from models.encoder_data import load_art, studio_picture
from models import score
from models.messages import SCORE, Failed, ScoreJob, ScoreResult


@pytest.fixture(scope="module")
def scorer():
    return score.Scorer.load()


def pictures():
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)
    return [load_art("content", "chelsea"), load_art("content", "rocket"),
            load_art("style", "pointillism"), noise, np.full((40, 40, 3), 200, np.uint8)]


def test_a_picture_against_itself_scores_ten(scorer):
    for picture in pictures():
        assert scorer.score(picture, picture) == 10.0
        assert scorer.score(picture, picture.copy()) == 10.0


def test_scores_are_one_decimal_in_range_and_symmetric(scorer):
    items = pictures()
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            ab, ba = scorer.score(a, b), scorer.score(b, a)
            assert ab == ba
            assert 0.0 <= ab <= 10.0
            assert ab == round(ab, 1)


def test_unrelated_is_low_and_a_painterly_imitation_sits_between(scorer):
    photo, other = load_art("content", "chelsea"), load_art("content", "rocket")
    imitation = studio_picture(photo, load_art("style", "pointillism"), seed=0)
    unrelated = scorer.score(photo, other)
    painted = scorer.score(photo, imitation)
    assert unrelated < 4.0
    assert unrelated < painted < 10.0


def test_the_committed_weights_load_with_their_record():
    record = json.loads(RECORD_FILE.read_text(encoding="utf-8"))
    assert WEIGHTS_FILE.stat().st_size == record["weights"]["bytes"] < 5_000_000
    for key in ("seed", "data", "epochs", "final_losses", "command", "date_utc", "machine",
                "calibration"):
        assert key in record
    loaded = score.Scorer.load()
    assert loaded.label.startswith("encoder ")


def test_a_missing_weights_file_says_so(tmp_path):
    with pytest.raises(score.ScoreUnavailable, match="missing") as caught:
        score.Scorer.load(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_a_damaged_weights_file_says_so(tmp_path):
    shutil.copy(RECORD_FILE, tmp_path / RECORD_FILE.name)
    data = bytearray(WEIGHTS_FILE.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\x00" * 64
    (tmp_path / WEIGHTS_FILE.name).write_bytes(bytes(data))
    with pytest.raises(score.ScoreUnavailable, match="damaged"):
        score.Scorer.load(tmp_path)


def test_a_garbage_weights_file_matching_its_record_still_fails_clearly(tmp_path):
    """A hand-edited record cannot smuggle in a file Keras cannot read."""
    import hashlib

    junk = b"not an HDF5 file at all"
    (tmp_path / WEIGHTS_FILE.name).write_bytes(junk)
    record = json.loads(RECORD_FILE.read_text(encoding="utf-8"))
    record["weights"]["sha256"] = hashlib.sha256(junk).hexdigest()
    (tmp_path / RECORD_FILE.name).write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(score.ScoreUnavailable, match="could not be loaded"):
        score.Scorer.load(tmp_path)


def test_an_unreadable_record_says_so(tmp_path):
    shutil.copy(WEIGHTS_FILE, tmp_path / WEIGHTS_FILE.name)
    (tmp_path / RECORD_FILE.name).write_text("{ not json", encoding="utf-8")
    with pytest.raises(score.ScoreUnavailable, match="record"):
        score.Scorer.load(tmp_path)


def test_calibration_puts_the_anchors_where_it_says():
    cal = score.anchors_to_calibration(0.3, 0.9)
    assert cal.grade(0.0) == 10.0
    assert cal.grade(0.3) == pytest.approx(score.IMITATION_SCORE)
    assert cal.grade(0.9) == pytest.approx(score.UNRELATED_SCORE)
    assert cal.grade(0.2) > cal.grade(0.5) > cal.grade(1.5) >= 0.0
    with pytest.raises(ValueError):
        score.anchors_to_calibration(0.9, 0.3)


def test_round_score_is_the_mean_of_the_painting_comparisons():
    assert round_score(6.0, 7.0) == 6.5
    assert round_score(6.1, 6.4) == 6.2
    assert round_score(None, 7.0) == 7.0
    assert round_score(4.0, None) == 4.0
    assert round_score(None, None) is None


# -- the worker side --------------------------------------------------------------------------

def worker_for(score_dir=None):
    from models.worker import Worker, WorkerConfig

    config = WorkerConfig("magenta", preload=False, scorer=True,
                          score_dir=str(score_dir) if score_dir else None)
    # The answers a worker sends besides a job's own (Loading around the encoder's load).
    return Worker(config, answers=queue.SimpleQueue(), heartbeat=None)


def test_the_worker_answers_a_score_job_with_three_comparisons():
    photo, style = load_art("content", "chelsea"), load_art("style", "pointillism")
    images = {"painting": photo, "magenta": studio_picture(photo, style, 0),
              "gatys": studio_picture(photo, style, 1)}
    answer = worker_for().answer(ScoreJob("score-1", "r", images), threading.Event())
    assert isinstance(answer, ScoreResult)
    assert set(answer.scores) == {"painting~magenta", "painting~gatys", "magenta~gatys"}
    assert all(0.0 <= v <= 10.0 for v in answer.scores.values())


def test_the_worker_skips_a_missing_machine():
    photo = load_art("content", "rocket")
    job = ScoreJob("score-2", "r", {"painting": photo, "magenta": photo})
    answer = worker_for().answer(job, threading.Event())
    assert answer.scores == {"painting~magenta": 10.0}


def test_without_weights_the_worker_fails_the_job_with_a_sentence(tmp_path):
    photo = load_art("content", "rocket")
    job = ScoreJob("score-3", "r", {"painting": photo, "magenta": photo})
    answer = worker_for(tmp_path).answer(job, threading.Event())
    assert isinstance(answer, Failed) and answer.engine == SCORE
    assert answer.reason.startswith("No score this round: the score model file is missing")
