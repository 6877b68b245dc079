"""Every screen, in both languages and at every text size, with the longest title, artist and
name there can be: no text overlaps another text or leaves the screen, and on the screens
laid out by game/ui/layout.py no box leaves its panel (issue 11).

Two checks. Every text the theme renders is recorded where it is blitted (a Surface that
remembers the rects of the theme's text surfaces), so a screen that still places text by
hand is checked too. A scene with `layout()` also has its LayoutReport checked: boxes inside
their panels, panels inside their parents, no sibling panels on top of each other.

STYLE_DUEL_LAYOUT_SHOTS=<folder> saves each screen as a PNG, to look at.
"""
from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import numpy as np
import pygame
import pytest
from scene_kit import make_app, pump

from game.catalogue import shown
from game.config import GameConfig
from game.i18n import LANGUAGES, Msg
from game.names import NAME_MAX
from game.round import Round
from game.ui.theme import SCREEN_SIZE, TEXT_SCALES
from game.ui.tool_panel import PANEL as TOOL_PANEL
from game.ui.widgets import Button
from models.messages import COST_KEYS

# The widest name the name rules let through: the widest capital, with an accent on top.
LONGEST_NAME = "Ș" + "W" * (NAME_MAX - 1)
SHOTS = os.environ.get("STYLE_DUEL_LAYOUT_SHOTS", "")


class Recorder(pygame.Surface):
    """A screen that remembers where each of the theme's text surfaces was blitted."""

    def __init__(self, size, texts: dict[int, str]) -> None:
        super().__init__(size)
        self.texts, self.seen = texts, []

    def blit(self, source, dest, area=None, special_flags=0):
        text = self.texts.get(id(source))
        if text is not None and text.strip() and area is None:
            at = dest.topleft if isinstance(dest, pygame.Rect) else tuple(dest)[:2]
            rect = pygame.Rect(at, source.get_size())
            clip = self.get_clip()
            if clip != self.get_rect():     # a scrolled list: what its clip lets through
                rect = rect.clip(clip)
            if rect.width and rect.height:
                self.seen.append((text, rect))
        return super().blit(source, dest, area, special_flags)


def drawn_texts(app, spills: list[str] | None = None) -> list[tuple[str, pygame.Rect]]:
    """(text, rect) of every text drawn in one frame of the whole scene stack; `spills`
    gets each button's text that is not inside its button (its note under it aside)."""
    texts: dict[int, str] = {}
    original, button_draw = app.theme.text, Button.draw

    def recording(text, role="body", color=None):
        surface = original(text, role, color)
        texts[id(surface)] = app.strings(text)
        return surface

    def recording_button(button, surface, theme, focused=False):
        seen = getattr(surface, "seen", [])
        start = len(seen)
        button_draw(button, surface, theme, focused)
        note = app.strings(button.note) if button.note else None
        if spills is not None:
            spills.extend(f"{text!r} leaves its button at {rect}" for text, rect in seen[start:]
                          if text != note and not button.rect.contains(rect))

    app.theme.text, Button.draw = recording, recording_button
    screen, app.screen = app.screen, Recorder(SCREEN_SIZE, texts)
    try:
        app.draw_frame()
        recorder = app.screen
    finally:
        app.theme.text, app.screen, Button.draw = original, screen, button_draw
    return recorder.seen


def check_screen(app, label: str, leave_out: pygame.Rect | None = None) -> None:
    """The two checks above and every button's text inside its button, on the scene stack
    as it is now; texts inside `leave_out` are left to a test of their own."""
    problems: list[str] = []
    screen = pygame.Rect((0, 0), SCREEN_SIZE)
    seen = [(text, rect) for text, rect in drawn_texts(app, problems)
            if leave_out is None or not leave_out.contains(rect)]
    for i, (text, rect) in enumerate(seen):
        if not screen.contains(rect):
            problems.append(f"{text!r} leaves the screen at {rect}")
        problems += [f"{text!r} overlaps {other!r}" for other, other_rect in seen[i + 1:]
                     if rect.colliderect(other_rect)]
    scene = app.stack.top
    if hasattr(scene, "layout"):
        problems += scene.layout().problems()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.screen, str(Path(SHOTS) / f"{label}.png"))
    assert not problems, f"{label}: {problems}"


