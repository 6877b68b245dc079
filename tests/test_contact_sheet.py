"""The party contact sheet: what it draws (by pixel), how big it gets, and how it is saved."""
from __future__ import annotations

import dataclasses
import errno
import os
import re
import tomllib
from pathlib import Path

import numpy as np
import pygame
import pytest
from PIL import Image

from game import contact_sheet
from game.contact_sheet import (
    MAX_HEIGHT,
    SHEET_WIDTH,
    THUMB_SIZE,
    PartySheet,
    SheetCell,
    SheetFonts,
    SheetRound,
    SheetStanding,
    render_contact_sheet,
    save_contact_sheet,
)
from game.i18n import Strings, placeholders
from game.services import surface_to_array

LOCALE = Path(contact_sheet.__file__).resolve().parent / "locale"
THUMB_AREA = THUMB_SIZE[0] * THUMB_SIZE[1]
# Distinctive colours no part of the sheet's own drawing uses.
PAINT = (250, 10, 200)
MAGENTA_ANSWER = (10, 240, 30)
GATYS_ANSWER = (30, 60, 250)
PLAYER_COLOURS = [(230, 80, 80), (80, 200, 120), (240, 200, 60), (90, 140, 250),
                  (200, 90, 220), (60, 210, 220), (250, 140, 40), (180, 180, 180)]


def solid(colour: tuple[int, int, int], height: int = 120, width: int = 160) -> np.ndarray:
    """A 4:3 picture fills the thumbnail box exactly, so its pixel count is known."""
    return np.broadcast_to(np.array(colour, dtype=np.uint8), (height, width, 3)).copy()


def noise(seed: int, height: int = 60, width: int = 80) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def count(surface: pygame.Surface, colour: tuple[int, int, int]) -> int:
    pixels = surface_to_array(surface)
    return int(np.all(pixels == np.array(colour, dtype=np.uint8), axis=2).sum())


def cell(player: int, pair: str, painting=None, score: float | None = 5.0,
         magenta=None, gatys=None, **names) -> SheetCell:
    return SheetCell(player=f"Player {player}", colour=PLAYER_COLOURS[player % 8],
                     painting=painting, score=score, content_title="Starry Night",
                     style_title="The Great Wave", magenta=magenta, gatys=gatys,
                     pair_key=pair, **names)


def standings(players: int) -> list[SheetStanding]:
    return [SheetStanding(f"Player {n}", PLAYER_COLOURS[n % 8], 20.0 - n, n + 1, False)
            for n in range(players)]


def three_by_two() -> PartySheet:
    """Round 1: players 0 and 1 share a pair, player 2 has another; round 2 has gaps."""
    answers = {"magenta": solid(MAGENTA_ANSWER), "gatys": solid(GATYS_ANSWER)}
    first = SheetRound(1, [
        cell(0, "starry+wave", painting=solid(PAINT), score=8.25, **answers),
        cell(1, "starry+wave", painting=noise(1), score=6.0, **answers),
        cell(2, "mona+scream", painting=noise(2), score=4.5,
             magenta=noise(3), gatys=noise(4)),
    ])
    second = SheetRound(2, [
        cell(0, "a", painting=noise(5), score=None, magenta=None, gatys=noise(6)),
        cell(1, "b", painting=None, score=3.0, magenta=noise(7), gatys=None),
        cell(2, "c", painting=noise(8), score=float("nan")),
    ])
    return PartySheet("1 March 2025", [first, second], standings(3))


def party(players: int, rounds: int, shared: bool) -> PartySheet:
    """Worst cases: everyone on one pair (wide panels) or each on their own (many panels)."""
    sheet_rounds = [
        SheetRound(r + 1, [cell(p, "all" if shared else f"{r}-{p}", painting=noise(p),
                                score=float(p), magenta=noise(100 + p), gatys=noise(200 + p))
                           for p in range(players)])
        for r in range(rounds)]
    return PartySheet("party", sheet_rounds, standings(players))


@pytest.fixture
def strings() -> Strings:
    return Strings("en")


def test_three_players_two_rounds_render_at_the_fixed_width(strings):
    surface = render_contact_sheet(three_by_two(), strings)
    width, height = surface.get_size()
    assert width == SHEET_WIDTH
    # Header plus two rounds of thumbnails cannot fit in less than this.
    assert height > 2 * THUMB_SIZE[1] + 200


def test_a_players_painting_appears_at_thumbnail_size(strings):
    surface = render_contact_sheet(three_by_two(), strings)
    assert 0.9 * THUMB_AREA <= count(surface, PAINT) <= 1.1 * THUMB_AREA


