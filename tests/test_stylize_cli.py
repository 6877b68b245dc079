"""`python main.py stylize` as a user runs it (offline stand-ins: no weights here)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def run(args, tmp_path, timeout=300):
    env = dict(os.environ, STYLE_DUEL_MODELS=str(tmp_path / "no-models"))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "stylize", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def pair(tmp_path):
    y, x = np.mgrid[0:90, 0:120]
    content = np.stack([x * 2, y * 2, np.full_like(x, 128)], -1).astype(np.uint8)
    style = np.zeros((64, 64, 3), np.uint8)
    style[::8] = (240, 200, 20)                   # yellow stripes on black
    paths = tmp_path / "content.png", tmp_path / "style.png"
    Image.fromarray(content).save(paths[0])
    Image.fromarray(style).save(paths[1])
    return paths


def test_magenta_slot_offline_writes_a_stylised_png(pair, tmp_path):
    out = tmp_path / "out.png"
    proc = run([str(pair[0]), str(pair[1]), "--engine", "magenta", "--size", "96",
                "--out", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "studio filter (offline)" in proc.stdout
    picture = np.asarray(Image.open(out).convert("RGB"))
    assert picture.shape == (72, 96, 3)              # long side 96, aspect kept
    content = np.asarray(Image.open(pair[0]).convert("RGB").resize((96, 72)))
    assert np.abs(picture.astype(int) - content).mean() > 10     # not the photo again


def test_gatys_slot_offline_shows_progress_and_writes_png(pair, tmp_path):
    out = tmp_path / "g.png"
    proc = run([str(pair[0]), str(pair[1]), "--engine", "gatys", "--size", "48",
                "--seconds", "4", "--out", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "untrained features (offline)" in proc.stdout
    assert "%" in proc.stderr and "iteration" in proc.stderr      # the progress bar
    assert np.asarray(Image.open(out)).shape == (36, 48, 3)


def test_bad_image_is_a_clear_message(tmp_path, pair):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not an image")
    proc = run([str(broken), str(pair[1]), "--out", str(tmp_path / "x.png")], tmp_path)
    assert proc.returncode == 1
    assert "broken.jpg" in proc.stderr and "Traceback" not in proc.stderr
