"""The reveal's score block with the painting's three parts and what cost the most.

Every text box the reveal lays out (its LayoutReport, which draw() draws) is checked where it
landed: on the screen, inside its panel, clear of the buttons and of every other text, in
both languages and at every text size. A round scored by an older worker (no parts) shows
the comparisons and the sentence, with no parts line.
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
from game.ui.engine_names import short_name
from game.ui.theme import ELLIPSIS
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


def score_column(scene):
    """The text boxes beside the big score number, top to bottom."""
    return sorted(scene.layout().texts("reveal.body.score.lines"), key=lambda box: box.rect.y)


def assert_nothing_clipped(scene):
    report = scene.layout()
    assert report.problems() == []
    buttons = [button.rect for button in scene.menu.buttons]
    for box in report.texts():
        assert box.rect.collidelist(buttons) == -1, box.full
        assert box.rect.bottom <= BUTTONS_TOP or box.owner == "reveal.footer", box.full


def versus_text(app, round_, magenta=6.1, gatys=6.4):
    names = {engine: app.strings(short_name(slot)) for engine, slot in round_.slots.items()}
    return "   ·   ".join([app.strings.get("reveal.vs_magenta", name=names["magenta"],
                                            score=magenta),
                            app.strings.get("reveal.vs_gatys", name=names["gatys"],
                                            score=gatys)])


def agree_text(app, round_, score=7.2):
    names = [app.strings(short_name(slot)) for slot in round_.slots.values()]
    return app.strings.get("reveal.agree", first=names[0], second=names[1], score=score)


def sentence_state(app, boxes) -> str:
    """ "whole", "cut" (its last line ends in '…') or "absent"."""
    sentence = app.strings.get("reveal.score_sentence")
    found = [box for box in boxes if box.full == sentence]
    if not found:
        return "absent"
    assert not found[0].cut or found[0].lines[-1].endswith(ELLIPSIS)
    return "cut" if found[0].cut else "whole"


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
    boxes = score_column(scene)
    texts = [box.full for box in boxes]
    parts_line = app.strings.get("reveal.parts", **PARTS)
    assert "6.9" in parts_line and "4.2" in parts_line and "10.0" in parts_line
    cost_line = app.strings.get(f"cost.{cost}")
    # In this order: the comparisons, the machines' agreement, the parts, the cost.
    assert texts[:4] == [versus_text(app, scene.round), agree_text(app, scene.round),
                         parts_line, cost_line]
    assert not any(box.cut for box in boxes[:4])
    assert sentence_state(app, boxes) == "whole"    # at the default size, all of it fits
    assert len(texts) == 5
    assert_nothing_clipped(scene)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_size_keeps_the_parts_and_clips_nothing(sized_app, language):
    app = sized_app
    app.set_language(language)
    longest = max(COST_KEYS, key=lambda key: len(app.strings.get(f"cost.{key}")))
    scene = reveal(app, PARTS, longest)
    boxes = score_column(scene)
    whole = [box.full for box in boxes if not box.cut]
    assert app.strings.get("reveal.parts", **PARTS) in whole
    assert app.strings.get(f"cost.{longest}") in whole
    sentence_state(app, boxes)              # whole, cut with '…' or left out
    assert_nothing_clipped(scene)


def test_parts_without_a_known_cost_show_no_cost_line(app):
    scene = reveal(app, PARTS, "")
    texts = [box.full for box in score_column(scene)]
    assert app.strings.get("reveal.parts", **PARTS) in texts
    costs = {app.strings.get(f"cost.{key}") for key in COST_KEYS}
    assert not costs & set(texts)
    assert_nothing_clipped(scene)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_score_without_parts_shows_the_comparisons_and_the_sentence(app, language):
    """An older worker sends no parts: the comparisons, the agreement and the sentence,
    and no parts or cost line."""
    app.set_language(language)
    scene = reveal(app)
    boxes = score_column(scene)
    assert [box.full for box in boxes] == [versus_text(app, scene.round),
                                           agree_text(app, scene.round),
                                           app.strings.get("reveal.score_sentence")]
    assert sentence_state(app, boxes) == "whole"
    assert_nothing_clipped(scene)


def test_the_score_line_names_the_machines_that_really_ran(app):
    """Offline, the comparisons name the stand-ins, never 'Magenta' or 'Gatys'."""
    from game.i18n import Msg
    app.set_language("ro")
    scene = reveal(app, PARTS, "colour")
    scene.round.slots["magenta"].label = Msg("machines.label_studio")
    scene.round.slots["gatys"].label = Msg("machines.label_untrained")
    first = score_column(scene)[0].full
    assert "filtrul de atelier" in first and "Gatys neantrenat" in first
    assert "Magenta" not in first


def test_parts_from_the_score_worker_reach_the_screen(app):
    """A ScoreResult with parts, through the machines, to pixels on the reveal."""
    service = app.services.machines.service
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    content = np.full((60, 80, 3), 40, np.uint8)
    app.services.machines.start_round(round_, content, content)
    round_.start()
    round_.finish(np.full((60, 80, 3), 90, np.uint8))
    scene = RevealScene(app, round_)
    app.stack.push(scene)
    image = np.full((60, 80, 3), 77, np.uint8)
    service.answers = [Result(round_.slots["magenta"].job_id, "magenta", "Magenta", image,
                              0.4, 1, True),
                       Result(round_.slots["gatys"].job_id, "gatys", "Gatys", image, 9.0, 80,
                              True)]
    pump(app, frames=90)
    service.answers = [ScoreResult(round_.scoring.job_id, SCORES, "encoder x", 0.1,
                                   PARTS, "colour")]
    pump(app, frames=2)
    assert round_.scoring.parts == PARTS and round_.scoring.cost == "colour"
    boxes = {box.full: box for box in score_column(scene)}
    assert app.strings.get("reveal.parts", **PARTS) in boxes
    cost = boxes[app.strings.get("cost.colour")]
    gold = np.array(app.theme.colors.accent)
    band = (slice(cost.rect.left, cost.rect.right), slice(cost.rect.top, cost.rect.bottom))
    pixels = pygame.surfarray.array3d(app.screen)[band].astype(int)
    assert (np.abs(pixels - gold).max(axis=2) < 40).sum() > 50   # the cost line, in gold