def test_a_pairs_machine_answers_are_drawn_once_for_the_players_who_share_it(strings):
    surface = render_contact_sheet(three_by_two(), strings)
    # Two players painted "starry+wave": drawn per player this would be two thumbnails' worth.
    assert 0.9 * THUMB_AREA <= count(surface, MAGENTA_ANSWER) <= 1.1 * THUMB_AREA
    assert 0.9 * THUMB_AREA <= count(surface, GATYS_ANSWER) <= 1.1 * THUMB_AREA


def test_each_distinct_pair_in_a_round_gets_its_own_answers(strings):
    # Same colours, two pair keys: now both pairs must show their answers.
    sheet = three_by_two()
    first = sheet.rounds[0]
    split = [first.cells[0],
             dataclasses.replace(first.cells[1], pair_key="other"),
             first.cells[2]]
    surface = render_contact_sheet(PartySheet("t", [SheetRound(1, split)], []), strings)
    assert 1.8 * THUMB_AREA <= count(surface, MAGENTA_ANSWER) <= 2.2 * THUMB_AREA


def test_missing_pictures_and_scores_become_grey_cards_and_words(strings):
    empty = PartySheet("gaps", [SheetRound(1, [
        cell(0, "x", painting=None, score=None, magenta=None, gatys=None)])], [])
    surface = render_contact_sheet(empty, strings)
    # Three "no picture" cards: Magenta, Gatys and the painting.
    assert count(surface, contact_sheet.NO_PICTURE) >= 0.8 * 3 * THUMB_AREA
    # A picture the sheet cannot show (wrong dtype) is a card too, not a crash.
    odd = PartySheet("odd", [SheetRound(1, [
        cell(0, "x", painting=np.zeros((10, 10, 3), np.float32), magenta=noise(1),
             gatys=noise(2))])], [])
    assert count(render_contact_sheet(odd, strings), contact_sheet.NO_PICTURE) > 0


def test_no_score_is_written_in_words(strings):
    fonts = SheetFonts.default()
    scored = render_contact_sheet(
        PartySheet("t", [SheetRound(1, [cell(0, "x", score=7.0)])], []), strings, fonts)
    unscored = render_contact_sheet(
        PartySheet("t", [SheetRound(1, [cell(0, "x", score=None)])], []), strings, fonts)
    assert scored.get_size() == unscored.get_size()
    assert not np.array_equal(surface_to_array(scored), surface_to_array(unscored))


def test_standings_show_names_in_the_players_colours(strings):
    sheet = PartySheet("t", [], [SheetStanding("Ana", (255, 0, 0), 12.5, 1, True),
                                 SheetStanding("Bo", (0, 0, 255), 12.5, 1, True)])
    surface = render_contact_sheet(sheet, strings)
    assert count(surface, (255, 0, 0)) > 20
    assert count(surface, (0, 0, 255)) > 20


@pytest.mark.parametrize("shared", [True, False])
def test_eight_players_ten_rounds_stay_under_the_height_cap(strings, shared):
    surface = render_contact_sheet(party(8, 10, shared), strings)
    assert surface.get_width() == SHEET_WIDTH
    assert surface.get_height() <= MAX_HEIGHT


def test_too_many_rounds_shrink_the_thumbnails_instead_of_growing_past_the_cap(strings):
    # Full-size thumbnails would need well over MAX_HEIGHT for this many rounds.
    surface = render_contact_sheet(party(8, 20, shared=False), strings)
    assert MAX_HEIGHT * 0.5 < surface.get_height() <= MAX_HEIGHT


class Recording:
    """A sheet font that remembers every text it was asked to draw."""

    def __init__(self, font: pygame.font.Font, drawn: list[str]) -> None:
        self.font, self.drawn = font, drawn

    def render(self, text, *args):
        self.drawn.append(text)
        return self.font.render(text, *args)

    def __getattr__(self, name):
        return getattr(self.font, name)


@pytest.mark.parametrize("language", ["en", "ro"])
def test_a_round_painted_by_stand_ins_names_them_never_magenta_or_gatys(language):
    from types import SimpleNamespace

    from game.i18n import Msg
    from game.round import EngineSlot
    slots = {"magenta": EngineSlot("magenta", Msg("machines.label_studio"), "done",
                                   image=solid(MAGENTA_ANSWER)),
             "gatys": EngineSlot("gatys", Msg("machines.label_untrained"), "done",
                                 image=solid(GATYS_ANSWER))}
    answers = contact_sheet.machine_answers(SimpleNamespace(slots=slots))
    # The pair's first turn got no pictures: the names come with the pictures, from the next.
    cells = [cell(0, "p", painting=noise(1)), cell(1, "p", painting=noise(2), **answers)]
    drawn: list[str] = []
    default = SheetFonts.default()
    fonts = SheetFonts(*(Recording(getattr(default, field.name), drawn)
                         for field in dataclasses.fields(SheetFonts)))
    strings = Strings(language)
    surface = render_contact_sheet(PartySheet("t", [SheetRound(1, cells)], []), strings, fonts)
    assert count(surface, MAGENTA_ANSWER) == count(surface, GATYS_ANSWER) == THUMB_AREA
    assert strings.get("machines.short_studio") in drawn
    assert strings.get("machines.short_untrained") in drawn
    assert not {"Magenta", "Gatys"} & set(drawn)


