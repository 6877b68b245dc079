"""`main.py stylize VIDEO STYLE --out OUT.mp4|.gif`: every frame painted, streaming.

Tiny synthetic clips (64x48 at 12 fps, written by game.video_files.VideoWriter), the offline
studio filter (an empty models folder) at --size 64, so each test takes a second or two.
"""
from __future__ import annotations

import os
import re
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from game import video_files
from game.image_loader import load_rgb
from game.video_files import VideoWriter, probe_video, read_frames
from models import engines, stylize_cli
from models.engines import EngineOutput
from models.stylize_video import TemporalSmoother

W, H, FPS = 64, 48, 12
STYLE = Path(__file__).resolve().parent.parent / "art" / "styles" / "colour_fields.png"


def moving_clip(path: Path, count: int = 24) -> Path:
    """A red bar moving 2 px a frame over a grey-blue gradient."""
    ground = np.zeros((H, W, 3), np.uint8)                    # (48, 64, 3)
    ground[...] = np.linspace(40, 200, W, dtype=np.uint8)[None, :, None]
    ground[..., 2] = 150
    with VideoWriter(path, (W, H), FPS, path.suffix[1:]) as writer:
        for index in range(count):
            frame = ground.copy()
            frame[:, 2 * index:2 * index + 8] = (230, 40, 30)
            writer.write(frame)
    return path


def noisy_still_clip(path: Path, count: int = 24) -> Path:
    """A still scene with camera noise: the painting of each frame shimmers."""
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:H, 0:W]
    scene = np.stack([xx * 3 + 30, yy * 4 + 20, 255 - xx * 2 - yy], axis=-1)  # (48, 64, 3)
    with VideoWriter(path, (W, H), FPS, "mp4") as writer:
        for _ in range(count):
            noise = rng.normal(0, 6, scene.shape)
            writer.write(np.clip(scene + noise, 0, 255).astype(np.uint8))
    return path


def stylize(tmp_path: Path, source: Path, out: Path, *extra: str) -> int:
    argv = [str(source), str(STYLE), "--size", "64", "--models-dir",
            str(tmp_path / "no_models"), "--out", str(out), *extra]
    return stylize_cli.main(argv, load_rgb, video_files)


def printed_flicker(text: str) -> float:
    return float(re.search(r"flicker ([0-9.]+) \(output", text).group(1))


@pytest.mark.parametrize("kind_in, kind_out", [("mp4", "mp4"), ("gif", "gif"), ("mp4", "gif")])
def test_video_in_video_out_keeps_frame_rate_and_count(tmp_path: Path, capsys, kind_in: str,
                                                       kind_out: str) -> None:
    source = moving_clip(tmp_path / f"in.{kind_in}")
    out = tmp_path / "made" / f"out.{kind_out}"
    assert stylize(tmp_path, source, out) == 0
    info = probe_video(out)
    assert (info.width, info.height, info.frames) == (W, H, 24)
    assert info.fps == pytest.approx(FPS, rel=0.02)
    painted = list(read_frames(info))
    originals = list(read_frames(probe_video(source)))
    assert len(painted) == 24
    # Painted, not copied: the studio filter moves every frame's colours a long way.
    assert all(np.abs(p.astype(int) - o).mean() > 10 for p, o in zip(painted, originals))
    assert sorted(os.listdir(out.parent)) == [out.name]
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed and "24 frames at 12 fps" in printed
    assert re.search(r"flicker [0-9.]+ \(output [0-9.]+ / input [0-9.]+ per frame\)", printed)


def test_progress_and_eta_are_shown(tmp_path: Path, capsys) -> None:
    assert stylize(tmp_path, moving_clip(tmp_path / "in.mp4"), tmp_path / "out.mp4") == 0
    progress = capsys.readouterr().err
    assert re.search(r"\[#+-*\] +\d+% frame \d+/24, ETA \d+:\d\d", progress)
    assert "100% frame 24/24, ETA 0:00" in progress


