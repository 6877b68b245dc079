"""Pictures for bench/score_validity.py: the pair sets, the machines' pictures, the demo bot's
paintings and every rung of one reference's ladder.

A pair set is every content x style of two folders (default ../shared/eval, or
$STYLE_DUEL_EVAL_DIR), photos and paintings worked at a long side of 384. Generated pictures are
cached in out/score_bench_cache/ under keys made of the engine, its settings and the digests of
the input pixels, never of file names: the checkers run this on pictures we never saw, and a
rerun (or the other worker process) finds what was made. No TensorFlow is imported here until
a machine picture has to be made.
"""
from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from models import score_canvases as canvases

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("STYLE_DUEL_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SHARED_MODELS = ROOT.parent / "shared" / "models"
VGG_FILE = "vgg19_blocks1-3_notop.h5"
SIDE = 384                       # long side photos and paintings are worked at
CACHE = ROOT / "out" / "score_bench_cache"
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}
BOT_BOX = (834, 644)             # game/scenes/paint.py CANVAS_BOX: the bot's canvas fits inside
MACHINES = ("magenta", "gatys")
OTHER_MACHINE = {"magenta": "gatys", "gatys": "magenta"}
# The rungs' seeds differ from the calibration anchors' (models.score_canvases.anchor_canvases
# uses 0-2), so no rung is literally one of the canvases the reference was calibrated on.
RUNG_SEEDS = {"blobs": 101, "tiles": 202, "scribble": 303, "paper": 9}


@dataclass
class PairSet:
    """Every content x style of one pair of folders, at SIDE; names only label the output."""

    name: str
    contents: dict[str, np.ndarray]
    styles: dict[str, np.ndarray]

    def pairs(self) -> list[tuple[str, str]]:
        return [(c, s) for s in self.styles for c in self.contents]

    def other(self, content: str) -> str | None:
        """Y for X: the next content in sorted order (None when the set has only one)."""
        names = sorted(self.contents)
        if len(names) < 2:
            return None
        return names[(names.index(content) + 1) % len(names)]


def load_rgb(path: Path, side: int = SIDE) -> np.ndarray:
    return fit_long(np.asarray(Image.open(path).convert("RGB")), side)


def fit_long(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return np.ascontiguousarray(image)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(image).resize(size, Image.Resampling.LANCZOS))


def load_folder(folder: Path, limit: int | None = None) -> dict[str, np.ndarray]:
    """name -> picture for every picture file in the folder, sorted by file name."""
    paths = sorted(p for p in Path(folder).iterdir()
                   if p.is_file() and p.suffix.lower() in PICTURE_SUFFIXES)
    out: dict[str, np.ndarray] = {}
    for path in paths[:limit]:
        out[path.name if path.stem in out else path.stem] = load_rgb(path)
    if not out:
        raise SystemExit(f"no pictures in {folder}")
    return out


def load_set(name: str, contents: Path, styles: Path, limit: int | None = None) -> PairSet:
    return PairSet(name, load_folder(contents, limit), load_folder(styles, limit))


# -- cache ------------------------------------------------------------------------------------

def digest(image: np.ndarray) -> str:
    array = np.ascontiguousarray(image)
    return hashlib.sha256(str(array.shape).encode() + array.tobytes()).hexdigest()[:16]


def cached(key: str, make: Callable[[], np.ndarray]) -> np.ndarray:
    """A picture from CACHE/key.png, made and stored on the first call. Written to a temporary
    name and renamed, so a killed run never leaves half a PNG for the next one to read."""
    path = CACHE / f"{key}.png"
    if path.is_file():
        return np.asarray(Image.open(path).convert("RGB"))
    image = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{key}.{os.getpid()}.png")
    Image.fromarray(image).save(temporary)
    os.replace(temporary, path)
    return image


def is_cached(key: str) -> bool:
    return (CACHE / f"{key}.png").is_file()


# -- the machines and the bot -----------------------------------------------------------------

@dataclass(frozen=True)
class MachineSettings:
    gatys_seconds: float = 20.0
    bot_strokes: int = 630           # the demo's 7 strokes/s x the default 90 s round
    bot_seed: int = 11
    shared_models: Path = SHARED_MODELS


def engine_labels(settings: MachineSettings) -> dict[str, str]:
    """What makes each kind of picture here: real models when installed, else the offline
    stand-ins. Part of every cache key, so a stand-in picture is never read as a real one."""
    from models.encoder_data import SHARED_MODELS_ENV, open_magenta_tflite

    os.environ.setdefault(SHARED_MODELS_ENV, str(settings.shared_models))
    engine, entry = open_magenta_tflite(threads=1)
    seconds = f"{settings.gatys_seconds:g} s"
    vgg = Path(os.environ[SHARED_MODELS_ENV]) / VGG_FILE
    return {"magenta": f"Magenta {entry}" if engine else "studio filter (offline stand-in)",
            "gatys": (f"Gatys VGG-19 blocks 1-3, {seconds}" if vgg.is_file()
                      else f"Gatys untrained features (offline stand-in), {seconds}"),
            "bot": f"demo bot, {settings.bot_strokes} strokes, seed {settings.bot_seed}"}


@functools.cache          # once per process: one run paints with one bot
def code_digest(kind: str) -> bytes:
    """The bot's source, for its cache key: its plans change while the game is developed, and
    a painting by an older bot must not be read back as this one's. (The machines' pictures
    depend on their model files, which their labels name.)"""
    if kind != "bot":
        return b""
    files = sorted((ROOT / "game" / "bot").glob("*.py"))
    return hashlib.sha256(b"".join(f.name.encode() + f.read_bytes() for f in files)).digest()


