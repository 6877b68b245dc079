"""Magenta engine speed, one LiteRT thread (the game's budget: <= 300 ms per stylization).

Figures (name, figure, unit), each the median of several runs after a warm-up:
- magenta_tflite_int8_384_ms / magenta_tflite_fp16_384_ms: a whole `stylize` of a 384 x 384
  photo with the style's bottleneck already cached (padding, transfer, crop, resize).
  ..._best_ms is the fastest run, the figure to read when other processes share the CPU
  (machine_load_1min says how busy it was).
- magenta_tflite_int8_768x576_ms: the same for a larger photo (downscaled, then upscaled).
- magenta_bottleneck_cache_miss_ms / _hit_ms: a style's bottleneck computed (crop, resize,
  blur, prediction network) versus found in the cache.
- magenta_hub_384_ms: the TF Hub SavedModel, when it is installed in the model cache.
Model files come from the model cache, else from $STYLE_DUEL_SHARED_MODELS.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import catalogue  # noqa: E402
from models.cache import ModelCache  # noqa: E402

SHARED = Path(os.environ.get("STYLE_DUEL_SHARED_MODELS", ROOT.parent / "shared" / "models"))
EVAL = Path(os.environ.get("STYLE_DUEL_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def model_path(model_file: catalogue.ModelFile) -> Path | None:
    found = ModelCache().find(model_file.name)
    if found is None and (SHARED / model_file.filename).is_file():
        found = SHARED / model_file.filename
    return found


def images() -> tuple[np.ndarray, np.ndarray]:
    """(content, style) uint8: eval images when present, else scikit-image's and stripes."""
    from PIL import Image
    from skimage import data

    style_file = EVAL / "styles" / "starry_night.jpg"
    if style_file.is_file():
        style = np.asarray(Image.open(style_file).convert("RGB"))
    else:
        style = np.zeros((480, 768, 3), np.uint8)
        style[:, ::24] = (240, 200, 30)
    return data.astronaut(), style


def timings_ms(action, runs: int) -> list[float]:
    action()                                         # warm-up: allocation, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(action, runs: int) -> float:
    return round(statistics.median(timings_ms(action, runs)), 1)


def measure(quick: bool = False) -> list[dict]:
    """The Magenta section of bench/nst.py: a list of {name, figure, unit}."""
    from models.magenta import MagentaHub, MagentaTFLite
    from models.magenta_layout import resize_to

    runs = 5 if quick else 15
    out: list[dict] = []

    def record(name: str, figure: float, unit: str) -> None:
        out.append({"name": name, "figure": figure, "unit": unit})

    record("machine_load_1min", round(os.getloadavg()[0], 2), "runnable processes")
    photo, style = images()
    content = resize_to(photo, 384, 384)
    large = resize_to(photo, 576, 768)
    prediction = model_path(catalogue.MAGENTA_INT8_PREDICTION)
    for label, transfer_file in (("int8", catalogue.MAGENTA_INT8_TRANSFER),
                                 ("fp16", catalogue.MAGENTA_FP16_TRANSFER)):
        transfer = model_path(transfer_file)
        if prediction is None or transfer is None:
            print(f"magenta {label}: model files not found, skipped", file=sys.stderr)
            continue
        engine = MagentaTFLite(prediction, transfer, threads=1)
        engine.style_bottleneck(style)
        times = timings_ms(lambda: engine.stylize(content, style), runs)
        record(f"magenta_tflite_{label}_384_ms", round(statistics.median(times), 1), "ms")
        # The fastest run: what the machine does when no other process competes.
        record(f"magenta_tflite_{label}_384_best_ms", round(min(times), 1), "ms")
        if label == "int8":
            record("magenta_tflite_int8_768x576_ms",
                   median_ms(lambda: engine.stylize(large, style), runs), "ms")
            record("magenta_bottleneck_cache_hit_ms",
                   median_ms(lambda: engine.style_bottleneck(style), runs), "ms")
            fresh = [style.copy() for _ in range(runs + 1)]
            for index, image in enumerate(fresh):   # one changed pixel: a new cache key
                image[0, 0, 0] = index % 256
            pending = iter(fresh)
            record("magenta_bottleneck_cache_miss_ms",
                   median_ms(lambda: engine.style_bottleneck(next(pending)), runs), "ms")
    hub_dir = ModelCache().find(catalogue.MAGENTA_HUB_SAVED_MODEL.name)
    if hub_dir is not None:
        hub = MagentaHub(hub_dir, threads=1)
        record("magenta_hub_384_ms", median_ms(lambda: hub.stylize(content, style), runs), "ms")
    else:
        print("magenta hub: not installed in the model cache, skipped", file=sys.stderr)
    record("magenta_target_ms", 300, "ms")
    return out
