"""Make the machine pictures and bot paintings the ladders need (cached in pics/).

    python make_pics.py SET magenta|bot|gatys [--budget-s 540] [--gatys-seconds 20]

One thread; stops starting new pictures after --budget-s seconds (rerun to continue).
"""
from __future__ import annotations

import argparse
import time

import common as C


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set")
    ap.add_argument("what")
    ap.add_argument("--budget-s", type=float, default=540)
    ap.add_argument("--gatys-seconds", type=float, default=20)
    a = ap.parse_args()
    t0 = time.monotonic()
    s = C.SETS[a.set]
    if a.what == "magenta":
        from models.encoder_data import open_magenta_tflite
        engine, entry = open_magenta_tflite(threads=1)
        print("magenta", entry, flush=True)
        jobs = C.pairs(a.set)
        make = lambda c, st: engine.stylize(C.load_content(c), C.load_style(st))
    elif a.what == "bot":
        from game.bot import bot_painter
        paint = bot_painter()

        def make(c, st):
            photo = C.load_content(c)
            h, w = photo.shape[:2]
            k = min(C.BOT_BOX[0] / w, C.BOT_BOX[1] / h)
            canvas = (int(w * k), int(h * k))
            return paint(photo, C.load_style(st), canvas, 11, C.BOT_BUDGET)
        jobs = C.pairs(a.set)
    elif a.what == "gatys":
        from pathlib import Path
        from models.gatys import run_gatys
        from models.settings import default_settings, with_changes
        settings = with_changes(default_settings(False, 3), seconds=a.gatys_seconds, threads=1)
        vgg = Path("/work/shared/models/vgg19_blocks1-3_notop.h5")
        make = lambda c, st: run_gatys(C.load_content(c), [C.load_style(st)], settings,
                                       vgg).image
        jobs = [(c, st) for st in s["gatys_styles"] for c in s["contents"]]
    else:
        raise SystemExit("what: magenta|bot|gatys")
    for c, st in jobs:
        path = C.pic_path(a.what, c, st)
        if path.is_file():
            continue
        if time.monotonic() - t0 > a.budget_s:
            print("budget reached; rerun to continue", flush=True)
            break
        t = time.monotonic()
        C.save(make(c, st), path)
        print(f"{a.what} {c} x {st}: {time.monotonic() - t:.1f} s", flush=True)
    print(f"done in {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
