"""The kiosk's side of the farm protocol (models.farm.wire), over stdlib urllib.

Blocking calls with a timeout each: the game runs them on a thread of their own
(game.nst.farm_backend), the `stylize --farm` command directly. Every failure is a
FarmError with one line to show and the HTTP status (None when the farm was not reached),
so the caller can tell "paint it locally" from "fix the token". No Ray, no TensorFlow.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

import numpy as np

from models.farm import wire
from models.messages import MAX_SNAPSHOTS, SNAPSHOT_SIDE, Result, ScoreResult, Snapshot
from models.reel import valid_snapshots
from models.safe_image import Formats, ImageLoadError, decode_bytes

log = logging.getLogger(__name__)

# What the farm sends back is PNG only (wire.encode_png); anything else is refused.
RESULT_FORMATS = Formats(("PNG",), "PNG")
# ... except the reel's snapshots: JPEG (wire.encode_jpeg), or PNG from a farm of the
# version before, and its cache entries.
REEL_FORMATS = Formats(("JPEG", "PNG"), "JPEG or PNG")
MAX_RESULT_SIDE = 4096
MAX_RESULT_PIXELS = 16_000_000
# A reel's snapshot larger than this is refused undecoded; a smaller one is brought down
# to SNAPSHOT_SIDE (a farm of another version may send them larger).
MAX_SNAPSHOT_PIXELS = 512 * 512
# A reel whose base64 text is longer than this in all is dropped before more is decoded.
# This version's largest (MAX_SNAPSHOTS of noise at SNAPSHOT_SIDE, JPEG) is about 1.5 MB;
# a PNG reel from a farm of the version before is 70-90 KB a snapshot of a real picture, so
# 40 of them (up to 3.5 MB) still fit.
MAX_REEL_BYTES = 4 * 1024 * 1024


class FarmError(Exception):
    """A call to the farm failed; str() is one line, `status` the HTTP code or None."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason, self.status = reason, status

    @property
    def refused(self) -> bool:
        """The farm answered no to this request (4xx): trying again will not help."""
        return self.status is not None and 400 <= self.status < 500


@dataclass(frozen=True)
class FarmAddress:
    url: str                      # e.g. http://render-1:8710
    token: str
    timeout_s: float = 10.0       # per call; a picture upload included


def decode_picture(text: str, what: str) -> np.ndarray:
    try:
        return decode_bytes(wire.png_bytes(text, what), what, MAX_RESULT_SIDE,
                            MAX_RESULT_PIXELS, RESULT_FORMATS)
    except (ImageLoadError, ValueError) as error:
        raise FarmError(f"the farm sent a broken picture ({error})") from None


def to_message(result: dict, job_id: str) -> Result | ScoreResult:
    """The result route's JSON -> the message the local workers would have sent."""
    if result.get("kind") == "score":
        return ScoreResult(job_id, dict(result["scores"]), str(result["label"]),
                           float(result["seconds"]), dict(result.get("parts", {})),
                           str(result.get("cost", "")))
    return Result(job_id, str(result["engine"]), str(result["label"]),
                  decode_picture(result["image"], "the result"), float(result["seconds"]),
                  int(result["iterations"]), bool(result["converged"]),
                  list(result.get("notes", [])), str(result.get("settings_text", "")),
                  where=f"farm {result.get('device', 'CPU')}",
                  snapshots=decode_snapshots(result.get("snapshots")))


def decode_snapshots(entries: object) -> list[Snapshot]:
    """The result's reel for the duel replay: [] when it has none, and [] with a log line
    when it is not a list of at most MAX_SNAPSHOTS sound JPEG or PNG pictures of at most
    MAX_REEL_BYTES of text in all (the picture itself is still shown: a bad reel costs
    only the replay)."""
    if entries is None:
        return []
    try:
        if not isinstance(entries, list) or len(entries) > MAX_SNAPSHOTS:
            raise ValueError(f"not a list of at most {MAX_SNAPSHOTS} snapshots")
        snapshots, text_bytes = [], 0
        for entry in entries:
            seconds, iteration, text = entry["seconds"], entry["iteration"], entry["image"]
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in (seconds, iteration)):
                raise ValueError("a snapshot's seconds and iteration must be numbers")
            text_bytes += len(text) if isinstance(text, str) else 0
            if text_bytes > MAX_REEL_BYTES:
                raise ValueError(f"more than {MAX_REEL_BYTES} bytes of pictures")
            image = decode_bytes(wire.png_bytes(text, "a snapshot"), "a snapshot",
                                 SNAPSHOT_SIDE, MAX_SNAPSHOT_PIXELS, REEL_FORMATS)
            snapshots.append(Snapshot(float(seconds), int(iteration), image))
        return valid_snapshots(snapshots)
    except (ImageLoadError, ValueError, TypeError, KeyError, OverflowError) as error:
        log.warning("the farm's reel of snapshots is dropped: %s", error)
        return []


class FarmClient:
    def __init__(self, address: FarmAddress):
        self.address = address
        # The farm is on the museum's own network: never through a proxy from the
        # environment, which would see the token and the visitors' pictures.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method: str, path: str, body: dict | None = None,
             timeout_s: float | None = None) -> dict:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            self.address.url.rstrip("/") + path, data=data, method=method,
            headers={"Authorization": f"Bearer {self.address.token}",
                     "Content-Type": "application/json", "Accept": "application/json"})
        try:
            with self._opener.open(request, timeout=timeout_s or self.address.timeout_s) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as error:
            raise FarmError(f"the farm said {error.code}: {detail_of(error)}",
                            error.code) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise FarmError(f"the farm at {self.address.url} cannot be reached ({reason})") \
                from None

    def health(self) -> dict:
        return self.call("GET", wire.HEALTH)

    def status(self) -> dict:
        return self.call("GET", wire.STATUS)

    def submit(self, body: dict) -> dict:
        """wire.job_body(...) or wire.score_body(...) -> {"job_id", "state", "cached"}."""
        return self.call("POST", wire.JOBS, body)

    def job(self, job_id: str, since: int = 0) -> dict:
        return self.call("GET", f"{wire.job_path(job_id)}?since={int(since)}")

    def result(self, job_id: str) -> dict:
        return self.call("GET", wire.result_path(job_id))

    def cancel(self, job_id: str) -> bool:
        return bool(self.call("DELETE", wire.job_path(job_id)).get("cancelled"))


def detail_of(error: urllib.error.HTTPError) -> str:
    """The farm's one-line reason from an error response (or the HTTP reason phrase)."""
    try:
        detail = json.loads(error.read(64 * 1024)).get("detail")
    except (ValueError, OSError, AttributeError):
        detail = None
    text = detail if isinstance(detail, str) else (error.reason or "no reason given")
    return "".join(ch if ch.isprintable() else " " for ch in str(text))[:300]
