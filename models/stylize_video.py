"""`main.py stylize VIDEO STYLE --out OUT.mp4|.gif|.webp`: every frame painted, streaming.

Frames come from the caller's video module (main.py hands over game.video_files, as it
hands over the image loader: models never imports game), one at a time: a frame is read,
painted by the engine (a Job each, so Magenta's bottleneck cache predicts the style once),
optionally smoothed, measured and written before the next is read. Memory holds the
current frame and the previous input and output, whatever the length of the video.

Flicker: the mean change from one output frame to the next against the input's
(mean |out_t - out_t-1| / mean |in_t - in_t-1|). A still scene whose painting shimmers
scores far above 1; smoothing (out_t = (1 - w) y_t + w out_t-1, with w = S exp(-|x_t -
x_t-1| / 12) per pixel) lowers it where the input stands still, and lets moving parts
through so they do not leave ghosts.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, TextIO

import numpy as np

from models.messages import Job
from models.progress import ProgressBar

VIDEO_KINDS = {".mp4": "mp4", ".gif": "gif", ".webp": "webp"}
MAX_SMOOTH = 0.9
# Input change (0-255 levels) at which smoothing has faded to 1/e: a noise grain is a few
# levels, a moving edge tens.
MOTION_LEVELS = 12.0


@dataclass
class VideoStats:
    frames: int
    seconds: float                 # wall clock, reading to writing
    change_in: float               # mean |in_t - in_t-1| per frame, 0-255 levels
    change_out: float              # the same for the output
    label: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def frames_per_second(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0

    @property
    def flicker(self) -> float | None:
        """Output change over input change; None when the input never changes."""
        return self.change_out / self.change_in if self.change_in > 1e-6 else None

    def flicker_text(self) -> str:
        if self.flicker is None:
            return f"flicker: the input stands still; the output changes {self.change_out:.1f}" \
                   " levels a frame"
        return (f"flicker {self.flicker:.2f} (output {self.change_out:.1f} / input "
                f"{self.change_in:.1f} per frame)")


class FlickerMeter:
    """Sums the mean frame-to-frame change of input and output, keeping only the last pair."""

    def __init__(self) -> None:
        self.previous: tuple[np.ndarray, np.ndarray] | None = None
        self.steps = 0
        self.total_in = self.total_out = 0.0

    def add(self, frame_in: np.ndarray, frame_out: np.ndarray) -> None:
        """frame_in, frame_out: (h, w, 3) uint8 of one shape."""
        if self.previous is not None:
            last_in, last_out = self.previous
            self.total_in += _mean_change(frame_in, last_in)
            self.total_out += _mean_change(frame_out, last_out)
            self.steps += 1
        self.previous = (frame_in, frame_out)

    def means(self) -> tuple[float, float]:
        steps = max(1, self.steps)
        return self.total_in / steps, self.total_out / steps


class TemporalSmoother:
    """out_t = (1 - w) y_t + w out_t-1, w = strength exp(-|x_t - x_t-1| / MOTION_LEVELS)."""

    def __init__(self, strength: float) -> None:
        self.strength = strength
        self.last_in: np.ndarray | None = None       # (h, w, 3) uint8
        self.last_out: np.ndarray | None = None      # (h, w, 3) float32

    def apply(self, frame_in: np.ndarray, painted: np.ndarray) -> np.ndarray:
        """frame_in, painted: (h, w, 3) uint8 -> (h, w, 3) uint8."""
        current = painted.astype(np.float32)
        if self.strength > 0 and self.last_out is not None and self.last_in is not None:
            motion = np.abs(frame_in.astype(np.float32) - self.last_in).mean(axis=2)  # (h, w)
            weight = (self.strength * np.exp(-motion / MOTION_LEVELS))[..., None]
            current = (1.0 - weight) * current + weight * self.last_out
        self.last_in, self.last_out = frame_in, current
        return np.clip(np.rint(current), 0, 255).astype(np.uint8)


def _mean_change(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def eta_text(elapsed: float, done: int, total: int) -> str:
    """'frame 12/240, ETA 1:05': time left from the mean time per frame so far."""
    left = max(0, total - done) * elapsed / max(1, done)
    minutes, seconds = divmod(int(round(left)), 60)
    return f"frame {done}/{total}, ETA {minutes}:{seconds:02d}"


def stylize_frames(frames: Iterable[np.ndarray], total: int, engine: Any,
                   styles: list[tuple[np.ndarray, float]], write: Callable[[np.ndarray], None],
                   strength: float = 1.0, smooth: float = 0.0,
                   stream: TextIO | None = None,
                   clock: Callable[[], float] = time.monotonic) -> VideoStats:
    """Paint each (h, w, 3) uint8 frame, smooth, measure and write it; total: the estimate
    shown on the progress bar (the header's count)."""
    bar = ProgressBar(engine.label, total=total, show_bytes=False,
                      stream=stream or sys.stderr)
    smoother, meter = TemporalSmoother(smooth), FlickerMeter()
    start, count, notes = clock(), 0, []
    for frame in frames:
        job = Job("video", "video", "magenta", frame, styles, strength, 60.0)
        output = engine.run(job, lambda progress: None, lambda: False)
        notes = output.notes
        painted = smoother.apply(frame, output.image)
        meter.add(frame, painted)
        write(painted)
        count += 1
        shown = max(total, count)
        bar.total = shown
        bar.note = eta_text(clock() - start, count, shown)
        bar.update(count)
    bar.finish()
    change_in, change_out = meter.means()
    return VideoStats(count, clock() - start, change_in, change_out, engine.label, notes)


def run_video(args: Any, styles: list[tuple[np.ndarray, float]], video_files: Any,
              engine_loader: Callable[[], Any], stream: TextIO | None = None) -> int:
    """The stylize command on a video: args from stylize_cli, styles loaded; exit code."""
    kind = VIDEO_KINDS[args.out.suffix.lower()]
    try:
        info = video_files.probe_video(args.content)
        width, height = video_files.frame_size(info, args.size)
        engine = engine_loader()
        with video_files.VideoWriter(args.out, (width, height), info.fps, kind) as writer:
            stats = stylize_frames(video_files.read_frames(info, args.size), info.frames,
                                   engine, styles, writer.write, args.strength, args.smooth,
                                   stream=stream)
    except video_files.VideoError as exc:
        print(f"stylize: {exc}", file=sys.stderr)
        return 1
    print(f"{stats.label}: wrote {args.out} ({width}x{height}, {stats.frames} frames at "
          f"{info.fps:.3g} fps; {stats.seconds:.1f} s, {stats.frames_per_second:.1f} "
          f"frames/s)")
    smoothing = f", smoothing {args.smooth:g}" if args.smooth else ""
    print(f"  {stats.flicker_text()}{smoothing}")
    for note in stats.notes:
        print(f"  note: {note}")
    return 0
