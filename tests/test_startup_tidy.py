"""Start-up tidy (issue 9): what a save killed half-way leaves behind is removed at start-up.

After 110 SIGKILLs during saving, 37 painting PNGs had no leaderboard row and 44 .png.tmp
files stayed. These tests make such leftovers on disk and start the game's services the way
the launcher does, then look at which files remain.
"""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import numpy as np
import pygame
import pytest
from PIL import Image

from game.config import GameConfig
from game.launcher import build_services
from game.paths import default_config_path
from game.startup_tidy import ORPHAN_AGE_SECONDS, DataFolders, tidy_data_folder
from game.store import Leaderboard

PIXELS = np.full((6, 8, 3), 120, np.uint8)
LONG_AGO = ORPHAN_AGE_SECONDS * 10


def aged(path: Path, seconds: float = LONG_AGO) -> Path:
    when = time.time() - seconds
    os.utime(path, (when, when))
    return path


def png(path: Path, seconds: float = LONG_AGO) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(PIXELS).save(path)
    return aged(path, seconds)


def leftover(path: Path, seconds: float = LONG_AGO) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half a file")
    return aged(path, seconds)


def painting_name() -> str:
    return f"{uuid.uuid4().hex}.png"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def start_game(data: Path, leaderboard_file: str = "") -> None:
    """What start-up does before the title screen (game/launcher.py)."""
    config = GameConfig()
    config.paths.data_dir = str(data)
    config.paths.leaderboard_file = leaderboard_file
    build_services(config, default_config_path(), [])
    pygame.quit()


def saved_painting(db_path: Path, name: str = "Ada") -> Path:
    with Leaderboard(db_path) as board:
        row = board.add(name, 5.0, "c", "s", PIXELS)
    return aged(row.painting_path)


def test_start_up_removes_killed_saves_and_keeps_everything_else(data: Path) -> None:
    signed = saved_painting(data / "leaderboard.sqlite3")
    paintings = data / "paintings"
    orphan = png(paintings / painting_name())
    saving_now = png(paintings / painting_name(), seconds=1)   # another process, mid-save
    staff_file = png(paintings / "poster.png")                 # not a name the store makes
    temps = [leftover(paintings / f".{uuid.uuid4().hex}.png.tmp"),
             leftover(data / "gallery" / "20260101T120000000000-0123abcd" / ".meta-1a2b3c4d.tmp"),
             leftover(data / "parties" / ".party-2026-01-01-1200.k3j_x9.png.tmp")]
    young_temp = leftover(paintings / f".{uuid.uuid4().hex}.png.tmp", seconds=1)
    entry_meta = leftover(data / "gallery" / "20260101T120000000000-0123abcd" / "meta.json")
    sheet = png(data / "parties" / "party-2026-01-01-1200.png")

    start_game(data)

    assert not orphan.exists()
    assert not any(temp.exists() for temp in temps)
    for kept in (signed, saving_now, staff_file, young_temp, entry_meta, sheet):
        assert kept.exists(), kept


def test_paintings_of_another_leaderboard_in_the_same_folder_are_kept(data: Path) -> None:
    ours = saved_painting(data / "leaderboard.sqlite3")
    the_fairs = saved_painting(data / "fair.sqlite3", "Bo")     # shares data/paintings
    orphan = png(data / "paintings" / painting_name())
    start_game(data)
    assert ours.exists() and the_fairs.exists() and not orphan.exists()
    start_game(data, leaderboard_file="fair.sqlite3")
    assert ours.exists() and the_fairs.exists()


def test_a_damaged_database_keeps_the_paintings_it_may_still_name(data: Path) -> None:
    saved_painting(data / "leaderboard.sqlite3")
    # Moved aside by the store after damage: unreadable, so its rows are unknown; only
    # paintings saved after it stopped being written cannot be in it.
    damaged = leftover(data / "leaderboard.sqlite3.corrupt-20260101T000000Z",
                       seconds=LONG_AGO)
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(2000))
    aged(damaged, LONG_AGO)
    before = png(data / "paintings" / painting_name(), seconds=LONG_AGO * 2)
    after = png(data / "paintings" / painting_name(), seconds=LONG_AGO / 2)
    start_game(data)
    assert before.exists() and not after.exists()


def test_the_tidy_reports_what_it_removed_and_creates_nothing(tmp_path: Path) -> None:
    folders = DataFolders(leaderboard=tmp_path / "none" / "leaderboard.sqlite3",
                          gallery=tmp_path / "none" / "gallery",
                          parties=tmp_path / "none" / "parties")
    report = tidy_data_folder(folders)
    assert report.removed == [] and not (tmp_path / "none").exists()
    temp = leftover(tmp_path / "none" / "paintings" / ".0123.png.tmp")
    assert tidy_data_folder(folders).removed == [temp]
