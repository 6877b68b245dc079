"""What the score looks at in one picture: maps of the committed encoder, run three ways.

The score's encoder (models.encoder) is used as a fully convolutional network: any input side,
and the maps of its inner layers as well as its code. Every picture is encoded three times with
the same committed weights:

(sides for the committed encoder, whose input side is 128; the fine pass is twice that)

    colour    the picture squashed to 128 x 128           -> code       (8, 8, 16)
    lightness its grey version (Y in all three channels)  -> down1      (32, 32, 32)
              squashed to 128 x 128                          down2_refine (16, 16, 64)
    fine      the grey version squashed to 256 x 256      -> down0      (128, 128, 16)
                                                             down1      (64, 64, 32)

Each input is reflect-padded by 1/8 of its side and the pad is cropped off every map: the
convolutions zero-pad, and without this a flat picture's maps carry a strong border pattern
(a white canvas and a pale hatching picture then looked 0.89 alike). With it, a flat picture
gives flat maps. `PictureFeatures` keeps only what models.score_parts compares, already
filtered, so a reference's side is computed once.

TensorFlow / Keras are imported inside FeatureNet only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The maps the score reads, by their stride in the encoder (models.encoder.build_encoder): the
# last layer at each stride (for the committed encoder: down0, down1, down2_refine) and the
# code. A smaller encoder (the tests' tiny one) lacks the deeper strides; the deepest it has
# stands in for them.
FINE_STRIDES, LAYOUT_STRIDES = (2, 4), (8, 4)
LIGHTNESS = np.array([0.299, 0.587, 0.114], np.float32)     # ITU-R 601 luma


@dataclass(frozen=True)
class FeatureConfig:
    # High-pass widths, in cells of each map: what is left after removing the blur is where
    # edges and small shapes are, not the big tonal masses a few flat blobs can copy.
    layout_sigma_16: float = 1.0      # on the 16 x 16 lightness map (down2_refine)
    layout_sigma_32: float = 4.0      # on the 32 x 32 lightness map (down1)
    # Brushwork: local texture energy = squared high-pass (sigma in cells) of the fine maps,
    # averaged over a grid of cells, summarised by these quantiles (how much of the canvas
    # carries marks, and how strong).
    texture_sigma: float = 2.0
    texture_cells: int = 16
    texture_quantiles: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclass(frozen=True)
class PictureFeatures:
    """One picture, as the score compares it (numpy, float32 / float64)."""

    layout16: np.ndarray    # (16, 16, 64) high-passed lightness map, spatial mean removed
    layout32: np.ndarray    # (32, 32, 32) the same at 32 x 32
    code: np.ndarray        # (8, 8, 16) the colour code, standardised by training statistics
    texture: np.ndarray     # (2, Q) quantiles of local texture energy, fine down0 and down1


def squash(image: np.ndarray, side: int) -> np.ndarray:
    """(H, W, 3) uint8 -> (side, side, 3) float32 in [0, 1], antialiased when shrinking."""
    from PIL import Image

    array = np.asarray(image)
    if array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8:
        raise ValueError(f"an image must be (H, W, 3) uint8, not {array.shape} {array.dtype}")
    resample = Image.Resampling.BOX if min(array.shape[:2]) >= side else Image.Resampling.BILINEAR
    small = Image.fromarray(array).resize((side, side), resample)
    return np.asarray(small).astype(np.float32) / 255.0


def grey3(image01: np.ndarray) -> np.ndarray:
    """(..., 3) float -> the same shape, lightness in all three channels (palette-blind)."""
    return np.repeat((image01 @ LIGHTNESS)[..., None], 3, -1)


def high_pass(maps: np.ndarray, sigma: float) -> np.ndarray:
    """(H, W, C) -> the maps minus their Gaussian blur (sigma in cells, reflecting edges)."""
    from scipy.ndimage import gaussian_filter

    return maps - gaussian_filter(maps, (sigma, sigma, 0), mode="reflect")


def centred(maps: np.ndarray) -> np.ndarray:
    """(H, W, C) -> each channel minus its spatial mean (a flat map becomes all zeros)."""
    return maps - maps.mean(axis=(0, 1))


def texture_quantiles(maps: np.ndarray, config: FeatureConfig) -> np.ndarray:
    """(H, W, C) fine map -> (Q,) quantiles of its local texture energy over a cell grid."""
    energy = (high_pass(maps, config.texture_sigma) ** 2).sum(-1)         # (H, W)
    cells = config.texture_cells
    n = energy.shape[0] // cells
    grid = energy[:n * cells, :n * cells].reshape(cells, n, cells, n).mean((1, 3))
    return np.quantile(grid.ravel(), config.texture_quantiles)


class FeatureNet:
    """The committed encoder as a padded, fully convolutional map extractor."""

    def __init__(self, model, config: FeatureConfig | None = None):
        import keras
        import tensorflow as tf

        self.config = config or FeatureConfig()
        side = model.config.code_side
        channels = model.config.code_channels
        self.code_mean = model.code_mean.numpy().reshape(side, side, channels)
        self.code_scale = model.code_scale.numpy().reshape(side, side, channels)
        self.side = model.config.size
        image = keras.Input((None, None, 3))
        x, by_stride, stride = image, {}, 1
        for layer in model.encoder.layers[1:]:          # the same layers, any input side
            x = layer(x)
            stride *= layer.strides[0]
            by_stride[stride if layer.name != "code" else "code"] = x
        code_stride = stride
        deepest = max(k for k in by_stride if k != "code")
        # (name, stride) of every map FeatureNet.maps returns
        self.layers = {"code": code_stride,
                       **{f"s{k}": min(k, deepest) for k in (*FINE_STRIDES, *LAYOUT_STRIDES)}}
        net = keras.Model(image, [by_stride[s if name != "code" else "code"]
                                  for name, s in self.layers.items()])
        # One traced graph for every batch and side: (B, S, S, 3) -> the maps.
        self._run = tf.function(lambda batch: net(batch, training=False),
                                input_signature=[tf.TensorSpec((None, None, None, 3),
                                                               tf.float32)])

    def maps(self, batch01: np.ndarray) -> list[dict[str, np.ndarray]]:
        """(B, S, S, 3) float in [0, 1] -> per picture {layer: (S/stride, S/stride, C)}."""
        side = batch01.shape[1]
        pad = side // 8
        padded = np.pad(batch01, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="reflect")
        outputs = [o.numpy() for o in self._run(padded.astype(np.float32))]
        pictures = []
        for b in range(batch01.shape[0]):
            cropped = {}
            for (name, stride), output in zip(self.layers.items(), outputs):
                k = pad // stride
                cropped[name] = output[b, k:-k, k:-k]
            pictures.append(cropped)
        return pictures

    def features(self, image: np.ndarray) -> PictureFeatures:
        """(H, W, 3) uint8 -> what the score compares (three encodes, two graph calls)."""
        cfg = self.config
        coarse = squash(image, self.side)
        colour, lightness = self.maps(np.stack([coarse, grey3(coarse)]))
        fine = self.maps(grey3(squash(image, 2 * self.side))[None])[0]
        code = (colour["code"] - self.code_mean) / self.code_scale
        coarse_a, coarse_b = (f"s{k}" for k in LAYOUT_STRIDES)
        return PictureFeatures(
            layout16=centred(high_pass(lightness[coarse_a], cfg.layout_sigma_16)),
            layout32=centred(high_pass(lightness[coarse_b], cfg.layout_sigma_32)),
            code=code.astype(np.float64),
            texture=np.stack([texture_quantiles(fine[f"s{k}"], cfg) for k in FINE_STRIDES]))
