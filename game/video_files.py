"""Video files in and out, one frame at a time: probe and read here, write in video_writer.

The one door for video: the game (the duel export) and, handed over by main.py,
models/stylize_video.py use this module's names (VideoWriter, webp_available and VideoError
are re-exported), so it imports neither pygame nor models. Frames travel over pipes:
nothing holds more than one frame, whatever the length of the video. The header is read
with imageio-ffmpeg's own parser (probe_video); frames come through our own pipe because
imageio-ffmpeg's reader does not report ffmpeg's exit code, and a damaged file must become
an error, not a short video. Every refusal is a VideoError: one line naming the file.
"""
from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

import numpy as np

from game.ffmpeg_pipes import (MAX_FPS, VideoError, error_reason, ffmpeg_exe, last_line,
                               log_lines, stop_process, webp_available)
from game.video_writer import KINDS, TEMP_PREFIX, VideoWriter

# Callers need only this module: the writer's names are here too.
__all__ = ["KINDS", "TEMP_PREFIX", "VideoError", "VideoInfo", "VideoWriter", "ffmpeg_exe",
           "frame_size", "probe_video", "read_frames", "webp_available"]

# Refused before any frame is decoded (read at call time, so tests may lower them).
MAX_VIDEO_SECONDS = 600.0
MAX_FRAMES = 18_000
MAX_SIDE = 7680
MAX_BYTES = 4 * 1024 ** 3
# What ffmpeg logs for a truncated MP4 or GIF; a concealed glitch elsewhere is let through.
DAMAGE_MARKERS = ("partial file", "decode failed", "Invalid data found")


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    width: int
    height: int
    fps: float
    frames: int                # from the header (duration x rate): the progress bar's total
    seconds: float


def probe_video(path: str | os.PathLike[str]) -> VideoInfo:
    """What a video file holds, checked against the limits before any frame is decoded."""
    name = os.fspath(path)
    _require_regular_file(Path(name), name)
    meta = _read_header(name)
    width, height = (int(v) for v in meta.get("size") or (0, 0))
    fps, seconds = float(meta.get("fps") or 0), float(meta.get("duration") or 0)
    if width < 1 or height < 1:
        raise VideoError(name, "it has no picture size")
    if max(width, height) > MAX_SIDE:
        raise VideoError(name, f"it is {width}x{height}, larger than {MAX_SIDE} pixels a side")
    if not 0 < fps <= MAX_FPS:
        raise VideoError(name, f"its frame rate ({fps:g}/s) is not between 0 and {MAX_FPS:g}")
    if seconds > MAX_VIDEO_SECONDS:
        raise VideoError(name, f"it lasts {seconds:.0f} s, longer than "
                               f"{MAX_VIDEO_SECONDS:.0f} s")
    frames = round(seconds * fps)
    if frames > MAX_FRAMES:
        raise VideoError(name, f"it has about {frames} frames, more than {MAX_FRAMES}")
    codec = str(meta.get("codec", ""))
    if codec.startswith("gif") and not _ends_with_gif_trailer(name):
        # ffmpeg quietly plays a cut-off GIF to where it stops; its missing trailer tells.
        raise VideoError(name, "the video data is damaged or incomplete (the GIF is cut off)")
    if seconds <= 0 or codec.startswith(("gif", "webp")):
        # A GIF's header rate is a guess from its first delays and WebP has no duration:
        # count the frames, so the output keeps the average rate.
        frames, seconds = _count_frames(name, fps)
        if frames > MAX_FRAMES or seconds > MAX_VIDEO_SECONDS:
            raise VideoError(name, f"it has {frames} frames over {seconds:.0f} s, more than "
                                   f"{MAX_FRAMES} frames or {MAX_VIDEO_SECONDS:.0f} s")
        fps = frames / seconds if seconds > 0 else fps
    return VideoInfo(Path(name), width, height, fps, max(1, frames), seconds)