def widest(app, items, field: str):
    """The item whose title (or artist) is widest in the current language."""
    font = app.theme.fonts["h2"]
    return max(items, key=lambda item: font.size(getattr(shown(item, app.strings), field))[0])


@pytest.fixture(params=list(TEXT_SCALES), scope="module")
def sized(request):
    config = GameConfig()
    config.display.text_size = request.param
    config.paths.data_dir = tempfile.mkdtemp(prefix="layout-fits-")
    config.kiosk.enabled = True            # the gallery's screens need a gallery
    apps = make_app(config)
    app = next(apps)
    yield app, request.param
    for _ in apps:
        pass


@pytest.fixture(params=LANGUAGES)
def screen(sized, request):
    """A clean App in one language, and the label its screenshots get."""
    app, size = sized
    while len(app.stack):
        app.stack.pop()
    app.set_language(request.param)
    return app, f"{request.param}_{size}"


def finished_round(app, by: str = "title", portrait: bool = True) -> Round:
    """A round of the widest pair, painted, both machines' offline stand-ins done."""
    catalogue = app.services.catalogue
    round_ = Round(widest(app, catalogue.content, by), widest(app, catalogue.styles, by), 30)
    shape = (400, 300, 3) if portrait else (300, 400, 3)
    round_.start()
    round_.finish(np.full(shape, 90, np.uint8))
    for slot, label, value in zip(round_.slots.values(), ("label_studio", "label_untrained"),
                                  (60, 140)):
        slot.image, slot.status = np.full(shape, value, np.uint8), "done"
        slot.label = Msg(f"machines.{label}")
        slot.detail = Msg("machines.took_iterations", seconds=54.5, iterations=180)
    round_.slots["magenta"].settings_text = Msg(
        "machines.settings", text="histogram match + Kuwahara + style texture, seed 0, "
                                  "strength 1")
    round_.slots["gatys"].settings_text = Msg(
        "machines.settings", text="192 px, lbfgs, content block4_conv2, style block1_conv1, "
        "block2_conv1, block3_conv1, style weight 1e+06, budget 30 s, 2 threads")
    return round_


def show(app, scene, frames: int = 2):
    app.stack.push(scene)
    pump(app, frames=frames)
    return scene


def test_the_title_settings_and_setup_fit(screen):
    from game.scenes.settings import SettingsScene
    from game.scenes.setup import SetupScene
    from game.scenes.title import TitleScene
    app, label = screen
    show(app, TitleScene(app))
    check_screen(app, f"{label}_title")
    show(app, SettingsScene(app))
    check_screen(app, f"{label}_settings")
    catalogue = app.services.catalogue
    for by in ("title", "artist"):
        app.stack.pop()
        show(app, SetupScene(app, widest(app, catalogue.content, by),
                             widest(app, catalogue.styles, by)))
        check_screen(app, f"{label}_setup_{by}")


def test_the_artist_setup_and_picker_fit(screen):
    """An artist round: the mosaic, 'Paint like …' and the paintings used (Van Gogh has the
    most); the picker opened on an artist, its painter sub-headings in view."""
    from game.scenes.picker import CataloguePicker
    from game.scenes.setup import SetupScene
    app, label = screen
    catalogue = app.services.catalogue
    for artist in catalogue.artists():
        show(app, SetupScene(app, widest(app, catalogue.content, "title"), artist))
        check_screen(app, f"{label}_setup_{artist.id.replace(':', '_')}")
        app.stack.pop()
    show(app, CataloguePicker(app, "style", catalogue.artists()[0], lambda item: None))
    check_screen(app, f"{label}_picker_artists")
    app.stack.pop()
    from game.scenes.paint import PaintScene
    round_ = Round(widest(app, catalogue.content, "title"), catalogue.artists()[0], 30)
    show(app, PaintScene(app, round_))          # the mosaic as the reference, its title
    check_screen(app, f"{label}_paint_artist", leave_out=TOOL_PANEL)


