"""The game plays itself end to end in a separate process, as `make demo` runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SCENES = ("title", "settings", "models", "setup", "catalogue_picker", "paint", "paint_references",
          "pause", "paint_last_seconds", "reveal", "replay", "replay_end", "replay_saved",
          "name_entry", "leaderboard", "settings_artist", "setup_artist")


def run_main(*args: str, env_extra: dict | None = None, timeout: int = 600):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_demo_writes_a_screenshot_of_every_scene(tmp_path):
    out = tmp_path / "shots"
    # Two painted rounds (the second an artist's), then the upload round.
    proc = run_main("demo", "--rounds", "2", "--seconds", "20", "--screenshots", str(out),
                    "--seed", "3", "--keep-data", str(tmp_path / "home"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = sorted(p.name for p in out.glob("*.png"))
    for scene in SCENES:
        assert any(n.endswith(f"_{scene}.png") for n in names), (scene, names)
    # The painting is real: the reveal's painting slot is far from blank paper.
    reveal = next(out.glob("*_reveal.png"))
    pixels = np.asarray(Image.open(reveal).convert("RGB"), dtype=np.float32)
    slot = pixels[130:440, 40:400]                 # (y, x, 3): the painting's slot
    assert slot.std() > 25
    assert "screenshots" in proc.stdout
    # After the painted round, one round brings round 1's painting as the attempt.
    for screen in ("attempt_confirm", "reveal_uploaded", "leaderboard_uploaded",
                   "leaderboard_painted_only"):
        assert any(n.endswith(f"_{screen}.png") for n in names), (screen, names)
    # Round 2 was an artist round, round 3 the upload on round 1's pair.
    assert next(n for n in names if n.endswith("_setup_artist.png")).startswith("r2_")
    import sqlite3
    db = sqlite3.connect(next((tmp_path / "home").rglob("leaderboard.sqlite3")))
    rows = db.execute("SELECT origin, style_id FROM scores ORDER BY id").fetchall()
    assert [origin for origin, _ in rows] == ["painted", "painted", "uploaded"]
    assert rows[1][1].startswith("artist:") and rows[2][1] == rows[0][1]
    # "Save the duel" on round 1's replay: the video, the small animation and the triptych.
    duels = sorted(p.suffix for p in (tmp_path / "home").rglob("duels/duel-*"))
    assert ".mp4" in duels and ".png" in duels and {".gif", ".webp"} & set(duels), duels
    triptych = Image.open(next((tmp_path / "home").rglob("duels/duel-*.png")))
    assert triptych.width >= 1200 and np.asarray(triptych.convert("RGB")).std() > 25


def test_first_frame_is_the_title_and_game_process_has_no_tensorflow():
    proc = run_main(env_extra={"STYLE_DUEL_EXIT_AFTER_FIRST_FRAME": "1"}, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "first-frame scene=title tensorflow=no" in proc.stdout



PARTY_SCREENS = ("en_title", "en_lobby", "en_pass_r1", "en_paint", "en_round1_reveal",
                 "en_replay", "ro_pass_r2", "ro_paint", "ro_round2_reveal", "ro_podium",
                 "ro_podium_saved")


def test_party_demo_plays_two_rounds_in_two_languages_and_saves(tmp_path):
    """The issue's command: three bots, two rounds; the host switches to Romanian."""
    out = tmp_path / "party"
    # The demo writes only to a throw-away folder; --keep-data keeps it to look at.
    proc = run_main("demo", "--party", "3", "--rounds", "2", "--screenshots", str(out),
                    "--keep-data", str(tmp_path / "home"), timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = sorted(p.name for p in out.glob("*.png"))
    for screen in PARTY_SCREENS:
        assert any(n.endswith(f"_{screen}.png") for n in names), (screen, names)
    sheet = Image.open(out / "party_contact_sheet.png")
    assert sheet.width == 1600 and sheet.height > 600
    import sqlite3
    db = sqlite3.connect(next((tmp_path / "home").rglob("leaderboard.sqlite3")))
    rows = db.execute("SELECT name, mode FROM scores").fetchall()
    assert len(rows) == 6 and {mode for _, mode in rows} == {"party"}
    assert {name for name, _ in rows} == {"Ada", "Bruegel", "Cezanne"}
