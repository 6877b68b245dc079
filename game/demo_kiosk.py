"""The kiosk plays itself: `python main.py demo --kiosk --rounds 3 --screenshots DIR`.

A visitor bot walks the museum installation through real pygame events, with short kiosk
timers so the idle rules show up within the demo:

* round 1: the title, left alone until attract mode comes (empty gallery); a touch starts
  a round, the bot paints, signs with the on-screen keyboard, sees today's leaderboard;
* round 2: the gallery (grid and one painting large), attract mode again with the first
  painting's time-lapse; a round where the bot stops painting, so "Still there?" shows
  and the round is discarded back to attract mode;
* round 3: the title's language button switches to Romanian and the bot plays a round in
  Romanian (screenshots named ..._ro_...);
* any further round is a plain one; at the end the bot holds the admin chord to quit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import pygame

from game.bot import plan_painting
from game.demo import STROKES_PER_SECOND, DemoDirector, PaintFeed, post

# Short kiosk timers so the demo shows every idle rule quickly (game time, FastClock).
DEMO_TIMERS = MappingProxyType({
    "attract_after_s": 5.0, "round_idle_s": 12.0, "warning_s": 5.0,
    # The reveal waits on the machines in wall-clock time while game time races.
    "screen_idle_s": 3600.0})
VISITOR_NAMES = ("Ada", "Bruegel", "Ștefan", "Dora", "Emil", "Frida")
IDLE_ROUND, ROMANIAN_ROUND = 1, 2       # round_index of the special rounds
STOP_PAINTING_S = 3.0                   # the idle round's visitor walks away after this
KEY_GAP_S = 0.12                        # between on-screen key presses
CHORD_KEYS = ((pygame.K_LCTRL, pygame.KMOD_LCTRL), (pygame.K_LALT, pygame.KMOD_LALT),
              (pygame.K_LSHIFT, pygame.KMOD_LSHIFT), (pygame.K_q, 0))


def osk_presses(name: str) -> list[str]:
    """The on-screen key names that type name, then Done."""
    presses: list[str] = []
    for char in name:
        if char == " ":
            presses.append("space")
        elif char != char.lower():
            presses += ["shift", char.lower()]
        else:
            presses.append(char)
    return presses + ["done"]


def click(pos: tuple[int, int]) -> None:
    post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
    post(pygame.MOUSEBUTTONUP, pos=pos, button=1)


@dataclass
class KioskDemoDirector(DemoDirector):
    timers_set: bool = False
    gallery_seen: bool = False
    language_switched: bool = False
    discarded: bool = False            # the idle round has been discarded to attract mode
    typed: int = 0                     # on-screen keys pressed for the current name
    touch_at: float = 0.0              # scene time of the next planned touch or click

    def __call__(self, app) -> None:
        if not self.timers_set:
            for name, value in DEMO_TIMERS.items():
                setattr(app.config.kiosk, name, value)
            self.timers_set = True
            # Without the language button there is no Romanian pass to make.
            self.language_switched = not app.config.kiosk.language_button
        super().__call__(app)

    def shot(self, app, name: str) -> None:
        prefix = "ro_" if app.strings.language == "ro" else ""
        super().shot(app, prefix + name)

    # -- menus -----------------------------------------------------------------------------
    def on_title(self, app, scene) -> None:
        if self.round_index == ROMANIAN_ROUND and not self.language_switched \
                and scene.language_button is not None and self.once("language", 0.5):
            click(scene.language_button.rect.center)    # the title shot is then Romanian
            self.language_switched = True
        if self.once("shot", 0.8):
            self.shot(app, "title")
        if self.round_index >= 1 and not self.gallery_seen:
            if self.once("gallery", 1.0):
                self.press(pygame.K_g)
            return
        if self.round_index >= self.rounds:
            if self.once("chord", 1.0):
                self.hold_admin_chord()
            return
        # Otherwise nothing: the idle rule brings attract mode after attract_after_s.

    @staticmethod
    def hold_admin_chord() -> None:
        """Press ctrl, alt, shift and q and keep them down; the kiosk quits after 1.5 s."""
        mod = 0
        for code, bit in CHORD_KEYS:
            mod |= bit
            post(pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0)

    def on_attract(self, app, scene) -> None:
        showing = scene.showing
        if self.discarded:
            ready = self.once("shot", 1.0)
            name = "attract_round_ended"
        elif showing is not None and showing.replaying:
            ready = showing.progress > 0.35 and self.once("shot", 0)
            name = "attract_timelapse"
        else:
            ready = self.once("shot", 1.5)
            name = "attract" if showing is not None else "attract_empty"
        if ready:
            self.shot(app, name)
            self.touch_at = self.time_in_scene + 0.4
        if "shot" in self.done_steps and self.time_in_scene >= self.touch_at \
                and self.once("touch", 0):
            if self.discarded:
                self.discarded = False
                self.round_index += 1
            click((640, 400))

    def on_gallery(self, app, scene) -> None:
        if self.once("shot", 0.5):
            self.shot(app, "gallery")
        if self.once("open", 0.8):
            from game.scenes.gallery_view import tile_rect
            click(tile_rect(0).center)
        if self.once("shot_large", 1.3):
            self.shot(app, "gallery_painting")
        if self.once("grid", 1.6):
            self.press(pygame.K_ESCAPE)
        if self.once("back", 1.9):
            self.gallery_seen = True
            self.press(pygame.K_ESCAPE)

    def on_setup(self, app, scene) -> None:
        if self.round_index == ROMANIAN_ROUND and not self.language_switched:
            if self.once("back", 0.5):
                self.press(pygame.K_ESCAPE)     # to the title, for its language button
            return
        if self.once("shuffle", 0.3) and self.shuffle_key() is not None:
            self.press(self.shuffle_key())
        if self.round_index != IDLE_ROUND and self.once("shot", 0.8):
            self.shot(app, "setup")
        if self.once("start", 1.2):
            self.press(pygame.K_RETURN)

    # -- the round -------------------------------------------------------------------------
    def on_paint(self, app, scene) -> None:
        if self.once("plan", 0.0):
            self.feed = self._feed_for(scene)
        walked_away = self.round_index == IDLE_ROUND and self.time_in_scene >= STOP_PAINTING_S
        if walked_away:
            if self.once("walk_away", 0):
                self._release_mouse()
            self._watch_idle(app)
        elif not self.feed.done():
            self.feed.step(scene)
        if walked_away:
            return
        painted = self.feed.done()
        if (painted or self.time_in_scene >= scene.round.seconds / 2) \
                and self.once("shot_mid", 0):
            self.shot(app, "paint")
        if painted and self.once("finish", 0.5):
            # A visitor who is done says so (F), as people at the kiosk do: one who stood
            # silent until the clock ran out would be taken for gone by the idle rule and
            # the painting discarded (a long round's plan ends well before its clock).
            self.press(pygame.K_f)

    def _feed_for(self, scene) -> PaintFeed:
        budget = max(40, int(scene.round.seconds * STROKES_PER_SECOND))
        plan = plan_painting(scene.content_rgb, scene.style_rgb,
                             (scene.canvas.width, scene.canvas.height),
                             seed=self.seed + self.round_index, budget=budget)
        total_points = sum(len(s.points) for s in plan)
        frames = max(1.0, (scene.round.seconds - 3.0) * 60)
        return PaintFeed(plan, scene.canvas_rect.topleft, max(1, math.ceil(total_points / frames)))

    def _watch_idle(self, app) -> None:
        kiosk = app.services.kiosk
        if kiosk.warning is not None and kiosk.idle.seconds_left <= 3.5 \
                and self.once("shot_warning", 0):
            self.shot(app, "still_there")
            self.discarded = True       # attract mode comes next, by the idle rule

    def on_name_entry(self, app, scene) -> None:
        if self.once("start", 0):
            self.typed, self.touch_at = 0, 0.3
        keyboard = scene.keyboard
        if keyboard is None:                    # names = "keyboard": type as on a keyboard
            if self.once("type", 0.3):
                post(pygame.TEXTINPUT, text=self._name())
            if self.once("save", 0.8):
                self.press(pygame.K_RETURN)
            return
        # Real clicks on the keys' centres, one every KEY_GAP_S; Done after the screenshot.
        presses = osk_presses(self._name())
        if self.typed < len(presses) - 1 and self.time_in_scene >= self.touch_at:
            click(keyboard.key_rect(presses[self.typed]).center)
            self.typed += 1
            self.touch_at = self.time_in_scene + KEY_GAP_S
        if self.typed == len(presses) - 1 and self.time_in_scene >= self.touch_at \
                and self.once("shot", 0):
            self.shot(app, "name_entry")
            self.touch_at = self.time_in_scene + 0.3
        if "shot" in self.done_steps and self.time_in_scene >= self.touch_at \
                and self.once("done", 0):
            click(keyboard.key_rect("done").center)

    def _name(self) -> str:
        return VISITOR_NAMES[self.round_index % len(VISITOR_NAMES)]

    def on_leaderboard(self, app, scene) -> None:
        if self.once("shot", 0.5):
            self.shot(app, "leaderboard")
        if self.once("back", 0.8):
            self.round_index += 1
            self.press(pygame.K_ESCAPE)
