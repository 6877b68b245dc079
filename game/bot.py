"""The demo bot's brain: plan the brush strokes a painter would make of a content/style pair.

The plan is plain data (``PlannedStroke``) so the demo scene can replay it through the real paint
scene over time; ``render_plan`` paints it directly onto a brushes ``Canvas`` (tests, previews).

How a plan is made (all analysis on a grid of at most ANALYSIS_SIDE px, then scaled up):
  1. The content is restyled in Lab: lightness histogram-matched to the style (keeping some of
     its own, so the subject stays readable), chroma moved to the style's mean and spread.
  2. Every stroke's colour is that restyled colour snapped to the style's dominant colours
     (k-means), lightness first.
  3. Layers, coarse to fine, each placed where a cheap estimate of the canvas so far is still
     furthest from the restyled content:
       - watercolour washes (60-120 px), one zig-zag per SLIC region of similar colour,
         painted light to dark;
       - acrylic body strokes (20-40 px) and then detail strokes (6-12 px) on the strongest
         edges, traced as polylines along the structure-tensor orientation field (along edges,
         across the gradient), ending at strong colour changes or where the canvas is already
         right (Hertzmann-style long strokes).

Planning is numpy/scipy/scikit-image only: no pygame, no TensorFlow, no module-level state.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from skimage.color import lab2rgb, rgb2lab
from skimage.exposure import match_histograms
from skimage.segmentation import find_boundaries, slic
from skimage.transform import resize
from skimage.util import img_as_float

WATERCOLOUR = "watercolour"
ACRYLIC = "acrylic"
MIN_SIZE, MAX_SIZE = 2, 120
PEN_LIFT_SECONDS = 0.1   # render_plan: pause between strokes
WASH_DRY_SECONDS = 6.0   # render_plan: most it waits for washes to dry before acrylic

PALETTE_SIZE = 10        # colours the plan may use; a few more than 8 keeps faces readable
ANALYSIS_SIDE = 320      # long side of the analysis grid: keeps planning well under a second
PALETTE_SIDE = 64        # k-means runs on this many pixels a side; colours, not detail, matter
TONE_KEEP = 0.35         # share of the content's own lightness kept after matching the style
WASH_GLAZE = 0.62        # a wash's optical density relative to its paint's (engine default)
MAX_CHROMA_GAIN = 2.0    # most a nearly grey photo's colour spread is stretched
LIGHTNESS_WEIGHT = 3.0   # snapping favours lightness so the subject's tonal structure survives
MAX_TURN_COS = 0.5       # a stroke ends where it would bend more than 60 degrees in one step
POINT_SPACING = 10.0     # canvas px between planned points: 600 px/s at one point a frame
MIN_NEED = 3.0           # Lab error below which a spot is left alone: paint where it matters
REGION_COMPACTNESS = 15  # SLIC: higher gives rounder wash regions, lower follows colour more
REGIONS_PER_WASH = 1.4   # SLIC merges slivers, so ask for more regions than washes


@dataclass(frozen=True)
class PlannedStroke:
    tool: str                             # WATERCOLOUR | ACRYLIC
    color: tuple[int, int, int]
    size: int                             # brush diameter, canvas px (MIN_SIZE..MAX_SIZE)
    opacity: float                        # 0..1
    points: list[tuple[float, float]]     # canvas (x, y), in drawing order


@dataclass(frozen=True)
class Layer:
    """What every pass of the painting has."""
    tool: str
    sizes: tuple[int, int]          # smallest, largest brush diameter, canvas px
    opacities: tuple[float, float]  # lowest, highest
    share: float                    # fraction of the stroke budget
    most: int                       # cap on the layer's strokes, however big the budget


@dataclass(frozen=True)
class WashLayer(Layer):
    """Blocking in: watercolour washes hatched over regions of similar colour."""
    rows: float                     # hatch row spacing, as a fraction of the brush size
    size_per_side: float            # brush diameter per side (sqrt of area) of its region


@dataclass(frozen=True)
class TracedLayer(Layer):
    """Marks traced along the content's edges, placed where the painting so far is wrong."""
    orient_sigma: float             # orientation smoothing, as a fraction of the largest size
    colour_sigma: float             # colour sampling blur, as a fraction of the largest size
    stop_delta: float               # Lab drift from the start's colour match that ends a stroke
    step: float                     # tracing step as a fraction of the brush size
    min_steps: int                  # steps traced each way whatever the colour does
    max_steps: int                  # most steps traced each way from the start point
    rounds: int                     # batches; each looks at what the earlier ones missed
    on_edges: bool                  # start where the error sits on strong content edges
    focus: float                    # how strictly starts go to the neediest spots (0: anywhere)


# Washes are full strength: a glaze already dries far paler than its paint.
WASH = WashLayer(tool=WATERCOLOUR, sizes=(60, 120), opacities=(0.85, 1.0), share=0.12, most=40,
                 rows=0.7, size_per_side=0.6)
BODY = TracedLayer(tool=ACRYLIC, sizes=(20, 40), opacities=(0.8, 1.0), share=0.68,
                   most=100_000, orient_sigma=0.35, colour_sigma=0.15, stop_delta=15.0,
                   step=0.45, min_steps=2, max_steps=8, rounds=3, on_edges=False, focus=2.0)
DETAIL = TracedLayer(tool=ACRYLIC, sizes=(6, 12), opacities=(0.9, 1.0), share=0.2,
                     most=100_000, orient_sigma=0.5, colour_sigma=0.1, stop_delta=10.0,
                     step=0.6, min_steps=1, max_steps=12, rounds=2, on_edges=True, focus=4.0)
