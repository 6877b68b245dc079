"""Attract mode: the kiosk between visitors shows the day's paintings being painted again.

Each gallery entry in turn: its stroke log replays on a fresh Canvas(w, h, seed) a few
hundred points a second (a time-lapse: the painting grows as the visitor painted it),
beside the two machines' pictures, its titles and score; the finished painting then stays
up for HOLD_S and the next entry starts. With an empty gallery the style paintings are
shown instead. A big prompt invites passers-by; any input starts a new round.

Entries come from disk and may be damaged (a cut-off save, a hand-edited file): such an
entry is logged and skipped, never shown half and never allowed to stop the kiosk.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterator

import numpy as np
import pygame

from brushes import Canvas, replay_steps
from game.gallery import GalleryEntry
from game.i18n import Msg
from game.idle import is_input_event
from game.kiosk import ATTRACT_PROMPT, ROUND_ENDED_IDLE
from game.kiosk_mode import shown_name
from game.scene import Scene
from game.scenes.gallery_view import clip_text, entry_titles
from game.services import array_to_surface, fit_surface

log = logging.getLogger(__name__)

POINTS_PER_SECOND = 300     # slow enough to follow each stroke, ...
MAX_TIMELAPSE_S = 20.0      # ... but a long painting speeds up so nobody waits minutes
HOLD_S = 6.0                # the finished painting stays up this long
MAX_CANVAS_SIDE = 4096      # a damaged size in meta.json must not allocate gigabytes
ENDED_NOTE_S = 12.0         # "nobody was painting" stays up this long after a discard
PAINT_BOX = pygame.Rect(40, 104, 720, 440)
MACHINE_BOXES = MappingProxyType({"magenta": pygame.Rect(800, 104, 440, 190),
                                  "gatys": pygame.Rect(800, 354, 440, 190)})
# The gallery does not record which engine made a picture: named by what is true of both.
MACHINE_LABELS = MappingProxyType({"magenta": Msg("machines.gallery_magenta"),
                                   "gatys": Msg("machines.gallery_gatys")})


@dataclass
class Showing:
    """The entry on screen: its pictures, and the time-lapse replaying it."""

    entry: GalleryEntry
    painting: pygame.Surface                      # the stored painting, fitted to PAINT_BOX
    machines: dict[str, pygame.Surface | None]
    canvas: Canvas | None = None                  # None: no usable stroke log, no time-lapse
    steps: Iterator[int] | None = None
    canvas_surface: pygame.Surface | None = None
    scaled: pygame.Surface | None = None          # canvas_surface fitted to PAINT_BOX
    total_points: int = 1
    done_points: int = 0
    budget: float = 0.0                           # points owed to the replay, fractional
    hold_left: float = HOLD_S

    @property
    def replaying(self) -> bool:
        return self.steps is not None

    @property
    def progress(self) -> float:
        return min(1.0, self.done_points / self.total_points) if self.replaying else 1.0


def _usable_size(size: tuple[int, int]) -> bool:
    return all(0 < side <= MAX_CANVAS_SIDE for side in size)


def prepare(entry: GalleryEntry) -> Showing:
    """Read an entry for showing; raises (OSError, ValueError, ...) if it is damaged."""
    painting = entry.painting()
    machines = {}
    for engine, box in MACHINE_BOXES.items():
        picture = entry.machine(engine)
        machines[engine] = (fit_surface(array_to_surface(picture), box.size)
                            if picture is not None else None)
    showing = Showing(entry, fit_surface(array_to_surface(painting), PAINT_BOX.size),
                      machines)
    log_ = entry.strokes()
    width, height = entry.canvas_size
    if log_ and _usable_size((width, height)) and painting.shape[:2] == (height, width):
        showing.canvas = Canvas(width, height, seed=entry.canvas_seed)
        showing.steps = replay_steps(log_, showing.canvas)
        showing.canvas_surface = pygame.Surface((width, height))
        showing.total_points = max(1, sum(max(1, len(record.points)) for record in log_))
        _blit_dirty(showing, (0, 0, width, height))
    return showing


def _blit_dirty(showing: Showing, rect: tuple[int, int, int, int]) -> None:
    x, y, w, h = rect
    if w <= 0 or h <= 0:
        return
    region = np.ascontiguousarray(showing.canvas.rgb8_region(x, y, w, h))
    showing.canvas_surface.blit(pygame.image.frombuffer(region.tobytes(), (w, h), "RGB"),
                                (x, y))
    showing.scaled = None


class AttractScene(Scene):
    name = "attract"

    def __init__(self, app, round_ended: bool = False) -> None:
        super().__init__(app)
        self.time = 0.0
        self.note_left = ENDED_NOTE_S if round_ended else 0.0
        self.entries: list[GalleryEntry] = []
        self.index = -1
        self.showing: Showing | None = None

    def enter(self) -> None:
        self.entries = self._load_entries()
        self.next_entry()

    def _load_entries(self) -> list[GalleryEntry]:
        try:
            return self.app.services.gallery.recent(self.app.config.kiosk.gallery_size)
        except OSError as exc:       # an unreadable gallery just means the empty screen
            log.warning("gallery unreadable: %s", exc)
            return []

    def next_entry(self) -> None:
        """Show the next entry that can be read; an empty screen if none can."""
        self.showing = None
        if self.index + 1 >= len(self.entries):
            # Round the loop: read the list again, other rounds may have been saved since.
            self.entries, self.index = self._load_entries(), -1
        for _ in range(len(self.entries)):
            self.index = (self.index + 1) % len(self.entries)
            entry = self.entries[self.index]
            try:
                self.showing = prepare(entry)
                return
            # Anything a damaged file can raise while decoding: skip, never stop the kiosk.
            except Exception as exc:     # noqa: BLE001
                log.warning("attract mode skips gallery entry %s: %s", entry.entry_id, exc)

    # -- input ---------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if is_input_event(event):
            self.start_round()

    def start_round(self) -> None:
        from game.scenes.setup import SetupScene
        from game.scenes.title import TitleScene
        self.app.services.sound.play("click")
        self.app.replace(TitleScene(self.app))      # setup's Back leads to the title
        self.app.push(SetupScene(self.app))

    # -- time ----------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        self.time += dt
        self.note_left = max(0.0, self.note_left - dt)
        showing = self.showing
        if showing is None:
            return
        if showing.replaying:
            self._advance(showing, dt)
        else:
            showing.hold_left -= dt
            if showing.hold_left <= 0:
                self.next_entry()

    def _advance(self, showing: Showing, dt: float) -> None:
        rate = max(POINTS_PER_SECOND, showing.total_points / MAX_TIMELAPSE_S)
        showing.budget += rate * dt
        count, showing.budget = int(showing.budget), showing.budget % 1
        try:
            for _ in range(count):
                next(showing.steps)
                showing.done_points += 1
        except StopIteration:
            showing.steps = None          # finished: hold the stored painting
        except Exception as exc:          # noqa: BLE001 - a damaged log; show the painting
            log.warning("time-lapse of %s failed: %s", showing.entry.entry_id, exc)
            showing.steps = None
        showing.canvas.flush()
        dirty = showing.canvas.pop_dirty()
        if dirty is not None:
            _blit_dirty(showing, dirty)

    # -- drawing -------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        if self.showing is None:
            self._draw_empty(surface)
        else:
            self._draw_entry(surface, self.showing)
        self._draw_prompt(surface)

    def _draw_prompt(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        y = 616
        if self.note_left > 0:
            for line in theme.wrap(ROUND_ENDED_IDLE, "body", 1180)[:2]:
                theme.blit_text(surface, line, (640, y - 30), "body", c.urgent, "midtop")
                y += 26
        glow = 0.5 + 0.5 * math.sin(self.time * 3)     # a slow pulse catches the eye
        colour = tuple(round(a + (b - a) * glow * 0.6) for a, b in zip(c.accent, c.text))
        band = pygame.Rect(0, max(y, 640), 1280, 720 - max(y, 640))
        pygame.draw.rect(surface, c.panel, band)
        theme.blit_text(surface, ATTRACT_PROMPT, band.center, "h1", colour, "center")

    def _draw_empty(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        styles = self.app.services.catalogue.styles[:8]
        lit = int(self.time / 2) % max(1, len(styles))     # one painting at a time glows
        for i, item in enumerate(styles):
            box = pygame.Rect(40 + (i % 4) * 305, 190 + (i // 4) * 205, 285, 190)
            picture = self.app.services.images.surface(item, box.size)
            rect = surface.blit(picture, picture.get_rect(center=box.center))
            if i != lit:
                shade = pygame.Surface(rect.size, pygame.SRCALPHA)
                shade.fill((*c.background, 120))
                surface.blit(shade, rect)
            else:
                pygame.draw.rect(surface, c.accent, rect.inflate(6, 6), 3, border_radius=4)
        theme.blit_text(surface, Msg("title.logo"), (640, 62), "title", c.accent, "center")
        theme.blit_text(surface, Msg("kiosk.attract_empty"), (640, 142), "h2", c.text,
                        "center")

    def _draw_entry(self, surface: pygame.Surface, showing: Showing) -> None:
        theme = self.app.theme
        c = theme.colors
        entry = showing.entry
        content, style = entry_titles(self.app, entry)
        title = clip_text(theme, f"{content}  ×  {style}", 960, "h2")
        theme.blit_text(surface, title, (40, 24), "h2", c.accent)
        byline = Msg("kiosk.painted_by", name=theme.strings(shown_name(entry.player)))
        theme.blit_text(surface, byline, (40, 64), "body", c.text_dim)
        score = (Msg("kiosk.score", score=entry.score) if entry.score is not None
                 else Msg("kiosk.no_score"))
        theme.blit_text(surface, score, (1240, 30), "h1", c.accent, "topright")
        pygame.draw.rect(surface, c.panel, PAINT_BOX.inflate(12, 12), border_radius=10)
        picture = self._painting_surface(showing)
        surface.blit(picture, picture.get_rect(center=PAINT_BOX.center))
        caption = (Msg("kiosk.timelapse", percent=round(showing.progress * 100))
                   if showing.replaying else Msg("kiosk.finished_painting"))
        theme.blit_text(surface, caption, (PAINT_BOX.x, PAINT_BOX.bottom + 12), "body")
        for engine, box in MACHINE_BOXES.items():
            pygame.draw.rect(surface, c.panel, box.inflate(12, 12), border_radius=10)
            image = showing.machines[engine]
            if image is None:
                theme.blit_text(surface, Msg("kiosk.no_picture"), box.center, "body",
                                c.text_dim, "center")
            else:
                surface.blit(image, image.get_rect(center=box.center))
            theme.blit_text(surface, MACHINE_LABELS[engine], (box.x, box.bottom + 12), "body")

    def _painting_surface(self, showing: Showing) -> pygame.Surface:
        if not showing.replaying:
            return showing.painting
        if showing.scaled is None:
            showing.scaled = fit_surface(showing.canvas_surface, PAINT_BOX.size)
        return showing.scaled
