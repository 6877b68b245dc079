"""Party mode through its screens, headless, with a fake NST service that answers on cue."""
from __future__ import annotations

import sqlite3

import numpy as np
import pygame
from scene_kit import app, drawn_text, english_left, keydown, pump  # noqa: F401

from game.config import resolved_data_dir
from models.messages import Result, ScoreResult


def text_input(text: str) -> pygame.event.Event:
    return pygame.event.Event(pygame.TEXTINPUT, text=text)


def open_lobby(app, names=("Ada", "Bruno"), rounds=1, mode="same"):
    from game.scenes.lobby import LobbyScene
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    pump(app, [keydown(pygame.K_y)])
    lobby = app.stack.top
    assert isinstance(lobby, LobbyScene)
    for name in names:
        pump(app, [text_input(name), keydown(pygame.K_RETURN)])
    lobby.settings.rounds = rounds
    lobby.settings.pair_mode = mode
    return lobby


def paint_turn(app, color=(200, 40, 40)):
    """Press Ready on the pass screen, paint one stroke, finish early with F."""
    assert app.stack.top.name == "party_pass"
    pump(app, [keydown(pygame.K_RETURN)])
    paint = app.stack.top
    assert paint.name == "paint"
    paint.panel.set_color(color)
    rect = paint.canvas_rect
    pump(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1),
               pygame.event.Event(pygame.MOUSEMOTION, pos=(rect.centerx + 80, rect.centery),
                                  rel=(0, 0), buttons=(1, 0, 0)),
               pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(rect.centerx + 80, rect.centery),
                                  button=1)])
    round_ = paint.round
    pump(app, [keydown(pygame.K_f)])
    return round_


def answer_machines(app, service):
    """Every queued NST job gets a flat grey picture."""
    answers = []
    for i, (_, engine, shape, _) in enumerate(service.jobs):
        if engine in ("magenta", "gatys"):
            image = np.full((*shape[:2], 3), 90 if engine == "magenta" else 160, np.uint8)
            answers.append(Result(f"{engine}-{i + 1}", engine, engine, image, 1.0, 1, True))
    service.answers = answers
    pump(app, frames=2)


def answer_scores(app, service, scores):
    ids = [f"score-{i + 1}" for i, (_, kind, _, _) in enumerate(service.jobs) if kind == "score"]
    service.answers = [ScoreResult(job_id, {"painting~magenta": s, "painting~gatys": s}, "enc",
                                   0.1) for job_id, s in zip(ids, scores)]
    pump(app, frames=2)


def test_lobby_adds_players_with_their_own_colours_and_refuses_a_repeat(app):
    lobby = open_lobby(app, names=("Ada",))
    assert not lobby.start_button.enabled and lobby.problems()[0].key == \
        "party_rules.too_few_players"
    pump(app, [text_input("ADA"), keydown(pygame.K_RETURN)])
    assert [p.name for p in lobby.settings.players] == ["Ada"]
    assert lobby.message.key == "party_rules.duplicate_name"
    assert lobby.field.text == "ADA"                    # kept, to be corrected
    pump(app, [keydown(pygame.K_BACKSPACE)] * 3 + [text_input("Bruno"), keydown(pygame.K_RETURN)])
    players = lobby.settings.players
    assert [p.name for p in players] == ["Ada", "Bruno"]
    assert players[0].colour != players[1].colour
    assert lobby.start_button.enabled
    pump(app, [keydown(pygame.K_DELETE)])
    assert [p.name for p in lobby.settings.players] == ["Ada"]


def test_lobby_settings_stay_in_their_ranges(app):
    lobby = open_lobby(app)
    for _ in range(15):
        pump(app, [keydown(pygame.K_RIGHT)])            # rounds: the first row
    assert lobby.settings.rounds == 10
    pump(app, [keydown(pygame.K_DOWN)])
    for _ in range(30):
        pump(app, [keydown(pygame.K_LEFT)])
    assert lobby.settings.seconds == 30
    pump(app, [keydown(pygame.K_DOWN), keydown(pygame.K_RIGHT)])
    assert lobby.settings.pair_mode == "random"