def frame_size(info: VideoInfo, long_side: int | None) -> tuple[int, int]:
    """(width, height) of the frames read_frames yields for this long side."""
    if not long_side:
        return info.width, info.height
    scale = long_side / max(info.width, info.height)
    return max(1, round(info.width * scale)), max(1, round(info.height * scale))


def read_frames(info: VideoInfo, long_side: int | None = None) -> Iterator[np.ndarray]:
    """Each frame as (h, w, 3) uint8 RGB, scaled to long_side; VideoError if it is damaged.

    Only one frame is in memory at a time (ffmpeg decodes ahead into a pipe). Closing the
    iterator early stops ffmpeg.
    """
    name = os.fspath(info.path)
    width, height = frame_size(info, long_side)
    command = [ffmpeg_exe(), "-nostdin", "-v", "error", "-i", name, "-map", "0:v:0",
               "-fps_mode", "passthrough", "-vf", f"scale={width}:{height}:flags=area",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=log)
        count = 0
        try:
            while True:
                buffer = bytearray(width * height * 3)
                got = process.stdout.readinto(buffer) if process.stdout else 0
                while 0 < got < len(buffer):
                    more = process.stdout.readinto(memoryview(buffer)[got:])
                    if not more:
                        break
                    got += more
                if got < len(buffer):
                    break
                count += 1
                yield np.frombuffer(buffer, np.uint8).reshape(height, width, 3)
        finally:
            finished = process.poll() is not None or got < len(buffer)
            stop_process(process, kill=not finished)
        damage = _damage(log)
        if process.returncode != 0 or count == 0 or damage:
            detail = damage or last_line(log) or "no frame could be decoded"
            raise VideoError(name, f"the video data is damaged or incomplete ({detail})")


def _damage(log: IO[bytes]) -> str:
    """ffmpeg's words for a cut-off or corrupt file; it still exits 0 with fewer frames."""
    for line in log_lines(log):
        if any(marker in line for marker in DAMAGE_MARKERS):
            return line.split("] ")[-1]
    return ""


def _require_regular_file(path: Path, name: str) -> None:
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise VideoError(name, "the file does not exist") from exc
    except (OSError, ValueError) as exc:
        raise VideoError(name, f"the file could not be read ({error_reason(exc)})") from exc
    if stat.S_ISDIR(info.st_mode):
        raise VideoError(name, "it is a folder, not a video file")
    if not stat.S_ISREG(info.st_mode):
        raise VideoError(name, "it is not a regular file")   # a FIFO could block forever
    if info.st_size == 0:
        raise VideoError(name, "the file is empty (0 bytes)")
    if info.st_size > MAX_BYTES:
        raise VideoError(name, f"it is {info.st_size / 1e9:.1f} GB, more than "
                               f"{MAX_BYTES / 1e9:.1f} GB")


def _read_header(name: str) -> dict:
    import imageio_ffmpeg

    frames = imageio_ffmpeg.read_frames(name, input_params=["-nostdin"])
    try:
        return next(frames)
    # Any failure of the header parser means the same to a person: not a video we can read.
    except Exception as exc:  # noqa: BLE001
        text = str(exc)
        if "does not contain any stream" in text or "Video:" not in text:
            reason = ("it has no video stream" if "Stream #" in text
                      else "it is not a video ffmpeg can read, or its data is damaged")
        else:
            reason = "its video stream cannot be decoded"
        raise VideoError(name, reason) from exc
    finally:
        frames.close()


def _ends_with_gif_trailer(name: str) -> bool:
    try:
        with open(name, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\x3b"
    except OSError:
        return False


def _count_frames(name: str, fps: float) -> tuple[int, float]:
    import imageio_ffmpeg

    try:
        frames, seconds = imageio_ffmpeg.count_frames_and_secs(name)
    except (OSError, RuntimeError) as exc:
        raise VideoError(name, "the video data is damaged or incomplete") from exc
    return int(frames or 0), float(seconds or (frames or 0) / fps)
