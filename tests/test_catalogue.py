"""Behaviour of game.catalogue: the real art catalogue, temp catalogues, user folders."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from art import export_photos
from game.catalogue import (
    ArtItem,
    Catalogue,
    CatalogueError,
    add_user_image,
    default_art_dir,
    load_catalogue,
    pretty_title,
)
from game.image_loader import ImageLoadError, load_rgb

ART_DIR = default_art_dir()
EXPECTED_STYLE_FILES = [
    f"styles/{name}.png"
    for name in (
        "colour_fields", "geometric_grid", "concentric_circles", "swirling_flow",
        "pointillism", "drips", "mosaic", "hatching", "watercolour_washes",
        "cubist_shards", "wave_bands", "night_impasto",
    )
]
# Licences under which a bundled content photo may be redistributed with the game (the Kodak
# suite's status is what is known of it: art/catalogue.toml says what is and is not).
REDISTRIBUTABLE = ("Public domain", "CC0-1.0", "No known copyright restrictions",
                   "Released by Eastman Kodak for unrestricted usage")
TEXT_FIELDS = ("id", "kind", "title", "artist", "year", "licence", "source")


# ---------------------------------------------------------------- helpers


def _png(path: Path, colour=(200, 40, 40), size=(8, 6)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def _entry(kind: str, item_id: str, file: str) -> str:
    return (
        f'[[{kind}]]\nid = "{item_id}"\nfile = "{file}"\ntitle = "T {item_id}"\n'
        f'artist = "A"\nyear = "2001"\nlicence = "CC0-1.0"\nsource = "test"\n\n'
    )


def _temp_art_dir(tmp_path: Path, *, contents=("c1", "c2", "c3"), styles=("s1", "s2")) -> Path:
    art = tmp_path / "art"
    text = ""
    for item_id in contents:
        _png(art / "content" / f"{item_id}.png")
        text += _entry("content", item_id, f"content/{item_id}.png")
    for item_id in styles:
        _png(art / "styles" / f"{item_id}.png", colour=(10, 90, 200))
        text += _entry("style", item_id, f"styles/{item_id}.png")
    (art / "catalogue.toml").write_text(text, encoding="utf-8")
    return art


def _style_pngs_painted() -> bool:
    return any((ART_DIR / "styles").glob("*.png"))


# ---------------------------------------------------------------- the real catalogue


def test_real_catalogue_entries_have_every_field():
    catalogue = load_catalogue(ART_DIR, check_images=False)
    assert len(catalogue.content) >= 4
    studio = catalogue.collection("studio")
    assert [item.path.relative_to(ART_DIR).as_posix() for item in studio] == (
        EXPECTED_STYLE_FILES
    )
    for item in (*catalogue.content, *catalogue.styles):
        for name in TEXT_FIELDS:
            assert getattr(item, name).strip(), f"{item.id}: empty {name}"
        assert not item.user
    assert catalogue.warnings == []


def test_real_content_photos_exist_load_and_stay_small():
    catalogue = load_catalogue(ART_DIR, check_images=False)
    for item in catalogue.content:
        assert item.path.is_file(), f"missing {item.path}"
        assert item.path.stat().st_size < 700_000
        assert item.licence.startswith(REDISTRIBUTABLE), f"{item.id}: {item.licence}"
        pixels = load_rgb(item.path)
        assert pixels.shape[2] == 3 and min(pixels.shape[:2]) >= 256


def test_real_content_matches_export_script_pixels():
    catalogue = load_catalogue(ART_DIR, check_images=False)
    from_skimage = [item.id for item in catalogue.content
                    if item.source.startswith("scikit-image")]
    assert from_skimage == [p.id for p in export_photos.PHOTOS]
    for photo in export_photos.PHOTOS:
        stored = load_rgb(ART_DIR / "content" / f"{photo.id}.png")
        np.testing.assert_array_equal(stored, export_photos.photo_pixels(photo))


@pytest.mark.skipif(not _style_pngs_painted(), reason="art/paint_styles.py has not run yet")
def test_real_style_files_exist_skipped_until_painter_has_run():
    catalogue = load_catalogue(ART_DIR)  # check_images=True: raises if any file is missing
    for item in catalogue.styles:
        assert load_rgb(item.path).shape[2] == 3


# ---------------------------------------------------------------- broken catalogues


def test_missing_catalogued_file_stops_loading_and_names_it(tmp_path):
    art = _temp_art_dir(tmp_path)
    (art / "styles" / "s2.png").unlink()
    with pytest.raises(CatalogueError) as excinfo:
        load_catalogue(art)
    message = str(excinfo.value)
    assert "s2.png" in message and str(art / "catalogue.toml") in message


def test_corrupt_catalogued_file_stops_loading(tmp_path):
    art = _temp_art_dir(tmp_path)
    (art / "content" / "c1.png").write_bytes(b"not a png at all")
    with pytest.raises(CatalogueError, match=r"c1\.png"):
        load_catalogue(art)


def test_missing_catalogue_file_is_reported(tmp_path):
    with pytest.raises(CatalogueError, match="catalogue.toml is missing"):
        load_catalogue(tmp_path)


def test_invalid_toml_is_reported(tmp_path):
    (tmp_path / "catalogue.toml").write_text("[[content]\nid = ", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue(tmp_path)


def test_missing_field_is_reported_by_name(tmp_path):
    art = _temp_art_dir(tmp_path)
    toml = art / "catalogue.toml"
    toml.write_text(toml.read_text().replace('licence = "CC0-1.0"\n', "", 1))
    with pytest.raises(CatalogueError, match="'licence'"):
        load_catalogue(art)


def test_misspelt_section_is_reported(tmp_path):
    art = _temp_art_dir(tmp_path)
    toml = art / "catalogue.toml"
    toml.write_text(toml.read_text().replace("[[style]]", "[[styles]]"))
    with pytest.raises(CatalogueError, match="styles"):
        load_catalogue(art)


def test_duplicate_id_is_reported(tmp_path):
    art = _temp_art_dir(tmp_path, contents=("same",), styles=("same",))
    with pytest.raises(CatalogueError, match="'same' twice"):
        load_catalogue(art)


def test_file_outside_art_folder_is_refused(tmp_path):
    art = _temp_art_dir(tmp_path)
    toml = art / "catalogue.toml"
    toml.write_text(toml.read_text().replace("content/c1.png", "../c1.png"))
    with pytest.raises(CatalogueError, match="inside"):
        load_catalogue(art)


# ---------------------------------------------------------------- user folders


def test_user_folder_keeps_good_images_and_warns_about_bad_ones(tmp_path, caplog):
    art = _temp_art_dir(tmp_path)
    museum = tmp_path / "museum"
    _png(museum / "water_lilies.png")
    (museum / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    (museum / "empty.png").write_bytes(b"")
    (museum / "notes.txt").write_text("not an image")
    with caplog.at_level(logging.WARNING, logger="game.catalogue"):
        catalogue = load_catalogue(art, user_content_dirs=[museum])

    users = [item for item in catalogue.content if item.user]
    assert [(item.title, item.artist) for item in users] == [
        ("Water Lilies", "Museum collection")
    ]
    assert users[0].path == (museum / "water_lilies.png").resolve()
    assert len(catalogue.warnings) == 3
    assert any("broken.jpg" in w for w in catalogue.warnings)
    assert any("empty.png" in w and "empty" in w for w in catalogue.warnings)
    assert any("notes.txt" in w for w in catalogue.warnings)
    logged = [record.getMessage() for record in caplog.records]
    assert sorted(logged) == sorted(catalogue.warnings)


def _gif(path: Path) -> Path:
    """A two-frame animated GIF: the game plays its first frame."""
    frames = [Image.new("RGB", (12, 8), colour) for colour in ((200, 40, 40), (40, 40, 200))]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    return path


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<rect width="10" height="10" fill="red"/></svg>')


def test_one_format_rule_for_folders_gif_plays_and_svg_and_txt_are_named(tmp_path):
    art = _temp_art_dir(tmp_path)
    museum = tmp_path / "museum"
    _png(museum / "lilies.png")
    _gif(museum / "dancer.gif")
    (museum / "logo.svg").write_bytes(SVG)
    (museum / "notes.txt").write_text("not an image")
    catalogue = load_catalogue(art, user_content_dirs=[museum])

    users = {item.path.name: item for item in catalogue.content if item.user}
    assert sorted(users) == ["dancer.gif", "lilies.png"]
    assert load_rgb(users["dancer.gif"].path)[0, 0].tolist() == [200, 40, 40]  # frame 1
    assert load_rgb(users["lilies.png"].path).shape == (6, 8, 3)
    assert len(catalogue.warnings) == 2
    svg_warning, txt_warning = catalogue.warnings  # in file-name order
    assert "logo.svg" in svg_warning and "SVG" in svg_warning
    assert "notes.txt" in txt_warning


def test_a_dropped_file_follows_the_folder_rule(tmp_path):
    art = _temp_art_dir(tmp_path)
    museum = tmp_path / "museum"
    (museum / "logo.svg").parent.mkdir()
    (museum / "logo.svg").write_bytes(SVG)
    catalogue = load_catalogue(art, user_content_dirs=[museum])
    (folder_warning,) = catalogue.warnings

    with pytest.raises(ImageLoadError) as excinfo:
        add_user_image(catalogue, museum / "logo.svg", "content")
    assert "logo.svg" in str(excinfo.value) and excinfo.value.reason in folder_warning
    assert add_user_image(catalogue, _gif(tmp_path / "drop.gif"), "style").user


def test_many_skipped_files_make_one_line_that_counts_them(tmp_path, caplog):
    art = _temp_art_dir(tmp_path)
    museum = tmp_path / "museum"
    _png(museum / "lilies.png")
    for number in range(6):
        (museum / f"notes{number}.txt").write_text("not an image")
    with caplog.at_level(logging.WARNING):
        catalogue = load_catalogue(art, user_style_dirs=[museum])

    (summary,) = catalogue.warnings     # the title screen shows only the last three notices
    assert "6 files" in summary and str(museum) in summary and "notes0.txt" in summary
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert all(f"notes{number}.txt" in logged for number in range(6))   # the log has each


def test_hidden_files_stay_quiet_and_folders_inside_are_named(tmp_path):
    art = _temp_art_dir(tmp_path)
    museum = tmp_path / "museum"
    _png(museum / "lilies.png")
    (museum / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    _png(museum / "._lilies.png")      # a macOS resource fork left on a USB stick
    _png(museum / "older" / "sunset.png")
    catalogue = load_catalogue(art, user_content_dirs=[museum])
    assert [item.path.name for item in catalogue.content if item.user] == ["lilies.png"]
    (warning,) = catalogue.warnings
    assert "older" in warning and "folder" in warning


def test_missing_user_folder_is_a_warning_not_a_crash(tmp_path):
    art = _temp_art_dir(tmp_path)
    catalogue = load_catalogue(art, user_style_dirs=[tmp_path / "no_such_folder"])
    assert len(catalogue.styles) == 2
    assert len(catalogue.warnings) == 1 and "no_such_folder" in catalogue.warnings[0]


def test_user_ids_are_stable_and_unique(tmp_path):
    art = _temp_art_dir(tmp_path)
    shared = tmp_path / "shared"
    _png(shared / "a.png")
    _png(shared / "b.png")
    first = load_catalogue(art, user_content_dirs=[shared], user_style_dirs=[shared, shared])
    second = load_catalogue(art, user_content_dirs=[shared], user_style_dirs=[shared])
    ids = [item.id for item in (*first.content, *first.styles)]
    assert len(ids) == len(set(ids)) == 3 + 2 + 2 + 2  # the repeated folder adds nothing
    assert ids == [item.id for item in (*second.content, *second.styles)]
    user_id = next(item.id for item in first.styles if item.user)
    assert user_id.startswith("user:style:") and user_id.endswith(":a.png")
    assert first.item(user_id).path == (shared / "a.png").resolve()


def test_add_user_image_adds_once_and_rejects_bad_files(tmp_path):
    catalogue = load_catalogue(_temp_art_dir(tmp_path))
    dropped = _png(tmp_path / "drop" / "my_garden.png")
    item = add_user_image(catalogue, dropped, "content")
    assert item.user and item.artist == "Your collection" and item.title == "My Garden"
    assert catalogue.item(item.id) is item
    assert add_user_image(catalogue, dropped, "content") is item
    assert len(catalogue.content) == 4

    bad = tmp_path / "drop" / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    with pytest.raises(ImageLoadError, match="bad.png"):
        add_user_image(catalogue, bad, "style")
    assert len(catalogue.styles) == 2


def test_pretty_title_from_file_names():
    assert pretty_title("starry_night-over.the.rhone.jpg") == "Starry Night Over The Rhone"
    assert pretty_title("van_gogh's_chair.png") == "Van Gogh's Chair"
    assert pretty_title("IMG_0042.JPG") == "IMG 0042"
    assert pretty_title("___.png") == "___"


# ---------------------------------------------------------------- picking pictures


def _pairs(catalogue: Catalogue, seed: int, count: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [tuple(item.id for item in catalogue.random_pair(rng)) for _ in range(count)]


def test_random_pair_is_deterministic_for_a_seed(tmp_path):
    catalogue = load_catalogue(_temp_art_dir(tmp_path))
    assert _pairs(catalogue, 7, 20) == _pairs(catalogue, 7, 20)
    content, style = catalogue.random_pair(random.Random(7))
    assert content.kind == "content" and style.kind == "style"
    assert len(set(_pairs(catalogue, 7, 40))) > 1  # really random, not a constant


def test_shuffle_returns_a_different_item(tmp_path):
    catalogue = load_catalogue(_temp_art_dir(tmp_path))
    rng = random.Random(3)
    current_content, current_style = catalogue.content[0], catalogue.styles[0]
    for _ in range(30):
        next_content = catalogue.shuffle_content(current_content, rng)
        next_style = catalogue.shuffle_style(current_style, rng)
        assert next_content.id != current_content.id and next_content.kind == "content"
        assert next_style.id != current_style.id and next_style.kind == "style"
        current_content, current_style = next_content, next_style


def test_shuffle_with_a_single_item_returns_it(tmp_path):
    catalogue = load_catalogue(_temp_art_dir(tmp_path, styles=("only",)))
    only = catalogue.styles[0]
    assert catalogue.shuffle_style(only, random.Random(1)) is only


def test_item_lookup(tmp_path):
    catalogue = load_catalogue(_temp_art_dir(tmp_path))
    assert isinstance(catalogue.item("s1"), ArtItem) and catalogue.item("s1").kind == "style"
    with pytest.raises(KeyError):
        catalogue.item("nope")
