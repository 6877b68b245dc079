"""Frame time of the paint scene under a scripted stroke stream (JSON on stdout).

The paint scene at 1280x720 (dummy video driver), both brushes, sizes 8-120, for at least
10 s of game time per run; each frame is events + update + draw + flip, timed on the
wall clock. Median over runs of each run's p50/p99/max. Target: p99 <= 16.7 ms.
`--with-workers` runs the same stroke stream while both NST workers are busy on the
round's pair (the real game's situation), after waiting for them to load.
`--with-export` keeps a duel export (bench/duel_export.py's 90-s bot round, the spawned
nice-15 process the game starts) running beside the frames, a new one as each finishes;
`--scene replay` times the duel replay screen of that round instead of the paint scene
(it replays strokes too, a bounded number a frame), looping it.

    python bench/frame_time.py [--runs 3] [--seconds 12] [--with-workers] [--with-export]
                               [--scene paint|replay]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # game, and bench

SIZES = (8, 16, 32, 60, 90, 120)
STROKE_FRAMES = 45          # frames per stroke: ~0.75 s drags
SPEED_PX = 14               # pointer travel per frame: a brisk but ordinary drag


def pointer_path(frame: int, rect) -> tuple[int, int]:
    """A looping Lissajous path over the canvas: long strokes in every direction."""
    t = frame / 60
    x = rect.centerx + rect.width * 0.4 * math.sin(t * SPEED_PX / 90)
    y = rect.centery + rect.height * 0.4 * math.sin(t * SPEED_PX / 70 + 1.0)
    return round(x), round(y)


class BusyWorkers:
    """Keeps both NST workers working on the scene's pair for the whole run.

    Gatys gets the round's (long) budget once; Magenta answers in a fraction of a second,
    so it gets a new job (another strength: no result-cache hit) whenever it is free.
    """

    def __init__(self, app, scene) -> None:
        self.service = app.services.machines.service
        self.scene = scene
        self.magenta_jobs = 0
        app.services.machines.start_round(scene.round, scene.content_rgb, scene.style_rgb)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:          # TensorFlow loads in both workers
            self.refill()
            if all(s.state == "busy" for s in self.service.status().values()):
                return
            time.sleep(0.2)
        raise SystemExit(f"workers did not get busy: {self.service.status()}")

    def refill(self) -> None:
        self.service.poll()
        if self.service.status()["magenta"].state == "ready":
            self.magenta_jobs += 1
            strength = 0.5 + (self.magenta_jobs % 50) / 100
            self.service.submit(self.scene.round.round_id, "magenta", self.scene.content_rgb,
                                [(self.scene.style_rgb, 1.0)], strength=strength)


class ExportLoop:
    """Duel exports one after another for the whole run (each into a throw-away folder)."""

    def __init__(self, app, round_, log) -> None:
        import tempfile

        from bench.duel_export import duel_job
        self.folder = tempfile.TemporaryDirectory(prefix="frame-time-export-")
        self.job = duel_job(app, round_, log, Path(self.folder.name))
        self.export, self.count = None, 0
        self.refill()

    def refill(self) -> None:
        from game.duel_export import start_export
        if self.export is None or self.export.poll().done:
            if self.export is not None and self.export.poll().stage != "done":
                raise SystemExit(f"the export failed: {self.export.poll().reason}")
            self.job.stem = f"duel-bench-{self.count}"
            self.export, self.count = start_export(self.job), self.count + 1

    def stop(self) -> None:
        self.export.cancel()
        self.folder.cleanup()


def replay_scene(app, round_, log):
    from game.scenes.replay import ReplayScene
    scene = ReplayScene(app, round_, log)
    app.stack.push(scene)
    return scene


def one_run(seconds: float, seed: int, with_workers: bool = False,
            with_export: bool = False, scene_name: str = "paint"):
    import pygame

    from game.app import App, AppOptions, FastClock
    from game.config import GameConfig
    from game.launcher import build_services
    from game.paths import default_config_path
    from game.round import Round
    from game.scenes.paint import PaintScene

    config = GameConfig()
    config.round.seconds = 600
    services = build_services(config, default_config_path(), [])
    app = App(services, AppOptions(seed=seed), clock=FastClock())
    catalogue = services.catalogue
    duel = None
    if with_export or scene_name == "replay":
        from bench.duel_export import bot_round
        duel = bot_round(app, 90.0)
    scene = PaintScene(app, Round(catalogue.content[0], catalogue.styles[0], 600))
    app.stack.push(scene)
    busy = BusyWorkers(app, scene) if with_workers else None
    if scene_name == "replay":
        scene = replay_scene(app, *duel)
    exports = ExportLoop(app, *duel) if with_export else None
    rect = scene.canvas_rect if scene_name == "paint" else None
    times, cpu_times = [], []
    frames = int(seconds * 60)
    for frame in range(frames):
        start = time.perf_counter()
        cpu_start = time.thread_time()
        if exports is not None:
            exports.refill()
        if rect is None:             # the replay screen: no strokes; again when it ends
            if scene.ended:
                scene.restart()
        else:
            paint_events(scene, frame, rect)
        app.dispatch_events()
        if busy is not None:
            busy.refill()
        app.step()
        app.draw_frame()
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.thread_time() - cpu_start) * 1000)
    if busy is not None:
        print(f"magenta jobs during the run: {busy.magenta_jobs}", file=sys.stderr)
    if exports is not None:
        print(f"duel exports during the run: {exports.count}", file=sys.stderr)
        exports.stop()
    app.shutdown()
    pygame.quit()
    return times, cpu_times


def paint_events(scene, frame: int, rect) -> None:
    """This frame's pointer event of the scripted stroke stream."""
    import pygame
    stroke, step = divmod(frame, STROKE_FRAMES)
    pos = pointer_path(frame, rect)
    if step == 0:
        scene.toolbox.set_kind("watercolour" if stroke % 2 else "acrylic")
        scene.toolbox.set_size(SIZES[stroke % len(SIZES)])
        scene.panel.set_color(((stroke * 67) % 256, (stroke * 151) % 256, 120))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    elif step == STROKE_FRAMES - 1:
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    else:
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0),
                                             buttons=(1, 0, 0)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--with-workers", action="store_true",
                        help="both NST workers busy on the pair while painting")
    parser.add_argument("--with-export", action="store_true",
                        help="a duel export running beside the frames all the time")
    parser.add_argument("--scene", choices=("paint", "replay"), default="paint",
                        help="the paint scene's stroke stream, or the duel replay screen")
    args = parser.parse_args()
    home = Path(os.environ.setdefault("STYLE_DUEL_HOME", "/tmp/style-duel-bench"))
    home.mkdir(parents=True, exist_ok=True)
    measured = [one_run(args.seconds, seed, args.with_workers, args.with_export, args.scene)
                for seed in range(args.runs)]
    runs = [wall for wall, _ in measured]
    cpu_runs = [cpu for _, cpu in measured]
    result = {
        "runs": args.runs,
        "scene": args.scene,
        "nst_workers_busy": args.with_workers,
        "duel_export_running": args.with_export,
        "frames_per_run": len(runs[0]),
        "game_seconds_per_run": args.seconds,
        "frame_ms_p50": round(statistics.median(percentile(r, 50) for r in runs), 2),
        "frame_ms_p99": round(statistics.median(percentile(r, 99) for r in runs), 2),
        "frame_ms_max": round(statistics.median(max(r) for r in runs), 2),
        # CPU time of the game thread per frame: what the frame costs when the machine is
        # not shared; wall time above also includes waiting for the cores.
        "frame_cpu_ms_p50": round(statistics.median(percentile(r, 50) for r in cpu_runs), 2),
        "frame_cpu_ms_p99": round(statistics.median(percentile(r, 99) for r in cpu_runs), 2),
        "machine_load_1min": round(os.getloadavg()[0], 2),
        "target_frame_ms_p99": 16.7,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
