"""Behaviour of the offline stand-ins: the studio filter and Gatys over untrained features."""
from __future__ import annotations

import numpy as np
import pytest

from models.standins import STUDIO_LABEL, UNTRAINED_LABEL, kuwahara, studio_filter, style_texture


def photo_and_painting(h: int = 96, w: int = 128):
    """A greenish photo with a bright square; a warm, busy 'painting' of another size."""
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:h, 0:w]
    photo = np.stack([60 + 40 * xx / w, 140 + 50 * yy / h, 50 + 60 * xx * yy / (h * w)], -1)
    photo[h // 4: h // 2, w // 4: w // 2] = (220, 230, 200)
    photo = photo + rng.normal(0, 3, photo.shape)                  # sensor noise, like a photo
    sy, sx = np.mgrid[0:150, 0:110]
    swirl = np.sin(sx / 4.0 + np.cos(sy / 7.0) * 3)[..., None]
    painting = np.where(swirl > 0, (230, 120, 30), (120, 30, 60))
    painting = painting + rng.normal(0, 20, painting.shape)
    return photo.clip(0, 255).astype(np.uint8), painting.clip(0, 255).astype(np.uint8)


def test_labels_say_offline():
    assert "offline" in STUDIO_LABEL and "offline" in UNTRAINED_LABEL


def test_studio_filter_shape_range_and_determinism():
    photo, painting = photo_and_painting()
    out = studio_filter(photo, painting, seed=0)
    assert out.shape == photo.shape and out.dtype == np.uint8
    assert 0 <= out.min() and out.max() <= 255 and out.std() > 5
    np.testing.assert_array_equal(out, studio_filter(photo, painting, seed=0))
    assert not np.array_equal(out, studio_filter(photo, painting, seed=1))   # texture moves


def test_studio_filter_moves_colours_towards_the_style():
    photo, painting = photo_and_painting()
    out = studio_filter(photo, painting)
    style_mean = painting.reshape(-1, 3).mean(0)
    before = np.linalg.norm(photo.reshape(-1, 3).mean(0) - style_mean)
    after = np.linalg.norm(out.reshape(-1, 3).mean(0) - style_mean)
    assert after < 0.3 * before
    assert np.abs(out.astype(float) - photo).mean() > 30          # a different picture
    # ...that still shows the photo: the bright square stays brighter than its surround.
    luma = out.astype(float).mean(-1)
    assert luma[30:45, 38:60].mean() > luma[60:, 70:].mean() + 20


def test_kuwahara_flattens_noise_but_keeps_flat_areas_and_edges():
    rng = np.random.default_rng(0)
    flat = np.full((40, 50, 3), 90, np.uint8)
    np.testing.assert_array_equal(kuwahara(flat, radius=4), flat)
    step = np.zeros((40, 50, 3), np.float64)
    step[:, 25:] = 200
    noisy = (step + rng.normal(0, 20, step.shape)).clip(0, 255).astype(np.uint8)
    out = kuwahara(noisy, radius=4).astype(float)
    assert out[:, 5:20].std() < 0.5 * noisy[:, 5:20].astype(float).std()
    assert out[:, 30:].mean() - out[:, :20].mean() > 170        # the edge is not blurred away
    assert abs(out[:, 26].mean() - out[:, 23].mean()) > 150


def test_style_texture_is_the_styles_high_pass_rearranged():
    _, painting = photo_and_painting()
    grain = style_texture(painting, (70, 90), seed=0)
    assert grain.shape == (70, 90)
    assert abs(grain.mean()) < 0.02 and grain.std() > 0.02     # zero-mean detail, not flat
    assert not np.allclose(grain, style_texture(painting, (70, 90), seed=1))


def test_untrained_gatys_runs_and_lowers_its_loss():
    pytest.importorskip("tensorflow")
    from models import vgg
    from models.gatys import run_gatys
    from models.settings import untrained_settings, with_changes
    vgg.configure_threads(2)
    photo, painting = photo_and_painting(48, 48)
    settings = with_changes(untrained_settings(size=48), max_iterations=8, seconds=1e6,
                            preview_seconds=0.0)
    history = []
    result = run_gatys(photo, [painting], settings, None, progress=history.append)
    losses = [p.loss_parts["total"] for p in history]
    assert result.iterations == 8 and losses[-1] < 0.7 * losses[0]
    assert result.image.shape == (48, 48, 3) and result.image.dtype == np.uint8
    assert any("untrained" in n for n in result.notes)


def test_studio_filter_blend_uses_every_style():
    """Artist rounds: the colours come from every style pooled by weight, and one style is
    the plain studio filter, picture for picture."""
    from models.standins import studio_filter_blend
    photo, painting = photo_and_painting()
    cold = np.clip(painting.astype(int)[..., ::-1] - 40, 0, 255).astype(np.uint8)   # blue
    np.testing.assert_array_equal(studio_filter_blend(photo, [(painting, 1.0)], seed=2),
                                  studio_filter(photo, painting, seed=2))
    warm_out, cold_out = studio_filter(photo, painting), studio_filter(photo, cold)
    both = studio_filter_blend(photo, [(painting, 0.5), (cold, 0.5)])
    red_blue = [out[..., 0].mean() - out[..., 2].mean() for out in (warm_out, both, cold_out)]
    assert red_blue[0] > red_blue[1] + 10 > red_blue[2] + 20       # in between, not either
    mostly_warm = studio_filter_blend(photo, [(painting, 0.9), (cold, 0.1)])
    assert abs(mostly_warm[..., 0].mean() - warm_out[..., 0].mean()) < abs(
        both[..., 0].mean() - warm_out[..., 0].mean())                # the weights count
