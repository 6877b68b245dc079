"""Gatys engine speed (JSON list of {name, figure, unit} on stdout).

1. Seconds per L-BFGS iteration at 128, 256 and 384 px: VGG-19 blocks 1-3 from
   $STYLE_DUEL_SHARED_MODELS, and the full network too when the model cache holds it.
2. The TensorFlow NST tutorial's loop (Adam, lr 0.02, beta1 0.99, epsilon 0.1, from the
   content image) for --tutorial-steps steps (1,000 in the tutorial; --quick runs 100), and
   the time our L-BFGS (u-scaling; histogram-matched start as shipped, and content start)
   needs to reach the same loss on the same weights and images. Two losses: the shipped
   weights, and the tutorial's (style 1e-2, content 1e4: with blocks 1-3 nearly all content).
   Both times count from the call, so set-up and tracing are in both.
   Target: <= 1/5 of the tutorial's time.
3. The shipped CPU defaults at 256 px with a 60 s budget: time until the plateau rule says
   converged. Target: converged within 60 s.

    python bench/nst_gatys.py [--quick] [--tutorial-steps 1000]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# One BLAS thread, as models/worker.py sets for the game: on two busy cores OpenBLAS's
# spinning threads made scipy's L-BFGS-B step cost as much as the network (0.27 s vs
# 0.03 s per iteration at 256 px). Must be set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import vgg  # noqa: E402
from models.gatys import run_gatys  # noqa: E402
from models.settings import default_settings, layers_for_blocks, with_changes  # noqa: E402

EVAL = Path(os.environ.get("STYLE_DUEL_EVAL_DIR", ROOT.parent / "shared" / "eval"))
CONTENT, STYLE = "content/chelsea.png", "styles/starry_night.jpg"


def weights_files() -> dict[str, Path]:
    found = {}
    shared = os.environ.get("STYLE_DUEL_SHARED_MODELS", str(ROOT.parent / "shared" / "models"))
    if (Path(shared) / "vgg19_blocks1-3_notop.h5").exists():
        found["blocks1-3"] = Path(shared) / "vgg19_blocks1-3_notop.h5"
    try:
        from models.cache import ModelCache
        full = ModelCache().find("vgg19-notop")
        if full is not None:
            found["full"] = full
    except Exception as exc:  # the cache module is optional here
        print(f"model cache not read: {exc}", file=sys.stderr)
    return found


def load(name: str) -> np.ndarray:
    return np.asarray(Image.open(EVAL / name).convert("RGB"))


def trace(content, style, settings, path, stop_below: float = -1.0):
    """Run once; return the result and [(seconds since start, total loss)] per iteration.

    Stops early once the loss is at or below `stop_below`.
    """
    points = []
    result = run_gatys(content, [style], with_changes(settings, preview_seconds=0.0), path,
                       progress=lambda p: points.append((p.seconds, p.loss_parts["total"])),
                       should_stop=lambda: bool(points) and points[-1][1] <= stop_below)
    return result, points


def per_iteration(content, style, path, blocks, size, iterations):
    content_layer, style_layers = layers_for_blocks(blocks)
    settings = with_changes(default_settings(False, blocks), size=size, blocks=blocks,
                            content_layer=content_layer, style_layers=style_layers,
                            max_iterations=iterations, plateau_window=10**6, seconds=1e6)
    _, points = trace(content, style, settings, path)
    return (points[-1][0] - points[0][0]) / (len(points) - 1)   # excludes set-up and tracing


def race(loss_name, base, steps, content, style, path, record) -> None:
    """The tutorial's Adam loop for `steps` steps, then L-BFGS until it reaches that loss."""
    tutorial = with_changes(base, optimizer="adam", match_histogram=False,
                            max_iterations=steps + 1)
    _, adam_points = trace(content, style, tutorial, path)
    adam_seconds = adam_points[-1][0]         # the loss reported at step n+1 is after n updates
    target = adam_points[-1][1]
    record(f"{loss_name}_tutorial_adam_{steps}_steps_seconds", adam_seconds, "s")
    record(f"{loss_name}_tutorial_adam_{steps}_steps_loss", target, "loss")
    limit = min(adam_seconds, max(60.0, 0.3 * adam_seconds))
    for start_name, matched in (("histogram_start", True), ("content_start", False)):
        lbfgs = with_changes(base, match_histogram=matched, seconds=limit, max_iterations=10**6)
        _, points = trace(content, style, lbfgs, path, stop_below=target)
        name = f"{loss_name}_lbfgs_{start_name}"
        reached = next(((t, i) for i, (t, loss) in enumerate(points, 1) if loss <= target), None)
        if reached is None:
            record(f"{name}_loss_at_{limit:.0f}_s", points[-1][1], "loss (target not reached)")
            continue
        record(f"{name}_seconds_to_tutorial_loss", reached[0], "s")
        record(f"{name}_iterations_to_tutorial_loss", reached[1], "iterations")
        record(f"{name}_time_over_tutorial_time", reached[0] / adam_seconds,
               "ratio (target <= 0.2)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer steps (about 4 minutes)")
    parser.add_argument("--tutorial-steps", type=int, default=None)
    args = parser.parse_args()
    steps = args.tutorial_steps or (100 if args.quick else 1000)
    t0 = time.monotonic()
    vgg.configure_threads(2)
    files = weights_files()
    if "blocks1-3" not in files:
        raise SystemExit("set STYLE_DUEL_SHARED_MODELS to the folder holding "
                         "vgg19_blocks1-3_notop.h5")
    content, style = load(CONTENT), load(STYLE)
    out = []

    def record(name, figure, unit):
        out.append({"name": name, "figure": round(float(figure), 4), "unit": unit})
        print(json.dumps(out[-1]), file=sys.stderr, flush=True)

    for label, path in files.items():
        blocks = vgg.file_blocks(path) if label == "full" else 3
        for size in (128, 256, 384):
            n = 4 if args.quick else 8
            record(f"lbfgs_seconds_per_iteration_{label}_{size}px",
                   per_iteration(content, style, path, blocks, size, n), "s")

    # The tutorial's loop against L-BFGS, on two losses: the one we ship (content 1,
    # style 3e-3) and the tutorial's weights (content 1e4, style 1e-2).
    path = files.get("full", files["blocks1-3"])
    shipped_loss = with_changes(default_settings(False, vgg.file_blocks(path)), size=256,
                                plateau_window=10**6, seconds=1e6)
    tutorial_loss = with_changes(shipped_loss, content_weight=1e4, style_weight=1e-2)
    for loss_name, base in (("shipped_loss", shipped_loss), ("tutorial_loss", tutorial_loss)):
        race(loss_name, base, steps, content, style, path, record)

    # The shipped defaults: does a 256-px picture converge inside 60 s?
    shipped = with_changes(default_settings(False, 3), size=256, seconds=60.0)
    result = run_gatys(content, [style], shipped, files["blocks1-3"])
    record("default_256px_converged", float(result.converged), "bool (target 1)")
    record("default_256px_seconds", result.seconds, "s (target <= 60)")
    record("default_256px_iterations", result.iterations, "iterations")
    record("bench_total_seconds", time.monotonic() - t0, "s")
    record("load_average_1min_at_end", os.getloadavg()[0], "processes (2 cores)")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
