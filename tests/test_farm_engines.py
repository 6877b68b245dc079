"""The farm's replicas run the real engines: Magenta TFLite, Gatys over VGG-19 and the score's
encoder from $STYLE_DUEL_SHARED_MODELS when that folder is there, else the offline stand-ins
(studio filter, untrained features): the same choice the local workers make (issue 12).

The replicas load their engines when they start (preload, as `farm serve` does) and ask
for GPU fractions from a GPU declared to the test cluster, so both models share "one GPU".
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="ray[serve] is not installed (make test installs it)")
# Ray Serve's own pydantic models warn about their own deprecated use; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

from dataclasses import replace  # noqa: E402

from models.farm import wire  # noqa: E402
from models.farm.client import to_message  # noqa: E402
from models.messages import Result, ScoreResult  # noqa: E402
from models.standins import STUDIO_LABEL, UNTRAINED_LABEL  # noqa: E402
from tests.farm_kit import (JOB_BOUND_S, picture, small_options,  # noqa: E402
                            start_test_farm, stop_test_farm, through_jpeg, wait_for)

SHARED = os.environ.get("STYLE_DUEL_SHARED_MODELS", "")
REAL = bool(SHARED) and (Path(SHARED) / "vgg19_blocks1-3_notop.h5").is_file()
ENGINE_BOUND_S = 400.0     # TensorFlow's first import and a model load on two busy cores


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    models_dir = Path(SHARED) if REAL else tmp_path_factory.mktemp("no-models")
    farm = start_test_farm(replace(small_options(models_dir), preload=True))
    yield farm
    stop_test_farm()


def run(farm, body) -> tuple[Result | ScoreResult, dict]:
    client = farm.client(timeout_s=60)
    job_id = client.submit(body)["job_id"]
    final = wait_for(lambda: (s := client.job(job_id))["state"] in wire.FINAL_STATES and s,
                     ENGINE_BOUND_S, f"{body['engine']} on the farm")
    assert final["state"] == "done", final["reason"]
    result = client.result(job_id)
    return to_message(result, job_id), result


def test_magenta_replica_runs_the_engine_the_workers_would_choose(farm):
    content, style = picture(96, 128, seed=1), picture(80, 80, seed=2)
    message, result = run(farm, wire.job_body("magenta", content, [(style, 1.0)], 1.0, 30, {}))
    assert message.image.shape == content.shape
    if REAL:
        assert message.label.startswith("Magenta (TFLite")
        assert any(name.endswith(".tflite") for name in result["model_files"])
    else:
        assert message.label == STUDIO_LABEL and result["model_files"] == []
    assert result["batch_size"] >= 1 and message.where == "farm CPU"


def test_gatys_replica_paints_with_progress(farm):
    content, style = picture(48, 64, seed=3), picture(48, 48, seed=4)
    settings = {"size": 48, "max_iterations": 3}
    message, result = run(farm, wire.job_body("gatys", content, [(style, 1.0)], 1.0, 60,
                                              settings))
    assert message.image.shape == content.shape and message.iterations >= 1
    expected = "Gatys VGG-19 blocks 1–3" if REAL else UNTRAINED_LABEL
    assert message.label == expected
    if REAL:
        assert result["model_files"] == ["vgg19_blocks1-3_notop.h5"]
    # The engine's own reel comes along, ending on the finished picture (the duel replay).
    assert 1 <= len(message.snapshots) <= 40
    assert (message.snapshots[-1].image == through_jpeg(message.image)).all()


def test_score_replica_scores_a_painting(farm):
    images = {"painting": picture(64, 64, seed=5), "magenta": picture(64, 64, seed=6)}
    message, _ = run(farm, wire.score_body(images, [("painting", "magenta")]))
    assert isinstance(message, ScoreResult)
    assert set(message.scores) == {"painting~magenta"}
    assert 0.0 <= message.scores["painting~magenta"] <= 10.0


def test_replicas_share_the_declared_gpu_by_fractions(farm):
    import ray

    assert ray.cluster_resources()["GPU"] == 1.0
    # Magenta 0.25 + Gatys 0.5 + Score 0.25: every replica got its share of the one GPU.
    wait_for(lambda: ray.available_resources().get("GPU", 0.0) < 0.01, JOB_BOUND_S,
             "every replica to hold its GPU share")
    described = farm.client().status()["replicas"]
    assert {r["device"] for r in described} == {"CPU"}   # declared to Ray, not really there


def test_share_gpus_is_a_no_op_without_a_gpu():
    from models.gpu import share_gpus

    class NoGPU:
        class config:
            @staticmethod
            def list_physical_devices(kind):
                return []
    assert share_gpus(NoGPU) == []
