"""Party mode rules: 2-8 players take turns at one computer, round after round.

Pure logic (no pygame, no models): the scenes ask a `Party` whose turn it is, which NST jobs
to run, and who is winning. Player-facing text comes back as `Msg` so it follows the language.
"""
from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from game.i18n import Msg

MIN_PLAYERS, MAX_PLAYERS = 2, 8
MIN_ROUNDS, MAX_ROUNDS = 1, 10
MIN_SECONDS, MAX_SECONDS = 30, 300
PODIUM_STEPS = 3
# A few redraws make a clash unlikely without looping forever on a tiny catalogue.
DISTINCT_PAIR_TRIES = 6

# Light, saturated colours that stay readable on the game's dark panels.
PARTY_COLOURS: tuple[tuple[int, int, int], ...] = (
    (255, 107, 107), (255, 196, 61), (92, 200, 255), (126, 222, 110),
    (214, 132, 255), (255, 150, 60), (64, 224, 208), (255, 138, 190),
)

PairMode = Literal["random", "host", "same"]
DrawPair = Callable[[random.Random], tuple[str, str]]
PairSource = DrawPair | Sequence[tuple[str, str]]  # a draw function or candidate pairs


@dataclass
class Player:
    name: str
    colour: tuple[int, int, int]


@dataclass
class PartySettings:
    players: list[Player] = field(default_factory=list)
    rounds: int = 3
    seconds: int = 90
    pair_mode: PairMode = "same"
    # What each round's style is (game.config.STYLE_KINDS): one painting, an artist, mixed.
    style_kind: str = "single"
    # The host may let players bring a picture made elsewhere instead of painting (off: a
    # party is about painting together; a host who has a drawer of sketches can allow it).
    allow_uploads: bool = False


@dataclass
class Turn:
    """One player's painting in one round, and its score once the scorer answers."""

    round_index: int
    player_index: int
    pair_key: str
    content_id: str
    style_id: str
    score: float | None = None
    scored: bool = False       # True once the score arrived or there will be none
    painting_ref: Any = None   # opaque to the rules: the game keeps its Round here


@dataclass(frozen=True)
class Standing:
    player_index: int
    name: str
    colour: tuple[int, int, int]
    total: float
    rank: int
    tied: bool


class PairNotChosen(RuntimeError):
    """Host mode: a round was reached before the host picked its pair."""


def pair_key(content_id: str, style_id: str) -> str:
    return f"{content_id}|{style_id}"


def check_settings(settings: PartySettings) -> list[Msg]:
    """Everything that stops the party starting; an empty list means it can start."""
    problems = _player_problems(settings.players)
    if not MIN_ROUNDS <= settings.rounds <= MAX_ROUNDS:
        problems.append(Msg("party_rules.rounds_out_of_range", min=MIN_ROUNDS, max=MAX_ROUNDS))
    if not MIN_SECONDS <= settings.seconds <= MAX_SECONDS:
        problems.append(Msg("party_rules.seconds_out_of_range",
                            min=MIN_SECONDS, max=MAX_SECONDS))
    if settings.pair_mode not in get_args(PairMode):
        problems.append(Msg("party_rules.bad_pair_mode", mode=str(settings.pair_mode)))
    return problems


def _player_problems(players: Sequence[Player]) -> list[Msg]:
    problems: list[Msg] = []
    if len(players) < MIN_PLAYERS:
        problems.append(Msg("party_rules.too_few_players", min=MIN_PLAYERS))
    if len(players) > MAX_PLAYERS:
        problems.append(Msg("party_rules.too_many_players", max=MAX_PLAYERS))
    seen: dict[str, int] = {}
    for number, player in enumerate(players, 1):
        name = player.name.strip()
        if not name:
            problems.append(Msg("party_rules.empty_name", number=number))
            continue
        # casefold: "ADA" and "ada" look like the same person on a scoreboard
        folded = name.casefold()
        seen[folded] = seen.get(folded, 0) + 1
        if seen[folded] == 2:  # one message per clash, however many share the name
            problems.append(Msg("party_rules.duplicate_name", name=name))
    return problems


