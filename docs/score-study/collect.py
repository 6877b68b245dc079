"""Raw measures for every ladder rung and every calibration anchor -> out/raw_SET.json.

    python collect.py SET

For each pair (X, s) of the set and each machine picture R of it (Magenta, and Gatys where
made), the rungs are scored against R with every raw measure of feats.measures and with
the current score (models/score.py). Anchors are the per-reference trivial canvases.
"""
from __future__ import annotations

import json
import sys
import time

import numpy as np

import common as C
import feats as F

RUNG_SEEDS = {"blobs": 101, "tiles": 202, "scribble": 303, "paper": 9}


def anchors(ref: np.ndarray) -> dict:
    """Per-reference calibration canvases (seeds differ from the rungs')."""
    a = {"white": np.full_like(ref, 255), "paper": C.blank_paper(ref.shape, 3),
         "flat": C.flat(ref)}
    for k in range(3):
        a[f"blobs{k}"] = C.palette_blobs(ref, seed=k)
    # layout-only anchors: the reference itself with a wrong layout
    a["rot180"] = np.ascontiguousarray(ref[::-1, ::-1])
    for k in range(2):
        a[f"tiles3_{k}"] = C.shuffled_tiles(ref, seed=k, n=3, derange=True)
    a["flipud"] = C.upside_down(ref)
    # upper anchors: the reference without its brush texture (layout kept)
    side = max(ref.shape[:2])
    for f in (100, 50, 25):
        a[f"refblur{f}"] = C.blurred(ref, side / f)
    # the reference's own colours averaged over 8 random cells (what a blob attack aims at)
    for k in range(3):
        a[f"mosaic{k}"] = C.cell_mosaic(ref, seed=k)
    return a


def rungs(set_name: str, c: str, s: str, kind: str, ref: np.ndarray) -> dict:
    photo = C.load_content(c)
    y = C.other_content(set_name, c)
    other_kind = "gatys" if kind == "magenta" else "magenta"
    r = {"copy": ref, "photo": photo, "blurred": C.blurred(photo, 8),
         "posterised": C.posterised(photo, 6),
         "bot": C.load_pic("bot", c, s), "bot_other": C.load_pic("bot", y, s),
         "flat": C.flat(ref), "blobs": C.palette_blobs(ref, RUNG_SEEDS["blobs"]),
         "blank": C.blank_paper(ref.shape, RUNG_SEEDS["paper"]),
         "scribble": C.scribble(ref.shape, RUNG_SEEDS["scribble"]),
         "tiles": C.shuffled_tiles(ref, RUNG_SEEDS["tiles"], 4),
         "upside": C.upside_down(ref),
         "other_photo": C.load_pic(kind, y, s),
         "mosaic_rung": C.cell_mosaic(ref, seed=77),
         "machine_same": C.load_pic(other_kind, c, s),
         "machine_other": C.load_pic(other_kind, y, s)}
    return {k: v for k, v in r.items() if v is not None}


def main() -> None:
    set_name = sys.argv[1]
    part, parts = (int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "0/1").split("/"))
    t0 = time.monotonic()
    enc = F.Encoder()
    from models.score import Scorer
    old = Scorer.load()
    out = []
    for c, s in C.pairs(set_name)[part::parts]:
        for kind in ("magenta", "gatys"):
            ref = C.load_pic(kind, c, s)
            if ref is None:
                continue
            fr = F.features(enc, ref)
            er = old.embed(ref)
            row = {"content": c, "style": s, "ref": kind, "rungs": {}, "anchors": {},
                   "old": {}}
            for name, img in anchors(ref).items():
                row["anchors"][name] = F.measures(F.features(enc, img), fr)
            for name, img in rungs(set_name, c, s, kind, ref).items():
                row["rungs"][name] = F.measures(F.features(enc, img), fr)
                row["old"][name] = old.grade(old.embed(img), er)
            out.append(row)
        print(f"{c} x {s}: {time.monotonic() - t0:.0f} s", flush=True)
    (C.LAB / "out").mkdir(exist_ok=True)
    (C.LAB / "out" / f"raw_{set_name}_{part}of{parts}.json").write_text(json.dumps(out))
    print(f"{len(out)} references in {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
