"""Party mode rules: lobby checks, turn order, pair modes, scores, ranks and the podium."""
from __future__ import annotations

import itertools
import json
import random

import pytest

from game.i18n import Strings, load_language, placeholders
from game.party import (MAX_PLAYERS, PARTY_COLOURS, Party, PairNotChosen, PartySettings,
                        Player, check_settings)

NAMES = ("Ada", "Bruegel", "Cassatt", "Dürer", "Escher", "Frida", "Goya", "Hokusai", "Ingres")


def players(count: int) -> list[Player]:
    return [Player(NAMES[i], PARTY_COLOURS[i % len(PARTY_COLOURS)]) for i in range(count)]


def counter_draw():
    """A draw that never repeats, so every call's pair is recognisable."""
    numbers = itertools.count()

    def draw(rng: random.Random) -> tuple[str, str]:
        n = next(numbers)
        return f"photo{n}", f"style{n}"
    return draw


def random_choice(candidates):
    """A draw function like the game's: it knows nothing of earlier draws."""
    return lambda rng: rng.choice(candidates)


def make_party(count=3, rounds=2, mode="same", draw=None, seed=1) -> Party:
    settings = PartySettings(players(count), rounds=rounds, seconds=60, pair_mode=mode)
    return Party(settings, draw if draw is not None else counter_draw(), random.Random(seed))


def scored_party(*totals: float) -> Party:
    """A one-round party whose players end with exactly these totals."""
    party = make_party(count=len(totals), rounds=1)
    for turn in party.round_turns(0):
        party.record_score(turn, totals[turn.player_index])
    return party


# -- settings ---------------------------------------------------------------------------

def keys(settings: PartySettings) -> list[str]:
    return [msg.key for msg in check_settings(settings)]


def test_good_settings_have_no_problems():
    assert check_settings(PartySettings(players(2))) == []
    assert check_settings(PartySettings(players(MAX_PLAYERS), 10, 300, "random")) == []


@pytest.mark.parametrize("settings, key", [
    (PartySettings(players(1)), "party_rules.too_few_players"),
    (PartySettings(players(9)), "party_rules.too_many_players"),
    (PartySettings(players(2), rounds=0), "party_rules.rounds_out_of_range"),
    (PartySettings(players(2), rounds=11), "party_rules.rounds_out_of_range"),
    (PartySettings(players(2), seconds=29), "party_rules.seconds_out_of_range"),
    (PartySettings(players(2), seconds=301), "party_rules.seconds_out_of_range"),
    (PartySettings(players(2), pair_mode="chaos"), "party_rules.bad_pair_mode"),
    (PartySettings([Player("Ada", (1, 2, 3)), Player("  ", (4, 5, 6))]),
     "party_rules.empty_name"),
    (PartySettings([Player("Ada", (1, 2, 3)), Player(" ada ", (4, 5, 6))]),
     "party_rules.duplicate_name"),
])
def test_each_problem_has_its_message(settings, key):
    assert keys(settings) == [key]


def test_problem_messages_carry_what_the_player_must_fix():
    empty = check_settings(PartySettings([Player("Ada", (1, 2, 3)), Player("", (1, 2, 3))]))
    assert empty[0].params == {"number": 2}
    rounds = check_settings(PartySettings(players(2), rounds=99))
    assert rounds[0].params == {"min": 1, "max": 10}


def test_a_name_shared_by_three_is_reported_once():
    trio = [Player(n, (9, 9, 9)) for n in ("Goya", "GOYA", "goya ")]
    assert keys(PartySettings(trio)) == ["party_rules.duplicate_name"]


def test_party_refuses_bad_settings_and_missing_pairs():
    with pytest.raises(ValueError):
        Party(PartySettings(players(1)), counter_draw())
    with pytest.raises(ValueError):
        Party(PartySettings(players(2), pair_mode="random"))
    with pytest.raises(ValueError):
        Party(PartySettings(players(2)), [])


def test_party_colours_are_eight_distinct_light_colours():
    assert isinstance(PARTY_COLOURS, tuple) and len(set(PARTY_COLOURS)) == 8
    for r, g, b in PARTY_COLOURS:
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b > 110  # readable on a dark panel


# -- turn order -------------------------------------------------------------------------

