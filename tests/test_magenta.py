"""Magenta engine: toy models in the real formats (always) and the real files (when shared).

The toy models (tests/magenta_toys.py) go through the same loading code as the real ones:
LiteRT with tensors found by name/shape, and tensorflow_hub.load of a SavedModel. Their
bottleneck encodes the style's mean colour, so colour tests have a known right answer.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from magenta_toys import TOY_TRANSFER_SIZE, build_toys
from models import magenta_layout as layout
from models.catalogue import (MAGENTA_FP16_TRANSFER, MAGENTA_INT8_PREDICTION,
                              MAGENTA_INT8_TRANSFER)
from models.cache import ModelCache
from models.magenta import (MagentaError, MagentaHub, MagentaSettings, MagentaTFLite,
                            open_magenta)

SHARED_ENV = "STYLE_DUEL_SHARED_MODELS"


def solid(colour, height=200, width=300) -> np.ndarray:
    return np.broadcast_to(np.array(colour, np.uint8), (height, width, 3)).copy()


def striped(colour_a, colour_b, height=256, width=256, period=16) -> np.ndarray:
    image = solid(colour_a, height, width)
    for start in range(period // 2, width, period):
        image[:, start:start + period // 2] = colour_b
    return image


def photo() -> np.ndarray:
    from skimage import data

    return data.astronaut()  # (512, 512, 3) uint8


def mean_colour(image: np.ndarray) -> np.ndarray:
    return image.reshape(-1, 3).astype(np.float64).mean(axis=0)


def colour_histogram(image: np.ndarray, bins: int = 4) -> np.ndarray:
    """Share of pixels in each of bins**3 RGB cells: the palette, ignoring layout."""
    cells = image.reshape(-1, 3).astype(np.int64) // (256 // bins)
    counts = np.bincount((cells[:, 0] * bins + cells[:, 1]) * bins + cells[:, 2],
                         minlength=bins ** 3)
    return counts / counts.sum()


def mean_abs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).mean())


def edge_to_interior(image: np.ndarray, axis: int) -> float:
    """Largest step between neighbouring rows (axis 0) or columns (axis 1) at the image's
    two edges, over the 90th percentile of the steps inside. A seam or a dark rim left by
    padding shows as an edge step well above what the picture has inside (ratio > 1)."""
    steps = np.abs(np.diff(image.astype(np.float64), axis=axis)).mean(axis=(1 - axis, 2))
    edges = np.r_[steps[:2], steps[-2:]]
    return float(edges.max() / np.percentile(steps[2:-2], 90))


@pytest.fixture(scope="session")
def toys(tmp_path_factory) -> Path:
    return build_toys(tmp_path_factory.mktemp("magenta-toys"))


@pytest.fixture
def toy(toys) -> MagentaTFLite:
    return MagentaTFLite(toys / "prediction.tflite", toys / "transfer.tflite", threads=1)


@pytest.fixture(scope="module")
def toy_hub(toys) -> MagentaHub:
    return MagentaHub(toys / "hub", threads=1)


# -- preparation ---------------------------------------------------------------------------

def test_style_is_centre_cropped_to_a_square_before_resizing():
    wide = solid((200, 0, 0), 100, 300)
    wide[:, 100:200] = (0, 0, 200)                   # the centre square is blue
    prepared = layout.prepare_style(wide, 256, blur=False)
    assert prepared.shape == (1, 256, 256, 3) and prepared.dtype == np.float32
    assert np.allclose(prepared[0, :, :, 2], 200 / 255, atol=0.02)
    assert prepared[0, :, :, 0].max() < 0.05


def test_style_blur_is_a_3x3_mean_that_keeps_flat_areas_flat_up_to_the_border():
    flat = solid((90, 120, 200), 64, 64)
    blurred = layout.prepare_style(flat, 32, blur=True)
    assert np.allclose(blurred, np.array([90, 120, 200]) / 255, atol=1e-5)
    dot = np.zeros((1, 5, 5, 1), np.float32)
    dot[0, 2, 2, 0] = 9.0
    assert np.allclose(layout.box_blur_3x3(dot)[0, 1:4, 1:4, 0], 1.0)
    assert layout.box_blur_3x3(dot)[0, 0, 0, 0] == 0.0


def test_content_is_reflect_padded_and_cropped_back_to_its_own_size():
    content = photo()[100:250, :500]                 # (150, 500, 3): wide
    square, placement = layout.place_content(content, 384)
    assert square.shape == (1, 384, 384, 3)
    assert (placement.scaled_width, placement.scaled_height) == (384, 115)
    top = placement.top
    # Reflection: the row above the content mirrors the row below its first one.
    assert np.allclose(square[0, top - 1], square[0, top + 1])
    restored = layout.take_content(square, placement)
    assert restored.shape == content.shape
    assert mean_abs(restored, content) < 12          # only resampling losses


# -- toy TFLite engine -------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(150, 500), (500, 120), (40, 60), (700, 900), (128, 128)])
def test_output_has_the_content_size_and_is_uint8(toy, size):
    content = layout.resize_to(photo(), *size)
    out = toy.stylize(content, striped((220, 40, 30), (250, 220, 60)))
    assert out.shape == (*size, 3) and out.dtype == np.uint8


def test_tensors_are_found_by_name_and_shape_not_by_order(toy):
    # The toy transfer model lists the bottleneck first; the engine must not care.
    assert toy._bottleneck_in["index"] != toy._content_in["index"]
    assert tuple(toy._content_in["shape"]) == (1, TOY_TRANSFER_SIZE, TOY_TRANSFER_SIZE, 3)
    assert toy.transfer_size == TOY_TRANSFER_SIZE and toy.style_size == 256


def test_colours_move_towards_the_style(toy):
    content = photo()
    red = solid((210, 40, 40))
    out = toy.stylize(content, red)
    target = mean_colour(red)
    assert np.linalg.norm(mean_colour(out) - target) < 0.5 * np.linalg.norm(
        mean_colour(content) - target)


def test_strength_zero_keeps_the_content_look(toy):
    content, style = photo(), solid((30, 200, 60))
    weak = toy.stylize(content, style, strength=0.0)
    strong = toy.stylize(content, style, strength=1.0)
    half = toy.stylize(content, style, strength=0.5)
    assert mean_abs(weak, content) < mean_abs(strong, content)
    assert mean_abs(weak, content) < mean_abs(half, content) < mean_abs(strong, content)


def test_blend_of_two_styles_lies_between_them(toy):
    content = photo()
    red, blue = solid((220, 30, 30)), solid((30, 30, 220))
    only_red = toy.stylize(content, red)
    only_blue = toy.stylize(content, blue)
    blend = toy.stylize_blend(content, [(red, 1.0), (blue, 1.0)])
    apart = mean_abs(only_red, only_blue)
    assert mean_abs(blend, only_red) < apart and mean_abs(blend, only_blue) < apart
    assert only_blue[..., 0].mean() < blend[..., 0].mean() < only_red[..., 0].mean()
    # Weights are normalised: (3, 0) is just red.
    assert mean_abs(toy.stylize_blend(content, [(red, 3.0), (blue, 0.0)]), only_red) < 1


def test_bad_arguments_are_refused(toy):
    with pytest.raises(ValueError):
        toy.stylize(photo(), solid((1, 2, 3)), strength=1.5)
    with pytest.raises(ValueError):
        toy.stylize_blend(photo(), [])
    with pytest.raises(ValueError):
        toy.stylize(photo().astype(np.float32), solid((1, 2, 3)))


@pytest.mark.parametrize("crop, axis", [((slice(150, 300), slice(None)), 0),
                                        ((slice(None), slice(180, 330)), 1)])
@pytest.mark.parametrize("style", [striped((230, 200, 40), (20, 40, 160)),
                                   solid((200, 60, 90))])
def test_padding_leaves_no_rim_or_seam_at_the_content_edges(toy, crop, axis, style):
    """Wide content is padded above and below, tall content left and right: the step
    between the output's outermost rows (columns) is no larger than steps inside it.
    With zero padding instead of reflection the toy's border blur fails this."""
    out = toy.stylize(np.ascontiguousarray(photo()[crop]), style)
    assert edge_to_interior(out, axis) < 1.0


