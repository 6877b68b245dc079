"""The leaderboard's SQLite schema: its migrations, in order, and how they are applied.

Each migration upgrades a database from user_version i to i + 1 inside one transaction, so
a kill mid-upgrade leaves the old schema whole. Two game processes may open one file at
once: the version is re-read under the write lock.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("game.store")


def _migration_1_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE scores (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            score REAL,
            content_id TEXT NOT NULL,
            style_id TEXT NOT NULL,
            content_title TEXT NOT NULL DEFAULT '',
            style_title TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            painting_path TEXT NOT NULL,
            round_seconds INTEGER NOT NULL DEFAULT 0,
            -- No CHECK on mode: SQLite cannot alter a CHECK without rebuilding the table,
            -- and new modes are planned. Python validates against MODES instead.
            mode TEXT NOT NULL DEFAULT 'solo'
        )
        """
    )
    # Matches _RANK_ORDER term for term so top() and rank_of() walk the index.
    db.execute("CREATE INDEX scores_by_rank ON scores (score IS NULL, score DESC, created_at, id)")
    db.execute("CREATE INDEX scores_by_time ON scores (created_at)")


def _migration_2_score_scale(db: sqlite3.Connection) -> None:
    # Rows saved before this migration were scored by the first score (one global curve, which
    # rewarded palette over painting). They stay in the table and the gallery; the board ranks
    # one scale at a time.
    db.execute("ALTER TABLE scores ADD COLUMN score_scale INTEGER NOT NULL DEFAULT 1")
    db.execute("CREATE INDEX scores_by_scale_rank ON scores "
               "(score_scale, score IS NULL, score DESC, created_at, id)")


def _migration_3_origin(db: sqlite3.Connection) -> None:
    # Every row saved before players could bring their own picture was painted in the game.
    # No CHECK, as for mode: Python validates against store.ORIGINS.
    db.execute("ALTER TABLE scores ADD COLUMN origin TEXT NOT NULL DEFAULT 'painted'")
    # The board's "painted only" filter walks this one (it matches _RANK_ORDER term for term).
    db.execute("CREATE INDEX scores_by_origin_rank ON scores "
               "(score_scale, origin, score IS NULL, score DESC, created_at, id)")


# Append-only. Entry i upgrades a database from user_version i to i + 1, in one transaction.
# Never edit a shipped entry: players' databases have already run it.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migration_1_initial, _migration_2_score_scale, _migration_3_origin)
# The scale new rows are scored on; the board shows only rows on it. Raise it whenever the
# score changes meaning (2: the three-part score of docs/score.md, 2026-12).
SCORE_SCALE = 2

def _user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, db_path: Path,
            migrations: tuple[Callable[[sqlite3.Connection], None], ...] = MIGRATIONS) -> None:
    """Run every migration the file has not had, one transaction each."""
    found = _user_version(db)
    if found > len(migrations):
        # A newer game wrote this file. Migrations only add, so carry on rather than refuse.
        log.warning("%s is schema %d; this game knows %d", db_path, found, len(migrations))
    for number, migration in enumerate(migrations, start=1):
        if _user_version(db) >= number:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have just migrated.
            if _user_version(db) < number:
                migration(db)
                db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        log.info("%s migrated to schema %d", db_path, number)