def test_three_players_two_rounds_play_in_rotating_order():
    party = make_party(count=3, rounds=2)
    seen, passes, last_of_round = [], [], []
    turn = party.current_turn
    while turn is not None:
        assert party.round_index == turn.round_index
        seen.append((turn.round_index, turn.player_index))
        passes.append(party.next_player)
        last_of_round.append(party.is_last_turn_of_round)
        turn = party.advance()
    assert seen == [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (1, 0)]
    assert passes == [1, 2, 1, 2, 0, None]
    assert last_of_round == [False, False, True, False, False, True]
    assert party.is_over and party.current_turn is None and party.advance() is None


def test_round_turns_and_turns_of_follow_the_rotation():
    party = make_party(count=3, rounds=3)
    assert [t.player_index for t in party.round_turns(2)] == [2, 0, 1]
    assert [t.round_index for t in party.turns_of(1)] == [0, 1, 2]
    assert all(t.player_index == 1 for t in party.turns_of(1))


# -- pair modes -------------------------------------------------------------------------

def test_same_mode_gives_everyone_one_pair_per_round():
    party = make_party(count=4, rounds=3, mode="same")
    per_round = [{t.pair_key for t in party.round_turns(r)} for r in range(3)]
    assert all(len(keys_) == 1 for keys_ in per_round)
    assert len(set.union(*per_round)) == 3  # a fresh draw each round
    turn = party.round_turns(0)[0]
    assert turn.pair_key == f"{turn.content_id}|{turn.style_id}"


def test_random_mode_avoids_repeats_when_the_catalogue_allows():
    candidates = [("photoA", "style1"), ("photoB", "style2"), ("photoC", "style3"),
                  ("photoD", "style4"), ("photoE", "style5")]
    for seed in range(20):
        party = make_party(count=5, rounds=2, mode="random", draw=candidates, seed=seed)
        for r in range(2):
            assert len(party.pairs_of_round(r)) == 5


def test_random_mode_redraws_from_a_draw_function():
    candidates = [(f"photo{i}", f"style{i}") for i in range(20)]
    for seed in range(20):
        party = make_party(count=8, mode="random", draw=random_choice(candidates), seed=seed)
        assert len(party.pairs_of_round(0)) == 8


def test_random_mode_is_repeatable_with_a_seed():
    candidates = [(f"p{i}", f"s{i}") for i in range(10)]
    first, again = (make_party(mode="random", draw=candidates, seed=7) for _ in range(2))
    assert [t.pair_key for t in first.turns_of(0)] == [t.pair_key for t in again.turns_of(0)]


def test_random_mode_shares_a_pair_when_there_is_only_one():
    party = make_party(count=3, rounds=1, mode="random", draw=[("photo", "style")])
    groups = party.pairs_of_round(0)
    assert list(groups) == ["photo|style"]
    assert [t.player_index for t in groups["photo|style"]] == [0, 1, 2]


def test_host_mode_waits_for_the_hosts_pick():
    party = Party(PartySettings(players(2), rounds=2, pair_mode="host"))
    assert party.needs_pair(0)
    with pytest.raises(PairNotChosen):
        party.current_turn
    party.set_round_pair(0, "harbour", "starry")
    assert party.current_turn.pair_key == "harbour|starry"
    assert party.advance().pair_key == "harbour|starry"
    with pytest.raises(PairNotChosen):
        party.advance()  # round 1 has no pair yet
    assert party.round_index == 0  # a refused advance does not move
    party.set_round_pair(1, "market", "waves")
    assert [t.pair_key for t in (party.advance(), party.advance())] == ["market|waves"] * 2
    with pytest.raises(ValueError):
        party.set_round_pair(0, "late", "change")  # round 0 is over


def test_only_host_mode_takes_a_chosen_pair():
    with pytest.raises(ValueError):
        make_party(mode="same").set_round_pair(0, "photo", "style")


def test_pairs_of_round_groups_turns_that_share_a_job():
    # Only two pairs exist, so the third player must share one after the redraws give up.
    draws = itertools.cycle([("a", "x"), ("b", "y")])
    party = make_party(count=3, rounds=1, mode="random", draw=lambda rng: next(draws))
    groups = party.pairs_of_round(0)
    assert {k: [t.player_index for t in v] for k, v in groups.items()} == {
        "a|x": [0, 2], "b|y": [1]}


# -- scores and standings ---------------------------------------------------------------

def test_totals_count_no_score_as_zero_but_flag_it():
    party = make_party(count=2, rounds=2)
    first, second = party.round_turns(0)
    party.record_score(first, 7.25)
    party.record_score(second, None)
    later = party.round_turns(1)
    party.record_score(later[0], 2.1)  # player 1 starts round 1
    assert party.totals() == [7.2, 2.1]
    assert party.round_scores(0) == [7.25, None]
    assert second.scored and second.score is None


