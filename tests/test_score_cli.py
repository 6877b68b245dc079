"""`python main.py score`: one JSON line per painting, the reveal's numbers, bad files named."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from game.image_loader import load_rgb
from game.round import round_score
from models import score_canvases as canvases
from models.encoder_data import load_art, studio_picture

ROOT = Path(__file__).resolve().parents[1]


def run_score(*args: str) -> tuple[int, list[dict], str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "score", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, lines, proc.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Two machine pictures of one pair and paintings from good to trivial, as PNG files."""
    folder = tmp_path_factory.mktemp("score")
    photo, style = load_art("content", "coffee"), load_art("style", "night_impasto")
    magenta, gatys = studio_picture(photo, style, 0), studio_picture(photo, style, 1)
    pictures = {"magenta.png": magenta, "gatys.png": gatys, "photo.png": photo,
                "flat fill.png": canvases.flat(magenta),
                "ţară upside down.png": canvases.upside_down(magenta)}
    paths = {}
    for name, picture in pictures.items():
        paths[name] = folder / name
        Image.fromarray(picture).save(paths[name])
    paths["broken.png"] = folder / "broken.png"
    paths["broken.png"].write_bytes(b"\x89PNG\r\n\x1a\n this is not a picture")
    paths["missing.png"] = folder / "missing.png"
    return paths


def test_each_painting_gets_one_line_in_order_with_the_reveals_numbers(files):
    refs = [str(files["magenta.png"]), str(files["gatys.png"])]
    paintings = ["photo.png", "broken.png", "flat fill.png", "missing.png",
                 "ţară upside down.png"]
    code, lines, _ = run_score("--against", refs[0], "--against", refs[1],
                               *(str(files[p]) for p in paintings))
    assert code == 1                                   # two paintings could not be scored
    assert [line["painting"] for line in lines] == [str(files[p]) for p in paintings]
    assert "broken.png" in lines[1]["error"] and "score" not in lines[1]
    assert "does not exist" in lines[3]["error"]

    from models.score import Scorer

    scorer = Scorer.load()
    references = {ref: load_rgb(ref) for ref in refs}
    for line, name in zip(lines, paintings):
        if "error" in line:
            continue
        assert set(line) == {"painting", "score", "parts", "cost", "vs"}
        verdict = scorer.verdict(load_rgb(files[name]), references)
        assert line["score"] == verdict.score
        assert line["parts"] == verdict.parts and line["cost"] == verdict.cost
        assert line["vs"] == verdict.vs and list(line["vs"]) == refs
        assert line["score"] == round_score(line["vs"][refs[0]], line["vs"][refs[1]])
    photo, flat, upside = lines[0], lines[2], lines[4]
    assert photo["score"] > 3.0 > max(flat["score"], upside["score"])
    assert flat["score"] <= 0.5 and flat["parts"]["colour"] == 0.0


def test_one_reference_sets_the_score_alone(files):
    ref = str(files["magenta.png"])
    code, lines, _ = run_score("--against", ref, str(files["photo.png"]), ref)
    assert code == 0
    assert lines[0]["score"] == lines[0]["vs"][ref] and list(lines[0]["vs"]) == [ref]
    assert lines[1]["score"] == 10.0
    assert lines[1]["parts"] == {"layout": 10.0, "colour": 10.0, "brushwork": 10.0}


def test_an_unreadable_reference_is_named_on_every_paintings_line(files):
    code, lines, stderr = run_score("--against", str(files["broken.png"]),
                                    str(files["photo.png"]), str(files["magenta.png"]))
    assert code == 1 and len(lines) == 2
    assert all(line["error"].startswith(f"reference {files['broken.png']}") for line in lines)
    assert "broken.png" in stderr


def test_without_paintings_or_references_it_is_a_usage_error(files):
    code, lines, stderr = run_score(str(files["photo.png"]))
    assert code == 2 and lines == [] and "--against" in stderr
    code, lines, stderr = run_score("--against", str(files["magenta.png"]))
    assert code == 2 and lines == []


def test_a_missing_score_model_says_so_in_one_line(files, tmp_path):
    code, lines, stderr = run_score("--model", str(tmp_path), "--against",
                                    str(files["magenta.png"]), str(files["photo.png"]))
    assert code == 2 and lines == []
    assert "score model file is missing" in stderr


def test_pictures_of_different_sizes_and_shapes_are_scored(files, tmp_path):
    wide = np.asarray(Image.open(files["photo.png"]).resize((600, 200)))
    Image.fromarray(wide).save(tmp_path / "wide.png")
    tiny = np.full((20, 30, 3), 90, np.uint8)
    Image.fromarray(tiny).save(tmp_path / "tiny.png")
    code, lines, _ = run_score("--against", str(files["magenta.png"]),
                               str(tmp_path / "wide.png"), str(tmp_path / "tiny.png"))
    assert code == 0
    assert all(0.0 <= line["score"] <= 10.0 for line in lines)
