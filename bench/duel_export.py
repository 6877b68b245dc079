"""Saving the duel of a 90-s round: how long each file takes (JSON on stdout).

A bot paints a 90-s round on the paint scene's canvas (game/bot render_plan through
History, as a player's strokes are logged), Gatys's reel is 40 snapshots at 192 px, and
the export runs as the game runs it: a spawned process at nice 15 (no NST job running).
Times are taken from its stages as the game sees them through poll(). Targets: the 720p
MP4 in <= 20 s; the small animation (WebP, or GIF) after it.

    python bench/duel_export.py [--runs 1] [--seconds 90]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

POINTS_PER_STROKE_SECOND = 300 / 90     # strokes the bot plans per second of round


def bot_round(app, seconds: float = 90.0):
    """A finished Round painted by the bot for about `seconds`, both machines done, Gatys
    with 40 snapshots; (round, stroke log)."""
    import numpy as np
    import pygame

    from brushes import Canvas, History
    from game.bot.plan import plan_painting
    from game.bot.render import render_plan
    from game.round import Round
    from game.scenes.paint import canvas_size_for

    catalogue, images = app.services.catalogue, app.services.images
    content, style = catalogue.content[0], catalogue.styles[0]
    content_rgb, style_rgb = images.array(content), images.array(style)
    size = canvas_size_for(content_rgb.shape)
    canvas, history = Canvas(*size, seed=7), History(limit=1)
    plan = plan_painting(content_rgb, style_rgb, size, seed=1,
                         budget=round(seconds * POINTS_PER_STROKE_SECOND))
    render_plan(plan, canvas, history)
    canvas.update(10.0)
    round_ = Round(content, style, seconds)
    round_.start()
    round_.tick(seconds)
    round_.canvas_size, round_.canvas_seed = size, 7
    round_.finish(canvas.rgb8())
    small = np.asarray(pygame.surfarray.array3d(pygame.transform.smoothscale(
        images.surface(style, (192, 144)), (192, 144)))).swapaxes(0, 1)
    photo = np.asarray(pygame.surfarray.array3d(pygame.transform.smoothscale(
        images.surface(content, (192, 144)), (192, 144)))).swapaxes(0, 1)
    from game.duel_export import Still
    stills = [Still(seconds * (i + 1) / 40, 10 * (i + 1),
                    (photo * (1 - i / 40) + small * (i / 40)).astype(np.uint8))
              for i in range(40)]
    magenta, gatys = round_.slots["magenta"], round_.slots["gatys"]
    magenta.image, magenta.status, magenta.seconds = small.copy(), "done", 1.2
    gatys.image, gatys.status, gatys.seconds = stills[-1].image, "done", seconds
    gatys.iteration, gatys.snapshots = 400, stills
    round_.set_scores({"painting~magenta": 6.1, "painting~gatys": 7.3}, "bench",
                      {"layout": 7.1, "colour": 6.0, "brushwork": 8.2})
    return round_, history.log


def duel_job(app, round_, log, out_dir: Path):
    """The job the replay screen's Save would start, into `out_dir`."""
    from game.replay import END_SECONDS, MAX_SECONDS, replay_span
    from game.scenes.replay import duel_texts
    from game.scenes.replay_status import export_job
    speed = replay_span(log, round_.slots["gatys"].snapshots, round_.elapsed) / (
        MAX_SECONDS - END_SECONDS)
    job = export_job(app, round_, log, duel_texts(app, round_, max(1.0, speed)))
    job.out_dir = os.fspath(out_dir)
    return job


def timed_export(job) -> dict:
    """Start the export and note when each stage begins, as the game's poll() sees it."""
    from game.duel_export import start_export
    started = time.monotonic()
    export = start_export(job)
    marks: dict[str, float] = {}
    status = export.poll()
    while not status.done:
        marks.setdefault(status.stage, time.monotonic() - started)
        time.sleep(0.01)
        status = export.poll()
    marks[status.stage] = time.monotonic() - started
    if status.stage != "done":
        raise SystemExit(f"the export failed: {status.reason}")
    paths = [Path(p) for p in status.paths]
    return {"marks": marks, "paths": paths}


def headless_app():
    from game.app import App, AppOptions, FastClock
    from game.config import GameConfig
    from game.launcher import build_services
    from game.paths import default_config_path
    config = GameConfig()
    return App(build_services(config, default_config_path(), []), AppOptions(seed=1),
               clock=FastClock())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=90.0, help="the round's length")
    parser.add_argument("--keep", metavar="FOLDER", help="write the files here and keep them")
    args = parser.parse_args()
    home = Path(os.environ.setdefault("STYLE_DUEL_HOME", "/tmp/style-duel-bench"))
    home.mkdir(parents=True, exist_ok=True)
    app = headless_app()
    round_, log = bot_round(app, args.seconds)
    load_before = os.getloadavg()[0]
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="duel-bench-") as out:
            found = timed_export(duel_job(app, round_, log, Path(args.keep or out)))
            marks, paths = found["marks"], found["paths"]
            runs.append({
                "mp4_720p_s": marks["small"] - marks.get("video", 0.0),
                "small_s": marks["picture"] - marks["small"],
                "triptych_s": marks["done"] - marks["picture"],
                "start_s": marks.get("video", 0.0),
                "total_s": marks["done"],
                "bytes": {p.suffix[1:]: p.stat().st_size for p in paths}})
    from game.replay import replay_plan
    plan = replay_plan(log, round_.slots["gatys"].snapshots, 1.2, round_.elapsed)
    result = {
        "runs": args.runs,
        "round_seconds": args.seconds,
        "stroke_points": sum(len(record.points) for record in log),
        "log_span_s": round(max(p[2] for record in log for p in record.points), 1),
        "replay_frames": len(plan),
        "replay_seconds": round(len(plan) / 30, 2),
        **{key: round(statistics.median(run[key] for run in runs), 2)
           for key in ("mp4_720p_s", "small_s", "triptych_s", "start_s", "total_s")},
        "bytes": runs[-1]["bytes"],
        "nst_jobs_running": 0,
        "machine_load_1min_before": round(load_before, 2),
        "machine_load_1min_after": round(os.getloadavg()[0], 2),
        "target_mp4_720p_s": 20.0,
    }
    app.shutdown()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
