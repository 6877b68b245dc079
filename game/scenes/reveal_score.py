"""The reveal's score panel: the round score, the comparisons behind it and what they mean.

It sits under the three slot panels and above the buttons: the big number on the left, a
column of lines beside it. With the painting's three parts (layout, colour, brushwork, from
a current score worker) the column adds a line with the parts and one saying which part cost
the most. Each line is measured in the current language and text size and wrapped to its
own line count (game/ui/layout.py); the sentence explaining the score is optional: it gets
the lines that are left and is cut with '…' or left out rather than running into the
buttons. The slots above shrink their pictures until the lines that must show fit.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.i18n import Msg, Text
from game.round import Round, ScoreSlot, worded
from game.ui.engine_names import short_name
from game.ui.layout import Panel, text_height

PARTS = ("layout", "colour", "brushwork")     # the order the parts line names them
WIDEST_NUMBER = "10.0 / 10"                   # the text column starts right of this
NUMBER_GAP = 28                               # between the big number and the text column
LINE_GAP = 2


@dataclass(frozen=True)
class Line:
    """One entry of the text column: wrapped to at most `lines` lines of its width."""

    text: Text
    role: str
    colour: tuple
    lines: int = 1
    optional: bool = False     # shown with the lines the panel has left, or not at all


def has_parts(scoring: ScoreSlot) -> bool:
    """A finished score with all three parts (an older worker sends none)."""
    return scoring.status == "done" and all(part in scoring.parts for part in PARTS)


def score_lines(theme, round_: Round) -> list[Line]:
    """The text column, top to bottom, for the score's current state."""
    c = theme.colors
    scoring = round_.scoring
    if scoring.status == "done":
        lines = [Line(versus(theme, round_), "body", c.text, 2),
                 Line(agree(round_), "small", c.text_dim, 2)]
        if has_parts(scoring):
            lines.append(Line(Msg("reveal.parts", **{p: scoring.parts[p] for p in PARTS}),
                              "small", c.text, 2))
            cost = f"cost.{scoring.cost}"
            if scoring.cost and theme.strings.has(cost):
                lines.append(Line(Msg(cost), "small", c.accent, 2))
        return lines + [Line(worded("reveal.score_sentence", round_.origin), "small",
                             c.text_dim, 3, optional=True)]
    if scoring.status in ("failed", "none"):
        return [Line(scoring.detail or Msg("score.none"), "small", c.urgent, 3)]
    if scoring.status == "scoring":
        return [Line(worded("reveal.scoring", round_.origin), "small", c.text, 2)]
    return [Line(worded("reveal.score_later", round_.origin), "small", c.text_dim, 3)]


def number_width(theme) -> int:
    return max(theme.fonts["h1"].size(WIDEST_NUMBER)[0],
               theme.fonts["small"].size(theme.strings(Msg("reveal.score")))[0])


def score_height(theme, round_: Round, width: int, optional: bool) -> int:
    """How tall the panel's content is at `width` (with or without the optional lines)."""
    left = (theme.line_pitch(theme.strings(Msg("reveal.score")), "small")
            + theme.line_pitch(WIDEST_NUMBER, "h1"))
    column = width - number_width(theme) - NUMBER_GAP
    right = sum(text_height(theme, line.text, line.role, column, line.lines) + LINE_GAP
                for line in score_lines(theme, round_) if optional or not line.optional)
    return max(left, right)


def place_score(panel: Panel, theme, round_: Round) -> None:
    """The big number and the text column, as boxes of `panel`'s report."""
    c = theme.colors
    inner = panel.inner
    left = panel.panel("number", pygame.Rect(inner.x, inner.y, number_width(theme),
                                             inner.height))
    left.text(Msg("reveal.score"), "small", c.text_dim)
    score = round_.score
    left.text(f"{score:.1f} / 10" if score is not None else "– / 10", "h1", c.accent)
    x = left.rect.right + NUMBER_GAP
    column = panel.panel("lines", pygame.Rect(x, inner.y, inner.right - x, inner.height))
    for line in score_lines(theme, round_):
        count = (column.most_lines(line.text, line.role, line.lines) if line.optional
                 else line.lines)
        if count:
            column.text(line.text, line.role, line.colour, lines=count, gap=LINE_GAP)


def versus(theme, round_: Round) -> str:
    """ "Your painting vs Magenta 6.1 · vs Gatys 6.4", each machine named for what really
    ran (a stand-in by its own name), one side only if a machine failed."""
    scoring = round_.scoring
    first = "reveal.vs_magenta_uploaded" if round_.origin == "uploaded" else "reveal.vs_magenta"
    sides = [theme.strings(Msg(key, name=short_name(round_.slots[engine]), score=value))
             for key, engine, value in ((first, "magenta", scoring.vs_magenta),
                                        ("reveal.vs_gatys", "gatys", scoring.vs_gatys))
             if value is not None]
    return "   ·   ".join(sides)


def agree(round_: Round) -> Msg:
    scoring = round_.scoring
    if scoring.machines_agree is None:
        return Msg("reveal.one_machine")
    return Msg("reveal.agree", first=short_name(round_.slots["magenta"]),
               second=short_name(round_.slots["gatys"]), score=scoring.machines_agree)
