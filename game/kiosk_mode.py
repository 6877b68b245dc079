"""Museum kiosk mode in the running game: staff exit, idle time-outs, the gallery of the day.

`KioskController(app).install()` (game.launcher does it when config.kiosk.enabled) adds
* an event filter: the admin chord (held ctrl+alt+shift+q for ADMIN_HOLD_S, or the
  config's kiosk.admin_chord) quits; window close, Alt+F4 and friends are swallowed, so a
  visitor never reaches the desktop or an OS dialog;
* a frame hook: the idle rules of game.kiosk for the scene on top (see CONTEXTS). An idle
  menu turns into attract mode; an idle round warns "Still there?" and is then discarded
  - never saved, for the visitor's privacy - and attract mode comes back; an idle reveal or
  name entry goes back to attract mode too, keeping the finished painting for the gallery;
* an overlay: the warning, a short toast when the gallery cannot be written, and a ring
  while staff hold the chord.

Scenes reach the controller as `app.services.kiosk` (None outside kiosk mode).
"""
from __future__ import annotations

import logging
import math
import weakref
from types import MappingProxyType

import numpy as np
import pygame

from game.admin_chord import AdminChord, blocks_quit_event
from game.app import STEP
from game.gallery import ENGINES, GalleryError
from game.i18n import Msg
from game.idle import IdleContext, IdleWatch
from game.round import Round

log = logging.getLogger(__name__)

ADMIN_HOLD_S = 1.5      # long enough that a visitor leaning on the keyboard never quits
TOAST_S = 5.0           # a gallery problem is shown this long, then the game carries on
# Stored as the leaderboard name of a painting saved without a name (names = "anonymous"):
# validate_name refuses "", and a dash cannot be typed by mistake on the on-screen keyboard.
# The leaderboard shows kiosk.anonymous in the visitor's language instead.
ANONYMOUS_NAME = "—"
# Which idle rule applies to which scene (by Scene.name); any other scene is a "menu".
# The pause overlay sits on a running round, so an abandoned pause ends that round too.
CONTEXTS: MappingProxyType[str, IdleContext | None] = MappingProxyType({
    "paint": "round", "pause": "round",
    "reveal": "screen", "name_entry": "screen", "leaderboard": "screen", "gallery": "screen",
    "attract": None,
})


def idle_context(scene_name: str) -> IdleContext | None:
    """The idle rule for a scene: "round", "screen", "menu", or None (attract: no rule)."""
    return CONTEXTS.get(scene_name, "menu")


def shown_name(name: str) -> Msg | str:
    """A leaderboard or gallery name as players read it: the anonymous mark in words."""
    return Msg("kiosk.anonymous") if name in ("", ANONYMOUS_NAME) else name


