"""The kiosk soak bot: many short kiosk rounds in a row, for bench/soak.py.

Like game.demo_kiosk's visitor it drives the real scenes with pygame events, but every
round is brief and the rounds vary in how they end, so a long run exercises each way a
kiosk round can end (round n counts from 1):

* "leave" (most rounds): paint a few game seconds, finish early (F), wait for Magenta's
  picture on the reveal, then walk off (Esc): Gatys is cancelled mid-job;
* "full" (every full_every-th): wait for both machines and the score, then sign - on the
  on-screen keyboard, or anonymously on every other such round;
* "sign_early" (half-way between two full rounds): sign as soon as Magenta is in; the
  score lands later through the round's score listeners, after the visitor has gone;
* "walk_away" (every walk_every-th, before the others): stop painting, so "Still there?"
  shows and the kiosk's idle rule discards the round.

Each round ends when attract mode is back; the director then calls on_round_end(app,
report) - one consistent point for bench/soak.py to measure memory and file handles.
"""
from __future__ import annotations

import math
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import pygame

from game.bot import plan_painting
from game.demo import DemoDirector, PaintFeed
from game.demo_kiosk import click, osk_presses

# Short kiosk timers (game time, FastClock) so a round costs seconds, not minutes. The
# reveal waits on the machines in wall-clock time while game time races: no screen idle.
SOAK_TIMERS = MappingProxyType({
    "attract_after_s": 5.0, "round_idle_s": 10.0, "warning_s": 4.0,
    "screen_idle_s": 3600.0})
SOAK_NAMES = ("Ada", "Bruegel", "Dora", "Emil", "Frida")   # all on the English keys
PLAN_STROKES = 24           # a short plan: the soak is about round turnover, not pictures
PAINT_S = 3.0               # game seconds of painting before finishing early
WALK_AWAY_S = 1.5           # the walk-away visitor stops painting after this
TOUCH_AFTER_S = 1.0         # attract mode is watched this long before the touch
KEY_GAP_S = 0.1             # between on-screen key presses
LOOK_S = 0.3                # a visitor glances at a screen before acting on it
STUCK_WALL_S = 300.0        # one scene on top this long (wall clock) means the game hangs
WAITING_FRAME_S = 1 / 60    # while the bot waits on the machines, the game runs real time


class SoakStuck(RuntimeError):
    """A scene stayed on top far longer than any round step should take."""


def round_kind(number: int, walk_every: int, full_every: int) -> str:
    """How round `number` (from 1) ends; see the module docstring. 0 turns a kind off."""
    if walk_every and number % walk_every == 0:
        return "walk_away"
    if full_every and number % full_every == 0:
        return "full"
    if full_every >= 2 and number % full_every == full_every // 2:
        return "sign_early"
    return "leave"


@dataclass
class RoundReport:
    number: int
    kind: str
    outcome: str = ""           # left_early, signed, anonymous, signed_early, ..., discarded
    score_status: str = ""      # the round's scoring.status when the visitor left
    reveal_timeout: bool = False
    reveal_wait_s: float = 0.0  # wall seconds on the reveal before the visitor acted
    wall_s: float = 0.0         # attract touch to attract mode back