# -- bottleneck cache --------------------------------------------------------------------------

def test_bottleneck_is_computed_once_per_style_image(toy, monkeypatch):
    style = striped((230, 200, 40), (20, 40, 160))
    first = toy.style_bottleneck(style)
    assert first.shape == (1, 1, 1, 100) and first.dtype == np.float32
    monkeypatch.setattr(toy, "_predict", lambda batch: pytest.fail("cache missed"))
    assert np.array_equal(toy.style_bottleneck(style.copy()), first)
    assert toy.bottlenecks.counts.hits == 1
    changed = style.copy()
    changed[0, 0, 0] ^= 1
    with pytest.raises(pytest.fail.Exception):
        toy.style_bottleneck(changed)


def test_bottlenecks_persist_on_disk_for_a_new_engine(toys, tmp_path, monkeypatch):
    settings = MagentaSettings(bottleneck_dir=tmp_path / "bottlenecks")
    style = solid((120, 30, 200))
    engine = MagentaTFLite(toys / "prediction.tflite", toys / "transfer.tflite",
                           settings=settings)
    expected = engine.style_bottleneck(style)
    assert len(list((tmp_path / "bottlenecks").glob("*.npz"))) == 1
    again = MagentaTFLite(toys / "prediction.tflite", toys / "transfer.tflite",
                          settings=settings)
    monkeypatch.setattr(again, "_predict", lambda batch: pytest.fail("not read from disk"))
    assert np.array_equal(again.style_bottleneck(style), expected)


