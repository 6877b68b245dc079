"""The gallery: recent finished paintings for the kiosk's attract mode and time-lapse.

One folder per entry: painting.png, magenta.png / gatys.png, strokes.json.gz and, written last
and atomically, meta.json. An entry exists only once meta.json does, so a save cut off by a
crash or a pulled plug is never shown; such half folders are deleted once clearly abandoned.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import logging
import math
import os
import re
import shutil
import time
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from PIL import Image

from brushes.record import StrokeRecord
from game.file_names import display_text, escaped_text
from game.files import fsync_folder, make_folder, open_new_file

log = logging.getLogger(__name__)

ENGINES = ("magenta", "gatys")
META, PAINTING, STROKES = "meta.json", "painting.png", "strokes.json.gz"
# Younger half folders may be another process saving right now (as in game/store.py).
STALE_SECONDS = 3600
# Fixed-width UTC time first, so plain name order is time order; the suffix keeps two saves
# in the same microsecond apart. Only names like this are ever read or deleted.
_NAME = re.compile(r"^\d{8}T\d{12}-[0-9a-f]{8}$")
_DAMAGED_LOG = (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError, AttributeError)
_DAMAGED_META = (ValueError, KeyError, TypeError)


class GalleryError(OSError):
    """The gallery folder cannot be written (read-only, full disk); the game carries on."""


@dataclass(frozen=True)
class GalleryEntry:
    entry_id: str
    created_at: datetime  # tz-aware UTC
    content_title: str
    style_title: str
    player: str  # "" for anonymous
    score: float | None  # None until scoring lands
    mode: str
    canvas_size: tuple[int, int]  # (width, height): the time-lapse replays on Canvas(w, h, seed)
    canvas_seed: int
    folder: Path
    # The pair's catalogue ids, so a bundled picture's title follows the player's language
    # (catalogue.stored_title); "" in entries saved before they were kept.
    content_id: str = ""
    style_id: str = ""

    # Loaders read on demand: the kiosk cycles many entries and must not hold them all.
    def painting(self) -> np.ndarray:
        """(H, W, 3) uint8; raises OSError if the entry was deleted meanwhile."""
        with Image.open(self.folder / PAINTING) as image:
            return np.array(image.convert("RGB"))

    def machine(self, engine: str) -> np.ndarray | None:
        """That engine's picture as saved, or None if it was not saved."""
        try:
            with Image.open(self.folder / f"{_checked_engine(engine)}.png") as image:
                return np.array(image.convert("RGB"))
        except FileNotFoundError:
            return None

    def strokes(self) -> list[StrokeRecord]:
        """The stroke log, or [] if missing or unreadable (the time-lapse is then skipped)."""
        try:
            with gzip.open(self.folder / STROKES, "rt", encoding="utf-8") as handle:
                return [StrokeRecord.from_dict(d) for d in json.load(handle)]
        except FileNotFoundError:
            return []
        except _DAMAGED_LOG as err:
            log.warning("stroke log of gallery entry %s is unreadable: %s", self.entry_id, err)
            return []


def _checked_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {ENGINES}")
    return engine


def _checked_image(what: str, image: np.ndarray) -> np.ndarray:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"{what} must be (H, W, 3) uint8, not {image.shape} {image.dtype}")
    return np.ascontiguousarray(image)


def _checked_score(score: float | None) -> float | None:
    if score is not None and (isinstance(score, bool) or not math.isfinite(score)):
        # JSON would store NaN as a token that strict readers reject.
        raise ValueError(f"a score must be a finite number or None, not {score!r}")
    return None if score is None else float(score)


def _write_synced(path: Path, data: bytes) -> None:
    # On disk before meta.json calls the entry complete, or a power cut could show zeros.
    with open_new_file(path, exclusive=False) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _write_meta(folder: Path, meta: dict) -> None:
    """Temp file + fsync + rename: readers see the old meta.json or the new, never half."""
    temp = folder / f".meta-{uuid.uuid4().hex[:8]}.tmp"  # unique: two writers never collide
    try:
        _write_synced(temp, json.dumps(meta, indent=1).encode("utf-8"))
        os.replace(temp, folder / META)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)


def _png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def _read_meta(folder: Path) -> tuple[dict, GalleryEntry]:
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    created = datetime.fromisoformat(meta["created_at"])
    if created.tzinfo is None:
        raise ValueError("created_at has no time zone")
    width, height = (int(v) for v in meta["canvas_size"])
    # display_text: entries saved before issue 9 may hold a file name's surrogate escapes.
    return meta, GalleryEntry(
        entry_id=folder.name, created_at=created.astimezone(timezone.utc),
        content_title=display_text(str(meta["content_title"])),
        style_title=display_text(str(meta["style_title"])),
        player=display_text(str(meta["player"])), score=_checked_score(meta["score"]),
        mode=str(meta["mode"]), canvas_size=(width, height),
        canvas_seed=int(meta["canvas_seed"]), folder=folder,
        content_id=str(meta.get("content_id", "")), style_id=str(meta.get("style_id", "")))


def _delete(folder: Path) -> bool:
    # meta.json first: a crash part way then leaves a hidden half folder, cleaned up later.
    try:
        (folder / META).unlink(missing_ok=True)
    except OSError as err:
        log.warning("could not delete gallery entry %s: %s", folder.name, err)
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def _fail(action: str, where: Path, err: OSError) -> GalleryError:
    error = GalleryError(f"Could not {action} in the gallery {where}: {err.strerror or err}")
    error.errno = err.errno  # lets the game tell a full disk from a read-only one
    return error


