"""The reveal's score block with the painting's three parts and what cost the most.

Every line the reveal draws is recorded (the theme's blit_text) and checked where it landed:
on the screen, clear of the buttons and of every other line, in both languages and at every
text size. A round scored by an older worker (no parts) draws as it always did.
"""
from __future__ import annotations

import numpy as np
import pygame
import pytest
from scene_kit import app, make_app, pump  # noqa: F401

from game.config import GameConfig
from game.i18n import LANGUAGES, load_language
from game.round import Round
from game.scenes.reveal import RevealScene
from game.scenes.reveal_score import SCORE_RIGHT, SCORE_TEXT_X, SCORE_Y
from game.ui.theme import SCREEN_SIZE
from models.messages import COST_KEYS, PART_KEYS, Result, ScoreResult

PARTS = {"layout": 6.9, "colour": 4.2, "brushwork": 10.0}
SCORES = {"painting~magenta": 6.1, "painting~gatys": 6.4, "magenta~gatys": 7.2}
BUTTONS_TOP = 630


@pytest.fixture(params=["small", "large"])
def sized_app(request):
    config = GameConfig()
    config.display.text_size = request.param
    yield from make_app(config)


def reveal(app, parts=None, cost=""):
    """A finished round with both machine pictures, scored, on the reveal screen."""
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    round_.start()
    round_.finish(np.full((60, 80, 3), 90, np.uint8))
    for slot, value in zip(round_.slots.values(), (60, 140)):
        slot.image, slot.status = np.full((60, 80, 3), value, np.uint8), "done"
    round_.set_scores(SCORES, "encoder x", parts, cost)
    scene = RevealScene(app, round_)
    app.stack.push(scene)
    pump(app, frames=90)                # the slots have slid into place
    return scene


def drawn_lines(app) -> list[tuple[str, str, pygame.Rect]]:
    """(text, font role, rect on screen) of every blit_text in one frame."""
    seen = []
    original = app.theme.blit_text

    def recording(target, text, pos, role="body", color=None, anchor="topleft"):
        rect = original(target, text, pos, role, color, anchor)
        seen.append((app.strings(text), role, rect))
        return rect

    app.theme.blit_text = recording
    try:
        pump(app)
    finally:
        app.theme.blit_text = original
    return seen


def score_lines(lines):
    """The lines beside the big score number, top to bottom."""
    return sorted((line for line in lines if line[2].x == SCORE_TEXT_X
                   and line[2].y >= SCORE_Y - 10), key=lambda line: line[2].y)


def assert_nothing_clipped(scene, lines):
    screen = pygame.Rect((0, 0), SCREEN_SIZE)
    buttons = [button.rect for button in scene.menu.buttons]
    for text, _, rect in lines:
        assert screen.contains(rect), text
        assert rect.collidelist(buttons) == -1, text
    for text, _, rect in score_lines(lines):
        assert rect.right <= SCORE_RIGHT and rect.bottom <= BUTTONS_TOP, text
    for i, (text, _, rect) in enumerate(lines):
        for other, _, other_rect in lines[i + 1:]:
            assert not rect.colliderect(other_rect), (text, other)


def sentence_shown(app, lines, width=SCORE_RIGHT - SCORE_TEXT_X) -> bool:
    """The sentence on what the score means is drawn whole, or not at all."""
    wrapped = app.theme.wrap(app.strings.get("reveal.score_sentence"), "small", width)
    texts = [text for text, _, _ in lines]
    shown = [line for line in wrapped if line in texts]
    assert shown in ([], wrapped), "a sentence cut short"
    return bool(shown)


def test_every_cost_the_worker_can_name_has_words_in_every_language():
    for language in LANGUAGES:
        strings = load_language(language)
        assert {f"cost.{key}" for key in COST_KEYS} <= set(strings), language
        parts = strings["reveal.parts"].format(**PARTS)
        assert all(f"{PARTS[key]:.1f}" in parts for key in PART_KEYS), language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cost", COST_KEYS)
