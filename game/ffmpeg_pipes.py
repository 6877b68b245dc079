"""The ffmpeg binary and its pipes: what the video reader and writer share.

The binary comes with the imageio-ffmpeg wheel (a static GPL build with libx264 and libwebp,
THIRD_PARTY_LICENSES), so no system package is needed. ffmpeg's own last words become the
reason in a VideoError: one line naming the file.
"""
from __future__ import annotations

import os
import subprocess
from typing import IO

MAX_FPS = 120.0
FINISH_SECONDS = 600.0         # a GIF's palette passes over a long clip take a while


class VideoError(Exception):
    """A video could not be read or written; str(err) is one line fit to show a person."""

    def __init__(self, name: str, reason: str, verb: str = "open") -> None:
        super().__init__(one_line(name), one_line(reason), verb)
        self.name, self.reason, self.verb = self.args

    def __str__(self) -> str:
        return f"Can't {self.verb} the video '{self.name}': {self.reason}."


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        raise VideoError("ffmpeg", f"the video tool is missing ({exc})", "start") from exc


def webp_available() -> bool:
    """Whether this ffmpeg writes animated WebP (the wheel's build does; a system one may not)."""
    try:
        done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-encoders"], capture_output=True,
                              timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError, VideoError):
        return False
    return b"libwebp_anim" in done.stdout


def run_ffmpeg(command: list[str]) -> None:
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=FINISH_SECONDS)
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise OSError(lines[-1] if lines else f"ffmpeg exited with {done.returncode}")


def stop_process(process: subprocess.Popen, kill: bool) -> None:
    if kill and process.poll() is None:
        process.kill()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def log_lines(log: IO[bytes] | None) -> list[str]:
    """The end of an ffmpeg log (at -v error it is a few lines, unless the file is broken)."""
    if log is None:
        return []
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - 65536))
    return log.read().decode(errors="replace").strip().splitlines()


def last_line(log: IO[bytes] | None) -> str:
    lines = log_lines(log)
    return lines[-1].split("] ")[-1] if lines else ""


def error_reason(exc: BaseException) -> str:
    if isinstance(exc, VideoError):
        return exc.reason
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
