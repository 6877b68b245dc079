"""Select on one set, report on the other (both directions) and on both together.
    python sweep3.py SELECT_SET [SELECT_SET2]   -> best spec on the union, then per set"""
import itertools, json, sys, numpy as np, analyze as A, sweep2 as S

def run(select_sets, top=3, report=("tune", "check")):
    rows = A.load(list(select_sets))
    lay, dist, st = S.arrays(rows)
    cl = {(k, mg, up): lay(k, mg, up) for k in S.LAYOUTS for mg in S.MARGINS for up in S.UPPERS}
    cd = {(k, z): dist(k, S.ZEROS[z]) for k in set(S.COLOURS + S.BRUSHES) for z in S.ZEROS}
    res = []
    for lk, mg, up, ck, bk, z, gl, gcb, gate, w in itertools.product(S.LAYOUTS, S.MARGINS, S.UPPERS, S.COLOURS, S.BRUSHES, S.ZEROS, S.GAMMAS_L, S.GAMMAS, S.GATES, S.WEIGHTS):
        L = 10*np.clip(cl[lk, mg, up], 0, 1)**gl; C = 10*np.clip(cd[ck, z], 0, 1)**gcb; B = 10*np.clip(cd[bk, z], 0, 1)**gcb
        g = np.minimum(1, L/gate); T = w[0]*L + g*(w[1]*C + w[2]*B)
        t = S.targets(T, st)
        res.append((S.margin(t), (lk, mg, up, ck, bk, z, gl, gcb, gate, w), t))
    res.sort(key=lambda r: r[0], reverse=True)
    print("selected on", select_sets, ":", len(res), "configs,", sum(r[0][0] == len(A.PASS) for r in res), "meet all")
    for (met, m), spec, t in res[:top]:
        print(json.dumps({"spec": spec, "met_on_selection": met}))
        for rs in report:
            T, st2 = S.evaluate(A.load([rs]), spec)
            tt = S.targets(T, st2)
            v = A.verdict(tt)
            print("   ", rs, "met %d/11" % sum(v.values()), "missed", [k for k, ok in v.items() if not ok],
                  {k: round(tt[k], 2) for k in ("order_pct", "fairness_max_dev", "machines_same_median", "tiles_max", "upside_max", "other_photo_max", "blobs_max", "flat_max", "bot_mean", "photo_mean")})
    return res

if __name__ == "__main__":
    run(sys.argv[1:])
