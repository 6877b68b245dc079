"""The application: window, fixed-step loop, shared services, scene stack.

Fixed-step update at 60 Hz with a lag accumulator and a cap on catch-up steps, one draw
per frame (Game Programming Patterns, "Game Loop"). Timers count game time, so the demo
can run faster than real time with a clock that never sleeps.
"""
from __future__ import annotations

import gc
import logging
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

import pygame

from game.files import make_folder, set_file_mode
from game.scene import Scene, SceneStack
from game.ui.theme import SCREEN_SIZE, Theme

if TYPE_CHECKING:
    from game.services import Services

STEP = 1 / 60           # seconds of game time per update
MAX_CATCH_UP = 5        # updates per frame at most; beyond that the game slows down instead

log = logging.getLogger(__name__)


class FrameClock(Protocol):
    def tick(self) -> float: ...


class RealClock:
    """Wall-clock frames capped at 60 fps."""

    def __init__(self) -> None:
        self._clock = pygame.time.Clock()

    def tick(self) -> float:
        return min(self._clock.tick(60) / 1000.0, 0.25)


class FastClock:
    """Every frame is exactly one step, with no sleeping: the demo's accelerated time."""

    def tick(self) -> float:
        return STEP


@dataclass
class AppOptions:
    config_path: Path | None = None
    seed: int | None = None
    content_path: Path | None = None        # a player's own photo from the command line
    style_path: Path | None = None
    attempt_path: Path | None = None        # a picture made elsewhere, as the player's attempt
    notices: list[str] = field(default_factory=list)   # start-up messages for the title


class App:
    def __init__(self, services: "Services", options: AppOptions,
                 clock: FrameClock | None = None) -> None:
        self.services = services
        self.options = options
        self.config = services.config
        self.strings = services.strings     # the language can change while the game runs
        flags = pygame.SCALED | (pygame.FULLSCREEN if self.config.display.fullscreen else 0)
        self.screen = pygame.display.set_mode(SCREEN_SIZE, flags)
        pygame.display.set_caption(self.t("app.window_title"))
        pygame.key.set_repeat(350, 40)
        self.theme = Theme(self.config.display.text_size, self.strings)
        self.clock = clock or RealClock()
        self.rng = random.Random(options.seed)
        self.stack = SceneStack()
        self.running = True
        self.stop_reason: str | None = None    # the signal that stopped the game, if any
        self.frame_hooks: list[Callable[["App"], None]] = []   # demo bot, kiosk, benchmarks
        # Each sees every event before the scenes; True swallows it (the kiosk keeps the
        # window-close and Alt+F4 events from ending an unattended installation).
        self.event_filters: list[Callable[[pygame.event.Event], bool]] = []
        # Drawn over whatever scene is on top (the kiosk's "Still there?" countdown).
        self.overlay_drawers: list[Callable[[pygame.Surface], None]] = []
        self.screenshot_requests: list[Path] = []      # saved after the next frame is drawn
        self.frames = 0

    # -- scene helpers -------------------------------------------------------------
    def push(self, scene: Scene) -> None:
        self.stack.push(scene)

    def pop(self) -> None:
        self.stack.pop()

    def replace(self, scene: Scene) -> None:
        self.stack.replace(scene)
        self._collect_finished_scenes()

    def replace_top(self, scene: Scene) -> None:
        """Swap the top scene for another (reveal -> name entry) without touching the rest."""
        self.stack.pop()
        self.stack.push(scene)
        self._collect_finished_scenes()

    @staticmethod
    def _collect_finished_scenes() -> None:
        """Free the screens just left now, at a transition nobody sees.

        A scene and its buttons' bound methods form a reference cycle, so a finished paint
        scene (its canvas and undo tiles: about 22 MB) waits for Python's next full
        collection. Left to chance, several pile up and the kiosk's memory creeps
        (bench/soak.py measured +62 MB over 180 rounds without this, +23 MB with it).
        """
        gc.collect()

    def t(self, key: str, **params) -> str:
        """The current language's text for a catalogue key (game/locale/<lang>/*.toml)."""
        return self.strings.get(key, **params)

    def set_language(self, language: str) -> None:
        """Switch every string from the next frame on; no restart, nothing reloaded."""
        self.strings.use(language)
        self.config.display.language = self.strings.language
        pygame.display.set_caption(self.t("app.window_title"))

    def quit(self) -> None:
        self.running = False

    def stop(self, reason: str) -> None:
        """Stop after this frame, whatever the scene or kiosk rules say (a stop signal)."""
        self.stop_reason = reason
        self.running = False

    def toggle_fullscreen(self) -> None:
        try:
            pygame.display.toggle_fullscreen()
        except pygame.error as exc:  # the dummy driver cannot; the setting is still saved
            log.info("fullscreen toggle not available: %s", exc)

    # -- the loop ------------------------------------------------------------------
    def run(self, first_scene: Scene, exit_after_first_frame: bool = False) -> None:
        self.stack.push(first_scene)
        lag = 0.0
        warmed = False
        while self.running and self.stack.top is not None:
            lag += self.clock.tick()
            self.dispatch_events()
            steps = 0
            while lag >= STEP and steps < MAX_CATCH_UP and self.running:
                self.step()
                lag -= STEP
                steps += 1
            if steps == MAX_CATCH_UP:
                lag = 0.0       # drop the backlog rather than spiral
            self.draw_frame()
            if exit_after_first_frame:
                # bench/startup.py: the title is on screen; say so, and whether TF crept in.
                tf = "yes" if "tensorflow" in sys.modules else "no"
                print(f"first-frame scene={self.stack.top.name} tensorflow={tf}", flush=True)
                self.running = False
            elif not warmed:
                # The first frame is on screen: the NST workers start now (in the
                # background), so their engines are loaded before anyone presses Start.
                self.services.machines.warm_up()
                warmed = True
        self.shutdown()

    def step(self) -> None:
        """One fixed update: hooks (demo bot), machines' answers, then the top scene."""
        for hook in list(self.frame_hooks):
            hook(self)
        self.services.machines.update()     # NST answers -> round slots; never blocks
        top = self.stack.top
        if top is not None:
            top.update(STEP)

    def dispatch_events(self) -> None:
        for event in pygame.event.get():
            if any(swallow(event) for swallow in list(self.event_filters)):
                continue
            if event.type == pygame.QUIT:
                self.running = False
                return
            top = self.stack.top
            if top is not None:
                top.handle_event(event)

    def draw_frame(self) -> None:
        self.screen.fill(self.theme.colors.background)
        for scene in self.stack.visible():
            scene.draw(self.screen)
        for draw_overlay in list(self.overlay_drawers):
            draw_overlay(self.screen)
        pygame.display.flip()
        self.frames += 1
        while self.screenshot_requests:
            path = self.screenshot_requests.pop(0)
            make_folder(path.parent)
            pygame.image.save(self.screen, str(path))
            set_file_mode(path)

    def shutdown(self) -> None:
        while len(self.stack):
            self.stack.pop()
        self.services.close()

