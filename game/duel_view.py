"""One frame of the duel replay, laid out and drawn: the same on screen and in the file.

The replay screen (game/scenes/replay.py) and the exported video (game/duel_export.py, in a
process of its own) draw their frames with these functions at the screen's 1280x720, so the
MP4 shows exactly what the player watched. Every word comes in DuelTexts already in the
player's language: the export process has no locale of its own to look them up in.

Layout: the pair and the clock on top; the painting growing on the left and Gatys's picture
forming on the right, each captioned; under them a strip with the time-lapse speed (the
score and its parts on the end card) and Magenta's picture as an inset. The screen's
buttons sit in the band below the strip (`BAND`), which the video leaves empty.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui.layout import LayoutReport, Panel, line_height, pair_text
from game.ui.theme import Theme

BAND = pygame.Rect(0, 628, 1280, 92)    # the screen's buttons; blank in the video
MARGIN, GAP = 24, 24
INSET = (88, 66)                        # Magenta's picture in the strip
STATUS = pygame.Rect(24, 636, 520, 76)  # the save's progress, left of the screen's buttons


@dataclass
class DuelTexts:
    """The words of a duel, already in the player's language."""

    content: str                 # the photo's title
    style: str                   # the painting's title (or the artist's)
    painter: str                 # "Your painting", or the uploaded picture's tag
    magenta: str                 # what made the fast picture: "Magenta", "studio filter"
    gatys: str                   # what made the slow one: "Gatys", "untrained Gatys"
    gatys_step: str              # "Gatys · iteration {iteration}" ({iteration} left in)
    gatys_done: str              # the end card's caption under Gatys's final picture
    speed: str                   # "time-lapse, 5× faster"
    score_label: str             # "Score"
    score: str                   # "7.4", or the sentence saying why there is none
    parts: str = ""              # "Layout 7.1 · Colour 6.0 · Brushwork 8.2", or ""
    gatys_starting: str = ""     # before Gatys's first snapshot: "Gatys · starting…"


@dataclass
class DuelView:
    """Where one frame's pictures go (the texts are in the report)."""

    report: LayoutReport
    painting: pygame.Rect | None
    gatys: pygame.Rect | None
    magenta: pygame.Rect
    panes: tuple[pygame.Rect, pygame.Rect, pygame.Rect]   # painting, gatys, strip


def duel_layout(theme: Theme, texts: DuelTexts, clock: str, gatys_caption: str,
                sizes: dict[str, tuple[int, int] | None], ending: bool,
                status: str = "") -> DuelView:
    """The frame for `clock` ("0:42 / 1:30"); `sizes` are the pictures' (w, h) by name
    ("painting", "gatys"), None for one not there yet; `status` (the screen's: how the
    save is going) goes in the band left of the buttons."""
    c = theme.colors
    screen = Panel.screen(theme, "replay")
    top = line_height(theme, "h1")
    header = screen.panel("header", pygame.Rect(MARGIN, 10, 1280 - 2 * MARGIN, top))
    clock_box = header.text_in(header.inner, clock, "h1", c.accent, align="right",
                               valign="centre")
    room = header.inner.width - clock_box.rect.width - GAP
    pair = pair_text(theme, texts.content, texts.style, "h2", room)
    header.text_in(pygame.Rect(header.inner.x, header.inner.y, room, top), pair, "h2",
                   valign="centre")
    strip_h = max(INSET[1] + 8, line_height(theme, "h1") + 8)
    strip_rect = pygame.Rect(MARGIN, BAND.y - 8 - strip_h, 1280 - 2 * MARGIN, strip_h)
    pane_top = header.rect.bottom + 8
    pane_h = strip_rect.y - 8 - pane_top
    width = (1280 - 2 * MARGIN - GAP) // 2
    rects = {}
    for i, (name, caption) in enumerate((("painting", texts.painter),
                                         ("gatys", gatys_caption))):
        pane = screen.panel(name, pygame.Rect(MARGIN + i * (width + GAP), pane_top, width,
                                              pane_h), padding=10)
        caption_h = pane.measure(caption, "body")
        cell = pane.take(pane.remaining - caption_h - 6, gap=6)
        size = sizes.get(name)
        rects[name] = pane.picture(size, cell) if size else None
        pane.text(caption, "body", c.text if name == "painting" else c.text_dim)
    strip = screen.panel("strip", strip_rect, padding=4)
    inset = pygame.Rect(0, 0, *INSET)
    inset.midright = strip.inner.midright
    strip.widget(inset)
    label = strip.text_in(pygame.Rect(strip.inner.x, strip.inner.y,
                                      inset.x - strip.inner.x - 10, strip.inner.height),
                          texts.magenta, "small", c.text_dim, align="right", valign="centre")
    left = pygame.Rect(strip.inner.x, strip.inner.y, label.rect.x - strip.inner.x - GAP,
                       strip.inner.height)
    if ending:
        _score_line(strip, left, texts)
    else:
        strip.text_in(left, texts.speed, "body", c.text_dim, valign="centre")
    if status:
        band = screen.panel("status", STATUS)
        band.text_in(band.inner, status, "small", c.text, lines=3, valign="centre")
    return DuelView(screen.report, rects["painting"], rects["gatys"], inset,
                    (screen.report.panels["replay.painting"],
                     screen.report.panels["replay.gatys"], strip_rect))


