"""Magenta arbitrary style transfer (Ghiasi et al. 2017) behind one API, in two forms.

`MagentaTFLite` runs the published TFLite pair with LiteRT: a prediction network turns a
256 x 256 style image into a (1, 1, 1, 100) bottleneck, and a transfer network paints a
fixed 384 x 384 content image with it. `MagentaHub` runs the TF Hub SavedModel
google/magenta/arbitrary-image-stylization-v1-256/2, whose one signature takes
(content, style) at any content size.

Both take (H, W, 3) uint8 images of any size and return the content's size. How images are
prepared (style crop, 256 px and blur; content reflect-padded into the square, large
content downscaled) is decided and explained in `models.magenta_layout`.

Style strength is Magenta's identity interpolation: the bottleneck used is
strength * style_bottleneck + (1 - strength) * content_bottleneck, where the content's own
bottleneck comes from the prediction network run on the content as if it were a style.
Artist mode blends several styles the same way, with weights.

TensorFlow and LiteRT are imported inside functions only: importing this module is cheap.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models import magenta_layout as layout
from models.bottleneck_cache import BottleneckCache

BOTTLENECK_SHAPE = (1, 1, 1, 100)
STYLE_INPUT_NAMES = ("style_image",)
CONTENT_INPUT_NAMES = ("content_image",)
BOTTLENECK_NAME_SUFFIX = "Conv/BiasAdd"   # mobilenet_conv/Conv/BiasAdd in the TFLite files


class MagentaError(RuntimeError):
    """A model file that does not have the shape or signature Magenta needs."""


@dataclass(frozen=True)
class MagentaSettings:
    # Style side the prediction network was trained on; other sizes change the look.
    style_size: int = 256
    # The TF Hub example's 3 x 3 average-pool blur of the style image.
    style_blur: bool = True
    # Long side the SavedModel paints at (the TFLite models fix it by their 384 input):
    # the same stroke scale for both forms, and about the same time.
    hub_long_side: int = 384
    # One thread: the game's paint loop and the other worker share two cores.
    threads: int = 1
    # Optional folder for bottlenecks on disk (.npz), so a style is predicted only once.
    bottleneck_dir: Path | None = None


def file_tag(path: Path) -> str:
    """Short sha256 of a model file: names its bottlenecks in the cache."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return digest[:16]


class _MagentaEngine:
    """Shared logic: bottleneck cache, strength, blends. Subclasses run the networks."""

    name = "magenta"

    def __init__(self, settings: MagentaSettings, model_tag: str):
        self.settings = settings
        self.bottlenecks = BottleneckCache(model_tag, settings.bottleneck_dir)

    def style_bottleneck(self, style: np.ndarray) -> np.ndarray:
        """The style's bottleneck, from the cache when this image was seen before.

        Args:
            style: (H, W, 3) uint8 painting, any size.

        Returns:
            (1, 1, 1, 100) float32.
        """
        style = layout.check_image(style, "style")
        cached = self.bottlenecks.get(style)
        if cached is not None:
            return cached
        prepared = layout.prepare_style(style, self.settings.style_size,
                                        self.settings.style_blur)  # (1, 256, 256, 3)
        bottleneck = np.asarray(self._predict(prepared), np.float32).reshape(BOTTLENECK_SHAPE)
        self.bottlenecks.put(style, bottleneck)
        return bottleneck

    def stylize(self, content: np.ndarray, style: np.ndarray,
                strength: float = 1.0) -> np.ndarray:
        """Paint `content` in the style of `style`.

        Args:
            content: (H, W, 3) uint8 photo, any size.
            style: (H, W, 3) uint8 painting, any size.
            strength: 0 keeps the content's own look, 1 is the full style.

        Returns:
            (H, W, 3) uint8, the content's size.
        """
        return self.stylize_blend(content, [(style, 1.0)], strength)

    def stylize_blend(self, content: np.ndarray,
                      styles: Sequence[tuple[np.ndarray, float]],
                      strength: float = 1.0) -> np.ndarray:
        """Paint `content` in a weighted blend of styles (artist mode).

        Args:
            content: (H, W, 3) uint8 photo, any size.
            styles: (style image, weight) pairs; weights >= 0, normalised to sum to 1.
            strength: 0 keeps the content's own look, 1 is the full blend.

        Returns:
            (H, W, 3) uint8, the content's size.
        """
        content = layout.check_image(content, "content")
        return self.transfer(content, self.blend_bottleneck(content, styles, strength))

    def blend_bottleneck(self, content: np.ndarray, styles: Sequence[tuple[np.ndarray, float]],
                         strength: float = 1.0) -> np.ndarray:
        """(1, 1, 1, 100) float32: weighted style bottlenecks, interpolated towards content."""
        if not styles:
            raise ValueError("at least one style is needed")
        weights = np.array([float(weight) for _, weight in styles], np.float64)
        if np.any(weights < 0) or weights.sum() <= 0:
            raise ValueError(f"style weights must be >= 0 with a positive sum: {weights}")
        if not 0.0 <= strength <= 1.0:
            raise ValueError(f"strength must be in [0, 1], got {strength}")
        weights /= weights.sum()
        mixed = sum(w * self.style_bottleneck(style) for (style, _), w in zip(styles, weights))
        if strength < 1.0:
            own = self.style_bottleneck(content)  # the content "as a style": identity look
            mixed = strength * mixed + (1.0 - strength) * own
        return np.asarray(mixed, np.float32).reshape(BOTTLENECK_SHAPE)

    def transfer(self, content: np.ndarray, bottleneck: np.ndarray) -> np.ndarray:
        """Run the transfer network: (H, W, 3) uint8 + (1, 1, 1, 100) -> (H, W, 3) uint8."""
        raise NotImplementedError

    def _predict(self, style_batch: np.ndarray) -> np.ndarray:
        """(1, 256, 256, 3) float32 in [0, 1] -> (1, 1, 1, 100) float32."""
        raise NotImplementedError


