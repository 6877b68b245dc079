"""Start-up tidy: remove what saves cut off by a crash or a pulled plug left behind.

A save writes a hidden temp file, renames it, and (for a painting) then adds its leaderboard
row. Killed in between, it leaves a `.….tmp` file, or a painting PNG that no row names: on a
kiosk killed 110 times while saving, 44 temp files and 37 such PNGs (issue 9). Neither was
ever reported as saved to the player, so both are removed, once they are old enough that no
other game process can still be in the middle of that save.

Why remove a row-less painting rather than restore its row: the row is what was lost, and
with it the name, score and pair; a made-up row would put an unsigned painting on the public
board, and a PNG with no row is never shown, only filling an unattended kiosk's disk.

A painting is only removed when no leaderboard in its folder names it: the database folder
may hold several (`paths.leaderboard_file`) sharing one paintings/ folder. A database that
cannot be read (damaged and moved aside, or busy) keeps every painting older than its last
write, since it may name any of those.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from game.config import GameConfig, leaderboard_path, resolved_data_dir
from game.store import BUSY_TIMEOUT_MS, PAINTINGS_FOLDER

log = logging.getLogger(__name__)

# A save renames its PNG and commits its row within the store's busy timeout (10 s), and
# writes a temp file in well under that; six times as long is clearly abandoned.
ORPHAN_AGE_SECONDS = 60
# Only names the game makes are ever removed: uuid4().hex PNGs (game/store.py), and hidden
# temp files (store, gallery meta, contact sheet); a file staff put there is left alone.
_PAINTING_NAME = re.compile(r"^[0-9a-f]{32}\.png$")
_TEMP_NAME = re.compile(r"^\..+\.tmp$")
# A duel export (game/duel_export.py) writes `.partial-*` files; one may legitimately take
# minutes on a busy machine, so only those left this long are taken as abandoned.
_PARTIAL_NAME = re.compile(r"^\.partial-.+")
DUEL_PARTIAL_AGE_SECONDS = 600
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class DataFolders:
    """Where the game saves: the leaderboard database and the folders next to it."""

    leaderboard: Path                  # the database file; paintings/ is beside it
    gallery: Path
    parties: Path
    duels: Path | None = None          # <data_dir>/duels: saved duel replays

    @property
    def paintings(self) -> Path:
        return self.leaderboard.parent / PAINTINGS_FOLDER

    @classmethod
    def from_config(cls, config: GameConfig) -> DataFolders:
        data = resolved_data_dir(config)
        return cls(leaderboard=leaderboard_path(config), gallery=data / "gallery",
                   parties=data / "parties", duels=data / "duels")


@dataclass
class TidyReport:
    removed: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)     # logged; start-up goes on


def tidy_data_folder(folders: DataFolders, now: float | None = None) -> TidyReport:
    """Remove abandoned temp files and row-less paintings; never raises, creates nothing."""
    report = TidyReport()
    cutoff = (time.time() if now is None else now) - ORPHAN_AGE_SECONDS
    try:
        for folder in (folders.paintings, folders.parties, folders.gallery,
                       *_subfolders(folders.gallery)):
            for temp in _files(folder, _TEMP_NAME):
                _remove_if_older(temp, cutoff, report)
        _remove_orphan_paintings(folders, cutoff, report)
        if folders.duels is not None:
            duel_cutoff = cutoff + ORPHAN_AGE_SECONDS - DUEL_PARTIAL_AGE_SECONDS
            for partial in _files(folders.duels, _PARTIAL_NAME):
                _remove_if_older(partial, duel_cutoff, report)
    except Exception as exc:  # noqa: BLE001 - a tidy must never stop the game starting
        log.exception("start-up tidy stopped early")
        report.problems.append(f"tidy stopped early: {exc!r}")
    if report.removed:
        log.info("start-up tidy removed %d abandoned file(s)", len(report.removed))
    for problem in report.problems:
        log.warning("start-up tidy: %s", problem)
    return report


def _remove_orphan_paintings(folders: DataFolders, cutoff: float, report: TidyReport) -> None:
    candidates = _files(folders.paintings, _PAINTING_NAME)
    if not candidates:
        return                         # and no database is opened for nothing
    named, unreadable_since = _paintings_named(folders.leaderboard.parent, report)
    for painting in candidates:
        # Nothing saved after an unreadable database's last write can be in it.
        if os.path.normpath(painting) not in named:
            _remove_if_older(painting, cutoff, report, after=unreadable_since)


def _paintings_named(db_folder: Path, report: TidyReport) -> tuple[set[str], float | None]:
    """Paths every leaderboard in db_folder names, and the newest unreadable one's mtime."""
    named: set[str] = set()
    unreadable_since: float | None = None
    for candidate in _files(db_folder, None):
        if not _looks_like_sqlite(candidate):
            continue
        try:
            stored = _stored_paintings(candidate)
        except sqlite3.Error as exc:
            report.problems.append(f"cannot read {candidate.name} ({exc}); "
                                   "keeping paintings it may name")
            try:
                mtime = candidate.stat().st_mtime
            except OSError:
                mtime = time.time()    # gone meanwhile: be careful anyway
            unreadable_since = max(mtime, unreadable_since or mtime)
            continue
        # Stored relative to the database's folder (game/store.py); an absolute one wins.
        named.update(os.path.normpath(db_folder / path) for path in stored if path)
    return named, unreadable_since


def _stored_paintings(db_path: Path) -> list[str]:
    """painting_path of every row; [] for a SQLite file that is not a leaderboard."""
    uri = f"{db_path.absolute().as_uri()}?mode=ro"     # read-only: never migrates or creates
    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "scores" not in tables:
            return []
        return [row[0] for row in db.execute("SELECT painting_path FROM scores")]


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def _files(folder: Path, name: re.Pattern[str] | None) -> list[Path]:
    try:
        entries = list(os.scandir(folder))
    except OSError:                    # missing (nothing saved yet) or unreadable
        return []
    return [folder / entry.name for entry in entries
            if (name is None or name.match(entry.name)) and _is_file(entry)]


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [folder / entry.name for entry in os.scandir(folder)
                if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _remove_if_older(path: Path, cutoff: float, report: TidyReport,
                     after: float | None = None) -> None:
    try:
        mtime = path.stat().st_mtime
        if mtime < cutoff and (after is None or mtime > after):
            path.unlink()
            report.removed.append(path)
    except FileNotFoundError:
        pass                           # another process tidied it first
    except OSError as exc:
        report.problems.append(f"cannot remove {path.name}: {exc.strerror or exc}")
