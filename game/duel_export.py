"""Save the duel: its replay as an MP4 (then a small GIF or WebP) and a triptych PNG.

The export runs in a spawned process at nice 15 (and the idle I/O class where the system
has one), so the game keeps its frame rate while x264 works: the process gets what the game
leaves. It imports neither models nor TensorFlow, only numpy, pygame (off-screen: fonts and
surfaces, no window) and the replay code, and it is handed everything as plain data
(DuelExportJob): the stroke log as dicts, the pictures as arrays, every word already in the
player's language.

Order: the 720p MP4 (each frame of the replay plan drawn as the replay screen draws it:
game/duel_view.py), then the small animation made from the MP4's frames (WebP if this
ffmpeg can, else GIF) at 15 frames a second, then the triptych PNG
(game/duel_triptych.py), then, in a kiosk whose staff set `kiosk.usb_dir`, a copy of the
three on the stick. Each file appears under its name only once complete (VideoWriter and
the PNG write a hidden `.partial-*` first; start-up tidy removes one a crash left).

The game polls (DuelExport.poll): a pipe the child writes its stage to, and its exit code;
neither ever blocks.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.duel_view import DuelTexts
from game.files import new_temp_file

log = logging.getLogger(__name__)

NICE = 15
DUELS_FOLDER = "duels"
KIOSK_KEEP = 50               # a kiosk keeps the newest 50 duels (each kind of file)
SMALL_FPS = 15
STAGES = ("starting", "video", "small", "picture", "usb", "done", "failed")
SUFFIXES = (".mp4", ".gif", ".webp", ".png")


@dataclass
class Still:
    """One of Gatys's snapshots, as the export gets it (models' Snapshot, without models)."""

    seconds: float
    iteration: int
    image: np.ndarray               # (h, w, 3) uint8


@dataclass
class DuelExportJob:
    stem: str                                   # "duel-20261205-103000-the-starry-night"
    out_dir: str                                # <data_dir>/duels
    usb_dir: str                                # "" unless a kiosk's staff enabled it
    painting: np.ndarray                        # (h, w, 3) uint8: the finished painting
    stroke_log: list[dict]                      # StrokeRecord.to_dict() each
    canvas_size: tuple[int, int] | None         # (w, h) the log was painted on
    canvas_seed: int
    origin: str                                 # "painted" | "uploaded"
    magenta: tuple[np.ndarray, float] | None    # (picture, seconds it took)
    gatys: tuple[np.ndarray, float, list[Still]] | None    # (final, seconds, snapshots)
    texts: DuelTexts
    round_elapsed: float
    size: tuple[int, int] = (1280, 720)
    small: tuple[int, int] = (480, 270)
    keep: int = 0                               # newest duels kept (0: all)
    text_size: str = "medium"


@dataclass
class ExportStatus:
    stage: str = "starting"                     # one of STAGES
    fraction: float = 0.0                       # of the whole export, 0..1
    paths: list[str] = field(default_factory=list)   # files written so far
    reason: str = ""                            # failed: one line; done: a note ("no USB")
    # The first status says how the process runs: its nice value and whether TensorFlow or
    # models got imported (they must not: the export is the game's guest on the cores).
    facts: dict = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.stage in ("done", "failed")


class DuelExport:
    """The running export, seen from the game."""

    def __init__(self, process, connection) -> None:
        self._process, self._connection = process, connection
        self._status = ExportStatus()
        self.facts: dict = {}
        self._started = threading.Event()   # set once process.start() has returned
        self._cancelled = False

    def _start(self, send) -> None:
        """Start the process (off the game's thread: a spawn blocks until the child has
        read its job, 0.2 s here, and that would be a visible hitch)."""
        try:
            if not self._cancelled:
                self._process.start()
        except (OSError, ValueError, RuntimeError) as exc:
            self._status = ExportStatus("failed", reason=f"the export could not start: "
                                                          f"{_one_line(exc)}")
        finally:
            send.close()        # the child holds the sending end; EOF once it exits
            self._started.set()
        if self._cancelled and self._process.exitcode is None and self._process.pid:
            self._process.terminate()

    def poll(self) -> ExportStatus:
        """The latest status; never waits."""
        status = self._status
        if status.done or not self._started.is_set():
            return status
        try:
            while self._connection.poll():
                status = self._status = self._connection.recv()
                self.facts = status.facts or self.facts
        except (EOFError, OSError):
            pass                              # the child is gone: its exit code says how
        if not status.done and self._process.exitcode is not None:
            self._status = ExportStatus("failed", status.fraction, status.paths,
                                        f"the export stopped (exit code "
                                        f"{self._process.exitcode})")
            self._close()
        elif status.done:
            self._process.join(timeout=0)
            self._close()
        return self._status

    def cancel(self) -> None:
        """Stop it; the partial files go at the next start-up tidy (or VideoWriter's abort)."""
        self._cancelled = True
        if self._started.is_set() and self._process.pid and self._process.exitcode is None:
            self._process.terminate()
        self._status = ExportStatus("failed", reason="cancelled")
        self._close()

    def wait_started(self, timeout: float | None = None) -> bool:
        """For a bench or test that wants the process itself (its pid, its end)."""
        return self._started.wait(timeout)

    def _close(self) -> None:
        if not self._started.is_set():
            return              # the starter thread still needs it; cancel() stops it
        try:
            self._connection.close()
        except OSError:
            pass

    @property
    def pid(self) -> int | None:
        return self._process.pid


def start_export(job: DuelExportJob) -> DuelExport:
    """Start the export in its own process; returns at once."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(job, send), daemon=True,
                              name="duel-export")
    export = DuelExport(process, receive)
    threading.Thread(target=export._start, args=(send,), daemon=True,
                     name="duel-export-start").start()
    return export


def lower_priority() -> None:
    """Nice 15 and idle I/O: the game's frames come first (ffmpeg inherits both)."""
    try:
        os.nice(NICE - os.nice(0))
    except (AttributeError, OSError) as exc:       # Windows has no nice
        log.info("duel export runs at normal priority: %s", exc)
    try:
        import psutil
        process = psutil.Process()
        process.ionice(getattr(psutil, "IOPRIO_CLASS_IDLE", None)
                       or psutil.IOPRIORITY_IDLE)
    except (ImportError, AttributeError, OSError, ValueError) as exc:
        log.info("duel export keeps its I/O class: %s", exc)


def _child_main(job: DuelExportJob, connection) -> None:
    lower_priority()
    import sys
    facts = {"nice": os.nice(0) if hasattr(os, "nice") else 0,
             "tensorflow": "tensorflow" in sys.modules, "models": "models" in sys.modules}
    try:
        connection.send(ExportStatus("starting", 0.0, facts=facts))
    except (OSError, ValueError):
        pass
    run_export(job, connection)


def run_export(job: DuelExportJob, connection) -> None:
    """The export's work, reporting each stage on `connection` (anything with send());
    the child process runs it, and the bench and tests call it in their own process."""
    from game.duel_render import export_files
    paths: list[str] = []

    def tell(stage: str, fraction: float, reason: str = "") -> None:
        try:
            connection.send(ExportStatus(stage, fraction, list(paths), reason))
        except (OSError, ValueError):
            pass                # the game is gone; finish the files anyway

    try:
        note = export_files(job, tell, paths)
        tell("done", 1.0, note)
    except Exception as exc:        # noqa: BLE001 - reported to the player in one line
        log.warning("duel export failed: %s", exc)
        tell("failed", 0.0, _one_line(exc))
    finally:
        try:
            connection.close()
        except OSError:
            pass


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def stem_for(title: str, now: float | None = None) -> str:
    """duel-<YYYYmmdd-HHMMSS>-<title as a plain slug>."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:40]
    return f"duel-{stamp}-{slug}" if slug else f"duel-{stamp}"


def prune(folder: Path, keep: int) -> None:
    """Keep the newest `keep` duels of each kind in `folder` (0: keep all)."""
    if keep <= 0:
        return
    for suffix in SUFFIXES:
        try:
            files = sorted((p for p in folder.glob(f"duel-*{suffix}") if p.is_file()),
                           key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError as exc:
            log.warning("could not list %s: %s", folder, exc)
            return
        for old in files[keep:]:
            old.unlink(missing_ok=True)


def usb_ready(usb_dir: str) -> bool:
    """The stick is there: a mount point (or inside one) that we may write to."""
    if not usb_dir:
        return False
    path = Path(usb_dir)
    mounted = any(os.path.ismount(p) for p in (path, *path.parents) if p != Path(p.anchor))
    return path.is_dir() and mounted and os.access(path, os.W_OK | os.X_OK)


def copy_to_usb(paths: list[str], usb_dir: str) -> list[str]:
    """Copy the finished files onto the stick (hidden name first, then renamed)."""
    copied = []
    for source in paths:
        target = Path(usb_dir) / Path(source).name
        handle, temp = new_temp_file(Path(usb_dir), ".partial-", target.suffix)
        try:
            with handle as out, open(source, "rb") as data:
                shutil.copyfileobj(data, out)
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        copied.append(os.fspath(target))
    return copied
