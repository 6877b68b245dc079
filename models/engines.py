"""Which engine a worker runs, chosen once from what is installed, behind one `run` call.

    magenta: Magenta TFLite (fp16, then int8 transfer) > Magenta TF Hub > studio filter
    gatys:   Gatys on real VGG-19 weights (the file with the most blocks) > untrained features

The model cache is `models.cache.ModelCache` (its folder: the worker's `models_dir`, else
$STYLE_DUEL_MODELS, else the per-user cache). Every fallback says why in the result's notes,
and every result's label says which engine really ran. A Job whose settings carry
TEST_BEHAVIOUR runs a scripted behaviour instead (tests: crash, hang, ... without TF).

Imported only inside worker processes. TensorFlow and LiteRT load inside the functions that
need them, after the worker has capped its threads.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from models.cache import ModelCache
from models.messages import MAX_SNAPSHOTS, SNAPSHOT_SIDE, TEST_BEHAVIOUR, Job, Progress, Snapshot
from models.reel import SnapshotReel

log = logging.getLogger(__name__)

# Catalogue entries the Magenta slot tries, best first, and the label each one shows.
# The fp16 transfer model is both faster on CPU (about 180 ms against 260 ms at 384 px) and
# closer to the float original than int8; both use the int8 style prediction model.
MAGENTA_CHOICES = (("magenta-tflite-fp16", "Magenta (TFLite fp16)"),
                   ("magenta-tflite-int8", "Magenta (TFLite int8)"),
                   ("magenta-hub", "Magenta (TF Hub)"))
# Progress previews are downscaled to this long side: enough for a slot, light on the pipe.
PREVIEW_SIDE = 256
# Gatys settings a Job may not override: the round's budget and the worker's thread cap
# are the worker's to set.
GATYS_FIXED = ("seconds", "threads")

Report = Callable[[Progress], None]
ShouldStop = Callable[[], bool]


@dataclass
class EngineOutput:
    image: np.ndarray            # (H, W, 3) uint8, the content's shape
    label: str                   # which engine really ran
    iterations: int = 1
    converged: bool = False
    notes: list[str] = field(default_factory=list)
    settings_text: str = ""
    snapshots: list[Snapshot] = field(default_factory=list)   # Gatys's reel, oldest first


def fit_to(image: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """(h, w, 3) uint8 -> (H, W, 3) uint8 with H, W = shape[:2]; bicubic, antialiased."""
    height, width = int(shape[0]), int(shape[1])
    if image.shape[:2] == (height, width):
        return np.ascontiguousarray(image, dtype=np.uint8)
    resized = Image.fromarray(np.asarray(image, np.uint8)).resize(
        (width, height), Image.Resampling.BICUBIC)
    return np.asarray(resized, np.uint8)


def shrink(image: np.ndarray, long_side: int = PREVIEW_SIDE) -> np.ndarray:
    """(h, w, 3) uint8 -> the same, long side at most `long_side`."""
    h, w = image.shape[:2]
    scale = long_side / max(h, w)
    if scale >= 1:
        return np.ascontiguousarray(image, dtype=np.uint8)
    return fit_to(image, (max(1, round(h * scale)), max(1, round(w * scale))))


def blend_strength(picture: np.ndarray, content: np.ndarray, strength: float) -> np.ndarray:
    """strength * picture + (1 - strength) * photo, both (H, W, 3) uint8."""
    if strength >= 1.0:
        return picture
    mixed = strength * picture.astype(np.float32) + (1 - strength) * content.astype(np.float32)
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


class Engine:
    """One loaded engine. `notes` say why it was chosen (the fallbacks before it)."""

    label = "engine"

    def __init__(self, notes: list[str] | None = None):
        self.notes = list(notes or [])

    def run(self, job: Job, report: Report, should_stop: ShouldStop) -> EngineOutput:
        """Paint job.content in job.styles; may stop early when should_stop() is True."""
        raise NotImplementedError


# -- Magenta --------------------------------------------------------------------------------

class MagentaEngine(Engine):
    """A loaded Magenta model (TFLite or Hub): one forward pass, no progress to speak of."""

    def __init__(self, model, label: str, entry: str, notes: list[str]):
        super().__init__(notes)
        self.model, self.label, self.entry = model, label, entry

    def run(self, job: Job, report: Report, should_stop: ShouldStop) -> EngineOutput:
        image = self.model.stylize_blend(job.content, job.styles, job.strength)
        s = self.model.settings
        text = (f"{self.entry}: style at {s.style_size} px, strength {job.strength:g}, "
                f"{s.threads} thread{'s' if s.threads != 1 else ''}")
        return EngineOutput(fit_to(image, job.content.shape), self.label,
                            notes=list(self.notes) + ignored_keys(job, ()),
                            settings_text=text)


class StudioEngine(Engine):
    """Magenta's offline stand-in: a classical filter, labelled as such."""

    def __init__(self, notes: list[str]):
        from models.standins import STUDIO_LABEL

        super().__init__(notes)
        self.label = STUDIO_LABEL

    def run(self, job: Job, report: Report, should_stop: ShouldStop) -> EngineOutput:
        from models.standins import studio_filter_blend

        seed = int(job.settings.get("seed", 0))
        notes = list(self.notes) + ignored_keys(job, ("seed",))
        # Every style counts (an artist round): colours pooled, texture patches by weight.
        picture = studio_filter_blend(job.content, job.styles, seed=seed)
        blend = f", {len(job.styles)} styles blended" if len(job.styles) > 1 else ""
        text = (f"histogram match + Kuwahara + style texture, seed {seed}, "
                f"strength {job.strength:g}{blend}")
        return EngineOutput(blend_strength(picture, job.content, job.strength), self.label,
                            notes=notes, settings_text=text)