def _score_line(strip: Panel, left: pygame.Rect, texts: DuelTexts) -> None:
    """The end card's score: "Score 7.4" large, its parts beside it; or why there is none."""
    c = strip.theme.colors
    if not texts.parts and not texts.score.replace(".", "").isdigit():
        strip.text_in(left, texts.score, "body", c.urgent, lines=2, valign="centre")
        return
    label = strip.text_in(left, texts.score_label, "body", c.text_dim, valign="centre")
    value_cell = pygame.Rect(label.rect.right + 10, left.y, left.right - label.rect.right - 10,
                             left.height)
    value = strip.text_in(value_cell, texts.score, "h1", c.accent, valign="centre")
    if texts.parts:
        rest = pygame.Rect(value.rect.right + GAP, left.y, left.right - value.rect.right - GAP,
                           left.height)
        strip.text_in(rest, texts.parts, "small", c.text, lines=2, valign="centre")


def draw_duel(surface: pygame.Surface, theme: Theme, view: DuelView,
              pictures: dict[str, pygame.Surface | None]) -> None:
    """Panels, the pictures (each already scaled to its rect) and the report's texts."""
    c = theme.colors
    for rect in view.panes:
        pygame.draw.rect(surface, c.panel, rect, border_radius=10)
    for name in ("painting", "gatys", "magenta"):
        rect, picture = getattr(view, name), pictures.get(name)
        if rect is None:
            continue
        if picture is None:
            pygame.draw.rect(surface, c.panel_light, rect, border_radius=6)
        else:
            surface.blit(picture, picture.get_rect(center=rect.center))
    view.report.draw_text(surface, theme)


def gatys_caption(texts: DuelTexts, ending: bool, index: int, snapshots) -> str:
    """The caption under Gatys's pane: starting, at snapshot `index`'s iteration, or done.
    `snapshots` oldest first (each has `.iteration`); screen and export both ask here."""
    if ending or not snapshots:
        return texts.gatys_done
    if index < 0:                               # before its first snapshot: nothing yet
        return texts.gatys_starting or texts.gatys_done
    return texts.gatys_step.replace("{iteration}", str(snapshots[index].iteration))


def scaled(picture: pygame.Surface | None, rect: pygame.Rect | None
           ) -> pygame.Surface | None:
    """`picture` as large as fits in `rect`, keeping its shape (None if either is)."""
    if picture is None or rect is None:
        return None
    w, h = picture.get_size()
    scale = min(rect.width / max(1, w), rect.height / max(1, h))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if size == (w, h):
        return picture
    return pygame.transform.smoothscale(picture, size)
