"""Prototype score from raw measures: per-reference calibration, three parts, combination.

    python analyze.py SET [SET...]          # ladder table + targets for the default CONFIG
    import analyze; analyze.evaluate(rows, config)  (sweeps)
"""
from __future__ import annotations

import json
import sys

import numpy as np

LAB_OUT = "/work/score-lab/out"

TRIVIAL = ("white", "paper", "flat", "blobs0", "blobs1", "blobs2")
WRONG_LAYOUT_ANCHORS = ("rot180", "flipud", "tiles3_0", "tiles3_1")
MOSAIC_ANCHORS = ("mosaic0", "mosaic1", "mosaic2")

CONFIG = {
    # layout: similarity measures (higher = closer), averaged
    "layout": ["cos_lay_g16", "cos_lay_c16"],
    "layout_anchors": TRIVIAL + WRONG_LAYOUT_ANCHORS + ("mosaic0", "mosaic1", "mosaic2"),
    "colour_zero": ("paper",),      # 0 = the untouched canvas; copy = 10
    "brush_zero": ("paper",),
    "layout_s0_cap": 0.8,
    # colour: distance measures (lower = closer), averaged after per-reference normalising
    "colour": ["de_ms"],
    # brushwork: distance measures
    "brush": ["brush_es"],
    "gamma": {"layout": 0.7, "colour": 1.0, "brush": 1.0},
    "weights": {"layout": 0.5, "colour": 0.25, "brush": 0.25},
    "gate": 4.0,      # colour and brushwork count fully once layout >= gate
}

RIGHT = ("photo", "blurred", "posterised", "bot")
WRONG = ("flat", "blobs", "blank", "scribble", "tiles", "upside", "other_photo", "bot_other")


def part_scores(m: dict, anchors: dict, cfg: dict) -> dict:
    """Raw measures of one painting against one reference -> the three parts, 0..10."""
    # layout: x = (s - s0) / (1 - s0), s0 = the best wrong/trivial canvas of this reference
    s = np.mean([m[k] for k in cfg["layout"]])
    s0 = max(np.mean([anchors[a][k] for k in cfg["layout"]]) for a in cfg["layout_anchors"])
    s0 = min(max(s0, 0.0) + cfg.get("layout_margin", 0.0), cfg["layout_s0_cap"])
    name, U = cfg.get("layout_upper", (None, 1.0))
    su = np.mean([anchors[name][k] for k in cfg["layout"]]) if name else 1.0
    su = min(max(su, s0 + 0.1), 1.0)
    x_lay = U * (s - s0) / (su - s0) if s <= su else U + (1 - U) * (s - su) / max(1 - su, 1e-9)
    out = {"layout": x_lay}
    for part in ("colour", "brush"):
        xs = []
        zero = cfg.get(f"{part}_zero", TRIVIAL)
        for k in cfg[part]:
            a = min(anchors[t][k] for t in zero)
            xs.append(1 - m[k] / max(a, 1e-9))
        out[part] = float(np.mean(xs))
    return {p: 10 * float(np.clip(x, 0, 1)) ** cfg["gamma"][p] for p, x in out.items()}


def combine(parts: dict, cfg: dict) -> float:
    w = cfg["weights"]
    g = min(1.0, parts["layout"] / cfg["gate"]) if cfg["gate"] else 1.0
    return w["layout"] * parts["layout"] + g * (w["colour"] * parts["colour"]
                                                + w["brush"] * parts["brush"])


def score_rows(rows: list, cfg: dict) -> list:
    """-> [{content, style, ref, scores: {rung: total}, parts: {rung: parts}}]"""
    out = []
    for row in rows:
        sc, pa = {}, {}
        for rung, m in row["rungs"].items():
            parts = part_scores(m, row["anchors"], cfg)
            pa[rung] = parts
            sc[rung] = combine(parts, cfg)
        out.append({**{k: row[k] for k in ("content", "style", "ref")}, "scores": sc,
                    "parts": pa, "old": {k: 10 * 0 + v for k, v in row["old"].items()}})
    return out