def load_magenta(cache: ModelCache, threads: int) -> Engine:
    from models.magenta import MagentaSettings, open_magenta

    notes = []
    for entry, label in MAGENTA_CHOICES:
        try:
            model = open_magenta(entry, cache, MagentaSettings(threads=threads))
        except FileNotFoundError:
            continue                      # not installed: the usual case, nothing to say
        except Exception as error:        # noqa: BLE001 - installed but unusable: say why
            log.warning("%s could not be opened: %s", entry, error)
            notes.append(f"{entry} is installed but could not be opened: {error}")
            continue
        return MagentaEngine(model, label, entry, notes)
    notes.append(f"no Magenta model installed in {cache.root} "
                 "(`python main.py models fetch`): the studio filter stands in")
    return StudioEngine(notes)


# -- Gatys ----------------------------------------------------------------------------------

class GatysEngine(Engine):
    """Gatys over real VGG-19 weights, or over untrained features when `weights` is None."""

    def __init__(self, weights: Path | None, available_blocks: int, has_gpu: bool,
                 threads: int, notes: list[str]):
        from models.settings import default_settings, untrained_settings

        super().__init__(notes)
        self.weights, self.available, self.threads = weights, available_blocks, threads
        if weights is None:
            from models.standins import UNTRAINED_LABEL

            self.base, self.label = untrained_settings(), UNTRAINED_LABEL
        else:
            self.base = default_settings(has_gpu, available_blocks)
            self.label = self.label_for(self.base.blocks)

    def label_for(self, blocks: int) -> str:
        from models.standins import UNTRAINED_LABEL

        if self.weights is None:
            return UNTRAINED_LABEL
        return f"Gatys VGG-19 blocks 1–{min(blocks, self.available)}"

    def settings_for(self, job: Job):
        """The base settings with the job's budget, the worker's threads and its overrides."""
        from models.settings import GatysSettings, with_changes

        names = {f.name for f in dataclasses.fields(GatysSettings)} - set(GATYS_FIXED)
        changes = {k: _as_tuples(v) for k, v in job.settings.items() if k in names}
        # A preview a reel's worth of times per run (MAX_SNAPSHOTS), not more than 2 a
        # second: each costs a chroma pass and a resize, a few ms beside an iteration.
        changes.setdefault("preview_seconds",
                           min(2.0, max(0.5, float(job.budget_s) / MAX_SNAPSHOTS)))
        settings = with_changes(self.base, seconds=float(job.budget_s), threads=self.threads,
                                **changes)
        return settings, ignored_keys(job, tuple(names))

    def run(self, job: Job, report: Report, should_stop: ShouldStop) -> EngineOutput:
        from models.gatys import run_gatys

        settings, notes = self.settings_for(job)
        reel = SnapshotReel()

        def progress(p) -> None:
            report(Progress(job.job_id, min(0.99, p.seconds / settings.seconds), p.iteration,
                            p.seconds, dict(p.loss_parts), shrink(p.preview)))
            reel.add(p.seconds, p.iteration, shrink(p.preview, SNAPSHOT_SIDE))

        result = run_gatys(job.content, job.styles, settings, self.weights, progress=progress,
                           should_stop=should_stop)
        if job.strength < 1.0:
            notes.append("Gatys has no strength control: the full style is shown")
        image = fit_to(result.image, job.content.shape)
        reel.add(result.seconds, result.iterations, shrink(image, SNAPSHOT_SIDE))
        return EngineOutput(image, self.label_for(settings.blocks), result.iterations,
                            result.converged, list(self.notes) + notes + result.notes,
                            gatys_text(settings), reel.snapshots())


def gatys_text(s) -> str:
    styles = ", ".join(name for name, _ in s.style_layers)
    return (f"{s.size} px, {s.optimizer}, content {s.content_layer}, style {styles}, "
            f"style weight {s.style_weight:g}, budget {s.seconds:g} s, "
            f"{s.threads} thread{'s' if s.threads != 1 else ''}")


def find_vgg_weights(cache: ModelCache) -> Path | None:
    """The verified VGG-19 weights file holding the most blocks, or None."""
    from models.catalogue import VGG19_BLOCKS, vgg19_file

    for blocks in range(VGG19_BLOCKS, 0, -1):
        found = cache.find(vgg19_file(blocks).name)
        if found is not None:
            return found
    return None


