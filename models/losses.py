"""Neural-style-transfer losses as plain functions on tensors.

Each returns a scalar tensor; `nst_loss` composes them and returns (total, parts) like
keras-io's NST example and Magenta's loss_dict. Normalisation follows the TensorFlow NST
tutorial: statistics are averaged over positions and each layer's loss is a mean over its
entries, so layers of different sizes weigh alike. With `relative=True` a loss is divided by
the squared norm of its target instead, which makes weights independent of the feature scale
(needed for random networks, whose activations have no natural size).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import tensorflow as tf

_EPS = 1e-12


def _positions(features: tf.Tensor) -> tf.Tensor:
    """(1, H, W, C) -> (H*W, C)."""
    channels = tf.shape(features)[-1]
    return tf.reshape(features, (-1, channels))


def gram_matrix(features: tf.Tensor) -> tf.Tensor:
    """(1, H, W, C) -> (C, C): feature correlations averaged over the H*W positions."""
    flat = _positions(features)                                    # (N, C)
    n = tf.cast(tf.shape(flat)[0], features.dtype)
    return tf.matmul(flat, flat, transpose_a=True) / n


def centred_statistics(features: tf.Tensor) -> tf.Tensor:
    """(1, H, W, C) -> (C + 1, C): covariance of the features with their mean as a last row.

    Random filters have large mean activations that swamp the correlations in a plain Gram
    matrix; centring separates the two.
    """
    flat = _positions(features)                                    # (N, C)
    n = tf.cast(tf.shape(flat)[0], features.dtype)
    mean = tf.reduce_mean(flat, axis=0, keepdims=True)             # (1, C)
    centred = flat - mean
    covariance = tf.matmul(centred, centred, transpose_a=True) / n  # (C, C)
    return tf.concat([covariance, mean], axis=0)


STATISTICS = {"gram": gram_matrix, "centred": centred_statistics}


def _difference(value: tf.Tensor, target: tf.Tensor, relative: bool) -> tf.Tensor:
    """Mean squared difference, or squared difference relative to the target's squared norm."""
    if relative:
        return tf.reduce_sum(tf.square(value - target)) / (tf.reduce_sum(tf.square(target)) + _EPS)
    return tf.reduce_mean(tf.square(value - target))


def style_loss(statistics: Mapping[str, tf.Tensor], targets: Mapping[str, tf.Tensor],
               layer_weights: Sequence[tuple[str, float]], relative: bool = False) -> tf.Tensor:
    """Weighted mean over layers of each layer's statistics loss (one style image)."""
    total = tf.constant(0.0)
    weight_sum = sum(w for _, w in layer_weights)
    for layer, weight in layer_weights:
        total += weight * _difference(statistics[layer], targets[layer], relative)
    return total / weight_sum


def content_loss(features: tf.Tensor, target: tf.Tensor, relative: bool = False) -> tf.Tensor:
    """How far the picture's features at the content layer are from the photo's."""
    return _difference(features, target, relative)


def total_variation_loss(image: tf.Tensor) -> tf.Tensor:
    """(1, H, W, 3) -> mean absolute difference between neighbouring pixels (0 if flat)."""
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    return tf.reduce_mean(tf.abs(dy)) + tf.reduce_mean(tf.abs(dx))


def aggregate(losses: Sequence[tf.Tensor], weights: Sequence[float], how: str) -> tf.Tensor:
    """Combine per-style-image losses: weighted "mean", "rms" or "geometric" mean.

    rms lets the worst-matched style dominate; geometric rewards matching every style a bit.
    """
    values = tf.stack(list(losses))                                # (S,)
    w = tf.constant(list(weights), values.dtype)
    w = w / tf.reduce_sum(w)
    if how == "mean":
        return tf.reduce_sum(w * values)
    if how == "rms":
        return tf.sqrt(tf.reduce_sum(w * tf.square(values)) + _EPS)
    if how == "geometric":
        return tf.exp(tf.reduce_sum(w * tf.math.log(values + _EPS)))
    raise ValueError(f"unknown aggregation {how!r}")


def nst_loss(image: tf.Tensor, features: Mapping[str, tf.Tensor], content_layer: str,
             content_target: tf.Tensor, style_targets: Sequence[Mapping[str, tf.Tensor]],
             style_image_weights: Sequence[float], layer_weights: Sequence[tuple[str, float]],
             *, statistics: str, relative: bool, aggregation: str, content_weight: float,
             style_weight: float, tv_weight: float) -> tuple[tf.Tensor, dict[str, tf.Tensor]]:
    """The Gatys objective for one picture: (total, {"content", "style", "tv", "total"}).

    `image` is (1, H, W, 3) in [0, 255]; `features` its network outputs by layer name;
    `style_targets` holds one {layer: statistics} per style image.
    """
    stats_fn = STATISTICS[statistics]
    stats = {layer: stats_fn(features[layer]) for layer, _ in layer_weights}
    per_image = [style_loss(stats, target, layer_weights, relative) for target in style_targets]
    style = style_weight * aggregate(per_image, style_image_weights, aggregation)
    content = content_weight * content_loss(features[content_layer], content_target, relative)
    tv = tv_weight * total_variation_loss(image) if tv_weight else tf.constant(0.0)
    total = content + style + tv
    return total, {"content": content, "style": style, "tv": tv, "total": total}
