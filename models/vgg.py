"""VGG-19 feature extractors: real weights read from an HDF5 file by layer name, or random ones.

The model is Keras's VGG-19 layout (3x3 'same' ReLU convolutions, a 2x2 max-pool after each
block) built only as deep as the deepest layer asked for, so a file holding blocks 1-3 (9 MB)
is enough for a blocks 1-3 model. No `keras.applications` download: the weights come from the
file (`NAME/NAME/kernel:0`, `NAME/NAME/bias:0`, as in Keras's own *_notop.h5), or, for the
offline stand-in, from a seeded Glorot-uniform initialisation with zero biases.
"""
from __future__ import annotations

from pathlib import Path

import h5py
import keras
import numpy as np
import tensorflow as tf

from models.settings import VGG19_BLOCKS, VGG19_FILTERS, block_of

# Keras VGG ("caffe") input convention: BGR, ImageNet mean subtracted, no scaling.
BGR_MEAN = (103.939, 116.779, 123.68)


class WeightsError(ValueError):
    """The weights file is missing, unreadable or not VGG-19 shaped."""


def configure_threads(threads: int) -> None:
    """Limit TensorFlow's thread pools and share the GPU (only before TF runs its first op)."""
    from models.gpu import share_gpus

    share_gpus(tf)
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # already initialised in this process: the first call's value stands


def file_layers(path: Path) -> list[str]:
    """Names of the layers stored in a Keras HDF5 weights file."""
    try:
        with h5py.File(path, "r") as f:
            names = f.attrs.get("layer_names")
            if names is None:
                return list(f.keys())
            return [n.decode() if isinstance(n, bytes) else str(n) for n in names]
    except OSError as exc:
        raise WeightsError(f"cannot read VGG-19 weights from {path}: {exc}") from exc


def file_blocks(path: Path) -> int:
    """How many leading VGG-19 blocks the file holds completely (0..5)."""
    present = set(file_layers(path))
    count = 0
    for block in VGG19_BLOCKS:
        if not all(name in present for name in block):
            break
        count += 1
    return count


def read_weights(path: Path, layers: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(kernel (3, 3, in, out), bias (out,)) for each named layer, read by name with h5py."""
    out = {}
    with h5py.File(path, "r") as f:
        for name in layers:
            if name not in f:
                raise WeightsError(f"{path.name} has no layer {name}")
            group = f[name]
            names = [n.decode() if isinstance(n, bytes) else str(n)
                     for n in group.attrs.get("weight_names", [])]
            kernel_name = next((n for n in names if "kernel" in n), f"{name}/kernel:0")
            bias_name = next((n for n in names if "bias" in n), f"{name}/bias:0")
            out[name] = (np.asarray(group[kernel_name], np.float32),
                         np.asarray(group[bias_name], np.float32))
    return out


def conv_layers_up_to(block: int, last: str | None = None) -> list[str]:
    """Conv layer names of blocks 1..block in order, optionally ending at `last`."""
    names = [name for b in VGG19_BLOCKS[:block] for name in b]
    return names[: names.index(last) + 1] if last else names


def build_features(outputs: list[str], weights_path: Path | None = None,
                   seed: int | None = None) -> keras.Model:
    """A VGG-19-shaped model mapping a preprocessed (1, H, W, 3) batch to {layer: features}.

    Exactly one of `weights_path` (real weights) and `seed` (random Glorot weights) is given.
    """
    if (weights_path is None) == (seed is None):
        raise ValueError("give either weights_path or seed")
    deepest = max(outputs, key=lambda n: conv_layers_up_to(5).index(n))
    names = conv_layers_up_to(block_of(deepest), deepest)
    if seed is not None:
        keras.utils.set_random_seed(seed)   # Glorot-uniform kernels, zero biases: Keras defaults
    inputs = keras.Input(shape=(None, None, 3), name="bgr_image")
    x, found, convs = inputs, {}, []
    for name in names:
        block = block_of(name)
        if found and block_of(convs[-1].name) != block:
            x = keras.layers.MaxPooling2D(2, name=f"block{block - 1}_pool")(x)
        conv = keras.layers.Conv2D(VGG19_FILTERS[block - 1], 3, padding="same",
                                   activation="relu", name=name)
        x = conv(x)
        convs.append(conv)
        found[name] = x
    model = keras.Model(inputs, {name: found[name] for name in outputs}, name="vgg19_features")
    if weights_path is not None:
        weights = read_weights(Path(weights_path), names)
        for conv in convs:
            kernel, bias = weights[conv.name]
            expected = tuple(conv.kernel.shape)
            if kernel.shape != expected:
                raise WeightsError(f"{conv.name}: kernel {kernel.shape}, expected {expected}")
            conv.set_weights([kernel, bias])
    model.trainable = False
    return model


def preprocess(image: tf.Tensor) -> tf.Tensor:
    """(1, H, W, 3) float32 RGB in [0, 255] -> BGR with the ImageNet mean subtracted."""
    return image[..., ::-1] - tf.constant(BGR_MEAN, tf.float32)
