"""The game plays itself: `python main.py demo --rounds N --seconds S --screenshots DIR`.

A DemoDirector is a frame hook: each update step it looks at the scene on top and acts
as a player would, mostly through real pygame events (keys, mouse drags, typed text), so
the demo exercises the same input paths as a person. It paints the bot's plan
(game.bot) into the real paint scene over the round's time and saves one PNG per scene.
"""
from __future__ import annotations

import logging
import math
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from game.bot import PlannedStroke, plan_painting

log = logging.getLogger(__name__)

BOT_NAMES = ("Ada", "Bruegel", "Cezanne", "Dora", "Emil", "Frida")
STROKES_PER_SECOND = 7        # plan size scales with the round so the bot fills its time
REVEAL_WAIT_S = 240.0         # wall-clock cap on waiting for the machines in the reveal
REPLAY_WAIT_S = 60.0          # wall-clock cap on watching the duel's replay to its end card
SAVE_WAIT_S = 180.0           # wall-clock cap on the duel's export (MP4, GIF, WebP, PNG)


def key(code: int, mod: int = 0) -> list[pygame.event.Event]:
    return [pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0),
            pygame.event.Event(pygame.KEYUP, key=code, mod=mod, unicode="", scancode=0)]


@dataclass
class PaintFeed:
    """Turns a stroke plan into mouse events, a few points per frame."""

    plan: list[PlannedStroke]
    origin: tuple[int, int]
    points_per_step: int
    stroke: int = 0
    point: int = 0
    down: bool = False

    def done(self) -> bool:
        return self.stroke >= len(self.plan)

    def step(self, scene) -> None:
        for _ in range(self.points_per_step):
            if self.done():
                return
            stroke = self.plan[self.stroke]
            if self.point == 0:
                self._prepare(scene, stroke)
            x, y = stroke.points[self.point]
            pos = (round(self.origin[0] + x), round(self.origin[1] + y))
            if not self.down:
                post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
                self.down = True
            else:
                post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(1, 0, 0))
            self.point += 1
            if self.point >= len(stroke.points):
                post(pygame.MOUSEBUTTONUP, pos=pos, button=1)
                self.down, self.point = False, 0
                self.stroke += 1
                return          # one stroke ends per frame: the scene sees each stroke whole

    @staticmethod
    def _prepare(scene, stroke: PlannedStroke) -> None:
        for event in key(pygame.K_w if stroke.tool == "watercolour" else pygame.K_a):
            pygame.event.post(event)
        # Colour, size and opacity as the HSV picker and sliders would set them.
        scene.panel.set_color(stroke.color)
        scene.toolbox.set_size(stroke.size)
        scene.toolbox.set_opacity(stroke.opacity)


def post(kind: int, **attrs) -> None:
    pygame.event.post(pygame.event.Event(kind, **attrs))


