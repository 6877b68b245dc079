"""Start-up: settings, catalogue, sound, window; then the title screen.

Kept apart from main.py's argument parsing so benchmarks and tests can start the game
with the same code path.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from game.config import GameConfig
from game.i18n import Msg
from game.paths import default_config_path

log = logging.getLogger(__name__)
EXIT_AFTER_FIRST_FRAME = "STYLE_DUEL_EXIT_AFTER_FIRST_FRAME"   # bench/startup.py sets it


class StartupError(Exception):
    """Something a player or museum staff must fix before the game can start."""


MODELS_MISSING = "title.models_missing"     # the key of the notice below


def models_notice() -> Msg | None:
    """A title-screen line when the real networks are missing (reads the cache, no TF)."""
    from models.cache import ModelCache

    try:
        installed = {status.entry.name for status in ModelCache().status() if status.verified}
    except OSError as exc:
        log.warning("model cache unreadable: %s", exc)
        installed = set()
    magenta = bool(installed & {"magenta-tflite-int8", "magenta-tflite-fp16", "magenta-hub"})
    gatys = bool(installed & {"vgg19", "vgg19-blocks1-3"})
    if magenta and gatys:
        return None
    which = "both" if not (magenta or gatys) else ("magenta" if not magenta else "vgg")
    return Msg(MODELS_MISSING, which=Msg(f"title.models_missing_{which}"))


def build_services(config: GameConfig, config_path: Path, notices: list[str]):
    import pygame

    from game.catalogue import CatalogueError, default_art_dir, load_catalogue
    from game.services import Services
    from game.sound import SoundBoard
    from game.startup_tidy import DataFolders, tidy_data_folder

    # Before anything saves: what a killed save left behind goes (never raises).
    tidy_data_folder(DataFolders.from_config(config))
    try:
        catalogue = load_catalogue(default_art_dir(), config.paths.content_dirs,
                                   config.paths.style_dirs)
    except CatalogueError as exc:
        raise StartupError(str(exc)) from exc
    notices = notices + list(catalogue.warnings)
    missing_models = models_notice()
    if missing_models:
        notices.append(missing_models)
    pygame.init()
    sound = SoundBoard(config.sound.volume, config.sound.muted)
    return Services(config, config_path, catalogue, sound, notices)


def run_game(config: GameConfig, config_path: Path | None, notices: list[str], *,
             seed: int | None = None, content: Path | None = None, style: Path | None = None,
             director=None, fast_clock: bool = False, attempt: Path | None = None) -> int:
    """Runs the game until the player quits; returns the process exit code."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from game.app import App, AppOptions, FastClock
    from game.scenes.title import TitleScene
    from game.stop_signals import StopSignals

    config_path = config_path or default_config_path()
    if config.kiosk.enabled and director is None:
        # An installation fills its screen however it was started (config or --kiosk);
        # the demo stays in a window on a developer's desktop.
        config.display.fullscreen = True
    # Our handlers, not SDL's: SDL turns SIGTERM into a window-close event, which a kiosk
    # swallows. Installed before pygame starts, so there is no moment without them.
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    with StopSignals() as stop:
        try:
            services = build_services(config, config_path, notices)
        except StartupError as exc:
            print(f"Style Duel cannot start: {exc}", file=sys.stderr)
            return 2
        try:
            app = App(services, AppOptions(config_path=config_path, seed=seed,
                                           content_path=content, style_path=style,
                                           attempt_path=attempt,
                                           notices=notices),
                      clock=FastClock() if fast_clock else None)
            if director is not None:
                app.frame_hooks.append(director)
            if config.kiosk.enabled:
                # After the demo director: its first step sets the kiosk timers the idle
                # rule uses.
                from game.kiosk_mode import KioskController
                KioskController(app).install()
            first = TitleScene(app)
            if (content is not None or style is not None) and director is None:
                # A player's own pictures open the setup screen at once; the demo bots
                # start at the title like any visitor (every setup gets the pictures).
                from game.scenes.setup import SetupScene
                app.stack.push(first)
                first = SetupScene(app)
            stop.attach(app.stop)      # a signal during start-up: the loop ends at once
            app.run(first, exit_after_first_frame=bool(os.environ.get(EXIT_AFTER_FIRST_FRAME)))
        finally:
            import pygame
            pygame.quit()
    return 0
