"""Kiosk mode in the running game: idle rules, staff exit, names, gallery, attract mode.

Headless, with the fake NST service of test_scenes and FastClock game time: every frame is
one 1/60 s step, so "N seconds idle" is N * 60 pumped frames.
"""
from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pygame
import pytest

from game import i18n
from game.app import App, AppOptions, FastClock
from game.blocklist import NAME_BLOCKED
from game.config import GameConfig
from game.demo import key
from game.kiosk_mode import ANONYMOUS_NAME, KioskController
from game.launcher import build_services
from game.nst.machines import Machines
from game.paths import default_config_path
from models.messages import Result, ScoreResult
from scene_kit import FakeService, keydown, pump

ROOT = Path(__file__).resolve().parent.parent
TIMERS = {"attract_after_s": 5.0, "round_idle_s": 12.0, "warning_s": 5.0,
          "screen_idle_s": 8.0}
SECOND = 60         # frames


@pytest.fixture
def make_app():
    apps = []

    def make(configure=None, **kiosk) -> App:
        config = GameConfig()
        config.kiosk.enabled = True
        for name, value in {**TIMERS, **kiosk}.items():
            setattr(config.kiosk, name, value)
        if configure is not None:
            configure(config)
        services = build_services(config, default_config_path(), [])
        services.machines = Machines(None, service=FakeService())
        app = App(services, AppOptions(seed=1), clock=FastClock())
        KioskController(app).install()
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.shutdown()
    pygame.quit()


def drag(scene, start, end, steps=12) -> list[pygame.event.Event]:
    """A mouse drag across the paint scene's canvas, from and to canvas coordinates."""
    (x0, y0), (x1, y1), rect = start, end, scene.canvas_rect
    points = [(rect.x + round(x0 + (x1 - x0) * i / steps),
               rect.y + round(y0 + (y1 - y0) * i / steps)) for i in range(steps + 1)]
    return [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=1),
            *(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(1, 0, 0))
              for p in points[1:]),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=points[-1], button=1)]


def record_text(app, monkeypatch) -> list[str]:
    """Every string the theme renders from now on, in the words drawn."""
    seen: list[str] = []
    original = app.theme.text

    def text(value, role="body", color=None):
        seen.append(app.theme.strings(value))
        return original(value, role, color)

    monkeypatch.setattr(app.theme, "text", text)
    return seen


def click(pos) -> list[pygame.event.Event]:
    return [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)]


def to_title(app):
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    pump(app)
    return app.stack.top


def start_round(app):
    """Title -> setup -> paint, by keys; returns the paint scene."""
    to_title(app)
    pump(app, [keydown(pygame.K_p)])
    pump(app, [keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "paint"
    return app.stack.top


def play_to_reveal(app, answer: bool = True):
    """A round painted with watercolour and acrylic, finished early; machines answer."""
    scene = start_round(app)
    pump(app, [keydown(pygame.K_w)])
    pump(app, drag(scene, (40, 40), (300, 160)))
    pump(app, frames=20)
    pump(app, [keydown(pygame.K_a)])
    pump(app, drag(scene, (80, 200), (260, 60)))
    pump(app, [keydown(pygame.K_f)])
    assert app.stack.top.name == "reveal"
    if answer:
        fake = app.services.machines.service
        for engine, slot in scene.round.slots.items():
            image = np.full((48, 64, 3), 90 if engine == "magenta" else 160, np.uint8)
            fake.answers.append(Result(slot.job_id, engine, engine, image, 1.0, 1, True))
        pump(app, frames=2)
    return scene


# --- idle rules ---------------------------------------------------------------------------

def test_idle_title_turns_into_attract_and_a_touch_starts_a_round(make_app):
    app = make_app()
    to_title(app)
    pump(app, frames=4 * SECOND)
    pump(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=(5, 5), rel=(30, 0),
                                  buttons=(0, 0, 0))])
    pump(app, frames=4 * SECOND)        # the motion restarted the clock: 4 s idle, not 8
    assert app.stack.top.name == "title"
    pump(app, frames=SECOND + 2)
    assert app.stack.top.name == "attract"
    pump(app, click((640, 360)))
    assert app.stack.top.name == "setup"
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top.name == "title"


