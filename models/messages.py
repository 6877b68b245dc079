"""What the game and the NST worker processes say to each other: plain picklable dataclasses.

    game -> worker:  Job, ScoreJob, Cancel, Shutdown
    worker -> game:  Ready, Loading, Received, Heartbeat, Progress, Result, ScoreResult, Failed

Images are (H, W, 3) uint8 numpy arrays: a quarter of float32's bytes through the pipe,
and what both sides draw or save anyway. Every Job a worker takes gets exactly one
terminal answer, Result or Failed (a cancelled job gets Failed with CANCELLED), unless the
worker dies; the service relies on that to know when a worker is free again.

No TensorFlow, and not even numpy, is imported here: the game imports this module, and a
worker imports it before it has capped its math libraries' threads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np

EngineName = Literal["magenta", "gatys"]
ENGINES: tuple[str, ...] = ("magenta", "gatys")
# How each engine is named in a sentence a player reads ("The Gatys worker ...").
ENGINE_DISPLAY = {"magenta": "Magenta", "gatys": "Gatys"}

# Job.settings key that swaps the engine for a scripted behaviour (tests only, no TF):
# "echo", "slow", "hang", "crash", "killed", "raise". See models.engines.TestBehaviour.
TEST_BEHAVIOUR = "test_behaviour"
# Failed.reason of a job that stopped because it was cancelled (the service drops it).
CANCELLED = "Cancelled."
# The worker that also scores (its engine is idle by the time a painting is finished), and
# the engine name a ScoreJob's Failed answer carries.
SCORER_ENGINE = "magenta"
SCORE = "score"
# What a round compares: (picture, picture) by the names ScoreJob.images uses. The keys of
# ScoreResult.scores are "a~b".
SCORE_PAIRS: tuple[tuple[str, str], ...] = (("painting", "magenta"), ("painting", "gatys"),
                                           ("magenta", "gatys"))
# ScoreResult.cost: which part of the painting's verdict lost the most points. The game
# words each one (locale keys cost.<key>): the layout when the big shapes are missing
# altogether or are elsewhere; the colours; brushwork smoother or busier than the machines'.
COST_KEYS = ("layout_missing", "layout", "colour", "brush_smooth", "brush_busy")
PART_KEYS = ("layout", "colour", "brushwork")
# Result.where of a picture the local workers painted because the render farm could not.
WHERE_LOCAL = "this computer"
# A worker whose helper thread (inbox, heartbeat) died ends itself with this exit code
# (EX_SOFTWARE): a worker that beats but reads no jobs would freeze the round for ever.
THREAD_DIED_EXIT = 70
# The duel replay's reel of Gatys's picture forming: at most this many snapshots a Result
# carries (evenly spread over the run, first and last kept), each at most this long a side.
# 40 x 192 x 144 x 3 bytes is about 3.3 MB through the pipe, once per round.
MAX_SNAPSHOTS = 40
SNAPSHOT_SIDE = 192


# -- game -> worker ---------------------------------------------------------------------------

@dataclass
class Job:
    job_id: str                  # unique per service; every answer names it
    round_id: str                # the round that asked; leaving it cancels its jobs
    engine: str                  # "magenta" | "gatys": which worker runs it
    content: np.ndarray          # (H, W, 3) uint8 photo; results come back at this shape
    styles: list[tuple[np.ndarray, float]]  # (H, W, 3) uint8 paintings with weights >= 0
    strength: float = 1.0        # 0 keeps the photo's look, 1 is the full style
    budget_s: float = 35.0       # wall-clock seconds the engine may spend (Gatys: the round)
    # Engine overrides by field name (GatysSettings fields for Gatys, "seed" for the studio
    # filter) and, for tests, TEST_BEHAVIOUR. Plain JSON-like values: it is part of the
    # result cache key.
    settings: dict = field(default_factory=dict)


@dataclass
class ScoreJob:
    job_id: str                  # unique per service, like Job's
    round_id: str
    # "painting", "magenta", "gatys" -> (H, W, 3) uint8; a missing machine is left out
    images: dict[str, np.ndarray]
    pairs: tuple[tuple[str, str], ...] = SCORE_PAIRS


@dataclass
class Cancel:
    job_id: str                  # stop this job soon; its answer is then Failed(CANCELLED)


@dataclass
class Shutdown:
    """Finish (cancel) the current job, flush the answers, exit with code 0."""


# -- worker -> game ---------------------------------------------------------------------------

@dataclass
class Ready:
    worker_name: str             # e.g. "gatys-worker"
    # Which engine this worker really runs ("Magenta (TFLite int8)", "studio filter
    # (offline)", ...); None while it has not loaded one (no preload, test behaviours).
    engine_label: str | None


@dataclass
class Loading:
    """The worker's main thread starts (done=False) or ends (done=True) loading a model.

    Loading TensorFlow's libraries holds the GIL for seconds of CPU, so on a starved core the
    heartbeat thread can fall silent for a minute; while a load is under way the service
    judges silence by its start-up bound, not its heartbeat timeout."""
    worker_name: str
    done: bool = False


@dataclass
class Received:
    """The worker's inbox took the job off the queue (Job and ScoreJob alike).

    Sent by the inbox thread, so a main thread busy loading an engine does not delay it.
    The service's own bookkeeping, never delivered to the game: a job handed over that gets
    no Received within the service's bound means the worker no longer reads its inbox, and
    it is replaced."""
    job_id: str


@dataclass
class Heartbeat:
    worker_name: str
    time: float                  # the worker's time.time(); the service trusts its own clock


@dataclass
class Progress:
    job_id: str
    fraction: float              # 0..1 of the time budget spent; 0 when the job starts
    iteration: int               # optimiser iterations so far (0 for one-shot engines)
    elapsed_s: float             # seconds since the engine started on this job
    loss_parts: dict[str, float] = field(default_factory=dict)  # e.g. {"content": .., "style": ..}
    preview: np.ndarray | None = None  # (h, w, 3) uint8 picture so far, downscaled; or None


@dataclass
class Snapshot:
    """One picture of an optimisation under way, for the duel replay."""
    seconds: float               # engine seconds when it was taken (the replay's clock)
    iteration: int               # optimiser iterations by then
    image: np.ndarray            # (h, w, 3) uint8, long side <= SNAPSHOT_SIDE


@dataclass
class Result:
    job_id: str
    engine: str                  # "magenta" | "gatys": the slot it fills
    label: str                   # which engine really ran, for the player to read
    image: np.ndarray            # (H, W, 3) uint8, the content's shape
    seconds: float               # how long the engine worked on it
    iterations: int              # optimiser iterations (1 for one-shot engines)
    converged: bool              # stopped because it could not improve, not on time
    notes: list[str] = field(default_factory=list)  # what a curious player may want to know
    settings_text: str = ""      # one line: the settings that made this picture
    # Where it was painted, for the reveal: "" by this computer's workers (no farm set up),
    # "farm GPU" / "farm CPU" by a render farm (models.farm), "this computer" by the local
    # workers of a kiosk whose farm could not paint it (WHERE_LOCAL).
    where: str = ""
    # Gatys's picture forming, oldest first (<= MAX_SNAPSHOTS); empty for one-shot engines.
    snapshots: list[Snapshot] = field(default_factory=list)


@dataclass
class ScoreResult:
    job_id: str
    scores: dict[str, float]     # "painting~magenta" -> 0.0..10.0 (one decimal), per pair
    label: str                   # which score model ran ("encoder 1a2b3c4d")
    seconds: float               # how long scoring took in the worker
    # The painting's verdict, as the reveal shows it (empty when no painting was compared):
    # "layout", "colour", "brushwork" -> 0..10 (one decimal), the mean over the machine
    # pictures the painting was compared with (models.score_parts says what each means).
    parts: dict[str, float] = field(default_factory=dict)
    # The part that cost the most points, one of COST_KEYS ("" without a painting).
    cost: str = ""


@dataclass
class Failed:
    job_id: str
    engine: str
    reason: str                  # a sentence a player can read; CANCELLED for cancelled jobs


ToWorker = Job | ScoreJob | Cancel | Shutdown
FromWorker = Ready | Loading | Received | Heartbeat | Progress | Result | ScoreResult | Failed