class KioskController:
    """Kiosk behaviour for one App; see the module docstring."""

    def __init__(self, app) -> None:
        self.app = app
        self.settings = app.config.kiosk
        self.chord = AdminChord(self.settings.admin_chord, hold_s=ADMIN_HOLD_S)
        self.idle = IdleWatch(self.settings)
        self.context: IdleContext | None = None
        self.warning: Msg | None = None     # the "Still there?" text while it is up
        self.toast: Msg | None = None
        self._toast_left = 0.0
        self._scene: weakref.ref | None = None      # the top scene the idle rule is for
        self._kept_round: str | None = None         # the last round added to the gallery

    def install(self) -> KioskController:
        # First filter: the chord must see every key before anything can swallow it.
        self.app.event_filters.insert(0, self.filter_event)
        self.app.frame_hooks.append(self.step)
        self.app.overlay_drawers.append(self.draw_overlay)
        self.app.services.kiosk = self
        if self.app.config.display.fullscreen:
            # Alt+Tab and the Super key stay inside the game, not on the museum's desktop.
            try:
                pygame.event.set_keyboard_grab(True)
            except pygame.error as exc:
                log.info("keyboard grab not available: %s", exc)
        # The public screen shows no staff notices (config warnings, missing networks):
        # they go to the log, where whoever looks after the kiosk reads them.
        for notice in self.app.services.notices:
            log.warning("kiosk start-up: %s", self.app.strings(notice))
        return self

    # -- input -------------------------------------------------------------------------
    def filter_event(self, event: pygame.event.Event) -> bool:
        """Feed the chord and the idle clock; True (swallow) for anything that would quit."""
        self.chord.handle_event(event)
        self.idle.handle_event(event)
        return blocks_quit_event(event)

    # -- each update step ------------------------------------------------------------------
    def step(self, app) -> None:
        if self.chord.update(STEP):
            log.info("kiosk: admin chord held, quitting")
            app.quit()
            return
        self._tick_toast()
        scene = app.stack.top
        if scene is None:
            return
        if self._scene is None or self._scene() is not scene:
            self._watch(scene)
        if self.context is None:
            return
        action = self.idle.update(STEP)
        self.warning = self.idle.warning_message() if action == "warn" else None
        if action == "attract":
            self.to_attract()
        elif action == "end_round":
            self.end_round()

    def _watch(self, scene) -> None:
        self._scene = weakref.ref(scene)
        self.context = idle_context(scene.name)
        self.warning = None
        if self.context is not None:
            self.idle.enter(self.context)

    def _tick_toast(self) -> None:
        if self.toast is not None:
            self._toast_left -= STEP
            if self._toast_left <= 0:
                self.toast = None

    def show_toast(self, message: Msg) -> None:
        self.toast, self._toast_left = message, TOAST_S

    # -- leaving for attract mode ------------------------------------------------------------
    def end_round(self) -> None:
        """Nobody touched the round: throw the painting away and show attract mode."""
        for scene in self.app.stack.visible():
            if scene.name == "paint":
                scene.discard()
        self.to_attract(round_ended=True)

    def to_attract(self, round_ended: bool = False) -> None:
        from game.scenes.attract import AttractScene
        for scene in reversed(self.app.stack.visible()):
            if scene.name == "paint" and scene.round.phase != "finished":
                scene.discard()             # a round must never outlive its screen
            leave = getattr(scene, "kiosk_leave", None)
            if leave is not None:
                leave()                     # reveal / name entry keep the painting
        self.warning = None
        self.app.replace(AttractScene(self.app, round_ended=round_ended))

    # -- the gallery -----------------------------------------------------------------------
    def keep(self, round_: Round, stroke_log, player: str = "") -> bool:
        """Add a finished round to the gallery, once; never raises (the visitor plays on).

        Rounds given up or discarded are not kept. The machines' pictures that exist now
        are saved with it; a score that lands later is written into the entry. True when
        the round is in the gallery: its score job must then be left to finish.
        """
        if round_.gave_up or round_.painting is None or round_.phase != "finished":
            return False
        if self._kept_round == round_.round_id:
            return True
        self._kept_round = round_.round_id
        painting = round_.painting
        size = getattr(round_, "canvas_size", None) or (painting.shape[1], painting.shape[0])
        machines = {engine: slot.image for engine, slot in round_.slots.items()
                    if engine in ENGINES and slot.status == "done"
                    and isinstance(slot.image, np.ndarray)}
        gallery = self.app.services.gallery
        try:
            entry = gallery.add(
                painting, machines, list(stroke_log or []), canvas_size=size,
                canvas_seed=getattr(round_, "canvas_seed", 0),
                content_title=round_.content.title, style_title=round_.style.title,
                content_id=round_.content.id, style_id=round_.style.id,
                player=player, score=round_.score, mode="kiosk")
        except (GalleryError, OSError, ValueError) as exc:
            log.error("could not add the painting to the gallery: %s", exc)
            self.show_toast(Msg("kiosk.gallery_failed"))
            return False
        except Exception:  # noqa: BLE001 - "never raises": the visitor plays on
            log.exception("could not add the painting to the gallery")
            self.show_toast(Msg("kiosk.gallery_failed"))
            return False
        if round_.scoring.status in ("waiting", "scoring"):
            round_.score_listeners.append(self._score_writer(entry.entry_id))
        return True

    def _score_writer(self, entry_id: str):
        gallery = self.app.services.gallery

        def write(round_: Round) -> None:
            try:
                gallery.set_score(entry_id, round_.score)
            except (GalleryError, OSError, ValueError) as exc:
                log.error("could not store the late score of gallery entry %s: %s",
                          entry_id, exc)
            except Exception:  # noqa: BLE001 - runs from the game loop; the entry stays
                log.exception("could not store the late score of gallery entry %s",
                              entry_id)

        return write

    # -- drawing -----------------------------------------------------------------------------
    def draw_overlay(self, surface: pygame.Surface) -> None:
        if self.warning is not None:
            self._draw_warning(surface)
        if self.toast is not None:
            self._draw_toast(surface)
        if 0 < self.chord.progress < 1:
            # Staff only: shows the hold is counting, so they keep holding.
            rect = pygame.Rect(16, 16, 40, 40)
            start = -math.pi / 2
            end = start + math.tau * self.chord.progress
            pygame.draw.arc(surface, self.app.theme.colors.accent, rect, start, end, 5)

    def _draw_warning(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 150))
        surface.blit(shade, (0, 0))
        lines = theme.wrap(self.warning, "h2", 820)[:3]
        panel = pygame.Rect(0, 0, 900, 110 + 40 * len(lines))
        panel.center = (640, 360)
        pygame.draw.rect(surface, c.panel, panel, border_radius=14)
        pygame.draw.rect(surface, c.accent, panel, width=3, border_radius=14)
        for i, line in enumerate(lines):
            theme.blit_text(surface, line, (640, panel.y + 36 + 40 * i), "h2", c.text,
                            "midtop")
        bar = pygame.Rect(panel.x + 40, panel.bottom - 44, panel.width - 80, 12)
        pygame.draw.rect(surface, c.panel_light, bar, border_radius=6)
        share = self.idle.seconds_left / max(self.settings.warning_s, STEP)
        fill = bar.copy()
        fill.width = round(bar.width * max(0.0, min(1.0, share)))
        if fill.width:
            pygame.draw.rect(surface, c.urgent, fill, border_radius=6)

    def _draw_toast(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        lines = theme.wrap(self.toast, "body", 1000)[:2]
        strip = pygame.Rect(0, 0, 1080, 24 + 30 * len(lines))
        strip.midbottom = (640, 700)
        pygame.draw.rect(surface, c.panel, strip, border_radius=10)
        pygame.draw.rect(surface, c.urgent, strip, width=2, border_radius=10)
        for i, line in enumerate(lines):
            theme.blit_text(surface, line, (640, strip.y + 12 + 30 * i), "body", c.text,
                            "midtop")
