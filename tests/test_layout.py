"""The layout helper: measured text that wraps or ellipsises, and a report of what overflows."""
from __future__ import annotations

import pygame
import pytest

from game.i18n import Msg, Strings
from game.ui.layout import Panel
from game.ui.theme import ELLIPSIS, Theme


@pytest.fixture(scope="module")
def theme():
    pygame.font.init()
    yield Theme("medium", Strings("en"))


def test_ellipsise_keeps_text_that_fits_and_cuts_the_rest_to_the_width(theme):
    assert theme.ellipsise("Score", "body", 400) == "Score"
    long = "Falcon 9 with DSCOVR at Cape Canaveral, before the launch"
    cut = theme.ellipsise(long, "body", 200)
    assert cut.endswith(ELLIPSIS) and long.startswith(cut[:-1])
    assert theme.fonts["body"].size(cut)[0] <= 200
    # No comma or space left hanging before the ellipsis.
    assert theme.ellipsise("block1_conv1, block2_conv1", "small", 110)[-2] not in ", "


def test_fit_wraps_to_the_line_count_and_marks_the_cut(theme):
    sentence = ("Your score compares your painting with the machines' pictures in layout, "
                "colour and brushwork.")
    lines, cut = theme.fit(sentence, "small", 300, max_lines=8)
    assert len(lines) > 1 and not cut
    assert all(theme.fonts["small"].size(line)[0] <= 300 for line in lines)
    two, cut = theme.fit(sentence, "small", 300, max_lines=2)
    assert len(two) == 2 and cut and two[-1].endswith(ELLIPSIS)
    # One word wider than the box is ellipsised too, not left to run out of it.
    (word,), cut = theme.fit("Pneumonoultramicroscopicsilicovolcanoconiosis", "h2", 120)
    assert cut and theme.fonts["h2"].size(word)[0] <= 120
    assert theme.fit("", "body", 100) == ([], False)


def test_fit_puts_a_message_into_the_current_language(theme):
    strings = Strings("ro")
    romanian = Theme("medium", strings)
    assert romanian.fit(Msg("reveal.score"), "body", 400) == (["Scor"], False)


def test_a_column_stacks_text_boxes_without_overlap_inside_its_panel(theme):
    root = Panel.screen(theme, "test")
    card = root.panel("card", pygame.Rect(100, 100, 200, 300), padding=8)
    title = card.text("A very long painting title that cannot fit", "h2", lines=1)
    body = card.text("Three lines of small text " * 6, "small", lines=3, gap=4)
    report = root.report
    assert title.cut and title.rect.width <= 184 and body.cut and len(body.lines) == 3
    assert title.rect.bottom <= body.rect.top
    assert report.problems() == [] and report.cut() == [title, body]
    assert card.remaining == card.inner.bottom - body.rect.bottom - 4


def test_the_report_catches_overlap_and_text_that_leaves_its_panel(theme):
    root = Panel.screen(theme, "test")
    card = root.panel("card", pygame.Rect(100, 100, 200, 60))
    card.text_in(pygame.Rect(100, 100, 200, 0), "Score", "body")
    card.text_in(pygame.Rect(110, 105, 200, 0), "7.5 / 10", "body")     # on top of it
    card.text("more", "h1")
    card.text("and more", "h1")                  # the column runs out of the panel
    problems = root.report.problems()
    assert any("overlaps" in p for p in problems)
    assert any("leaves panel test.card" in p for p in problems)


def test_pictures_keep_their_aspect_and_captions_may_sit_on_them(theme):
    root = Panel.screen(theme, "test")
    slot = root.panel("slot", pygame.Rect(0, 0, 384, 330))
    portrait = slot.picture((300, 400), slot.rect)
    assert portrait.height == 330 and portrait.width == 247 and portrait.centerx == 192
    strip = slot.panel("caption", pygame.Rect(portrait.x, portrait.bottom - 30,
                                              portrait.width, 30))
    strip.text_in(strip.rect, "on the picture", "small")
    assert root.report.problems() == []
    slot.text_in(pygame.Rect(portrait.x, portrait.y, 200, 0), "not a caption", "small")
    assert any("overlaps picture" in p for p in root.report.problems())


def test_columns_are_equal_and_at_the_same_height(theme):
    root = Panel.screen(theme, "test")
    root.take(100)
    cards = root.columns(3, gap=32, height=300, names=["a", "b", "c"])
    assert {card.rect.y for card in cards} == {100}
    assert len({card.rect.size for card in cards}) == 1
    assert root.report.problems() == []


def test_drawing_a_box_blits_each_line_where_it_was_measured(theme):
    root = Panel.screen(theme, "test")
    box = root.text_in(pygame.Rect(0, 0, 150, 0), "right aligned words that wrap", "small",
                       lines=3, align="right")
    surface = pygame.Surface((300, 200), pygame.SRCALPHA)
    box.draw(surface, theme)
    assert box.rect.right == 150 and len(box.lines) >= 2
    assert surface.get_bounding_rect().right <= 150


def test_a_pair_too_long_for_its_width_cuts_each_title_to_its_share(theme):
    from game.ui.layout import pair_text
    assert pair_text(theme, "Chelsea", "Rain", "small", 400) == "Chelsea × Rain"
    both = pair_text(theme, "Falcon 9 with DSCOVR at Cape Canaveral",
                     "Tesserae of the Old Harbour", "small", 260)
    first, second = both.split(" × ")
    assert first.startswith("Falcon") and second.startswith("Tess")
    assert theme.fonts["small"].size(both)[0] <= 260


def test_a_panel_closes_round_its_column(theme):
    root = Panel.screen(theme, "test")
    top = root.panel("top", pygame.Rect(0, 0, 400, 300), padding=4)
    top.text("Heading", "h1", gap=2)
    assert top.close().height == top.y + 4 and root.report.panels["test.top"] is top.rect
