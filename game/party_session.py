"""A party in play: the rules (game.party) joined to the catalogue, the images and the NST
machines.

Each distinct pair gets one carrier Round that holds its two NST jobs; every player who
paints that pair gets a Round of their own that shares the carrier's slots, so the machines
run once per pair and each painting is still scored on its own. Scores are copied into the
Party as they land (`collect_scores`, called every frame by the party scenes).
"""
from __future__ import annotations

import logging
import random
from datetime import datetime

from game.image_loader import ImageLoadError
from game.party import Party, PartySettings, Turn
from game.round import Round

log = logging.getLogger(__name__)
FINAL_SCORE_STATES = ("done", "failed", "none")


class PartySession:
    def __init__(self, settings: PartySettings, services, rng: random.Random) -> None:
        self.services = services
        catalogue = services.catalogue

        def draw_pair(pick_rng: random.Random) -> tuple[str, str]:
            # The lobby's round type: a painting, an artist ('artist:<slug>') or either.
            content, style = catalogue.random_pair(pick_rng, settings.style_kind)
            return content.id, style.id

        self.party = Party(settings, draw_pair, rng)
        self.started_at = datetime.now().astimezone()
        self._carriers: dict[str, Round] = {}       # pair key -> the Round running its jobs
        # (round, player) -> the turn's stroke log, for the reveal's duel replay (a few
        # hundred KB a turn at most; a brought picture has none).
        self._stroke_logs: dict[tuple[int, int], list] = {}
        self.saved_to = None                        # the contact sheet, once saved

    @property
    def settings(self) -> PartySettings:
        return self.party.settings

    def player(self, index: int):
        return self.settings.players[index]

    def items(self, turn: Turn):
        catalogue = self.services.catalogue
        return catalogue.item(turn.content_id), catalogue.item(turn.style_id)

    def start_round_jobs(self, round_index: int) -> None:
        """Queue every pair of the round at its start, so results are in by the reveal."""
        for key, turns in self.party.pairs_of_round(round_index).items():
            if key in self._carriers:
                continue            # a pair drawn again in a later round: results are reused
            content, style = self.items(turns[0])
            carrier = Round(content, style, self.settings.seconds)
            images = self.services.images
            try:
                # An artist's paintings all go to the machines.
                pictures = images.array(content), images.style_inputs(style)
            except ImageLoadError as exc:
                log.error("party pair unreadable: %s", exc)
                continue            # the turn's own Round will show the error instead
            self.services.machines.start_round(carrier, *pictures, score=False)
            self._carriers[key] = carrier

    def round_for(self, turn: Turn) -> Round:
        """The player's own Round for this turn, sharing the pair's NST jobs."""
        content, style = self.items(turn)
        round_ = Round(content, style, self.settings.seconds)
        carrier = self._carriers.get(turn.pair_key)
        if carrier is None:
            self.start_round_jobs(turn.round_index)
            carrier = self._carriers.get(turn.pair_key)
        if carrier is not None:
            self.services.machines.share_round(round_, carrier)
        turn.painting_ref = round_
        return round_

    def keep_stroke_log(self, turn: Turn, stroke_log: list | None) -> None:
        """The turn's strokes, so the round's reveal can replay its duel."""
        if stroke_log:
            self._stroke_logs[(turn.round_index, turn.player_index)] = list(stroke_log)

    def stroke_log(self, turn: Turn) -> list:
        return self._stroke_logs.get((turn.round_index, turn.player_index), [])

    def carrier(self, pair_key: str) -> Round | None:
        return self._carriers.get(pair_key)

    def collect_scores(self) -> bool:
        """Copy landed scores into the party; True when anything changed."""
        changed = False
        for r in range(self.settings.rounds):
            if self.party.needs_pair(r):
                continue
            for turn in self.party.round_turns(r):
                round_ = turn.painting_ref
                if turn.scored or round_ is None:
                    continue
                if round_.scoring.status in FINAL_SCORE_STATES:
                    self.party.record_score(turn, round_.score)
                    changed = True
        return changed

    def played_turns(self) -> list[Turn]:
        turns = []
        for r in range(self.settings.rounds):
            if not self.party.needs_pair(r):
                turns += [t for t in self.party.round_turns(r) if t.painting_ref is not None]
        return turns

    def abandon(self) -> None:
        """The host left the party: stop every job still running for it."""
        machines = self.services.machines
        for round_ in list(self._carriers.values()):
            machines.abandon(round_)
        for turn in self.played_turns():
            machines.abandon(turn.painting_ref)