def load_gatys(cache: ModelCache, threads: int) -> Engine:
    from models import vgg   # TensorFlow starts here, after the worker capped its threads

    vgg.configure_threads(threads)
    import tensorflow as tf

    has_gpu = bool(tf.config.list_physical_devices("GPU"))
    notes = []
    weights = find_vgg_weights(cache)
    if weights is not None:
        try:
            blocks = vgg.file_blocks(weights)
            if blocks >= 1:
                return GatysEngine(weights, blocks, has_gpu, threads, notes)
            notes.append(f"{weights.name} holds no complete VGG-19 block")
        except Exception as error:     # noqa: BLE001 - installed but unusable: say why
            log.warning("VGG-19 weights %s unusable: %s", weights, error)
            notes.append(f"{weights.name} could not be read: {error}")
    else:
        notes.append(f"no VGG-19 weights installed in {cache.root} "
                     "(`python main.py models fetch`): untrained features stand in")
    return GatysEngine(None, 5, has_gpu, threads, notes)


def load_engine(engine: str, models_dir: str | Path | None = None, threads: int = 1) -> Engine:
    """The best installed engine for slot `engine` ("magenta" | "gatys")."""
    cache = ModelCache(Path(models_dir) if models_dir else None)
    if engine == "magenta":
        return load_magenta(cache, threads)
    if engine == "gatys":
        return load_gatys(cache, threads)
    raise ValueError(f"unknown engine {engine!r}")


def ignored_keys(job: Job, known: tuple[str, ...]) -> list[str]:
    unknown = sorted(k for k in job.settings if k not in known and k != TEST_BEHAVIOUR)
    return [f"ignored setting {k!r}" for k in unknown]


def _as_tuples(value):
    """JSON-ish lists (style_layers, scales) -> the tuples the frozen settings hold."""
    if isinstance(value, list):
        return tuple(_as_tuples(v) for v in value)
    return value


# -- scripted behaviours for tests ------------------------------------------------------------

TEST_LABEL = "test behaviour"


@dataclass
class TestBehaviour:
    """Job.settings[TEST_BEHAVIOUR] -> what the worker does instead of painting (no TF).

    echo   Result with the content itself (after one Progress with a preview)
    slow   Progress every `step` s for `seconds`, then echo; honours cancel unless
           settings["ignore_cancel"] (a job that finishes before it sees the Cancel)
    A Gatys job's echo and slow also carry a reel, as the real engine's Result does: the
    content fading in from black, one snapshot a Progress and the picture last.
    hang   stop the heartbeat and sleep for ever (the service must kill it)
    crash  exit at once with settings["exit_code"] (default 3), no answer
    killed SIGKILL itself, as the kernel's OOM killer would
    raise  raise RuntimeError (the worker must answer Failed and go on)
    probe  echo, with the worker's thread caps and priority in the notes
    """

    __test__ = False               # not a pytest test class despite its name
    pause_heartbeat: Callable[[], None]

    def run(self, job: Job, report: Report, should_stop: ShouldStop) -> EngineOutput | None:
        """EngineOutput, or None when the job was cancelled."""
        name, settings = job.settings[TEST_BEHAVIOUR], job.settings
        reel, begun, iteration = SnapshotReel(), time.monotonic(), 1
        small = shrink(job.content, SNAPSHOT_SIDE) if job.engine == "gatys" else None

        def snap(fraction: float) -> None:
            if small is not None:       # (h, w, 3) uint8, fading in from black
                reel.add(time.monotonic() - begun, iteration,
                         (small * fraction).astype(np.uint8))

        if name == "crash":
            os._exit(int(settings.get("exit_code", 3)))
        if name == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        if name == "hang":
            self.pause_heartbeat()
            while True:
                time.sleep(1.0)
        if name == "raise":
            raise RuntimeError(settings.get("message", "scripted failure"))
        if name == "slow":
            start, seconds = time.monotonic(), float(settings.get("seconds", 2.0))
            step, iteration = float(settings.get("step", 0.1)), 0
            while time.monotonic() - start < seconds:
                if should_stop() and not settings.get("ignore_cancel"):
                    return None
                time.sleep(step)
                iteration += 1
                elapsed = time.monotonic() - start
                report(Progress(job.job_id, min(0.99, elapsed / seconds), iteration, elapsed,
                                {"total": 1.0 / iteration}, shrink(job.content, 32)))
                snap(min(0.99, elapsed / seconds))
        elif name == "echo":
            report(Progress(job.job_id, 0.5, 1, 0.0, {}, shrink(job.content, 32)))
            snap(0.5)
        elif name != "probe":
            raise ValueError(f"unknown test behaviour {name!r}")
        notes = [f"test behaviour {name}"]
        if name == "probe":
            from models.worker import THREAD_ENV

            notes += [f"{var}={os.environ.get(var)}" for var in THREAD_ENV]
            notes.append(f"nice={os.nice(0) if hasattr(os, 'nice') else None}")
        snap(1.0)
        return EngineOutput(job.content.copy(), TEST_LABEL, notes=notes,
                            settings_text=f"{TEST_BEHAVIOUR}={name}",
                            snapshots=reel.snapshots())
