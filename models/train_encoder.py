"""Train the score's autoencoder and calibrate the score: `python main.py models train-encoder`.

    python main.py models train-encoder [--epochs N] [--seed S] [--out DIR]

Steps (all seeded; two TensorFlow threads; about ten minutes on a 2-core CPU):
  1. pictures (models.encoder_data): the training half of the catalogue, the studio filter's
     and (when installed) Magenta's results of every training pair, the demo bot's paintings
  2. training: random crops, flips, colour jitter and blur of those, pixel MSE
  3. code statistics: mean and spread of every code number over the training pictures
  4. the old score's calibration (models.score_legacy, kept for comparison) on the held-out
     half of the catalogue
  5. writes DIR/encoder.weights.h5 and DIR/encoder_training.json (the record)
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from models.encoder import RECORD_FILE, WEIGHTS_FILE, EncoderConfig
from models.encoder_data import (HELD_OUT_CONTENT, HELD_OUT_STYLES, TRAIN_CONTENT, Augment,
                                 Painter, Pool, PoolSpec, augmented, build_pool, squashed,
                                 train_style_ids)


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 20251122
    epochs: int = 20
    steps_per_epoch: int = 36      # batches per epoch: 20 x 36 x 32 ~ 23k augmented crops
    batch: int = 32
    learning_rate: float = 2e-3    # Adam, cosine-decayed to 5 % over the run
    threads: int = 2               # TF intra-op threads: the machine's two cores
    # How often each source is drawn: the score mostly compares paintings with machine
    # results, so those weigh more than the plain photos and style paintings.
    source_weights: dict = field(default_factory=lambda: {
        "photo": 0.15, "style": 0.2, "studio": 0.2, "magenta": 0.2, "bot": 0.25})
    encoder: EncoderConfig = EncoderConfig()
    augment: Augment = Augment()
    train: PoolSpec = PoolSpec(TRAIN_CONTENT, tuple(train_style_ids()))
    held_out: PoolSpec = PoolSpec(HELD_OUT_CONTENT, HELD_OUT_STYLES, seed=1)


def tiny_config(seed: int = 0) -> TrainConfig:
    """A config for tests: two pictures, a tiny network, one short epoch."""
    spec = PoolSpec(("coins",), ("mosaic",), bot_budgets=(12,), bot_canvas=(64, 48),
                    magenta=False)
    held = PoolSpec(("camera",), ("drips",), bot_budgets=(12,), bot_canvas=(64, 48),
                    magenta=False)
    return TrainConfig(seed=seed, epochs=1, steps_per_epoch=2, batch=4,
                       encoder=EncoderConfig(size=32, widths=(4, 8), decoder_widths=(8, 4),
                                             code_channels=2, refine=1),
                       train=spec, held_out=held)


def configure_tf(threads: int, seed: int) -> None:
    """Thread caps (before TF starts), seeds and deterministic ops."""
    for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS"):
        os.environ.setdefault(name, str(threads))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass                      # TF already started in this process (tests): keep its pools
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def batches(pool: Pool, config: TrainConfig):
    """A keras PyDataset: batch i of epoch e depends only on (seed, e, i)."""
    import keras

    size = config.encoder.size
    sources = [s for s in config.source_weights if pool.sources.get(s)]
    weights = np.array([config.source_weights[s] for s in sources], np.float64)
    weights /= weights.sum()

    class Crops(keras.utils.PyDataset):
        def __init__(self):
            super().__init__(workers=1, use_multiprocessing=False)
            self.epoch = 0

        def __len__(self):
            return config.steps_per_epoch

        def __getitem__(self, index):
            rng = np.random.default_rng([config.seed, self.epoch, index])
            picks = rng.choice(len(sources), size=config.batch, p=weights)
            batch = np.empty((config.batch, size, size, 3), np.float32)   # (B, S, S, 3)
            for row, k in enumerate(picks):
                images = pool.sources[sources[k]]
                image = images[int(rng.integers(len(images)))]
                batch[row] = augmented(image, size, rng, config.augment) / 255.0
            return batch, batch

        def on_epoch_end(self):
            self.epoch += 1

    return Crops()


def stack(images: list[np.ndarray], size: int) -> np.ndarray:
    """Whole pictures squashed to (N, size, size, 3) float32 in [0, 1]."""
    return np.stack([squashed(image, size) for image in images]).astype(np.float32) / 255.0


def machine_facts() -> dict:
    import keras
    import tensorflow as tf

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.platform(),
            "python": platform.python_version(), "tensorflow": tf.__version__,
            "keras": keras.__version__, "numpy": np.__version__}


def train(config: TrainConfig, out_dir: Path | None = None, painter: Painter | None = None,
          use_magenta: bool = True, command: str = "",
          log: Callable[[str], None] = print) -> dict:
    """Run every step; returns the record (also written beside the weights)."""
    from models.encoder_data import open_magenta_tflite
    from models.score_legacy import fit_calibration

    started = time.monotonic()
    configure_tf(config.threads, config.seed)
    import keras

    from models.encoder import build_autoencoder, embed_codes, set_code_statistics

    out_dir = Path(out_dir) if out_dir is not None else WEIGHTS_FILE.parent
    magenta, magenta_entry = open_magenta_tflite(config.threads) if use_magenta else (None, None)
    log(f"pictures (Magenta: {magenta_entry or 'not used'}) ...")
    pool = build_pool(config.train, painter, magenta, log)
    held = build_pool(config.held_out, painter, magenta, log)
    data_s = time.monotonic() - started

    size = config.encoder.size
    model = build_autoencoder(config.encoder)
    total_steps = config.epochs * config.steps_per_epoch
    schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, total_steps,
                                                      alpha=0.05)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")
    held_images = stack(held.all(), size)
    log(f"training on {pool.counts()}, validating on {held.counts()} ...")
    history = model.fit(batches(pool, config), epochs=config.epochs,
                        validation_data=(held_images, held_images), verbose=2,
                        shuffle=False)
    train_s = time.monotonic() - started - data_s

    train_images = stack(pool.all(), size)
    set_code_statistics(model, model.encoder.predict(train_images, verbose=0)
                        .reshape(len(train_images), -1))
    calibration = fit_calibration(held, lambda images: embed_codes(
        model, model.encoder.predict(stack(images, size), verbose=0)))
    out_dir.mkdir(parents=True, exist_ok=True)
    weights_path = out_dir / WEIGHTS_FILE.name
    bare = build_autoencoder(config.encoder)      # uncompiled: no optimiser state in the file
    bare.set_weights(model.get_weights())
    bare.save_weights(weights_path)
    losses = {k: [round(float(v), 6) for v in vals] for k, vals in history.history.items()}
    record = {
        "what": "Style Duel score autoencoder (models/encoder.py), trained by "
                "models/train_encoder.py",
        "command": command or " ".join(sys.argv),
        "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_facts(),
        "seed": config.seed,
        "epochs": config.epochs, "steps_per_epoch": config.steps_per_epoch,
        "batch": config.batch, "learning_rate": config.learning_rate,
        "threads": config.threads,
        "final_losses": {"train_mse": losses["loss"][-1],
                         "held_out_mse": losses.get("val_loss", [None])[-1]},
        "loss_history": losses,
        "data": {"train": {"spec": _spec_json(config.train), "counts": pool.counts(),
                           "notes": pool.notes},
                 "held_out": {"spec": _spec_json(config.held_out), "counts": held.counts(),
                              "notes": held.notes},
                 "magenta_engine": magenta_entry,
                 "demo_bot": painter is not None,
                 "source_weights": config.source_weights,
                 "augment": asdict(config.augment),
                 "never_seen": "../shared/eval (validation only)"},
        "encoder": config.encoder.to_json(),
        "params": int(model.count_params()),
        "seconds": {"pictures": round(data_s, 1), "training": round(train_s, 1),
                    "total": round(time.monotonic() - started, 1)},
        "weights": {"file": weights_path.name, "bytes": weights_path.stat().st_size,
                    "sha256": hashlib.sha256(weights_path.read_bytes()).hexdigest()},
        "calibration": calibration,
    }
    (out_dir / RECORD_FILE.name).write_text(json.dumps(record, indent=2, ensure_ascii=False)
                                            + "\n", encoding="utf-8")
    log(f"wrote {weights_path} and {out_dir / RECORD_FILE.name} "
        f"({record['seconds']['total']} s)")
    return record


def _spec_json(spec: PoolSpec) -> dict:
    data = asdict(spec)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def command_line(args) -> str:
    """The command that reproduces this run (with the Magenta folder it saw, if any)."""
    from models.encoder_data import SHARED_MODELS_ENV

    parts = ["python main.py models train-encoder"]
    for flag, value in (("--epochs", args.epochs), ("--steps", args.steps),
                        ("--seed", args.seed), ("--out", args.out)):
        if value is not None:
            parts.append(f"{flag} {value}")
    parts += [flag for flag, on in (("--no-bot", args.no_bot), ("--no-magenta", args.no_magenta),
                                    ("--tiny", args.tiny)) if on]
    shared = os.environ.get(SHARED_MODELS_ENV)
    if shared and not args.no_magenta:
        parts.insert(0, f"{SHARED_MODELS_ENV}={shared}")
    return " ".join(parts)


def main(args, bot_painter=None) -> int:
    """The `models train-encoder` subcommand (args from models.cli).

    bot_painter: a factory for the demo bot's Painter; main.py passes game.bot's, because
    models never imports game. Without it the run has no bot paintings and says so.
    """
    if bot_painter is None and not args.no_bot:
        print("train-encoder: no demo-bot painter (run it as `python main.py models "
              "train-encoder`); training without bot paintings", file=sys.stderr)
        args.no_bot = True
    config = tiny_config(args.seed or 0) if args.tiny else TrainConfig()
    changes = {k: v for k, v in (("seed", args.seed), ("epochs", args.epochs),
                                 ("steps_per_epoch", args.steps)) if v is not None}
    config = replace(config, **changes)
    painter = None if args.no_bot else bot_painter()
    train(config, args.out, painter, use_magenta=not args.no_magenta,
          command=command_line(args))
    return 0
