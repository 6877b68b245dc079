"""The shipped art: famous paintings, studio styles and photos, their provenance, their
Romanian titles, and what must never be shipped (issue 11)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from art import export_photos, import_masterpieces, paint_styles
from game.catalogue import (
    COLLECTIONS,
    MASTERPIECES,
    PHOTOS,
    STUDIO,
    ArtItem,
    CatalogueError,
    add_user_image,
    default_art_dir,
    load_catalogue,
    shown,
)
from game.i18n import Strings, load_language
from game.image_loader import load_rgb, probe_image

ART_DIR = default_art_dir()
SHARED = import_masterpieces.DEFAULT_SHARED
EVAL_CONTENT = SHARED / "eval" / "content"
# SHA-256 of the two evaluation photos from jcjohnson/neural-style, which carry no licence:
# checked even where ../shared is absent.
EVAL_ONLY_PHOTOS = {
    "tubingen.jpg": "07bbe6fd17854aefefe84f1eac82850dacaac7463d60b427c1766b9f7086a722",
    "golden_gate.jpg": "325775b3a4c7c37269cacb7d3f2fb5211b1b53cced793c99e5457bed1c41bccc",
}
TEXT_FIELDS = ("title", "artist", "year", "licence", "source")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ART_DIR)      # check_images=True: every file exists and probes


def _shipped_files() -> list[Path]:
    return sorted(p for folder in ("content", "styles") for p in (ART_DIR / folder).iterdir()
                  if p.is_file())


# ---------------------------------------------------------------- what is shipped


def test_every_entry_has_provenance_and_a_collection(catalogue):
    for item in (*catalogue.content, *catalogue.styles):
        for name in TEXT_FIELDS:
            assert getattr(item, name).strip(), f"{item.id}: empty {name}"
        assert item.collection in COLLECTIONS
        assert item.collection == (PHOTOS if item.kind == "content" else item.collection)
        assert item.collection != PHOTOS or item.kind == "content"


def test_at_least_sixteen_famous_paintings_and_sixteen_photos(catalogue):
    masterpieces = catalogue.collection(MASTERPIECES)
    assert len(masterpieces) >= 16
    assert len(catalogue.collection(PHOTOS)) >= 16
    assert all(item.kind == "style" for item in masterpieces)
    # The painter's own year, never the project's: a real painting is older than 1929.
    for item in masterpieces:
        years = [int(word[:4]) for word in item.year.replace("–", " ").split()
                 if word[:4].isdigit()]
        assert years and max(years) < 1929, (item.id, item.year)
        assert "Style Duel" not in item.artist
        assert item.licence.startswith("Public domain"), item.id
        assert "GitHub" in item.source and "commit" in item.source, item.id


def test_famous_paintings_come_first_so_the_title_screens_show_them(catalogue):
    groups = [item.collection for item in catalogue.styles]
    assert groups == sorted(groups, key=[MASTERPIECES, STUDIO].index)
    assert catalogue.styles[0].collection == MASTERPIECES


def test_studio_styles_are_exactly_the_painted_ones(catalogue):
    studio = catalogue.collection(STUDIO)
    assert {item.id for item in studio} == set(paint_styles.STYLE_IDS)
    assert all(item.source == "art/paint_styles.py" for item in studio)


def test_every_shipped_file_loads_through_the_safe_loader_and_stays_small(catalogue):
    for item in (*catalogue.content, *catalogue.styles):
        width, height = probe_image(item.path)
        pixels = load_rgb(item.path)
        assert pixels.shape == (height, width, 3), item.id
        assert max(width, height) <= 1024 and min(width, height) >= 256, item.id
        assert item.path.stat().st_size <= 700_000, item.id


def test_every_file_in_the_art_folders_is_catalogued(catalogue):
    listed = {item.path for item in (*catalogue.content, *catalogue.styles)}
    assert set(_shipped_files()) == listed


def test_the_import_script_and_the_catalogue_agree(catalogue):
    imported = {source.id: source for source in import_masterpieces.shipped()}
    from_script = {item.id for item in (*catalogue.content, *catalogue.styles)
                   if item.path.suffix == ".jpg"}
    assert set(imported) == from_script
    for item_id, source in imported.items():
        item = catalogue.item(item_id)
        assert item.path == ART_DIR / source.target
        assert item.collection == (MASTERPIECES if source.kind == "style" else PHOTOS)
        assert (source.dithered and "16-colour" in item.source) or not source.dithered
    assert not set(import_masterpieces.DROPPED) & set(imported)


def test_kept_dithered_paintings_say_so_in_the_catalogue(catalogue):
    for source in import_masterpieces.DITHERED:
        if source.id in import_masterpieces.DROPPED:
            continue
        item = catalogue.item(source.id)
        assert "16-colour dithered" in item.source and "docs/art.md" in item.source


@pytest.mark.skipif(not (SHARED / "art-candidates").is_dir(), reason="../shared is absent")
def test_the_import_is_reproducible(tmp_path):
    for source in import_masterpieces.shipped():
        made = import_masterpieces.import_one(source, SHARED, tmp_path)
        assert made.read_bytes() == (ART_DIR / source.target).read_bytes(), source.id


def test_the_watermark_is_cropped_off():
    """The rawpixel mark sat in the bottom-left corner of two Van Gogh scans (near-white
    letters: 161 and 232 such pixels in that corner before the crop)."""
    for item_id in ("vangogh_night_cafe", "vangogh_olive_trees"):
        source = next(s for s in import_masterpieces.PAINTINGS if s.id == item_id)
        assert source.crop == (0, 0, 800, 588)
        pixels = np.asarray(Image.open(ART_DIR / source.target).convert("RGB")).astype(int)
        assert pixels.shape[:2] == (564, 768)               # 800x588 at a long side of 768
        corner = pixels[-60:, :140]
        assert int((corner.min(axis=2) > 200).sum()) < 20, item_id


# ---------------------------------------------------------------- what is never shipped


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _thumb(pixels: np.ndarray) -> np.ndarray:
    """A 16x16 grey thumbnail: the same photo, resized or re-encoded, still matches."""
    grey = Image.fromarray(pixels).convert("L").resize((16, 16), Image.Resampling.BOX)
    return np.asarray(grey, dtype=float)


def test_no_evaluation_photo_is_shipped_by_its_bytes():
    shipped = {_digest(path) for path in _shipped_files()}
    assert not shipped & set(EVAL_ONLY_PHOTOS.values())
    if EVAL_CONTENT.is_dir():
        assert not shipped & {_digest(p) for p in EVAL_CONTENT.iterdir() if p.is_file()}


@pytest.mark.skipif(not EVAL_CONTENT.is_dir(), reason="../shared/eval is absent")
def test_no_evaluation_photo_is_shipped_even_resized():
    """Every eval photo but the scikit-image samples (which the game ships through
    art/export_photos.py) is unlike every shipped picture, also after resizing."""
    samples = [_thumb(export_photos.photo_pixels(p)) for p in export_photos.PHOTOS]
    forbidden = {}
    for path in sorted(EVAL_CONTENT.iterdir()):
        thumb = _thumb(load_rgb(path))
        if not any(np.abs(thumb - sample).mean() < 2 for sample in samples):
            forbidden[path.name] = thumb
    assert {"tubingen.jpg", "golden_gate.jpg"} <= set(forbidden)
    for shipped in _shipped_files():
        thumb = _thumb(load_rgb(shipped))
        for name, other in forbidden.items():
            assert np.abs(thumb - other).mean() > 12, (shipped.name, name)


# ---------------------------------------------------------------- the player's language


def test_every_bundled_picture_has_a_title_in_both_languages(catalogue):
    english, romanian = load_language("en"), load_language("ro")
    for item in (*catalogue.content, *catalogue.styles):
        key = f"art.{item.id}.title"
        assert english.get(key) == item.title, item.id
        assert romanian.get(key, "").strip(), item.id
    masterpieces = catalogue.collection(MASTERPIECES)
    translated = [item for item in masterpieces
                  if romanian[f"art.{item.id}.title"] != item.title]
    # Names such as "Udnie" or "Mäda Primavesi" stay; the usual titles are translated.
    assert len(translated) >= len(masterpieces) - 4


def test_no_catalogue_id_clashes_with_the_locale_tables(catalogue):
    for item in (*catalogue.content, *catalogue.styles):
        assert item.id not in ("artists", "no_date", "circa") and "." not in item.id


def test_shown_puts_title_artist_and_year_in_the_players_language(catalogue):
    strings = Strings("ro")
    night = shown(catalogue.item("vangogh_starry_night"), strings)
    assert (night.title, night.artist, night.year) == (
        "Noapte înstelată", "Vincent van Gogh", "1889")
    wave = shown(catalogue.item("hokusai_great_wave"), strings)
    assert wave.title == "Marele val de la Kanagawa" and wave.year == "cca 1831"
    studio = shown(catalogue.item("hatching"), strings)
    assert studio.artist == "Studioul Style Duel (generat)"
    photo = shown(catalogue.item("kodak_kodim22"), strings)
    assert photo.year == "f.a." and "fotograf" in photo.artist
    strings.use("en")
    assert shown(catalogue.item("hokusai_great_wave"), strings).year == "c. 1831"
    assert shown(catalogue.item("kodak_kodim22"), strings).title == "Red Barn by a Pond"


def test_a_user_picture_keeps_its_own_title(tmp_path, catalogue):
    path = tmp_path / "the_starry_night.png"
    Image.new("RGB", (40, 30), (10, 20, 30)).save(path)
    item = add_user_image(load_catalogue(ART_DIR, check_images=False), path, "style")
    assert item.collection == "player"
    seen = shown(item, Strings("ro"))
    assert seen.title == "The Starry Night" and seen.artist == "Colecția ta"


# ---------------------------------------------------------------- the catalogue format


def _one_style(tmp_path: Path, extra: str) -> Path:
    art = tmp_path / "art"
    (art / "content").mkdir(parents=True)
    (art / "styles").mkdir()
    Image.new("RGB", (8, 6)).save(art / "content" / "c.png")
    Image.new("RGB", (8, 6)).save(art / "styles" / "s.png")
    fields = 'title = "T"\nartist = "A"\nyear = "1900"\nlicence = "CC0-1.0"\nsource = "x"\n'
    (art / "catalogue.toml").write_text(
        f'[[content]]\nid = "c"\nfile = "content/c.png"\n{fields}\n'
        f'[[style]]\nid = "s"\nfile = "styles/s.png"\n{extra}{fields}', encoding="utf-8")
    return art


def test_a_style_without_a_collection_is_a_studio_style(tmp_path):
    catalogue = load_catalogue(_one_style(tmp_path, ""))
    assert catalogue.styles[0].collection == STUDIO
    assert catalogue.content[0].collection == PHOTOS


def test_an_unknown_collection_stops_loading(tmp_path):
    with pytest.raises(CatalogueError, match="collection 'famous'"):
        load_catalogue(_one_style(tmp_path, 'collection = "famous"\n'))


def test_a_hand_made_item_still_has_a_group():
    item = ArtItem("x", "style", Path("x.png"), "T", "A", "", "", "")
    assert item.group() == STUDIO
