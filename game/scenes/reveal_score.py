"""The reveal's score block: the round score, the comparisons behind it and what they mean.

It sits under the slots' captions and above the buttons. With the painting's three parts
(layout, colour, brushwork, from a current score worker) it adds a line with the parts and
one saying which part cost the most, and stacks its lines by the fonts' own line heights:
when the text size leaves too little room, the sentence explaining the score is left out
rather than running into the buttons. Without parts (an older worker, or no score yet) it
draws as it always did.
"""
from __future__ import annotations

import pygame

from game.i18n import Msg, Text
from game.round import SCORE_SENTENCE, Round, ScoreSlot

SCORE_Y = 522            # the score area: under the slots' captions, above the buttons
SCORE_TEXT_X = 250       # the lines beside the big number start here ...
SCORE_RIGHT = 1248       # ... and end here
SCORE_BOTTOM = 628       # the buttons start at y = 630
PARTS = ("layout", "colour", "brushwork")     # the order the parts line names them


def has_parts(scoring: ScoreSlot) -> bool:
    """A finished score with all three parts (an older worker sends none)."""
    return scoring.status == "done" and all(part in scoring.parts for part in PARTS)


def draw_score(surface: pygame.Surface, theme, round_: Round) -> None:
    c = theme.colors
    scoring = round_.scoring
    score = round_.score
    theme.blit_text(surface, Msg("reveal.score"), (32, SCORE_Y), "small", c.text_dim)
    text = f"{score:.1f} / 10" if score is not None else "– / 10"
    theme.blit_text(surface, text, (32, SCORE_Y + 22), "h1", c.accent)
    if has_parts(scoring):
        y = SCORE_Y - 2
        for line, role, colour in parts_lines(theme, scoring):
            theme.blit_text(surface, line, (SCORE_TEXT_X, y), role, colour)
            y += _pitch(theme, line, role)
        return
    x, width = SCORE_TEXT_X, SCORE_RIGHT - SCORE_TEXT_X
    if scoring.status == "done":
        theme.blit_text(surface, _versus(theme, scoring), (x, SCORE_Y - 2), "body")
        theme.blit_text(surface, _agree(scoring), (x, SCORE_Y + 30), "small", c.text_dim)
        lines, colour = theme.wrap(SCORE_SENTENCE, "small", width), c.text_dim
    elif scoring.status in ("failed", "none"):
        lines, colour = theme.wrap(scoring.detail or Msg("score.none"), "small",
                                   width), c.urgent
    elif scoring.status == "scoring":
        lines, colour = [theme.strings(Msg("reveal.scoring"))], c.text
    else:
        lines, colour = theme.wrap(Msg("reveal.score_later"), "small", width), c.text_dim
    top = SCORE_Y + 58 if scoring.status == "done" else SCORE_Y + 8
    for k, line in enumerate(lines[:3]):
        theme.blit_text(surface, line, (x, top + 22 * k), "small", colour)


def parts_lines(theme, scoring: ScoreSlot) -> list[tuple[Text, str, tuple]]:
    """The lines beside the score when it has parts, top to bottom: (text, role, colour).

    The comparisons, how much the machines agree, the parts, what cost the most, then the
    sentence on what the score means if all of it fits above the buttons.
    """
    c = theme.colors
    width = SCORE_RIGHT - SCORE_TEXT_X
    lines: list[tuple[Text, str, tuple]] = [
        (_versus(theme, scoring), "body", c.text),
        (_agree(scoring), "small", c.text_dim),
        (Msg("reveal.parts", **{part: scoring.parts[part] for part in PARTS}), "small", c.text)]
    cost = f"cost.{scoring.cost}"
    if scoring.cost and theme.strings.has(cost):
        lines += [(line, "small", c.accent) for line in theme.wrap(Msg(cost), "small", width)]
    sentence = [(line, "small", c.text_dim)
                for line in theme.wrap(SCORE_SENTENCE, "small", width)]
    every = lines + sentence
    bottom = SCORE_Y - 2 + sum(_pitch(theme, text, role) for text, role, _ in every[:-1]) \
        + _height(theme, *every[-1][:2])
    return every if bottom <= SCORE_BOTTOM else lines


def _pitch(theme, text: Text, role: str) -> int:
    """From one line's top to the next: the font's line height, or more for a line whose
    accents (Î, ț) make it taller than that."""
    return max(theme.fonts[role].get_linesize(), _height(theme, text, role))


def _height(theme, text: Text, role: str) -> int:
    return theme.fonts[role].size(theme.strings(text))[1]


def _versus(theme, scoring: ScoreSlot) -> str:
    """ "Your painting vs Magenta 6.1 · vs Gatys 6.4" (one side only if a machine failed)."""
    sides = [theme.strings(Msg(key, score=value)) for key, value in (
        ("reveal.vs_magenta", scoring.vs_magenta),
        ("reveal.vs_gatys", scoring.vs_gatys)) if value is not None]
    return "   ·   ".join(sides)


def _agree(scoring: ScoreSlot) -> Msg:
    return (Msg("reveal.agree", score=scoring.machines_agree)
            if scoring.machines_agree is not None else Msg("reveal.one_machine"))
