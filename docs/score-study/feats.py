"""Features of one picture from the committed encoder (models/weights), plus raw measures.

A picture is encoded three times (all with the SAME committed weights, fully convolutional):
    colour @128   layout maps (16x16x64 'down2_refine', 8x8x96 'down3_refine'), code 8x8x16
    grey   @128   the same maps of the lightness picture (palette-blind layout)
    grey   @256   fine maps 'down0' (128x128x16), 'down1' (64x64x32) for brushwork Grams
and a Lab grid (numpy) for colour placement.
"""
from __future__ import annotations

import json
import time

import numpy as np
from PIL import Image

import common as C  # noqa: F401  (sets threads, sys.path)

LAYERS = ("down0", "down1", "down2_refine", "down3_refine", "code")


class Encoder:
    def __init__(self):
        import keras
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        from models.encoder import RECORD_FILE, WEIGHTS_FILE, EncoderConfig, build_autoencoder

        record = json.loads(RECORD_FILE.read_text())
        model = build_autoencoder(EncoderConfig.from_json(record["encoder"]))
        model.load_weights(WEIGHTS_FILE)
        self.code_mean = model.code_mean.numpy().reshape(8, 8, 16)
        self.code_scale = model.code_scale.numpy().reshape(8, 8, 16)
        enc = model.encoder
        inp = keras.Input((None, None, 3))
        x, outs = inp, {}
        for layer in enc.layers[1:]:
            x = layer(x)
            outs[layer.name] = x
        net = keras.Model(inp, [outs[n] for n in LAYERS])
        self.fn = {}
        for s in (128, 256):
            p = s + 2 * (s // 8)
            self.fn[s] = tf.function(lambda b, net=net: net(b, training=False),
                                     input_signature=[tf.TensorSpec((1, p, p, 3), tf.float32)])

    STRIDES = {"down0": 2, "down1": 4, "down2_refine": 8, "down3_refine": 16, "code": 16}

    def run(self, image01: np.ndarray) -> dict:
        """Reflect-pad by 1/8 of the side, encode, crop the pad off every map: no zero-padding
        border pattern (a flat picture then gives flat maps)."""
        size = image01.shape[0]
        pad = size // 8
        x = np.pad(image01, ((pad, pad), (pad, pad), (0, 0)), mode="reflect")
        out = self.fn[size](x[None].astype(np.float32))
        res = {}
        for n, o in zip(LAYERS, out):
            k = pad // self.STRIDES[n]
            res[n] = o.numpy()[0][k:-k, k:-k]
        return res


def squash(image: np.ndarray, size: int) -> np.ndarray:
    im = Image.fromarray(image)
    im = im.resize((size, size), Image.Resampling.BOX if min(image.shape[:2]) >= size
                   else Image.Resampling.BILINEAR)
    return np.asarray(im).astype(np.float32) / 255.0


def grey3(x01: np.ndarray) -> np.ndarray:
    y = x01 @ np.array([0.299, 0.587, 0.114], np.float32)
    return np.repeat(y[..., None], 3, -1)


def lab_grid(image: np.ndarray) -> np.ndarray:
    from skimage.color import rgb2lab

    return rgb2lab(squash(image, 32))       # (32, 32, 3): pooled later to 8/4/2


def features(enc: Encoder, image: np.ndarray) -> dict:
    c128 = squash(image, 128)
    col = enc.run(c128)
    gry = enc.run(grey3(c128))
    fine = enc.run(grey3(squash(image, 256)))
    return {
        "lay_c16": col["down2_refine"], "lay_c8": col["down3_refine"],
        "lay_g16": gry["down2_refine"], "lay_g8": gry["down3_refine"],
        "lay_c32": col["down1"], "lay_g32": gry["down1"],
        "code": (col["code"] - enc.code_mean) / enc.code_scale,
        "gram0": gram(fine["down0"]), "gram1": gram(fine["down1"]),
        "gramc0": gram(col["down0"]), "gramc1": gram(col["down1"]),
        "std0": fine["down0"].reshape(-1, fine["down0"].shape[-1]).std(0),
        "std1": fine["down1"].reshape(-1, fine["down1"].shape[-1]).std(0),
        "lab": lab_grid(image),
        "sob": sobel_map(image),
        "lab64": lab64(image),
        "g1_64": fine["down1"],
        "g0_128": fine["down0"],
    }


def lab64(image: np.ndarray) -> np.ndarray:
    from skimage.color import rgb2lab

    return rgb2lab(squash(image, 64))


_DIRS = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, -1, 0], [1, 0, 1],
                  [1, 0, -1], [0, 1, 1], [0, 1, -1]], float)
