"""Bring your own attempt (issue 13, track A): a picture made elsewhere, fitted to the canvas,
confirmed on screen, scored and signed like a painting and marked "uploaded"."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

import numpy as np
import pygame
import pytest
from PIL import Image

from scene_kit import app, drawn_text, keydown, make_app, pump  # noqa: F401 (app is a fixture)

from game.attempt import AttemptError, fit_to_canvas, load_attempt
from game.config import GameConfig
from game.i18n import Msg

CANVAS = (120, 90)          # (w, h): the paint canvas's 4:3


def bands(path: Path, width: int = 400, height: int = 150) -> Path:
    """A picture in three vertical bands, red | green | blue, the middle one 1/2 wide."""
    image = np.zeros((height, width, 3), np.uint8)
    image[:, : width // 4] = (255, 0, 0)
    image[:, width // 4: width * 3 // 4] = (0, 255, 0)
    image[:, width * 3 // 4:] = (0, 0, 255)
    Image.fromarray(image).save(path)
    return path


def test_attempt_refuses_what_every_image_refuses(tmp_path):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    svg = tmp_path / "drawing.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    sliver = tmp_path / "sliver.png"
    Image.fromarray(np.zeros((10, 90, 3), np.uint8)).save(sliver)    # 9:1
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0" + b"not a jpeg at all" * 20)
    missing = tmp_path / "missing.png"
    for path, reason in ((empty, "empty"), (svg, "SVG"), (sliver, ""), (corrupt, ""),
                         (missing, "does not exist")):
        with pytest.raises(AttemptError) as caught:
            load_attempt(path, CANVAS)
        line = str(caught.value)
        assert "\n" not in line and path.name in line and reason in line, line


def test_attempt_is_fitted_to_the_canvas(tmp_path):
    attempt = load_attempt(bands(tmp_path / "wide.png"), CANVAS)
    assert attempt.image.shape == (90, 120, 3) and attempt.image.dtype == np.uint8
    # 400x150 cover-cropped to 4:3 keeps the middle 200x150, which is the green band whole:
    # squeezed instead, the red and blue bands would show at the edges.
    middle = attempt.image[:, 2:-2].reshape(-1, 3).mean(axis=0)
    assert middle[1] > 250 and middle[0] < 5 and middle[2] < 5
    assert attempt.note == Msg("attempt.cropped")
    same = tmp_path / "same.png"
    Image.fromarray(np.full((300, 400, 3), 9, np.uint8)).save(same)
    fitted = load_attempt(same, CANVAS)
    assert fitted.note is None and np.all(fitted.image == 9)
    tall, cut = fit_to_canvas(np.zeros((400, 100, 3), np.uint8), (64, 48))
    assert tall.shape == (48, 64, 3) and cut


# -- the screens ---------------------------------------------------------------------------
def record_scores(app) -> list[dict]:
    """The images of every score job the fake service gets."""
    service = app.services.machines.service
    seen, submit = [], service.submit_score

    def recording(round_id, images, pairs=None):
        seen.append(images)
        return submit(round_id, images, pairs)

    service.submit_score = recording
    return seen


def answer_machines(app, round_) -> None:
    """Both machines' pictures land, so the score job goes out."""
    from models.messages import Result
    image = np.full((60, 80, 3), 77, np.uint8)
    app.services.machines.service.answers = [
        Result(round_.slots["magenta"].job_id, "magenta", "Magenta", image, 0.4, 1, True),
        Result(round_.slots["gatys"].job_id, "gatys", "Gatys", image, 9.0, 80, True)]
    pump(app, frames=2)


def drop(path: Path) -> pygame.event.Event:
    return pygame.event.Event(pygame.DROPFILE, file=str(path))


def open_setup(app):
    from game.scenes.setup import SetupScene
    scene = SetupScene(app)
    app.stack.push(scene)
    pump(app)
    return scene


def test_setup_U_then_drop_confirms_then_reveals_uploaded(app, tmp_path):
    scores = record_scores(app)
    setup = open_setup(app)
    pump(app, [keydown(pygame.K_u)])
    attempt = app.stack.top
    assert attempt.name == "attempt" and not attempt.confirm_button.enabled
    pump(app, [drop(bands(tmp_path / "mine.png"))], frames=2)
    assert attempt.confirm_button.enabled
    shown = pygame.surfarray.array3d(app.screen)[attempt.canvas_rect.centerx,
                                                 attempt.canvas_rect.centery]
    assert tuple(shown) == (0, 255, 0)                       # the picture is on screen
    fitted = attempt.attempt.image
    assert fitted.shape[1::-1] == attempt.canvas_size
    pump(app, [keydown(pygame.K_RETURN)], frames=2)
    reveal = app.stack.top
    assert reveal.name == "reveal" and reveal.stroke_log is None
    round_ = reveal.round
    assert round_.origin == "uploaded" and round_.phase == "finished"
    assert (round_.content, round_.style) == (setup.content, setup.style)
    assert [job[1] for job in app.services.machines.service.jobs[:2]] == ["magenta", "gatys"]
    answer_machines(app, round_)
    assert len(scores) == 1 and np.array_equal(scores[0]["painting"], fitted)


def test_signing_an_upload_saves_an_uploaded_row(app, tmp_path):
    from game.scenes.name_entry import store_score
    setup = open_setup(app)
    setup.open_attempt(str(bands(tmp_path / "mine.png")))
    pump(app, [keydown(pygame.K_RETURN)])
    row = store_score(app, app.stack.top.round, "Ada")
    assert row.origin == "uploaded"
    assert app.services.leaderboard.top(painted_only=True) == []


