"""The game's side of the NST service: start a round's two jobs, route answers to its slots.

Plain logic over `game.nst.service.NSTService` (which never blocks and never imports
TensorFlow). The App calls `update()` once per step; scenes only read the round's slots.
Once the painting is in and both machines' answers are final, the round's ScoreJob goes out
(painting, and each machine's picture that exists) and its answer fills `round.scoring`.

Warm machines: the App calls `warm_up()` once the title's first frame is on screen, and the
workers are spawned then (in a background thread: spawning two processes costs the loop
tens of ms) and load their engines while the player is still on the title, so Magenta's
picture is out about as soon as Start is pressed. They stay up for the whole game: rounds,
the kiosk's attract screen and the party lobby all use the same workers; only a crash or
hang (the keeper restarts the worker, which loads its engine again at once), new model
files (models_setup closes them; they come back on the next frame) or the game's exit
ends one. A job submitted before the workers are ready waits for them (nothing is lost).
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from game.i18n import Msg, Text
from game.round import WAITING, EngineSlot, Round
from models.messages import ENGINES, WHERE_LOCAL, Failed, Progress, Result, ScoreResult

log = logging.getLogger(__name__)
# STYLE_DUEL_WARM_MACHINES=0 turns the launch-time start off: the workers then start on the
# setup screen (or when a party starts), as they did before, and a Start pressed right away
# waits for the engines to load (seconds). Why a switch: each worker holds its engine and
# TensorFlow in memory (hundreds of MB each) from launch rather than from the first round,
# which a machine short of memory may not want when the game is often opened only for the
# leaderboard, the gallery or the settings; a kiosk or a party wants them warm (the default).
WARM_ENV = "STYLE_DUEL_WARM_MACHINES"
WARM_UP_JOIN_S = 10.0     # close(): how long to wait for a spawn still under way
# The offline stand-ins describe themselves in English (models.standins); players read these.
STANDIN_LABELS = {"studio filter (offline)": "machines.label_studio",
                  "Gatys, untrained features (offline)": "machines.label_untrained"}


def display_label(label: str) -> Text:
    """A worker's engine label as players see it: stand-ins translated, model names kept."""
    key = STANDIN_LABELS.get(label)
    return Msg(key) if key else label


def failure(reason: str) -> Msg:
    """A worker's reason, in English and technical, inside a sentence in the player's language."""
    return Msg("machines.failed", reason=reason)


def apply_message(slot: EngineSlot, message) -> None:
    """Progress / Result / Failed -> the slot the player sees."""
    if isinstance(message, Progress):
        slot.status = "running"
        slot.progress = max(slot.progress, float(message.fraction))
        slot.iteration = message.iteration
        slot.seconds = message.elapsed_s
        if message.preview is not None:
            slot.image = message.preview
        slot.detail = (Msg("machines.refining", iteration=message.iteration)
                       if message.iteration else Msg("machines.working"))
    elif isinstance(message, Result):
        slot.status, slot.progress = "done", 1.0
        slot.image, slot.seconds = message.image, message.seconds
        slot.iteration = message.iterations
        # Gatys's reel for the duel replay (a cached Result brings its own, read back).
        slot.snapshots = list(message.snapshots)
        slot.label = display_label(message.label)
        # The worker writes its settings in English (model terms); the sentence around
        # them is the player's language.
        slot.settings_text = (Msg("machines.settings", text=message.settings_text)
                              if message.settings_text else "")
        slot.detail = took(message)
    elif isinstance(message, Failed):
        slot.status = "failed"
        slot.detail = failure(message.reason)


def took(message: Result) -> Msg:
    """How long it took and, with a render farm set up, where it was painted (Result.where:
    the farm's GPU or CPU, or this computer when the farm could not)."""
    key = "took_iterations" if message.iterations > 1 else "took"
    counts = {"seconds": message.seconds}
    if message.iterations > 1:
        counts["iterations"] = message.iterations
    if not message.where:
        return Msg(f"machines.{key}", **counts)
    where = (Msg("farm.where_local") if message.where == WHERE_LOCAL
             else Msg("farm.where_farm", device=message.where.removeprefix("farm ")))
    return Msg(f"farm.{key}", where=where, **counts)


