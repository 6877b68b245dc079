"""The leaderboard: saved paintings (PNG files) and their rows in one SQLite file.

Written for machines that get switched off at the wall and for two game processes sharing
one data folder: every painting is on disk before its row exists, writes go through WAL with
a busy timeout, and a damaged database is moved aside instead of stopping the game.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock_time
from pathlib import Path
from types import TracebackType

import numpy as np
from PIL import Image

from game import store_schema
from game.file_names import display_text, escaped_text
from game.files import fsync_folder, make_empty_file, make_folder, open_new_file
from game.names import (  # re-exported: callers may import name validation from here
    NAME_BAD_CHARACTERS,
    NAME_EMPTY,
    NAME_MAX,
    NAME_TOO_LONG,
    NameRejected,
    validate_name,
)
from game.store_schema import SCORE_SCALE  # re-exported: the scale the board ranks

log = logging.getLogger(__name__)

MODES = ("solo", "party", "kiosk")
# How the attempt was made: painted in the game, or a picture the player brought (game.round).
ORIGINS = ("painted", "uploaded")
# Long enough to ride out the other process's commit (a PNG is written before, not during,
# the transaction), short enough that a wedged lock surfaces as an error, not a freeze.
BUSY_TIMEOUT_MS = 10_000
# Temp files younger than this may belong to another process saving right now.
STALE_TEMP_SECONDS = 3600
TEMP_SUFFIX = ".png.tmp"
PAINTINGS_FOLDER = "paintings"   # beside the database unless a caller says otherwise
# Fixed width, always UTC: plain text comparison then orders and filters by time correctly.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"
_CORRUPTION_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


@dataclass(frozen=True)
class ScoreRow:
    id: int
    name: str
    score: float | None  # None until scoring lands, or when a model failed
    content_id: str
    style_id: str
    content_title: str
    style_title: str
    created_at: datetime  # tz-aware UTC
    painting_path: Path
    round_seconds: int
    mode: str
    origin: str = "painted"


# Re-exported so tests (and a future game) can extend the list; _connect passes it on.
MIGRATIONS = store_schema.MIGRATIONS

_COLUMNS = (
    "id, name, score, content_id, style_id, content_title, style_title, created_at, "
    "painting_path, round_seconds, mode, origin"
)
# Best score first, unscored rows last, ties to whoever got there first.
_RANK_ORDER = "score IS NULL, score DESC, created_at, id"


class _Damaged(Exception):
    """The database file is not a usable SQLite database."""


def _is_corruption(err: sqlite3.DatabaseError) -> bool:
    # Only damage counts: "database is locked" is a DatabaseError too and must not make us
    # move a healthy file aside.
    code = getattr(err, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _CORRUPTION_CODES


def _use_wal(db: sqlite3.Connection, db_path: Path) -> None:
    """Switch to WAL, retrying while another process is opening the same new file.

    SQLite answers "locked" at once, without its busy handler, when two connections race
    to change the journal mode, so the retry has to live here.
    """
    if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as err:
            code = getattr(err, "sqlite_errorcode", 0) & 0xFF
            if code not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
    if mode != "wal":
        # e.g. some network file systems; still correct, just slower under contention.
        log.warning("%s could not use WAL (journal mode %s)", db_path, mode)


def _connect(db_path: Path) -> sqlite3.Connection:
    """Open, check, configure and migrate; raise _Damaged if the file is not usable."""
    make_empty_file(db_path)   # private before SQLite creates it (docs/files.md)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves; single statements autocommit.
    db = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise _Damaged("; ".join(problems[:3]))
        _use_wal(db, db_path)
        # FULL in WAL mode fsyncs each commit: a kiosk unplugged mid-game keeps every score
        # it showed as saved. Commits are rare (one per round), so the cost is invisible.
        db.execute("PRAGMA synchronous = FULL")
        store_schema.migrate(db, db_path, MIGRATIONS)
    except sqlite3.DatabaseError as err:
        db.close()
        if _is_corruption(err):
            raise _Damaged(str(err)) from err
        raise
    except BaseException:
        db.close()
        raise
    return db


def _move_aside(db_path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to <name>.corrupt-<UTC timestamp>."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}")
    attempt = 1
    while target.exists():
        target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}-{attempt}")
        attempt += 1
    for suffix in ("", "-wal", "-shm"):
        try:
            os.replace(f"{db_path}{suffix}", f"{target}{suffix}")
        except FileNotFoundError:
            pass
    return target


def _checked_painting(painting: np.ndarray) -> np.ndarray:
    if painting.ndim != 3 or painting.shape[2] != 3 or painting.dtype != np.uint8:
        raise ValueError(
            f"a painting must be an (H, W, 3) uint8 array, not {painting.shape} {painting.dtype}"
        )
    return np.ascontiguousarray(painting)


def _checked_score(score: float | None) -> float | None:
    if score is None:
        return None
    if isinstance(score, bool) or not math.isfinite(score):
        # SQLite would store NaN as NULL, silently turning a broken score into "unscored".
        raise ValueError(f"a score must be a finite number or None, not {score!r}")
    return float(score)


def _utc_text(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("`when` must be timezone-aware; naive times are ambiguous")
    return when.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _board_filter(painted_only: bool) -> tuple[str, list]:
    """The WHERE clause and its parameters of the rows the board ranks."""
    if painted_only:
        return "WHERE score_scale = ? AND origin = 'painted'", [SCORE_SCALE]
    return "WHERE score_scale = ?", [SCORE_SCALE]


def _utc_bounds_of_local_day(day: date) -> tuple[str, str]:
    # astimezone() on a naive datetime reads it as local time, DST included.
    start = datetime.combine(day, clock_time.min).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), clock_time.min).astimezone(timezone.utc)
    return start.strftime(_TIME_FORMAT), end.strftime(_TIME_FORMAT)


class Leaderboard:
    """Scores and paintings for one data folder; safe to share between processes."""

    def __init__(self, db_path: Path, paintings_dir: Path | None = None) -> None:
        self.db_path = Path(db_path).absolute()
        folder = self.db_path.parent / PAINTINGS_FOLDER if paintings_dir is None else paintings_dir
        self.paintings_dir = Path(folder).absolute()
        # Set when the old database was damaged and moved aside; shown once to staff.
        self.notice: str | None = None
        make_folder(self.db_path.parent)
        make_folder(self.paintings_dir)
        self._remove_stale_temp_files()
        self._db: sqlite3.Connection = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return _connect(self.db_path)
        except _Damaged as err:
            moved_to = _move_aside(self.db_path)
            log.error("leaderboard %s is damaged (%s); moved to %s", self.db_path, err, moved_to)
            self.notice = (
                "The leaderboard file was damaged, so a new, empty leaderboard was started. "
                f"The old file was moved to {moved_to}"
            )
            return _connect(self.db_path)

    def _remove_stale_temp_files(self) -> None:
        # Left behind when a save was cut off before its rename; never has a row.
        cutoff = time.time() - STALE_TEMP_SECONDS
        for temp in self.paintings_dir.glob(f".*{TEMP_SUFFIX}"):
            try:
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
            except OSError:
                pass  # another process removed it first, or it is still open on Windows

    def _write_png(self, painting: np.ndarray) -> Path:
        """Write under a temp name, fsync, then rename: the final name is always whole."""
        final = self.paintings_dir / f"{uuid.uuid4().hex}.png"
        temp = self.paintings_dir / f".{final.stem}{TEMP_SUFFIX}"
        try:
            with open_new_file(temp) as handle:
                Image.fromarray(painting).save(handle, format="PNG")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        fsync_folder(self.paintings_dir)
        return final

    def _stored_path(self, file: Path) -> str:
        # Relative to the database's folder, so the data folder can be moved or copied whole.
        try:
            return file.relative_to(self.db_path.parent).as_posix()
        except ValueError:
            # SQLite takes only UTF-8; a folder name that is not would raise on INSERT.
            return escaped_text(str(file))

    def _row(self, values: tuple) -> ScoreRow:
        (row_id, name, score, content_id, style_id, content_title, style_title,
         created_at, painting_path, round_seconds, mode, origin) = values
        return ScoreRow(
            id=row_id,
            name=name,
            score=score,
            content_id=content_id,
            style_id=style_id,
            content_title=content_title,
            style_title=style_title,
            created_at=datetime.fromisoformat(created_at),
            painting_path=self.db_path.parent / painting_path,  # an absolute path wins
            round_seconds=round_seconds,
            mode=mode,
            origin=origin,
        )

    def add(
        self,
        name: str,
        score: float | None,
        content_id: str,
        style_id: str,
        painting: np.ndarray,
        *,
        content_title: str = "",
        style_title: str = "",
        round_seconds: float = 0,
        mode: str = "solo",
        origin: str = "painted",
        when: datetime | None = None,
    ) -> ScoreRow:
        """Save the painting, then its row. Raises NameRejected for a bad name."""
        clean_name = validate_name(name)
        clean_score = _checked_score(score)
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}; expected one of {ORIGINS}")
        image = _checked_painting(painting)
        created = _utc_text(when if when is not None else datetime.now(timezone.utc))
        file = self._write_png(image)
        # Ids and titles may come from file names that are not UTF-8 (game/file_names.py):
        # ids keep every byte as an escape, titles become printable; SQLite takes both.
        values = (
            clean_name, clean_score, escaped_text(str(content_id)), escaped_text(str(style_id)),
            display_text(content_title), display_text(style_title), created,
            self._stored_path(file), int(round(round_seconds)), mode, origin,
        )
        try:
            # One autocommitted statement: if it raises, nothing was written.
            cursor = self._db.execute(
                "INSERT INTO scores (name, score, content_id, style_id, content_title, "
                "style_title, created_at, painting_path, round_seconds, mode, origin, "
                "score_scale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, SCORE_SCALE),
            )
        except BaseException:
            file.unlink(missing_ok=True)  # no row will ever point at it
            raise
        row_id = cursor.lastrowid
        assert row_id is not None
        return self._row((row_id, *values))

    def set_score(self, row_id: int, score: float | None) -> bool:
        """Give a row its score (it was signed before scoring landed); False: no such row."""
        clean_score = _checked_score(score)
        cursor = self._db.execute("UPDATE scores SET score = ? WHERE id = ?",
                                  (clean_score, int(row_id)))
        return cursor.rowcount == 1

    def top(self, limit: int = 10, *, day: date | None = None,
            painted_only: bool = False) -> list[ScoreRow]:
        """Best rows on today's score scale first; `day` keeps only rows saved on that local
        calendar date, `painted_only` leaves out pictures players brought."""
        if limit <= 0:
            return []
        where, params = _board_filter(painted_only)
        if day is not None:
            where += " AND created_at >= ? AND created_at < ?"
            params += list(_utc_bounds_of_local_day(day))
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM scores {where} ORDER BY {_RANK_ORDER} LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [self._row(values) for values in rows]

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM scores").fetchone()[0])

    def rank_of(self, row_id: int, painted_only: bool = False) -> int | None:
        """1-based all-time position in the same order as top(); None for an unknown id, a
        row scored on an earlier scale, or an uploaded row when `painted_only`."""
        where, params = _board_filter(painted_only)
        found = self._db.execute(
            f"SELECT position FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY {_RANK_ORDER}) "
            f"AS position FROM scores {where}) WHERE id = ?",
            (*params, row_id),
        ).fetchone()
        return None if found is None else int(found[0])

    def close(self) -> None:
        self._db.close()  # closing twice is harmless in sqlite3

    def __enter__(self) -> Leaderboard:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