LAYERS = (WASH, BODY, DETAIL)


@dataclass(frozen=True)
class Palette:
    rgb: np.ndarray      # (k, 3) uint8
    lab: np.ndarray      # (k, 3) float
    glazed: np.ndarray   # (k, 3) float Lab of each colour as one watercolour glaze on white


@dataclass(frozen=True)
class Scene:
    """Everything planning needs, on the analysis grid."""
    canvas_size: tuple[int, int]    # (w, h) canvas px
    scale: float                    # canvas px per analysis px
    rgb: np.ndarray                 # (h, w, 3) style-matched content, RGB 0..1
    lab: np.ndarray                 # (h, w, 3) the same in Lab
    tensor: np.ndarray              # (h, w, 3) unsmoothed structure tensor gx², gy², gx·gy
    edges: np.ndarray               # (h, w) colour gradient magnitude of ``lab``
    palette: Palette


# ----------------------------------------------------------------------------- images


def _as_rgb(image: np.ndarray) -> np.ndarray:
    """Any photo (grey, RGB, RGBA; uint8 or float) as (H, W, 3) float in 0..1."""
    rgb = img_as_float(np.asarray(image))
    if rgb.ndim == 2:
        rgb = np.repeat(rgb[..., None], 3, axis=2)
    return np.clip(rgb[..., :3], 0.0, 1.0)


