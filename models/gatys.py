"""The Gatys engine: optimise a picture so its VGG features match a photo and its styles.

    result = run_gatys(content, [style], default_settings(False, 3), weights_path)

scipy's L-BFGS-B drives a `tf.function` that returns loss and gradient (or Adam, as in the
TensorFlow tutorial). L-BFGS-B works on u = x / (3 sqrt(N)) rather than the raw image x: its
first step has unit length in the variable whatever the loss scale, and on the raw image it
barely moves. Runs stop on a time budget, a plateau, a cancel, or an iteration cap.
Callers should set OPENBLAS_NUM_THREADS=1 before numpy loads (models/worker.py does): on two
busy cores OpenBLAS's threads made each L-BFGS-B step cost as much as the network.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import scipy.optimize
import tensorflow as tf
from skimage.color import rgb2yiq, yiq2rgb
from skimage.exposure import match_histograms
from skimage.transform import resize

from models import vgg
from models.losses import STATISTICS, nst_loss
from models.settings import GatysSettings, block_of, layers_for_blocks
from models.standins import kuwahara

StyleInput = np.ndarray | tuple[np.ndarray, float]


class LossNotFiniteError(vgg.WeightsError):
    """The loss became NaN or infinite: no optimiser step means anything after that."""


@dataclass
class GatysProgress:
    iteration: int
    loss_parts: dict[str, float]
    seconds: float
    preview: np.ndarray              # (H, W, 3) uint8


@dataclass
class GatysResult:
    image: np.ndarray                # (H, W, 3) uint8
    iterations: int
    seconds: float
    loss_parts: dict[str, float]
    converged: bool                  # stopped on a plateau rather than on time or a cancel
    notes: list[str] = field(default_factory=list)


def resolve_layers(settings: GatysSettings, available: int) -> tuple[GatysSettings, list[str]]:
    """Drop layers the weights cannot serve; say what was dropped and what replaced it."""
    notes, limit = [], min(available, settings.blocks)
    if settings.blocks > available:
        notes.append(f"asked for {settings.blocks} VGG-19 blocks but the weights hold "
                     f"{available}: using blocks 1-{available}")
    if available < 5 and settings.features == "vgg19":
        notes.append(f"weights file holds VGG-19 blocks 1-{available} only")
    fallback_content, fallback_style = layers_for_blocks(limit)
    style = tuple((n, w) for n, w in settings.style_layers if block_of(n) <= limit)
    dropped = [n for n, _ in settings.style_layers if block_of(n) > limit]
    if dropped:
        notes.append(f"style layers beyond block {limit} dropped: {', '.join(dropped)}")
    if not style:
        style = fallback_style
        notes.append(f"no style layer left: using {', '.join(n for n, _ in style)}")
    content = settings.content_layer
    if block_of(content) > limit:
        notes.append(f"content layer {content} beyond block {limit}: using {fallback_content}")
        content = fallback_content
    return replace(settings, content_layer=content, style_layers=style, blocks=limit), notes


def to_size(image: np.ndarray, long_side: int) -> np.ndarray:
    """(H, W, 3) uint8/float -> (h, w, 3) float32 in [0, 255] with the given long side."""
    h, w = image.shape[:2]
    scale = long_side / max(h, w)
    return to_shape(image, (max(1, round(h * scale)), max(1, round(w * scale))))


def to_shape(image: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """(H, W, 3) -> (h, w, 3) float32, bilinear, anti-aliased when shrinking."""
    if image.shape[:2] == tuple(shape[:2]):
        return image.astype(np.float32)
    shrink = shape[0] < image.shape[0]
    out = resize(image.astype(np.float32), (*shape[:2], 3), order=1, anti_aliasing=shrink,
                 preserve_range=True)
    return out.astype(np.float32)


def luminance(image: np.ndarray) -> np.ndarray:
    """(H, W, 3) in [0, 255] -> (H, W) Y of YIQ in [0, 255]."""
    return rgb2yiq(image / 255.0)[..., 0] * 255.0


def with_chroma_of(image: np.ndarray, content: np.ndarray) -> np.ndarray:
    """Y of `image` with I and Q of `content` (both (H, W, 3) floats in [0, 255]), unclipped."""
    yiq = rgb2yiq(content / 255.0)
    yiq[..., 0] = luminance(image) / 255.0
    return yiq2rgb(yiq) * 255.0


def _grey(y: np.ndarray) -> np.ndarray:
    return np.repeat(y[..., None], 3, axis=-1).astype(np.float32)


class Objective:
    """Loss and gradient for one picture size: targets computed once, a traced step."""

    def __init__(self, model, content: np.ndarray, styles: Sequence[np.ndarray],
                 style_weights: Sequence[float], s: GatysSettings):
        stats_fn = STATISTICS[s.statistics]
        features = model(vgg.preprocess(tf.constant(content[None])))
        self.content_target = features[s.content_layer]
        self.style_targets = []
        for style in styles:
            out = model(vgg.preprocess(tf.constant(style[None])))
            self.style_targets.append({n: stats_fn(out[n]) for n, _ in s.style_layers})
        self.shape = content.shape
        self.model, self.settings, self.style_weights = model, s, list(style_weights)
        self._step = tf.function(self._loss_and_grad, reduce_retracing=True, autograph=False)

    def _loss_and_grad(self, variable, scale):
        s = self.settings
        with tf.GradientTape() as tape:
            tape.watch(variable)
            image = variable * scale                                  # (1, H, W, 3) [0, 255]
            features = self.model(vgg.preprocess(image))
            total, parts = nst_loss(
                image, features, s.content_layer, self.content_target, self.style_targets,
                self.style_weights, s.style_layers, statistics=s.statistics,
                relative=s.relative_losses, aggregation=s.aggregation,
                content_weight=s.content_weight, style_weight=s.style_weight,
                tv_weight=s.tv_weight)
        return total, parts, tape.gradient(total, variable)

    def __call__(self, variable: np.ndarray, scale: float):
        """variable: flat float64 or (H, W, 3) -> (loss, parts, gradient like variable)."""
        v = tf.constant(np.reshape(variable, (1, *self.shape)), tf.float32)
        total, parts, grad = self._step(v, tf.constant(scale, tf.float32))
        if not math.isfinite(float(total)):
            # L-BFGS-B would stop at once on a NaN and the run would look "converged" after
            # 0 iterations; broken weights (a layout-valid file of NaNs) are the usual cause.
            kind = "NaN" if math.isnan(float(total)) else "infinite"
            raise LossNotFiniteError(f"the loss became {kind}: the VGG-19 weights look broken")
        parts = {k: float(p) for k, p in parts.items()}
        return float(total), parts, grad.numpy().reshape(np.shape(variable))


class Monitor:
    """Counts iterations and decides when to stop: cancel, cap, plateau or time budget."""

    def __init__(self, s: GatysSettings, clock, start: float, should_stop, progress, preview):
        self.s, self.clock, self.start = s, clock, start
        self.should_stop, self.progress, self.preview = should_stop, progress, preview
        self.iterations, self.last_parts, self.stop_reason = 0, {}, None
        self.last_report = start

    def stage(self, deadline: float, cap: int, final: bool) -> Monitor:
        """Start a scale: it ends by `deadline` (clock) and after iteration `cap` overall."""
        self.deadline, self.cap, self.final, self.history = deadline, cap, final, []
        self.stage_start, self.stop_reason = self.clock(), None
        return self

    def step(self, image_fn: Callable[[], np.ndarray], loss: float, parts: dict) -> bool:
        """Record one finished iteration; True means stop now (the reason is kept)."""
        s, now = self.s, self.clock()
        self.iterations += 1
        self.history.append(loss)
        self.last_parts = dict(parts)
        if self.progress and now - self.last_report >= s.preview_seconds:
            self.last_report = now
            self.progress(GatysProgress(self.iterations, dict(parts), now - self.start,
                                        self.preview(image_fn())))
        per_iteration = (now - self.stage_start) / len(self.history)
        window = self.history[-s.plateau_window - 1:]
        if self.should_stop is not None and self.should_stop():
            self.stop_reason = "cancelled"
        elif self.iterations >= self.cap:
            self.stop_reason = "max_iterations" if self.final else "stage cap"
        elif (len(self.history) > s.plateau_window and window[0] - window[-1]
              < s.plateau_tolerance * s.plateau_window * abs(window[0])):
            self.stop_reason = "converged"
        elif now + per_iteration > self.deadline:
            self.stop_reason = "budget" if self.final else "stage budget"
        return self.stop_reason is not None

    def notes(self) -> list[str]:
        s = self.s
        return [{
            "cancelled": "cancelled",
            "max_iterations": f"stopped at the cap of {s.max_iterations} iterations",
            "converged": f"converged: loss fell < {s.plateau_tolerance:.1%} per iteration "
                         f"over {s.plateau_window} iterations",
            "budget": f"stopped at the time budget of {s.seconds:g} s",
        }.get(self.stop_reason, f"optimiser stopped ({self.stop_reason})")]


def lbfgs(objective: Objective, image: np.ndarray, monitor: Monitor) -> np.ndarray:
    """scipy L-BFGS-B on u = x / (3 sqrt(N)), bounds [0, 255] in x, ftol = gtol = 0."""
    scale = 3.0 * np.sqrt(image.size)
    parts: dict = {}

    def fun(u):
        loss, parts_now, grad = objective(u, scale)
        parts.update(parts_now)
        return loss, grad.astype(np.float64)

    def callback(intermediate_result):
        x = intermediate_result.x
        if monitor.step(lambda: x.reshape(image.shape) * scale, intermediate_result.fun, parts):
            raise StopIteration

    result = scipy.optimize.minimize(
        fun, image.ravel().astype(np.float64) / scale, jac=True, method="L-BFGS-B",
        bounds=scipy.optimize.Bounds(0.0, 255.0 / scale), callback=callback,
        options={"maxiter": 10**6, "maxfun": 10**7, "ftol": 0.0, "gtol": 0.0,
                 "maxcor": monitor.s.lbfgs_maxcor})
    if monitor.stop_reason is None:        # L-BFGS-B gave up by itself: nothing left to gain
        monitor.stop_reason = "converged"
    return np.clip(result.x.reshape(image.shape) * scale, 0, 255).astype(np.float32)


def adam(objective: Objective, image: np.ndarray, monitor: Monitor) -> np.ndarray:
    """Keras's Adam on the image in [0, 1], clipped after each step (the TF NST tutorial)."""
    s, beta2 = monitor.s, 0.999
    v = image / 255.0
    m1, m2 = np.zeros_like(v), np.zeros_like(v)
    for t in range(1, 10**7):
        loss, parts, grad = objective(v, 255.0)
        m1 = s.adam_beta1 * m1 + (1 - s.adam_beta1) * grad
        m2 = beta2 * m2 + (1 - beta2) * grad * grad
        alpha = s.adam_lr * np.sqrt(1 - beta2 ** t) / (1 - s.adam_beta1 ** t)
        v = np.clip(v - alpha * m1 / (np.sqrt(m2) + s.adam_epsilon), 0.0, 1.0)
        if monitor.step(lambda: v * 255.0, loss, parts):
            break
    return (v * 255.0).astype(np.float32)