def test_the_reveal_shows_the_parts_and_what_cost_the_most(app, language, cost):
    app.set_language(language)
    scene = reveal(app, PARTS, cost)
    lines = drawn_lines(app)
    texts = [text for text, _, _ in score_lines(lines)]
    parts_line = app.strings.get("reveal.parts", **PARTS)
    assert "6.9" in parts_line and "4.2" in parts_line and "10.0" in parts_line
    cost_line = app.strings.get(f"cost.{cost}")
    versus = app.strings.get("reveal.vs_magenta", score=6.1)
    agree = app.strings.get("reveal.agree", score=7.2)
    # In this order: the comparisons, the machines' agreement, the parts, the cost.
    assert texts[:4] == [texts[0], agree, parts_line, cost_line] and versus in texts[0]
    assert sentence_shown(app, lines)           # at the default size, all of it fits
    assert len(texts) <= 6
    assert_nothing_clipped(scene, lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_size_keeps_the_parts_and_clips_nothing(sized_app, language):
    app = sized_app
    app.set_language(language)
    longest = max(COST_KEYS, key=lambda key: len(app.strings.get(f"cost.{key}")))
    scene = reveal(app, PARTS, longest)
    lines = drawn_lines(app)
    texts = [text for text, _, _ in score_lines(lines)]
    assert app.strings.get("reveal.parts", **PARTS) in texts
    assert app.strings.get(f"cost.{longest}") in texts
    sentence_shown(app, lines)              # whole or left out, never cut
    assert_nothing_clipped(scene, lines)


def test_parts_without_a_known_cost_show_no_cost_line(app):
    scene = reveal(app, PARTS, "")
    lines = drawn_lines(app)
    texts = [text for text, _, _ in score_lines(lines)]
    assert app.strings.get("reveal.parts", **PARTS) in texts
    costs = {app.strings.get(f"cost.{key}") for key in COST_KEYS}
    assert not costs & set(texts)
    assert_nothing_clipped(scene, lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_score_without_parts_draws_as_before(app, language):
    """An older worker sends no parts: the comparisons, the agreement and the sentence
    where they always were, and no parts or cost line."""
    app.set_language(language)
    scene = reveal(app)
    lines = drawn_lines(app)
    placed = [(text, rect.topleft) for text, _, rect in score_lines(lines)]
    sentence = app.theme.wrap(app.strings.get("reveal.score_sentence"), "small",
                              SCORE_RIGHT - SCORE_TEXT_X)
    versus = "   ·   ".join([app.strings.get("reveal.vs_magenta", score=6.1),
                             app.strings.get("reveal.vs_gatys", score=6.4)])
    assert placed == [(versus, (SCORE_TEXT_X, SCORE_Y - 2)),
                      (app.strings.get("reveal.agree", score=7.2), (SCORE_TEXT_X, SCORE_Y + 30))]\
        + [(line, (SCORE_TEXT_X, SCORE_Y + 58 + 22 * k)) for k, line in enumerate(sentence[:3])]
    assert_nothing_clipped(scene, lines)


def test_parts_from_the_score_worker_reach_the_screen(app):
    """A ScoreResult with parts, through the machines, to pixels on the reveal."""
    service = app.services.machines.service
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    content = np.full((60, 80, 3), 40, np.uint8)
    app.services.machines.start_round(round_, content, content)
    round_.start()
    round_.finish(np.full((60, 80, 3), 90, np.uint8))
    app.stack.push(RevealScene(app, round_))
    image = np.full((60, 80, 3), 77, np.uint8)
    service.answers = [Result(round_.slots["magenta"].job_id, "magenta", "Magenta", image,
                              0.4, 1, True),
                       Result(round_.slots["gatys"].job_id, "gatys", "Gatys", image, 9.0, 80,
                              True)]
    pump(app, frames=90)
    band = (slice(SCORE_TEXT_X, SCORE_RIGHT), slice(SCORE_Y + 36, SCORE_Y + 72))
    service.answers = [ScoreResult(round_.scoring.job_id, SCORES, "encoder x", 0.1,
                                   PARTS, "colour")]
    pump(app, frames=2)
    assert round_.scoring.parts == PARTS and round_.scoring.cost == "colour"
    texts = [text for text, _, _ in drawn_lines(app)]
    assert app.strings.get("reveal.parts", **PARTS) in texts
    assert app.strings.get("cost.colour") in texts
    gold = np.array(app.theme.colors.accent)
    pixels = pygame.surfarray.array3d(app.screen)[band].astype(int)
    assert (np.abs(pixels - gold).max(axis=2) < 40).sum() > 50   # the cost line, in gold