def test_a_party_shares_jobs_per_pair_and_ends_on_a_podium_with_a_tie(app):
    service = app.services.machines.service
    open_lobby(app, names=("Ada", "Bruno"), rounds=1, mode="same")
    pump(app, [keydown(pygame.K_RETURN)])               # empty name field: start
    pass_scene = app.stack.top
    assert pass_scene.name == "party_pass" and pass_scene.player.name == "Ada"
    first = paint_turn(app, (250, 20, 20))
    assert app.stack.top.name == "party_pass" and app.stack.top.player.name == "Bruno"
    # The pass screen hides Ada's painting: none of its red is on screen.
    pixels = pygame.surfarray.array3d(app.screen).reshape(-1, 3).astype(int)
    assert not np.any((pixels[:, 0] > 230) & (pixels[:, 1] < 60) & (pixels[:, 2] < 60))
    second = paint_turn(app, (20, 20, 250))
    assert app.stack.top.name == "party_reveal"
    # One pair, so one job per engine serves both paintings.
    assert [engine for _, engine, _, _ in service.jobs] == ["magenta", "gatys"]
    assert first.slots is second.slots
    answer_machines(app, service)
    assert [kind for _, kind, _, _ in service.jobs].count("score") == 2
    answer_scores(app, service, [6.0, 6.0])
    party = app.stack.top.session.party
    assert [t.score for t in party.round_turns(0)] == [6.0, 6.0]
    pump(app, [keydown(pygame.K_RETURN)])
    podium = app.stack.top
    assert podium.name == "party_podium"
    standings = party.standings()
    assert [(s.rank, s.tied) for s in standings] == [(1, True), (1, True)]
    assert app.strings(party.winner_text()) == "Ada and Bruno share first place!"


def test_saving_a_party_writes_the_contact_sheet_and_leaderboard_rows(app):
    service = app.services.machines.service
    open_lobby(app, names=("Ada", "Bruno"), rounds=1)
    pump(app, [keydown(pygame.K_RETURN)])
    paint_turn(app)
    paint_turn(app)
    answer_machines(app, service)
    answer_scores(app, service, [7.5, 4.0])
    pump(app, [keydown(pygame.K_RETURN)])
    pump(app, [keydown(pygame.K_s)])
    podium = app.stack.top
    assert podium.saved, app.strings(podium.message)
    sheet = podium.session.saved_to
    assert sheet.parent == resolved_data_dir(app.config) / "parties" and sheet.stat().st_size
    assert pygame.image.load(str(sheet)).get_width() == 1600
    db = sqlite3.connect(resolved_data_dir(app.config) / "leaderboard.sqlite3")
    rows = db.execute("SELECT name, score, mode FROM scores ORDER BY score DESC").fetchall()
    assert rows == [("Ada", 7.5, "party"), ("Bruno", 4.0, "party")]
    pump(app, [keydown(pygame.K_s)])                    # a second press saves nothing more
    assert db.execute("SELECT COUNT(*) FROM scores").fetchone() == (2,)


def test_turns_rotate_and_random_pairs_each_run_once(app):
    service = app.services.machines.service
    open_lobby(app, names=("Ada", "Bruno", "Cleo"), rounds=2, mode="random")
    pump(app, [keydown(pygame.K_RETURN)])
    session = app.stack.top.session
    painters = []
    for _ in range(3):
        painters.append(app.stack.top.player.name)
        paint_turn(app)
    assert painters == ["Ada", "Bruno", "Cleo"]
    pairs = session.party.pairs_of_round(0)
    engines = [engine for _, engine, _, _ in service.jobs if engine != "score"]
    assert len(engines) == 2 * len(pairs)
    pump(app, [keydown(pygame.K_RETURN)])               # next round
    painters = []
    for _ in range(3):
        painters.append(app.stack.top.player.name)
        paint_turn(app)
    assert painters == ["Bruno", "Cleo", "Ada"]         # the first seat rotates
    assert app.stack.top.name == "party_reveal" and app.stack.top.round_index == 1


def test_host_picks_the_pair_before_the_round(app):
    open_lobby(app, rounds=1, mode="host")
    pump(app, [keydown(pygame.K_RETURN)])
    pick = app.stack.top
    assert pick.name == "party_host_pick"
    chosen = (pick.content.id, pick.style.id)
    pump(app, [keydown(pygame.K_RETURN)])
    assert app.stack.top.name == "party_pass"
    turn = app.stack.top.turn
    assert (turn.content_id, turn.style_id) == chosen


def test_host_pick_draws_its_first_pair_for_the_lobbys_round_type(app):
    """The lobby says artist rounds, Settings says single paintings: the lobby wins."""
    app.config.round.style_kind = "single"
    lobby = open_lobby(app, rounds=1, mode="host")
    lobby.settings.style_kind = "artist"
    pump(app, [keydown(pygame.K_RETURN)])
    pick = app.stack.top
    assert pick.name == "party_host_pick" and pick.style_kind() == "artist"
    assert pick.style.id in {artist.id for artist in app.services.catalogue.artists()}


def test_escape_twice_on_the_pass_screen_ends_the_party(app):
    service = app.services.machines.service
    lobby = open_lobby(app)
    pump(app, [keydown(pygame.K_RETURN)])
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top.name == "party_pass"           # one press only arms it
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top is lobby
    assert service.cancelled_rounds                     # the pair's jobs were stopped


