"""Choose the prototype's measures and constants on the TUNE set only; print the best few,
then their figures on CHECK (never used to choose).

    python sweep.py
"""
from __future__ import annotations

import copy
import itertools
import json

import numpy as np

import analyze as A

LAYOUTS = [["hp_lay_g16"], ["hp_lay_g32"], ["hp_lay_g16", "hp_lay_g32"], ["hp_lay_g16", "hp_lay_c16"], ["hp_lay_g16", "hp_lay_g32", "hp_lay_c16", "hp_lay_c32"], ["hp4_lay_g32", "hp_lay_g16"], ["sob64"], ["edge0"], ["hp_lay_g16", "lp_lay_g16"], ["hp_lay_g16", "sob64"],
           ["cos_lay_g16"], ["cos_lay_c16"], ["cos_lay_g16", "cos_lay_c16"],
           ["z_lay_g16"], ["cos_lay_g32"], ["cos_lay_g16", "cos_lay_g8"],
           ["cos_lay_g32", "cos_lay_g16"], ["z_lay_g16", "z_lay_c16"],
           ["cos_lay_g32", "cos_lay_g16", "cos_lay_c16"]]
ANCHOR_SETS = {"trivial": A.TRIVIAL,
               "trivial+wrong": A.TRIVIAL + A.WRONG_LAYOUT_ANCHORS,
               "trivial+wrong+mosaic": A.TRIVIAL + A.WRONG_LAYOUT_ANCHORS + A.MOSAIC_ANCHORS}
GAMMAS = [0.5, 0.7, 1.0]
COLOURS = [["de_ms"], ["de8"], ["code_l2"]]
BRUSHES = [["brush_es"], ["brush_e"], ["std_log"]]
ZEROS = {"paper": ("paper",), "trivial": A.TRIVIAL}
GAMMAS = [0.5, 0.7, 1.0]
GATES = [0.0, 3.0, 5.0, 7.0]
WEIGHTS = [(0.5, 0.25, 0.25), (0.6, 0.2, 0.2), (0.4, 0.3, 0.3)]


def margin(t: dict) -> tuple[int, float]:
    """(targets met, sum of signed margins scaled by each target's size)."""
    v = A.verdict(t)
    score = 0.0
    for k, (op, lim) in A.PASS.items():
        if t.get(k) is None:
            continue
        m = (lim - t[k]) if op == "<=" else (t[k] - lim)
        score += float(np.clip(m / max(abs(lim), 1.0), -1, 0.3))
    return sum(v.values()), score


def layout_stage(rows) -> list:
    """Layout part alone: per reference, does every right rung beat every wrong one?"""
    out = []
    for lay, anc in itertools.product(LAYOUTS, ANCHOR_SETS):
        cfg = copy.deepcopy(A.CONFIG)
        cfg.update(layout=lay, layout_anchors=ANCHOR_SETS[anc], gamma={"layout": 1.0,
                   "colour": 1.0, "brush": 1.0})
        sc = A.score_rows(rows, cfg)
        ok, right, wrong, same, other = [], [], [], [], []
        for r in sc:
            L = {k: v["layout"] for k, v in r["parts"].items()}
            rr = [L[k] for k in A.RIGHT if k in L]
            ww = [L[k] for k in A.WRONG + ("mosaic_rung",) if k in L]
            ok.append(min(rr) > max(ww)); right += rr; wrong.append(max(ww))
            if "machine_same" in L:
                same.append(L["machine_same"]); other.append(L["machine_other"])
        out.append((float(np.mean(ok)), lay, anc, float(np.mean(right)),
                    float(np.mean(wrong)), float(np.median(same)) if same else None,
                    float(np.median(other)) if other else None))
    out.sort(key=lambda x: x[0], reverse=True)
    for o in out:
        print("layout order %.2f  %-45s %-22s right %.2f  worst-wrong %.2f  M~G same %s other %s"
              % (o[0], o[1], o[2], o[3], o[4], o[5], o[6]))
    return out


def main() -> None:
    import sys
    tune = A.load(["tune"])
    check = A.load(["check"]) if "--no-check" not in sys.argv else []
    if "--layout-only" in sys.argv:
        layout_stage(tune)
        return
    results = []
    top = [(["hp_lay_g16", "hp_lay_g32"], "trivial+wrong+mosaic"),
           (["hp_lay_g16"], "trivial+wrong+mosaic")]
    for (lay, anc), col, br, z, gl, gcb, gate, w in itertools.product(
            top, COLOURS, BRUSHES, ZEROS, GAMMAS, GAMMAS, GATES, WEIGHTS):
        cfg = copy.deepcopy(A.CONFIG)
        cfg.update(layout=lay, layout_anchors=ANCHOR_SETS[anc], colour=col, brush=br,
                   colour_zero=ZEROS[z], brush_zero=ZEROS[z],
                   gamma={"layout": gl, "colour": gcb, "brush": gcb}, gate=gate,
                   weights=dict(zip(("layout", "colour", "brush"), w)))
        t = A.targets(A.score_rows(tune, cfg))
        results.append((margin(t), cfg, anc, t))
    results.sort(key=lambda r: r[0], reverse=True)
    for (met, m), cfg, anc, t in results[:8]:
        tc = A.targets(A.score_rows(check, cfg)) if check else {}
        print(json.dumps({"met_tune": met, "margin": round(m, 3), "anchors": anc,
                          "zero": cfg["colour_zero"],
                          "layout": cfg["layout"], "colour": cfg["colour"],
                          "brush": cfg["brush"], "gamma": cfg["gamma"], "gate": cfg["gate"],
                          "weights": cfg["weights"],
                          "met_check": sum(A.verdict(tc).values()),
                          "missed_tune": [k for k, ok in A.verdict(t).items() if not ok],
                          "missed_check": [k for k, ok in A.verdict(tc).items() if not ok]}))
    print(len(results), "configs")


if __name__ == "__main__":
    main()