@dataclass
class Pictures:
    """Machine pictures and bot paintings of the pairs, made once (cached), in one process."""

    sets: dict[str, PairSet]
    settings: MachineSettings
    labels: dict[str, str]
    gatys_pairs: set[tuple[str, str, str]]          # (set, content, style) Gatys is run on
    _engines: dict[str, Callable] = field(default_factory=dict)

    def key(self, kind: str, set_name: str, content: str, style: str) -> str:
        tag = hashlib.sha256(self.labels[kind].encode() + code_digest(kind)).hexdigest()[:8]
        pair = self.sets[set_name]
        return (f"{kind}-{tag}-{digest(pair.contents[content])}"
                f"-{digest(pair.styles[style])}")

    def get(self, kind: str, set_name: str, content: str | None,
            style: str) -> np.ndarray | None:
        """The picture, made if it is missing; None for a Gatys pair not selected."""
        if content is None:
            return None
        if kind == "gatys" and (set_name, content, style) not in self.gatys_pairs:
            return None
        pair = self.sets[set_name]
        photo, painting = pair.contents[content], pair.styles[style]
        return cached(self.key(kind, set_name, content, style),
                      lambda: self._engine(kind)(photo, painting))

    def _engine(self, kind: str) -> Callable:
        if kind not in self._engines:
            self._engines[kind] = {"magenta": self._magenta, "gatys": self._gatys,
                                   "bot": self._bot}[kind]()
        return self._engines[kind]

    def _magenta(self) -> Callable:
        from models.encoder_data import open_magenta_tflite

        engine, _ = open_magenta_tflite(threads=1)
        if engine is not None:
            return engine.stylize
        from models.standins import studio_filter

        return lambda photo, painting: studio_filter(photo, painting)

    def _gatys(self) -> Callable:
        from models.encoder_data import SHARED_MODELS_ENV
        from models.gatys import run_gatys
        from models.settings import default_settings, untrained_settings, with_changes

        seconds = self.settings.gatys_seconds
        vgg = Path(os.environ.get(SHARED_MODELS_ENV, self.settings.shared_models)) / VGG_FILE
        if vgg.is_file():
            settings = with_changes(default_settings(False, 3), seconds=seconds, threads=1)
        else:
            settings, vgg = with_changes(untrained_settings(seconds=seconds), threads=1), None
        return lambda photo, painting: run_gatys(photo, [painting], settings, vgg).image

    def _bot(self) -> Callable:
        from game.bot import bot_painter

        paint, cfg = bot_painter(), self.settings

        def bot(photo: np.ndarray, painting: np.ndarray) -> np.ndarray:
            h, w = photo.shape[:2]
            scale = min(BOT_BOX[0] / w, BOT_BOX[1] / h)     # the game's canvas for this photo
            canvas = (int(w * scale), int(h * scale))
            return paint(photo, painting, canvas, cfg.bot_seed, cfg.bot_strokes)
        return bot


def spread(items: list, n: int | None) -> list:
    """n items spread evenly over the list (all of them when n is None or too big)."""
    if n is None or n >= len(items):
        return list(items)
    if n <= 0:
        return []
    return [items[i] for i in np.linspace(0, len(items) - 1, n).round().astype(int)]


def gatys_selection(sets: dict[str, PairSet], n: int | None) -> set[tuple[str, str, str]]:
    """n pairs for Gatys, spread over the styles: each style's share of n, taken as neighbouring
    contents (from a different start per style), so most chosen pairs also have their Y."""
    everything = {(name, c, s) for name, pair in sets.items() for c, s in pair.pairs()}
    if n is None or n >= len(everything):
        return everything
    styles = [(name, s) for name, pair in sets.items() for s in pair.styles]
    quota = {key: 0 for key in styles}
    for i in range(max(0, n)):
        quota[styles[i % len(styles)]] += 1
    chosen = set()
    for j, (name, s) in enumerate(styles):
        names = sorted(sets[name].contents)
        start = (j * 2) % len(names)
        for k in range(min(quota[name, s], len(names))):
            chosen.add((name, names[(start + k) % len(names)], s))
    return chosen


def rungs(pictures: Pictures, kind: str, set_name: str, content: str,
          style: str) -> dict[str, np.ndarray]:
    """Every rung of the ladder whose reference R is `kind`'s picture of (content, style);
    rungs whose picture does not exist (a Gatys pair not run) are left out."""
    pair = pictures.sets[set_name]
    ref = pictures.get(kind, set_name, content, style)
    photo, other = pair.contents[content], pair.other(content)
    get = pictures.get
    out = {"copy": ref, "photo": photo,
           "blurred": canvases.blurred(photo, 8.0),
           "posterised": canvases.posterised(photo, 6),
           "bot": get("bot", set_name, content, style),
           "bot_other": get("bot", set_name, other, style),
           "flat": canvases.flat(ref),
           "blobs": canvases.palette_blobs(ref, seed=RUNG_SEEDS["blobs"]),
           "blank": canvases.paper(ref.shape, seed=RUNG_SEEDS["paper"]),
           "scribble": canvases.scribble(ref.shape, seed=RUNG_SEEDS["scribble"]),
           "tiles": canvases.shuffled_tiles(ref, seed=RUNG_SEEDS["tiles"], n=4),
           "upside": canvases.upside_down(ref),
           "other_photo": get(kind, set_name, other, style),
           "machine_same": get(OTHER_MACHINE[kind], set_name, content, style),
           "machine_other": get(OTHER_MACHINE[kind], set_name, other, style)}
    return {name: image for name, image in out.items() if image is not None}