def test_smoothing_lowers_flicker(tmp_path: Path, capsys) -> None:
    source = noisy_still_clip(tmp_path / "still.mp4")
    assert stylize(tmp_path, source, tmp_path / "plain.mp4") == 0
    plain = printed_flicker(capsys.readouterr().out)
    assert stylize(tmp_path, source, tmp_path / "smooth.mp4", "--smooth", "0.7") == 0
    smooth = printed_flicker(capsys.readouterr().out)
    assert smooth < 0.7 * plain


def test_smoothing_lets_motion_through() -> None:
    """Where the input moves, the output is this frame's painting, not a ghost of the last."""
    smoother = TemporalSmoother(0.9)
    still = np.full((8, 8, 3), 100, np.uint8)
    smoother.apply(still, np.full((8, 8, 3), 50, np.uint8))
    moved = still.copy()
    moved[:, :4] = 250                                        # the left half moves a lot
    out = smoother.apply(moved, np.full((8, 8, 3), 200, np.uint8))
    assert np.all(out[:, :4] >= 199)                          # moving: this frame
    assert np.all(out[:, 4:] < 70)                            # still: mostly the last one


def assert_one_line_naming(text: str, path: Path) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0], text


def test_bad_and_huge_videos_are_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a video\n")
    out = tmp_path / "out.mp4"
    assert stylize(tmp_path, notes, out) == 1
    assert_one_line_naming(capsys.readouterr().err, notes)

    long_clip = moving_clip(tmp_path / "long.mp4")
    monkeypatch.setattr(video_files, "MAX_FRAMES", 10)
    monkeypatch.setattr(video_files, "read_frames", lambda *a: pytest.fail("decoded"))
    assert stylize(tmp_path, long_clip, out) == 1
    err = capsys.readouterr().err
    assert_one_line_naming(err, long_clip)
    assert "more than 10" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.mp4", "notes.mp4"]


def test_a_video_damaged_midway_leaves_nothing(tmp_path: Path, capsys) -> None:
    whole = moving_clip(tmp_path / "whole.mp4", count=48).read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole[:len(whole) * 6 // 10])
    out = tmp_path / "out" / "painted.gif"
    assert stylize(tmp_path, cut, out) == 1
    assert "damaged or incomplete" in capsys.readouterr().err
    assert os.listdir(out.parent) == []


@pytest.mark.parametrize("extra, words", [
    (("--engine", "gatys"), "too slow for a video"),
    (("--farm", "http://127.0.0.1:9"), "single pictures"),
    (("--smooth", "0.95"), "between 0 and 0.9"),
])
def test_slow_or_remote_video_is_refused(tmp_path: Path, capsys, extra, words) -> None:
    out = tmp_path / "out.mp4"
    assert stylize(tmp_path, moving_clip(tmp_path / "in.mp4"), out, *extra) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


class InvertingEngine:
    """A stand-in engine with no memory of its own, so the pipeline's is what is measured."""

    label = "stand-in"

    def run(self, job, report, should_stop) -> EngineOutput:
        return EngineOutput(255 - job.content, self.label)


def peak_bytes(tmp_path: Path, source: Path) -> int:
    tracemalloc.start()
    try:
        assert stylize(tmp_path, source, tmp_path / f"{source.stem}.gif") == 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_is_bounded(tmp_path: Path, monkeypatch) -> None:
    """Four times the frames, the same peak: frames stream, never all in memory."""
    monkeypatch.setattr(engines, "load_engine", lambda *a, **k: InvertingEngine())
    short = moving_clip(tmp_path / "short.mp4", 40)
    long = moving_clip(tmp_path / "long.mp4", 160)
    stylize(tmp_path, short, tmp_path / "warm.gif")       # imports and caches warmed once
    frame_bytes = W * H * 3
    assert peak_bytes(tmp_path, long) - peak_bytes(tmp_path, short) < frame_bytes
