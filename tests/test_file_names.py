"""Photos whose file names are not UTF-8 (issue 9): they play, save, and show, safely.

A Latin-1 "café.png" is the bytes b"caf\\xe9.png" on disk; Python lists it as the str
"caf\\udce9.png" (a surrogate escape), which SQLite, JSON-to-UTF-8 and pygame's fonts all
refuse. Everything here goes through the real folder scan, loader, store and scenes.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import pygame
import pytest
from PIL import Image

from scene_kit import app, drawn_text, keydown, make_app, pump  # noqa: F401 (app: fixture)
from game.catalogue import add_user_image, default_art_dir, load_catalogue
from game.config import GameConfig
from game.contact_sheet import (PartySheet, SheetCell, SheetRound, SheetStanding,
                                render_contact_sheet)
from game.gallery import Gallery
from game.i18n import Msg, Strings
from game.image_loader import load_rgb
from game.round import Round
from game.store import Leaderboard

RAW_NAME = b"caf\xe9.png"            # Latin-1 "café.png": not valid UTF-8
PIXELS = np.random.default_rng(9).integers(0, 256, (24, 32, 3), dtype=np.uint8)


def utf8_safe(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_safely(text: str) -> bool:
    return text.isprintable() and utf8_safe(text)


@pytest.fixture
def photo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), RAW_NAME), "wb") as handle:
        Image.fromarray(PIXELS).save(handle, format="PNG")
    return folder


def scanned_photo(catalogue):
    [item] = [item for item in catalogue.content if item.user]
    return item


def test_a_folder_scan_shows_a_printable_title_and_keeps_the_real_path(photo_folder):
    catalogue = load_catalogue(default_art_dir(), [photo_folder])
    item = scanned_photo(catalogue)
    assert item.title == "Caf\ufffd"
    assert shown_safely(item.title) and utf8_safe(item.id) and shown_safely(item.source)
    # The path is the real one, byte for byte, so the game can open the file again.
    assert os.fsencode(item.path) == os.path.join(os.fsencode(photo_folder), RAW_NAME)
    assert np.array_equal(load_rgb(item.path), PIXELS)


def test_names_differing_only_in_undecodable_bytes_stay_apart(photo_folder):
    with open(os.path.join(os.fsencode(photo_folder), b"caf\xe8.png"), "wb") as handle:
        Image.fromarray(PIXELS).save(handle, format="PNG")
    catalogue = load_catalogue(default_art_dir(), [photo_folder])
    ids = [item.id for item in catalogue.content if item.user]
    assert len(ids) == len(set(ids)) == 2


def test_a_dropped_or_command_line_photo_is_added_safely(photo_folder):
    catalogue = load_catalogue(default_art_dir(), check_images=False)
    path = os.fsdecode(os.path.join(os.fsencode(photo_folder), RAW_NAME))  # as sys.argv has it
    item = add_user_image(catalogue, path, "content")
    assert shown_safely(item.title) and utf8_safe(item.id)
    assert add_user_image(catalogue, path, "content") is item


def test_display_helpers_replace_what_cannot_be_shown():
    from game.file_names import display_name, display_text
    assert display_name(os.path.join(b"/x", RAW_NAME)) == "caf\ufffd.png"
    assert display_name(Path(os.fsdecode(RAW_NAME))) == "caf\ufffd.png"
    assert display_text("a\udce9\x00b\nc") == "a\ufffd\ufffdb\ufffdc"
    assert display_text("Ștefan 🎨") == "Ștefan 🎨"


@pytest.fixture
def app_with_photos(photo_folder):
    """The game as start-up builds it, with photo_folder as a museum content folder."""
    config = GameConfig()
    config.paths.content_dirs = [str(photo_folder)]
    yield from make_app(config)


def finished_round(app) -> Round:
    round_ = Round(scanned_photo(app.services.catalogue), app.services.catalogue.styles[0], 30)
    round_.start()
    round_.finish(PIXELS.copy())
    return round_


def test_signing_a_painting_of_that_photo_saves_the_row_and_the_board_draws_it(
        app_with_photos):
    from game.scenes.name_entry import NameEntryScene
    from game.scenes.title import TitleScene
    app = app_with_photos
    app.stack.push(TitleScene(app))
    app.stack.push(NameEntryScene(app, finished_round(app)))
    pump(app, [pygame.event.Event(pygame.TEXTINPUT, text="Ada")])
    pump(app, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="",
                                  scancode=0)])
    assert app.stack.top.name == "leaderboard"
    [row] = app.services.leaderboard.top(10)
    assert row.name == "Ada" and row.painting_path.is_file()
    assert row.content_title == "Caf\ufffd" and utf8_safe(row.content_id)
    drawn = drawn_text(app)
    assert any("Caf\ufffd" in text for text in drawn)
    assert all(shown_safely(text) for text in drawn)


def test_the_kiosk_gallery_keeps_that_painting_with_a_printable_title(app_with_photos,
                                                                      tmp_path):
    round_ = finished_round(app_with_photos)
    gallery = Gallery(tmp_path / "gallery")
    entry = gallery.add(round_.painting, {}, [], canvas_size=(32, 24), canvas_seed=0,
                        content_title=round_.content.title, style_title=round_.style.title)
    meta = json.loads((entry.folder / "meta.json").read_bytes().decode("utf-8"))
    assert meta["content_title"] == "Caf\ufffd"
    assert gallery.recent()[0].content_title == "Caf\ufffd"


# --- every sink is safe even when a caller hands it a raw, surrogate-escaped name ----------

RAW_TITLE = os.fsdecode(RAW_NAME)        # "caf\udce9.png"


def test_the_store_saves_raw_names_in_a_form_sqlite_takes(tmp_path):
    with Leaderboard(tmp_path / "data" / "leaderboard.sqlite3") as board:
        row = board.add("Ada", 5.0, f"user:content:{RAW_TITLE}", "s", PIXELS,
                        content_title=RAW_TITLE, style_title="Waves")
        [again] = board.top()
    assert again == row
    assert again.content_title == "caf\ufffd.png"
    assert again.content_id == "user:content:caf\\xe9.png"


def test_the_gallery_writes_and_reads_back_raw_names_shown_safely(tmp_path):
    gallery = Gallery(tmp_path / "gallery")
    gallery.add(PIXELS, {}, [], canvas_size=(32, 24), canvas_seed=0,
                content_title=RAW_TITLE, style_title="Waves", player="B\udcffb")
    [entry] = gallery.recent()
    assert (entry.content_title, entry.player) == ("caf\ufffd.png", "B\ufffdb")


def test_an_old_gallery_entry_with_a_raw_name_reads_back_printable(tmp_path):
    gallery = Gallery(tmp_path / "gallery")
    entry = gallery.add(PIXELS, {}, [], canvas_size=(32, 24), canvas_seed=0,
                        content_title="x", style_title="Waves")
    meta_path = entry.folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["content_title"] = RAW_TITLE          # json.dumps writes it as "\udce9"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert gallery.recent()[0].content_title == "caf\ufffd.png"


def test_the_contact_sheet_draws_raw_names(tmp_path):
    cell = SheetCell("B\udcffb", (200, 80, 80), PIXELS, 5.0, RAW_TITLE, "Waves", None, None,
                     "k")
    sheet = PartySheet(RAW_TITLE, [SheetRound(1, [cell])],
                       [SheetStanding("B\udcffb", (200, 80, 80), 5.0, 1, False)])
    surface = render_contact_sheet(sheet, Strings("en"))
    assert surface.get_width() > 0


def test_text_the_theme_and_widgets_measure_may_hold_raw_names(app_with_photos):
    from game.scenes.gallery_view import clip_text
    from game.ui.widgets import TextField
    theme = app_with_photos.theme
    assert theme.wrap(f"{RAW_TITLE} × Waves", "small", 60)
    assert clip_text(theme, RAW_TITLE * 5, 80).endswith("…")
    field = TextField(text=RAW_TITLE)    # a dropped file's path goes into the load prompt
    field.draw(pygame.Surface((400, 80)), theme, pygame.Rect(0, 0, 400, 80))
    assert field.text == RAW_TITLE       # what is submitted is still the real path


# --- the save boundary never loses a painting to an unexpected error ------------------------


def test_an_unexpected_store_error_keeps_the_painting_and_says_so_in_one_line(
        app_with_photos, monkeypatch, caplog):
    from game.scenes.name_entry import NameEntryScene
    app = app_with_photos
    round_ = finished_round(app)

    def broken_add(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(app.services.leaderboard, "add", broken_add)
    app.stack.push(NameEntryScene(app, round_))
    pump(app, [pygame.event.Event(pygame.TEXTINPUT, text="Ada")])
    with caplog.at_level(logging.ERROR):
        pump(app, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0,
                                      unicode="", scancode=0)])
    scene = app.stack.top
    assert scene.name == "name_entry" and scene.round.painting is not None
    assert isinstance(scene.error, Msg)
    text = app.strings(scene.error)
    assert "\n" not in text and "Esc" in text
    assert "UnicodeEncodeError" in caplog.text          # the details go to the log
    pump(app)                                           # and the screen draws it


def test_an_unexpected_error_saving_a_party_keeps_every_painting(app, monkeypatch):
    from test_party_scenes import answer_machines, answer_scores, open_lobby, paint_turn
    service = app.services.machines.service
    open_lobby(app, names=("Ada", "Bruno"), rounds=1)
    pump(app, [keydown(pygame.K_RETURN)])
    paint_turn(app)
    paint_turn(app)
    answer_machines(app, service)
    pump(app, [keydown(pygame.K_RETURN)])
    answer_scores(app, service, [7.0, 5.0])
    podium, board = app.stack.top, app.services.leaderboard
    real_add = board.add

    def broken_add(*args, **kwargs):
        raise RuntimeError("a bug in the store")

    monkeypatch.setattr(board, "add", broken_add)
    pump(app, [keydown(pygame.K_s)])
    assert podium.name == "party_podium" and not podium.saved
    assert podium.message.key == "party.save_failed_unexpected"
    assert "\n" not in app.strings(podium.message)
    monkeypatch.setattr(board, "add", real_add)
    pump(app, [keydown(pygame.K_s)])                    # the retry saves everything
    assert podium.saved and board.count() == 2
