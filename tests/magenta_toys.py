"""Tiny Magenta look-alikes in the real formats, built from small TF ops, for the tests.

- prediction.tflite: input `style_image` (1, 256, 256, 3) -> (1, 1, 1, 100) bottleneck that
  encodes the style's mean colour (logit of the mean, through a fixed random projection).
- transfer.tflite: inputs, in *reversed* order so engines must not rely on order, the
  bottleneck `mobilenet_conv/Conv/BiasAdd` (1, 1, 1, 100) and `content_image`
  (1, S, S, 3). A 3x3 blur with zero "SAME" padding (a real conv's border behaviour),
  instance normalisation over the whole square, then sigmoid(x + style mean logit):
  the output's colour moves to the style's mean colour and its structure is the content's.
- hub/: a SavedModel whose `__call__(content, style)` returns [image] at the content's size,
  made of the same two halves (weights held in tf.Variables, like a real export).

Built in a subprocess so the test process keeps TensorFlow's default state untouched.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

TOY_TRANSFER_SIZE = 128

_BUILD = textwrap.dedent("""
    import os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    out, size = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(7)
    projection = rng.normal(size=(3, 100)).astype(np.float32)
    back = np.linalg.pinv(projection).astype(np.float32)          # (100, 3)

    def predict(style, w):
        mean = tf.clip_by_value(tf.reduce_mean(style, axis=[1, 2]), 0.02, 0.98)  # (1, 3)
        code = tf.math.log(mean / (1.0 - mean))
        return tf.identity(tf.reshape(tf.matmul(code, w), [-1, 1, 1, 100]),
                           name="mobilenet_conv/Conv/BiasAdd")

    def transfer(content, bottleneck, v):
        kernel = tf.ones([3, 3, 3, 1]) / 9.0
        x = tf.nn.depthwise_conv2d(content, kernel, [1, 1, 1, 1], "SAME")
        mean, var = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        x = (x - mean) / tf.sqrt(var + 1e-3)
        shift = tf.reshape(tf.matmul(tf.reshape(bottleneck, [-1, 100]), v), [-1, 1, 1, 3])
        return tf.sigmoid(0.8 * x + shift)

    w, v = tf.constant(projection), tf.constant(back)
    spec = tf.TensorSpec
    pred = tf.function(lambda style_image: predict(style_image, w),
                       input_signature=[spec([1, 256, 256, 3], tf.float32, name="style_image")])
    conv = tf.lite.TFLiteConverter.from_concrete_functions([pred.get_concrete_function()])
    open(os.path.join(out, "prediction.tflite"), "wb").write(conv.convert())
    tran = tf.function(lambda bottleneck, content_image: transfer(content_image, bottleneck, v),
                       input_signature=[
                           spec([1, 1, 1, 100], tf.float32, name="mobilenet_conv/Conv/BiasAdd"),
                           spec([1, size, size, 3], tf.float32, name="content_image")])
    conv = tf.lite.TFLiteConverter.from_concrete_functions([tran.get_concrete_function()])
    open(os.path.join(out, "transfer.tflite"), "wb").write(conv.convert())

    class Hub(tf.Module):
        def __init__(self):
            self.w = tf.Variable(projection)
            self.v = tf.Variable(back)

        @tf.function(input_signature=[spec([None, None, None, 3], tf.float32),
                                      spec([None, None, None, 3], tf.float32)])
        def __call__(self, content, style):
            return [transfer(content, predict(style, self.w), self.v)]

    tf.saved_model.save(Hub(), os.path.join(out, "hub"))
""")


def build_toys(folder: Path, transfer_size: int = TOY_TRANSFER_SIZE) -> Path:
    """Write prediction.tflite, transfer.tflite and hub/ into `folder`; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([sys.executable, "-c", _BUILD, str(folder), str(transfer_size)],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"building toy models failed:\n{result.stderr[-3000:]}")
    return folder