def targets(scored: list, key: str = "scores") -> dict:
    def vals(rung):
        return [r[key][rung] for r in scored if rung in r[key]]

    t = {}
    t["flat_max"] = max(vals("flat"))
    t["blobs_max"] = max(vals("blobs"))
    t["blank_max"] = max(vals("blank"))
    t["scribble_max"] = max(vals("scribble"))
    for k in ("tiles", "upside", "other_photo"):
        t[f"{k}_max"] = max(vals(k))
    ok = []
    for r in scored:
        s = r[key]
        right = [s[k] for k in RIGHT if k in s]
        wrong = [s[k] for k in WRONG if k in s]
        ok.append(s["copy"] > max(right) and min(right) > max(wrong))
    t["order_pct"] = 100 * float(np.mean(ok))
    # fairness: the layout-following bot painting's mean per style vs its mean over styles
    bots = {}
    for r in scored:
        if "bot" in r[key]:
            bots.setdefault(r["style"], []).append(r[key]["bot"])
    per_style = {s: float(np.mean(v)) for s, v in bots.items()}
    overall = float(np.mean([x for v in bots.values() for x in v]))
    t["bot_mean"] = overall
    t["fairness_max_dev"] = max(abs(v - overall) for v in per_style.values())
    same = vals("machine_same")
    other = vals("machine_other")
    t["machines_same_median"] = float(np.median(same)) if same else None
    t["machines_other_median"] = float(np.median(other)) if other else None
    t["machines_other_max"] = max(other) if other else None
    t["per_style_bot"] = {k: round(v, 2) for k, v in per_style.items()}
    return t


PASS = {"flat_max": ("<=", 1.5), "blobs_max": ("<=", 2.0), "blank_max": ("<=", 0.5),
        "scribble_max": ("<=", 0.5), "tiles_max": ("<=", 3.0), "upside_max": ("<=", 3.0),
        "other_photo_max": ("<=", 3.0), "order_pct": (">=", 95.0),
        "fairness_max_dev": ("<=", 1.5), "machines_same_median": (">=", 7.0),
        "machines_other_median": ("<=", 2.5)}


def verdict(t: dict) -> dict:
    v = {}
    for k, (op, lim) in PASS.items():
        if t.get(k) is None:
            continue
        v[k] = (t[k] <= lim) if op == "<=" else (t[k] >= lim)
    return v


ORDER = ("copy", "photo", "blurred", "posterised", "bot", "bot_other", "flat", "blobs",
         "blank", "scribble", "tiles", "upside", "other_photo", "mosaic_rung", "machine_same",
         "machine_other")


def table(scored: list, key: str = "scores") -> str:
    lines = [f"{'rung':14s} {'n':>3s} {'mean':>5s} {'min':>5s} {'max':>5s}"
             + ("   layout colour brush (means)" if key == "scores" else "")]
    for rung in ORDER:
        v = [r[key][rung] for r in scored if rung in r[key]]
        if not v:
            continue
        line = f"{rung:14s} {len(v):3d} {np.mean(v):5.2f} {np.min(v):5.2f} {np.max(v):5.2f}"
        if key == "scores":
            p = [r["parts"][rung] for r in scored if rung in r["parts"]]
            line += "   " + " ".join(f"{np.mean([q[k] for q in p]):6.2f}"
                                     for k in ("layout", "colour", "brush"))
        lines.append(line)
    return "\n".join(lines)


def load(sets) -> list:
    import glob

    rows = []
    for s in sets:
        for f in sorted(glob.glob(f"{LAB_OUT}/raw_{s}_*of*.json")):
            rows += json.load(open(f))
    return rows


def report(sets, cfg=CONFIG, refs=("magenta", "gatys")) -> None:
    rows = [r for r in load(sets) if r["ref"] in refs]
    scored = score_rows(rows, cfg)
    print(f"== {'+'.join(sets)}: {len(rows)} references ({', '.join(refs)})")
    print("-- current score (models/score.py, unrounded)")
    print(table(scored, "old"))
    t_old = targets(scored, "old")
    print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v)
                      for k, v in t_old.items()}))
    print("-- prototype")
    print(table(scored))
    t = targets(scored)
    print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in t.items()}))
    v = verdict(t)
    print("met:", [k for k, ok in v.items() if ok])
    print("MISSED:", [k for k, ok in v.items() if not ok])


if __name__ == "__main__":
    report(sys.argv[1:] or ["tune"])
