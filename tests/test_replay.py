"""The duel replay: its plan (at most 20 s at 30 fps, painting and Gatys in step), the
painting grown again from its log, and the replay screen reached from the reveal."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame
import pytest
from scene_kit import keydown, make_app, pump

from brushes import BrushSettings, Canvas, History, Watercolour
from game.bot.plan import plan_painting
from game.bot.render import render_plan
from game.replay import replay_plan, step_times
from game.timelapse import StrokeReplayer


@dataclass
class Snap:
    """What the replay needs of a models.messages.Snapshot."""
    seconds: float
    iteration: int
    image: np.ndarray


def long_log(seconds: float, clear_at: float | None = None) -> list[dict]:
    """A log of 2-point strokes, one a second for `seconds`, maybe a clear in between."""
    log = []
    for k in range(int(seconds)):
        if clear_at is not None and k == int(clear_at):
            log.append({"kind": "clear", "points": []})
        log.append({"kind": "acrylic", "points": [[1, 1, k + 0.2, 0], [2, 2, k + 0.7, 3]]})
    return log


def snaps(seconds: float, count: int = 40) -> list[Snap]:
    image = np.zeros((4, 4, 3), np.uint8)
    return [Snap(seconds * (i + 1) / count, 10 * i, image) for i in range(count)]


@pytest.mark.parametrize("seconds", [90, 600, 5])
def test_plan_is_at_most_20_s_at_30_fps(seconds):
    plan = replay_plan(long_log(seconds), snaps(seconds), 1.5, seconds)
    assert len(plan) <= 600
    ending = [frame for frame in plan if frame.ending]
    assert len(ending) == 60 and plan[-61].ending is False and plan[-1].ending
    assert plan[-1].round_s == pytest.approx(seconds)
    if seconds == 5:      # a short round plays at its own pace
        assert len(plan) - 60 == 150


def test_plan_keeps_painting_and_gatys_in_step():
    log, reel = long_log(90, clear_at=40), snaps(90)
    plan = replay_plan(log, reel, 1.5, 90)
    times = step_times(log)
    assert len(times) == 90 * 2 + 1 and times == sorted(times)
    clocks = [frame.round_s for frame in plan]
    assert clocks == sorted(clocks)
    for frame in plan:
        assert frame.points == sum(1 for t in times if t <= frame.round_s)
        expected = max((i for i, s in enumerate(reel) if s.seconds <= frame.round_s),
                       default=-1)
        assert frame.gatys == expected
        assert frame.magenta_shown == (frame.round_s >= 1.5)
    assert plan[-1].points == len(times) and plan[-1].gatys == 39
    assert plan[0].gatys == -1 and plan[0].points < 5


def test_plan_without_snapshots_or_magenta():
    plan = replay_plan(long_log(30), [], None, 30)
    assert all(frame.gatys == -1 and not frame.magenta_shown for frame in plan)


def painted(size=(160, 120), seed=9, budget=30):
    """A bot painting through History, settled as PaintScene.finish does, then a last
    wet wash still settling: (log, painting)."""
    rng = np.random.default_rng(0)
    content = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    style = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    canvas, history = Canvas(*size, seed=seed), History(limit=100)
    render_plan(plan_painting(content, style, size, seed=3, budget=budget), canvas, history)
    t = 60.0
    history.begin(canvas, Watercolour(BrushSettings(color=(200, 40, 40), size=20)), 20, 20, t)
    for i in range(20):
        t += 1 / 60
        canvas.update(1 / 60)
        history.extend(canvas, 20 + 5 * i, 20 + 3 * i, t)
    history.end(canvas)
    canvas.update(10.0)      # PaintScene.finish
    return history.log, canvas.rgb8().copy()


def test_replay_ends_on_the_painting():
    log, painting = painted()
    replayer = StrokeReplayer([record.to_dict() for record in log], (160, 120), 9)
    plan = replay_plan(log, [], None, 61.0)
    for frame in plan[:len(plan) // 2]:
        replayer.advance_to(frame.points)
    assert not np.array_equal(replayer.rgb8(), painting)      # half-way: not there yet
    replayer.settle()
    assert replayer.failed is False
    assert np.array_equal(replayer.rgb8(), painting)


def test_a_damaged_log_stops_without_raising():
    log = [{"kind": "acrylic", "settings": None, "params": None, "seed": 1,
            "points": [[1, 1, 0.1, 0], [2, 2, 0.2, 1]]}]
    replayer = StrokeReplayer(log, (32, 32), 1)
    replayer.settle()
    assert replayer.failed and replayer.finished


def test_an_unreadable_log_is_a_failed_replay():
    replayer = StrokeReplayer([{"kind": "acrylic"}], (32, 32), 1)
    assert replayer.failed and replayer.advance_to(10) == 0


# -- the replay screen -------------------------------------------------------------------

GATYS_COLOURS = [(200, 20, 20), (20, 200, 20), (20, 20, 200)]


@pytest.fixture
def duel_app(tmp_path):
    from game.config import GameConfig
    config = GameConfig()
    config.paths.data_dir = str(tmp_path / "data")
    apps = make_app(config)
    yield next(apps)
    for _ in apps:
        pass


def duel_round(app, origin="painted"):
    """A finished round painted by the bot on a small canvas, both machines done, Gatys's
    reel of three plain colours and a final picture of a fourth; (round, log)."""
    from game.round import Round
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    log, painting = painted(size=(160, 120), seed=9)
    round_.start()
    round_.canvas_size, round_.canvas_seed, round_._elapsed = (160, 120), 9, 61.0
    round_.origin = origin
    round_.finish(painting)
    magenta, gatys = round_.slots["magenta"], round_.slots["gatys"]
    magenta.image, magenta.status, magenta.seconds = np.full((30, 40, 3), 250, np.uint8), \
        "done", 1.0
    gatys.snapshots = [Snap(5.0 + 15 * i, 20 * i, np.full((30, 40, 3), colour, np.uint8))
                       for i, colour in enumerate(GATYS_COLOURS)]
    gatys.image, gatys.status, gatys.seconds, gatys.iteration = \
        np.full((30, 40, 3), (240, 240, 0), np.uint8), "done", 60.0, 60
    round_.set_scores({"painting~magenta": 6.0, "painting~gatys": 7.0}, "test",
                      {"layout": 6.0, "colour": 7.0, "brushwork": 5.0})
    return round_, log


def centre_of(app, rect) -> tuple:
    return tuple(app.screen.get_at(rect.center))[:3]


def test_reveal_D_opens_replay_and_Esc_returns(duel_app):
    from game.scenes.reveal import RevealScene
    round_, log = duel_round(duel_app)
    duel_app.stack.push(RevealScene(duel_app, round_, log))
    pump(duel_app, frames=2)
    pump(duel_app, [keydown(pygame.K_d)])
    assert duel_app.stack.top.name == "replay"
    pump(duel_app, [keydown(pygame.K_ESCAPE)])
    assert duel_app.stack.top.name == "reveal"


def test_no_replay_after_giving_up(duel_app):
    from game.scenes.reveal import RevealScene
    round_, log = duel_round(duel_app)
    round_.gave_up = True
    duel_app.stack.push(RevealScene(duel_app, round_, log))
    pump(duel_app, [keydown(pygame.K_d)], frames=2)
    assert duel_app.stack.top.name == "reveal"


def test_cached_pair_replays_too(duel_app):
    """Gatys's snapshots come and go with the clock, then its final picture; the painting
    grows and ends as the painting that was scored."""
    from game.scenes.replay import ReplayScene
    round_, log = duel_round(duel_app)
    scene = ReplayScene(duel_app, round_, log)
    duel_app.stack.push(scene)
    seen, painting_mid = set(), None
    while not scene.ended:
        pump(duel_app)
        view = scene.view()
        if view.gatys is not None:
            seen.add(centre_of(duel_app, view.gatys))
        if painting_mid is None and scene.frame.round_s > 30:
            painting_mid = scene.replayer.rgb8().copy()
    assert {tuple(c) for c in GATYS_COLOURS} <= seen       # each snapshot was on show
    pump(duel_app)
    assert centre_of(duel_app, scene.view().gatys) == (240, 240, 0)   # the final picture
    assert not np.array_equal(painting_mid, round_.painting)
    assert np.array_equal(scene.replayer.rgb8(), round_.painting)
    assert centre_of(duel_app, scene.view().magenta) == (250, 250, 250)


def test_an_upload_is_shown_whole(duel_app):
    from game.scenes.replay import ReplayScene
    round_, log = duel_round(duel_app, origin="uploaded")
    scene = ReplayScene(duel_app, round_, None)
    duel_app.stack.push(scene)
    pump(duel_app, frames=2)
    assert scene.replayer is None
    texts = [box.text for box in scene.layout().texts()]
    assert duel_app.strings.get("replay.uploaded") in texts


def test_save_the_duel_writes_its_files(duel_app):
    from game.scenes.replay import ReplayScene
    round_, log = duel_round(duel_app)
    round_._elapsed = 3.0                     # a short replay keeps the export quick
    scene = ReplayScene(duel_app, round_, log)
    duel_app.stack.push(scene)
    pump(duel_app, [keydown(pygame.K_s)])
    assert scene.export is not None
    deadline = pygame.time.get_ticks() + 240_000
    while not scene.export.poll().done and pygame.time.get_ticks() < deadline:
        pump(duel_app)
        pygame.time.wait(20)
    status = scene.export.poll()
    assert status.stage == "done", status.reason
    folder = Path(duel_app.config.paths.data_dir) / "duels"
    assert sorted(p.suffix for p in folder.iterdir()) == sorted(
        [".mp4", ".png", Path(status.paths[1]).suffix])
    pump(duel_app)
    assert duel_app.strings(scene.status).startswith("Saved in")


def test_kiosk_leaving_from_the_replay_leaves_the_reveal_too(duel_app):
    """The kiosk's time-out goes to attract mode past the reveal: the replay passes it on,
    and the USB folder goes to the export only in a kiosk."""
    from game.scenes.reveal import RevealScene
    from game.scenes.replay_status import export_job
    round_, log = duel_round(duel_app)
    reveal = RevealScene(duel_app, round_, log)
    left = []
    reveal.kiosk_leave = lambda: left.append("reveal")
    duel_app.stack.push(reveal)
    pump(duel_app, [keydown(pygame.K_d)])
    duel_app.stack.top.kiosk_leave()
    assert left == ["reveal"]
    duel_app.config.kiosk.usb_dir = "/media/stick"
    texts = duel_app.stack.top.texts
    assert export_job(duel_app, round_, log, texts).usb_dir == ""      # not a kiosk
    duel_app.config.kiosk.enabled = True
    job = export_job(duel_app, round_, log, texts)
    assert job.usb_dir == "/media/stick" and job.keep == 50


def test_gatys_caption_says_starting_then_its_iteration_then_done(duel_app):
    from game.duel_view import gatys_caption
    from game.scenes.replay import ReplayScene
    round_, log = duel_round(duel_app)
    texts = ReplayScene(duel_app, round_, log).texts
    snapshots = round_.slots["gatys"].snapshots            # iterations 0, 20, 40
    assert gatys_caption(texts, False, -1, snapshots).endswith("· starting…")
    assert gatys_caption(texts, False, 2, snapshots).endswith("· iteration 40")
    assert gatys_caption(texts, True, 2, snapshots).endswith("· finished, 60 iterations")
    assert gatys_caption(texts, False, 1, []) == texts.gatys_done
