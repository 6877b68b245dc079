"""The demo bot hosts a party: `python main.py demo --party 3 --rounds 2 --screenshots DIR`.

Bots join in the lobby by typing their names, paint their turns with the solo bot's plan,
wait in each round's reveal for the machines and the scores (the first reveal replays the
first player's duel), then save the party from the podium. From the second round on the
game runs in Romanian (the language switches without a restart), so the screenshots show
every party screen in both languages.
"""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pygame

from game.demo import BOT_NAMES, REVEAL_WAIT_S, DemoDirector, post

SECOND_LANGUAGE = "ro"


@dataclass
class PartyDemoDirector(DemoDirector):
    players: int = 3
    turn_index: int = 0
    painter: int = 0            # the lobby index of the bot painting now
    finished: bool = False
    language_switched: bool = False
    report: Path | None = None  # bench/party_soak.py reads what the party reached here
    save_duel: bool = False     # the first reveal replays Ada's duel, without saving it

    def shot(self, app, name: str) -> None:
        if self.screenshots is None:
            return
        language = app.strings.language
        path = self.screenshots / f"party_{len(self.shots) + 1:02d}_{language}_{name}.png"
        self.shots.append(path)
        app.screenshot_requests.append(path)

    def on_title(self, app, scene) -> None:
        if self.finished:
            if self.once("quit", 0.3):
                app.quit()
            return
        if self.once("shot", 0.6):
            self.shot(app, "title")
        if self.once("party", 0.9):
            self.press(pygame.K_y)

    def on_lobby(self, app, scene) -> None:
        for i in range(self.players):
            if self.once(f"name{i}", 0.2 + 0.2 * i):
                post(pygame.TEXTINPUT, text=f"{BOT_NAMES[i % len(BOT_NAMES)]}")
                self.press(pygame.K_RETURN)
        after_names = 0.3 + 0.2 * self.players
        if self.once("rounds", after_names):
            # Rounds is the first setting row: step it from its default to the demo's count.
            steps = self.rounds - scene.settings.rounds
            for _ in range(abs(steps)):
                self.press(pygame.K_RIGHT if steps > 0 else pygame.K_LEFT)
        if self.once("shot", after_names + 0.3):
            self.shot(app, "lobby")
        if self.once("start", after_names + 0.6):
            self.press(pygame.K_RETURN)

    def on_party_pass(self, app, scene) -> None:
        if scene.turn.round_index >= 1 and not self.language_switched:
            # The host switches language between rounds; every screen follows at once.
            app.set_language(SECOND_LANGUAGE)
            self.language_switched = True
        if self.once("shot", 0.5) and scene.turn.player_index in (0, 1):
            self.shot(app, f"pass_r{scene.turn.round_index + 1}")
        if self.once("ready", 0.8):
            self.round_index = self.turn_index      # seeds a different plan each turn
            self.painter = scene.turn.player_index
            self.turn_index += 1
            self.press(pygame.K_RETURN)

    def on_paint(self, app, scene) -> None:
        # The solo bot paints; the reference/pause screenshots only in the very first turn.
        super().on_paint(app, scene)
        # Bots differ in patience (later seats stop sooner, with fewer strokes), so the
        # podium shows places, not one big tie.
        patience = max(0.4, 1.0 - 0.25 * self.painter)
        if patience < 1.0 and scene.round.elapsed >= scene.round.seconds * patience \
                and self.once("finish_early", 0):
            self._release_mouse()
            self.press(pygame.K_f)

    def on_party_reveal(self, app, scene) -> None:
        if self.once("arrive", 0.0):
            self.reveal_deadline = time.monotonic() + REVEAL_WAIT_S
        pending = any(not t.scored for t in scene.turns)
        if pending and self.once("shot_waiting", 1.0):
            self.shot(app, f"round{scene.round_index + 1}_reveal_scoring")
        if (not pending or time.monotonic() > self.reveal_deadline) and self.once("shot", 0.5):
            self.shot(app, f"round{scene.round_index + 1}_reveal")
            self.signed_at = self.time_in_scene + 0.3
        if "shot" not in self.done_steps or self.time_in_scene < self.signed_at:
            return
        if scene.round_index == 0 and not self.replayed and scene.replayable():
            if self.once("replay", 0):
                self.press(pygame.K_1)          # the first player's duel; Esc comes back
        elif self.once("next", 0.2):
            self.press(pygame.K_RETURN)

    def on_party_podium(self, app, scene) -> None:
        if self.once("arrive", 0.0):
            self.reveal_deadline = time.monotonic() + REVEAL_WAIT_S
        pending = scene.session.party.unscored_turns()
        ready = not pending or time.monotonic() > self.reveal_deadline
        if ready and self.once("shot", 0.8):
            self.shot(app, "podium")
        if "shot" in self.done_steps and self.once("save", 0):
            self.press(pygame.K_s)
            self.signed_at = self.time_in_scene + 0.5       # the save lands, then the shot
        if "save" in self.done_steps and self.time_in_scene >= self.signed_at \
                and self.once("shot_saved", 0):
            self.shot(app, "podium_saved")
            saved = scene.session.saved_to
            if self.report is not None:
                write_report(self.report, scene.session)
            if saved is not None and self.screenshots is not None:
                # The contact sheet sits in the throw-away data folder; keep a copy to look at.
                self.screenshots.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(saved, self.screenshots / "party_contact_sheet.png")
        if "shot_saved" in self.done_steps and self.time_in_scene >= self.signed_at + 0.3 \
                and self.once("leave", 0):
            self.finished = True
            self.press(pygame.K_ESCAPE)


def party_outcome(session) -> dict:
    """What a host would check at the podium: every pair's two pictures, every score."""
    pairs = {}
    for turn in session.played_turns():
        carrier = session.carrier(turn.pair_key)
        if carrier is not None:
            pairs[turn.pair_key] = {engine: slot.status
                                    for engine, slot in carrier.slots.items()}
    turns = [{"round": turn.round_index, "player": turn.player_index,
              "scoring": turn.painting_ref.scoring.status, "score": turn.painting_ref.score}
             for turn in session.played_turns()]
    complete = (bool(pairs) and all(status == "done" for pair in pairs.values()
                                    for status in pair.values())
                and all(turn["scoring"] == "done" for turn in turns))
    return {"podium": True, "saved": session.saved_to is not None, "pairs": pairs,
            "turns": turns, "complete": complete}


def write_report(path: Path, session) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(party_outcome(session), indent=1), encoding="utf-8")
