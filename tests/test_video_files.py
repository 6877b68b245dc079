"""game/video_files.py: videos stream in and out, bad ones are one line, nothing half-written.

Tiny synthetic clips (24 frames of 64x48 at 12 fps) made by the VideoWriter itself: a red
bar that moves 2 px a frame over a grey ground, so a frame's content says which frame it is.
"""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import numpy as np
import pytest

from game import video_files, video_writer
from game.video_files import VideoError, VideoWriter, probe_video, read_frames, webp_available

W, H, FPS, COUNT = 64, 48, 12, 24


def bar_frame(index: int) -> np.ndarray:
    frame = np.full((H, W, 3), 90, np.uint8)            # (48, 64, 3)
    frame[:, 2 * index:2 * index + 8] = (230, 40, 30)
    return frame


def write_clip(path: Path, kind: str, count: int = COUNT) -> Path:
    with VideoWriter(path, (W, H), FPS, kind) as writer:
        for index in range(count):
            writer.write(bar_frame(index))
    return path


def bar_position(frame: np.ndarray) -> float:
    """The mean column of the red bar (the ground is grey, so red - green finds it)."""
    redness = frame[..., 0].astype(int) - frame[..., 1].astype(int)   # (h, w)
    columns = np.nonzero(redness.mean(axis=0) > 80)[0]
    return float(columns.mean())


KINDS = ["mp4", "gif", pytest.param("webp", marks=pytest.mark.skipif(
    not webp_available(), reason="this ffmpeg has no animated WebP"))]


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_keeps_size_rate_count_and_order(tmp_path: Path, kind: str) -> None:
    path = write_clip(tmp_path / f"clip.{kind}", kind)
    info = probe_video(path)
    assert (info.width, info.height, info.frames) == (W, H, COUNT)
    assert info.fps == pytest.approx(FPS, rel=0.02)
    assert info.seconds == pytest.approx(COUNT / FPS, rel=0.05)
    frames = list(read_frames(info))
    assert len(frames) == COUNT
    assert all(f.shape == (H, W, 3) and f.dtype == np.uint8 for f in frames)
    positions = [bar_position(f) for f in frames]
    assert positions == pytest.approx([2 * i + 3.5 for i in range(COUNT)], abs=1.0)


def test_read_frames_scales_to_the_long_side(tmp_path: Path) -> None:
    info = probe_video(write_clip(tmp_path / "clip.mp4", "mp4"))
    frames = read_frames(info, long_side=32)
    first = next(frames)
    frames.close()                     # stopping early is allowed and stops ffmpeg
    assert first.shape == (24, 32, 3)
    assert bar_position(first) == pytest.approx(3.5 / 2, abs=1.0)


def test_written_video_is_private_and_alone(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_clip(tmp_path / "new" / "clip.gif", "gif")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert os.listdir(path.parent) == ["clip.gif"]       # no temp, palette or intermediate


@pytest.mark.parametrize("kind", ["mp4", "gif"])
def test_no_partial_left_on_error(tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"duel.{kind}"
    target.write_bytes(b"the old video")
    with pytest.raises(KeyError):
        with VideoWriter(target, (W, H), FPS, kind) as writer:
            for index in range(5):
                writer.write(bar_frame(index))
            assert any(p.name.startswith(".partial-") for p in tmp_path.iterdir())
            raise KeyError("the game quit")
    assert sorted(os.listdir(tmp_path)) == [f"duel.{kind}"]
    assert target.read_bytes() == b"the old video"


def test_a_wrong_frame_aborts_with_one_line(tmp_path: Path) -> None:
    target = tmp_path / "clip.mp4"
    writer = VideoWriter(target, (W, H), FPS, "mp4")
    writer.write(bar_frame(0))
    with pytest.raises(VideoError) as caught:
        writer.write(np.zeros((H, W + 2, 3), np.uint8))
    assert "clip.mp4" in str(caught.value) and "\n" not in str(caught.value)
    assert os.listdir(tmp_path) == []


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="avi"):
        VideoWriter(tmp_path / "x.avi", (W, H), FPS, "avi")
    assert os.listdir(tmp_path) == []


def bad_files(folder: Path) -> dict[str, Path]:
    good = write_clip(folder / "good.mp4", "mp4", count=48).read_bytes()
    files = {"text": folder / "notes.mp4", "empty": folder / "empty.mp4",
             "cut": folder / "cut.mp4", "folder": folder / "folder.mp4",
             "missing": folder / "missing.mp4", "sound": folder / "sound.m4a",
             "cut_gif": folder / "cut.gif"}
    files["text"].write_text("this is not a video\n")
    files["empty"].write_bytes(b"")
    files["cut"].write_bytes(good[:len(good) * 6 // 10])
    files["folder"].mkdir()
    gif = write_clip(folder / "whole.gif", "gif").read_bytes()
    files["cut_gif"].write_bytes(gif[:len(gif) // 2])
    subprocess.run([video_files.ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "sine=duration=1", "-c:a", "aac", str(files["sound"])], check=True)
    return files


def test_bad_files_are_one_line_naming_the_file(tmp_path: Path) -> None:
    messages = {}
    for what, path in bad_files(tmp_path).items():
        with pytest.raises(VideoError) as caught:
            list(read_frames(probe_video(path)))
        messages[what] = str(caught.value)
        assert str(path) in messages[what] and "\n" not in messages[what], what
    assert "does not exist" in messages["missing"]
    assert "empty" in messages["empty"] and "folder" in messages["folder"]
    assert "no video stream" in messages["sound"]
    assert "damaged or incomplete" in messages["cut"]
    assert "damaged or incomplete" in messages["cut_gif"]


@pytest.mark.parametrize("limit, value, words", [
    ("MAX_VIDEO_SECONDS", 1.0, "longer than 1 s"),
    ("MAX_FRAMES", 10, "more than 10"),
    ("MAX_SIDE", 32, "larger than 32"),
    ("MAX_FPS", 10.0, "frame rate"),
    ("MAX_BYTES", 100, "GB"),
])
def test_huge_videos_are_refused_by_their_header(tmp_path: Path, monkeypatch, limit: str,
                                                 value, words: str) -> None:
    path = write_clip(tmp_path / "clip.mp4", "mp4")
    monkeypatch.setattr(video_files, limit, value)
    with pytest.raises(VideoError, match=words) as caught:
        probe_video(path)
    assert "clip.mp4" in str(caught.value)


def test_webp_only_when_the_binary_has_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(video_writer, "webp_available", lambda: False)
    with pytest.raises(VideoError, match="WebP"):
        VideoWriter(tmp_path / "x.webp", (W, H), FPS, "webp")
    assert os.listdir(tmp_path) == []