def _parse_styles(styles: Sequence[StyleInput]) -> tuple[list[np.ndarray], list[float]]:
    if not styles:
        raise ValueError("at least one style image is needed")
    pairs = [s if isinstance(s, tuple) else (s, 1.0) for s in styles]
    return [np.asarray(img) for img, _ in pairs], [float(w) for _, w in pairs]


def _inputs(content: np.ndarray, style_images: list[np.ndarray], s: GatysSettings):
    """(photo, content target, style targets, start image), all float32 in [0, 255]."""
    photo = content.astype(np.float32)
    if s.preserve_colour:    # Gatys et al. 2016: transfer on luminance, styles matched to it
        y = luminance(photo)
        styles = []
        for img in style_images:
            ys = luminance(img.astype(np.float32))
            ys = (ys - ys.mean()) * (y.std() / (ys.std() + 1e-6)) + y.mean()
            styles.append(_grey(np.clip(ys, 0, 255)))
        target = _grey(y)
        start = target
    else:
        target, styles = photo, [img.astype(np.float32) for img in style_images]
        start = (match_histograms(photo, styles[0], channel_axis=-1).astype(np.float32)
                 if s.match_histogram else photo)
    if s.init == "noise":
        start = np.random.default_rng(s.seed).uniform(0, 255, photo.shape).astype(np.float32)
    return photo, target, styles, start