# -- TFLite (LiteRT) ---------------------------------------------------------------------------

def _pick_tensor(details: list[dict], names: Sequence[str], shape_test, what: str) -> dict:
    """A tensor by its published name, else the only one whose shape fits; never by order."""
    for detail in details:
        if detail["name"] in names:
            return detail
    fitting = [d for d in details if shape_test(tuple(int(x) for x in d["shape"]))]
    if len(fitting) != 1:
        found = [(d["name"], tuple(d["shape"])) for d in details]
        raise MagentaError(f"cannot tell which tensor is the {what}: {found}")
    return fitting[0]


def _is_image(shape: tuple[int, ...]) -> bool:
    return len(shape) == 4 and shape[0] == 1 and shape[3] == 3 and shape[1] == shape[2] > 1


def _is_bottleneck(shape: tuple[int, ...]) -> bool:
    return shape == BOTTLENECK_SHAPE


class MagentaTFLite(_MagentaEngine):
    """The TFLite prediction + transfer pair (int8 or fp16 transfer) on LiteRT."""

    name = "magenta-tflite"

    def __init__(self, prediction_path: Path, transfer_path: Path, threads: int = 1,
                 settings: MagentaSettings | None = None):
        """Load both networks; `threads` is ignored when `settings` is given."""
        from ai_edge_litert.interpreter import Interpreter

        settings = settings or MagentaSettings(threads=threads)
        super().__init__(settings, "tflite-" + file_tag(prediction_path))
        threads = settings.threads
        self._prediction = Interpreter(model_path=str(prediction_path), num_threads=threads)
        self._transfer = Interpreter(model_path=str(transfer_path), num_threads=threads)
        self._prediction.allocate_tensors()
        self._transfer.allocate_tensors()
        self._style_in = _pick_tensor(self._prediction.get_input_details(), STYLE_INPUT_NAMES,
                                      _is_image, "style image input")
        self._bottleneck_out = _pick_tensor(self._prediction.get_output_details(), (),
                                            _is_bottleneck, "bottleneck output")
        transfer_inputs = self._transfer.get_input_details()
        self._content_in = _pick_tensor(transfer_inputs, CONTENT_INPUT_NAMES, _is_image,
                                        "content image input")
        self._bottleneck_in = _pick_tensor(
            [d for d in transfer_inputs if d["index"] != self._content_in["index"]],
            [d["name"] for d in transfer_inputs if d["name"].endswith(BOTTLENECK_NAME_SUFFIX)],
            _is_bottleneck, "bottleneck input")
        self._image_out = self._transfer.get_output_details()[0]
        self.style_size = int(self._style_in["shape"][1])      # 256
        self.transfer_size = int(self._content_in["shape"][1])  # 384
        self.settings = dataclasses.replace(settings, style_size=self.style_size)

    def _predict(self, style_batch: np.ndarray) -> np.ndarray:
        self._prediction.set_tensor(self._style_in["index"], style_batch.astype(np.float32))
        self._prediction.invoke()
        return self._prediction.get_tensor(self._bottleneck_out["index"])

    def transfer(self, content: np.ndarray, bottleneck: np.ndarray) -> np.ndarray:
        content = layout.check_image(content, "content")
        square, placement = layout.place_content(content, self.transfer_size)  # (1, S, S, 3)
        self._transfer.set_tensor(self._content_in["index"], square)
        self._transfer.set_tensor(self._bottleneck_in["index"],
                                  np.asarray(bottleneck, np.float32).reshape(BOTTLENECK_SHAPE))
        self._transfer.invoke()
        output = self._transfer.get_tensor(self._image_out["index"])  # (1, S, S, 3) in [0, 1]
        return layout.take_content(output, placement)