_DIRS /= np.linalg.norm(_DIRS, axis=1, keepdims=True)


def sliced_w(a: np.ndarray, b: np.ndarray) -> float:
    """Sliced Wasserstein-1 of two Lab pixel sets (same count) over 9 fixed directions."""
    pa, pb = np.sort(a @ _DIRS.T, 0), np.sort(b @ _DIRS.T, 0)
    return float(np.abs(pa - pb).mean())


def regional_sw(p: np.ndarray, r: np.ndarray) -> float:
    """The palette where it sits: sliced Wasserstein of Lab pixels over the whole picture and
    over its 2x2 and 4x4 regions (mean of the three levels)."""
    out = []
    for k in (1, 2, 4):
        h = p.shape[0] // k
        out.append(np.mean([sliced_w(p[i*h:(i+1)*h, j*h:(j+1)*h].reshape(-1, 3),
                                     r[i*h:(i+1)*h, j*h:(j+1)*h].reshape(-1, 3))
                            for i in range(k) for j in range(k)]))
    return float(np.mean(out))


def energy_quantiles(f: np.ndarray, cells: int = 16) -> np.ndarray:
    e = (hp(f, 2.0) ** 2).sum(-1)
    n = e.shape[0] // cells
    v = e[:n * cells, :n * cells].reshape(cells, n, cells, n).mean((1, 3)).ravel()
    return np.quantile(v, [0.1, 0.25, 0.5, 0.75, 0.9])


def sobel_map(image: np.ndarray) -> np.ndarray:
    """Lightness edge strength at 64x64 (a non-encoder baseline for layout)."""
    from scipy.ndimage import gaussian_filter, sobel

    y = grey3(squash(image, 64))[..., 0]
    mag = np.hypot(sobel(y, 0), sobel(y, 1))
    return gaussian_filter(mag, 1.0)[..., None]


def hp(a: np.ndarray, sigma: float) -> np.ndarray:
    from scipy.ndimage import gaussian_filter

    return a - gaussian_filter(a, (sigma, sigma, 0), mode="reflect")


def lp(a: np.ndarray, sigma: float) -> np.ndarray:
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(a, (sigma, sigma, 0), mode="reflect")


def gram(f: np.ndarray) -> np.ndarray:
    x = f.reshape(-1, f.shape[-1]).astype(np.float64)
    x = x - x.mean(0)
    return x.T @ x / len(x)


# -- raw measures (painting p, reference r) ----------------------------------------------------

