"""The model catalogue in code: every file the game can use, where it comes from, its checksum.

Pure data, no TensorFlow: the game, `models status` and the importer read it without
loading any model. Checksums of the Magenta TFLite files and of the truncated VGG-19 file
are those of the reference copies in the team's shared models folder (its README);
the full VGG-19 file is checked with the md5 that Keras itself uses for it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Official folder of the Magenta TFLite files (same file names as below).
MAGENTA_TFLITE_BASE = ("https://storage.googleapis.com/download.tensorflow.org/models/tflite/"
                       "task_library/style_transfer/android/")
KERAS_VGG19_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
MAGENTA_HUB_HANDLE = "https://tfhub.dev/google/magenta/arbitrary-image-stylization-v1-256/2"

# How a file gets into the cache (ModelFile.source).
SOURCE_URL = "url"          # a plain HTTPS file: urllib, our own progress bar and sha256 check
SOURCE_KERAS = "keras"      # Keras's published weights: a plain download, Keras's md5
SOURCE_HUB = "hub"          # a SavedModel folder resolved by tensorflow_hub
SOURCE_DERIVED = "derived"  # not downloadable: cut from another file (`models export`)

ROLE_PREDICTION = "prediction"    # style image -> (1, 1, 1, 100) bottleneck
ROLE_TRANSFER = "transfer"        # content image + bottleneck -> stylized image
ROLE_SAVED_MODEL = "saved_model"  # both halves behind one (content, style) signature
ROLE_VGG_WEIGHTS = "vgg_weights"  # Keras VGG-19 ImageNet conv weights (HDF5)

VGG19_FULL_FILENAME = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
VGG19_BLOCKS = 5


@dataclass(frozen=True)
class ModelFile:
    name: str                 # stable id, the manifest's key
    filename: str             # name in the cache folder (a folder for SavedModels)
    url: str | None           # official download address; None when it cannot be downloaded
    size: int | None          # bytes; None when unknown (the Hub tarball is unpacked by hub)
    sha256: str | None        # None when no trusted sha256 is published (see md5 / layout)
    role: str
    # Keras publishes an md5, not a sha256, for its weights; get_file checks it.
    md5: str | None = None
    source: str = SOURCE_URL
    # For derived files: the file they are cut from and how many VGG blocks they keep.
    derived_from: str | None = None
    vgg_blocks: int | None = None


@dataclass(frozen=True)
class ModelEntry:
    name: str                       # what `models fetch NAME` and the engines ask for
    files: tuple[ModelFile, ...]
    description: str
    licence: str


MAGENTA_INT8_PREDICTION = ModelFile(
    name="magenta-int8-prediction",
    filename="magenta_arbitrary-image-stylization-v1-256_int8_prediction_1.tflite",
    url=MAGENTA_TFLITE_BASE
    + "magenta_arbitrary-image-stylization-v1-256_int8_prediction_1.tflite",
    size=2828838,
    sha256="af6ad4b2e7aeba0675f32636082ab915ced5375229a3f8aff7e714c6213f5ed2",
    role=ROLE_PREDICTION)

MAGENTA_INT8_TRANSFER = ModelFile(
    name="magenta-int8-transfer",
    filename="magenta_arbitrary-image-stylization-v1-256_int8_transfer_1.tflite",
    url=MAGENTA_TFLITE_BASE + "magenta_arbitrary-image-stylization-v1-256_int8_transfer_1.tflite",
    size=284398,
    sha256="7a1550643cf034a4d813c0aa276976cd15da4141b4f1ec3631db1d0d9c8e2cd1",
    role=ROLE_TRANSFER)

MAGENTA_FP16_TRANSFER = ModelFile(
    name="magenta-fp16-transfer",
    filename="magenta_arbitrary-image-stylization-v1-256_fp16_transfer_1.tflite",
    url=MAGENTA_TFLITE_BASE + "magenta_arbitrary-image-stylization-v1-256_fp16_transfer_1.tflite",
    size=422086,
    sha256="53b5243ed5aa33e408db7976c8a8e51a90a0f7708fd122a31428cd00fbdf6aa6",
    role=ROLE_TRANSFER)

MAGENTA_HUB_SAVED_MODEL = ModelFile(
    name="magenta-hub-saved-model",
    filename="magenta_arbitrary-image-stylization-v1-256_2",
    url=MAGENTA_HUB_HANDLE,
    # tensorflow_hub fetches and unpacks a tarball whose size and checksum are not
    # published: the folder is verified by loading it and calling its signature, and the
    # manifest then keeps a digest of the unpacked files so `status` can re-check them.
    size=None,
    sha256=None,
    role=ROLE_SAVED_MODEL,
    source=SOURCE_HUB)

VGG19_FULL = ModelFile(
    name="vgg19-notop",
    filename=VGG19_FULL_FILENAME,
    url=KERAS_VGG19_BASE + VGG19_FULL_FILENAME,
    size=80134624,   # as Keras reports it when it downloads this file
    sha256=None,     # Keras publishes only the md5 below
    role=ROLE_VGG_WEIGHTS,
    md5="253f8cb515780f3b799900260a226db6",
    source=SOURCE_KERAS,
    vgg_blocks=VGG19_BLOCKS)

VGG19_BLOCKS_1_3 = ModelFile(
    name="vgg19-blocks1-3",
    filename="vgg19_blocks1-3_notop.h5",
    url=None,
    size=9330560,
    # The team's reference copy. A file cut here by `models export --vgg-blocks 3` holds the
    # same weights but need not be byte-identical, so it is accepted by its layout instead.
    sha256="8d5eb519144c812a3877f0f12599f1c9463a863c7ad4a43214333ad596edb89b",
    role=ROLE_VGG_WEIGHTS,
    source=SOURCE_DERIVED,
    derived_from=VGG19_FULL.name,
    vgg_blocks=3)

MAGENTA_LICENCE = "Apache License 2.0 (Google, Magenta / TensorFlow)"
VGG_LICENCE = "CC BY 4.0 (Oxford Visual Geometry Group; Keras ImageNet weights)"

CATALOGUE: tuple[ModelEntry, ...] = (
    ModelEntry(
        name="magenta-tflite-int8",
        files=(MAGENTA_INT8_PREDICTION, MAGENTA_INT8_TRANSFER),
        description="Magenta arbitrary stylization, TFLite int8 (Ghiasi et al. 2017); "
                    "fastest start, about 3 MB",
        licence=MAGENTA_LICENCE),
    ModelEntry(
        name="magenta-tflite-fp16",
        # The fp16 prediction model is not used: the int8 one's bottleneck fits both.
        files=(MAGENTA_INT8_PREDICTION, MAGENTA_FP16_TRANSFER),
        description="Magenta arbitrary stylization, TFLite fp16 transfer with the int8 "
                    "style prediction",
        licence=MAGENTA_LICENCE),
    ModelEntry(
        name="magenta-hub",
        files=(MAGENTA_HUB_SAVED_MODEL,),
        description="Magenta arbitrary stylization, TF Hub SavedModel "
                    "google/magenta/arbitrary-image-stylization-v1-256/2 (full float model)",
        licence=MAGENTA_LICENCE),
    ModelEntry(
        name="vgg19",
        files=(VGG19_FULL,),
        description="Keras VGG-19 ImageNet weights without the classifier (about 80 MB)",
        licence=VGG_LICENCE),
    ModelEntry(
        name="vgg19-blocks1-3",
        files=(VGG19_BLOCKS_1_3,),
        description="VGG-19 blocks 1-3 only (9 MB), for Gatys style layers; made by "
                    "`models export --vgg-blocks 3` from the full file, or imported",
        licence=VGG_LICENCE),
)


def entry(name: str) -> ModelEntry:
    """The catalogue entry called `name`; KeyError lists the known names."""
    for candidate in CATALOGUE:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown model {name!r}; known: {', '.join(entry_names())}")


def entry_names() -> list[str]:
    return [candidate.name for candidate in CATALOGUE]


def all_files() -> list[ModelFile]:
    """Every catalogue file once (entries share the int8 prediction model)."""
    seen: dict[str, ModelFile] = {}
    for candidate in CATALOGUE:
        for model_file in candidate.files:
            seen.setdefault(model_file.name, model_file)
    return list(seen.values())


def file_by_name(name: str) -> ModelFile | None:
    return next((f for f in all_files() if f.name == name), None)


def file_by_sha256(sha256: str) -> ModelFile | None:
    return next((f for f in all_files() if f.sha256 == sha256), None)


def vgg19_file(blocks: int) -> ModelFile:
    """The weights file holding VGG-19 blocks 1..`blocks`.

    Blocks 3 and 5 are catalogue files; other cuts (1, 2, 4: block4_conv2 is the usual
    Gatys content layer) are described here so they can be exported, imported and found
    like any other file, but have no published checksum.
    """
    if not 1 <= blocks <= VGG19_BLOCKS:
        raise ValueError(f"VGG-19 has blocks 1 to {VGG19_BLOCKS}, not {blocks}")
    for model_file in all_files():
        if model_file.role == ROLE_VGG_WEIGHTS and model_file.vgg_blocks == blocks:
            return model_file
    return ModelFile(name=f"vgg19-blocks1-{blocks}", filename=f"vgg19_blocks1-{blocks}_notop.h5",
                     url=None, size=None, sha256=None, role=ROLE_VGG_WEIGHTS,
                     source=SOURCE_DERIVED, derived_from=VGG19_FULL.name, vgg_blocks=blocks)
