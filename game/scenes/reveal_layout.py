"""Where the reveal puts everything: the header, three equal slot panels, the score panel.

The three panels (the painting, Magenta's slot, Gatys's slot) share one height and one top;
each holds its picture fitted into a cell (portrait pictures keep their aspect), then its
title and detail, each on one line cut with '…'. Their height is what the score panel
under them leaves: the panel's must-show lines are measured first in the current language
and text size, the pictures give way (never below MIN_PICTURE), and the score's optional
sentence gets any room left over. Captions on a picture (the settings, Gatys's progress, a
failure) sit in a panel of their own on it. Nothing here draws: RevealScene draws the boxes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game.i18n import Msg, Text
from game.round import Round
from game.scenes.reveal_score import place_score, score_height
from game.ui.engine_names import settings_caption
from game.ui.layout import LayoutReport, Panel, line_height, pair_text, text_height
from game.ui.theme import SCREEN_SIZE

MARGIN = 32               # left and right of the screen
HEADER_BOTTOM = 94
THUMB = (90, 60)          # the pair's two thumbnails, top right
BUTTONS_TOP = 630         # RevealScene's buttons
FOOTER = pygame.Rect(0, 692, SCREEN_SIZE[0], 28)     # an error under the buttons
SLOT_GAP = 32
PAD = 6                   # a slot panel's padding round its picture and captions
# A slot's picture cell: at most MAX tall; down to ROOMY so that the score's sentence fits
# whole, and down to MIN so that the score's must-show lines fit.
MAX_PICTURE, ROOMY_PICTURE, MIN_PICTURE = 330, 270, 150
SCORE_GAP = 10            # between the slot panels and the score panel
SPINNER = 31              # the waiting spinner's radius, dots included


@dataclass
class SlotView:
    """One slot panel as laid out: the scene draws its picture and decorations here."""

    panel: pygame.Rect
    cell: pygame.Rect                   # the picture's cell
    picture: pygame.Rect | None = None  # the picture fitted into the cell, if there is one
    badge: pygame.Rect | None = None    # Gatys's progress bar, on its picture
    strip: pygame.Rect | None = None    # the settings caption's dark strip, on its picture
    spinner: tuple[int, int] | None = None   # the waiting spinner's centre


@dataclass
class RevealView:
    report: LayoutReport
    slots: list[SlotView] = field(default_factory=list)
    thumbs: list[pygame.Rect] = field(default_factory=list)


def reveal_layout(theme, round_: Round, pair: tuple[str, str], thumb_sizes: list[tuple[int, int]],
                  painting_size: tuple[int, int] | None, error: Text | None = None
                  ) -> RevealView:
    """The whole screen; `error` (a save that failed) goes under the buttons."""
    root = Panel.screen(theme, "reveal")
    view = RevealView(root.report)
    view.thumbs = _header(root, theme, pair, thumb_sizes)
    width = SCREEN_SIZE[0] - 2 * MARGIN
    top, bottom = HEADER_BOTTOM + 6, BUTTONS_TOP - 8
    caption = _caption_height(theme)
    room = bottom - top - SCORE_GAP - caption       # for a picture and the score panel
    picture = room - score_height(theme, round_, width, optional=True)
    if picture < ROOMY_PICTURE:
        picture = max(MIN_PICTURE, room - score_height(theme, round_, width, optional=False))
    slot_h = min(MAX_PICTURE, picture) + caption
    body = root.panel("body", pygame.Rect(MARGIN, top, width, bottom - top))
    names = ["painting", "magenta", "gatys"]
    cards = body.columns(3, SLOT_GAP, slot_h, names, padding=PAD)
    body.take(SCORE_GAP)
    _painting_slot(view, cards[0], theme, painting_size, round_.origin == "uploaded")
    for card, slot in zip(cards[1:], round_.slots.values()):
        _machine_slot(view, card, theme, slot)
    score = body.panel("score", pygame.Rect(body.inner.x, body.y, width, body.remaining))
    place_score(score, theme, round_)
    if error is not None:
        footer = root.panel("footer", FOOTER)
        footer.text_in(FOOTER.inflate(-40, 0), error, "small", theme.colors.urgent,
                       align="centre", valign="centre")
    return view


def _header(root: Panel, theme, pair: tuple[str, str], sizes: list[tuple[int, int]]
            ) -> list[pygame.Rect]:
    c = theme.colors
    header = root.panel("header", pygame.Rect(0, 0, SCREEN_SIZE[0], HEADER_BOTTOM))
    right = SCREEN_SIZE[0] - MARGIN
    cells = [pygame.Rect(right - (len(sizes) - i) * (THUMB[0] + 10) + 10, 20, *THUMB)
             for i in range(len(sizes))]
    thumbs = [header.picture(size, cell) for size, cell in zip(sizes, cells)]
    left = cells[0].x if cells else right
    heading = header.text_in(pygame.Rect(MARGIN, 22, (left - MARGIN) // 2, 0),
                             Msg("reveal.heading"), "h1", c.accent)
    x = heading.rect.right + 28
    width = left - 16 - x
    header.text_in(pygame.Rect(x, heading.rect.y, width, heading.rect.height),
                   pair_text(theme, *pair, "body", width, "  ×  "), "body", c.text_dim,
                   valign="centre")
    return thumbs


def _caption_height(theme) -> int:
    """A slot's title row (an h2 line) and detail line under its picture, with the gaps."""
    return 6 + line_height(theme, "h2") + 2 + line_height(theme, "small") + 2 * PAD


