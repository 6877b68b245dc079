"""The farm's HTTP protocol, version 1: routes, JSON bodies, pictures as base64 PNG (the
snapshots of Gatys's reel as base64 JPEG: only the duel replay shows them, never scored).

Both sides import this module (the kiosk's client and the farm's ingress), so a field is
named once. No Ray, no TensorFlow, no game imports: numpy and Pillow only.

    POST   /v1/jobs              {"engine": "magenta"|"gatys", "content": PNG, "styles":
                                  [{"image": PNG, "weight": 1.0}], "strength", "budget_s",
                                  "settings": {...}}   or   {"engine": "score", "images":
                                  {"painting": PNG, ...}, "pairs": [["painting", "magenta"]]}
                                  -> 202 {"job_id", "state", "cached"}
    GET    /v1/jobs/ID?since=N   -> {"state", "progress", "iteration", "elapsed_s",
                                  "loss_parts", "preview" (PNG newer than N, else null),
                                  "preview_seq", "reason", "retry_local"}
    GET    /v1/jobs/ID/result    -> 200 the result (RESULT_FIELDS) once done; 409 before
    DELETE /v1/jobs/ID           -> {"cancelled": true|false}
    GET    /v1/health            -> {"ok": true, "api": 1}
    GET    /v1/status            -> queues, replicas (engines, model files, device), cache

Every request carries `Authorization: Bearer TOKEN`. Errors are 4xx/5xx with
{"detail": "one line"}. A job is visible only to the client that submitted it.
"""
from __future__ import annotations

import base64
import binascii
import io

import numpy as np
from PIL import Image

API_VERSION = 1
PREFIX = "/v1"
JOBS = f"{PREFIX}/jobs"
HEALTH = f"{PREFIX}/health"
STATUS = f"{PREFIX}/status"
SCORE_ENGINE = "score"
# Job states; the last three are final.
QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
FINAL_STATES = (DONE, FAILED, CANCELLED)


def job_path(job_id: str) -> str:
    return f"{JOBS}/{job_id}"


def result_path(job_id: str) -> str:
    return f"{JOBS}/{job_id}/result"


# The reel's snapshots: about a sixth of PNG's bytes on real pictures, a mean error of a few
# levels in 255 that the replay's small frames do not show.
JPEG_QUALITY = 85


def _encode(image: np.ndarray, format_name: str, **options) -> str:
    """(H, W, 3) uint8 -> base64 text of the picture saved in Pillow's `format_name`."""
    stream = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image, np.uint8)).save(stream, format=format_name,
                                                                **options)
    return base64.b64encode(stream.getvalue()).decode("ascii")


def encode_png(image: np.ndarray) -> str:
    """(H, W, 3) uint8 -> base64 PNG, lossless: uploads, results (they are scored) and
    previews (fast compression: it is on the wire once)."""
    return _encode(image, "PNG", compress_level=1)


def encode_jpeg(image: np.ndarray, quality: int = JPEG_QUALITY) -> str:
    """(H, W, 3) uint8 -> base64 JPEG, lossy: for pictures only looked at (the reel)."""
    return _encode(image, "JPEG", quality=int(quality))


def png_bytes(text: object, what: str) -> bytes:
    """base64 text (a PNG, or a reel's JPEG) -> bytes; ValueError names the field when it
    is not base64."""
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a base64 string")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError(f"{what} is not valid base64") from None


def job_body(engine: str, content: np.ndarray, styles: list[tuple[np.ndarray, float]],
             strength: float, budget_s: float, settings: dict) -> dict:
    return {"engine": engine, "content": encode_png(content),
            "styles": [{"image": encode_png(image), "weight": float(weight)}
                       for image, weight in styles],
            "strength": float(strength), "budget_s": float(budget_s),
            "settings": dict(settings)}


def score_body(images: dict[str, np.ndarray], pairs) -> dict:
    return {"engine": SCORE_ENGINE,
            "images": {name: encode_png(image) for name, image in images.items()},
            "pairs": [list(pair) for pair in pairs]}
