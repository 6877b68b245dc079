"""Scenes driven headless: real events in, real pixels and state out."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from scene_kit import app, keydown, pump  # noqa: F401 (app is a fixture)

from game.app import App
from game.round import Round


def paint_scene(app: App, seconds: float = 30):
    from game.scenes.paint import PaintScene
    catalogue = app.services.catalogue
    scene = PaintScene(app, Round(catalogue.content[0], catalogue.styles[0], seconds))
    app.stack.push(scene)
    return scene


def drag(scene, start, end, steps=12):
    x0, y0 = start
    x1, y1 = end
    rect = scene.canvas_rect
    points = [(rect.x + round(x0 + (x1 - x0) * i / steps),
               rect.y + round(y0 + (y1 - y0) * i / steps)) for i in range(steps + 1)]
    events = [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=1)]
    events += [pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0))
               for p in points[1:]]
    events.append(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=points[-1], button=1))
    return events


def test_title_keys_open_each_scene(app):
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    pump(app)
    for code, name in ((pygame.K_s, "settings"), (pygame.K_l, "leaderboard"),
                       (pygame.K_p, "setup")):
        pump(app, [keydown(code)])
        assert app.stack.top.name == name
        pump(app, [keydown(pygame.K_ESCAPE)])
        assert app.stack.top.name == "title"
    pump(app, [keydown(pygame.K_q)])
    assert app.running is False


def test_painting_a_stroke_changes_canvas_pixels_on_screen(app):
    scene = paint_scene(app)
    pump(app)
    before = pygame.surfarray.array3d(app.screen).copy()
    scene.panel.set_color((200, 30, 30))
    scene.toolbox.set_size(40)
    pump(app, drag(scene, (100, 100), (300, 120)))
    after = pygame.surfarray.array3d(app.screen)
    x, y = scene.canvas_rect.x + 200, scene.canvas_rect.y + 110
    assert tuple(after[x, y]) != tuple(before[x, y])
    assert after[x, y][0] > after[x, y][1] + 60      # red paint, not paper
    assert scene.history.can_undo


def test_undo_key_restores_canvas(app):
    scene = paint_scene(app)
    pump(app)
    blank = scene.canvas.rgb8().copy()
    pump(app, drag(scene, (50, 50), (250, 200)))
    assert not np.array_equal(scene.canvas.rgb8(), blank)
    pump(app, [keydown(pygame.K_z, pygame.KMOD_LCTRL)])
    assert np.array_equal(scene.canvas.rgb8(), blank)
    pump(app, [keydown(pygame.K_y, pygame.KMOD_LCTRL)])
    assert not np.array_equal(scene.canvas.rgb8(), blank)


def test_tool_and_size_keys(app):
    scene = paint_scene(app)
    pump(app, [keydown(pygame.K_w)])
    assert scene.toolbox.kind == "watercolour"
    size = scene.toolbox.settings.size
    pump(app, [keydown(pygame.K_RIGHTBRACKET)])
    assert scene.toolbox.settings.size > size
    pump(app, [keydown(pygame.K_e), keydown(pygame.K_i)])
    assert scene.toolbox.kind == "eyedropper"


def test_eyedropper_samples_style_reference(app):
    scene = paint_scene(app)
    h, w = scene.style_rgb.shape[:2]
    halves = np.zeros((h, w, 3), np.uint8)             # left half red, right half blue
    halves[:, : w // 2] = (250, 10, 10)
    halves[:, w // 2:] = (10, 10, 250)
    scene.style_rgb = halves
    rect = scene.ref_rects["style"]
    for frac, expected in ((0.25, (250, 10, 10)), (0.75, (10, 10, 250))):
        pump(app, [keydown(pygame.K_i)])
        pos = (rect.x + round(rect.width * frac), rect.centery)
        pump(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)])
        assert tuple(scene.toolbox.settings.color) == expected
        assert scene.toolbox.kind == "acrylic"      # back to painting after one sample


def test_timer_runs_out_into_reveal_with_painting(app):
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    scene = paint_scene(app, seconds=30)
    pump(app, drag(scene, (20, 20), (200, 200)))
    pump(app, frames=30 * 60 + 2)
    assert app.stack.top.name == "reveal"
    reveal = app.stack.top
    assert reveal.round.phase == "finished"
    assert reveal.round.painting.shape == (scene.canvas.height, scene.canvas.width, 3)
    assert all(slot.status == "waiting" for slot in reveal.round.slots.values())


def test_urgent_in_last_ten_seconds_turns_timer_red(app):
    scene = paint_scene(app, seconds=30)
    pump(app, frames=25 * 60)
    assert scene.round.is_urgent
    pixels = pygame.surfarray.array3d(app.screen)
    timer_area = pixels[560:720, 5:65]          # (x, y, 3): around the countdown
    reds = (timer_area[..., 0] > 180) & (timer_area[..., 1] < 110)
    assert reds.sum() > 50


def test_pause_stops_clock_and_give_up_reveals_without_score(app):
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    scene = paint_scene(app, seconds=60)
    pump(app, frames=60)
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top.name == "pause"
    remaining = scene.round.remaining
    pump(app, frames=120)
    assert scene.round.remaining == remaining
    pump(app, [keydown(pygame.K_g)])
    assert app.stack.top.name == "reveal"
    assert app.stack.top.round.gave_up
    assert not app.stack.top.menu.buttons[0].enabled


def test_name_entry_refuses_bad_name_then_saves_row(app):
    from game.scenes.name_entry import NameEntryScene
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    round_ = Round(app.services.catalogue.content[0], app.services.catalogue.styles[0], 30)
    round_.start()
    round_.finish(np.full((60, 80, 3), 90, np.uint8))
    app.stack.push(NameEntryScene(app, round_))
    pump(app, [pygame.event.Event(pygame.TEXTINPUT, text="x" * 20), keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "name_entry"
    assert "16" in app.strings(app.stack.top.error)
    app.stack.top.field.text = "  Ada  "
    pump(app, [keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "leaderboard"
    rows = app.services.leaderboard.top(10)
    assert [r.name for r in rows] == ["Ada"]
    assert rows[0].painting_path.exists()
    assert app.stack.top.highlight == rows[0].id


def test_settings_change_is_saved_to_config_file(app):
    from game.config import load_config
    from game.scenes.settings import SettingsScene
    app.stack.push(SettingsScene(app))
    seconds = app.config.round.seconds
    pump(app, [keydown(pygame.K_RIGHT)])                  # round time +15
    pump(app, [keydown(pygame.K_DOWN), keydown(pygame.K_RIGHT)])     # paintings: an artist
    pump(app, [keydown(pygame.K_DOWN), keydown(pygame.K_DOWN), keydown(pygame.K_RIGHT)])
    pump(app, [keydown(pygame.K_ESCAPE)])
    saved, warnings = load_config(app.services.config_path)
    assert saved.round.seconds == seconds + 15
    assert saved.round.style_kind == "artist"
    assert saved.display.text_size == "large"
    assert warnings == []


def test_setup_loads_dropped_file_and_reports_bad_one(app, tmp_path):
    from PIL import Image

    from game.scenes.setup import SetupScene
    good = tmp_path / "mine.png"
    Image.fromarray(np.full((40, 60, 3), 200, np.uint8)).save(good)
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG not really")
    setup = SetupScene(app)
    app.stack.push(setup)
    pump(app, [pygame.event.Event(pygame.DROPFILE, file=str(good))])
    assert setup.content.path == good and setup.content.user
    pump(app, [pygame.event.Event(pygame.DROPFILE, file=str(bad))])
    assert setup.content.path == good
    assert "broken.png" in setup.message


def test_closing_the_window_ends_the_loop_from_any_scene(app):
    paint_scene(app)
    pump(app, [pygame.event.Event(pygame.QUIT)])
    assert app.running is False


def test_start_submits_both_jobs_before_the_clock_and_reveal_shows_results(app):
    from models.messages import Failed, Progress, Result

    from game.scenes.setup import SetupScene
    from game.scenes.title import TitleScene
    service = app.services.machines.service
    app.stack.push(TitleScene(app))
    app.stack.push(SetupScene(app))
    pump(app)
    assert service.started                       # workers spawn while the player looks
    pump(app, [keydown(pygame.K_RETURN)])
    paint = app.stack.top
    assert paint.name == "paint"
    assert [(e, b) for _, e, _, b in service.jobs] == [("magenta", paint.round.seconds),
                                                       ("gatys", paint.round.seconds)]
    h, w = paint.content_rgb.shape[:2]
    image = np.full((h, w, 3), 77, np.uint8)
    service.answers = [Result("magenta-1", "magenta", "studio filter (offline)", image, 0.4, 1,
                              True),
                       Progress("gatys-2", 0.5, 12, 20.0, {}, image[::4, ::4].copy()),
                       Result("stale-9", "gatys", "x", image, 1.0, 1, True)]
    pump(app)
    slots = paint.round.slots
    assert slots["magenta"].status == "done"
    assert app.strings(slots["magenta"].label).lower().startswith("studio")
    assert slots["gatys"].status == "running" and slots["gatys"].iteration == 12
    pump(app, [keydown(pygame.K_f)])
    assert app.stack.top.name == "reveal"
    pump(app, frames=90)                                   # the slots have slid in
    pixels = pygame.surfarray.array3d(app.screen).astype(int)
    assert np.abs(pixels[640, 280] - 77).max() <= 3       # Magenta's picture in its slot
    service.answers = [Failed("gatys-2", "gatys", "The Gatys worker crashed and was restarted.")]
    pump(app)
    assert slots["gatys"].status == "failed" and "crashed" in app.strings(slots["gatys"].detail)
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert service.cancelled_rounds == [paint.round.round_id]


# -- the score on the reveal --------------------------------------------------------------------

def revealed_round(app, painting_value: int = 90):
    """A finished round whose two machine results have landed, on the reveal screen."""
    from models.messages import Result

    from game.scenes.reveal import RevealScene
    service = app.services.machines.service
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    content = np.full((60, 80, 3), 40, np.uint8)
    app.services.machines.start_round(round_, content, content)
    round_.start()
    round_.finish(np.full((60, 80, 3), painting_value, np.uint8))
    app.stack.push(RevealScene(app, round_))
    image = np.full((60, 80, 3), 77, np.uint8)
    ids = [job_id for job_id in (round_.slots["magenta"].job_id, round_.slots["gatys"].job_id)]
    service.answers = [Result(ids[0], "magenta", "Magenta", image, 0.4, 1, True),
                       Result(ids[1], "gatys", "Gatys", image, 9.0, 80, True)]
    pump(app)
    return round_, service


def test_score_job_goes_out_once_both_machines_are_final(app):
    round_, service = revealed_round(app)
    score_jobs = [job for job in service.jobs if job[1] == "score"]
    assert score_jobs == [(round_.round_id, "score", ("gatys", "magenta", "painting"), None)]
    assert round_.scoring.status == "scoring"
    pump(app, frames=3)
    assert len([job for job in service.jobs if job[1] == "score"]) == 1     # only once


def test_reveal_shows_the_score_when_it_lands(app):
    from models.messages import ScoreResult
    round_, service = revealed_round(app)
    pump(app, frames=90)
    before = pygame.surfarray.array3d(app.screen)[250:1248, 515:625].astype(int)
    service.answers = [ScoreResult(round_.scoring.job_id, {"painting~magenta": 6.1,
                                                          "painting~gatys": 6.4,
                                                          "magenta~gatys": 7.2}, "encoder x", 0.1)]
    pump(app, frames=2)
    assert round_.score == 6.2 and round_.scoring.status == "done"
    assert (round_.scoring.vs_magenta, round_.scoring.vs_gatys) == (6.1, 6.4)
    assert round_.scoring.machines_agree == 7.2
    after = pygame.surfarray.array3d(app.screen)[250:1248, 515:625].astype(int)
    assert np.abs(after - before).max() > 50            # the comparisons are drawn


def test_without_a_score_model_the_reveal_still_shows_the_machines(app):
    from models.messages import SCORE, Failed
    round_, service = revealed_round(app)
    reason = ("No score this round: the score model file is missing "
              "(models/weights/encoder.weights.h5).")
    service.answers = [Failed(round_.scoring.job_id, SCORE, reason)]
    pump(app, frames=90)
    assert round_.score is None
    assert round_.scoring.status == "failed" and app.strings(round_.scoring.detail) == reason
    pixels = pygame.surfarray.array3d(app.screen).astype(int)
    assert np.abs(pixels[640, 280] - 77).max() <= 3       # Magenta's picture in its slot
    assert np.abs(pixels[1050, 280] - 77).max() <= 3      # Gatys's picture in its slot
    urgent = np.array(app.theme.colors.urgent)
    (reason_box,) = app.stack.top.layout().texts("reveal.body.score.lines")
    box = reason_box.rect
    message = pixels[box.left:box.right, box.top:box.bottom]
    assert (np.abs(message - urgent).max(axis=2) < 40).sum() > 50   # the reason, in red


def test_a_painting_signed_before_its_score_gets_it_later(app):
    from models.messages import ScoreResult

    from game.scenes.name_entry import NameEntryScene
    round_, service = revealed_round(app)
    app.replace_top(NameEntryScene(app, round_))
    pump(app)
    pump(app, [pygame.event.Event(pygame.TEXTINPUT, text="Ida")])
    pump(app, [keydown(pygame.K_RETURN)])
    board = app.services.leaderboard
    assert [row.score for row in board.top()] == [None]
    service.answers = [ScoreResult(round_.scoring.job_id, {"painting~magenta": 5.0,
                                                          "painting~gatys": 7.0}, "e", 0.1)]
    pump(app)
    assert [row.score for row in board.top()] == [6.0]


def test_giving_up_sends_no_score_job(app):
    from game.scenes.reveal import RevealScene
    service = app.services.machines.service
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    app.services.machines.start_round(round_, np.zeros((6, 8, 3), np.uint8),
                                      np.zeros((6, 8, 3), np.uint8))
    round_.start()
    round_.give_up(np.zeros((6, 8, 3), np.uint8))
    app.stack.push(RevealScene(app, round_))
    pump(app, frames=3)
    assert all(job[1] != "score" for job in service.jobs)
    assert round_.scoring.status == "none" and round_.score is None


def test_reveal_captions_each_result_with_its_settings(app):
    from models.messages import Result

    from game.scenes.reveal import RevealScene
    round_ = Round(app.services.catalogue.content[0], app.services.catalogue.styles[0], 30)
    round_.start()
    round_.finish(np.full((90, 120, 3), 200, np.uint8))
    machines = app.services.machines
    machines.start_round(round_, np.zeros((90, 120, 3), np.uint8), np.zeros((8, 8, 3), np.uint8))
    image = np.full((90, 120, 3), 230, np.uint8)              # light: the dark strip shows
    machines.service.answers = [Result(round_.slots["magenta"].job_id, "magenta",
                                       "Magenta (TFLite fp16)", image, 0.2, 1, True,
                                       settings_text="style at 256 px, strength 1")]
    scene = RevealScene(app, round_)
    app.stack.push(scene)
    pump(app, frames=90)
    assert app.strings(round_.slots["magenta"].settings_text) == "style at 256 px, strength 1"
    pixels = pygame.surfarray.array3d(app.screen).astype(int)   # (x, y, 3)
    (picture,) = [box.rect for box in scene.layout().find("reveal.body.magenta", "picture")]
    assert picture.width / picture.height == pytest.approx(120 / 90, abs=0.02)
    column = pixels[picture.centerx, picture.top + 4:picture.bottom - 2].mean(axis=1)
    assert (column > 200).sum() > 150                           # the picture itself
    assert (column < 150).sum() >= 10                           # the caption strip over it


def test_leaderboard_shows_a_score_that_lands_after_signing(app):
    from game.scenes.leaderboard import LeaderboardScene
    board = app.services.leaderboard
    row = board.add("Ada", None, "c", "s", np.full((30, 40, 3), 90, np.uint8))
    scene = LeaderboardScene(app, highlight=row.id)
    app.stack.push(scene)
    pump(app, frames=5)
    assert scene.waiting_for_score()
    board.set_score(row.id, 7.3)
    pump(app, frames=70)                               # a little over RELOAD_S
    assert not scene.waiting_for_score()
    assert scene.tables["leaderboard.all_time"][0].score == 7.3


def test_settings_that_cannot_be_saved_say_so_and_stay_open(app, tmp_path):
    from game.scenes.settings import SettingsScene
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app.services.config_path = blocker / "sub" / "config.toml"
    scene = SettingsScene(app)
    app.stack.push(scene)
    pump(app, [keydown(pygame.K_ESCAPE)])
    pump(app)                                  # the next frame draws the message
    assert app.stack.top is scene
    assert app.strings(scene.message).startswith("Settings could not be saved to")


def test_leaderboard_filter_and_uploaded_tag(app):
    """Bring your own attempt: brought pictures are tagged on the board, F hides them."""
    from game.scenes.leaderboard import LeaderboardScene
    from scene_kit import drawn_text
    board = app.services.leaderboard
    picture = np.full((30, 40, 3), 90, np.uint8)
    board.add("Painter", 6.0, "c", "s", picture)
    board.add("Bringer", 9.0, "c", "s", picture, origin="uploaded")
    scene = LeaderboardScene(app)
    app.stack.push(scene)
    pump(app)
    tag = app.t("attempt.uploaded")
    assert [row.name for row in scene.tables["leaderboard.all_time"]] == ["Bringer", "Painter"]
    words = [box.text for box in scene.layout().texts()]
    assert words.count(tag) == 2                    # one row in each of the two tables
    assert app.t("attempt.filter_all") in drawn_text(app)
    pump(app, [keydown(pygame.K_f)])
    assert [row.name for row in scene.tables["leaderboard.all_time"]] == ["Painter"]
    assert [row.name for row in scene.tables["leaderboard.today"]] == ["Painter"]
    texts = drawn_text(app)
    assert tag not in texts and app.t("attempt.showing_painted") in texts
    assert app.t("attempt.filter_painted") in texts
    pump(app, [keydown(pygame.K_f)])
    assert len(scene.tables["leaderboard.all_time"]) == 2
