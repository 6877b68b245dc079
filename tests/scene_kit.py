"""What scene tests share: a fake NST service, an App on it, and event pumping."""
from __future__ import annotations

import pygame
import pytest

from game.app import App, AppOptions, FastClock
from game.config import GameConfig
from game.launcher import build_services
from game.i18n import load_language
from game.paths import default_config_path


class FakeService:
    """Stands in for NSTService: records jobs, answers what the test queues."""

    def __init__(self):
        self.started = False
        self.jobs = []
        self.cancelled_rounds = []
        self.answers = []

    def start(self):
        self.started = True

    def submit(self, round_id, engine, content, styles, budget_s=35.0, **kwargs):
        self.jobs.append((round_id, engine, content.shape, budget_s))
        return f"{engine}-{len(self.jobs)}"

    def submit_score(self, round_id, images, pairs=None):
        self.jobs.append((round_id, "score", tuple(sorted(images)), None))
        return f"score-{len(self.jobs)}"

    def cancel_round(self, round_id):
        self.cancelled_rounds.append(round_id)
        return [f"{engine}-{i + 1}" for i, (rid, engine, _, _) in enumerate(self.jobs)
                if rid == round_id]

    def poll(self):
        answers, self.answers = self.answers, []
        return answers

    def status(self):
        return {}

    def shutdown(self, timeout=2.0):
        self.started = False


@pytest.fixture
def app():
    yield from make_app(GameConfig())


def make_app(config: GameConfig):
    """The game as start-up builds it, with a scripted NST service; shut down after."""
    from game.nst.machines import Machines
    services = build_services(config, default_config_path(), [])
    services.machines = Machines(None, service=FakeService())
    application = App(services, AppOptions(seed=1), clock=FastClock())
    yield application
    application.shutdown()
    pygame.quit()


def pump(app: App, events=(), frames: int = 1) -> None:
    for event in events:
        pygame.event.post(event)
    for _ in range(frames):
        app.dispatch_events()
        app.step()
        app.draw_frame()


def keydown(code: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0)


def drawn_text(app) -> list[str]:
    """Everything the theme renders during one frame."""
    seen: list[str] = []
    original = app.theme.text

    def recording(text, role="body", color=None):
        seen.append(app.strings(text))
        return original(text, role, color)

    app.theme.text = recording
    try:
        pump(app)
    finally:
        app.theme.text = original
    return seen


# English strings whose Romanian differs: if one of these is drawn in Romanian, a screen
# forgot to translate it.
ENGLISH_ONLY = {value for key, value in load_language("en").items()
                if value != load_language("ro")[key] and "{" not in value and len(value) > 3}


def english_left(words: list[str]) -> list[str]:
    return [w for w in words if w in ENGLISH_ONLY]