def test_romanian_strings_render_with_their_diacritics():
    ro = Strings("ro")
    assert ro.get("contact_sheet.round", number=1) != Strings("en").get(
        "contact_sheet.round", number=1)
    fonts = SheetFonts.default()
    for letter in "ăâîșțĂÂÎȘȚ":
        assert fonts.body.metrics(letter)[0] is not None, letter
    sheet = three_by_two()
    in_romanian = render_contact_sheet(sheet, ro, fonts)
    in_english = render_contact_sheet(sheet, Strings("en"), fonts)
    assert in_romanian.get_width() == SHEET_WIDTH
    assert not np.array_equal(surface_to_array(in_romanian), surface_to_array(in_english))


def test_saved_png_loads_with_the_sheets_pixels(strings, tmp_path):
    surface = render_contact_sheet(three_by_two(), strings)
    path = save_contact_sheet(surface, tmp_path / "new" / "sheets", "party-2025-03-01")
    assert path == tmp_path / "new" / "sheets" / "party-2025-03-01.png"
    with Image.open(path) as image:
        image.load()
        assert image.size == surface.get_size()
        assert np.array_equal(np.asarray(image.convert("RGB")), surface_to_array(surface))
    assert pygame.image.load(str(path)).get_width() == SHEET_WIDTH


def test_saves_never_overwrite_and_leave_no_temp_files(tmp_path):
    surface = pygame.Surface((40, 30))
    paths = [save_contact_sheet(surface, tmp_path, "party") for _ in range(3)]
    assert [p.name for p in paths] == ["party.png", "party-2.png", "party-3.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_a_stem_with_unsafe_characters_still_saves_inside_the_folder(tmp_path):
    path = save_contact_sheet(pygame.Surface((4, 4)), tmp_path, "../1 March 2025, 18:30")
    assert path.parent == tmp_path
    assert path.exists()


def test_a_save_cut_short_leaves_neither_temp_file_nor_final_name(tmp_path, monkeypatch):
    def disk_full(self, fp, *args, **kwargs):
        fp.write(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", disk_full)
    with pytest.raises(OSError, match="could not save the contact sheet") as raised:
        save_contact_sheet(pygame.Surface((40, 30)), tmp_path, "party")
    assert raised.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_raises_a_clear_oserror(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()

    def refuse(path, *args, **kwargs):
        # Root ignores chmod, so the refusal a read-only folder gives is simulated here.
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(PermissionError, match=re.escape(f"contact sheet in {folder}")):
        save_contact_sheet(pygame.Surface((4, 4)), folder, "party")
    monkeypatch.undo()
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a folder the user really cannot write to")
def test_a_really_read_only_folder_raises_a_clear_oserror(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OSError, match="could not save the contact sheet"):
            save_contact_sheet(pygame.Surface((4, 4)), folder, "party")
    finally:
        folder.chmod(0o755)


def test_english_and_romanian_have_the_same_keys_and_placeholders():
    tables = {}
    for language in ("en", "ro"):
        text = (LOCALE / language / "contact_sheet.toml").read_text(encoding="utf-8")
        tables[language] = tomllib.loads(text)["contact_sheet"]
        # Romanian ș and ț take a comma below; the cedilla forms are a common typing slip.
        assert not set(text) & set("şţŞŢ"), language
    en, ro = tables["en"], tables["ro"]
    assert en.keys() == ro.keys()
    for key in en:
        assert placeholders(en[key]) == placeholders(ro[key]), key


@pytest.mark.parametrize("language", ["en", "ro"])
def test_an_uploaded_picture_is_tagged_after_the_name(language):
    """Bring your own attempt: the sheet says which pictures were brought, as the board does."""
    cells = [cell(0, "p", painting=noise(1)),
             dataclasses.replace(cell(1, "p", painting=noise(2)), uploaded=True)]
    drawn: list[str] = []
    default = SheetFonts.default()
    fonts = SheetFonts(*(Recording(getattr(default, field.name), drawn)
                         for field in dataclasses.fields(SheetFonts)))
    strings = Strings(language)
    render_contact_sheet(PartySheet("t", [SheetRound(1, cells)], []), strings, fonts)
    tagged = strings.get("attempt.name_uploaded", name="Player 1")
    assert tagged != "Player 1" and tagged in drawn
    assert "Player 0" in drawn
    assert strings.get("attempt.name_uploaded", name="Player 0") not in drawn
