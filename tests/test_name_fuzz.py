"""Name entry under fire: 10,000 random strings (unicode, control characters, very long).

Nothing may crash, and nothing stored may hold a control, format or separator character or
run past the length limit.
"""
from __future__ import annotations

import random
import sqlite3
import unicodedata

import numpy as np
import pygame
from scene_kit import app, keydown, pump  # noqa: F401 (app is a fixture)

from game.blocklist import BlockList
from game.config import resolved_data_dir
from game.names import NAME_MAX, NameRejected, validate_name

FUZZ_COUNT = 10_000
SCENE_COUNT = 400         # of those, typed into the real name entry screen and saved
# Code point ranges a hostile or unlucky player might produce, weighted toward the nasty.
RANGES = ((0x20, 0x7E), (0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0x24F), (0x218, 0x21B),
          (0x300, 0x36F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069),
          (0xFE00, 0xFE0F), (0xD800, 0xDFFF), (0xE000, 0xE0FF), (0x1F300, 0x1F6FF),
          (0x1D400, 0x1D4FF), (0x4E00, 0x4E50), (0x0600, 0x06FF), (0xFFF0, 0xFFFF))
BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def random_name(rng: random.Random) -> str:
    length = rng.choice((0, 1, 2, 5, 12, 16, 17, 40, rng.randint(100, 5000)))
    chars = []
    for _ in range(length):
        low, high = rng.choice(RANGES)
        chars.append(chr(rng.randint(low, high)))
    return "".join(chars)


def stored_ok(name: str) -> bool:
    return 0 < len(name) <= NAME_MAX and name == name.strip() and \
        not any(unicodedata.category(ch) in BAD_CATEGORIES for ch in name)


def test_ten_thousand_random_names_are_accepted_clean_or_refused_with_a_message():
    rng = random.Random(20261122)
    blocklist = BlockList(["rude", "spam"])
    accepted = refused = 0
    for _ in range(FUZZ_COUNT):
        raw = random_name(rng)
        try:
            name = validate_name(raw)
        except NameRejected as exc:
            assert exc.message.key.startswith("names.")
            refused += 1
            continue
        blocklist.check(name)               # must not raise on anything validate lets by
        assert stored_ok(name), repr(name)
        accepted += 1
    assert accepted > 300 and refused > 3000    # the fuzz reaches both outcomes


def test_typed_names_reach_the_database_clean(app):
    from game.round import Round
    from game.scenes.name_entry import NameEntryScene
    rng = random.Random(7)
    catalogue = app.services.catalogue
    painting = np.full((48, 64, 3), 120, np.uint8)
    saved = 0
    for _ in range(SCENE_COUNT):
        round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
        round_.finish(painting)
        round_.scoring.status = "none"
        app.stack.replace(NameEntryScene(app, round_))
        raw = random_name(rng)[:200]
        pump(app, [pygame.event.Event(pygame.TEXTINPUT, text=raw), keydown(pygame.K_RETURN)])
        saved += app.stack.top.name == "leaderboard"
    db = sqlite3.connect(resolved_data_dir(app.config) / "leaderboard.sqlite3")
    names = [row[0] for row in db.execute("SELECT name FROM scores")]
    assert len(names) == saved and saved > 20
    assert all(stored_ok(name) for name in names)
