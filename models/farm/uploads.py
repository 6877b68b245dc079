"""A job request's JSON -> a models.messages Job or ScoreJob, or BadRequest with one line.

Everything a kiosk sends is untrusted: pictures go through models.safe_image (header
checked for its pixel count before any decoding, raster formats only, downscaled to the
farm's long side), numbers are range-checked, and settings are limited to the keys each
engine knows with their sizes capped, so one request cannot ask for a 10,000 px Gatys.
"""
from __future__ import annotations

import dataclasses
import math
import uuid

from models.farm.options import LimitOptions
from models.farm.wire import SCORE_ENGINE, png_bytes
from models.messages import ENGINES, SCORE_PAIRS, TEST_BEHAVIOUR, Job, ScoreJob
from models.safe_image import Formats, ImageLoadError, decode_bytes
from models.settings import GatysSettings

# Kiosks send PNG (models.farm.wire); JPEG and WebP too, for other clients. Nothing else is
# even opened.
UPLOAD_FORMATS = Formats(("PNG", "JPEG", "WEBP"), "PNG, JPEG or WebP")
SCORE_IMAGES = ("painting", "magenta", "gatys")
# Gatys settings a job may set: the engine's own fields but the ones the farm fixes.
GATYS_KEYS = frozenset(f.name for f in dataclasses.fields(GatysSettings)) - {"seconds",
                                                                              "threads"}
MAGENTA_KEYS = frozenset({"seed"})


class BadRequest(ValueError):
    """The request cannot be served; str() is the one-line reason the client gets (4xx)."""


def new_job_id(engine: str) -> str:
    return f"{engine}-{uuid.uuid4().hex}"       # 128 random bits: not guessable


def picture(data: object, what: str, limits: LimitOptions):
    try:
        raw = png_bytes(data, what)
        return decode_bytes(raw, what, limits.max_side, limits.max_pixels, UPLOAD_FORMATS)
    except ImageLoadError as error:
        raise BadRequest(str(error)) from None
    except ValueError as error:
        raise BadRequest(str(error)) from None


def number(body: dict, key: str, default: float, low: float, high: float) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadRequest(f"{key} must be a number")
    if not (math.isfinite(value) and low <= value <= high):
        raise BadRequest(f"{key} must be between {low:g} and {high:g}")
    return float(value)


def checked_settings(engine: str, settings: object, limits: LimitOptions,
                     test_behaviours: bool) -> dict:
    if not isinstance(settings, dict):
        raise BadRequest("settings must be an object")
    scripted = TEST_BEHAVIOUR in settings
    if scripted and not test_behaviours:
        raise BadRequest("test behaviours are not allowed on this farm")
    allowed = GATYS_KEYS if engine == "gatys" else MAGENTA_KEYS
    for key, value in settings.items():
        if key not in allowed and not scripted:     # a script has knobs of its own
            raise BadRequest(f"unknown setting {key!r} for {engine}")
        if not isinstance(value, (int, float, str, bool, list)):
            raise BadRequest(f"setting {key!r} must be a plain value")
    if isinstance(settings.get("size"), (int, float)) and not (
            16 <= settings["size"] <= limits.max_gatys_size):
        raise BadRequest(f"size must be between 16 and {limits.max_gatys_size}")
    if isinstance(settings.get("max_iterations"), (int, float)) and not (
            1 <= settings["max_iterations"] <= limits.max_iterations):
        raise BadRequest(f"max_iterations must be between 1 and {limits.max_iterations}")
    return dict(settings)


def parse_job(body: object, limits: LimitOptions, test_behaviours: bool) -> Job | ScoreJob:
    """The request body (already JSON-decoded) -> a job with a fresh id."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    engine = body.get("engine")
    if engine == SCORE_ENGINE:
        return parse_score(body, limits)
    if engine not in ENGINES:
        raise BadRequest(f"engine must be one of {', '.join(ENGINES)} or {SCORE_ENGINE}")
    styles = body.get("styles")
    if not isinstance(styles, list) or not 1 <= len(styles) <= limits.max_styles:
        raise BadRequest(f"styles must be a list of 1 to {limits.max_styles} pictures")
    settings = checked_settings(engine, body.get("settings", {}), limits, test_behaviours)
    strength = number(body, "strength", 1.0, 0.0, 1.0)
    budget = number(body, "budget_s", 35.0, 1.0, limits.max_budget_s)
    content = picture(body.get("content"), "content", limits)
    pairs = []
    for n, style in enumerate(styles, 1):
        if not isinstance(style, dict):
            raise BadRequest("each style must be an object with image and weight")
        weight = number(style, "weight", 1.0, 0.0, 1e6)
        pairs.append((picture(style.get("image"), f"style {n}", limits), weight))
    if sum(weight for _, weight in pairs) <= 0:
        raise BadRequest("style weights must have a positive sum")
    return Job(new_job_id(engine), "farm", engine, content, pairs, strength, budget, settings)


def parse_score(body: dict, limits: LimitOptions) -> ScoreJob:
    images = body.get("images")
    if not isinstance(images, dict) or "painting" not in images or len(images) < 2:
        raise BadRequest("images must hold the painting and at least one machine picture")
    unknown = set(images) - set(SCORE_IMAGES)
    if unknown:
        raise BadRequest(f"unknown picture {sorted(unknown)[0]!r}; known: "
                         f"{', '.join(SCORE_IMAGES)}")
    pairs = body.get("pairs", [list(pair) for pair in SCORE_PAIRS])
    if (not isinstance(pairs, list) or not pairs or len(pairs) > len(SCORE_PAIRS)
            or any(not isinstance(p, list) or len(p) != 2
                   or any(name not in SCORE_IMAGES for name in p) for p in pairs)):
        raise BadRequest("pairs must be a list of [picture, picture] names")
    decoded = {name: picture(data, name, limits) for name, data in images.items()}
    return ScoreJob(new_job_id(SCORE_ENGINE), "farm", decoded,
                    tuple(tuple(pair) for pair in pairs))
