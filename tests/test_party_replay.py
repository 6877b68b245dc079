"""A party round's reveal replays any player's duel: their strokes, under their name."""
from __future__ import annotations

import numpy as np
import pygame
from scene_kit import app, drawn_text, keydown, pump  # noqa: F401
from test_party_scenes import answer_machines, answer_scores, open_lobby, paint_turn

from game.i18n import Msg
from game.round import Round
from game.scenes.replay import painter_caption


def play_round(app):
    """Ada paints red, Bruno blue; both machines answer; the round's reveal is on top."""
    open_lobby(app, names=("Ada", "Bruno"), rounds=1, mode="same")
    pump(app, [keydown(pygame.K_RETURN)])
    paint_turn(app, (250, 20, 20))
    paint_turn(app, (20, 20, 250))
    answer_machines(app, app.services.machines.service)
    assert app.stack.top.name == "party_reveal"
    return app.stack.top


def painting_pixels(replay) -> np.ndarray:
    """The replay's painting pane as it stands, (h, w, 3)."""
    surface = replay._painting_source()
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2)


def test_a_number_key_replays_that_players_strokes_under_their_name(app):
    reveal = play_round(app)
    assert app.strings(Msg("party.replay_hint", count=2)) in drawn_text(app)
    pump(app, [keydown(pygame.K_2)])
    replay = app.stack.top
    assert replay.name == "replay"
    assert replay.texts.painter == "Painted by Bruno"
    assert replay.replayer is not None and replay.stroke_log     # grown again from strokes
    # The scores are still coming: the end card says so, then shows the number once in.
    assert replay.texts.score == "Scoring your painting against the machines' pictures…"
    answer_scores(app, app.services.machines.service, [4.0, 7.5])
    assert replay.texts.score == "7.5"
    for _ in range(2000):
        if replay.ended:
            break
        pump(app)
    assert replay.ended
    pixels = painting_pixels(replay).reshape(-1, 3).astype(int)
    blue = (pixels[:, 2] > 150) & (pixels[:, 0] < 90)
    red = (pixels[:, 0] > 150) & (pixels[:, 2] < 90)
    assert blue.sum() > 100 and red.sum() == 0          # Bruno's stroke, not Ada's
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top is reveal


def test_a_click_on_a_card_replays_that_player(app):
    reveal = play_round(app)
    pump(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=reveal.cards[0].center,
                                  button=1)])
    replay = app.stack.top
    assert replay.name == "replay" and replay.texts.painter == "Painted by Ada"


def test_a_given_up_turn_and_a_key_past_the_players_do_nothing(app):
    reveal = play_round(app)
    reveal.turns[0].painting_ref.gave_up = True
    pump(app, [keydown(pygame.K_1), keydown(pygame.K_5)])
    assert app.stack.top is reveal


def test_a_brought_picture_is_captioned_with_its_player(app):
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    round_.origin = "uploaded"
    assert app.strings(painter_caption(round_, "Ada")) == \
        "Brought by Ada (uploaded, not painted here)"
    app.set_language("ro")
    assert app.strings(painter_caption(round_, "Ada")) == \
        "Adusă de Ada (încărcată, nu pictată aici)"