def _resize(rgb: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """(H, W, 3) float -> (h, w, 3) float, anti-aliased when shrinking.

    Whole-factor shrinking is done first by block averaging: much cheaper than the Gaussian
    anti-aliasing of a big photo, which is then only needed for the last step of under 2x.
    """
    f = int(min(rgb.shape[0] / shape[0], rgb.shape[1] / shape[1]))
    if f > 1:
        h, w = rgb.shape[0] // f, rgb.shape[1] // f
        rgb = rgb[:h * f, :w * f].reshape(h, f, w, f, -1).mean(axis=(1, 3))
    return resize(rgb, shape, order=1, anti_aliasing=True, preserve_range=True)


def _fit_long_side(shape: tuple[int, int], side: int) -> tuple[int, int]:
    """(h, w) scaled so the long side is at most ``side`` (never enlarged below 1 px)."""
    h, w = shape
    f = min(1.0, side / max(h, w))
    return max(1, round(h * f)), max(1, round(w * f))


# ----------------------------------------------------------------------------- palette


def _kmeans_pp_init(data: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeds: spread-out starting centres so rare accent colours are not lost."""
    centres = [data[rng.integers(len(data))]]
    for _ in range(1, k):
        d2 = np.min(((data[:, None, :] - np.asarray(centres)[None]) ** 2).sum(-1), axis=1)
        if d2.sum() <= 0:       # fewer distinct colours than k: stop early
            break
        centres.append(data[rng.choice(len(data), p=d2 / d2.sum())])
    return np.asarray(centres)


def _kmeans(data: np.ndarray, k: int, rng: np.random.Generator, iters: int = 20):
    """Lloyd's k-means on (N, 3) -> centres (k', 3), counts (k',), dropping empty clusters."""
    centres = _kmeans_pp_init(data, k, rng)
    for _ in range(iters):
        labels = np.argmin(((data[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        counts = np.bincount(labels, minlength=len(centres))
        keep = counts > 0
        sums = np.stack([np.bincount(labels, data[:, c], len(centres)) for c in range(3)], 1)
        centres = sums[keep] / counts[keep, None]
    labels = np.argmin(((data[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    return centres, np.bincount(labels, minlength=len(centres))


def _palette(style_rgb: np.ndarray, n_colors: int, seed: int) -> Palette:
    """Dominant style colours, most common first."""
    small = _resize(_as_rgb(style_rgb), _fit_long_side(np.shape(style_rgb)[:2], PALETTE_SIDE))
    lab = rgb2lab(small).reshape(-1, 3)   # clustering in Lab groups colours as the eye does
    centres, counts = _kmeans(lab, max(1, n_colors), np.random.default_rng(seed))
    centres = centres[np.argsort(-counts, kind="stable")]
    rgb = np.clip(np.round(lab2rgb(centres[None])[0] * 255), 0, 255).astype(np.uint8)
    rgb, first = np.unique(rgb, axis=0, return_index=True)   # rounding can merge near twins
    rgb = rgb[np.argsort(first)]
    return Palette(rgb=rgb, lab=_rgb8_to_lab(rgb), glazed=_rgb8_to_lab(rgb, WASH_GLAZE))


def _rgb8_to_lab(rgb, glaze=1.0) -> np.ndarray:
    """(N, 3) uint8 colours -> (N, 3) Lab, optionally as glazes of that strength on white.

    ``glaze`` is a number or an (N, 1) array, one strength per colour.
    A glaze transmits colour**glaze (Beer-Lambert), so a weak glaze looks paler than its paint.
    """
    return rgb2lab((np.asarray(rgb, float)[None] / 255) ** glaze)[0]


def style_palette(style_rgb, n_colors: int = 8, seed: int = 0) -> list[tuple[int, int, int]]:
    """Up to ``n_colors`` dominant colours of a style image, most common first."""
    return [tuple(int(v) for v in c) for c in _palette(style_rgb, n_colors, seed).rgb]


def _snap(lab: np.ndarray, looks: np.ndarray) -> np.ndarray:
    """(..., 3) Lab -> (...,) index of the nearest of (k, 3) Lab palette looks, lightness weighted.

    ``looks`` is how each palette colour will appear: its own Lab for acrylic, its glazed Lab
    for watercolour, so a wash over a dark area picks a pigment dark enough to read as dark.
    """
    weights = np.array([LIGHTNESS_WEIGHT, 1.0, 1.0])
    d2 = (((lab[..., None, :] - looks) ** 2) * weights).sum(-1)
    return np.argmin(d2, axis=-1)


# ----------------------------------------------------------------------------- scene


def _styled(content: np.ndarray, style: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Content (h, w, 3) float RGB in the style's colours -> (RGB 0..1, Lab), in gamut.

    Lightness is histogram-matched to the style (its light/dark balance), with some of the
    content's own lightness mixed back in: a dark style would otherwise squash a face and the
    sky behind it into one mid tone. Chroma (a, b) is moved to the style's mean and spread
    instead of rank-matched: rank matching would blow the faint colour noise of a greyish
    photo up into the style's full range of hues.
    """
    src, ref = rgb2lab(content), rgb2lab(style)
    out = np.empty_like(src)
    light = match_histograms(src[..., 0], ref[..., 0])
    out[..., 0] = light + TONE_KEEP * (src[..., 0] - light)
    for ch in (1, 2):
        spread = src[..., ch].std()
        gain = min(ref[..., ch].std() / max(spread, 1e-6), MAX_CHROMA_GAIN)
        out[..., ch] = (src[..., ch] - src[..., ch].mean()) * gain + ref[..., ch].mean()
    with warnings.catch_warnings():     # the shifted colours can leave the gamut:
        warnings.simplefilter("ignore")  # clipping back into it is the point here
        rgb = np.clip(lab2rgb(out), 0.0, 1.0)
    return rgb, rgb2lab(rgb)


def _scene(content_rgb, style_rgb, canvas_size: tuple[int, int], seed: int = 0) -> Scene:
    """Resize, colour-match and palette a content/style pair for a (w, h) canvas."""
    w, h = canvas_size
    grid = _fit_long_side((h, w), ANALYSIS_SIDE)
    content = _resize(_as_rgb(content_rgb), grid)
    style = _as_rgb(style_rgb)
    style = _resize(style, _fit_long_side(style.shape[:2], ANALYSIS_SIDE))
    rgb, lab = _styled(content, style)
    tensor = _tensor(lab)
    return Scene(canvas_size=(w, h), scale=w / grid[1], rgb=rgb, lab=lab, tensor=tensor,
                 edges=np.sqrt(tensor[..., 0] + tensor[..., 1]) / 8.0,   # Sobel gain is 8
                 palette=_palette(style_rgb, PALETTE_SIZE, seed))


def style_target(content_rgb, style_rgb, canvas_size: tuple[int, int], seed: int = 0):
    """What the plan aims at: the content in the style's palette, (h, w, 3) uint8 canvas size."""
    scene = _scene(content_rgb, style_rgb, canvas_size, seed)
    snapped = scene.palette.rgb[_snap(scene.lab, scene.palette.lab)]     # (gh, gw, 3) uint8
    w, h = canvas_size
    rows = np.minimum((np.arange(h) / scene.scale).astype(int), snapped.shape[0] - 1)
    cols = np.minimum((np.arange(w) / scene.scale).astype(int), snapped.shape[1] - 1)
    return snapped[rows[:, None], cols[None, :]]


# ----------------------------------------------------------------------------- fields


def _blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur over the two image axes only.

    Cut at 3 sigma rather than scipy's 4: these fields steer brush strokes, and the wide
    orientation blurs are the costliest step of planning.
    """
    spatial = (sigma, sigma) + (0,) * (image.ndim - 2)
    return ndimage.gaussian_filter(image, spatial, truncate=3.0) if sigma > 0 else image


def _tensor(lab: np.ndarray) -> np.ndarray:
    """Per-pixel structure tensor (h, w, 3): gx², gy², gx·gy summed over the Lab channels.

    Chroma counts too, so edges between equally light but different colours still steer strokes.
    """
    smooth = _blur(lab, 1.0)
    gy, gx = ndimage.sobel(smooth, axis=0), ndimage.sobel(smooth, axis=1)
    return np.stack([(gx * gx).sum(-1), (gy * gy).sum(-1), (gx * gy).sum(-1)], axis=-1)


def _along_edges(jxx, jyy, jxy) -> np.ndarray:
    """Stroke angle (radians, any shape) from tensor parts: along edges, across the gradient."""
    return 0.5 * np.arctan2(2 * jxy, jxx - jyy) + np.pi / 2


def _orientation(tensor: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Stroke direction field: unit tangent (h, w, 2) as (dx, dy), and coherence (h, w) in 0..1.

    The tangent is the smoothed structure tensor's minor eigenvector. Coherence is low where
    there is no dominant direction (flat or busy areas).
    """
    jxx, jyy, jxy = np.moveaxis(_blur(tensor, sigma), -1, 0)
    along = _along_edges(jxx, jyy, jxy)
    tangent = np.stack([np.cos(along), np.sin(along)], axis=-1)
    spread = np.hypot(jxx - jyy, 2 * jxy)           # eigenvalue difference
    coherence = (spread / (jxx + jyy + 1e-9)) ** 2
    return tangent, coherence


def _sample(field: np.ndarray, points: np.ndarray, scale: float) -> np.ndarray:
    """Nearest-neighbour lookup of an analysis-grid field at (N, 2) canvas (x, y) points."""
    h, w = field.shape[:2]
    cols = np.clip((points[:, 0] / scale).astype(int), 0, w - 1)
    rows = np.clip((points[:, 1] / scale).astype(int), 0, h - 1)
    return field[rows, cols]


# ----------------------------------------------------------------------------- estimate


def _blank_estimate(scene: Scene) -> np.ndarray:
    """(h, w, 3) Lab of an unpainted (white) canvas on the analysis grid."""
    return np.broadcast_to(np.array([100.0, 0.0, 0.0]), scene.lab.shape).copy()


def _resample(line: np.ndarray, spacing: float) -> np.ndarray:
    """(P, 2) polyline -> (Q, 2) points evenly ``spacing`` apart along it, ends kept.

    Even spacing keeps the replayed pointer speed steady.
    """
    seg = np.linalg.norm(np.diff(line, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    if arc[-1] <= 0:
        return line[:1]
    at = np.linspace(0.0, arc[-1], max(2, int(np.ceil(arc[-1] / spacing)) + 1))
    return np.stack([np.interp(at, arc, line[:, 0]), np.interp(at, arc, line[:, 1])], axis=1)


def _pointer_path(line: np.ndarray) -> list[tuple[float, float]]:
    """(P, 2) canvas polyline -> the stroke's points, at most POINT_SPACING px apart.

    Replayed one point per frame, that spacing is a moderate pointer speed: the engines paint
    fast strokes thinner and lighter, as a hurried hand would.
    """
    if len(line) > 1:
        line = _resample(line, POINT_SPACING)
    return [(x, y) for x, y in np.round(line, 1).tolist()]


def _disc(radius: float) -> np.ndarray:
    """(2r+1, 2r+1) bool disc of ``radius`` grid px, r = radius rounded up."""
    r = int(np.ceil(radius))
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    return xx * xx + yy * yy <= max(radius, 0.5) ** 2


def _stroke_footprint(stroke: PlannedStroke, scale: float, shape: tuple[int, int]):
    """Grid pixels a stroke covers: (row slice, col slice, bool mask of that box).

    Discs stamped every half radius along the stroke: one small slice operation per stamp,
    far cheaper than measuring every pixel's distance to the polyline.
    """
    radius = max(stroke.size / 2 / scale, 0.5)
    line = _resample(np.asarray(stroke.points, float) / scale, radius / 2)
    disc = _disc(radius)
    r = disc.shape[0] // 2
    centres = np.floor(line).astype(int)                         # (P, 2) grid (x, y)
    origin = centres.min(axis=0) - r                             # padded box, top left
    extent = centres.max(axis=0) - origin + r + 1
    mask = np.zeros((extent[1], extent[0]), bool)
    for x, y in (centres - origin - r).tolist():
        mask[y:y + 2 * r + 1, x:x + 2 * r + 1] |= disc
    h, w = shape
    x0, y0 = np.maximum(origin, 0)
    x1, y1 = np.minimum(origin + extent, [w, h])
    crop = mask[y0 - origin[1]:y1 - origin[1], x0 - origin[0]:x1 - origin[0]]
    return slice(y0, y1), slice(x0, x1), crop


def _paint_estimate(estimate: np.ndarray, strokes: list[PlannedStroke],
                    scale: float) -> np.ndarray:
    """The (h, w, 3) Lab estimate with ``strokes`` laid over it as flat translucent marks.

    A cheap stand-in for the brush engine: good enough to see where paint is still missing.
    Watercolour counts at its glazed, paler look.
    """
    out = estimate.copy()
    if not strokes:
        return out
    glaze = np.array([[WASH_GLAZE if s.tool == WATERCOLOUR else 1.0] for s in strokes])
    looks = _rgb8_to_lab([s.color for s in strokes], glaze)                  # (N, 3)
    for stroke, colour in zip(strokes, looks):
        rows, cols, mask = _stroke_footprint(stroke, scale, out.shape[:2])
        region = out[rows, cols]
        region[mask] += stroke.opacity * (colour - region[mask])
    return out


# ----------------------------------------------------------------------------- start points


def _need(fields: Fields, estimate: np.ndarray, edges: np.ndarray, spec: TracedLayer,
          cell: int) -> np.ndarray:
    """(h, w) how much a layer's stroke is wanted at each grid pixel.

    Broad layers go where the estimate is furthest from the target over a brush-sized area,
    favouring busy areas: shapes (a face) make a subject recognisable more than flat tone does.
    The detail layer goes where the error sits on strong content edges.
    """
    error = np.linalg.norm(fields.colour - estimate, axis=-1)
    if spec.on_edges:
        return error * edges / (edges.max() + 1e-9)
    busy = _blur(edges, cell)
    return _blur(error, cell / 2) * np.minimum(0.5 + busy / (busy.mean() + 1e-9), 3.0)


def _peak_starts(n: int, need: np.ndarray, cell: int, floor: float, focus: float,
                 rng: np.random.Generator) -> np.ndarray:
    """(<=n, 2) grid (x, y) points at needy pixels, at most one per ``cell``-px block.

    Blocks are drawn at random with odds need**focus (Gumbel top-k), so strokes spread over
    everything that needs paint instead of piling onto the worst spot; a large ``focus`` picks
    the neediest blocks outright. Within a block the start is its neediest pixel. The block
    grid is shifted at random so rounds do not line up. Blocks below ``floor`` are left.
    """
    h, w = need.shape
    oy, ox = rng.integers(0, cell, 2)
    bh, bw = -(-(h + oy) // cell), -(-(w + ox) // cell)
    padded = np.full((bh * cell, bw * cell), -1.0)
    padded[oy:oy + h, ox:ox + w] = need
    blocks = padded.reshape(bh, cell, bw, cell).transpose(0, 2, 1, 3).reshape(bh, bw, -1)
    best = blocks.argmax(-1)                                      # (bh, bw) index in block
    peak = blocks.max(-1)
    key = focus * np.log(np.maximum(peak, 1e-9)) + rng.gumbel(size=peak.shape)
    order = np.argsort(-key, axis=None, kind="stable")[:n]
    order = order[peak.ravel()[order] > floor]
    by, bx = np.divmod(order, bw)
    iy, ix = np.divmod(best.ravel()[order], cell)
    jitter = rng.uniform(0.0, 1.0, (len(order), 2))
    pts = np.stack([bx * cell + ix - ox, by * cell + iy - oy], axis=1) + jitter
    return np.clip(pts, 0, [w - 1e-3, h - 1e-3])


# ----------------------------------------------------------------------------- tracing


@dataclass(frozen=True)
class Fields:
    """The fields one layer traces through, on the analysis grid."""
    tangent: np.ndarray     # (h, w, 2) unit (dx, dy)
    coherence: np.ndarray   # (h, w)
    colour: np.ndarray      # (h, w, 3) Lab target, blurred to the layer's brush scale
    scale: float            # canvas px per grid px
    canvas_size: tuple[int, int]


@dataclass(frozen=True)
class Brush:
    """Per-stroke settings of one round, as arrays."""
    paint: np.ndarray       # (N, 3) Lab of the palette colour laid down
    step: np.ndarray        # (N,) canvas px per tracing step


def _steer(tangent: np.ndarray, coherence: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """Next unit direction: the local tangent, sign-aligned with the heading.

    Where the field is incoherent the stroke keeps its heading, so flat areas get straight
    strokes rather than jitter.
    """
    sign = np.where((tangent * heading).sum(-1) < 0, -1.0, 1.0)[:, None]
    c = coherence[:, None]
    d = c * tangent * sign + (1 - c) * heading
    return d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-9)


def _worth_painting(points, brush: Brush, start_miss, fields: Fields, estimate,
                    spec: TracedLayer) -> np.ndarray:
    """(N,) whether each stroke should go on through ``points``.

    As in Hertzmann's long strokes: only while the paint is closer to the target than what is
    already there, and while the target has not drifted ``stop_delta`` past how well the paint
    matched at the start (a strong colour change: the edge of the shape).
    """
    target = _sample(fields.colour, points, fields.scale)
    miss = np.linalg.norm(target - brush.paint, axis=1)
    already = np.linalg.norm(target - _sample(estimate, points, fields.scale), axis=1)
    return (miss < already) & (miss < start_miss + spec.stop_delta)


def _trace_one_way(start, heading, brush: Brush, fields: Fields, estimate,
                   spec: TracedLayer) -> np.ndarray:
    """Follow the field from (N, 2) canvas starts -> (max_steps, N, 2) points, NaN after a stop.

    The first ``min_steps`` ignore colour (not the canvas edge or sharp turns) so every stroke
    has some length: a painter's mark is never a dot.
    """
    w, h = fields.canvas_size
    start_target = _sample(fields.colour, start, fields.scale)
    start_miss = np.linalg.norm(start_target - brush.paint, axis=1)
    pos, head = start.copy(), heading.copy()
    alive = np.ones(len(start), bool)
    out = np.full((spec.max_steps, len(start), 2), np.nan)
    for k in range(spec.max_steps):
        tangent = _sample(fields.tangent, pos, fields.scale)
        coherence = _sample(fields.coherence, pos, fields.scale)
        new_head = _steer(tangent, coherence, head)
        nxt = pos + new_head * brush.step[:, None]
        inside = (nxt[:, 0] >= 0) & (nxt[:, 0] <= w - 1) & (nxt[:, 1] >= 0) & (nxt[:, 1] <= h - 1)
        worth = _worth_painting(nxt, brush, start_miss, fields, estimate, spec)
        smooth = (new_head * head).sum(-1) > MAX_TURN_COS
        alive &= inside & smooth & (worth | (k < spec.min_steps))
        pos = np.where(alive[:, None], nxt, pos)
        head = np.where(alive[:, None], new_head, head)
        out[k, alive] = nxt[alive]
    return out


def _trace(starts: np.ndarray, brush: Brush, fields: Fields, estimate: np.ndarray,
           spec: TracedLayer, rng: np.random.Generator) -> list[list[tuple[float, float]]]:
    """Polylines through each (N, 2) canvas start, traced both ways, in drawing order."""
    heading = _sample(fields.tangent, starts, fields.scale)
    heading *= rng.choice([-1.0, 1.0], len(starts))[:, None]       # vary drawing direction
    ahead = _trace_one_way(starts, heading, brush, fields, estimate, spec)
    behind = _trace_one_way(starts, -heading, brush, fields, estimate, spec)
    lines = []
    for i, start in enumerate(starts):
        back = behind[::-1, i][~np.isnan(behind[::-1, i, 0])]
        fore = ahead[:, i][~np.isnan(ahead[:, i, 0])]
        lines.append(_pointer_path(np.concatenate([back, start[None], fore])))
    return lines


# ----------------------------------------------------------------------------- washes


@dataclass(frozen=True)
class HatchFrame:
    """A region's pixels seen in hatch coordinates: u along the rows, v across them."""
    centre: np.ndarray      # (2,) grid (x, y) origin
    along: np.ndarray       # (2,) unit vector of u
    across: np.ndarray      # (2,) unit vector of v
    u: np.ndarray           # (M,) each pixel's u
    row: np.ndarray         # (M,) each pixel's row index
    mid: np.ndarray         # (rows,) v of each row's centre line


def _hatch_frame(pixels: np.ndarray, angle: float, spacing: float,
                 radius: float) -> HatchFrame:
    """Rows ``spacing`` apart at ``angle`` over (M, 2) (x, y) pixels, a brush radius inside."""
    along = np.array([np.cos(angle), np.sin(angle)])
    across = np.array([-along[1], along[0]])
    centre = pixels.mean(axis=0)
    u, v = (pixels - centre) @ along, (pixels - centre) @ across
    v_lo, v_hi = v.min() + radius, v.max() - radius
    if v_lo >= v_hi:                                    # thinner than the brush: one row
        v_lo = v_hi = (v.min() + v.max()) / 2
    rows = max(1, int(np.ceil((v_hi - v_lo) / spacing)) + 1)
    row = np.clip(np.round((v - v_lo) / max(v_hi - v_lo, 1e-9) * (rows - 1)), 0, rows - 1)
    return HatchFrame(centre, along, across, u, row.astype(int), np.linspace(v_lo, v_hi, rows))


def _row_runs(frame: HatchFrame, gap: float) -> list[list[tuple[float, float]]]:
    """Per row, the (lo, hi) stretches of u the region fills, split where it has a wider gap.

    Narrow gaps (a ragged region border) are painted across: not worth lifting the brush.
    """
    order = np.lexsort((frame.u, frame.row))
    u, row = frame.u[order], frame.row[order]
    breaks = (np.diff(row) != 0) | (np.diff(u) > gap)
    starts = np.concatenate([[0], np.nonzero(breaks)[0] + 1])
    ends = np.concatenate([starts[1:], [len(u)]]) - 1
    runs: list[list[tuple[float, float]]] = [[] for _ in frame.mid]
    for a, b in zip(starts.tolist(), ends.tolist()):
        runs[row[a]].append((float(u[a]), float(u[b])))
    return runs


def _chains(runs: list[list[tuple[float, float]]]) -> list[list[tuple[int, float, float]]]:
    """Runs of consecutive rows that overlap, grouped into chains: (row, lo, hi) each.

    A boustrophedon decomposition: one chain is what one zig-zag can cover without crossing
    ground outside the region, so a U-shaped region becomes its bar and its two arms.
    """
    chains: list[list[tuple[int, float, float]]] = []
    growing: list[list[tuple[int, float, float]]] = []     # chains ending in the last row
    for r, row_runs in enumerate(runs):
        grown: list[list[tuple[int, float, float]]] = []
        for lo, hi in row_runs:
            touching = [c for c in growing if c[-1][1] <= hi and c[-1][2] >= lo]
            if len(touching) == 1 and not any(c is touching[0] for c in grown):
                chain = touching[0]
            else:                                           # a split, a join or a new piece
                chain = []
                chains.append(chain)
            chain.append((r, lo, hi))
            grown.append(chain)
        growing = grown
    return chains


def _zigzag(frame: HatchFrame, chain: list[tuple[int, float, float]],
            radius: float) -> np.ndarray:
    """(P, 2) grid polyline running a chain's rows back and forth, a radius short of the ends."""
    ends = []
    for i, (r, lo, hi) in enumerate(chain):
        inset = min(radius, (hi - lo) / 2)
        row_ends = [(lo + inset, r), (hi - inset, r)]
        ends += row_ends if i % 2 == 0 else row_ends[::-1]
    u = np.array([e[0] for e in ends])
    v = frame.mid[[e[1] for e in ends]]
    return frame.centre + u[:, None] * frame.along + v[:, None] * frame.across


def _hatch(pixels: np.ndarray, angle: float, spacing: float, radius: float) -> list[np.ndarray]:
    """Zig-zag (P, 2) grid polylines covering a region's (M, 2) (x, y) pixels, biggest first.

    Rows run at ``angle`` (along the region's edges) and keep a brush ``radius`` inside the
    region, so the brush's own width fills to the border without spilling over it. Pieces
    shorter than the brush is wide are left to the neighbours' overspill.
    """
    frame = _hatch_frame(pixels, angle, spacing, radius)
    chains = _chains(_row_runs(frame, radius))
    length = [sum(hi - lo for _, lo, hi in chain) for chain in chains]
    biggest = np.argsort(length, kind="stable")[::-1]
    keep = [i for i in biggest if i == biggest[0] or length[i] >= 2 * radius]
    return [_zigzag(frame, chains[i], radius) for i in keep]


def _regions(scene: Scene, n: int) -> np.ndarray:
    """(h, w) labels 0..k-1: about ``n`` regions of similar colour to wash in.

    SLIC is given RGB: it rescales its input to 0..1 before its own Lab conversion, so its
    compactness means the same for every picture.
    """
    return slic(scene.rgb, n_segments=n, compactness=REGION_COMPACTNESS, start_label=0,
                channel_axis=-1)


def _region_means(labels: np.ndarray, image: np.ndarray) -> np.ndarray:
    """(k, C) mean of an (h, w, C) image over each of the labels 0..k-1."""
    flat = labels.ravel()
    k = flat.max() + 1
    count = np.maximum(np.bincount(flat, minlength=k), 1)
    sums = [np.bincount(flat, image[..., c].ravel(), k) for c in range(image.shape[-1])]
    return np.stack(sums, axis=1) / count[:, None]


def _region_thickness(labels: np.ndarray) -> np.ndarray:
    """(k,) widest brush (grid px) that fits inside each region: twice its deepest point."""
    depth = ndimage.distance_transform_edt(~find_boundaries(labels, mode="inner"))
    index = np.arange(labels.max() + 1)
    return 2.0 * np.asarray(ndimage.maximum(depth, labels, index)) + 1.0


def _region_stats(labels: np.ndarray, scene: Scene, estimate: np.ndarray):
    """Per region: pixel count (k,), mean target Lab (k, 3), wash angle (k,), need (k,)."""
    flat = labels.ravel()
    k = flat.max() + 1
    count = np.bincount(flat, minlength=k).astype(float)
    mean = _region_means(labels, scene.lab)
    parts = [np.bincount(flat, scene.tensor[..., c].ravel(), k) for c in range(3)]
    error = np.linalg.norm(scene.lab - estimate, axis=-1).ravel()
    need = np.bincount(flat, error, k)                    # total error: big, wrong regions first
    return count, mean, _along_edges(*parts), need


def _wash(line: np.ndarray, colour: np.ndarray, size: float, scene: Scene, spec: WashLayer,
          rng: np.random.Generator) -> PlannedStroke:
    """One wash stroke along a (P, 2) grid polyline."""
    w, h = scene.canvas_size
    line = np.clip(line * scene.scale, 0, [w - 1, h - 1])
    return PlannedStroke(spec.tool, tuple(int(v) for v in colour), int(round(size)),
                         round(float(rng.uniform(*spec.opacities)), 3), _pointer_path(line))


def _plan_washes(n: int, scene: Scene, spec: WashLayer, estimate: np.ndarray,
                 rng: np.random.Generator) -> list[PlannedStroke]:
    """Up to ``n`` watercolour washes hatching colour regions, the most needed regions first.

    A region is one zig-zag, or a few if its shape needs them. The washes are then painted
    light to dark, as watercolourists do: a dark wash may glaze over a light one, never the
    other way round.
    """
    labels = _regions(scene, round(n * REGIONS_PER_WASH))
    count, mean, angle, need = _region_stats(labels, scene, estimate)
    fit = np.minimum(np.sqrt(count) * spec.size_per_side, _region_thickness(labels))
    ys, xs = np.indices(labels.shape).reshape(2, -1)
    pixels = np.stack([xs, ys], axis=1) + 0.5                  # (h*w, 2) grid (x, y) centres
    order = np.argsort(-need, kind="stable")
    order = order[need[order] > MIN_NEED * count[order]]
    picks = _snap(mean[order], scene.palette.glazed)
    main, extra = [], []          # (lightness, stroke): every region's first zig-zag comes first
    for region, pick in zip(order[:n], picks):
        size = np.clip(fit[region] * scene.scale, *spec.sizes)
        grid_size = size / scene.scale
        lines = _hatch(pixels[labels.ravel() == region], angle[region], spec.rows * grid_size,
                       grid_size / 2)
        washes = [(mean[region, 0], _wash(line, scene.palette.rgb[pick], size, scene, spec,
                                          rng)) for line in lines]
        main += washes[:1]
        extra += washes[1:]
    chosen = sorted((main + extra)[:n], key=lambda wash: -wash[0])   # stable: light to dark
    return [stroke for _, stroke in chosen]


# ----------------------------------------------------------------------------- layers


def _layer_counts(budget: int) -> list[int]:
    """Strokes per layer, summing to ``budget``; each gets one as soon as the budget allows."""
    if budget <= 0:
        return [0] * len(LAYERS)
    counts = [min(max(int(budget * spec.share), 1), spec.most) for spec in LAYERS]
    body = LAYERS.index(BODY)
    counts[body] += max(budget - sum(counts), 0)   # leftovers go to the body layer
    while sum(counts) > budget:                    # tiny budgets: trim the finest layers
        counts[max(i for i, c in enumerate(counts) if c > 0)] -= 1
    return counts


def _round_counts(n: int, rounds: int) -> list[int]:
    """``n`` strokes split into ``rounds`` nearly equal batches, larger ones first."""
    return [c for c in (n // rounds + (i < n % rounds) for i in range(rounds)) if c > 0]


def _layer_fields(scene: Scene, spec: TracedLayer) -> Fields:
    """Orientation and colour fields smoothed to the layer's brush scale."""
    big = spec.sizes[1] / scene.scale   # largest brush in grid px
    tangent, coherence = _orientation(scene.tensor, spec.orient_sigma * big)
    return Fields(tangent, coherence, _blur(scene.lab, spec.colour_sigma * big),
                  scene.scale, scene.canvas_size)


def _sizes(starts: np.ndarray, scene: Scene, spec: TracedLayer,
           rng: np.random.Generator) -> np.ndarray:
    """(N,) brush diameters: smaller where the content is busy, so detail gets finer marks."""
    busy = _sample(_blur(scene.edges, spec.sizes[1] / scene.scale), starts, scene.scale)
    busy = busy / (scene.edges.mean() * 4 + 1e-9)
    lo, hi = spec.sizes
    size = hi - (hi - lo) * np.clip(busy + rng.uniform(-0.15, 0.15, len(starts)), 0, 1)
    return np.clip(np.round(size), max(lo, MIN_SIZE), min(hi, MAX_SIZE)).astype(int)


def _plan_round(n: int, scene: Scene, spec: TracedLayer, fields: Fields, estimate: np.ndarray,
                rng: np.random.Generator) -> list[PlannedStroke]:
    """Up to ``n`` strokes where the estimate most needs them, seed-shuffled."""
    cell = max(2, round(sum(spec.sizes) / 2 / scene.scale))    # about one brush width
    need = _need(fields, estimate, scene.edges, spec, cell)
    w, h = scene.canvas_size
    starts = _peak_starts(n, need, cell, MIN_NEED, spec.focus, rng) * scene.scale
    starts = np.clip(starts, 0, [w - 1, h - 1])     # the last grid px reaches past the canvas
    sizes = _sizes(starts, scene, spec, rng)
    picks = _snap(_sample(fields.colour, starts, scene.scale), scene.palette.lab)
    brush = Brush(paint=scene.palette.lab[picks], step=sizes * spec.step)
    lines = _trace(starts, brush, fields, estimate, spec, rng)
    opacities = rng.uniform(*spec.opacities, len(starts))
    strokes = [PlannedStroke(spec.tool, tuple(int(v) for v in scene.palette.rgb[pick]),
                             int(size), round(float(alpha), 3), line)
               for pick, size, alpha, line in zip(picks, sizes, opacities, lines)]
    return [strokes[i] for i in rng.permutation(len(strokes))]


def _plan_layer(n: int, scene: Scene, spec: Layer, estimate: np.ndarray,
                rng: np.random.Generator) -> tuple[list[PlannedStroke], np.ndarray]:
    """Up to ``n`` strokes of one layer, in rounds that each look at what is still missing.

    Returns the strokes and the estimate with them painted.
    """
    if n <= 0:
        return [], estimate
    if isinstance(spec, WashLayer):
        strokes = _plan_washes(n, scene, spec, estimate, rng)
        return strokes, _paint_estimate(estimate, strokes, scene.scale)
    fields = _layer_fields(scene, spec)
    strokes: list[PlannedStroke] = []
    for count in _round_counts(n, spec.rounds):
        batch = _plan_round(count, scene, spec, fields, estimate, rng)
        estimate = _paint_estimate(estimate, batch, scene.scale)
        strokes += batch
    return strokes, estimate


def plan_painting(content_rgb, style_rgb, canvas_size: tuple[int, int], seed: int = 0,
                  budget: int = 200) -> list[PlannedStroke]:
    """At most ``budget`` strokes painting the content in the style's colours, coarse to fine.

    ``canvas_size`` is (w, h); inputs of any size are resized to it. Deterministic per seed.
    """
    scene = _scene(content_rgb, style_rgb, canvas_size, seed)
    rng = np.random.default_rng(seed)
    estimate = _blank_estimate(scene)
    plan: list[PlannedStroke] = []
    unused = 0      # strokes a layer could not place go to the next, finer one
    for spec, n in zip(LAYERS, _layer_counts(budget)):
        strokes, estimate = _plan_layer(n + unused, scene, spec, estimate, rng)
        unused = n + unused - len(strokes)
        plan += strokes
    return plan


# ----------------------------------------------------------------------------- rendering


def _let_dry(canvas, seconds: float, frame: float) -> None:
    """Advance the canvas frame by frame, as the game loop would, until it is dry or time is up.

    The engine runs a bounded number of drying ticks per update, so one long update would not
    dry anything; a canvas without ``is_wet`` simply waits the whole time.
    """
    for _ in range(max(1, round(seconds / frame))):
        if not _is_wet(canvas):
            return
        canvas.update(frame)


def _is_wet(canvas) -> bool:
    """Whether the canvas still has wet paint; assume so if it cannot tell."""
    wet = getattr(canvas, "is_wet", True)
    return bool(wet() if callable(wet) else wet)


def _paint_stroke(stroke: PlannedStroke, tool, canvas, history, t: float,
                  seconds_per_point: float) -> float:
    """One stroke through History, one point per frame; returns the time after it."""
    (x, y), rest = stroke.points[0], stroke.points[1:]
    history.begin(canvas, tool, x, y, t)
    for x, y in rest:
        t += seconds_per_point
        canvas.update(seconds_per_point)
        history.extend(canvas, x, y, t)
    history.end(canvas)
    return t


def render_plan(plan: list[PlannedStroke], canvas, history, seconds_per_point: float = 1 / 60):
    """Paint ``plan`` onto a brushes ``Canvas`` through ``History``, as a player would.

    One point per ``seconds_per_point`` (the plan's spacing makes that a moderate pointer
    speed), the canvas updated every frame so watercolour flows and dries, a pen lift between
    strokes, and, like a painter, a wait for the washes to dry before acrylic goes over them.
    """
    from brushes import Acrylic, BrushSettings, Watercolour   # lazy: planning needs no engine

    tools = {ACRYLIC: Acrylic, WATERCOLOUR: Watercolour}
    t, previous = 0.0, None
    for stroke in plan:
        if previous == WATERCOLOUR and stroke.tool != WATERCOLOUR:
            _let_dry(canvas, WASH_DRY_SECONDS, seconds_per_point)
            t += WASH_DRY_SECONDS
        settings = BrushSettings(color=stroke.color, size=stroke.size, opacity=stroke.opacity)
        t = _paint_stroke(stroke, tools[stroke.tool](settings), canvas, history, t,
                          seconds_per_point)
        t += PEN_LIFT_SECONDS
        _let_dry(canvas, PEN_LIFT_SECONDS, seconds_per_point)
        previous = stroke.tool
    return canvas