@dataclass
class DemoDirector:
    rounds: int
    screenshots: Path | None
    seed: int = 0
    round_index: int = 0
    feed: PaintFeed | None = None
    shots: list[Path] = field(default_factory=list)
    # Per scene object: seconds on top and the steps already taken. A paint scene keeps
    # its record while a pause overlay is over it.
    visits: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)
    time_in_scene: float = 0.0
    done_steps: set = field(default_factory=set)
    reveal_deadline: float = 0.0
    models_deadline: float = 0.0
    signed_at: float = 0.0
    replay_deadline: float = 0.0
    replayed: bool = False        # round 1's reveal visits the replay once, then signs
    save_deadline: float = 0.0
    # Round 2 is an artist round: the bot sets Settings' round type before it (and back to
    # single paintings before round 3), so the setup shows an artist's paintings.
    artist_round: int = 1
    save_duel: bool = True        # the replay's visit saves the duel (the party's does not)
    # After the painted rounds, one round with round 1's painting as an uploaded attempt,
    # on round 1's pair (the machines answer from the result cache).
    pair: tuple = ()
    attempt_file: Path | None = None
    use_at: float = 0.0
    # A photo / painting given on the command line (--content / --style) is the round's
    # in every round: the bot shuffles and picks only the other one.
    keep_content: bool = False
    keep_style: bool = False

    def __call__(self, app) -> None:
        scene = app.stack.top
        if scene is None:
            return
        visit = self.visits.setdefault(scene, {"time": 0.0, "done": set()})
        visit["time"] += 1 / 60
        self.time_in_scene, self.done_steps = visit["time"], visit["done"]
        handler = getattr(self, f"on_{scene.name}", None)
        if handler is not None:
            handler(app, scene)

    # -- helpers -------------------------------------------------------------------
    def once(self, tag: str, at: float) -> bool:
        """True exactly once per scene visit, when the scene has been up `at` seconds."""
        if tag in self.done_steps or self.time_in_scene < at:
            return False
        self.done_steps.add(tag)
        return True

    def shot(self, app, name: str) -> None:
        if self.screenshots is None:
            return
        path = self.screenshots / f"r{self.round_index + 1}_{len(self.shots) + 1:02d}_{name}.png"
        self.shots.append(path)
        app.screenshot_requests.append(path)

    @staticmethod
    def press(code: int, mod: int = 0) -> None:
        for event in key(code, mod):
            pygame.event.post(event)

    def shuffle_key(self) -> int | None:
        """The setup key that shuffles what the command line left free (R: both)."""
        if self.keep_content:
            return None if self.keep_style else pygame.K_v
        return pygame.K_c if self.keep_style else pygame.K_r

    def picker_key(self) -> int | None:
        """The setup key that opens the catalogue on a free side (J: paintings)."""
        if not self.keep_style:
            return pygame.K_j
        return None if self.keep_content else pygame.K_k

    # -- one handler per scene -----------------------------------------------------------
    def upload_round(self) -> bool:
        return self.round_index == self.rounds and self.attempt_file is not None

    def on_title(self, app, scene) -> None:
        if self.round_index >= self.rounds and not self.upload_round():
            if self.once("quit", 0.3):
                app.quit()
            return
        if self.once("shot", 0.8):
            self.shot(app, "title")
        if (self.round_index == 0 or self.round_type_wanted() is not None) \
                and self.once("settings", 1.0):
            self.press(pygame.K_s)
        elif self.round_index == 0 and self.once("models", 1.1):
            if any(b.keys == (pygame.K_m,) for b in scene.menu.buttons):
                self.press(pygame.K_m)
        elif self.once("play", 1.2):
            self.press(pygame.K_p)

    def round_type_wanted(self) -> str | None:
        """The round type Settings must be set to before this round, if any: "artist" for
        the artist round, "single" again after it (not with a painting given by --style,
        nor before the upload round, which replays round 1's pair)."""
        if self.keep_style or self.artist_round >= self.rounds:
            return None
        return {self.artist_round: "artist", self.artist_round + 1: "single"}.get(
            self.round_index) if self.round_index < self.rounds else None

    def on_settings(self, app, scene) -> None:
        wanted = self.round_type_wanted()
        if wanted is not None and self.once("round_type", 0.3):
            # Down to the round type, then Right until it says what this round wants.
            row = next(i for i, r in enumerate(scene.rows) if r.label.key == "rounds.style_kind")
            for _ in range(row - scene.index):
                self.press(pygame.K_DOWN)
            kinds = ("single", "artist", "mixed")
            steps = (kinds.index(wanted) - kinds.index(app.config.round.style_kind)) % 3
            for _ in range(steps):
                self.press(pygame.K_RIGHT)
        if self.once("shot", 0.6):
            self.shot(app, "settings_artist" if wanted == "artist" else "settings")
        if self.once("back", 0.8):
            self.press(pygame.K_ESCAPE)

    def on_models(self, app, scene) -> None:
        if self.once("fetch", 0.2):
            self.press(pygame.K_d)              # offline: shows the clear message
            self.models_deadline = time.monotonic() + 60     # wall clock: a child process
        if scene.result and self.once("shot", 0):
            self.shot(app, "models")
        gave_up = "fetch" in self.done_steps and time.monotonic() > self.models_deadline
        if ("shot" in self.done_steps or gave_up) and self.once("back", 0.5):
            self.press(pygame.K_ESCAPE)

    def on_setup(self, app, scene) -> None:
        if self.upload_round():
            self.setup_upload(app, scene)
            return
        if self.once("shuffle", 0.3) and self.shuffle_key() is not None:
            self.press(self.shuffle_key())
        if self.once("shot", 0.8):
            self.shot(app, "setup_artist" if app.config.round.style_kind == "artist"
                      else "setup")
        if self.round_index == 0 and self.once("picker", 1.0) \
                and self.picker_key() is not None:
            self.press(self.picker_key())
        if self.once("start", 1.6):
            if self.round_index == 0:           # the upload round brings round 1's painting
                self.pair = (scene.content, scene.style)
            self.press(pygame.K_RETURN)

    def setup_upload(self, app, scene) -> None:
        """U, then T and the picture's path typed in the prompt, as a player would."""
        if self.once("pair", 0.1) and self.pair:
            scene.set("content", self.pair[0])
            scene.set("style", self.pair[1])
        if self.once("shot", 0.8):
            self.shot(app, "setup")
        if self.once("upload", 1.2):
            self.press(pygame.K_u)

    def on_attempt(self, app, scene) -> None:
        if scene.attempt is None and self.once("type", 0.3):
            self.press(pygame.K_t)
        if scene.attempt is not None and self.once("shot", 0):
            self.shot(app, "attempt_confirm")
            self.use_at = self.time_in_scene + 0.3
        if "shot" in self.done_steps and self.time_in_scene >= self.use_at \
                and self.once("use", 0):
            self.press(pygame.K_RETURN)

    def on_prompt(self, app, scene) -> None:
        if self.attempt_file is None:
            return
        if self.once("type", 0.2):
            post(pygame.TEXTINPUT, text=str(self.attempt_file))
        if self.once("enter", 0.5):
            self.press(pygame.K_RETURN)

    def on_picker(self, app, scene) -> None:
        if self.once("move", 0.2):
            self.press(pygame.K_RIGHT)
        if self.once("shot", 0.5):
            self.shot(app, "catalogue_picker")
        if self.once("pick", 0.7):
            self.press(pygame.K_RETURN)

    def on_paint(self, app, scene) -> None:
        if self.once("plan", 0.0):
            budget = max(40, int(scene.round.seconds * STROKES_PER_SECOND))
            plan = plan_painting(scene.content_rgb, scene.style_rgb,
                                 (scene.canvas.width, scene.canvas.height),
                                 seed=self.seed + self.round_index, budget=budget)
            total_points = sum(len(s.points) for s in plan)
            frames = max(1.0, (scene.round.seconds - 3.0) * 60)
            self.feed = PaintFeed(plan, scene.canvas_rect.topleft,
                                  max(1, math.ceil(total_points / frames)))
        if self.feed is not None and not self.feed.done():
            self.feed.step(scene)
        remaining = scene.round.remaining
        half = scene.round.seconds / 2
        if self.time_in_scene >= half and self.once("shot_mid", 0):
            self.shot(app, "paint")
        if self.round_index == 0 and self.time_in_scene >= half + 1 and self.once("refs", 0):
            pygame.event.post(key(pygame.K_TAB)[0])            # hold Tab ...
        if self.round_index == 0 and self.time_in_scene >= half + 1.3 \
                and self.once("refs_shot", 0):
            self.shot(app, "paint_references")
        if self.round_index == 0 and self.time_in_scene >= half + 1.5 and self.once("refs_up", 0):
            pygame.event.post(key(pygame.K_TAB)[1])            # ... and let go
        if self.round_index == 0 and self.time_in_scene >= half + 2 and self.once("pause", 0):
            self._release_mouse()
            self.press(pygame.K_ESCAPE)
        if remaining <= 5.0 and self.once("shot_urgent", 0):
            self.shot(app, "paint_last_seconds")

    def _release_mouse(self) -> None:
        if self.feed is not None and self.feed.down:
            post(pygame.MOUSEBUTTONUP, pos=(0, 0), button=1)
            self.feed.down, self.feed.point = False, 0
            self.feed.stroke += 1

    def on_pause(self, app, scene) -> None:
        if self.once("shot", 0.3):
            self.shot(app, "pause")
        if self.once("resume", 0.5):
            self.press(pygame.K_ESCAPE)

    def on_reveal(self, app, scene) -> None:
        """Waits (wall clock, capped) for both machines, as a curious player would."""
        if self.once("arrive", 0.0):
            self.reveal_deadline = time.monotonic() + REVEAL_WAIT_S
        finished = all(slot.status in ("done", "failed") for slot in scene.round.slots.values())
        finished = finished and scene.round.scoring.status not in ("waiting", "scoring")
        if not finished and self.once("shot_waiting", 1.5):
            self.shot(app, "reveal_machines_working")
        if (finished or time.monotonic() > self.reveal_deadline) and self.once("shot", 0.5):
            uploaded = scene.round.origin == "uploaded"
            self.shot(app, "reveal_uploaded" if uploaded else "reveal")
            self.signed_at = self.time_in_scene + 0.3
            if self.round_index == 0 and scene.round.painting is not None:
                self.write_attempt(app, scene.round.painting)
        if "shot" not in self.done_steps or self.time_in_scene < self.signed_at:
            return
        if self.wants_replay(app, scene) and self.once("replay", 0):
            self.press(pygame.K_d)              # back here after the replay's Esc
        elif not self.wants_replay(app, scene) and self.once("sign", 0.2):
            self.press(pygame.K_RETURN)

    def wants_replay(self, app, scene) -> bool:
        """Round 1's reveal shows the duel's replay (not in a kiosk, where the demo walks
        the visitor's path), when there is a painting to replay."""
        painted = scene.round.painting is not None and not scene.round.gave_up
        return (self.round_index == 0 and not self.replayed and painted
                and not app.config.kiosk.enabled)

    def write_attempt(self, app, painting) -> None:
        """Round 1's painting (h, w, 3) uint8 as a PNG in the demo's throw-away home: the
        picture the upload round brings (not in a kiosk, which takes no files)."""
        if app.config.kiosk.enabled:
            return
        from PIL import Image

        from game.files import open_new_file
        path = Path(app.config.paths.data_dir).parent / "attempt.png"
        with open_new_file(path, exclusive=False) as out:
            Image.fromarray(painting).save(out, format="PNG")
        self.attempt_file = path

    def on_replay(self, app, scene) -> None:
        if self.once("arrive", 0.0):
            self.replay_deadline = time.monotonic() + REPLAY_WAIT_S
        if self.once("shot", 9.0):              # half-way: both pictures on their way
            self.shot(app, "replay")
        late = time.monotonic() > self.replay_deadline
        if "shot" in self.done_steps and (scene.ended or late) and self.once("shot_end", 0.5):
            self.shot(app, "replay_end")
        # "Save the duel", as a player taking it home: the files land in <data_dir>/duels.
        if "shot_end" in self.done_steps and not self.save_duel:
            self.done_steps.add("shot_saved")
        elif "shot_end" in self.done_steps and self.once("save", 0):
            self.save_deadline = time.monotonic() + SAVE_WAIT_S
            self.press(pygame.K_s)
        export = scene.export
        saved = export is not None and export.poll().done
        if "save" in self.done_steps and (saved or time.monotonic() > self.save_deadline) \
                and self.once("saved", 0):
            self.signed_at = self.time_in_scene + 0.3       # the screen says where, then
        if "saved" in self.done_steps and self.time_in_scene >= self.signed_at \
                and self.once("shot_saved", 0):
            self.shot(app, "replay_saved")
        if "shot_saved" in self.done_steps and self.once("back", 0):
            self.replayed = True
            self.press(pygame.K_ESCAPE)

    def on_name_entry(self, app, scene) -> None:
        name = BOT_NAMES[self.round_index % len(BOT_NAMES)] + " (bot)"
        if self.once("type", 0.2):
            post(pygame.TEXTINPUT, text=name)
        if self.once("shot", 0.5):
            self.shot(app, "name_entry")
        if self.once("save", 0.7):
            self.press(pygame.K_RETURN)

    def on_leaderboard(self, app, scene) -> None:
        upload = self.upload_round()
        if self.once("shot", 0.5):
            self.shot(app, "leaderboard_uploaded" if upload else "leaderboard")
        if upload and self.once("filter", 0.7):
            self.press(pygame.K_f)                  # painted only: the upload drops out
        if upload and self.once("shot_filter", 1.0):
            self.shot(app, "leaderboard_painted_only")
        if self.once("back", 1.3 if upload else 0.8):
            self.round_index += 1
            self.press(pygame.K_ESCAPE)