# -- TF Hub SavedModel -------------------------------------------------------------------------

def _limit_tf_threads(threads: int) -> None:
    import tensorflow as tf

    from models.gpu import share_gpus

    share_gpus(tf)           # the Hub model may share a GPU with Gatys (models.gpu)
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # TensorFlow already started in this process: its thread pools are fixed.


def _split_saved_model(module):
    """(predict, transfer) functions cut out of the SavedModel's (content, style) graph.

    The signature hides the bottleneck; cutting the graph at the (?, 1, 1, 100) tensor
    between the two networks gives the halves the TFLite files have. Returns None when the
    graph has no such single tensor (then only plain stylize at strength 1 is possible).
    This uses TensorFlow's WrappedFunction.prune (internal API, pinned TF version).
    """
    from tensorflow.python.eager import wrap_function

    functions = getattr(getattr(module, "__call__", None), "concrete_functions", None)
    if not functions:
        return None
    graph = functions[0].graph
    candidates = [op.outputs[0] for op in graph.get_operations()
                  if op.outputs and op.outputs[0].shape.rank == 4
                  and tuple(op.outputs[0].shape)[1:] == BOTTLENECK_SHAPE[1:]]
    named = [t for t in candidates if t.op.name.endswith(BOTTLENECK_NAME_SUFFIX)]
    if len(named) != 1 and len(candidates) != 1:
        return None
    bottleneck = (named or candidates)[0]
    content, style = graph.inputs[0], graph.inputs[1]
    whole = wrap_function.WrappedFunction(
        graph, variable_holder=wrap_function.VariableHolder(share_variables=True))
    predict = whole.prune(feeds=[style], fetches=[bottleneck])
    transfer = whole.prune(feeds=[content, bottleneck], fetches=[graph.outputs[0]])
    return predict, transfer


