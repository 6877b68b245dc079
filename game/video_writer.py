"""VideoWriter: RGB frames in, one at a time; an MP4, GIF or WebP out, whole or not at all.

ffmpeg writes into a hidden 0600 temp (`.partial-*`, which the game's start-up tidy
removes) that close() renames into place and abort() deletes, so a video appears under its
name only when it is complete. Memory holds one frame whatever the length: a GIF goes
through a lossless intermediate file and two palette passes rather than a frame list.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import IO

import numpy as np

from game.ffmpeg_pipes import (FINISH_SECONDS, MAX_FPS, VideoError, error_reason, ffmpeg_exe,
                               last_line, run_ffmpeg, stop_process, webp_available)
from game.files import make_folder, new_temp_file

KINDS = ("mp4", "gif", "webp")
TEMP_PREFIX = ".partial-"


class VideoWriter:
    """Writes (h, w, 3) uint8 RGB frames of size (width, height) to path as kind.

    mp4: H.264 (yuv420p, an odd width or height loses its last column or row); gif: two
    palette passes over a lossless intermediate (bounded memory, good colours); webp:
    animated WebP if webp_available(). Use as a context manager: an exception aborts.
    """

    def __init__(self, path: str | os.PathLike[str], size: tuple[int, int], fps: float,
                 kind: str) -> None:
        self.path, self.size, self.fps, self.kind = Path(path), tuple(size), fps, kind
        self.frames = 0
        self._temps: list[Path] = []
        self._target: Path | None = None
        self._process: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None
        name = os.fspath(self.path)
        if kind not in KINDS:
            raise VideoError(name, f"'{kind}' is not one of {', '.join(KINDS)}", "write")
        if kind == "webp" and not webp_available():
            raise VideoError(name, "this ffmpeg cannot write animated WebP", "write")
        if min(self.size) < 2 or not 0 < fps <= MAX_FPS:
            raise VideoError(name, f"size {self.size} or rate {fps:g}/s is unusable", "write")
        try:
            make_folder(self.path.parent)
            target = self._target = self._temp(f".{kind}")
            first = self._temp(".mkv") if kind == "gif" else target
            self._log = tempfile.TemporaryFile()
            self._process = subprocess.Popen(self._encode_command(first),
                                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=self._log)
        except (OSError, VideoError) as exc:
            self.abort()
            raise VideoError(name, error_reason(exc), "write") from exc

    def __enter__(self) -> "VideoWriter":
        return self

    def __exit__(self, exc_type, value, traceback) -> None:
        if value is not None:
            self.abort()
        elif self._process is not None:
            self.close()

    def write(self, frame: np.ndarray) -> None:
        width, height = self.size
        if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
            self.abort()
            raise VideoError(os.fspath(self.path), f"a frame is {frame.shape} {frame.dtype}, "
                                                   f"not ({height}, {width}, 3) uint8", "write")
        if self._process is None or self._process.stdin is None:
            raise VideoError(os.fspath(self.path), "the writer is already closed", "write")
        try:
            self._process.stdin.write(np.ascontiguousarray(frame).data)
        except OSError as exc:         # ffmpeg died: its own words say why
            self._fail(last_line(self._log) or error_reason(exc))
        self.frames += 1

    def close(self) -> Path:
        """Finish the file and move it into place; returns its path."""
        process, name = self._process, os.fspath(self.path)
        if process is None or process.stdin is None:
            raise VideoError(name, "the writer is already closed", "write")
        try:
            process.stdin.close()
            process.wait(timeout=FINISH_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as exc:
            self._fail(error_reason(exc))
        if process.returncode != 0 or self.frames == 0:
            self._fail(last_line(self._log) or "no frames were written")
        try:
            if self.kind == "gif":
                self._palette_passes()
            os.replace(self._target, self.path)
        except (OSError, subprocess.SubprocessError, VideoError) as exc:
            self._fail(error_reason(exc))
        self._target_done()
        self._temps = []
        return self.path

    def abort(self) -> None:
        """Stop ffmpeg and remove every temp; the target name is never touched."""
        if self._process is not None:
            stop_process(self._process, kill=True)
        self._target_done()
        for temp in self._temps:
            temp.unlink(missing_ok=True)
        self._temps = []

    def _fail(self, reason: str) -> None:
        self.abort()
        raise VideoError(os.fspath(self.path), reason, "write")

    def _target_done(self) -> None:
        self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        for temp in self._temps:
            if temp != self._target:
                temp.unlink(missing_ok=True)

    def _temp(self, suffix: str) -> Path:
        handle, temp = new_temp_file(self.path.parent, TEMP_PREFIX, suffix)
        handle.close()                 # ffmpeg -y truncates it and keeps its 0600 mode
        self._temps.append(temp)
        return temp

    def _encode_command(self, out: Path) -> list[str]:
        width, height = self.size
        rate = str(Fraction(self.fps).limit_denominator(1001))
        command = [ffmpeg_exe(), "-nostdin", "-y", "-v", "error", "-f", "rawvideo",
                   "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", rate, "-i", "-",
                   "-an", "-threads", "1"]
        if self.kind == "mp4":        # yuv420p wants even sides; players want it
            return command + ["-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264",
                              "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "23",
                              "-movflags", "+faststart", "-f", "mp4", os.fspath(out)]
        if self.kind == "webp":
            return command + ["-c:v", "libwebp_anim", "-quality", "75", "-loop", "0",
                              "-f", "webp", os.fspath(out)]
        # GIF: lossless first, the palette needs every frame before it can map any.
        return command + ["-c:v", "ffv1", "-pix_fmt", "bgr0", "-f", "matroska",
                          os.fspath(out)]

    def _palette_passes(self) -> None:
        intermediate = next(t for t in self._temps if t.suffix == ".mkv")
        palette = self._temp(".png")
        base = [ffmpeg_exe(), "-nostdin", "-y", "-v", "error", "-threads", "1"]
        run_ffmpeg(base + ["-i", os.fspath(intermediate), "-vf", "palettegen=stats_mode=full",
                           "-frames:v", "1", "-update", "1", "-f", "image2",
                           os.fspath(palette)])
        run_ffmpeg(base + ["-i", os.fspath(intermediate), "-i", os.fspath(palette), "-lavfi",
                           "paletteuse=dither=sierra2_4a", "-loop", "0", "-f", "gif",
                           os.fspath(self._target)])