@dataclass
class Gallery:
    """The newest `keep` finished paintings under `root`; safe to share between processes."""

    root: Path
    keep: int = 24

    def __post_init__(self) -> None:
        self.root = Path(self.root).absolute()
        if self.keep < 1:
            raise ValueError("keep must be at least 1")

    def _folders(self) -> list[Path]:
        """Entry folders, complete or not, oldest first (their names sort by time)."""
        try:
            names = sorted(p.name for p in os.scandir(self.root) if _NAME.match(p.name))
        except FileNotFoundError:
            return []
        except OSError as err:  # unreadable: show nothing rather than stop the kiosk
            log.warning("cannot list gallery %s: %s", self.root, err)
            return []
        return [self.root / name for name in names]

    def _folder(self, entry_id: str) -> Path | None:
        # Our own names only: an id must never reach outside the gallery ("../..").
        ok = _NAME.match(entry_id) and (self.root / entry_id / META).is_file()
        return self.root / entry_id if ok else None

    def add(self, painting: np.ndarray, machines: dict[str, np.ndarray],
            strokes: list[StrokeRecord], *, canvas_size: tuple[int, int], canvas_seed: int,
            content_title: str, style_title: str, player: str = "",
            score: float | None = None, mode: str = "kiosk",
            when: datetime | None = None, content_id: str = "",
            style_id: str = "") -> GalleryEntry:
        """Save a finished painting; raises GalleryError if the folder cannot be written."""
        image = _checked_image("a painting", painting)
        width, height = (int(v) for v in canvas_size)
        if image.shape[:2] != (height, width):  # the time-lapse would paint something else
            raise ValueError(f"painting is {image.shape[1]}x{image.shape[0]}, "
                             f"canvas_size says {width}x{height}")
        if when is not None and when.tzinfo is None:
            raise ValueError("`when` must be timezone-aware; naive times are ambiguous")
        created = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
        folder = self.root / f"{created:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        # Titles may come from file names that are not UTF-8: stored as they will be shown.
        meta = {"version": 1, "created_at": created.isoformat(),
                "content_title": display_text(content_title),
                "style_title": display_text(style_title), "player": display_text(player),
                "score": _checked_score(score),
                # Optional keys: a reader that predates them ignores them, so still version 1.
                "content_id": escaped_text(content_id), "style_id": escaped_text(style_id),
                "mode": mode, "canvas_size": [width, height], "canvas_seed": int(canvas_seed)}
        # Encoded before touching the disk, so bad input never leaves a folder behind;
        # mtime=0 because the same log should always give the same bytes.
        log_json = json.dumps([r.to_dict() for r in strokes]).encode("utf-8")
        files = {PAINTING: _png(image), STROKES: gzip.compress(log_json, mtime=0)}
        for engine, picture in machines.items():
            files[f"{_checked_engine(engine)}.png"] = _png(_checked_image(engine, picture))
        try:
            make_folder(self.root)
            make_folder(folder)
        except OSError as err:
            raise _fail("create a folder", self.root, err) from err
        try:
            for name, data in files.items():
                _write_synced(folder / name, data)
            _write_meta(folder, meta)
        except OSError as err:
            shutil.rmtree(folder, ignore_errors=True)  # no meta.json: invisible anyway
            raise _fail("save the painting", folder, err) from err
        fsync_folder(self.root)
        self._tidy()
        return _read_meta(folder)[1]

    def _tidy(self) -> None:
        """Prune to `keep` and drop abandoned half saves; never raises: the entry is safe."""
        cutoff, complete = time.time() - STALE_SECONDS, []
        for folder in self._folders():
            if (folder / META).is_file():
                complete.append(folder)
            else:
                with contextlib.suppress(OSError):  # FileNotFoundError: another process won
                    if folder.stat().st_mtime < cutoff:
                        _delete(folder)
        for folder in complete[: max(len(complete) - self.keep, 0)]:
            _delete(folder)

    def recent(self, n: int | None = None) -> list[GalleryEntry]:
        """Complete entries, newest first; damaged ones are logged and skipped."""
        found: list[GalleryEntry] = []
        for folder in reversed(self._folders()):
            if n is not None and len(found) >= n:
                break
            try:
                found.append(_read_meta(folder)[1])
            except FileNotFoundError:
                continue  # being saved, a save that was cut off, or just pruned
            except (OSError, *_DAMAGED_META) as err:
                log.warning("skipping damaged gallery entry %s: %s", folder.name, err)
        return found

    def set_score(self, entry_id: str, score: float | None) -> bool:
        """Record a score that landed after saving; False if the entry is gone or damaged."""
        clean, folder = _checked_score(score), self._folder(entry_id)
        try:
            if folder is None:
                return False
            meta = _read_meta(folder)[0]
            _write_meta(folder, {**meta, "score": clean})
        except FileNotFoundError:
            return False  # pruned by another process meanwhile
        except _DAMAGED_META as err:
            log.warning("cannot score damaged gallery entry %s: %s", entry_id, err)
            return False
        except OSError as err:
            raise _fail("save a score", folder, err) from err
        return True

    def remove(self, entry_id: str) -> bool:
        """Delete one entry; False if there was no such entry."""
        folder = self._folder(entry_id)
        return folder is not None and _delete(folder)

    def clear(self) -> None:
        """Delete every entry, half-saved ones included."""
        for folder in self._folders():
            _delete(folder)
