"""The demo never touches a real installation (issue 11, part 3).

A museum's folders (STYLE_DUEL_HOME with a leaderboard and a config, a --config file, a
paths.data_dir) are set up with real data; the demo runs for real beside them, and every
byte of every file there must be as it was, while the demo's own screenshots still
appear. --content / --style are honoured for the round (the setup screen shows the
picture, the bot's leaderboard row names it) and a file that cannot be used is refused
in one line.
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
CONTENT_RGB, STYLE_RGB = (230, 40, 160), (250, 220, 30)      # magenta photo, yellow style
CONTENT_SLOT, STYLE_SLOT = (50, 110, 560, 360), (670, 110, 560, 360)   # x, y, w, h (setup)
NOISE_WORDS = ("ALSA", "XDG_RUNTIME_DIR", "cuda")

pytestmark = pytest.mark.timeout(1200)


def run_main(*args: str, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def game_env(**extra: str) -> dict:
    """Headless video; audio as on a machine without a sound card (tests set the dummy
    driver, which would hide the ALSA chatter the default run must filter)."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", **extra)
    env.pop("SDL_AUDIODRIVER", None)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    return env


def make_museum(root: Path, *, data: Path | None = None) -> Path:
    """A kiosk's folder: config/config.toml and data/ with a leaderboard row + painting."""
    from game.store import Leaderboard

    (root / "config").mkdir(parents=True)
    (root / "config" / "config.toml").write_text(
        '[round]\nseconds = 120\n\n[display]\nlanguage = "en"\n', encoding="utf-8")
    data = data or root / "data"
    data.mkdir(parents=True, exist_ok=True)
    with Leaderboard(data / "leaderboard.sqlite3") as board:
        board.add("Curator", 7.5, "coffee", "night_impasto",
                  np.full((60, 80, 3), 128, np.uint8), content_title="Coffee")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def rows(db: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT name, content_title, style_title FROM scores "
                            "ORDER BY id").fetchall()


def picture(path: Path, colour: tuple[int, int, int], stripes: bool = False) -> Path:
    image = np.zeros((300, 400, 3), np.uint8)
    image[:] = colour
    if stripes:
        image[::20] = (20, 40, 200)       # some structure for the machines and the bot
    else:
        image[100:200, 150:250] = (255, 255, 255)
    Image.fromarray(image).save(path)
    return path


def share_near(shot: Path, box: tuple[int, int, int, int], colour) -> float:
    """The share of a screenshot box's pixels within 40 of `colour` on every channel."""
    x, y, w, h = box
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=np.int16)[y:y + h, x:x + w]
    return float((np.abs(pixels - np.array(colour)).max(axis=2) < 40).mean())


def noise_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if any(word.lower() in line.lower() for word in NOISE_WORDS)]


@pytest.fixture(scope="module")
def museum_run(tmp_path_factory):
    """STYLE_DUEL_HOME is a museum's folder; the demo plays one round with our pictures."""
    root = tmp_path_factory.mktemp("museum-run")
    museum = make_museum(root / "museum")
    before = snapshot(museum)
    photo = picture(root / "magenta_test_photo.png", CONTENT_RGB)
    style = picture(root / "yellow_test_stripes.png", STYLE_RGB, stripes=True)
    shots, kept = root / "shots", root / "kept"
    proc = run_main("demo", "--rounds", "1", "--seconds", "30", "--seed", "3",
                    "--screenshots", str(shots), "--content", str(photo), "--style",
                    str(style), "--keep-data", str(kept),
                    env=game_env(STYLE_DUEL_HOME=str(museum)))
    return proc, museum, before, shots, kept


def test_with_style_duel_home_the_museum_is_untouched(museum_run):
    proc, museum, before, shots, kept = museum_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert snapshot(museum) == before
    assert rows(museum / "data" / "leaderboard.sqlite3") == [("Curator", "Coffee", "")]
    names = sorted(p.name for p in shots.glob("*.png"))
    for scene in ("title", "settings", "setup", "paint", "reveal", "leaderboard"):
        assert any(n.endswith(f"_{scene}.png") for n in names), (scene, names)
    # The bot's scores (its painted round, then the round it brought a picture to) and its
    # visit to Settings went to the kept throw-away folder.
    assert [name for name, _, _ in rows(kept / "data" / "leaderboard.sqlite3")] == \
        ["Ada (bot)", "Bruegel (bot)"]
    assert (kept / "config" / "config.toml").is_file()


