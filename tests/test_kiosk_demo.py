"""The kiosk plays itself end to end in a separate process: `main.py demo --kiosk`.

One demo run (about two minutes) is shared by every test here.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent

# Every kiosk scene, English then Romanian; "*" matches the round and shot number.
EXPECTED = ("title", "attract_empty", "setup", "paint", "reveal", "name_entry", "leaderboard",
            "gallery", "gallery_painting", "attract_timelapse", "still_there",
            "attract_round_ended", "ro_title", "ro_attract_timelapse", "ro_setup", "ro_paint",
            "ro_reveal", "ro_name_entry", "ro_leaderboard")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("kiosk-demo")
    shots, home = root / "shots", root / "home"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    # The demo writes only to a throw-away folder; --keep-data keeps it to look at.
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--kiosk",
                           "--rounds", "3", "--screenshots", str(shots), "--seed", "5",
                           "--keep-data", str(home)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    return proc, shots, home


def shot(shots, name):
    found = sorted(shots.glob(f"r*_*_{name}.png"))
    assert found, (name, sorted(p.name for p in shots.glob("*.png")))
    return np.asarray(Image.open(found[0]).convert("RGB"), dtype=np.float32)


def test_demo_exits_cleanly_through_the_admin_chord(demo):
    proc, shots, _ = demo
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "screenshots" in proc.stdout


@pytest.mark.parametrize("name", EXPECTED)
def test_demo_screenshots_every_kiosk_scene(demo, name):
    _, shots, _ = demo
    assert shot(shots, name).std() > 10        # a real screen, not a blank frame


def test_still_there_warning_dims_the_round(demo):
    _, shots, _ = demo
    warning, paint = shot(shots, "still_there"), shot(shots, "paint")
    corner = (slice(0, 60), slice(0, 200))     # (y, x): the round's title, outside the panel
    assert warning[corner].mean() < paint[corner].mean() - 3


def test_names_typed_on_the_keyboard_and_the_gallery_on_disk(demo):
    _, _, home = demo
    with sqlite3.connect(home / "data" / "leaderboard.sqlite3") as db:
        rows = sorted(db.execute("SELECT name, mode FROM scores").fetchall())
    assert rows == [("Ada", "kiosk"), ("Ștefan", "kiosk")]
    # Round 2 was abandoned mid-round and discarded: two paintings in the gallery, not three.
    entries = [p for p in (home / "data" / "gallery").iterdir() if (p / "meta.json").is_file()]
    assert len(entries) == 2


def test_a_visitor_who_finishes_a_long_round_reaches_the_reveal_first_time(tmp_path):
    """With 90-s rounds the visitor bot's plan ends long before the clock: it presses F as a
    visitor does, instead of standing silent until the idle rule discards the painting (the
    demo once went attract -> setup -> paint -> attract 19 times before one reveal)."""
    shots, home = tmp_path / "shots", tmp_path / "home"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               STYLE_DUEL_HOME=str(home))
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--kiosk",
                           "--rounds", "1", "--seconds", "90", "--screenshots", str(shots),
                           "--seed", "2"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = sorted(p.name for p in shots.glob("*.png"))
    assert len([n for n in names if n.endswith("_paint.png")]) == 1, names
    assert any(n.endswith("_reveal.png") for n in names), names
    assert not any("attract_round_ended" in n for n in names), names


def test_demo_brings_an_out_of_range_round_length_inside_and_says_so(capsys):
    sys.path.insert(0, str(ROOT))
    from main import demo_seconds
    assert demo_seconds(5) == 30 and demo_seconds(45) == 45 and demo_seconds(9000) == 600
    out = capsys.readouterr().out.splitlines()
    assert out == ["demo: rounds last 30 s (--seconds 5 is below the 30 s floor)",
                   "demo: rounds last 600 s (--seconds 9000 is above the 600 s ceiling)"]
