"""One file-mode policy (issue 9, docs/files.md): what the game writes is private.

Files 0600 and the folders the game makes 0700, whatever the umask: visitors' names on a
museum kiosk are personal data. Each test saves through the real writer, under a common
umask, then reads the modes back.
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.contact_sheet import PartySheet, render_contact_sheet, save_contact_sheet
from game.gallery import Gallery
from game.i18n import Strings
from game.nst.result_cache import ResultCache
from game.store import Leaderboard
from game.supervisor import SupervisorSettings, run_supervisor
from models.messages import Result, Snapshot

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

FILE_MODE, FOLDER_MODE = 0o600, 0o700
PIXELS = np.full((24, 32, 3), 140, np.uint8)


@pytest.fixture(params=[0o022, 0o002, 0o000], ids=["umask022", "umask002", "umask000"])
def umask(request):
    """Common umasks; each would leave other users able to read what is written."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private(root: Path, made: Path) -> None:
    """Every folder from made down is FOLDER_MODE and every file under it FILE_MODE."""
    found = {}
    folder = made
    while folder != root:
        found[folder] = mode(folder)
        folder = folder.parent
    for path in made.rglob("*"):
        found[path] = mode(path)
    wrong = {str(p.relative_to(root)): oct(m) for p, m in found.items()
             if m != (FOLDER_MODE if p.is_dir() else FILE_MODE)}
    assert wrong == {}


def test_a_signed_painting_and_its_leaderboard_are_private(tmp_path: Path, umask) -> None:
    data = tmp_path / "home" / "data"
    with Leaderboard(data / "leaderboard.sqlite3") as board:
        row = board.add("Ada", 5.0, "c", "s", PIXELS)
        assert row.painting_path.is_file()
        assert (data / "leaderboard.sqlite3-wal").exists()    # WAL files copy the db's mode
        assert_private(tmp_path, tmp_path / "home")


def test_a_gallery_entry_is_private(tmp_path: Path, umask) -> None:
    gallery = Gallery(tmp_path / "data" / "gallery")
    entry = gallery.add(PIXELS, {"magenta": PIXELS}, [], canvas_size=(32, 24), canvas_seed=1,
                        content_title="Cat", style_title="Waves")
    gallery.set_score(entry.entry_id, 6.0)                 # meta.json rewritten
    assert_private(tmp_path, tmp_path / "data")


def test_a_party_sheet_is_private(tmp_path: Path, umask) -> None:
    pygame.font.init()
    sheet = render_contact_sheet(PartySheet("2026-01-01", [], []), Strings("en"))
    saved = save_contact_sheet(sheet, tmp_path / "data" / "parties", "party-2026-01-01")
    assert saved.is_file()
    assert_private(tmp_path, tmp_path / "data")


def test_the_result_cache_is_private(tmp_path: Path, umask) -> None:
    cache = ResultCache(tmp_path / "data" / "nst-cache")
    assert cache.put("k" * 64, Result("j", "magenta", "Magenta", PIXELS, 1.0, 1, True))
    reel = [Snapshot(0.5 * n, n, PIXELS[:, :20 + n]) for n in range(3)]  # Gatys's reel too
    assert cache.put("g" * 64, Result("j", "gatys", "Gatys", PIXELS, 9.0, 20, False,
                                      snapshots=reel))
    assert (tmp_path / "data" / "nst-cache" / f"{'g' * 64}.reel.jpg").exists()
    assert_private(tmp_path, tmp_path / "data")


def test_the_supervisor_log_is_private(tmp_path: Path, umask) -> None:
    log = tmp_path / "data" / "supervisor.log"
    settings = SupervisorSettings(command=[sys.executable, "-c", "raise SystemExit(3)"],
                                  log_path=log, max_restarts=1)
    run_supervisor(settings, sleep=lambda seconds: None)
    assert log.is_file()
    assert_private(tmp_path, tmp_path / "data")


def test_an_existing_data_folder_keeps_the_mode_staff_gave_it(tmp_path: Path, umask) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o750)
    with Leaderboard(shared / "leaderboard.sqlite3") as board:
        board.add("Ada", 5.0, "c", "s", PIXELS)
    assert mode(shared) == 0o750
    assert_private(shared, shared / "paintings")
    assert mode(shared / "leaderboard.sqlite3") == FILE_MODE


def test_the_settings_file_and_its_folder_are_private(tmp_path: Path, umask) -> None:
    from game.config import GameConfig, save_config
    path = save_config(GameConfig(), tmp_path / "home" / "config" / "config.toml")
    assert path.is_file()
    assert_private(tmp_path, tmp_path / "home")


def test_a_saved_duel_is_private(tmp_path: Path, umask) -> None:
    from test_duel_export import Collect, duel_job

    from game.duel_export import run_export
    pipe = Collect()
    run_export(duel_job(tmp_path / "data" / "duels"), pipe)
    assert pipe.sent[-1].stage == "done" and len(pipe.sent[-1].paths) == 3
    assert_private(tmp_path, tmp_path / "data")