class Party:
    """Turn order, round pairs and scores of one party, from the lobby to the podium."""

    def __init__(self, settings: PartySettings, draw_pair: PairSource | None = None,
                 rng: random.Random | None = None) -> None:
        problems = check_settings(settings)
        if problems:
            raise ValueError(f"party cannot start: {[m.key for m in problems]}")
        if not draw_pair and settings.pair_mode != "host":
            raise ValueError(f"pair mode {settings.pair_mode!r} needs pairs to draw from")
        self.settings = settings
        self._rng = rng or random.Random()
        self._source = draw_pair
        self._count = len(settings.players)
        self._position = 0
        # Host rounds appear as the host picks them; the others are drawn now, in order,
        # so a seeded rng gives the same party every time.
        self._rounds: dict[int, list[Turn]] = {}
        if settings.pair_mode != "host":
            for r in range(settings.rounds):
                self._rounds[r] = self._build_round(r, self._drawn_pairs())

    def _drawn_pairs(self) -> list[tuple[str, str]]:
        if self.settings.pair_mode == "same":
            return [self._draw_one([])] * self._count
        pairs: list[tuple[str, str]] = []
        for _ in range(self._count):
            pairs.append(self._draw_one(pairs))  # a repeat is allowed: those players share jobs
        return pairs

    def _draw_one(self, avoid: list[tuple[str, str]]) -> tuple[str, str]:
        """One pair, not in avoid where the source allows."""
        source = self._source
        assert source is not None  # host mode never draws; __init__ checked the others
        if not callable(source):
            fresh = [pair for pair in source if _as_pair(pair) not in avoid]
            return _as_pair(self._rng.choice(fresh or source))
        pair = _as_pair(source(self._rng))
        # A draw function can't be asked what is left, so redraw a few times instead.
        for _ in range(DISTINCT_PAIR_TRIES):
            if pair not in avoid:
                break
            pair = _as_pair(source(self._rng))
        return pair

    def _build_round(self, r: int, pairs: list[tuple[str, str]]) -> list[Turn]:
        return [Turn(r, player, pair_key(*pairs[slot]), *pairs[slot])
                for slot, player in enumerate(self._order(r))]

    def _order(self, r: int) -> list[int]:
        # The first seat rotates so nobody always paints first (or last, under most pressure).
        return [(r + k) % self._count for k in range(self._count)]

    def needs_pair(self, round_index: int) -> bool:
        """True while a host-mode round is still waiting for the host's pick."""
        return round_index not in self._rounds

    def set_round_pair(self, round_index: int, content_id: str, style_id: str) -> None:
        """Host mode: everyone paints this pair in that round; call before the round starts."""
        if self.settings.pair_mode != "host":
            raise ValueError("only host mode takes a chosen pair")
        if not 0 <= round_index < self.settings.rounds:
            raise IndexError(f"no round {round_index} in a {self.settings.rounds}-round party")
        if self._position > round_index * self._count:
            raise ValueError(f"round {round_index} has already started")
        pairs = [(content_id, style_id)] * self._count
        self._rounds[round_index] = self._build_round(round_index, pairs)

    def pairs_of_round(self, r: int) -> dict[str, list[Turn]]:
        """Each distinct pair in round r with the turns that paint it: one NST job each."""
        groups: dict[str, list[Turn]] = {}
        for turn in self.round_turns(r):
            groups.setdefault(turn.pair_key, []).append(turn)
        return groups

    @property
    def total_turns(self) -> int:
        return self.settings.rounds * self._count

    @property
    def is_over(self) -> bool:
        return self._position >= self.total_turns

    @property
    def round_index(self) -> int:
        """The round being played (equals settings.rounds once the party is over)."""
        return self._position // self._count

    @property
    def is_last_turn_of_round(self) -> bool:
        return not self.is_over and self._position % self._count == self._count - 1

    @property
    def current_turn(self) -> Turn | None:
        if self.is_over:
            return None
        return self.round_turns(self.round_index)[self._position % self._count]

    @property
    def next_player(self) -> int | None:
        """Who to pass the mouse to after this turn; None after the very last turn."""
        following = self._position + 1
        if following >= self.total_turns:
            return None
        return self._order(following // self._count)[following % self._count]

    def advance(self) -> Turn | None:
        """Move to the next turn and return it, or None once every turn has been played."""
        following = self._position + 1
        if following < self.total_turns and self.needs_pair(following // self._count):
            raise PairNotChosen(f"pick round {following // self._count}'s pair first")
        self._position = min(following, self.total_turns)
        return self.current_turn

    def round_turns(self, r: int) -> list[Turn]:
        if self.needs_pair(r):
            raise PairNotChosen(f"round {r} has no pair yet: call set_round_pair first")
        return self._rounds[r]

    def turns_of(self, player_index: int) -> list[Turn]:
        """That player's turns in the rounds that have a pair, in round order."""
        return [t for r in sorted(self._rounds) for t in self._rounds[r]
                if t.player_index == player_index]

    def _played_turns(self) -> list[Turn]:
        return [self._rounds[i // self._count][i % self._count] for i in range(self._position)]

    def record_score(self, turn: Turn, score: float | None) -> None:
        """Store a turn's score; None means there will be none (counts 0, stays flagged)."""
        own = self._rounds.get(turn.round_index, [])
        if not any(t is turn for t in own):
            raise ValueError("that turn does not belong to this party")
        if score is not None and not math.isfinite(score):
            raise ValueError(f"score must be a finite number, not {score!r}")
        turn.score = score
        turn.scored = True

    def unscored_turns(self) -> list[Turn]:
        """Turns already painted whose score has not arrived yet."""
        return [t for t in self._played_turns() if not t.scored]

    def round_scores(self, r: int) -> list[float | None]:
        """Each player's score in round r, by lobby order (None: no score or not yet)."""
        return [t.score for t in self._seats(r)]

    def _seats(self, r: int) -> list[Turn]:
        return sorted(self.round_turns(r), key=lambda t: t.player_index)

    def totals(self) -> list[float]:
        return [round(sum(t.score or 0.0 for t in self.turns_of(p)), 1)
                for p in range(self._count)]

    def standings(self) -> list[Standing]:
        """Best first; equal totals share a rank and the next rank skips ("1224")."""
        totals = self.totals()  # already at one decimal, as players see them
        order = sorted(range(self._count), key=lambda p: (-totals[p], p))
        return [self._standing(p, totals) for p in order]

    def _standing(self, p: int, totals: list[float]) -> Standing:
        player = self.settings.players[p]
        rank = 1 + sum(1 for t in totals if t > totals[p])
        return Standing(p, player.name.strip(), player.colour, totals[p], rank,
                        tied=totals.count(totals[p]) > 1)

    def podium(self) -> list[list[Standing]]:
        steps: dict[int, list[Standing]] = {}
        for standing in self.standings():
            if standing.rank <= PODIUM_STEPS:
                steps.setdefault(standing.rank, []).append(standing)
        return list(steps.values())

    def winner_text(self) -> Msg:
        names = [s.name for s in self.podium()[0]]
        if len(names) == 1:
            return Msg("party_rules.winner_one", name=names[0])
        # Commas are the same in every catalogue; only the final "and" is translated.
        return Msg("party_rules.winner_tie", names=", ".join(names[:-1]), last=names[-1])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary for saving the party's results."""
        standings = {s.player_index: s for s in self.standings()}
        return {
            "rounds": self.settings.rounds, "seconds": self.settings.seconds,
            "pair_mode": self.settings.pair_mode, "style_kind": self.settings.style_kind,
            "allow_uploads": self.settings.allow_uploads,
            "players": [{"name": p.name.strip(), "colour": list(p.colour),
                         "total": standings[i].total, "rank": standings[i].rank,
                         "tied": standings[i].tied}
                        for i, p in enumerate(self.settings.players)],
            "round_scores": [self.round_scores(r) for r in sorted(self._rounds)],
            "pairs": [[t.pair_key for t in self._seats(r)] for r in sorted(self._rounds)],
        }


def _as_pair(pair: Sequence[str]) -> tuple[str, str]:
    content_id, style_id = pair  # a list (e.g. read from JSON) unpacks as well
    return str(content_id), str(style_id)
