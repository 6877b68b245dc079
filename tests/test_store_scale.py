"""The board ranks one score scale: rows scored by the first score stay, but off the board."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from game import store
from game.store import Leaderboard


def painting() -> np.ndarray:
    return np.full((12, 16, 3), 120, np.uint8)


def first_scale_board(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A database as the game made it before the three-part score: schema 1, two rows."""
    with monkeypatch.context() as patch:
        patch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:1])
        patch.setattr(Leaderboard, "add", _add_v1)
        with Leaderboard(db_path) as board:
            return [board.add("Old", 9.5, "c", "s", painting()),
                    board.add("Older", 8.0, "c", "s", painting())]


def _add_v1(self, name, score, content_id, style_id, image):
    cursor = self._db.execute(
        "INSERT INTO scores (name, score, content_id, style_id, created_at, painting_path) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (name, score, content_id, style_id, "2026-11-30T10:00:00+00:00",
         str(self._write_png(image))))
    return cursor.lastrowid


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "leaderboard.sqlite3"


def test_old_scale_rows_are_kept_but_not_ranked(db_path, monkeypatch):
    old_ids = first_scale_board(db_path, monkeypatch)
    with Leaderboard(db_path) as board:
        new = board.add("New", 4.0, "c", "s", painting())
        assert [row.name for row in board.top()] == ["New"]
        assert board.rank_of(new.id) == 1
        assert all(board.rank_of(i) is None for i in old_ids)
    with closing(sqlite3.connect(db_path)) as db:
        rows = db.execute("SELECT name, score, score_scale FROM scores ORDER BY id").fetchall()
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
    assert rows == [("Old", 9.5, 1), ("Older", 8.0, 1), ("New", 4.0, store.SCORE_SCALE)]


def test_the_daily_board_also_ranks_one_scale(db_path, monkeypatch):
    first_scale_board(db_path, monkeypatch)
    with Leaderboard(db_path) as board:
        late = board.add("Late", None, "c", "s", painting())
        assert board.top() == [late]                 # unscored, but on today's scale
        assert board.set_score(late.id, 6.5)
        day = board.top()[0].created_at.astimezone().date()
        assert [row.score for row in board.top(day=day)] == [6.5]
