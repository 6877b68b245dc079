"""The score's autoencoder: one builder for training and inference, split by role.

Like Magenta's two networks (a prediction network that turns a style into a bottleneck and a
transfer network that paints with it), the autoencoder is two Keras models with one job each:

    encoder   (B, S, S, 3) float in [0, 1] -> (B, S/16, S/16, C) code map      (the score)
    decoder   (B, S/16, S/16, C) code map  -> (B, S, S, 3) float in [0, 1]     (training only)

`build_autoencoder(config)` makes both and an `Autoencoder` model holding them plus the code
statistics (mean and spread of every code number over the training images, set after
training). Training saves that model's weights; inference builds the same thing and loads
them, so the two can never disagree about the architecture. The embedding is the code map
standardised by those statistics and scaled to unit length: a cosine similarity of two
embeddings is then a plain dot product (models.score).

TensorFlow / Keras are imported inside functions: importing this module is cheap.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ENCODER_ROLE, DECODER_ROLE = "encoder", "decoder"
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
WEIGHTS_FILE = WEIGHTS_DIR / "encoder.weights.h5"
RECORD_FILE = WEIGHTS_DIR / "encoder_training.json"


@dataclass(frozen=True)
class EncoderConfig:
    # Input side in pixels: every image is squashed to size x size, so a 4:3 painting and a
    # 4:3 photo line up cell for cell. 128 keeps layout and colour, drops brush-hair detail.
    size: int = 128
    # Channels of the four stride-2 stages (128 -> 64 -> 32 -> 16 -> 8). Small on purpose:
    # the weights file is about 1.2 MB and an image encodes in a few ms on one core.
    widths: tuple[int, ...] = (16, 32, 64, 96)
    # Decoder channels at 16, 32, 64, 128 px: thin at full size, where a convolution costs
    # the most. The decoder only teaches the encoder; the score never runs it.
    decoder_widths: tuple[int, ...] = (64, 32, 16, 8)
    # Channels of the code map: 8 x 8 x 16 = 1024 numbers describe an image. Narrow enough
    # that the code keeps composition and colour, not the texture of each stroke.
    code_channels: int = 16
    # Extra 3x3 convolutions after the stride-2 ones of the last `refine` stages (the small
    # ones, where they are cheap): more capacity for the same code size.
    refine: int = 2

    def __post_init__(self) -> None:
        if len(self.decoder_widths) != len(self.widths):
            raise ValueError("the decoder needs one stage per encoder stage")
        if self.size % 2 ** len(self.widths):
            raise ValueError(f"size {self.size} must halve {len(self.widths)} times evenly")

    @property
    def code_side(self) -> int:
        return self.size // 2 ** len(self.widths)

    @property
    def code_size(self) -> int:
        return self.code_side ** 2 * self.code_channels

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> EncoderConfig:
        data = dict(data)
        data["widths"] = tuple(data["widths"])
        data["decoder_widths"] = tuple(data["decoder_widths"])
        return cls(**data)


def _conv(layers, filters: int, strides: int, name: str):
    return layers.Conv2D(filters, 3, strides=strides, padding="same", activation="relu",
                         name=name)


def build_encoder(config: EncoderConfig):
    """(B, S, S, 3) -> (B, S/16, S/16, C): stride-2 stages, then a linear 1x1 to the code."""
    import keras
    from keras import layers

    image = keras.Input((config.size, config.size, 3), name="image")
    x = image
    for i, width in enumerate(config.widths):
        x = _conv(layers, width, 2, f"down{i}")(x)                  # side halves
        if i >= len(config.widths) - config.refine:
            x = _conv(layers, width, 1, f"down{i}_refine")(x)
    code = layers.Conv2D(config.code_channels, 1, name="code")(x)   # linear: any sign
    return keras.Model(image, code, name=ENCODER_ROLE)


def build_decoder(config: EncoderConfig):
    """(B, S/16, S/16, C) -> (B, S, S, 3): bilinear upsampling, then a 3x3 conv, per stage."""
    import keras
    from keras import layers

    side = config.code_side
    code = keras.Input((side, side, config.code_channels), name="code")
    x = _conv(layers, config.widths[-1], 1, "expand")(code)
    for i, width in enumerate(config.decoder_widths):
        x = layers.UpSampling2D(2, interpolation="bilinear", name=f"up{i}_resize")(x)
        x = _conv(layers, width, 1, f"up{i}")(x)                    # side doubles
    image = layers.Conv2D(3, 3, padding="same", activation="sigmoid", name="image")(x)
    return keras.Model(code, image, name=DECODER_ROLE)


def autoencoder_class():
    """The Autoencoder model class (defined on first use: Keras loads only here)."""
    global _AUTOENCODER
    if _AUTOENCODER is not None:
        return _AUTOENCODER
    import keras

    class Autoencoder(keras.Model):
        """encoder + decoder, plus the code statistics that standardise embeddings."""

        def __init__(self, config: EncoderConfig, **kwargs):
            super().__init__(name="autoencoder", **kwargs)
            self.config = config
            self.encoder = build_encoder(config)
            self.decoder = build_decoder(config)
            # (code_size,) each; identity until training sets them from its images.
            self.code_mean = self.add_weight(shape=(config.code_size,), initializer="zeros",
                                             trainable=False, name="code_mean")
            self.code_scale = self.add_weight(shape=(config.code_size,), initializer="ones",
                                              trainable=False, name="code_scale")

        def call(self, images, training=False):
            return self.decoder(self.encoder(images, training=training), training=training)

    _AUTOENCODER = Autoencoder
    return Autoencoder


_AUTOENCODER = None


def build_autoencoder(config: EncoderConfig | None = None):
    """The one builder: an Autoencoder whose .encoder and .decoder are separate models."""
    config = config or EncoderConfig()
    model = autoencoder_class()(config)
    model(np.zeros((1, config.size, config.size, 3), np.float32))   # create every weight
    return model


def set_code_statistics(model, codes: np.ndarray, floor: float = 0.05) -> None:
    """codes (N, code_size) from training images -> the model's mean and spread.

    `floor` (a fraction of the median spread) keeps a code number that hardly varies from
    being blown up into noise when embeddings are standardised.
    """
    mean = codes.mean(axis=0)
    spread = codes.std(axis=0)
    spread = np.maximum(spread, floor * float(np.median(spread)) + 1e-6)
    model.code_mean.assign(mean.astype(np.float32))
    model.code_scale.assign(spread.astype(np.float32))


def prepare(image: np.ndarray, size: int) -> np.ndarray:
    """(H, W, 3) uint8 -> (size, size, 3) float32 in [0, 1] (squashed, antialiased)."""
    from PIL import Image

    array = np.asarray(image)
    if array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8:
        raise ValueError(f"an image must be (H, W, 3) uint8, not {array.shape} {array.dtype}")
    if array.shape[:2] != (size, size):
        array = np.asarray(Image.fromarray(array).resize((size, size), Image.Resampling.BOX
                                                         if min(array.shape[:2]) >= size
                                                         else Image.Resampling.BILINEAR))
    return array.astype(np.float32) / 255.0


def embed_codes(model, codes: np.ndarray) -> np.ndarray:
    """(N, side, side, C) codes -> (N, code_size) float64 unit vectors (standardised)."""
    flat = codes.reshape(codes.shape[0], -1).astype(np.float64)
    mean = np.asarray(model.code_mean.numpy(), np.float64)
    scale = np.asarray(model.code_scale.numpy(), np.float64)
    standard = (flat - mean) / scale
    norms = np.linalg.norm(standard, axis=1, keepdims=True)
    return standard / np.maximum(norms, 1e-12)
