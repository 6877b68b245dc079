"""Pictures for docs/offline.md: the offline stand-ins next to the real models, with times.

For each (photo, painting) pair, one PNG row in docs/img/offline-<photo>-<painting>.png:
photo | painting | Magenta TFLite (int8 prediction + fp16 transfer at 384) | Gatys with the
real VGG-19 blocks 1-3 file (CPU defaults) | studio filter (offline) | Gatys over untrained
features (offline). Plus docs/img/offline-zoom-*.png: close-ups of the first pair. Times go
to stdout as JSON. Only the scikit-image photos are used: the others may not be shipped.

    STYLE_DUEL_SHARED_MODELS=... python bench/offline_gallery.py [--seconds 35] [--pairs a:b]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

# One BLAS thread, as models/worker.py sets for the game: on two busy cores OpenBLAS's
# spinning threads made scipy's L-BFGS-B step cost as much as the network (0.27 s vs
# 0.03 s per iteration at 256 px). Must be set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.gatys import run_gatys  # noqa: E402
from models.settings import default_settings, untrained_settings, with_changes  # noqa: E402
from models.standins import STUDIO_LABEL, UNTRAINED_LABEL, studio_filter  # noqa: E402
from models.vgg import configure_threads  # noqa: E402

EVAL = Path(os.environ.get("STYLE_DUEL_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SHARED = Path(os.environ.get("STYLE_DUEL_SHARED_MODELS", ROOT.parent / "shared" / "models"))
OUT = ROOT / "docs" / "img"
PAIRS = ("astronaut:starry_night", "chelsea:the_scream", "coffee:great_wave",
         "rocket:composition_vii", "chelsea:monet_charing_cross_bridge")
TILE = 196       # long side of a result tile (keeps each PNG under ~400 KB)
SMALL = 128      # long side of the photo and painting tiles
MAGENTA = ("magenta_arbitrary-image-stylization-v1-256_int8_prediction_1.tflite",
           "magenta_arbitrary-image-stylization-v1-256_fp16_transfer_1.tflite")


def load(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def magenta_engine():
    """models.magenta's TFLite engine on the shared files, or None when it cannot load."""
    try:
        from models.magenta import MagentaTFLite
        return MagentaTFLite(SHARED / MAGENTA[0], SHARED / MAGENTA[1], threads=2)
    except Exception as exc:
        print(f"Magenta unavailable: {exc}", file=sys.stderr)
        return None


def tile(image: np.ndarray, title: str, subtitle: str, side: int = TILE) -> Image.Image:
    """The picture scaled to `side` (up or down, so every result shows at one size), captioned."""
    picture = Image.fromarray(image)
    scale = side / max(picture.size)
    picture = picture.resize((round(picture.width * scale), round(picture.height * scale)),
                             Image.LANCZOS)
    font = ImageFont.load_default(size=11)
    width = max(side, 150)
    height = max(side, TILE)
    canvas = Image.new("RGB", (width + 6, height + 32), "white")
    draw = ImageDraw.Draw(canvas)
    draw.text((2, 1), title, fill="black", font=font)
    draw.text((2, 15), subtitle, fill=(90, 90, 90), font=font)
    canvas.paste(picture, (3, 30 + (height - picture.height) // 2))
    return canvas


def row(tiles: list[Image.Image]) -> Image.Image:
    out = Image.new("RGB", (sum(t.width for t in tiles), tiles[0].height), "white")
    x = 0
    for t in tiles:
        out.paste(t, (x, 0))
        x += t.width
    return out


def one_pair(photo_name: str, style_name: str, seconds: float, magenta) -> tuple[dict, dict]:
    photo = load(EVAL / "content" / f"{photo_name}.png")
    style = load(next((EVAL / "styles").glob(f"{style_name}.*")))
    times, pictures = {}, {}
    if magenta is not None:
        magenta.style_bottleneck(np.zeros((8, 8, 3), np.uint8))          # warm-up
        pictures["magenta"], times["magenta"] = timed(magenta.stylize, photo, style)
    real = with_changes(default_settings(False, 3), seconds=seconds)
    result, times["gatys_real"] = timed(run_gatys, photo, [style], real,
                                        SHARED / "vgg19_blocks1-3_notop.h5")
    pictures["gatys_real"], times["gatys_real_iterations"] = result.image, result.iterations
    h, w = photo.shape[:2]
    small = np.asarray(Image.fromarray(photo).resize(
        (384 * w // max(h, w), 384 * h // max(h, w)), Image.LANCZOS))
    pictures["studio"], times["studio"] = timed(studio_filter, small, style)
    result, times["untrained"] = timed(run_gatys, photo, [style], untrained_settings(seconds),
                                       None)
    pictures["untrained"], times["untrained_iterations"] = result.image, result.iterations
    tiles = [tile(photo, "photo", photo_name, SMALL), tile(style, "painting", style_name, SMALL)]
    if magenta is not None:
        tiles.append(tile(pictures["magenta"], "Magenta TFLite (real)",
                          f"{times['magenta']:.2f} s at 384 px"))
    tiles += [
        tile(pictures["gatys_real"], "Gatys, VGG-19 blocks 1-3 (real)",
             f"{times['gatys_real']:.0f} s, {times['gatys_real_iterations']} it, 256 px"),
        tile(pictures["studio"], STUDIO_LABEL, f"{times['studio']:.2f} s at 384 px"),
        tile(pictures["untrained"], UNTRAINED_LABEL.replace(" (offline)", ""),
             f"offline, {times['untrained']:.0f} s, {times['untrained_iterations']} it"),
    ]
    row(tiles).save(OUT / f"offline-{photo_name}-{style_name}.png", optimize=True)
    return times, pictures


def zoom(pictures: dict, name: str) -> None:
    """The same central third of each output, enlarged: speckle, dabs and grain up close."""
    crops = []
    for key in ("magenta", "gatys_real", "studio", "untrained"):
        if key in pictures:
            image = pictures[key]
            h, w = image.shape[:2]
            crop = image[h // 3: 2 * h // 3, w // 3: 2 * w // 3]
            crops.append(tile(crop, key, f"middle third of {w} px, x{768 / w:.1f}", side=256))
    row(crops).save(OUT / f"offline-zoom-{name}.png", optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=35.0, help="Gatys budget per picture")
    parser.add_argument("--pairs", nargs="*", default=list(PAIRS), help="photo:painting")
    args = parser.parse_args()
    os.environ.setdefault("STYLE_DUEL_HOME", tempfile.mkdtemp())    # Magenta's bottleneck cache
    configure_threads(2)
    OUT.mkdir(parents=True, exist_ok=True)
    magenta = magenta_engine()
    report = {}
    for i, pair in enumerate(args.pairs):
        photo_name, style_name = pair.split(":")
        times, pictures = one_pair(photo_name, style_name, args.seconds, magenta)
        report[pair] = {k: round(v, 3) for k, v in times.items()}
        print(json.dumps({pair: report[pair]}), file=sys.stderr, flush=True)
        if i == 0:
            zoom(pictures, f"{photo_name}-{style_name}")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
