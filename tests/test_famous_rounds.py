"""Random rounds paint a famous painting, as the title and attract screens promise.

Setup, the kiosk (which opens the same setup screen), a party's drawn pairs and the demo all
draw through Catalogue.random_pair; the studio styles stay in the picker and on --style.
"""
from __future__ import annotations

import random
from pathlib import Path

import pygame
from PIL import Image
from scene_kit import app, keydown, pump  # noqa: F401 (app: fixture)

from game.catalogue import (MASTERPIECES, MUSEUM, STUDIO, ArtItem, Catalogue,
                            default_art_dir, load_catalogue)

SEEDS = range(40)


def _catalogue(**folders) -> Catalogue:
    return load_catalogue(default_art_dir(), check_images=False, **folders)


def test_many_seeded_random_pairs_are_all_famous_paintings():
    catalogue = _catalogue()
    styles = {catalogue.random_pair(random.Random(seed))[1] for seed in SEEDS}
    rng = random.Random(7)
    styles |= {catalogue.random_pair(rng)[1] for _ in range(300)}
    assert {item.group() for item in styles} == {MASTERPIECES}
    assert len(styles) > 10                    # drawn across the collection, not one picture


def test_a_shuffle_draws_a_famous_painting_even_from_a_studio_style():
    catalogue = _catalogue()
    rng, current = random.Random(3), catalogue.item("night_impasto")
    for _ in range(50):
        following = catalogue.shuffle_style(current, rng)
        assert following.group() == MASTERPIECES and following.id != current.id
        current = following


def test_a_museums_own_paintings_join_the_draw_and_studio_styles_stay_out(tmp_path):
    folder = tmp_path / "museum"
    folder.mkdir()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(folder / "our_portrait.png")
    catalogue = _catalogue(user_style_dirs=[folder])
    rng = random.Random(11)
    groups = {catalogue.random_pair(rng)[1].group() for _ in range(400)}
    assert groups == {MASTERPIECES, MUSEUM}


def test_a_catalogue_without_famous_paintings_draws_from_what_it_has():
    studio = ArtItem("s1", "style", Path("s1.png"), "S", "A", "2001", "CC0-1.0", "test",
                     collection=STUDIO)
    photo = ArtItem("c1", "content", Path("c1.png"), "C", "A", "2001", "CC0-1.0", "test")
    catalogue = Catalogue(content=[photo], styles=[studio])
    assert catalogue.random_pair(random.Random(1)) == (photo, studio)


def test_setup_and_party_pairs_are_famous_and_the_picker_still_lists_studio(app):
    from game.party import PARTY_COLOURS, PartySettings, Player
    from game.party_session import PartySession
    from game.scenes.picker import CataloguePicker
    from game.scenes.setup import SetupScene
    catalogue = app.services.catalogue
    for _ in range(10):
        assert SetupScene(app).style.group() == MASTERPIECES
    players = [Player(name, PARTY_COLOURS[i]) for i, name in enumerate(("Ana", "Ion", "Eva"))]
    session = PartySession(PartySettings(players, rounds=5, pair_mode="random"), app.services,
                           random.Random(5))
    styles = {catalogue.item(turn.style_id).group()
              for r in range(5) for turn in session.party.round_turns(r)}
    assert styles == {MASTERPIECES}
    setup = SetupScene(app)
    app.stack.push(setup)
    picker = CataloguePicker(app, "style", setup.style, lambda item: setup.set("style", item))
    app.stack.push(picker)
    pump(app)
    assert {item.group() for item in picker.items} >= {MASTERPIECES, STUDIO}
    picker.index = next(i for i, item in enumerate(picker.items) if item.group() == STUDIO)
    pump(app, [keydown(pygame.K_RETURN)])
    assert setup.style.group() == STUDIO         # a studio style is still the player's pick