def service_for(farm, cache_dir: Path | None):
    """The game's NST service: the local workers, or a render farm in front of them when
    the config's [farm] names one (game.nst.farm_backend). Imported on first use: a game
    without a farm never loads the farm's client."""
    from game.nst.farm_backend import backend_for
    from game.nst.service import NSTService

    return backend_for(farm, lambda: NSTService(cache_dir))


def warm_start_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the workers start at launch (see WARM_ENV); on unless set to 0/false/no/off."""
    return environ.get(WARM_ENV, "").strip().lower() not in ("0", "false", "no", "off")


class Machines:
    """Owns the NSTService for the whole game; rounds register their slots by job id."""

    def __init__(self, cache_dir: Path | None, service=None, *, warm: bool | None = None,
                 make_service: Callable[[], object] | None = None) -> None:
        """service: injected (tests); else made by make_service (default: an NSTService
        on cache_dir) on first use. warm: start the workers at launch (default: WARM_ENV)."""
        self._cache_dir = cache_dir
        self._service = service
        self._make_service = make_service or self._new_service
        self.warm = warm_start_enabled() if warm is None else warm
        self._keep_warm = False          # warm_up() was called: workers come back after close()
        self._starting: threading.Thread | None = None    # spawning the workers
        self._started = None             # the service it made, until the loop adopts it
        self._slots: dict[str, EngineSlot] = {}
        self._unscored: dict[str, Round] = {}     # round_id -> round waiting to be scored
        self._scoring: dict[str, Round] = {}      # score job id -> its round

    def _new_service(self):
        from game.nst.service import NSTService
        return NSTService(self._cache_dir)

    @property
    def service(self):
        if self._service is None:
            # A start still spawning is waited for (tens of ms, and only when a round comes
            # that soon after launch): a second service would mean a second pair of workers.
            self._adopt(wait=True)
        if self._service is None:
            self._service = self._make_service()
        return self._service

    def warm_up(self) -> None:
        """Launch (the App, once the title is on screen): start the workers now, in the
        background, so they are loaded by the time anyone presses Start; see WARM_ENV."""
        self._keep_warm = True
        if self.warm:
            self.start()

    def start(self) -> None:
        """Make sure the workers are up or on their way; returns at once (the setup screen
        and the party's start call it too, for when warm start is off).

        The first start spawns them from a background thread: the loop goes on drawing
        while two interpreters are forked and their queues and pumps set up. The service's
        import happens here, on the loop's thread, so no two threads import at once.
        """
        if self._service is not None:
            self._service.start()
            return
        if self._starting is not None:
            return
        import game.nst.service  # noqa: F401 - imported here, not in the thread
        self._starting = threading.Thread(target=self._start_in_background,
                                          name="nst-start", daemon=True)
        self._starting.start()

    def _start_in_background(self) -> None:
        service = None
        try:
            service = self._make_service()
            service.start()
        except Exception:                       # noqa: BLE001 - the next round tries again
            log.exception("the NST workers could not be started")
            if service is not None:
                service.shutdown(timeout=1.0)
            service = None
        self._started = service

    def _adopt(self, wait: bool) -> None:
        """Take over the service the background start made, once it has finished."""
        thread = self._starting
        if thread is None:
            return
        if thread.is_alive():
            if not wait:
                return
            thread.join(WARM_UP_JOIN_S)
            if thread.is_alive():
                log.warning("starting the NST workers took over %.0f s", WARM_UP_JOIN_S)
                return
        self._starting = None
        if self._started is None:
            self._keep_warm = False     # it failed (logged): the next round's start retries
        if self._service is None:
            self._service = self._started
        elif self._started is not None:
            self._started.shutdown(timeout=1.0)     # not reached: start() makes one at most
        self._started = None

    def start_round(self, round_: Round, content: np.ndarray,
                    style: np.ndarray | list[tuple[np.ndarray, float]], *,
                    score: bool = True) -> None:
        """Submit both engines' jobs for the round's pair; Gatys gets the round's time.

        style: one painting (H, W, 3) uint8, or [(painting, weight)] for an artist round
        (ImageCache.style_inputs): both machines paint in all of them.
        score=False: the round only carries the jobs (a party pair that several players
        paint); the players' rounds share its slots with `share_round` and are scored.
        """
        self.start()
        styles = style if isinstance(style, list) else [(style, 1.0)]
        for engine in ENGINES:
            slot = round_.slots[engine]
            job_id = self.service.submit(round_.round_id, engine, content, styles,
                                         budget_s=round_.seconds)
            slot.job_id, slot.status, slot.detail = job_id, "waiting", WAITING
            self._slots[job_id] = slot
        if score:
            self._unscored[round_.round_id] = round_

    def share_round(self, round_: Round, carrier: Round) -> None:
        """Another painting of the same pair: the carrier's jobs fill its slots too."""
        round_.slots = carrier.slots
        self._unscored[round_.round_id] = round_

    def abandon(self, round_: Round) -> None:
        """The player left the round: stop its jobs; late answers are dropped by id."""
        self._adopt(wait=False)
        if self._service is None:
            return
        self._unscored.pop(round_.round_id, None)
        for job_id in self.service.cancel_round(round_.round_id):
            self._slots.pop(job_id, None)
            self._scoring.pop(job_id, None)

    def release(self, round_: Round) -> None:
        """The player left but their painting is kept (kiosk gallery): stop the machines
        still working on it, so the next visitor's jobs do not queue behind them, and score
        it with the pictures that are done. A score already on its way is left alone."""
        self._adopt(wait=False)
        if self._service is None or round_.scoring.status == "scoring":
            return
        working = [job_id for job_id, slot in self._slots.items()
                   if any(slot is mine for mine in round_.slots.values())]
        if not working:
            return
        self.service.cancel_round(round_.round_id)
        for job_id in working:
            slot = self._slots.pop(job_id)
            slot.status, slot.detail = "failed", Msg("machines.stopped")

    def update(self) -> None:
        self._adopt(wait=False)
        if self._service is None:
            if self._keep_warm and self.warm and self._starting is None:
                self.start()            # closed for new model files: fresh workers, warm
            return
        labels = {engine: st.label for engine, st in self._service.status().items()}
        for slot in self._slots.values():
            # The worker says which engine it really runs (real model or offline stand-in).
            if labels.get(slot.engine) and slot.status != "done":
                slot.label = display_label(labels[slot.engine])
        for message in self.service.poll():
            if message.job_id in self._scoring:
                self._apply_score(self._scoring.pop(message.job_id), message)
                continue
            slot = self._slots.get(message.job_id)
            if slot is None:
                continue                      # a job nobody watches any more
            apply_message(slot, message)
            if not isinstance(message, Progress):
                del self._slots[message.job_id]
        for round_ in list(self._unscored.values()):
            self._maybe_score(round_)

    def _maybe_score(self, round_: Round) -> None:
        """Submit the round's ScoreJob once the painting is in and both machines are final."""
        if round_.phase != "finished":
            return
        if round_.gave_up or round_.painting is None:
            del self._unscored[round_.round_id]
            round_.scoring.status = "none"
            round_.scoring.detail = Msg("score.gave_up" if round_.gave_up
                                        else "score.no_painting")
            return
        slots = round_.slots.values()
        if any(slot.status not in ("done", "failed") for slot in slots):
            return                            # Gatys may still be refining on screen
        del self._unscored[round_.round_id]
        images = {slot.engine: slot.image for slot in slots
                  if slot.status == "done" and slot.image is not None}
        if not images:
            round_.score_failed(Msg("score.no_machine_picture"))
            return
        job_id = self.service.submit_score(round_.round_id,
                                           {"painting": round_.painting, **images})
        round_.scoring.job_id, round_.scoring.status = job_id, "scoring"
        self._scoring[job_id] = round_

    @staticmethod
    def _apply_score(round_: Round, message) -> None:
        if isinstance(message, ScoreResult):
            round_.set_scores(message.scores, message.label, message.parts, message.cost)
        elif isinstance(message, Failed):
            round_.score_failed(failure(message.reason))

    def status(self) -> dict:
        """engine -> WorkerStatus, or {} before the workers were started."""
        self._adopt(wait=False)
        return self._service.status() if self._service is not None else {}

    def close(self) -> None:
        """Stop the workers (the game's exit, or new model files; the only call that waits).

        A start still spawning finishes first, so no worker is left behind.
        """
        self._adopt(wait=True)
        if self._service is not None:
            self._service.shutdown()
            self._service = None