def test_unwritable_bottleneck_folder_does_not_stop_stylizing(toys, tmp_path):
    # A path that is a file cannot hold .npz files, for root too (chmod would not stop root).
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("kiosk image: read-only")
    engine = MagentaTFLite(toys / "prediction.tflite", toys / "transfer.tflite",
                           settings=MagentaSettings(bottleneck_dir=blocked))
    assert engine.stylize(photo(), solid((10, 200, 10))).shape == (512, 512, 3)
    assert blocked.read_text() == "kiosk image: read-only"
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]


# -- toy SavedModel through tensorflow_hub -----------------------------------------------------

def test_hub_engine_paints_like_the_tflite_engine(toy, toy_hub):
    content, style = photo()[100:400], solid((210, 40, 40))
    assert np.allclose(toy_hub.style_bottleneck(style), toy.style_bottleneck(style), atol=1e-4)
    out = toy_hub.stylize(content, style)
    assert out.shape == content.shape and out.dtype == np.uint8
    assert np.linalg.norm(mean_colour(out) - mean_colour(toy.stylize(content, style))) < 8


def test_hub_engine_strength_and_blend(toy_hub):
    content = photo()
    red, blue = solid((220, 30, 30)), solid((30, 30, 220))
    weak = toy_hub.stylize(content, red, strength=0.0)
    strong = toy_hub.stylize(content, red, strength=1.0)
    assert mean_abs(weak, content) < mean_abs(strong, content)
    blend = toy_hub.stylize_blend(content, [(red, 1.0), (blue, 1.0)])
    only_blue = toy_hub.stylize(content, blue)
    assert only_blue[..., 0].mean() < blend[..., 0].mean() < strong[..., 0].mean()


def test_hub_engine_without_a_bottleneck_still_stylizes_at_full_strength(toys):
    engine = MagentaHub(toys / "hub")
    engine._halves = None       # as for a SavedModel whose graph cannot be cut
    style = solid((210, 40, 40))
    out = engine.stylize(photo(), style)
    assert out.shape == (512, 512, 3)
    assert mean_colour(out)[0] > mean_colour(photo())[0]
    with pytest.raises(MagentaError, match="bottleneck"):
        engine.stylize(photo(), style, strength=0.5)


