"""The in-game model installer: child process output, progress bar, outcome messages."""
from __future__ import annotations

import sys

import pygame
import pytest

from game.app import App, AppOptions, FastClock
from game.config import GameConfig
from game.launcher import build_services
from game.paths import default_config_path
from game.scenes.models_setup import ModelsScene

FAKE_FETCH = (
    "import sys, time\n"
    "for p in (10, 55, 100):\n"
    "    sys.stderr.write(f'\\rmagenta [####] {p}% 1.0 MB / 2.0 MB'); sys.stderr.flush()\n"
    "    time.sleep(0.05)\n"
    "sys.stderr.write('\\n'); print('installed magenta-tflite-int8')\n"
)
OFFLINE = "import sys; sys.exit(print('Error: No internet connection: could not reach x') or 1)"


@pytest.fixture
def app():
    services = build_services(GameConfig(), default_config_path(), [])
    application = App(services, AppOptions(seed=1), clock=FastClock())
    yield application
    application.shutdown()
    pygame.quit()


def run_until_done(app, scene, limit=600):
    for _ in range(limit):
        scene.update(1 / 60)
        app.draw_frame()
        if scene.result:
            return
        pygame.time.wait(10)
    raise AssertionError("the child process never finished")


def key(code):
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0)


def test_download_shows_progress_and_success(app):
    scene = ModelsScene(app, command=[sys.executable, "-c", FAKE_FETCH, "--"])
    app.stack.push(scene)
    pygame.event.post(key(pygame.K_d))
    app.dispatch_events()
    run_until_done(app, scene)
    assert scene.percent == 100
    assert any("installed magenta" in line for line in scene.log)
    assert app.strings(scene.result).startswith("Installed")


def test_offline_download_explains_import(app):
    scene = ModelsScene(app, command=[sys.executable, "-c", OFFLINE, "--"])
    app.stack.push(scene)
    scene.download()
    run_until_done(app, scene)
    assert any("No internet connection" in line for line in scene.log)
    assert "Import" in app.strings(scene.result)


def test_title_offers_the_networks_when_missing(app):
    from game.scenes.title import TitleScene
    from game.i18n import Msg
    from game.launcher import MODELS_MISSING
    app.services.notices.append(Msg(MODELS_MISSING, which=Msg("title.models_missing_magenta")))
    title = TitleScene(app)
    app.stack.push(title)
    labels = [app.strings(b.label) for b in title.menu.buttons]
    assert "Get the real networks" in labels
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_m, mod=0, unicode="",
                                         scancode=0))
    app.dispatch_events()
    assert app.stack.top.name == "models"


def test_escape_goes_back_and_stops_a_running_command(app):
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    scene = ModelsScene(app, command=[sys.executable, "-c", "import time; time.sleep(30)", "--"])
    app.stack.push(scene)
    scene.download()
    pygame.event.post(key(pygame.K_ESCAPE))
    app.dispatch_events()
    assert app.stack.top.name == "title"
    assert scene.process.wait(timeout=10) != 0          # terminated, not left running
