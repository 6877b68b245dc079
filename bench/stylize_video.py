"""Video stylize speed and flicker: `main.py stylize VIDEO STYLE --out OUT.mp4` end to end.

A synthetic clip stands in for a phone video: a slow pan across an eval photo (Tubingen,
else scikit-image's astronaut) with a little sensor noise, FRAMES frames at 24 fps, read at
384 px. The engine is the real Magenta TFLite from $STYLE_DUEL_SHARED_MODELS (else the
model cache) when present, else the offline studio filter; `engine` says which ran.

Prints JSON: frames_per_second (decode + paint + smoothing + encode, engine loaded and
warmed), flicker without and with --smooth 0.6 (output change over input change per frame,
models/stylize_video.py), each the median of RUNS runs, and the machine's load.
"""
from __future__ import annotations

import io
import itertools
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.image_loader import load_rgb  # noqa: E402
from game.video_files import VideoWriter, probe_video, read_frames  # noqa: E402
from models.engines import load_engine  # noqa: E402
from models.stylize_video import stylize_frames  # noqa: E402

SHARED = Path(os.environ.get("STYLE_DUEL_SHARED_MODELS", ROOT.parent / "shared" / "models"))
EVAL = Path(os.environ.get("STYLE_DUEL_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SIDE, FRAMES, FPS, RUNS, SMOOTH = 384, 48, 24, 3, 0.6


def photo_and_style() -> tuple[np.ndarray, np.ndarray]:
    from skimage import data

    photo_file = EVAL / "content" / "tubingen.jpg"
    style_file = EVAL / "styles" / "starry_night.jpg"
    photo = load_rgb(photo_file) if photo_file.is_file() else data.astronaut()
    style = (load_rgb(style_file) if style_file.is_file()
             else load_rgb(ROOT / "art" / "styles" / "colour_fields.png"))
    return photo, style


def make_clip(path: Path, photo: np.ndarray) -> Path:
    """A pan of 1.5 px a frame over a 4:3 window of the photo, sensor noise sigma 3."""
    from PIL import Image

    height = SIDE * 3 // 4
    wide = np.asarray(Image.fromarray(photo).resize(
        (SIDE + FRAMES * 2, height), Image.LANCZOS)).astype(np.float32)  # (288, 480, 3)
    rng = np.random.default_rng(1)
    with VideoWriter(path, (SIDE, height), FPS, "mp4") as writer:
        for index in range(FRAMES):
            left = int(index * 1.5)
            frame = wide[:, left:left + SIDE] + rng.normal(0, 3, (height, SIDE, 3))
            writer.write(np.clip(frame, 0, 255).astype(np.uint8))
    return path


def main() -> None:
    photo, style = photo_and_style()
    magenta_here = any(SHARED.glob("magenta_*fp16_transfer*.tflite"))
    with tempfile.TemporaryDirectory() as folder:
        models_dir = SHARED if magenta_here else Path(folder) / "no_models"
        engine = load_engine("magenta", models_dir, threads=os.cpu_count() or 1)
        info = probe_video(make_clip(Path(folder) / "clip.mp4", photo))
        styles = [(style, 1.0)]
        warm = read_frames(info, SIDE)         # the style's bottleneck, TFLite's buffers
        stylize_frames(itertools.islice(warm, 2), 2, engine, styles, lambda frame: None,
                       stream=io.StringIO())
        warm.close()
        results: dict[float, list] = {0.0: [], SMOOTH: []}
        for _ in range(RUNS):
            for smooth in results:
                with VideoWriter(Path(folder) / "out.mp4", (info.width, info.height),
                                 info.fps, "mp4") as writer:
                    results[smooth].append(stylize_frames(
                        read_frames(info, SIDE), info.frames, engine, styles, writer.write,
                        smooth=smooth, stream=io.StringIO()))
    plain, smooth = results[0.0], results[SMOOTH]
    print(json.dumps({
        "engine": engine.label, "frames": FRAMES, "size": f"{info.width}x{info.height}",
        "runs": RUNS,
        "frames_per_second": round(statistics.median(s.frames_per_second for s in plain), 2),
        "frames_per_second_smoothed": round(
            statistics.median(s.frames_per_second for s in smooth), 2),
        "flicker": round(statistics.median(s.flicker for s in plain), 3),
        f"flicker_smooth_{SMOOTH:g}": round(statistics.median(s.flicker for s in smooth), 3),
        "input_change_per_frame": round(plain[0].change_in, 2),
        "machine_load_1min": round(os.getloadavg()[0], 2),
    }, indent=1))


if __name__ == "__main__":
    main()