def test_the_paint_screen_and_its_pause_fit(screen):
    from game.scenes.paint import PaintScene
    from game.scenes.pause import PauseOverlay
    app, label = screen
    round_ = finished_round(app)
    round_.phase = "setup"
    paint = show(app, PaintScene(app, round_))
    for slot in round_.slots.values():
        slot.status = "running"
    check_screen(app, f"{label}_paint", leave_out=TOOL_PANEL)
    show(app, PauseOverlay(app, paint))
    check_screen(app, f"{label}_pause", leave_out=TOOL_PANEL)


def test_the_paint_tool_panel_fits(screen):
    """Its buttons fit their labels (game/ui/widgets.Button: the key hint beside, under, a
    size down, or the label cut with '…'): no text leaves its button or meets another."""
    from game.scenes.paint import PaintScene
    app, label = screen
    round_ = finished_round(app)
    round_.phase = "setup"
    show(app, PaintScene(app, round_))
    spills: list[str] = []
    seen = [(text, rect) for text, rect in drawn_texts(app, spills) if TOOL_PANEL.contains(rect)]
    overlaps = [(a, b) for i, (a, r) in enumerate(seen) for b, q in seen[i + 1:]
                if r.colliderect(q)]
    assert overlaps == [] and spills == [], label


@pytest.mark.parametrize("state", ["first_second", "waiting", "running", "failed", "scored",
                                   "uploaded"])
def test_the_reveal_fits_in_every_state(screen, state):
    from game.scenes.reveal import RevealScene
    app, label = screen
    round_ = finished_round(app)
    longest_cost = max(COST_KEYS, key=lambda key: len(app.strings.get(f"cost.{key}")))
    if state == "uploaded":                 # a brought picture, scored like a painting
        round_.origin = "uploaded"
    if state in ("scored", "first_second", "uploaded"):
        round_.set_scores({"painting~magenta": 10.0, "painting~gatys": 9.9,
                           "magenta~gatys": 10.0}, "encoder",
                          {"layout": 10.0, "colour": 10.0, "brushwork": 10.0}, longest_cost)
    elif state == "waiting":
        for slot in round_.slots.values():
            slot.image, slot.status, slot.detail = None, "waiting", Msg("machines.waiting")
    elif state == "running":
        gatys = round_.slots["gatys"]
        gatys.status, gatys.iteration, gatys.progress = "running", 180, 0.5
        round_.slots["magenta"].status, round_.slots["magenta"].image = "failed", None
        round_.slots["magenta"].detail = Msg("machines.failed", reason="The Magenta worker "
                                             "crashed and was restarted " * 3)
    elif state == "failed":
        round_.score_failed(Msg("score.no_machine_picture"))
    show(app, RevealScene(app, round_), frames=3 if state == "first_second" else 90)
    check_screen(app, f"{label}_reveal_{state}")
    if state == "uploaded":                 # its caption says so, not "by hand"
        texts = [text for text, _ in drawn_texts(app)]
        assert app.strings.get("attempt.your_picture") in texts, texts
        assert app.strings.get("attempt.brought") in texts, texts
        assert app.strings.get("reveal.by_hand") not in texts, texts
    if state == "scored":
        slots = [app.stack.top.layout().panels[f"reveal.body.{name}"]
                 for name in ("painting", "magenta", "gatys")]
        assert len({(rect.y, rect.height, rect.width) for rect in slots}) == 1