def test_content_and_style_from_the_command_line_are_the_rounds_pair(museum_run):
    proc, _, _, shots, kept = museum_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    setup = next(shots.glob("*_setup.png"))
    assert share_near(setup, CONTENT_SLOT, CONTENT_RGB) > 0.3
    assert share_near(setup, STYLE_SLOT, STYLE_RGB) > 0.3
    assert share_near(setup, STYLE_SLOT, CONTENT_RGB) < 0.01
    # The upload round after the painted one keeps the pair too.
    assert rows(kept / "data" / "leaderboard.sqlite3") == \
        [(name, "Magenta Test Photo", "Yellow Test Stripes")
         for name in ("Ada (bot)", "Bruegel (bot)")]
    # The catalogue picker was left alone: both sides were given.
    assert not list(shots.glob("*_catalogue_picker.png"))


def test_the_default_run_keeps_library_chatter_off_stderr(museum_run):
    proc = museum_run[0]
    assert proc.returncode == 0, proc.stderr[-3000:]
    reproduced = chatter_on_this_machine()
    if not reproduced:
        pytest.skip("neither SDL's audio probe nor TensorFlow prints ALSA/cuda lines here")
    assert noise_lines(proc.stderr) == [], reproduced


def chatter_on_this_machine() -> list[str]:
    """What pygame's audio probe and a TensorFlow import print here, unfiltered."""
    env = game_env()
    probes = ["import pygame; pygame.init()",
              "import tensorflow as tf; tf.constant(1.0).numpy()"]
    found = []
    for code in probes:
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=300)
        found += noise_lines(proc.stderr)[:1]
    return found


def test_with_a_config_and_its_data_dir_nothing_there_changes(tmp_path):
    """--config names a kiosk's file whose paths.data_dir is a third folder; the demo reads
    the file but writes nowhere near it, and its temporary folder is gone afterwards."""
    museum = make_museum(tmp_path / "museum")
    data = tmp_path / "kiosk-data"
    make_museum(tmp_path / "other", data=data)
    kiosk_toml = tmp_path / "etc" / "kiosk.toml"
    kiosk_toml.parent.mkdir()
    kiosk_toml.write_text(f'[round]\nseconds = 120\n\n[paths]\ndata_dir = "{data}"\n'
                          f'leaderboard_file = "scores.sqlite3"\n', encoding="utf-8")
    before = {folder: snapshot(folder) for folder in (museum, data, kiosk_toml.parent)}
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    shots = tmp_path / "shots"
    proc = run_main("demo", "--rounds", "1", "--seconds", "30", "--seed", "4",
                    "--config", str(kiosk_toml), "--screenshots", str(shots),
                    env=game_env(STYLE_DUEL_HOME=str(museum), TMPDIR=str(scratch_parent)))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {folder: snapshot(folder) for folder in before} == before
    assert "not used" in proc.stdout                 # the demo says it ignores data_dir
    names = sorted(p.name for p in shots.glob("*.png"))
    for scene in ("title", "settings", "setup", "reveal", "name_entry", "leaderboard"):
        assert any(n.endswith(f"_{scene}.png") for n in names), (scene, names)
    assert not list(scratch_parent.glob("style-duel-demo-*"))      # deleted at the end


@pytest.mark.parametrize("option, name, reason", [
    ("--content", "missing.png", "does not exist"),
    ("--style", "notes.txt", "name does not end in"),
    ("--content", "album.png", "folder"),
])
def test_a_picture_the_demo_cannot_use_is_refused_in_one_line(tmp_path, option, name, reason):
    path = tmp_path / name
    if name == "notes.txt":
        path.write_text("not a picture", encoding="utf-8")
    elif name == "album.png":
        path.mkdir()
    proc = run_main("demo", option, str(path), env=game_env(), timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"main.py demo: {option}: "), proc.stderr
    assert reason in lines[0] and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_a_party_demo_refuses_pictures_it_would_not_use(tmp_path):
    photo = picture(tmp_path / "photo.png", CONTENT_RGB)
    proc = run_main("demo", "--party", "3", "--content", str(photo), env=game_env(),
                    timeout=120)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == "" and "lobby" in proc.stderr


def test_keep_data_never_names_a_real_installation(tmp_path):
    museum = make_museum(tmp_path / "museum")
    before = snapshot(museum)
    proc = run_main("demo", "--keep-data", str(museum), env=game_env(), timeout=120)
    assert proc.returncode == 2, proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1 and "no demo made" in proc.stderr
    assert snapshot(museum) == before