def test_mid_round_idle_warns_then_discards_the_painting(make_app, monkeypatch):
    app = make_app()
    scene = start_round(app)
    pump(app, drag(scene, (40, 40), (300, 160)))
    pump(app, frames=6 * SECOND)
    kiosk = app.services.kiosk
    assert kiosk.warning is None
    before = pygame.surfarray.array3d(app.screen).astype(int)
    seen = record_text(app, monkeypatch)
    pump(app, frames=2 * SECOND)
    assert kiosk.warning is not None and app.stack.top is scene
    assert any(text.startswith("Still there? The round ends in") for text in seen)
    after = pygame.surfarray.array3d(app.screen).astype(int)
    corner = (slice(0, 150), slice(0, 60))          # dimmed by the overlay's shade
    assert after[corner].mean() < before[corner].mean() - 5
    pump(app, frames=4 * SECOND + 2)
    assert app.stack.top.name == "attract"
    assert scene.round.gave_up and scene.round.painting is None
    assert scene.round.round_id in app.services.machines.service.cancelled_rounds
    assert app.services.gallery.recent() == []
    assert app.services.leaderboard.count() == 0
    seen.clear()
    pump(app)
    assert any(text.startswith("Nobody was painting") for text in seen)


def test_a_touch_during_the_warning_keeps_the_round(make_app):
    app = make_app()
    scene = start_round(app)
    pump(app, frames=9 * SECOND)
    assert app.services.kiosk.warning is not None
    pump(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=(5, 5), rel=(20, 0),
                                  buttons=(0, 0, 0))])
    assert app.services.kiosk.warning is None
    pump(app, frames=6 * SECOND)            # past the old deadline
    assert app.stack.top is scene and not scene.round.gave_up


def test_an_idle_reveal_goes_to_attract_and_keeps_the_painting(make_app):
    app = make_app()
    scene = play_to_reveal(app)
    pump(app, frames=8 * SECOND + 2)
    assert app.stack.top.name == "attract"
    (entry,) = app.services.gallery.recent()
    assert np.array_equal(entry.painting(), scene.round.painting)
    assert entry.machine("magenta")[0, 0, 0] == 90 and entry.player == ""
    assert app.services.leaderboard.count() == 0


# --- leaving ------------------------------------------------------------------------------