def test_an_uploads_reveal_and_signing_speak_of_a_picture_not_a_painting(app, tmp_path):
    setup = open_setup(app)
    setup.open_attempt(str(bands(tmp_path / "mine.png")))
    pump(app, [keydown(pygame.K_RETURN)])
    reveal = app.stack.top
    words = drawn_text(app)
    assert "Sign your picture" in words and "Sign your painting" not in words
    assert any("your picture with the machines" in w for w in words), words
    pump(app, [keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "name_entry"
    assert "Sign your picture" in drawn_text(app)
    app.set_language("ro")
    assert "Semnează imaginea" in drawn_text(app)
    assert reveal.round.origin == "uploaded"


def test_a_bad_file_says_so_and_keeps_the_picture(app, tmp_path):
    setup = open_setup(app)
    setup.open_attempt(str(bands(tmp_path / "good.png")))
    attempt = app.stack.top
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    pump(app, [drop(bad)])
    assert "notes.txt" in attempt.error and attempt.attempt.source.endswith("good.png")
    assert attempt.confirm_button.enabled


def test_command_line_attempt_opens_the_confirmation(app, tmp_path):
    app.options.attempt_path = bands(tmp_path / "cli.png")
    open_setup(app)
    attempt = app.stack.top
    assert attempt.name == "attempt" and attempt.attempt.source.endswith("cli.png")
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top.name == "setup"
    open_setup(app)                        # used once: the next visit paints
    assert app.stack.top.name == "setup"


def test_pause_menu_upload_replaces_canvas(app, tmp_path):
    scores = record_scores(app)
    open_setup(app)
    pump(app, [keydown(pygame.K_RETURN)], frames=2)
    paint = app.stack.top
    assert paint.name == "paint" and paint.allow_upload
    pump(app, [keydown(pygame.K_ESCAPE)])
    pump(app, [keydown(pygame.K_u)])
    assert app.stack.top.name == "attempt"
    pump(app, [drop(bands(tmp_path / "mine.png"))])
    pump(app, [keydown(pygame.K_ESCAPE)])                  # back to the pause menu
    assert app.stack.top.name == "pause" and paint.round.phase == "painting"
    pump(app, [keydown(pygame.K_u)])
    pump(app, [drop(bands(tmp_path / "mine.png")), keydown(pygame.K_RETURN)], frames=2)
    reveal = app.stack.top
    assert reveal.name == "reveal" and reveal.round is paint.round
    assert reveal.stroke_log is None and paint.round.origin == "uploaded"
    assert paint.round.painting.shape[1::-1] == (paint.canvas.width, paint.canvas.height)
    answer_machines(app, paint.round)
    assert np.array_equal(scores[0]["painting"], paint.round.painting)
    assert scores[0]["painting"][:, :, 1].mean() > 200          # the green band, not canvas


@pytest.fixture
def kiosk_app():
    config = GameConfig()
    config.kiosk.enabled = True
    config.paths.data_dir = tempfile.mkdtemp(prefix="attempt-kiosk-")
    yield from make_app(config)


def test_kiosk_has_no_upload(kiosk_app, tmp_path):
    app = kiosk_app
    app.options.attempt_path = bands(tmp_path / "cli.png")
    setup = open_setup(app)
    assert app.stack.top is setup                          # --attempt is ignored
    labels = [button.label for button in setup.menu.buttons]
    assert Msg("attempt.use_picture") not in labels
    before = (setup.content, setup.style)
    pump(app, [keydown(pygame.K_u), drop(bands(tmp_path / "drop.png"))])
    assert app.stack.top is setup and (setup.content, setup.style) == before
    pump(app, [keydown(pygame.K_RETURN)], frames=2)
    paint = app.stack.top
    assert paint.name == "paint" and not paint.allow_upload
    pump(app, [keydown(pygame.K_ESCAPE)])
    pause = app.stack.top
    assert Msg("attempt.use_instead") not in [button.label for button in pause.menu.buttons]
    pump(app, [keydown(pygame.K_u)])
    assert app.stack.top is pause


@pytest.mark.parametrize("allowed", [False, True])
def test_party_upload_only_when_the_host_allows(app, tmp_path, allowed):
    from game.party import PARTY_COLOURS, PartySettings, Player
    from game.party_session import PartySession
    from game.scenes.party_pass import PassScene
    settings = PartySettings([Player("Ana", PARTY_COLOURS[0]), Player("Bo", PARTY_COLOURS[1])],
                             rounds=1)
    settings.allow_uploads = allowed
    session = PartySession(settings, app.services, random.Random(1))
    app.stack.push(PassScene(app, session))
    pump(app, [keydown(pygame.K_RETURN)], frames=2)
    paint = app.stack.top
    assert paint.name == "paint" and paint.allow_upload is allowed
    pump(app, [keydown(pygame.K_ESCAPE)])
    labels = [button.label for button in app.stack.top.menu.buttons]
    assert (Msg("attempt.use_instead") in labels) is allowed
    pump(app, [keydown(pygame.K_u)])
    if not allowed:
        assert app.stack.top.name == "pause"
        return
    pump(app, [drop(bands(tmp_path / "mine.png")), keydown(pygame.K_RETURN)], frames=2)
    first = session.party.round_turns(0)[0]
    assert first.painting_ref.origin == "uploaded"
    assert app.stack.top.name == "party_pass"               # the next player's turn
