"""Keras VGG-19 weight files (HDF5): recognise one by its layout, and cut it to N blocks.

Layout (Keras 2 `save_weights`, as in `vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5`):
root attribute `layer_names`; per layer a group `NAME` with attribute `weight_names`
(empty for input and pooling layers) and datasets `NAME/NAME/kernel:0` (3, 3, in, out)
and `NAME/NAME/bias:0` (out,). Only h5py is needed, never TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# Real VGG-19 ImageNet weights stay below 2 in magnitude (the reference blocks 1-3 file:
# kernels up to 0.66, biases up to 1.76). 100 leaves room for any fine-tuned copy, while
# random bytes read as float32 (magnitudes up to 3e38) or a diverged training run fail.
MAX_PLAUSIBLE_WEIGHT = 100.0

# (layer, input channels, output channels) of VGG-19's convolutions, in order.
VGG19_CONVS: tuple[tuple[str, int, int], ...] = (
    ("block1_conv1", 3, 64), ("block1_conv2", 64, 64),
    ("block2_conv1", 64, 128), ("block2_conv2", 128, 128),
    ("block3_conv1", 128, 256), ("block3_conv2", 256, 256),
    ("block3_conv3", 256, 256), ("block3_conv4", 256, 256),
    ("block4_conv1", 256, 512), ("block4_conv2", 512, 512),
    ("block4_conv3", 512, 512), ("block4_conv4", 512, 512),
    ("block5_conv1", 512, 512), ("block5_conv2", 512, 512),
    ("block5_conv3", 512, 512), ("block5_conv4", 512, 512),
)


def convs_in_blocks(blocks: int) -> list[tuple[str, int, int]]:
    """The convolutions of VGG-19 blocks 1..`blocks`."""
    prefixes = tuple(f"block{b}_" for b in range(1, blocks + 1))
    return [conv for conv in VGG19_CONVS if conv[0].startswith(prefixes)]


@dataclass(frozen=True)
class VggCheck:
    blocks: int | None      # how many whole blocks the file holds; None when not VGG-19
    reason: str             # why it is not VGG-19 weights (empty when it is)


def looks_like_hdf5(path: Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(len(HDF5_SIGNATURE)) == HDF5_SIGNATURE


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def check_vgg19(path: Path) -> VggCheck:
    """Whether `path` holds Keras VGG-19 conv weights for whole blocks 1..N, and N.

    Checks names, order and kernel/bias shapes of every convolution; layers without
    weights (input, pooling) are allowed anywhere, anything else is not.
    """
    import h5py

    if not looks_like_hdf5(path):
        return VggCheck(None, "not an HDF5 file")
    try:
        with h5py.File(path, "r") as h5:
            if "layer_names" not in h5.attrs:
                return VggCheck(None, "HDF5 without a `layer_names` attribute (not Keras weights)")
            with_weights = []
            for name in (_text(n) for n in h5.attrs["layer_names"]):
                if name not in h5:
                    return VggCheck(None, f"layer {name} is listed but has no group")
                if len(h5[name].attrs.get("weight_names", [])) > 0:
                    with_weights.append(name)
            if not with_weights:
                return VggCheck(None, "Keras weights file without any weights")
            return _check_convs(h5, with_weights)
    except OSError as error:
        return VggCheck(None, f"unreadable HDF5 file ({error})")


def _check_convs(h5, names: list[str]) -> VggCheck:
    expected = VGG19_CONVS[:len(names)]
    if len(names) > len(VGG19_CONVS) or [e[0] for e in expected] != names:
        return VggCheck(None, f"layers {names[:4]}... are not VGG-19's convolutions in order")
    for name, channels_in, channels_out in expected:
        kernel = h5.get(f"{name}/{name}/kernel:0")
        bias = h5.get(f"{name}/{name}/bias:0")
        if kernel is None or bias is None:
            return VggCheck(None, f"{name} lacks its kernel:0 or bias:0 dataset")
        if kernel.shape != (3, 3, channels_in, channels_out) or bias.shape != (channels_out,):
            return VggCheck(None, f"{name} has kernel {kernel.shape} and bias {bias.shape}, "
                                  f"VGG-19 has (3, 3, {channels_in}, {channels_out})")
    blocks = int(names[-1][len("block")])
    if len(names) != len(convs_in_blocks(blocks)):
        return VggCheck(None, f"block {blocks} is incomplete (ends at {names[-1]})")
    return VggCheck(blocks, "")


def weights_problem(path: Path) -> str:
    """Why the convolution weights in a VGG-19 file cannot be real ones; "" when they look sane.

    The layout check alone let a file of NaNs replace the real weights (Gatys then
    "converged" after 0 iterations), so every kernel and bias must be finite and below
    MAX_PLAUSIBLE_WEIGHT, and no kernel may be constant (all zero, or one value repeated).
    Reads one layer at a time: at most 9 MB in memory even for the full 80 MB file.
    """
    import h5py

    try:
        with h5py.File(path, "r") as h5:
            for name, _, _ in VGG19_CONVS:
                if name not in h5:
                    break
                for weight in ("kernel:0", "bias:0"):
                    problem = _values_problem(h5[f"{name}/{name}/{weight}"][()],
                                              weight == "kernel:0")
                    if problem:
                        return f"{name} {weight.split(':')[0]} {problem}"
    except (OSError, KeyError) as error:
        return f"unreadable weights ({error})"
    return ""


def _values_problem(values: np.ndarray, is_kernel: bool) -> str:
    if not np.all(np.isfinite(values)):
        return "holds NaN or infinite values"
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    if largest > MAX_PLAUSIBLE_WEIGHT:
        return f"reaches {largest:.3g}, far beyond real VGG-19 weights"
    # Biases may legitimately share one value (a freshly initialised layer); kernels never.
    if is_kernel and values.size and float(np.min(values)) == float(np.max(values)):
        first = float(values.flat[0])
        return "is all zero" if first == 0.0 else f"is one repeated value ({first:g})"
    return ""


def _fixed_bytes(texts: list[str]) -> np.ndarray:
    """Fixed-length byte strings ("|S12"), as Keras writes them: its loader calls .decode()
    on each name, which h5py's variable-length strings (read back as str) would break."""
    return np.array([text.encode("utf-8") for text in texts])


def write_truncated(source: Path, destination: Path, blocks: int) -> None:
    """Write VGG-19 blocks 1..`blocks` of `source` to `destination` in the same layout.

    Like the team's reference `vgg19_blocks1-3_notop.h5`: `layer_names` lists only the
    kept convolutions; root attributes (backend, keras_version) are carried over.
    """
    import h5py

    check = check_vgg19(source)
    if check.blocks is None:
        raise ValueError(f"{source} is not VGG-19 weights: {check.reason}")
    if blocks > check.blocks:
        raise ValueError(f"{source} holds only blocks 1-{check.blocks}, not 1-{blocks}")
    names = [conv[0] for conv in convs_in_blocks(blocks)]
    with h5py.File(source, "r") as src, h5py.File(destination, "w") as dst:
        for key, value in src.attrs.items():
            if key != "layer_names":
                dst.attrs[key] = value
        dst.attrs["layer_names"] = _fixed_bytes(names)
        for name in names:
            group = dst.create_group(name)
            group.attrs["weight_names"] = _fixed_bytes([f"{name}/kernel:0", f"{name}/bias:0"])
            inner = group.create_group(name)
            for weight in ("kernel:0", "bias:0"):
                inner.create_dataset(weight, data=src[f"{name}/{name}/{weight}"][()])
