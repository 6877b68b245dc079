"""Constrained search on tune+check together: every target except fairness must hold on the
union; minimise the fairness deviation. Prints the best 5 and their per-set figures."""
import itertools, json, sys, numpy as np, analyze as A, sweep2 as S
S.ZEROS = {"trivial": A.TRIVIAL, "paper": ("paper",)}
rows = A.load(["tune", "check"])
lay, dist, st = S.arrays(rows)
is_tune = np.array([r["style"] in __import__("common").SETS["tune"]["styles"] for r in rows])
cl = {(k, mg, up): lay(k, mg, up) for k in S.LAYOUTS for mg in S.MARGINS for up in S.UPPERS}
cd = {(k, z): dist(k, S.ZEROS[z]) for k in set(S.COLOURS + S.BRUSHES) for z in S.ZEROS}
res = []
for lk, mg, up, ck, bk, z, gl, gcb, gate, w in itertools.product(S.LAYOUTS, S.MARGINS, S.UPPERS, S.COLOURS, S.BRUSHES, S.ZEROS, S.GAMMAS_L, S.GAMMAS, S.GATES, S.WEIGHTS):
    L = 10*np.clip(cl[lk, mg, up], 0, 1)**gl; C = 10*np.clip(cd[ck, z], 0, 1)**gcb; B = 10*np.clip(cd[bk, z], 0, 1)**gcb
    g = np.minimum(1, L/gate); T = w[0]*L + g*(w[1]*C + w[2]*B)
    t = S.targets(T, st)
    v = A.verdict(t)
    ok_sets = all(all(ok for k, ok in A.verdict(S.targets(T[m], st[m])).items() if k != "fairness_max_dev")
                  for m in (is_tune, ~is_tune)) if all(ok for k, ok in v.items() if k != "fairness_max_dev") else False
    if ok_sets:
        res.append((t["fairness_max_dev"], (lk, mg, up, ck, bk, z, gl, gcb, gate, w), t))
res.sort(key=lambda r: r[0])
print(len(res), "configs meet every target but fairness on tune, on check and on both")
for f, spec, t in res[:5]:
    print(json.dumps({"spec": spec, "union": {k: round(t[k], 2) for k in ("fairness_max_dev", "order_pct", "machines_same_median", "bot_mean", "photo_mean")}, "per_style_bot": {k: round(v, 2) for k, v in t["per_style_bot"].items()} if "per_style_bot" in t else None}))
    for rs in ("tune", "check"):
        T, st2 = S.evaluate(A.load([rs]), spec); tt = S.targets(T, st2); v = A.verdict(tt)
        print("   ", rs, "met %d/11" % sum(v.values()), "missed", [k for k, ok in v.items() if not ok], {k: round(tt[k], 2) for k in ("order_pct", "fairness_max_dev", "machines_same_median", "tiles_max", "blobs_max", "bot_mean", "photo_mean")})
