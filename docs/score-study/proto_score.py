"""The prototype score on pictures: Reference(ref) caches the reference's features and its
calibration anchors; .score(painting) -> (total, parts). Used by attack.py and timing.

    python proto_score.py --against REF.png PAINTING.png [...]   (JSON lines, like the plan's CLI)
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
from PIL import Image

import analyze as A
import common as C  # noqa: F401
import feats as F
from collect import anchors


class Reference:
    def __init__(self, enc: F.Encoder, ref: np.ndarray, cfg: dict = A.CONFIG):
        self.enc, self.cfg = enc, cfg
        self.f = F.features(enc, ref)
        self.anchors = {k: F.measures(F.features(enc, img), self.f)
                        for k, img in anchors(ref).items()}

    def parts(self, painting: np.ndarray) -> dict:
        return A.part_scores(F.measures(F.features(self.enc, painting), self.f),
                             self.anchors, self.cfg)

    def score(self, painting: np.ndarray) -> tuple[float, dict]:
        p = self.parts(painting)
        return A.combine(p, self.cfg), p


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", action="append", required=True)
    ap.add_argument("paintings", nargs="+")
    a = ap.parse_args()
    enc = F.Encoder()
    t = time.perf_counter()
    refs = {r: Reference(enc, np.asarray(Image.open(r).convert("RGB"))) for r in a.against}
    t_ref = (time.perf_counter() - t) * 1000 / len(refs)
    for path in a.paintings:
        try:
            img = np.asarray(Image.open(path).convert("RGB"))
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"painting": path, "error": str(e)}))
            continue
        t = time.perf_counter()
        vs = {r: ref.score(img) for r, ref in refs.items()}
        ms = (time.perf_counter() - t) * 1000
        parts = {k: round(float(np.mean([v[1][k] for v in vs.values()])), 1)
                 for k in ("layout", "colour", "brush")}
        print(json.dumps({"painting": path,
                          "score": round(float(np.mean([v[0] for v in vs.values()])), 1),
                          "parts": parts, "vs": {r: round(v[0], 1) for r, v in vs.items()},
                          "ms": round(ms, 1), "ms_reference_setup": round(t_ref, 1)}))


if __name__ == "__main__":
    main()
