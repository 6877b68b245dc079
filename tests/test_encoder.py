"""The score's autoencoder: one builder, split by role, and a tiny training run end to end."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.encoder import (DECODER_ROLE, ENCODER_ROLE, RECORD_FILE, EncoderConfig,
                            build_autoencoder, embed_codes, prepare)

ROOT = Path(__file__).resolve().parent.parent
TINY = EncoderConfig(size=32, widths=(4, 8), decoder_widths=(8, 4), code_channels=2, refine=1)


def test_one_builder_gives_an_encoder_and_a_decoder_by_role():
    model = build_autoencoder(TINY)
    assert (model.encoder.name, model.decoder.name) == (ENCODER_ROLE, DECODER_ROLE)
    images = np.random.default_rng(0).random((3, 32, 32, 3)).astype(np.float32)
    codes = np.asarray(model.encoder(images))
    assert codes.shape == (3, 8, 8, 2)                       # (B, S/4, S/4, C)
    assert np.asarray(model(images)).shape == images.shape   # encoder then decoder
    assert model.code_mean.shape == (TINY.code_size,)


def test_embeddings_are_unit_vectors():
    model = build_autoencoder(TINY)
    codes = np.random.default_rng(1).normal(size=(4, 8, 8, 2))
    vectors = embed_codes(model, codes)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_the_committed_record_describes_the_committed_architecture():
    record = json.loads(RECORD_FILE.read_text(encoding="utf-8"))
    config = EncoderConfig.from_json(record["encoder"])
    assert config == EncoderConfig()              # the default is what was trained
    assert build_autoencoder(config).count_params() == record["params"]


def test_prepare_squashes_any_picture_to_the_input_square():
    picture = np.zeros((30, 70, 3), np.uint8)
    picture[:, 35:] = 255
    square = prepare(picture, 32)
    assert square.shape == (32, 32, 3) and square.dtype == np.float32
    assert square[:, :14].max() == 0.0 and square[:, 18:].min() == 1.0
    with pytest.raises(ValueError):
        prepare(np.zeros((10, 10), np.uint8), 32)


def test_a_config_that_cannot_halve_evenly_is_refused():
    with pytest.raises(ValueError):
        EncoderConfig(size=100)
    with pytest.raises(ValueError):
        EncoderConfig(widths=(8, 8), decoder_widths=(8,))


def train_tiny(out: Path) -> dict:
    """`python main.py models train-encoder --tiny` in its own process: seeds and
    deterministic ops stay out of the test process."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "models", "train-encoder",
                           "--tiny", "--no-magenta", "--out", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((out / RECORD_FILE.name).read_text(encoding="utf-8"))


def test_one_tiny_training_epoch_runs_end_to_end_and_repeats_exactly(tmp_path):
    from models.score import Scorer

    first = train_tiny(tmp_path / "a")
    assert first["epochs"] == 1 and first["data"]["demo_bot"] is True
    assert first["final_losses"]["train_mse"] > 0
    assert first["command"].startswith("python main.py models train-encoder")
    scorer = Scorer.load(tmp_path / "a")
    picture = np.random.default_rng(2).integers(0, 256, (40, 50, 3), dtype=np.uint8)
    assert scorer.score(picture, picture) == 10.0
    again = train_tiny(tmp_path / "b")
    assert again["weights"]["sha256"] == first["weights"]["sha256"]   # same seed, same bytes