def test_unscored_turns_lists_painted_turns_still_waiting():
    party = make_party(count=2, rounds=1)
    first = party.current_turn
    assert party.unscored_turns() == []  # nothing painted yet
    second = party.advance()
    assert party.unscored_turns() == [first]
    party.record_score(first, 5.0)
    party.advance()
    assert party.unscored_turns() == [second]


def test_record_score_refuses_foreign_turns_and_nan():
    party, other = make_party(), make_party()
    with pytest.raises(ValueError):
        party.record_score(other.current_turn, 3.0)
    with pytest.raises(ValueError):
        party.record_score(party.current_turn, float("nan"))


def test_competition_ranking_shares_ranks_and_skips():
    standings = scored_party(7, 9, 5, 7).standings()
    assert [s.name for s in standings] == ["Bruegel", "Ada", "Dürer", "Cassatt"]
    assert [s.rank for s in standings] == [1, 2, 2, 4]
    assert [s.tied for s in standings] == [False, True, True, False]


def test_totals_tie_as_players_see_them_at_one_decimal():
    standings = scored_party(7.04, 6.96).standings()
    assert [s.total for s in standings] == [7.0, 7.0]
    assert [s.rank for s in standings] == [1, 1]


def test_podium_when_everyone_ties():
    podium = scored_party(4, 4, 4).podium()
    assert [[s.player_index for s in step] for step in podium] == [[0, 1, 2]]


def test_podium_when_two_tie_first():
    podium = scored_party(3, 8, 8, 1).podium()
    assert [[s.rank for s in step] for step in podium] == [[1, 1], [3]]
    assert [s.name for s in podium[0]] == ["Bruegel", "Cassatt"]


def test_podium_leaves_out_ranks_below_third():
    podium = scored_party(9, 7, 7, 5).podium()
    assert [[s.rank for s in step] for step in podium] == [[1], [2, 2]]


def test_winner_text_for_one_winner_and_for_ties():
    assert scored_party(2, 9, 1).winner_text().key == "party_rules.winner_one"
    assert dict(scored_party(2, 9, 1).winner_text().params) == {"name": "Bruegel"}
    text = Strings("en")
    assert text(scored_party(2, 9, 1).winner_text()) == "Bruegel wins!"
    assert text(scored_party(9, 9).winner_text()) == "Ada and Bruegel share first place!"
    three = scored_party(6, 6, 1, 6).winner_text()
    assert text(three) == "Ada, Bruegel and Dürer share first place!"
    text.use("ro")
    assert text(three) == "Ada, Bruegel și Dürer împart locul întâi!"


def test_to_dict_is_json_friendly_and_complete():
    party = scored_party(3.5, 8)
    summary = json.loads(json.dumps(party.to_dict()))
    assert summary["players"][1] == {"name": "Bruegel", "colour": list(PARTY_COLOURS[1]),
                                     "total": 8.0, "rank": 1, "tied": False}
    assert summary["round_scores"] == [[3.5, 8]]
    assert summary["pair_mode"] == "same" and len(summary["pairs"][0]) == 2


# -- locale -----------------------------------------------------------------------------

def party_strings(language: str) -> dict[str, str]:
    return {k: v for k, v in load_language(language).items() if k.startswith("party_rules.")}


def test_english_and_romanian_have_the_same_keys_and_placeholders():
    english, romanian = party_strings("en"), party_strings("ro")
    assert english and set(english) == set(romanian)
    for key, template in english.items():
        assert placeholders(template) == placeholders(romanian[key]), key


def test_romanian_uses_comma_below_letters():
    text = "".join(party_strings("ro").values())
    assert "ș" in text and "ț" in text
    assert not set("şţŞŢ") & set(text)


def test_every_message_the_rules_make_is_in_the_catalogue():
    made = [msg for s in (PartySettings(players(1), 0, 0, "x"), PartySettings(players(9)),
                          PartySettings([Player("", (0, 0, 0))] + players(2) * 2))
            for msg in check_settings(s)]
    made += [scored_party(1, 2).winner_text(), scored_party(2, 2).winner_text()]
    english = party_strings("en")
    for msg in made:
        assert msg.key in english
        assert placeholders(english[msg.key]) == set(msg.params), msg.key