def test_name_entry_and_the_leaderboard_fit(screen):
    from game.scenes.leaderboard import LeaderboardScene
    from game.scenes.name_entry import NameEntryScene
    app, label = screen
    round_ = finished_round(app)
    show(app, NameEntryScene(app, round_))
    check_screen(app, f"{label}_name_entry")
    app.stack.pop()
    board = app.services.leaderboard
    if len(board.top(10)) < 10:
        for i in range(10):
            board.add(LONGEST_NAME, 10.0 - i * 0.1, round_.content.id, round_.style.id,
                      round_.painting, content_title=round_.content.title,
                      style_title=round_.style.title, round_seconds=30)
    show(app, LeaderboardScene(app, highlight=board.top(10)[0].id))
    check_screen(app, f"{label}_leaderboard")


def party(app, players: int, played: int | None = None):
    """A one-round party of `players` with the longest names, its first `played` turns (all
    unless told) painted and scored; the first is a brought picture (tagged "uploaded")."""
    from game.party import MAX_PLAYERS, PARTY_COLOURS, PartySettings, Player
    from game.party_session import PartySession
    names = [LONGEST_NAME[:-1] + chr(ord("A") + i) for i in range(MAX_PLAYERS)][:players]
    settings = PartySettings([Player(name, PARTY_COLOURS[i % len(PARTY_COLOURS)])
                              for i, name in enumerate(names)], rounds=1, pair_mode="host")
    session = PartySession(settings, app.services, random.Random(1))
    round_ = finished_round(app)
    session.party.set_round_pair(0, round_.content.id, round_.style.id)
    for i, turn in enumerate(session.party.round_turns(0)[:played]):
        turn.painting_ref = finished_round(app, portrait=i % 2 == 0)
        turn.painting_ref.origin = "uploaded" if i == 0 else "painted"
        session.party.advance()
        session.party.record_score(turn, 10.0 - i)
    return session


@pytest.mark.parametrize("players", [2, 8])
def test_the_party_lobby_reveal_and_podium_fit(screen, players):
    from game.party import PartySettings
    from game.scenes.lobby import LobbyScene
    from game.scenes.party_podium import PartyPodiumScene
    from game.scenes.party_reveal import PartyRevealScene
    app, label = screen
    session = party(app, players)
    show(app, LobbyScene(app, PartySettings(list(session.settings.players))))
    check_screen(app, f"{label}_lobby_{players}")
    app.stack.pop()
    show(app, PartyRevealScene(app, session, 0))
    check_screen(app, f"{label}_party_reveal_{players}")
    texts = [text for text, _ in drawn_texts(app)]
    assert texts.count(app.strings.get("attempt.uploaded")) == 1, texts
    app.stack.pop()
    show(app, PartyPodiumScene(app, session))
    check_screen(app, f"{label}_podium_{players}")