@dataclass
class SoakDirector(DemoDirector):
    on_round_end: Callable[[object, RoundReport], None] | None = None
    walk_every: int = 7
    full_every: int = 10
    reveal_wait_s: float = 90.0     # wall-clock cap, so a stuck worker cannot hang a soak
    timers_set: bool = False
    report: RoundReport | None = None       # the round in play, until attract mode is back
    ended: bool = False                     # the visitor has left the round in play
    touched_at: float = 0.0                 # wall clock of the touch that began the round
    arrived_at: float = 0.0                 # wall clock the reveal came up
    typed: int = 0
    touch_at: float = 0.0
    scene_wall: tuple = (None, 0.0)         # (weakref to the top scene, wall clock it came)
    app: object = None                      # kept so bench/soak.py can close it on a crash

    def __call__(self, app) -> None:
        if not self.timers_set:
            for name, value in SOAK_TIMERS.items():
                setattr(app.config.kiosk, name, value)
            self.timers_set, self.app = True, app
        self._watch_stuck(app)
        super().__call__(app)

    def _watch_stuck(self, app) -> None:
        scene, now = app.stack.top, time.monotonic()
        if scene is None:
            return
        watched = self.scene_wall[0]
        if watched is None or watched() is not scene:     # a weakref: ids get reused
            self.scene_wall = (weakref.ref(scene), now)
        elif now - self.scene_wall[1] > STUCK_WALL_S:
            raise SoakStuck(f"scene {scene.name!r} on top for {now - self.scene_wall[1]:.0f} s "
                            f"in round {self.round_index + 1}")

    @property
    def number(self) -> int:
        return self.round_index + 1

    def end(self, outcome: str, scene=None) -> None:
        """The visitor leaves the round; it is reported once attract mode is back."""
        report = self.report
        report.outcome = outcome
        if scene is not None:
            report.score_status = scene.round.scoring.status
        self.ended = True

    # -- between rounds --------------------------------------------------------------------
    def on_title(self, app, scene) -> None:
        """Nothing: the kiosk's idle rule brings attract mode, as between real visitors."""

    def on_attract(self, app, scene) -> None:
        if self.report is not None and self.once("report", 0):
            if not self.ended:              # attract mode without a goodbye: the discard
                self.end("discarded" if self.report.kind == "walk_away" else "lost")
            self.report.wall_s = time.monotonic() - self.touched_at
            report, self.report = self.report, None
            self.round_index += 1
            if self.on_round_end is not None:
                self.on_round_end(app, report)
        if self.round_index >= self.rounds:
            if self.once("quit", 0):
                app.quit()
            return
        if self.once("touch", TOUCH_AFTER_S):
            kind = round_kind(self.number, self.walk_every, self.full_every)
            self.report, self.ended = RoundReport(self.number, kind), False
            self.touched_at = time.monotonic()
            # Signing rounds alternate in pairs between the on-screen keyboard and no name
            # at all; the reveal reads the setting when it opens.
            pair = self.number // max(1, self.full_every)
            app.config.kiosk.names = "anonymous" if pair % 2 else "onscreen"
            click((640, 400))

    def on_setup(self, app, scene) -> None:
        if self.once("shuffle", 0.1) and self.shuffle_key() is not None:
            self.press(self.shuffle_key())
        if self.once("start", 0.4):
            self.press(pygame.K_RETURN)

    # -- the round -------------------------------------------------------------------------
    def on_paint(self, app, scene) -> None:
        if self.once("plan", 0.0):
            plan = plan_painting(scene.content_rgb, scene.style_rgb,
                                 (scene.canvas.width, scene.canvas.height),
                                 seed=self.seed + self.round_index, budget=PLAN_STROKES)
            points = sum(len(stroke.points) for stroke in plan)
            frames = (PAINT_S - 0.5) * 60
            self.feed = PaintFeed(plan, scene.canvas_rect.topleft,
                                  max(1, math.ceil(points / frames)))
        walking_away = self.report is not None and self.report.kind == "walk_away"
        stop_at = WALK_AWAY_S if walking_away else PAINT_S
        if self.time_in_scene < stop_at:
            if not self.feed.done():
                self.feed.step(scene)
            return
        if self.once("stop", 0):
            self._release_mouse()
        if not walking_away and self.once("finish", 0):
            self.press(pygame.K_f)
        # Walking away: nothing more; "Still there?" then the discard come by themselves.

    def on_reveal(self, app, scene) -> None:
        if self.once("arrive", 0.0):
            self.reveal_deadline = time.monotonic() + self.reveal_wait_s
            self.arrived_at = time.monotonic()
        if "act" in self.done_steps:
            return
        slots = scene.round.slots
        kind = self.report.kind if self.report is not None else "leave"
        if kind == "full":
            ready = all(slot.status in ("done", "failed") for slot in slots.values())
            ready = ready and scene.round.scoring.status not in ("waiting", "scoring")
        else:
            ready = slots["magenta"].status in ("done", "failed")
        timed_out = not ready and time.monotonic() > self.reveal_deadline
        if not (ready or timed_out):
            # Waiting on the workers is wall-clock time: spinning frames would only take
            # a core from them, so wait at the real game's pace.
            time.sleep(WAITING_FRAME_S)
            return
        if not self.once("act", LOOK_S):
            return
        if self.report is not None:
            self.report.reveal_timeout = timed_out
            self.report.reveal_wait_s = round(time.monotonic() - self.arrived_at, 2)
        if kind == "leave":
            self.end("left_early", scene)
            self.press(pygame.K_ESCAPE)
            return
        anonymous = scene.anonymous
        suffix = "_early" if kind == "sign_early" else ""
        self.end(("anonymous" if anonymous else "signed") + suffix, scene)
        self.press(pygame.K_RETURN)

    def on_name_entry(self, app, scene) -> None:
        keyboard = scene.keyboard
        if self.once("start", 0):
            self.typed, self.touch_at = 0, LOOK_S
        if keyboard is None:                    # names = "keyboard": a plain text event
            if self.once("type", LOOK_S):
                pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=self._name()))
            if self.once("save", LOOK_S + 0.2):
                self.press(pygame.K_RETURN)
            return
        presses = osk_presses(self._name())     # ends with "done"
        if self.typed < len(presses) and self.time_in_scene >= self.touch_at:
            click(keyboard.key_rect(presses[self.typed]).center)
            self.typed += 1
            self.touch_at = self.time_in_scene + KEY_GAP_S
        if self.once("give_up", 20.0):          # the name was refused: leave unsigned
            self.press(pygame.K_ESCAPE)

    def _name(self) -> str:
        return SOAK_NAMES[self.round_index % len(SOAK_NAMES)]

    def on_leaderboard(self, app, scene) -> None:
        if self.once("back", 0.5):
            self.press(pygame.K_ESCAPE)
