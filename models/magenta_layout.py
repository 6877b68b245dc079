"""Image preparation around the Magenta networks: numpy and Pillow only, no TensorFlow.

Style: centre crop to a square, resize to 256 x 256, then a 3 x 3 average-pool blur with
"SAME" padding - exactly what the official TF Hub example
(tf2_arbitrary_image_stylization) does before calling the model. The style network was
trained on 256 px squares; cropping (rather than squashing) keeps the painting's brush
strokes their real shape, and the slight blur removes JPEG and resampling grain that the
network would otherwise read as fine texture.

Content: scaled so its long side is the transfer size (384 for the TFLite models), then
reflect-padded to the fixed square, centred; the output is cropped back and resized to the
content's own size. Why pad and not tile: the network normalises each feature map over the
whole image (conditional instance norm), so separate tiles get separate statistics and
differ in tone, which feathering only smears; one padded square is one consistent picture
and costs one run. Why reflect: the network sees a continuous image at the border of the
content (zero or edge padding reads as a hard frame and leaves a dark or streaked rim);
whatever edge effects the network has fall in the padding, which is cropped away.

Large content is downscaled to 384 on its long side and the result upscaled, instead of
running overlapping 384 px tiles: one transfer run is about 200 ms on one core, so a
768 x 576 photo would need 4-6 runs (about 1 s) against a 300 ms budget; tiles would also
disagree in tone (see above); and Magenta's stroke scale is learnt relative to a 256-384 px
image, so native-resolution tiles give a finer, different-looking texture from the one a
player sees in the preview. The cost is softness when the result is shown much larger
than 384 px.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image


def _resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize a (H, W, 3) uint8 image; Pillow's bicubic filter antialiases when shrinking."""
    if image.shape[:2] == (height, width):
        return image
    return np.asarray(Image.fromarray(image).resize((width, height), Image.Resampling.BICUBIC))


def check_image(image: np.ndarray, what: str) -> np.ndarray:
    """A (H, W, 3) uint8 array, or a ValueError that says what is wrong with it."""
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"{what} must be (H, W, 3) uint8, got {image.shape} {image.dtype}")
    if min(image.shape[:2]) < 1:
        raise ValueError(f"{what} is empty: {image.shape}")
    return image


def box_blur_3x3(batch: np.ndarray) -> np.ndarray:
    """3 x 3 mean over each pixel's neighbours inside the image, as tf.nn.avg_pool "SAME".

    Args:
        batch: (1, H, W, C) float32.

    Returns:
        (1, H, W, C) float32; border pixels average only their in-image neighbours.
    """
    padded = np.pad(batch, ((0, 0), (1, 1), (1, 1), (0, 0)))
    ones = np.pad(np.ones(batch.shape[1:3], np.float32), 1)
    height, width = batch.shape[1:3]
    total = sum(padded[:, dy:dy + height, dx:dx + width]
                for dy in range(3) for dx in range(3))
    count = sum(ones[dy:dy + height, dx:dx + width] for dy in range(3) for dx in range(3))
    return (total / count[None, :, :, None]).astype(np.float32)


def prepare_style(style: np.ndarray, size: int = 256, blur: bool = True) -> np.ndarray:
    """Style image as the prediction network wants it.

    Args:
        style: (H, W, 3) uint8, any size.
        size: side of the square the prediction network takes (256).
        blur: the TF Hub example's 3 x 3 average pool.

    Returns:
        (1, size, size, 3) float32 in [0, 1].
    """
    style = check_image(style, "style")
    height, width = style.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = _resize(style[top:top + side, left:left + side], size, size)
    batch = square[None].astype(np.float32) / 255.0  # (1, size, size, 3) in [0, 1]
    return box_blur_3x3(batch) if blur else batch


@dataclass(frozen=True)
class ContentPlacement:
    height: int       # the content's own size, restored at the end
    width: int
    scaled_height: int  # its size inside the square
    scaled_width: int
    top: int          # where it sits in the square
    left: int


def scaled_size(height: int, width: int, long_side: int) -> tuple[int, int]:
    """(h, w) with the long side `long_side` and the aspect ratio kept (each at least 1)."""
    scale = long_side / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def place_content(content: np.ndarray, size: int) -> tuple[np.ndarray, ContentPlacement]:
    """Content scaled to fit `size` and reflect-padded to a centred square.

    Args:
        content: (H, W, 3) uint8, any size.
        size: side of the transfer network's fixed input (384).

    Returns:
        ((1, size, size, 3) float32 in [0, 1], where the content sits in it).
    """
    content = check_image(content, "content")
    height, width = content.shape[:2]
    scaled_h, scaled_w = scaled_size(height, width, size)
    scaled = _resize(content, scaled_h, scaled_w)
    top, left = (size - scaled_h) // 2, (size - scaled_w) // 2
    pads = ((top, size - scaled_h - top), (left, size - scaled_w - left), (0, 0))
    # "reflect" needs at least 2 pixels along an axis; a 1 px line can only repeat.
    mode = "reflect" if min(scaled_h, scaled_w) > 1 else "edge"
    square = np.pad(scaled, pads, mode=mode)
    placement = ContentPlacement(height, width, scaled_h, scaled_w, top, left)
    return square[None].astype(np.float32) / 255.0, placement


def take_content(output: np.ndarray, placement: ContentPlacement) -> np.ndarray:
    """Crop the content's area out of the network's square output, at the content's size.

    Args:
        output: (1, S, S, 3) float in [0, 1].
        placement: from `place_content`.

    Returns:
        (H, W, 3) uint8 at the original content size.
    """
    p = placement
    area = output[0, p.top:p.top + p.scaled_height, p.left:p.left + p.scaled_width]
    return _resize(to_uint8(area), p.height, p.width)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """(H, W, 3) float in [0, 1] -> (H, W, 3) uint8, rounded and clipped."""
    return np.clip(np.rint(np.asarray(image, np.float32) * 255.0), 0, 255).astype(np.uint8)


def resize_to(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """(h, w, 3) uint8 -> (height, width, 3) uint8."""
    return _resize(image, height, width)
