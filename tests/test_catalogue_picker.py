"""The catalogue picker: collections under their headings, keys and clicks, both languages."""
from __future__ import annotations

import pygame
from scene_kit import app, drawn_text, keydown, pump  # noqa: F401

from game.artists import ARTISTS
from game.catalogue import COLLECTIONS, MASTERPIECES, STUDIO
from game.i18n import load_language
from game.scenes.picker import GROUPS, VIEW, CataloguePicker


def _open(app, kind="style", current_id="vangogh_starry_night"):
    from game.scenes.setup import SetupScene
    setup = SetupScene(app)
    app.stack.push(setup)
    picked = []
    current = app.services.catalogue.item(current_id) if kind == "style" else setup.content
    picker = CataloguePicker(app, kind, current, picked.append)
    app.stack.push(picker)
    return picker, picked


def test_every_collection_has_a_heading_in_every_language():
    for language in ("en", "ro"):
        strings = load_language(language)
        for group in COLLECTIONS:
            assert strings[f"picker.collection.{group}"].strip(), (language, group)


def test_paintings_are_grouped_famous_first_each_group_on_its_own_rows(app):
    """Artists (several paintings as one style) come first, then the famous paintings."""
    picker, _ = _open(app)
    groups = [item.group() for item in picker.items]
    assert groups[0] == ARTISTS and MASTERPIECES in groups and STUDIO in groups
    assert groups == sorted(groups, key=GROUPS.index)
    headings = [row.heading for row in picker.rows if row.heading]
    assert headings[:3] == [ARTISTS, MASTERPIECES, STUDIO]
    for row in picker.rows:
        assert len({picker.items[i].group() for i in row.items}) <= 1


def test_the_picker_opens_on_the_current_item(app):
    picker, _ = _open(app, current_id="night_impasto")
    assert picker.items[picker.index].id == "night_impasto"
    assert picker.scroll > 0 and VIEW.contains(picker.cell_rect(picker.index))


def test_headings_are_drawn_in_the_players_language(app):
    _open(app)
    words = drawn_text(app)
    assert "Famous paintings" in words
    app.set_language("ro")
    words = drawn_text(app)
    assert "Picturi celebre" in words and "Famous paintings" not in words


def test_romanian_titles_in_the_picker(app):
    picker, _ = _open(app)
    assert picker.items[picker.index].id == "vangogh_starry_night"
    app.set_language("ro")
    words = drawn_text(app)
    assert "Noapte înstelată" in words
    assert any(word.startswith("Noapte înstelată — Vincent van Gogh, 1889") for word in words)


def test_arrows_reach_every_item_and_keep_it_in_view(app):
    picker, picked = _open(app)
    picker.index = 0
    pump(app, [keydown(pygame.K_DOWN)] * 40)
    last_row = picker.item_rows[-1]
    assert picker.index in last_row.items
    assert VIEW.contains(picker.cell_rect(picker.index))
    pump(app, [keydown(pygame.K_UP)] * 40)
    assert picker.index == 0 and picker.scroll == 0
    for _ in range(len(picker.items) - 1):
        pump(app, [keydown(pygame.K_RIGHT)])
        assert VIEW.contains(picker.cell_rect(picker.index))
    assert picker.index == len(picker.items) - 1
    pump(app, [keydown(pygame.K_RETURN)])
    assert picked == [picker.items[-1]]


def test_down_from_a_full_row_onto_a_short_one_lands_on_its_last_item(app):
    picker, _ = _open(app)
    rows = picker.item_rows
    short = next(n for n, row in enumerate(rows)
                 if n > 0 and len(row.items) < len(rows[n - 1].items))
    picker.index = rows[short - 1].items[-1]
    pump(app, [keydown(pygame.K_DOWN)])
    assert picker.index == rows[short].items[-1]


def test_a_click_picks_the_cell_under_the_pointer(app):
    picker, picked = _open(app, "content")
    target = 2
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1,
                               pos=picker.cell_rect(target).center)
    pump(app, [click])
    assert picked == [picker.items[target]]


def test_the_wheel_scrolls_within_the_list(app):
    picker, _ = _open(app)
    wheel = pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False)
    pump(app, [wheel] * 50)
    assert picker.scroll == picker.max_scroll() > 0
    pump(app, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False)] * 50)
    assert picker.scroll == 0


def test_setup_and_paint_show_the_titles_in_the_players_language(app):
    from game.round import Round
    from game.scenes.paint import PaintScene
    from game.scenes.setup import SetupScene
    catalogue = app.services.catalogue
    wave, barn = catalogue.item("hokusai_great_wave"), catalogue.item("kodak_kodim22")
    app.set_language("ro")
    app.stack.push(SetupScene(app, content=barn, style=wave))
    words = drawn_text(app)
    assert {"Marele val de la Kanagawa", "Katsushika Hokusai · cca 1831",
            "Hambar roșu lângă iaz"} <= set(words)
    assert "The Great Wave off Kanagawa" not in words
    app.stack.push(PaintScene(app, Round(barn, wave, 30)))
    words = drawn_text(app)
    assert "Hambar roșu lângă iaz" in words
    assert any("Marele val de la Kanagawa" in word for word in words)


def test_the_view_always_starts_at_a_whole_line(app):
    """No half heading or half row of pictures at the top, by keys or by wheel."""
    picker, _ = _open(app)
    tops = {line.top for line in picker.rows}
    picker.index = 0
    for _ in range(len(picker.items)):
        pump(app, [keydown(pygame.K_RIGHT)])
        assert picker.scroll in tops | {0}
    for _ in range(len(picker.item_rows)):
        pump(app, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False)])
        assert picker.scroll in tops | {0}