@pytest.mark.parametrize("players", [2, 8])
def test_the_party_pass_screen_fits(screen, players):
    """Half the round painted: done, current and waiting painters in the turn order; with
    eight players the pair could not be read too (its error under the Ready hint)."""
    from game.scenes.party_pass import PassScene
    app, label = screen
    session = party(app, players, played=players // 2)
    scene = PassScene(app, session)
    if players == 8:
        scene.error, scene.leave_armed = "cannot identify image file " + "x" * 200, True
    show(app, scene)
    check_screen(app, f"{label}_party_pass_{players}")


def test_the_picker_and_the_models_screen_fit(screen):
    """Screens not on the layout helper: the texts they draw are checked all the same."""
    from game.scenes.models_setup import ModelsScene
    from game.scenes.picker import CataloguePicker
    app, label = screen
    styles = app.services.catalogue.styles
    show(app, CataloguePicker(app, "style", widest(app, styles, "title"), lambda item: None))
    check_screen(app, f"{label}_picker")
    app.stack.pop()
    show(app, ModelsScene(app))
    check_screen(app, f"{label}_models")


def test_the_kiosk_gallery_screens_fit(screen):
    from game.scenes.attract import AttractScene
    from game.scenes.gallery_view import GalleryViewScene
    app, label = screen
    round_ = finished_round(app)
    gallery = app.services.gallery
    if not gallery.recent():
        image = np.full((300, 400, 3), 120, np.uint8)
        gallery.add(image, {"magenta": image, "gatys": image}, [], canvas_size=(400, 300),
                    canvas_seed=1, content_title=round_.content.title,
                    style_title=round_.style.title, player=LONGEST_NAME, score=9.9)
    show(app, AttractScene(app), frames=3)
    check_screen(app, f"{label}_attract")
    app.stack.pop()
    view = show(app, GalleryViewScene(app))
    check_screen(app, f"{label}_gallery")
    view.open(view.entries[0])
    pump(app)
    check_screen(app, f"{label}_gallery_large")


def test_the_attempt_screens_fit(screen):
    """Bring your own attempt, outside a kiosk (the fixture's app is one, where none of this
    shows): setup's button, the pause menu's item, the confirmation with the longest error
    and with a cropped picture, and the board's uploaded tags with its filter on and off."""
    from game.scenes.attempt import AttemptScene
    from game.scenes.leaderboard import LeaderboardScene
    from game.scenes.paint import PaintScene
    from game.scenes.pause import PauseOverlay
    from game.scenes.setup import SetupScene
    from PIL import Image
    app, label = screen
    catalogue = app.services.catalogue
    app.config.kiosk.enabled = False
    try:
        content, style = widest(app, catalogue.content, "title"), widest(app, catalogue.styles,
                                                                         "title")
        show(app, SetupScene(app, content, style))
        check_screen(app, f"{label}_setup_attempt_button")
        round_ = finished_round(app)
        round_.phase = "setup"
        paint = show(app, PaintScene(app, round_))
        show(app, PauseOverlay(app, paint))
        check_screen(app, f"{label}_pause_upload", leave_out=TOOL_PANEL)
        attempt = show(app, AttemptScene(app, content, style, lambda image: None))
        attempt.load("/" + "a-very-long-folder-name/" * 12 + "missing.png")
        pump(app)
        check_screen(app, f"{label}_attempt_error")
        picture = Path(tempfile.mkdtemp(prefix="attempt-")) / ("Ș" + "w" * 60 + ".png")
        Image.fromarray(np.full((100, 400, 3), 150, np.uint8)).save(picture)
        attempt.load(str(picture))
        pump(app)
        check_screen(app, f"{label}_attempt_picture")
        board = app.services.leaderboard
        for i in range(10 - len(board.top(10))):
            board.add(LONGEST_NAME, 9.0 - i * 0.1, round_.content.id, round_.style.id,
                      round_.painting, content_title=round_.content.title,
                      style_title=round_.style.title, origin="uploaded")
        scene = show(app, LeaderboardScene(app, highlight=board.top(10)[0].id))
        check_screen(app, f"{label}_leaderboard_uploaded")
        scene.toggle_filter()
        pump(app)
        check_screen(app, f"{label}_leaderboard_painted_only")
    finally:
        app.config.kiosk.enabled = True


@pytest.mark.parametrize("moment", ["mid", "end", "saving"])
def test_the_duel_replay_fits(screen, moment):
    """The replay with the widest pair: mid-replay (the speed line), at its end (the
    score card with its parts) and with the save's longest status line."""
    from game.scenes.replay import ReplayScene
    app, label = screen
    round_ = finished_round(app)
    round_.set_scores({"painting~magenta": 10.0, "painting~gatys": 9.9}, "encoder",
                      {"layout": 10.0, "colour": 10.0, "brushwork": 10.0})
    round_.slots["magenta"].seconds = 1.0
    scene = ReplayScene(app, round_, None)
    show(app, scene)
    if moment != "mid":
        scene.index = len(scene.plan) - 1
    if moment == "saving":
        folder = "/" + "/".join(["a-long-data-folder"] * 6) + "/duels"
        scene.status = Msg("replay.saved_no_usb", folder=folder)
    pump(app)
    check_screen(app, f"{label}_replay_{moment}")
