"""Saved paintings show a bundled picture's title in the language the player reads now.

The leaderboard and the gallery store the title of the moment they were saved (English for
the catalogue's own pictures) beside the catalogue id; the screens put the id back through
the catalogue, so a Romanian player reads "Țipătul" on a row saved in English. A player's own
picture keeps its stored title: it is made from a file name and has no translation.
"""
from __future__ import annotations

import json

import numpy as np
from PIL import Image

from game.catalogue import add_user_image, stored_title
from game.config import GameConfig
from scene_kit import app, drawn_text, make_app, pump  # noqa: F401 (app: fixture)

SCREAM, CAT = "munch_the_scream", "chelsea"


def _save_row(app, content_id: str, style_id: str, name: str) -> None:
    catalogue = app.services.catalogue
    content, style = catalogue.item(content_id), catalogue.item(style_id)
    app.services.leaderboard.add(
        name, 7.5, content.id, style.id, np.full((30, 40, 3), 90, np.uint8),
        content_title=content.title, style_title=style.title, round_seconds=30)


def _own_picture(app, tmp_path):
    path = tmp_path / "my_garden.png"
    Image.new("RGB", (40, 30), (20, 120, 40)).save(path)
    return add_user_image(app.services.catalogue, path, "content")


def test_a_bundled_title_follows_the_language_and_a_players_own_keeps_its_own(app, tmp_path):
    catalogue, strings = app.services.catalogue, app.strings
    scream, garden = catalogue.item(SCREAM), _own_picture(app, tmp_path)
    assert stored_title(catalogue, SCREAM, "The Scream", strings) == "The Scream"
    app.set_language("ro")
    assert stored_title(catalogue, SCREAM, scream.title, strings) == "Țipătul"
    assert stored_title(catalogue, garden.id, "My Garden", strings) == "My Garden"
    # An old row's id that the catalogue no longer lists keeps what was stored.
    assert stored_title(catalogue, "retired_painting", "Old Title", strings) == "Old Title"


def test_the_leaderboard_shows_a_row_saved_in_english_in_romanian(app, tmp_path):
    from game.scenes.leaderboard import LeaderboardScene
    assert app.strings.language == "en"
    _save_row(app, CAT, SCREAM, "Ana")
    garden = _own_picture(app, tmp_path)
    app.services.leaderboard.add(
        "Ion", 6.0, garden.id, SCREAM, np.full((30, 40, 3), 90, np.uint8),
        content_title=garden.title, style_title="The Scream", round_seconds=30)
    app.set_language("ro")
    app.stack.push(LeaderboardScene(app))
    pump(app)
    words = drawn_text(app)
    pairs = [text for text in words if " × " in text]
    # Two rows, each in both tables (all time, today).
    assert pairs.count("Pisica Chelsea × Țipătul") == 2
    assert pairs.count("My Garden × Țipătul") == 2
    assert not [text for text in words if "The Scream" in text or "Chelsea the Cat" in text]


def test_the_gallery_keeps_the_ids_and_shows_romanian_titles(tmp_path):
    from game.scenes.gallery_view import GalleryViewScene
    config = GameConfig()
    config.kiosk.enabled = True
    apps = make_app(config)
    app = next(apps)
    try:
        catalogue = app.services.catalogue
        cat, scream = catalogue.item(CAT), catalogue.item(SCREAM)
        image = np.full((30, 40, 3), 120, np.uint8)
        entry = app.services.gallery.add(
            image, {"magenta": image}, [], canvas_size=(40, 30), canvas_seed=1,
            content_title=cat.title, style_title=scream.title, player="Ana", score=8.0,
            content_id=cat.id, style_id=scream.id)
        assert (entry.content_id, entry.style_id) == (CAT, SCREAM)
        app.set_language("ro")
        view = GalleryViewScene(app)
        app.stack.push(view)
        pump(app)
        assert any("Țipătul" in text for text in drawn_text(app))
        view.open(view.entries[0])
        pump(app)
        assert any("Pisica Chelsea" in text and "Țipătul" in text for text in drawn_text(app))
    finally:
        for _ in apps:
            pass


def test_a_gallery_entry_saved_before_the_ids_keeps_its_titles(tmp_path):
    from game.gallery import Gallery
    gallery = Gallery(tmp_path / "gallery", keep=5)
    image = np.full((30, 40, 3), 120, np.uint8)
    entry = gallery.add(image, {}, [], canvas_size=(40, 30), canvas_seed=1,
                        content_title="Chelsea the Cat", style_title="The Scream")
    meta_path = entry.folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    del meta["content_id"], meta["style_id"]        # as an older game wrote it
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    old = gallery.recent()[0]
    assert (old.content_id, old.style_id) == ("", "")
    assert (old.content_title, old.style_title) == ("Chelsea the Cat", "The Scream")