def pool(a: np.ndarray, k: int) -> np.ndarray:
    h, w, c = a.shape
    return a.reshape(k, h // k, k, w // k, c).mean((1, 3))


def centred_cos(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean((0, 1))
    b = b - b.mean((0, 1))
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na < 1e-6 or nb < 1e-6:
        return 0.0
    return float((a * b).sum() / (na * nb))


def zcorr(a: np.ndarray, b: np.ndarray) -> float:
    """Per-channel spatial correlation, weighted by the reference's (b) channel spread."""
    a = a.reshape(-1, a.shape[-1]); b = b.reshape(-1, b.shape[-1])
    a = a - a.mean(0); b = b - b.mean(0)
    sa, sb = a.std(0), b.std(0)
    corr = (a * b).mean(0) / np.maximum(sa * sb, 1e-9)
    corr[sa < 1e-6] = 0.0
    w = sb / max(sb.sum(), 1e-9)
    return float((corr * w).sum())


def measures(p: dict, r: dict) -> dict:
    m = {}
    for k in ("lay_c16", "lay_c8", "lay_g16", "lay_g8", "lay_c32", "lay_g32"):
        m[f"cos_{k}"] = centred_cos(p[k], r[k])
        m[f"z_{k}"] = zcorr(p[k], r[k])
    # high-pass (edges, small shapes) and low-pass (big masses) layout
    for k, sg in (("lay_g32", 2.0), ("lay_c32", 2.0), ("lay_g16", 1.0), ("lay_c16", 1.0)):
        m[f"hp_{k}"] = centred_cos(hp(p[k], sg), hp(r[k], sg))
        m[f"lp_{k}"] = centred_cos(lp(p[k], sg), lp(r[k], sg))
    # polarity-free: where the edges are (energy of the high-passed maps), not their sign
    for k, sg in (("lay_g16", 1.0), ("lay_g32", 2.0)):
        ep = np.sqrt((hp(p[k], sg) ** 2).sum(-1, keepdims=True))
        er = np.sqrt((hp(r[k], sg) ** 2).sum(-1, keepdims=True))
        m[f"eE_{k}"] = centred_cos(ep, er)
    m["hp4_lay_g32"] = centred_cos(hp(p["lay_g32"], 4.0), hp(r["lay_g32"], 4.0))
    m["sob64"] = centred_cos(p["sob"], r["sob"])
    # the first layer's energy map (where strokes and edges are), 32x32
    ep = np.abs(hp(p["g0_128"], 2.0)).sum(-1)
    er = np.abs(hp(r["g0_128"], 2.0)).sum(-1)
    m["edge0"] = centred_cos(pool(ep[..., None], 32), pool(er[..., None], 32))
    # colour placement: mean Delta-E over grids of 8x8, 4x4 and 2x2 cells
    for k in (8, 4, 2):
        m[f"de{k}"] = float(np.linalg.norm(pool(p["lab"], k) - pool(r["lab"], k), axis=-1).mean())
    m["de_ms"] = (m["de8"] + m["de4"] + m["de2"]) / 3
    m["code_l2"] = float(np.sqrt(((p["code"] - r["code"]) ** 2).mean()))
    # lightness-only placement
    m["dl8"] = float(np.abs(pool(p["lab"], 8)[..., 0] - pool(r["lab"], 8)[..., 0]).mean())
    for g in ("gram0", "gram1", "gramc0", "gramc1"):
        m[f"rel_{g}"] = float(np.linalg.norm(p[g] - r[g]) / max(np.linalg.norm(r[g]), 1e-9))
        # on square-rooted magnitudes: less dominated by the strongest channel
        sp, sr = np.sign(p[g]) * np.sqrt(np.abs(p[g])), np.sign(r[g]) * np.sqrt(np.abs(r[g]))
        m[f"sq_{g}"] = float(np.linalg.norm(sp - sr) / max(np.linalg.norm(sr), 1e-9))
    # brushwork, scale-robust: energy mismatch (too smooth / too busy) + structure mismatch
    es, ss = [], []
    for g in ("gram0", "gram1"):
        tp, tr = float(np.trace(p[g])), float(np.trace(r[g]))
        eps = 0.01 * tr + 1e-9
        es.append(abs(np.log((tp + eps) / (tr + eps))))
        if tp < 1e-9 or tr < 1e-9:
            ss.append(1.0)
        else:
            ss.append(float(np.linalg.norm(p[g] / tp - r[g] / tr) / np.linalg.norm(r[g] / tr)))
    m["brush_e"] = float(np.mean(es))
    m["brush_s"] = float(np.mean(ss))
    m["brush_es"] = m["brush_e"] + m["brush_s"]
    m["brush_sign"] = float(np.sign(np.trace(p["gram0"]) - np.trace(r["gram0"])))
    # brushwork as texture spread: where the canvas has marks, quantiles of local energy
    dq = []
    for g in ("g0_128", "g1_64"):
        qp, qr = energy_quantiles(p[g]), energy_quantiles(r[g])
        eps = 0.01 * float(qr.mean()) + 1e-9
        dq.append(float(np.mean(np.abs(np.log((qp + eps) / (qr + eps))))))
    m["brush_q"] = float(np.mean(dq))
    m["brush_qs"] = m["brush_q"] + m["brush_s"]
    m["sw_col"] = regional_sw(p["lab64"], r["lab64"])
    m["std_log"] = float(np.mean(np.abs(np.log((p["std0"] + 1e-3) / (r["std0"] + 1e-3))))
                         + np.mean(np.abs(np.log((p["std1"] + 1e-3) / (r["std1"] + 1e-3)))))
    return m


if __name__ == "__main__":
    enc = Encoder()
    img = C.load_content("chelsea")
    features(enc, img)
    t = time.perf_counter()
    for _ in range(10):
        f = features(enc, img)
    print("ms per picture (3 encodes + lab):", (time.perf_counter() - t) * 100)
    t = time.perf_counter()
    for _ in range(10):
        measures(f, f)
    print("ms per measures():", (time.perf_counter() - t) * 100)