def _captions(card: Panel, theme, title: Text, detail: Text) -> None:
    c = theme.colors
    width = card.inner.width
    # A long title (a translated stand-in's name) steps down a size before it is cut.
    role = "h2" if theme.fonts["h2"].size(theme.strings(title))[0] <= width else "body"
    row = card.take(line_height(theme, "h2"), gap=2)
    card.text_in(row, title, role, c.text, valign="bottom")
    card.text(detail, "small", c.text_dim)


def _cell(card: Panel, theme) -> pygame.Rect:
    return card.take(card.remaining - (_caption_height(theme) - 2 * PAD), gap=6)


def _painting_slot(view: RevealView, card: Panel, theme, size, uploaded: bool) -> None:
    cell = _cell(card, theme)
    slot = SlotView(card.rect, cell)
    if size is not None:
        slot.picture = card.picture(size, cell)
    else:
        card.text_in(cell, Msg("reveal.no_painting"), "h2", theme.colors.text_dim,
                     align="centre", valign="centre")
    # A brought picture was not painted here: its caption must not claim acrylic by hand.
    if uploaded:
        _captions(card, theme, Msg("attempt.your_picture"), Msg("attempt.brought"))
    else:
        _captions(card, theme, Msg("reveal.your_painting"), Msg("reveal.by_hand"))
    view.slots.append(slot)


def _machine_slot(view: RevealView, card: Panel, theme, slot) -> None:
    c = theme.colors
    cell = _cell(card, theme)
    laid = SlotView(card.rect, cell)
    if slot.image is not None:
        picture = laid.picture = card.picture((slot.image.shape[1], slot.image.shape[0]), cell)
        if slot.status == "running":        # Gatys keeps refining on screen
            laid.badge = pygame.Rect(picture.x + 8, picture.bottom - 34, picture.width - 16, 26)
            badge = card.panel("badge", laid.badge)
            badge.text_in(laid.badge.inflate(-8, 0), Msg("reveal.refining",
                                                         iteration=slot.iteration),
                          "small", c.text, align="centre", valign="centre")
        elif slot.settings_text:            # the settings that made this picture
            text = settings_caption(theme.strings, slot.settings_text)
            height = text_height(theme, text, "small", picture.width - 16, 2) + 8
            laid.strip = pygame.Rect(picture.x, picture.bottom - height, picture.width, height)
            strip = card.panel("caption", laid.strip)
            strip.text_in(laid.strip.inflate(-16, -8), text, "small", c.text, lines=2)
    elif slot.status == "failed":
        failed = card.panel("failed", cell.inflate(-24, -16))
        failed.text_in(failed.rect, slot.detail, "small", c.urgent, lines=5, align="centre",
                       valign="centre")
    else:                                   # a quiet spinner: the machines are thinking
        message = Msg("reveal.waiting") if slot.status == "waiting" else Msg("reveal.working")
        height = text_height(theme, message, "body", cell.width - 20)
        top = cell.centery - (2 * SPINNER + 12 + height) // 2
        laid.spinner = (cell.centerx, top + SPINNER)
        card.widget(pygame.Rect(cell.centerx - SPINNER, top, 2 * SPINNER, 2 * SPINNER))
        card.text_in(pygame.Rect(cell.x + 10, top + 2 * SPINNER + 12, cell.width - 20, 0),
                     message, "body", c.text_dim, align="centre")
    # A failure's reason is in the picture's place already: not twice.
    _captions(card, theme, slot.label, "" if slot.status == "failed" else slot.detail)
    view.slots.append(laid)
