"""Behaviour of the Gatys engine: losses, weights files, stopping rules, the real VGG-19 file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from models import vgg  # noqa: E402
from models.gatys import (  # noqa: E402
    Objective, luminance, resolve_layers, run_gatys, to_size, with_chroma_of)
from models.losses import (  # noqa: E402
    aggregate, centred_statistics, content_loss, gram_matrix, style_loss, total_variation_loss)
from models.settings import (  # noqa: E402
    VGG19_BLOCKS, VGG19_FILTERS, GatysSettings, default_settings, with_changes)

vgg.configure_threads(2)
ROOT = Path(__file__).resolve().parent.parent
SHARED = os.environ.get("STYLE_DUEL_SHARED_MODELS")
REAL_FILE = Path(SHARED) / "vgg19_blocks1-3_notop.h5" if SHARED else None


def write_vgg_file(path: Path, blocks: int, seed: int = 0) -> Path:
    """A Keras-layout VGG-19 notop file holding the first `blocks` blocks, He-scaled noise."""
    rng = np.random.default_rng(seed)
    names, channels = [], 3
    with h5py.File(path, "w") as f:
        for b in range(blocks):
            for name in VGG19_BLOCKS[b]:
                out = VGG19_FILTERS[b]
                group = f.create_group(name)
                group.attrs["weight_names"] = [f"{name}/kernel:0".encode(),
                                               f"{name}/bias:0".encode()]
                std = np.sqrt(2.0 / (9 * channels))
                group.create_dataset(f"{name}/kernel:0",
                                     data=rng.normal(0, std, (3, 3, channels, out)).astype("f4"))
                group.create_dataset(f"{name}/bias:0", data=np.full(out, 0.01, "f4"))
                names.append(name.encode())
                channels = out
        f.attrs["layer_names"] = names
    return path


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory) -> Path:
    return write_vgg_file(tmp_path_factory.mktemp("vgg") / "vgg_b12.h5", blocks=2)


def pictures(size: int = 40, seed: int = 1):
    """A smooth photo-like gradient with a disc, and a striped colourful 'painting'."""
    yy, xx = np.mgrid[0:size, 0:size] / size
    photo = np.stack([200 * xx + 30, 150 * yy + 50, 80 + 60 * (xx * yy)], -1)
    photo[(xx - 0.5) ** 2 + (yy - 0.5) ** 2 < 0.08] = (230, 220, 40)
    stripes = (np.sin(xx * 25 + yy * 9) > 0)[..., None]
    paint = np.where(stripes, (20, 40, 200), (250, 120, 10))
    paint = paint + np.random.default_rng(seed).normal(0, 10, paint.shape)
    return photo.clip(0, 255).astype(np.uint8), paint.clip(0, 255).astype(np.uint8)


def tiny_settings(**changes) -> GatysSettings:
    base = GatysSettings(size=40, content_layer="block2_conv2",
                         style_layers=(("block1_conv1", 1.0), ("block2_conv1", 1.0)),
                         style_weight=1e-2, seconds=1e6, max_iterations=15,
                         preview_seconds=0.0)
    return with_changes(base, **changes)


def run_tiny(path, settings, **kwargs):
    photo, paint = pictures()
    history = []
    result = run_gatys(photo, [paint], settings, path,
                       progress=lambda p: history.append(p), **kwargs)
    return result, history


# ---------------------------------------------------------------- losses

def test_gram_is_averaged_over_positions_and_centred_statistics_add_a_mean_row():
    ones_small, ones_big = tf.ones((1, 4, 4, 3)), tf.ones((1, 16, 8, 3))
    assert gram_matrix(ones_small).shape == (3, 3)
    np.testing.assert_allclose(gram_matrix(ones_small), np.ones((3, 3)), rtol=1e-6)
    np.testing.assert_allclose(gram_matrix(ones_big), np.ones((3, 3)), rtol=1e-6)
    features = tf.constant(np.random.default_rng(0).normal(2.0, 1.0, (1, 8, 8, 5)), tf.float32)
    stats = centred_statistics(features).numpy()
    assert stats.shape == (6, 5)
    flat = features.numpy().reshape(-1, 5)
    np.testing.assert_allclose(stats[:5], np.cov(flat, rowvar=False, bias=True), atol=1e-4)
    np.testing.assert_allclose(stats[5], flat.mean(0), atol=1e-5)


def test_style_loss_is_zero_for_identical_features_and_relative_loss_ignores_scale():
    rng = np.random.default_rng(0)
    a = tf.constant(rng.random((1, 6, 6, 4)), tf.float32)
    b = tf.constant(rng.random((1, 6, 6, 4)), tf.float32)
    layers = (("x", 1.0),)
    same = style_loss({"x": gram_matrix(a)}, {"x": gram_matrix(a)}, layers)
    assert float(same) == 0.0
    assert float(style_loss({"x": gram_matrix(a)}, {"x": gram_matrix(b)}, layers)) > 0
    rel = float(content_loss(a, b, relative=True))
    rel_scaled = float(content_loss(a * 1000, b * 1000, relative=True))
    assert rel == pytest.approx(rel_scaled, rel=1e-4)
    assert float(content_loss(a * 1000, b * 1000)) > 1e5 * float(content_loss(a, b))


@pytest.mark.parametrize("how, weights, expected", [
    ("mean", (1, 1), 2.5),
    ("rms", (1, 1), np.sqrt((1 + 16) / 2)),
    ("geometric", (1, 1), 2.0),
    ("mean", (3, 1), 1.75),
    ("geometric", (1, 3), 2 ** 1.5),
])
def test_aggregations_on_known_numbers(how, weights, expected):
    value = aggregate([tf.constant(1.0), tf.constant(4.0)], weights, how)
    assert float(value) == pytest.approx(expected, rel=1e-5)


def test_total_variation_is_zero_for_a_flat_image_and_counts_a_step():
    assert float(total_variation_loss(tf.fill((1, 8, 8, 3), 77.0))) == 0.0
    step = np.zeros((1, 4, 4, 3), np.float32)
    step[:, :, 2:] = 12.0                       # one vertical edge: 1 of 3 column gaps
    assert float(total_variation_loss(tf.constant(step))) == pytest.approx(4.0)


def test_colour_preservation_keeps_the_contents_chroma_exactly():
    from skimage.color import rgb2yiq
    photo, paint = pictures()
    photo_f, paint_f = photo.astype(np.float64) * 0.8 + 20, paint.astype(np.float64)
    mixed = with_chroma_of(paint_f, photo_f)
    np.testing.assert_allclose(rgb2yiq(mixed / 255)[..., 1:], rgb2yiq(photo_f / 255)[..., 1:],
                               atol=1e-9)
    np.testing.assert_allclose(luminance(mixed), luminance(paint_f), atol=1e-6)


# ---------------------------------------------------------------- weights files and layers

def test_file_blocks_and_weights_loaded_by_layer_name(tiny_file):
    assert vgg.file_blocks(tiny_file) == 2
    model = vgg.build_features(["block2_conv1"], tiny_file)
    with h5py.File(tiny_file) as f:
        kernel = f["block2_conv1/block2_conv1/kernel:0"][...]
    np.testing.assert_array_equal(model.get_layer("block2_conv1").kernel.numpy(), kernel)
    assert [layer.name for layer in model.layers if "conv" in layer.name] == [
        "block1_conv1", "block1_conv2", "block2_conv1"]   # built only as deep as needed


def test_random_features_are_seeded():
    x = tf.constant(np.random.default_rng(0).random((1, 16, 16, 3)) * 255, tf.float32)
    a = vgg.build_features(["block2_conv1"], seed=0)(x)["block2_conv1"]
    b = vgg.build_features(["block2_conv1"], seed=0)(x)["block2_conv1"]
    c = vgg.build_features(["block2_conv1"], seed=1)(x)["block2_conv1"]
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_truncated_file_drops_layers_beyond_its_blocks_with_notes(tiny_file):
    result, _ = run_tiny(tiny_file, tiny_settings(
        content_layer="block4_conv2", style_layers=GatysSettings().style_layers,
        max_iterations=3))
    notes = " ".join(result.notes)
    assert "blocks 1-2" in notes
    for dropped in ("block3_conv1", "block4_conv1", "block5_conv1"):
        assert dropped in notes
    assert "block4_conv2" in notes and "block2_conv2" in notes     # content layer replaced
    assert result.image.shape == (40, 40, 3) and result.iterations == 3


def test_asking_only_for_layers_beyond_the_file_falls_back_with_a_note(tiny_file):
    asked = tiny_settings(content_layer="block3_conv2",
                          style_layers=(("block3_conv1", 1.0), ("block4_conv1", 1.0)))
    resolved, notes = resolve_layers(asked, available=2)
    assert [n for n, _ in resolved.style_layers] == ["block1_conv1", "block2_conv1"]
    assert resolved.content_layer == "block2_conv2"
    assert any("no style layer left" in n for n in notes)
    result, _ = run_tiny(tiny_file, with_changes(asked, max_iterations=2))
    assert any("no style layer left" in n for n in result.notes)


def test_blocks_setting_uses_only_the_first_blocks_of_a_bigger_file():
    resolved, notes = resolve_layers(GatysSettings(blocks=1), available=5)
    assert resolved.content_layer == "block1_conv2"
    assert [n for n, _ in resolved.style_layers] == ["block1_conv1"]
    assert any("block2_conv1" in n for n in notes)


def test_default_settings_pick_blocks_1_to_3_without_a_gpu():
    cpu = default_settings(has_gpu=False, available_blocks=5)
    assert cpu.blocks == 3 and cpu.deepest_block == 3
    assert [n for n, _ in cpu.style_layers] == ["block1_conv1", "block2_conv1", "block3_conv1"]
    gpu = default_settings(has_gpu=True, available_blocks=5)
    assert gpu.deepest_block == 5 and gpu.content_layer == "block4_conv2"
    assert default_settings(has_gpu=True, available_blocks=3).deepest_block == 3


def test_settings_module_does_not_import_tensorflow():
    code = "import sys, models.settings; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- the engine, tiny weights

@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_loss_falls(tiny_file, optimizer):
    result, history = run_tiny(tiny_file, tiny_settings(optimizer=optimizer, max_iterations=12))
    losses = [p.loss_parts["total"] for p in history]
    assert result.iterations == 12 and len(history) == 12
    assert losses[-1] < 0.7 * losses[0]
    assert result.loss_parts["total"] == pytest.approx(losses[-1])
    assert history[0].preview.dtype == np.uint8 and history[0].preview.shape == (40, 40, 3)
    assert result.image.dtype == np.uint8 and not result.converged


def test_time_budget_is_respected_on_a_fake_clock(tiny_file):
    ticks = iter(range(10**6))
    result, _ = run_tiny(tiny_file, tiny_settings(seconds=8, max_iterations=500),
                         clock=lambda: float(next(ticks)))   # every look at the clock = 1 s
    assert result.iterations in range(1, 9)
    assert not result.converged
    assert any("time budget" in n for n in result.notes)


def test_early_stop_on_a_plateau(tiny_file):
    result, history = run_tiny(tiny_file, tiny_settings(
        max_iterations=300, plateau_window=3, plateau_tolerance=0.05))
    losses = [p.loss_parts["total"] for p in history]
    assert result.converged and result.iterations < 300
    assert any("converged" in n for n in result.notes)
    assert losses[-4] - losses[-1] < 3 * 0.05 * losses[-4]    # the rule that fired
    assert all(losses[i - 3] - losses[i] >= 3 * 0.05 * losses[i - 3]
               for i in range(3, len(losses) - 1))          # and it did not fire earlier


def test_should_stop_cancels(tiny_file):
    calls = []
    result, _ = run_tiny(tiny_file, tiny_settings(max_iterations=100),
                         should_stop=lambda: calls.append(1) or len(calls) >= 3)
    assert result.iterations == 3 and not result.converged
    assert "cancelled" in result.notes


def test_colour_preservation_in_the_engine_keeps_chroma(tiny_file):
    from skimage.color import rgb2yiq
    photo, _ = pictures()
    result, _ = run_tiny(tiny_file, tiny_settings(preserve_colour=True, style_weight=1.0,
                                                  max_iterations=8))
    out_iq = rgb2yiq(result.image / 255.0)[..., 1:]
    photo_iq = rgb2yiq(photo / 255.0)[..., 1:]
    assert np.abs(out_iq - photo_iq).mean() < 0.01          # only uint8 rounding and clipping
    plain, _ = run_tiny(tiny_file, tiny_settings(style_weight=1.0, max_iterations=8))
    assert np.abs(rgb2yiq(plain.image / 255.0)[..., 1:] - photo_iq).mean() > 0.03


def test_several_weighted_styles_start_from_the_heaviest(tiny_file):
    photo, paint = pictures()
    blue = np.zeros_like(paint)
    blue[..., 2] = 220
    red = np.zeros_like(paint)
    red[..., 0] = 220
    for heavy, channel in ((blue, 2), (red, 0)):
        light = red if heavy is blue else blue
        result = run_gatys(photo, [(light, 0.2), (heavy, 5.0)],
                           tiny_settings(max_iterations=1, aggregation="geometric"), tiny_file)
        means = result.image.reshape(-1, 3).mean(0)
        assert means[channel] == means.max()


def test_coarse_to_fine_and_noise_start_give_a_full_size_picture(tiny_file):
    photo, paint = pictures(size=100)
    history = []    # 67 x 100 -> 11 x 16 -> 27 x 40: sizes that do not round-trip
    result = run_gatys(photo[:67], [paint], tiny_settings(scales=(16,), init="noise",
                                                          max_iterations=10, seconds=1e6),
                       tiny_file, progress=history.append)
    assert result.image.shape == (27, 40, 3)
    assert {p.preview.shape for p in history} == {(11, 16, 3), (27, 40, 3)}
    assert any("coarse-to-fine" in n for n in result.notes)


# ---------------------------------------------------------------- the real VGG-19 blocks 1-3

@pytest.mark.skipif(REAL_FILE is None or not REAL_FILE.exists(),
                    reason="STYLE_DUEL_SHARED_MODELS does not point at vgg19_blocks1-3_notop.h5")
def test_real_blocks_1_to_3_lower_the_style_loss():
    photo, paint = pictures(size=64)
    settings = with_changes(default_settings(False, 3), size=64, match_histogram=False,
                            max_iterations=10, seconds=1e6)
    result = run_gatys(photo, [paint], settings, REAL_FILE)
    assert any("blocks 1-3" in n for n in result.notes)
    model = vgg.build_features(["block1_conv1", "block2_conv1", "block3_conv1",
                                settings.content_layer], REAL_FILE)
    objective = Objective(model, to_size(photo, 64), [to_size(paint, 64)], [1.0], settings)
    before = objective(to_size(photo, 64), 1.0)[1]["style"]
    after = objective(result.image.astype(np.float32), 1.0)[1]["style"]
    assert before > 4.0 * after         # measured 8.8x after 10 iterations at 64 px
