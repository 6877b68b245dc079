"""Behaviour of game.image_loader on good, odd and hostile files built in tmp_path."""

from __future__ import annotations

import io
import pickle
import random
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from game.image_loader import ImageLoadError, load_rgb, load_rgb_bytes, probe_image

# ---------------------------------------------------------------- helpers


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _raw_png(width: int, height: int, bit_depth: int, colour_type: int, idat: bytes) -> bytes:
    """A PNG assembled by hand, so headers can lie and depths Pillow can't write exist."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _png16(samples: np.ndarray, colour_type: int) -> bytes:
    """samples: (H, W) or (H, W, C) uint16 -> 16-bit PNG bytes."""
    height, width = samples.shape[:2]
    rows = b"".join(b"\x00" + samples[y].astype(">u2").tobytes() for y in range(height))
    return _raw_png(width, height, 16, colour_type, zlib.compress(rows))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _save(image: Image.Image, path: Path, **options) -> Path:
    image.save(path, **options)
    return path


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _gradient(width: int, height: int) -> Image.Image:
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None].repeat(width, 1)
    rgb = np.stack([x, y, 255 - x], axis=-1).astype(np.uint8)  # (H, W, 3) uint8
    return Image.fromarray(rgb)


# ---------------------------------------------------------------- good files


def test_rgb_png_round_trips_exactly(tmp_path):
    source = np.asarray(_gradient(64, 48))
    out = load_rgb(_save(Image.fromarray(source), tmp_path / "g.png"))
    assert out.shape == (48, 64, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, source)
    out[0, 0] = 0  # the caller owns a writable array


@pytest.mark.parametrize("fmt, suffix", [("BMP", ".bmp"), ("TIFF", ".tif"), ("WEBP", ".webp")])
def test_other_lossless_formats_load(tmp_path, fmt, suffix):
    source = np.asarray(_gradient(40, 30))
    options = {"lossless": True} if fmt == "WEBP" else {}
    path = _save(Image.fromarray(source), tmp_path / f"g{suffix}", format=fmt, **options)
    np.testing.assert_array_equal(load_rgb(path), source)


def test_grey_image_becomes_three_equal_channels(tmp_path):
    grey = Image.fromarray(np.array([[0, 100, 255]], dtype=np.uint8))
    out = load_rgb(_save(grey, tmp_path / "grey.png"))
    assert out.shape == (1, 3, 3)
    np.testing.assert_array_equal(out[0, :, 0], [0, 100, 255])
    np.testing.assert_array_equal(out[..., 0], out[..., 1])
    np.testing.assert_array_equal(out[..., 0], out[..., 2])


def test_palette_transparency_becomes_white(tmp_path):
    image = Image.new("P", (4, 1), 0)
    image.putpalette([0, 0, 0, 200, 30, 40] + [0] * (254 * 3))
    image.putpixel((2, 0), 1)
    image.putpixel((3, 0), 1)
    path = _save(image, tmp_path / "pal.png", transparency=0)
    out = load_rgb(path)
    np.testing.assert_array_equal(out[0, 0], [255, 255, 255])  # transparent black -> paper
    np.testing.assert_array_equal(out[0, 3], [200, 30, 40])


def test_palette_gif_without_transparency_keeps_colours(tmp_path):
    image = Image.new("P", (2, 1), 1)
    image.putpalette([0, 0, 0, 10, 200, 60] + [0] * (254 * 3))
    out = load_rgb(_save(image, tmp_path / "pal.gif"))
    np.testing.assert_array_equal(out[0, 0], [10, 200, 60])


def test_rgba_is_composited_over_white_not_black(tmp_path):
    rgba = np.zeros((1, 3, 4), dtype=np.uint8)  # (H, W, 4) uint8
    rgba[0, 0] = [0, 0, 0, 0]  # fully transparent black
    rgba[0, 1] = [255, 0, 0, 128]  # half-transparent red
    rgba[0, 2] = [0, 0, 255, 255]  # opaque blue
    out = load_rgb(_save(Image.fromarray(rgba), tmp_path / "a.png"))
    np.testing.assert_array_equal(out[0, 0], [255, 255, 255])
    assert out[0, 1, 0] == 255 and 120 <= out[0, 1, 1] <= 135 and 120 <= out[0, 1, 2] <= 135
    np.testing.assert_array_equal(out[0, 2], [0, 0, 255])


def test_grey_with_alpha_is_composited_over_white(tmp_path):
    la = Image.merge("LA", [Image.new("L", (2, 1), 0), Image.new("L", (2, 1), 0)])
    la.putpixel((1, 0), (0, 255))
    out = load_rgb(_save(la, tmp_path / "la.png"))
    np.testing.assert_array_equal(out[0, 0], [255, 255, 255])
    np.testing.assert_array_equal(out[0, 1], [0, 0, 0])


def test_16_bit_grey_png_is_scaled_not_clipped(tmp_path):
    samples = np.array([[0, 32896, 65535]], dtype=np.uint16)  # (H, W) uint16
    out = load_rgb(_write(tmp_path / "g16.png", _png16(samples, colour_type=0)))
    # Pillow's own conversion would clip mid-grey to 255.
    np.testing.assert_array_equal(out[0, :, 0], [0, 128, 255])


def test_16_bit_big_endian_tiff_is_scaled(tmp_path):
    samples = np.array([[0, 32896, 65535]], dtype=">u2")  # (H, W) big-endian uint16
    image = Image.frombytes("I;16B", (3, 1), samples.tobytes())
    out = load_rgb(_save(image, tmp_path / "g16b.tif"))
    np.testing.assert_array_equal(out[0, :, 1], [0, 128, 255])


def test_16_bit_rgb_png_keeps_white_white(tmp_path):
    samples = np.array([[[65535, 65535, 65535], [32768, 0, 65535]]], dtype=np.uint16)
    out = load_rgb(_write(tmp_path / "rgb16.png", _png16(samples, colour_type=2)))
    np.testing.assert_array_equal(out[0, 0], [255, 255, 255])
    np.testing.assert_array_equal(out[0, 1], [128, 0, 255])


def test_float_tiff_in_unit_range_is_scaled(tmp_path):
    data = np.array([[0.0, 0.5, 1.0]], dtype=np.float32)  # (H, W) float32
    out = load_rgb(_save(Image.fromarray(data), tmp_path / "f.tif"))
    np.testing.assert_array_equal(out[0, :, 0], [0, 128, 255])


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    cmyk = Image.new("CMYK", (16, 16), (0, 255, 255, 0))  # pure red ink mix
    out = load_rgb(_save(cmyk, tmp_path / "c.jpg", quality=95))
    red, green, blue = (int(v) for v in out[8, 8])
    assert red > 230 and green < 30 and blue < 30


def test_exif_orientation_6_rotates_clockwise(tmp_path):
    stored = np.zeros((20, 40, 3), dtype=np.uint8)  # (H, W, 3): left red, right blue
    stored[:, :20] = [255, 0, 0]
    stored[:, 20:] = [0, 0, 255]
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    path = _save(Image.fromarray(stored), tmp_path / "phone.jpg", exif=exif, quality=95)
    out = load_rgb(path)
    assert out.shape == (40, 20, 3)
    assert out[5, 10, 0] > 200 and out[5, 10, 2] < 50  # stored left edge is now the top
    assert out[35, 10, 2] > 200 and out[35, 10, 0] < 50


def test_huge_png_is_downscaled_to_max_side(tmp_path):
    path = _save(_gradient(3000, 1500), tmp_path / "wide.png")
    out = load_rgb(path, max_side=1024)
    assert out.shape == (512, 1024, 3)
    # Content survives the resize: left edge still low red, right edge high red.
    assert out[256, 2, 0] < 10 and out[256, -3, 0] > 245


def test_huge_jpeg_is_downscaled_to_max_side(tmp_path):
    path = _save(Image.new("RGB", (4000, 2000), (30, 160, 90)), tmp_path / "big.jpg")
    out = load_rgb(path, max_side=500)
    assert out.shape == (250, 500, 3)
    assert np.abs(out[125, 250].astype(int) - [30, 160, 90]).max() <= 4


def test_small_image_is_not_upscaled(tmp_path):
    out = load_rgb(_save(_gradient(10, 7), tmp_path / "s.png"), max_side=1024)
    assert out.shape == (7, 10, 3)


def test_load_rgb_bytes_decodes_memory(tmp_path):
    source = np.asarray(_gradient(8, 6))
    out = load_rgb_bytes(_png_bytes(Image.fromarray(source)), "upload.png")
    np.testing.assert_array_equal(out, source)


def test_probe_reports_size_without_decoding(tmp_path):
    assert probe_image(_save(_gradient(30, 20), tmp_path / "p.png")) == (30, 20)


# ---------------------------------------------------------------- bad files


def _message(excinfo: pytest.ExceptionInfo[ImageLoadError]) -> str:
    text = str(excinfo.value)
    assert "\n" not in text
    return text


def test_missing_file_names_it(tmp_path):
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb(tmp_path / "nowhere.png")
    text = _message(excinfo)
    assert "nowhere.png" in text and "does not exist" in text


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "folder.png"
    folder.mkdir()
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb(folder)
    assert "folder.png" in _message(excinfo) and "folder, not an image" in str(excinfo.value)


def test_zero_byte_file_is_refused(tmp_path):
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb(_write(tmp_path / "empty.jpg", b""))
    assert "empty.jpg" in _message(excinfo) and "empty (0 bytes)" in str(excinfo.value)


def test_empty_bytes_are_refused():
    with pytest.raises(ImageLoadError, match="drop.png.*empty"):
        load_rgb_bytes(b"", "drop.png")


def test_text_file_is_not_an_image(tmp_path):
    path = _write(tmp_path / "notes.png", b"shopping list: eggs, paint, canvas\n" * 10)
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb(path)
    assert "notes.png" in _message(excinfo) and "not a PNG, JPEG" in str(excinfo.value)


def test_eps_is_refused_rather_than_handed_to_ghostscript(tmp_path):
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    with pytest.raises(ImageLoadError, match="art.eps.*name does not end in .png"):
        load_rgb(_write(tmp_path / "art.eps", eps))
    # Named like a picture, it is still refused by its contents.
    with pytest.raises(ImageLoadError, match="not a PNG, JPEG"):
        load_rgb(_write(tmp_path / "art.png", eps))


@pytest.mark.parametrize("name", ["logo.svg", "notes.txt", "photo", "holiday.jpg.txt"])
def test_files_not_named_as_a_played_format_are_refused_before_reading(tmp_path, name):
    path = _save(_gradient(8, 8), tmp_path / "real.png").rename(tmp_path / name)
    for load in (load_rgb, probe_image):
        with pytest.raises(ImageLoadError) as excinfo:
            load(path)
        assert name in _message(excinfo)


def test_truncated_png_is_reported_as_damaged(tmp_path):
    data = _png_bytes(_gradient(200, 200))
    path = _write(tmp_path / "cut.png", data[: len(data) // 2])
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb(path)
    assert "cut.png" in _message(excinfo) and "damaged or incomplete" in str(excinfo.value)
    with pytest.raises(ImageLoadError, match="damaged or incomplete"):
        probe_image(path)


def test_truncated_jpeg_is_reported_as_damaged(tmp_path):
    buffer = io.BytesIO()
    _gradient(300, 200).save(buffer, "JPEG")
    data = buffer.getvalue()
    with pytest.raises(ImageLoadError, match="cut.jpg.*damaged or incomplete"):
        load_rgb(_write(tmp_path / "cut.jpg", data[: len(data) // 2]))


def test_bomb_header_is_refused_before_decoding(tmp_path):
    # Claims 10000x5000 (50 MP) but holds almost no data: decoding it would fail as
    # "damaged", so a "too large" message proves the size check ran first.
    bomb = _raw_png(10_000, 5_000, 8, 2, zlib.compress(b"\x00" * 100))
    path = _write(tmp_path / "bomb.png", bomb)
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb(path)
    text = _message(excinfo)
    assert "bomb.png" in text and "too large" in text and "10000x5000" in text
    with pytest.raises(ImageLoadError, match="too large"):
        probe_image(path)


def test_enormous_bomb_header_is_refused(tmp_path):
    # Past Pillow's own hard limit; must still surface as our error type.
    bomb = _raw_png(60_000, 60_000, 8, 2, zlib.compress(b"\x00" * 100))
    with pytest.raises(ImageLoadError, match="big.png.*too large"):
        load_rgb_bytes(bomb, "big.png")


def test_a_long_thin_strip_is_refused_by_name(tmp_path):
    # Shrunk for the machines it would be 5 px across: Gatys fails deep inside TensorFlow.
    path = _save(Image.new("RGB", (10_000, 50), (90, 120, 200)), tmp_path / "strip.png")
    for load in (load_rgb, probe_image):
        with pytest.raises(ImageLoadError) as excinfo:
            load(path)
        text = _message(excinfo)
        assert "strip.png" in text and "long and thin" in text and "10000x50" in text


def test_a_wide_panorama_still_loads(tmp_path):
    path = _save(_gradient(1600, 200), tmp_path / "panorama.png")
    assert load_rgb(path).shape == (128, 1024, 3)
    path = _save(_gradient(200, 1600), tmp_path / "tower.png")
    assert load_rgb(path).shape == (1024, 128, 3)


def test_max_pixels_is_a_per_call_limit_and_pillow_globals_are_untouched(tmp_path):
    before = Image.MAX_IMAGE_PIXELS
    path = _save(_gradient(100, 100), tmp_path / "hundred.png")
    with pytest.raises(ImageLoadError, match="too large"):
        load_rgb(path, max_pixels=9_999)
    assert load_rgb(path, max_pixels=10_000).shape == (100, 100, 3)
    assert Image.MAX_IMAGE_PIXELS == before


def test_message_stays_on_one_line_for_odd_names():
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb_bytes(b"junk", "two\nlines.png")
    assert "two lines.png" in _message(excinfo)


def test_error_survives_pickling_with_its_message():
    with pytest.raises(ImageLoadError) as excinfo:
        load_rgb_bytes(b"junk", "sent.png")
    copy = pickle.loads(pickle.dumps(excinfo.value))
    assert str(copy) == str(excinfo.value) and copy.name == "sent.png"


def test_mangled_files_only_ever_raise_image_load_error(tmp_path):
    """Truncations and bit flips of real PNG/JPEG/GIF files: convert or ImageLoadError."""
    rng = random.Random(1234)
    originals = []
    for fmt in ("PNG", "JPEG", "GIF"):
        buffer = io.BytesIO()
        _gradient(64, 48).save(buffer, fmt)
        originals.append(buffer.getvalue())
    outcomes = {"loaded": 0, "refused": 0}
    for original in originals:
        for _ in range(60):
            data = bytearray(original)
            if rng.random() < 0.5:
                data = data[: rng.randrange(1, len(data))]
            else:
                for _ in range(rng.randrange(1, 8)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            try:
                out = load_rgb_bytes(bytes(data), "mangled")
            except ImageLoadError as err:
                assert "mangled" in str(err)
                outcomes["refused"] += 1
            else:
                assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3
                outcomes["loaded"] += 1
    assert outcomes["refused"] > 0  # the mangling really produced bad files