def _finish(image: np.ndarray, photo: np.ndarray, s: GatysSettings, final: bool) -> np.ndarray:
    """Float picture -> uint8: the photo's chroma back if asked, then the Kuwahara pass."""
    if s.preserve_colour:
        image = with_chroma_of(image, to_shape(photo, image.shape))
    out = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return kuwahara(out, radius=s.kuwahara_radius) if final and s.kuwahara_radius else out


def run_gatys(content: np.ndarray, styles: Sequence[StyleInput], settings: GatysSettings,
              weights_path: Path | None, *,
              progress: Callable[[GatysProgress], None] | None = None,
              should_stop: Callable[[], bool] | None = None,
              clock: Callable[[], float] = time.monotonic) -> GatysResult:
    """Paint `content` (H, W, 3) uint8 in the style of `styles` (images or (image, weight)).

    The heaviest style comes first for the histogram-matched start. `clock` is for tests.
    """
    start = clock()
    vgg.configure_threads(settings.threads)
    pairs = sorted(zip(*_parse_styles(styles)), key=lambda p: -p[1])
    style_images, style_weights = [p[0] for p in pairs], [p[1] for p in pairs]
    if settings.features == "random":
        available, notes = 5, ["untrained (random) VGG-19 features: an offline stand-in"]
    else:
        if weights_path is None:
            raise vgg.WeightsError("real VGG-19 features need a weights file")
        available, notes = vgg.file_blocks(Path(weights_path)), []
        if available == 0:
            raise vgg.WeightsError(f"{weights_path} holds no complete VGG-19 block")
    s, layer_notes = resolve_layers(settings, available)
    notes += layer_notes
    outputs = sorted({s.content_layer, *(n for n, _ in s.style_layers)})
    model = (vgg.build_features(outputs, seed=s.seed) if s.features == "random"
             else vgg.build_features(outputs, Path(weights_path)))

    photo, target, styles_f, image = _inputs(content, style_images, s)
    monitor = Monitor(s, clock, start, should_stop, progress,
                      preview=lambda x: _finish(x, photo, s, final=False))
    sizes = [z for z in s.scales if z < s.size] + [s.size]
    optimise = lbfgs if s.optimizer == "lbfgs" else adam
    for i, size in enumerate(sizes):
        final = i == len(sizes) - 1
        target_now = to_size(target, size)
        image = to_shape(image, target_now.shape)
        objective = Objective(model, target_now,
                              [to_size(st, round(size * s.style_size)) for st in styles_f],
                              style_weights, s)
        share = 1.0 if final else s.coarse_share * (i + 1) / (len(sizes) - 1)
        stage = monitor.stage(start + s.seconds * share, round(s.max_iterations * share), final)
        image = optimise(objective, image, stage)
        if monitor.stop_reason == "cancelled":
            break
    image = to_shape(image, to_size(target, s.size).shape)
    if len(sizes) > 1:
        notes.append(f"coarse-to-fine over {', '.join(map(str, sizes))} px")
    notes += monitor.notes()
    return GatysResult(image=_finish(image, photo, s, final=True), iterations=monitor.iterations,
                       seconds=clock() - start, loss_parts=dict(monitor.last_parts),
                       converged=monitor.stop_reason == "converged", notes=notes)