def test_every_party_screen_speaks_romanian(app):
    service = app.services.machines.service
    app.set_language("ro")
    open_lobby(app, rounds=1, mode="host")
    seen = {"lobby": drawn_text(app)}
    pump(app, [keydown(pygame.K_RETURN)])
    seen["host_pick"] = drawn_text(app)
    pump(app, [keydown(pygame.K_RETURN)])
    seen["pass"] = drawn_text(app)
    paint_turn(app)
    paint_turn(app)
    seen["reveal_scoring"] = drawn_text(app)
    answer_machines(app, service)
    answer_scores(app, service, [5.0, 3.0])
    seen["reveal"] = drawn_text(app)
    pump(app, [keydown(pygame.K_RETURN)])
    seen["podium"] = drawn_text(app)
    pump(app, [keydown(pygame.K_s)])
    seen["podium_saved"] = drawn_text(app)
    assert {name: english_left(words) for name, words in seen.items()} == \
        {name: [] for name in seen}
    assert "Începe petrecerea" in seen["lobby"] and "Gazdă: alege perechea rundei" in \
        seen["host_pick"]
    assert "Dă mouse-ul lui Ada" in seen["pass"] and "Ada câștigă!" in seen["podium"]
    assert any(line.startswith("Salvat: 2 picturi") for line in seen["podium_saved"])


def test_saving_waits_for_the_scores_and_a_retry_repeats_nothing(app, monkeypatch):
    service = app.services.machines.service
    open_lobby(app, names=("Ada", "Bruno"), rounds=1)
    pump(app, [keydown(pygame.K_RETURN)])
    paint_turn(app)
    paint_turn(app)
    answer_machines(app, service)
    pump(app, [keydown(pygame.K_RETURN)])               # podium, scores still out
    podium = app.stack.top
    pump(app, [keydown(pygame.K_s)])
    assert not podium.saved and not podium.save_button.enabled
    answer_scores(app, service, [7.0, 5.0])
    assert podium.save_button.enabled
    board = app.services.leaderboard
    real_add, calls = board.add, []

    def add_then_fail(*args, **kwargs):                 # the disk fills after one row
        calls.append(args[0])
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(board, "add", add_then_fail)
    pump(app, [keydown(pygame.K_s)])
    assert not podium.saved and podium.message.key == "party.save_failed"
    pump(app, [keydown(pygame.K_s)])                    # space freed: try again
    assert podium.saved
    rows = board.top(10)
    assert sorted((r.name, r.score) for r in rows) == [("Ada", 7.0), ("Bruno", 5.0)]
    sheets = list((resolved_data_dir(app.config) / "parties").glob("*.png"))
    assert len(sheets) == 1


def test_leaving_an_unsaved_party_takes_two_presses(app):
    service = app.services.machines.service
    lobby = open_lobby(app, rounds=1)
    pump(app, [keydown(pygame.K_RETURN)])
    paint_turn(app)
    paint_turn(app)
    answer_machines(app, service)
    answer_scores(app, service, [6.0, 2.0])
    pump(app, [keydown(pygame.K_RETURN)])
    podium = app.stack.top
    pump(app, [keydown(pygame.K_a)])
    assert app.stack.top is podium and podium.message.key == "party.unsaved_leave"
    pump(app, [keydown(pygame.K_a)])
    assert app.stack.top is lobby


def test_host_pick_shows_the_party_clock_and_esc_once_keeps_the_party(app):
    lobby = open_lobby(app, rounds=1, mode="host")
    lobby.settings.seconds = 45
    pump(app, [keydown(pygame.K_RETURN)])
    pick = app.stack.top
    assert pick.round_seconds() == 45
    assert "45 seconds on the clock" in drawn_text(app)
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top is pick and pick.message.key == "party.leave_again"
    pump(app, [keydown(pygame.K_ESCAPE)])
    assert app.stack.top is lobby and [p.name for p in lobby.settings.players] == ["Ada", "Bruno"]


def test_an_unreadable_pair_is_explained_then_skipped(app, monkeypatch):
    from game.image_loader import ImageLoadError
    open_lobby(app, rounds=1)
    pump(app, [keydown(pygame.K_RETURN)])
    def unreadable(item):
        raise ImageLoadError("broken.png", "not an image")

    monkeypatch.setattr(app.services.images, "array", unreadable)
    pass_scene = app.stack.top
    pump(app, [keydown(pygame.K_RETURN)])
    assert app.stack.top is pass_scene and "broken.png" in pass_scene.error
    pump(app, [keydown(pygame.K_RETURN)])               # Ready again: the turn is skipped
    assert app.stack.top.name == "party_pass" and app.stack.top.player.name == "Bruno"
    turn = app.stack.top.session.party.round_turns(0)[0]
    assert turn.painting_ref.gave_up and turn.painting_ref.painting is None
    monkeypatch.undo()
    paint_turn(app)
    assert app.stack.top.name == "party_reveal"
    assert turn.scored and turn.score is None           # counts 0, shown as "no score"