def test_opening_an_engine_that_is_not_installed_says_how_to_get_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="models fetch magenta-tflite-int8"):
        open_magenta("magenta-tflite-int8", ModelCache(tmp_path / "empty"))


# -- the real files ----------------------------------------------------------------------------

def shared_models() -> Path:
    folder = os.environ.get(SHARED_ENV)
    if not folder or not Path(folder).is_dir():
        pytest.skip(f"real Magenta files not available (set {SHARED_ENV}; .ci/run does)")
    return Path(folder)


def real_styles() -> tuple[np.ndarray, np.ndarray]:
    """Two eval paintings if the shared eval folder is there, else synthetic stripes."""
    from PIL import Image

    candidates = [os.environ.get("STYLE_DUEL_EVAL_DIR", ""),
                  str(Path(os.environ.get(SHARED_ENV, "")).parent / "eval")]
    for folder in candidates:
        styles = Path(folder) / "styles"
        first, second = styles / "starry_night.jpg", styles / "great_wave.jpg"
        if folder and first.is_file() and second.is_file():
            return (np.asarray(Image.open(first).convert("RGB")),
                    np.asarray(Image.open(second).convert("RGB")))
    return (striped((240, 200, 30), (200, 40, 20), 300, 300, 24),
            striped((20, 60, 160), (220, 230, 240), 300, 300, 10))


@pytest.fixture(scope="module")
def real_int8() -> MagentaTFLite:
    folder = shared_models()
    return MagentaTFLite(folder / MAGENTA_INT8_PREDICTION.filename,
                         folder / MAGENTA_INT8_TRANSFER.filename, threads=1)


def test_real_magenta_stylizes_a_photo(real_int8):
    content = photo()
    style, _ = real_styles()
    out = real_int8.stylize(content, style)
    assert out.shape == content.shape and out.dtype == np.uint8
    assert out.min() < 60 and out.max() > 190           # a full picture, not a flat wash
    assert mean_abs(out, content) > 20
    target = mean_colour(style)
    assert (np.linalg.norm(mean_colour(out) - target)
            < np.linalg.norm(mean_colour(content) - target))
    assert (np.abs(colour_histogram(out) - colour_histogram(style)).sum()
            < 0.8 * np.abs(colour_histogram(content) - colour_histogram(style)).sum())


def test_real_strength_and_blend(real_int8):
    content = photo()
    first, second = real_styles()
    weak = real_int8.stylize(content, first, strength=0.0)
    strong = real_int8.stylize(content, first, strength=1.0)
    assert mean_abs(weak, content) < mean_abs(strong, content)
    other = real_int8.stylize(content, second)
    blend = real_int8.stylize_blend(content, [(first, 0.5), (second, 0.5)])
    apart = mean_abs(strong, other)
    assert mean_abs(blend, strong) < apart and mean_abs(blend, other) < apart


@pytest.mark.parametrize("crop, axis", [((slice(150, 300), slice(None)), 0),
                                        ((slice(None), slice(180, 330)), 1)])
def test_real_padding_leaves_no_rim_or_seam(real_int8, crop, axis):
    first, _ = real_styles()
    out = real_int8.stylize(np.ascontiguousarray(photo()[crop]), first)
    assert edge_to_interior(out, axis) < 1.0


def test_real_fp16_transfer_takes_the_int8_bottleneck():
    folder = shared_models()
    engine = MagentaTFLite(folder / MAGENTA_INT8_PREDICTION.filename,
                           folder / MAGENTA_FP16_TRANSFER.filename, threads=1)
    content = photo()[:300]
    out = engine.stylize(content, real_styles()[0])
    assert out.shape == content.shape and mean_abs(out, content) > 20


def test_real_engine_opens_from_the_model_cache_after_import(tmp_path):
    from models.importer import import_folder

    cache = ModelCache(tmp_path / "models")
    import_folder(shared_models(), cache)
    engine = open_magenta("magenta-tflite-fp16", cache)
    assert isinstance(engine, MagentaTFLite) and engine.transfer_size == 384