class MagentaHub(_MagentaEngine):
    """The TF Hub SavedModel, loaded with tensorflow_hub.load and called directly."""

    name = "magenta-hub"

    def __init__(self, saved_model_dir: Path, threads: int = 1,
                 settings: MagentaSettings | None = None):
        settings = settings or MagentaSettings(threads=threads)
        saved_model_dir = Path(saved_model_dir)
        super().__init__(settings, "hub-" + file_tag(saved_model_dir / "saved_model.pb"))
        _limit_tf_threads(settings.threads)
        import tensorflow_hub as hub

        self._module = hub.load(str(saved_model_dir))
        try:
            self._halves = _split_saved_model(self._module)
        except Exception:  # noqa: BLE001 - an unexpected graph: fall back to the signature
            self._halves = None

    @property
    def exposes_bottleneck(self) -> bool:
        return self._halves is not None

    def _require_halves(self):
        if self._halves is None:
            raise MagentaError("this SavedModel does not expose its style bottleneck, so "
                               "strength below 1 and style blends are not available with "
                               "it; use the TFLite models for those")
        return self._halves

    def _predict(self, style_batch: np.ndarray) -> np.ndarray:
        import tensorflow as tf

        predict, _ = self._require_halves()
        return _first(predict(tf.constant(style_batch))).numpy()

    def _content_batch(self, content: np.ndarray) -> np.ndarray:
        height, width = layout.scaled_size(*content.shape[:2], self.settings.hub_long_side)
        scaled = layout.resize_to(content, height, width)
        return scaled[None].astype(np.float32) / 255.0  # (1, h, w, 3) in [0, 1]

    def transfer(self, content: np.ndarray, bottleneck: np.ndarray) -> np.ndarray:
        import tensorflow as tf

        content = layout.check_image(content, "content")
        _, transfer = self._require_halves()
        output = _first(transfer(tf.constant(self._content_batch(content)),
                                 tf.constant(np.asarray(bottleneck, np.float32))))
        return self._finish(output.numpy(), content)

    def stylize_blend(self, content: np.ndarray,
                      styles: Sequence[tuple[np.ndarray, float]],
                      strength: float = 1.0) -> np.ndarray:
        """As the TFLite engine; without a bottleneck only one style at strength 1 works."""
        if self._halves is None and len(styles) == 1 and strength == 1.0:
            return self._stylize_by_signature(layout.check_image(content, "content"),
                                              styles[0][0])
        return super().stylize_blend(content, styles, strength)

    def _stylize_by_signature(self, content: np.ndarray, style: np.ndarray) -> np.ndarray:
        import tensorflow as tf

        style_batch = layout.prepare_style(style, self.settings.style_size,
                                           self.settings.style_blur)  # (1, 256, 256, 3)
        outputs = self._module(tf.constant(self._content_batch(content)),
                               tf.constant(style_batch))
        return self._finish(_first(outputs).numpy(), content)

    @staticmethod
    def _finish(output: np.ndarray, content: np.ndarray) -> np.ndarray:
        image = layout.to_uint8(output[0])  # (h, w, 3) uint8
        return layout.resize_to(image, *content.shape[:2])


def _first(outputs):
    """Hub and pruned functions return a list (or tuple) of tensors: the first is it."""
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def check_hub_saved_model(saved_model_dir: Path) -> None:
    """Raise unless `saved_model_dir` loads and paints with the Magenta (content, style) call.

    Used by `models fetch` / `models import` as the check for a download whose checksum
    is not published.
    """
    import tensorflow as tf
    import tensorflow_hub as hub

    module = hub.load(str(saved_model_dir))
    content = tf.fill([1, 48, 80, 3], 0.5)  # (1, 48, 80, 3) float32: not square on purpose
    style = tf.fill([1, 256, 256, 3], 0.25)
    image = _first(module(content, style)).numpy()
    if image.shape != (1, 48, 80, 3) or not np.all(np.isfinite(image)):
        raise MagentaError(f"signature returned {image.shape}, expected (1, 48, 80, 3)")
    if image.min() < -0.01 or image.max() > 1.01:
        raise MagentaError(f"signature returned values in [{image.min()}, {image.max()}]")


# -- opening an engine from the cache ----------------------------------------------------------

ENGINE_ENTRIES = ("magenta-tflite-int8", "magenta-tflite-fp16", "magenta-hub")


def open_magenta(entry_name: str = "magenta-tflite-int8", cache=None,
                 settings: MagentaSettings | None = None) -> _MagentaEngine:
    """Open an installed Magenta engine by catalogue entry name (a worker calls this)."""
    from models import catalogue
    from models.cache import ModelCache

    cache = cache or ModelCache()
    settings = settings or MagentaSettings()
    entry = catalogue.entry(entry_name)
    paths = {f.role: cache.find(f.name) for f in entry.files}
    missing = [f.filename for f in entry.files if paths[f.role] is None]
    if missing:
        raise FileNotFoundError(
            f"{entry_name} is not installed (or not verified) in {cache.root}: missing "
            f"{', '.join(missing)}. Run `python main.py models fetch {entry_name}` or "
            "`python main.py models import DIR`.")
    if entry_name == "magenta-hub":
        return MagentaHub(paths[catalogue.ROLE_SAVED_MODEL], settings=settings)
    return MagentaTFLite(paths[catalogue.ROLE_PREDICTION], paths[catalogue.ROLE_TRANSFER],
                         threads=settings.threads, settings=settings)
