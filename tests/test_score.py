"""The score: three parts against each machine picture, its failure modes, its worker side."""
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
from models import score, score_legacy
from models import score_canvases as canvases
from models.messages import COST_KEYS, SCORE, Failed, ScoreJob, ScoreResult


@pytest.fixture(scope="module")
def scorer():
    return score.Scorer.load()


def pictures():
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)
    return [load_art("content", "chelsea"), load_art("content", "rocket"),
            load_art("style", "pointillism"), noise, np.full((40, 40, 3), 200, np.uint8)]


def machine_picture(content="chelsea", style="hatching", seed=0):
    return studio_picture(load_art("content", content), load_art("style", style), seed)


def test_a_copy_scores_ten_in_every_part(scorer):
    for picture in pictures()[:4] + [machine_picture()]:
        verdict = scorer.verdict(picture.copy(), {"magenta": picture})
        assert verdict.score == 10.0
        assert verdict.parts == {"layout": 10.0, "colour": 10.0, "brushwork": 10.0}
        assert verdict.cost == "" and verdict.vs == {"magenta": 10.0}


def test_trivial_canvases_of_the_reference_score_zero_in_every_part(scorer):
    for style in ("hatching", "night_impasto", "colour_fields"):
        reference = machine_picture("coffee", style)
        for canvas in (canvases.flat(reference), canvases.white(reference.shape),
                       canvases.paper(reference.shape, seed=41),
                       canvases.palette_blobs(reference, seed=77)):
            verdict = scorer.verdict(canvas, {"magenta": reference})
            assert verdict.score <= 0.5, (style, verdict)
            assert verdict.parts["layout"] <= 1.0 and verdict.parts["colour"] == 0.0
            assert verdict.cost == "layout_missing"


def test_the_right_layout_beats_the_right_palette_in_the_wrong_place(scorer):
    photo = load_art("content", "astronaut")
    reference = studio_picture(photo, load_art("style", "wave_bands"), 0)
    right = scorer.score(canvases.posterised(photo), reference)
    for wrong in (canvases.upside_down(reference), canvases.shuffled_tiles(reference, 202),
                  machine_picture("camera", "wave_bands"), canvases.cell_mosaic(reference, 9)):
        assert scorer.score(wrong, reference) <= 3.0 < right


def test_parts_are_one_decimal_in_range_and_repeatable(scorer):
    reference = machine_picture("rocket", "pointillism")
    for picture in pictures():
        verdict = scorer.verdict(picture, {"magenta": reference})
        again = scorer.verdict(picture.copy(), {"magenta": reference.copy()})
        assert verdict == again
        for value in (verdict.score, *verdict.parts.values()):
            assert 0.0 <= value <= 10.0 and value == round(value, 1)
        assert verdict.cost in COST_KEYS


def test_two_references_give_the_mean_score_and_mean_parts(scorer):
    photo = load_art("content", "coins")
    refs = {"magenta": machine_picture("coins", "night_impasto", 0),
            "gatys": machine_picture("coins", "night_impasto", 1)}
    both = scorer.verdict(photo, refs)
    one = {name: scorer.verdict(photo, {name: image}) for name, image in refs.items()}
    assert both.vs == {name: v.score for name, v in one.items()}
    assert both.score == round_score(both.vs["magenta"], both.vs["gatys"])
    for part in ("layout", "colour", "brushwork"):
        mean = (one["magenta"].parts[part] + one["gatys"].parts[part]) / 2
        assert abs(both.parts[part] - mean) <= 0.051


def test_the_machines_agreement_is_measured_both_ways(scorer):
    a, b = machine_picture("coffee", "hatching", 0), machine_picture("coffee", "hatching", 1)
    other = machine_picture("camera", "hatching", 1)
    assert scorer.agreement(a, b) == scorer.agreement(b, a)
    assert scorer.agreement(a, b) > scorer.agreement(a, other)
    assert scorer.agreement(a, a) == 10.0


def untouched_canvas(seed: int = 8) -> np.ndarray:
    from brushes import Canvas

    return Canvas(834, 626, seed=seed).rgb8()


def test_an_untouched_canvas_against_a_pale_style_scores_nothing(scorer):
    """Issue 10's round: Finish on an untouched canvas against pale hatching gave 7.5."""
    for content in ("chelsea", "camera", "coffee"):
        reference = machine_picture(content, "hatching")
        verdict = scorer.verdict(untouched_canvas(), {"magenta": reference,
                                                      "gatys": machine_picture(content,
                                                                               "hatching", 1)})
        assert verdict.score <= 0.5, (content, verdict)


def test_an_untouched_canvas_against_real_magenta_hatching_scores_nothing(scorer):
    """The same round with the real Magenta network (../shared/models or the model cache)."""
    from models.encoder_data import open_magenta_tflite

    magenta, _ = open_magenta_tflite(1)
    if magenta is None:
        pytest.skip("no Magenta TFLite model here (set STYLE_DUEL_SHARED_MODELS or fetch it)")
    for content in ("chelsea", "astronaut"):
        photo = load_art("content", content)
        reference = magenta.stylize(photo, load_art("style", "hatching"))
        assert scorer.verdict(untouched_canvas(), {"magenta": reference}).score <= 0.5
        assert scorer.score(canvases.flat(reference), reference) <= 0.5
        assert scorer.score(photo, reference) >= 3.0


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


def test_the_old_score_is_kept_for_comparison_with_its_anchors():
    cal = score_legacy.anchors_to_calibration(0.3, 0.9)
    assert cal.grade(0.0) == 10.0
    assert cal.grade(0.3) == pytest.approx(score_legacy.IMITATION_SCORE)
    assert cal.grade(0.9) == pytest.approx(score_legacy.UNRELATED_SCORE)
    with pytest.raises(ValueError):
        score_legacy.anchors_to_calibration(0.9, 0.3)


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
    assert set(answer.parts) == {"layout", "colour", "brushwork"}
    assert answer.cost in COST_KEYS
    verdict = score.Scorer.load().verdict(photo, {k: images[k] for k in ("magenta", "gatys")})
    assert answer.parts == verdict.parts and answer.cost == verdict.cost
    assert round_score(answer.scores["painting~magenta"],
                       answer.scores["painting~gatys"]) == verdict.score


def test_the_worker_skips_a_missing_machine():
    photo = load_art("content", "rocket")
    job = ScoreJob("score-2", "r", {"painting": photo, "magenta": photo})
    answer = worker_for().answer(job, threading.Event())
    assert answer.scores == {"painting~magenta": 10.0}
    assert answer.parts == {"layout": 10.0, "colour": 10.0, "brushwork": 10.0}


def test_without_weights_the_worker_fails_the_job_with_a_sentence(tmp_path):
    photo = load_art("content", "rocket")
    job = ScoreJob("score-3", "r", {"painting": photo, "magenta": photo})
    answer = worker_for(tmp_path).answer(job, threading.Event())
    assert isinstance(answer, Failed) and answer.engine == SCORE
    assert answer.reason.startswith("No score this round: the score model file is missing")
