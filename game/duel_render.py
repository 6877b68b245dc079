"""The export process's work: the replay drawn into an MP4, the small animation, the PNG.

Runs inside the export process (game/duel_export.py starts it): off-screen pygame only, no
window. Each frame of the replay plan is drawn the way the replay screen draws it
(game/duel_view.py) at 1280x720 and streamed to ffmpeg (game/video_files.VideoWriter), the
painting grown again from its log as the frames need it (game/timelapse.py). The small
animation is made from the finished MP4's frames, every other one (15 a second), scaled
down: no second replay. Memory holds one frame at a time.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable

import numpy as np
import pygame

from game.duel_export import SMALL_FPS, DuelExportJob, copy_to_usb, prune, usb_ready
from game.duel_triptych import render_triptych, save_png
from game.duel_view import draw_duel, duel_layout, gatys_caption, scaled
from game.files import make_folder
from game.replay import FPS, clock_text, replay_plan
from game.timelapse import StrokeReplayer
from game.ui.theme import Theme
from game.video_files import VideoWriter, probe_video, read_frames, webp_available

log = logging.getLogger(__name__)

# Shares of the whole export each stage reports progress in (the MP4 is most of the time).
VIDEO_SHARE, SMALL_SHARE = 0.7, 0.25


def surface_of(array: np.ndarray) -> pygame.Surface:
    """(h, w, 3) uint8 -> Surface, without the display (convert() needs a window)."""
    height, width = array.shape[:2]
    return pygame.image.frombuffer(np.ascontiguousarray(array).tobytes(), (width, height),
                                   "RGB")


def export_files(job: DuelExportJob, tell: Callable[[str, float], None],
                 paths: list[str]) -> str:
    """Write the MP4, the small animation and the PNG into job.out_dir (then the stick);
    appends each finished path to `paths`; returns a note for the player ("" or why the
    stick got nothing)."""
    pygame.font.init()
    folder = make_folder(Path(job.out_dir))
    theme = Theme(job.text_size)
    base = folder / job.stem
    tell("video", 0.0)
    mp4 = base.with_suffix(".mp4")
    write_replay(job, theme, mp4, lambda f: tell("video", VIDEO_SHARE * f))
    paths.append(os.fspath(mp4))
    tell("small", VIDEO_SHARE)
    kind = "webp" if webp_available() else "gif"
    small = base.with_suffix(f".{kind}")
    write_small(mp4, small, job.small, kind,
                lambda f: tell("small", VIDEO_SHARE + SMALL_SHARE * f))
    paths.append(os.fspath(small))
    tell("picture", VIDEO_SHARE + SMALL_SHARE)
    paths.append(os.fspath(save_png(render_triptych(job, theme), base.with_suffix(".png"))))
    prune(folder, job.keep)
    if not job.usb_dir:
        return ""
    tell("usb", 0.98)
    if not usb_ready(job.usb_dir):
        return "no_usb"
    paths += copy_to_usb(list(paths), job.usb_dir)
    return "usb"


def write_replay(job: DuelExportJob, theme: Theme, path: Path,
                 progress: Callable[[float], None]) -> int:
    """Every frame of the replay plan into an MP4 at job.size; returns the frame count."""
    magenta_s = job.magenta[1] if job.magenta is not None else None
    stills = job.gatys[2] if job.gatys is not None else []
    grows = (job.origin == "painted" and bool(job.stroke_log)
             and job.canvas_size is not None)
    plan = replay_plan(job.stroke_log if grows else [], stills, magenta_s, job.round_elapsed)
    replayer = StrokeReplayer(job.stroke_log, job.canvas_size, job.canvas_seed) \
        if grows else None
    painting = surface_of(job.painting)
    magenta = surface_of(job.magenta[0]) if job.magenta is not None else None
    final = surface_of(job.gatys[0]) if job.gatys is not None else None
    still_surfaces: dict[int, pygame.Surface] = {}
    screen = pygame.Surface(theme_size := (1280, 720))
    frame_out = pygame.Surface(job.size) if tuple(job.size) != theme_size else screen
    total = clock_text(plan[-1].round_s)
    fitted: dict[str, tuple[tuple, pygame.Surface | None]] = {}

    def fit(name, source, rect):
        key = (id(source), None if rect is None else rect.size)
        if fitted.get(name, (None,))[0] != key:
            fitted[name] = (key, scaled(source, rect))
        return fitted[name][1]

    with VideoWriter(path, job.size, FPS, "mp4") as writer:
        for k, frame in enumerate(plan):
            if replayer is not None and not replayer.failed:
                replayer.advance_to(frame.points)      # all of them: to the last tick
                grown = surface_of(replayer.rgb8())
            else:
                grown = painting
            caption = gatys_caption(job.texts, frame.ending, frame.gatys, stills)
            index = frame.gatys
            if frame.ending or not stills:
                gatys = final
            elif index < 0:
                gatys = None
            else:
                if index not in still_surfaces:         # converted once, not every frame
                    still_surfaces[index] = surface_of(stills[index].image)
                gatys = still_surfaces[index]
            sizes = {"painting": grown.get_size(),
                     "gatys": gatys.get_size() if gatys is not None else None}
            view = duel_layout(theme, job.texts, f"{clock_text(frame.round_s)} / {total}",
                               caption, sizes, frame.ending)
            screen.fill(theme.colors.background)
            draw_duel(screen, theme, view, {
                "painting": scaled(grown, view.painting),
                "gatys": fit("gatys", gatys, view.gatys),
                "magenta": fit("magenta", magenta if frame.magenta_shown else None,
                               view.magenta)})
            if frame_out is not screen:
                pygame.transform.smoothscale(screen, job.size, frame_out)
            width, height = job.size
            writer.write(np.frombuffer(pygame.image.tobytes(frame_out, "RGB"),
                                       np.uint8).reshape(height, width, 3))
            if k % 15 == 0:
                progress(k / len(plan))
    return len(plan)


def write_small(mp4: Path, path: Path, size: tuple[int, int], kind: str,
                progress: Callable[[float], None]) -> None:
    """Every other frame of the MP4, scaled to `size`, as an animated GIF or WebP."""
    info = probe_video(mp4)
    count = max(1, info.frames)
    step = max(1, round(FPS / SMALL_FPS))
    with VideoWriter(path, size, FPS / step, kind) as writer:
        for k, frame in enumerate(read_frames(info, max(size))):
            if k % step:
                continue
            if frame.shape[:2] != (size[1], size[0]):
                frame = _resized(frame, size)
            writer.write(frame)
            if k % 30 == 0:
                progress(k / count)


def _resized(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(h, w, 3) -> (size[1], size[0], 3): a frame ffmpeg scaled to a near size."""
    out = pygame.transform.smoothscale(surface_of(frame), size)
    return np.frombuffer(pygame.image.tobytes(out, "RGB"), np.uint8).reshape(
        size[1], size[0], 3)
