"""Save the duel: the MP4 of the replay, the small animation and the triptych, written by a
background process at low priority that never imports TensorFlow; one line when it fails;
the USB copy only when staff enabled it; nothing half-written left after a kill and a tidy.
Small sizes (320x180) keep it quick."""
from __future__ import annotations

import os
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from brushes import Canvas, History
from game.bot.plan import plan_painting
from game.bot.render import render_plan
from game.duel_export import DuelExportJob, Still, run_export, start_export
from game.duel_view import DuelTexts
from game.replay import replay_plan
from game.startup_tidy import DataFolders, tidy_data_folder
from game.video_files import probe_video

TEXTS = DuelTexts("Astronaut", "The Starry Night", "Your painting", "Magenta", "Gatys",
                  "Gatys · iteration {iteration}", "Gatys · finished", "Time-lapse",
                  "Score", "6.7", "Layout 7.1 · Colour 6.0 · Brushwork 8.2")
RED, GREEN, BLUE = (220, 30, 30), (30, 200, 40), (40, 60, 230)


def painted_log(size=(96, 72), seed=4):
    rng = np.random.default_rng(0)
    content = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    canvas, history = Canvas(*size, seed=seed), History(limit=100)
    render_plan(plan_painting(content, content, size, seed=2, budget=12), canvas, history)
    canvas.update(10.0)
    return [record.to_dict() for record in history.log], canvas.rgb8().copy()


def duel_job(folder: Path, usb_dir: str = "", elapsed: float = 4.0) -> DuelExportJob:
    log, painting = painted_log()
    stills = [Still(1.0 + i, 10 * i, np.full((36, 48, 3), (0, 60 * i, 200), np.uint8))
              for i in range(3)]
    gatys = np.full((36, 48, 3), BLUE, np.uint8)
    return DuelExportJob("duel-test", os.fspath(folder), usb_dir, painting, log, (96, 72), 4,
                         "painted", (np.full((36, 48, 3), GREEN, np.uint8), 0.5),
                         (gatys, 3.5, stills), TEXTS, elapsed, size=(320, 180),
                         small=(160, 90))


class Collect:
    """Stands in for the pipe: keeps every status the export sends."""

    def __init__(self):
        self.sent = []

    def send(self, status):
        self.sent.append(status)

    def close(self):
        pass


def test_save_writes_mp4_small_animation_and_triptych(tmp_path):
    job = duel_job(tmp_path / "duels")
    pipe = Collect()
    run_export(job, pipe)
    last = pipe.sent[-1]
    assert last.stage == "done", last.reason
    mp4, small, png = (Path(p) for p in last.paths)
    plan = replay_plan(job.stroke_log, job.gatys[2], 0.5, job.round_elapsed)
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(mp4)
    assert frames == len(plan) and seconds <= 20.0
    assert probe_video(mp4).fps == pytest.approx(30)
    assert small.suffix in (".webp", ".gif")
    with Image.open(small) as animation:      # ffmpeg's WebP reader cannot tell the rate
        assert animation.size == (160, 90)
        # An encoder may merge repeated frames into a longer one: the length is what counts.
        shown = []
        for k in range(animation.n_frames):
            animation.seek(k)
            animation.load()                 # Pillow reads a frame's duration on load
            shown.append(animation.info["duration"])
        assert min(shown) == pytest.approx(1000 / 15, abs=4)
        assert sum(shown) / 1000 == pytest.approx(len(plan) / 30, abs=0.15)
    picture = np.asarray(Image.open(png).convert("RGB")).astype(int)
    height, width = picture.shape[:2]
    panes = [picture[height // 2 - 5:height // 2 + 5, width * k // 6 - 5:width * k // 6 + 5]
             for k in (1, 3, 5)]         # the painting, Magenta and Gatys, left to right
    assert panes[0].std() > 0 or abs(panes[0].mean() - 25) > 20      # not the background
    assert np.abs(panes[1].mean((0, 1)) - GREEN).max() < 12
    assert np.abs(panes[2].mean((0, 1)) - BLUE).max() < 12
    assert sorted(p.name for p in (tmp_path / "duels").iterdir()) == sorted(
        p.name for p in (mp4, small, png))        # no partial file left
    stages = [status.stage for status in pipe.sent]
    assert stages.index("video") < stages.index("small") < stages.index("picture")


def test_export_process_is_nice_and_has_no_tensorflow(tmp_path):
    export = start_export(duel_job(tmp_path / "duels"))
    deadline = time.monotonic() + 180
    status = export.poll()
    while not status.done and time.monotonic() < deadline:
        time.sleep(0.05)
        status = export.poll()
    assert status.stage == "done", status.reason
    assert export.facts["nice"] >= 10
    assert export.facts["tensorflow"] is False and export.facts["models"] is False
    assert all(Path(p).is_file() for p in status.paths)


def test_failure_is_one_line(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the duels folder should be")
    pipe = Collect()
    run_export(duel_job(blocker / "duels"), pipe)
    last = pipe.sent[-1]
    assert last.stage == "failed" and last.paths == []
    assert "\n" not in last.reason and "not-a-folder" in last.reason


def test_usb_copy_only_when_staff_enable_it(tmp_path, monkeypatch):
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(os.path, "ismount", lambda path: False)
    pipe = Collect()
    run_export(duel_job(tmp_path / "a", usb_dir=os.fspath(stick)), pipe)
    assert pipe.sent[-1].reason == "no_usb" and list(stick.iterdir()) == []
    assert len(pipe.sent[-1].paths) == 3                # the local files are kept
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == stick)
    pipe = Collect()
    run_export(duel_job(tmp_path / "b", usb_dir=os.fspath(stick)), pipe)
    assert pipe.sent[-1].reason == "usb"
    assert sorted(p.name for p in stick.iterdir()) == sorted(
        Path(p).name for p in pipe.sent[-1].paths[:3])
    pipe = Collect()
    run_export(duel_job(tmp_path / "c"), pipe)          # off: usb_dir empty
    assert pipe.sent[-1].reason == "" and len(pipe.sent[-1].paths) == 3


def test_killed_export_leaves_nothing_after_tidy(tmp_path):
    data = tmp_path / "data"
    duels = data / "duels"
    export = start_export(duel_job(duels, elapsed=60.0))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not any(duels.glob(".partial-*")):
        time.sleep(0.02)
    export.cancel()
    export._process.join(timeout=60)
    folders = DataFolders(leaderboard=data / "leaderboard.sqlite3", gallery=data / "gallery",
                          parties=data / "parties", duels=duels)
    while time.monotonic() < deadline:     # ffmpeg may still be finishing its temp file
        for path in duels.iterdir():
            os.utime(path, (time.time() - 3600, time.time() - 3600))
        tidy_data_folder(folders)
        if not any(duels.iterdir()):
            break
        time.sleep(0.1)
    assert list(duels.iterdir()) == []
    assert export.poll().stage == "failed"