def test_admin_chord_quits_but_window_close_and_alt_f4_do_not(make_app):
    app = make_app()
    to_title(app)
    presses = [*key(pygame.K_LALT, pygame.KMOD_LALT), *key(pygame.K_F4, pygame.KMOD_LALT),
               *key(pygame.K_ESCAPE), *key(pygame.K_q)]
    pump(app, [pygame.event.Event(pygame.QUIT), pygame.event.Event(pygame.WINDOWCLOSE),
               *presses], frames=3 * SECOND)
    assert app.running and app.stack.top.name == "title"
    mods = 0
    for code, bit in ((pygame.K_LCTRL, pygame.KMOD_LCTRL), (pygame.K_LALT, pygame.KMOD_LALT),
                      (pygame.K_LSHIFT, pygame.KMOD_LSHIFT), (pygame.K_q, 0)):
        mods |= bit
        pygame.event.post(keydown(code, mods))
    pump(app, frames=SECOND)
    assert app.running                      # held 1 s of the 1.5 s
    pump(app, frames=SECOND // 2 + 2)
    assert not app.running


# --- names --------------------------------------------------------------------------------

def test_block_listed_name_is_refused_with_the_message_and_nothing_stored(make_app,
                                                                           monkeypatch):
    app = make_app(names="keyboard", blocklist=["spam"])
    play_to_reveal(app)
    pump(app, [keydown(pygame.K_RETURN)])
    entry_scene = app.stack.top
    assert entry_scene.name == "name_entry" and entry_scene.keyboard is None
    seen = record_text(app, monkeypatch)
    pump(app, [pygame.event.Event(pygame.TEXTINPUT, text="Sp4mmer"), keydown(pygame.K_RETURN)])
    assert app.stack.top is entry_scene and entry_scene.error == NAME_BLOCKED
    assert app.t(NAME_BLOCKED.key) in seen
    assert app.services.leaderboard.count() == 0 and app.services.gallery.recent() == []
    entry_scene.field.text = ""
    pump(app, [pygame.event.Event(pygame.TEXTINPUT, text="Ana"), keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "leaderboard"
    (row,) = app.services.leaderboard.top(5)
    assert (row.name, row.mode) == ("Ana", "kiosk")
    assert app.services.gallery.recent()[0].player == "Ana"


def test_onscreen_keyboard_types_the_name_and_done_saves_it(make_app):
    app = make_app(names="onscreen")
    scene = play_to_reveal(app)
    pump(app, [keydown(pygame.K_RETURN)])
    keyboard = app.stack.top.keyboard
    for key in ("shift", "i", "o", "n"):
        pump(app, click(keyboard.key_rect(key).center))
    assert app.stack.top.field.text == "Ion"
    pump(app, click(keyboard.key_rect("done").center))
    assert app.stack.top.name == "leaderboard"
    assert app.services.leaderboard.top(1)[0].name == "Ion"
    (entry,) = app.services.gallery.recent()
    assert entry.player == "Ion" and entry.canvas_seed == scene.canvas.seed
    assert len(entry.strokes()) == 2


def test_anonymous_mode_saves_a_row_without_name_entry(make_app, monkeypatch):
    app = make_app(names="anonymous")
    play_to_reveal(app)
    seen = record_text(app, monkeypatch)
    pump(app)
    assert "Save score" in seen
    pump(app, [keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "leaderboard"
    (row,) = app.services.leaderboard.top(5)
    assert (row.name, row.mode) == (ANONYMOUS_NAME, "kiosk")
    seen.clear()
    pump(app)
    assert "A visitor" in seen and ANONYMOUS_NAME not in seen


# --- the gallery --------------------------------------------------------------------------

def test_a_late_score_is_written_into_the_gallery_entry(make_app):
    app = make_app()
    scene = play_to_reveal(app)
    assert scene.round.scoring.status == "scoring"
    pump(app, [keydown(pygame.K_ESCAPE)])          # leave the reveal before the score
    app.services.kiosk.keep(scene.round, [])      # a second keep adds nothing
    (entry,) = app.services.gallery.recent()
    assert entry.score is None
    # The visitor left, but the score job was not cancelled: its answer reaches the entry.
    fake = app.services.machines.service
    assert scene.round.round_id not in fake.cancelled_rounds
    fake.answers = [ScoreResult(scene.round.scoring.job_id,
                                {"painting~magenta": 6.0, "painting~gatys": 7.0}, "enc", 0.1)]
    pump(app, frames=2)
    assert app.services.gallery.recent()[0].score == 6.5


def test_a_gallery_that_cannot_be_written_shows_a_notice_and_play_goes_on(make_app,
                                                                          monkeypatch):
    app = make_app()
    blocker = app.services.gallery.root
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")              # mkdir fails as on a read-only disk
    play_to_reveal(app)
    seen = record_text(app, monkeypatch)
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top.name == "title"
    assert "Your painting could not be added to the gallery." in seen


def test_attract_replays_the_stroke_log_to_the_stored_painting(make_app):
    app = make_app()
    play_to_reveal(app)
    pump(app, [keydown(pygame.K_ESCAPE)])
    (entry,) = app.services.gallery.recent()
    pump(app, frames=5 * SECOND + 2)
    attract = app.stack.top
    assert attract.name == "attract" and attract.showing.entry.entry_id == entry.entry_id
    canvas = attract.showing.canvas
    frames = [canvas.rgb8().copy()]
    while attract.showing.replaying:
        pump(app)
        frames.append(canvas.rgb8().copy())
    changes = sum(not np.array_equal(a, b) for a, b in zip(frames, frames[1:]))
    assert changes >= 3                             # it grew step by step, not at once
    assert np.array_equal(canvas.rgb8(), entry.painting())


def test_attract_skips_a_damaged_entry_and_survives_an_all_damaged_gallery(make_app):
    app = make_app()
    for _ in range(2):
        play_to_reveal(app)
        pump(app, [keydown(pygame.K_ESCAPE)])
        app.stack.pop()
    newest, oldest = app.services.gallery.recent()
    (newest.folder / "painting.png").write_bytes(b"not a png")
    from game.scenes.attract import AttractScene
    app.replace(AttractScene(app))
    pump(app, frames=3)
    assert app.stack.top.showing.entry.entry_id == oldest.entry_id
    (oldest.folder / "painting.png").write_bytes(b"")
    app.replace(AttractScene(app))
    pump(app, frames=3)
    assert app.stack.top.showing is None            # the empty-gallery screen instead


def test_gallery_view_opens_a_painting_large_and_goes_back(make_app):
    app = make_app()
    play_to_reveal(app)
    pump(app, [keydown(pygame.K_ESCAPE)])
    pump(app, [keydown(pygame.K_g)])
    view = app.stack.top
    assert view.name == "gallery" and len(view.entries) == 1
    from game.scenes.gallery_view import tile_rect
    pump(app, click(tile_rect(0).center))
    assert view.selected is view.entries[0]
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert view.selected is None and app.stack.top is view
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top.name == "title"


# --- title and leaderboard ----------------------------------------------------------------

def test_kiosk_title_has_no_quit_or_settings_and_switches_language(make_app, monkeypatch):
    app = make_app()
    title = to_title(app)
    assert [app.strings(b.label) for b in title.menu.buttons] == [
        "Play", "Gallery", "Leaderboard", "Română"]
    pump(app, [keydown(pygame.K_s), keydown(pygame.K_ESCAPE), keydown(pygame.K_q)])
    assert app.running and app.stack.top is title
    seen = record_text(app, monkeypatch)
    pump(app, click(title.language_button.rect.center))
    assert app.strings.language == "ro"
    assert {"Joacă", "Galerie", "Clasament", "English"} <= set(seen)


def test_daily_reset_leaderboard_shows_only_today(make_app, monkeypatch):
    app = make_app()
    board = app.services.leaderboard
    painting = np.zeros((8, 8, 3), np.uint8)
    yesterday = datetime.now(timezone.utc) - timedelta(days=2)
    board.add("Old", 9.9, "c", "s", painting, mode="kiosk", when=yesterday)
    board.add("New", 3.0, "c", "s", painting, mode="kiosk")
    from game.scenes.leaderboard import LeaderboardScene
    seen = record_text(app, monkeypatch)
    app.stack.push(LeaderboardScene(app))
    pump(app)
    assert list(app.stack.top.tables) == ["leaderboard.today"]
    assert "New" in seen and "Old" not in seen
    assert app.t("kiosk.fresh_each_day") in seen


def test_romanian_kiosk_screens(make_app, monkeypatch):
    app = make_app()
    app.set_language("ro")
    seen = record_text(app, monkeypatch)
    to_title(app)
    pump(app, frames=5 * SECOND + 2)
    assert app.stack.top.name == "attract"
    assert "Atinge ecranul ca să joci" in seen
    pump(app, click((640, 360)))
    pump(app, [keydown(pygame.K_RETURN)])
    pump(app, frames=8 * SECOND)
    assert any(text.startswith("Mai ești acolo?") for text in seen)
    pump(app, [keydown(pygame.K_f)])
    pump(app, [keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "name_entry"
    assert {"Gata", "Spațiu", "English"} <= set(seen)    # the Romanian keyboard layout
    assert app.stack.top.keyboard.layout == "ro"


# --- files --------------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(folder.rglob("*"))}


def test_a_kiosk_session_writes_only_into_the_data_folder(make_app, tmp_path, monkeypatch):
    art = tmp_path / "art"
    art.mkdir()
    for part in ("catalogue.toml", "content", "styles"):
        source = ROOT / "art" / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, art / part)
    extra = tmp_path / "extra-styles"
    extra.mkdir()
    shutil.copy2(next((ROOT / "art" / "styles").glob("*.png")), extra / "mine.png")
    models = tmp_path / "models"
    models.mkdir()
    (models / "README.md").write_text("read-only models")
    monkeypatch.setenv("STYLE_DUEL_MODELS", str(models))
    monkeypatch.setattr("game.catalogue.default_art_dir", lambda: art)
    for path in (*art.rglob("*"), *extra.rglob("*"), *models.rglob("*")):
        path.chmod(0o555 if path.is_dir() else 0o444)
    before = {name: snapshot(folder) for name, folder in
              (("art", art), ("extra", extra), ("models", models))}
    data = tmp_path / "data"

    def configure(config):
        config.paths.data_dir = str(data)
        config.paths.style_dirs = [str(extra)]

    app = make_app(configure, names="onscreen")
    assert any(item.path.parent == extra for item in app.services.catalogue.styles)
    play_to_reveal(app)
    pump(app, [keydown(pygame.K_RETURN)])
    for key in ("z", "o", "e", "done"):
        pump(app, click(app.stack.top.keyboard.key_rect(key).center))
    assert app.stack.top.name == "leaderboard"
    after = {name: snapshot(folder) for name, folder in
             (("art", art), ("extra", extra), ("models", models))}
    assert after == before
    assert (data / "leaderboard.sqlite3").is_file() and any((data / "gallery").iterdir())
    outside = {p.name for p in tmp_path.iterdir()} - {"art", "extra-styles", "models", "data"}
    assert outside <= {"home"}                      # the test's own STYLE_DUEL_HOME
    written = [p for p in (tmp_path / "home").rglob("*") if p.is_file()]
    assert written == []


# --- strings ------------------------------------------------------------------------------

def kiosk_strings(language: str) -> dict[str, str]:
    return {key: text for key, text in i18n.load_language(language).items()
            if key.startswith("kiosk.")}


def test_kiosk_strings_exist_in_both_languages_with_the_same_placeholders():
    english, romanian = kiosk_strings("en"), kiosk_strings("ro")
    assert english and english.keys() == romanian.keys()
    for key, text in english.items():
        assert i18n.placeholders(text) == i18n.placeholders(romanian[key]), key
        assert text != romanian[key], f"{key} is not translated"
    assert not set("şţŞŢ") & set("".join(romanian.values()))
    used = set()
    for name in ("kiosk_mode.py", "scenes/attract.py", "scenes/gallery_view.py",
                 "scenes/title.py", "scenes/reveal.py", "scenes/name_entry.py",
                 "scenes/leaderboard.py"):
        used |= set(re.findall(r'Msg\("(kiosk\.[a-z_]+)"', (ROOT / "game" / name).read_text()))
    assert used and used <= english.keys()


def test_kiosk_setup_cannot_open_files_on_the_museum_computer(make_app, tmp_path):
    app = make_app()
    to_title(app)
    pump(app, [keydown(pygame.K_p)])
    setup = app.stack.top
    assert setup.name == "setup"
    labels = [getattr(button.label, "key", button.label) for button in setup.menu.buttons]
    assert "setup.load_image" not in labels and "setup.pick_photo" in labels
    before = setup.content
    photo = tmp_path / "visitor.png"
    pygame.image.save(pygame.Surface((64, 48)), str(photo))
    pump(app, [keydown(pygame.K_o),
               pygame.event.Event(pygame.DROPFILE, file=str(photo))])
    assert app.stack.top is setup and setup.content is before


def test_a_visitor_leaving_stops_gatys_and_scores_with_magenta(make_app):
    """The next visitor's jobs must not queue behind a departed visitor's Gatys."""
    app = make_app()
    scene = play_to_reveal(app, answer=False)
    fake = app.services.machines.service
    magenta = scene.round.slots["magenta"]
    image = np.full((48, 64, 3), 90, np.uint8)
    fake.answers = [Result(magenta.job_id, "magenta", "magenta", image, 1.0, 1, True)]
    pump(app, frames=2)
    pump(app, [keydown(pygame.K_ESCAPE)])               # leave while Gatys still works
    assert scene.round.round_id in fake.cancelled_rounds
    assert scene.round.slots["gatys"].status == "failed"
    pump(app, frames=2)
    score_jobs = [job for job in fake.jobs if job[1] == "score"]
    assert score_jobs and score_jobs[-1][2] == ("magenta", "painting")
    fake.answers = [ScoreResult(scene.round.scoring.job_id, {"painting~magenta": 5.5},
                                "enc", 0.1)]
    pump(app, frames=2)
    assert app.services.gallery.recent()[0].score == 5.5
