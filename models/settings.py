"""Settings for the Gatys engine, as plain dataclasses (no TensorFlow here: the game reads them).

Layer names are data: the VGG-19 layout is listed once below, and everything that needs to know
which block a layer lives in asks `block_of`. `default_settings` picks what a machine can finish
inside a round; `untrained_settings` is the offline stand-in (the same engine over random
features).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

# The convolution layers of VGG-19 (Simonyan & Zisserman 2014), block by block, as Keras names
# them. A max-pool named blockN_pool follows each block.
VGG19_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("block1_conv1", "block1_conv2"),
    ("block2_conv1", "block2_conv2"),
    ("block3_conv1", "block3_conv2", "block3_conv3", "block3_conv4"),
    ("block4_conv1", "block4_conv2", "block4_conv3", "block4_conv4"),
    ("block5_conv1", "block5_conv2", "block5_conv3", "block5_conv4"),
)
VGG19_FILTERS = (64, 128, 256, 512, 512)  # output channels of every conv in each block

FULL_STYLE_LAYERS = tuple((f"block{b}_conv1", 1.0) for b in range(1, 6))
CPU_STYLE_LAYERS = tuple((f"block{b}_conv1", 1.0) for b in range(1, 4))

AGGREGATIONS = ("mean", "rms", "geometric")


def block_of(layer: str) -> int:
    """'block3_conv2' -> 3."""
    return int(layer.split("_")[0].removeprefix("block"))


@dataclass(frozen=True)
class GatysSettings:
    # --- what the picture is made of
    size: int = 256                 # long side in pixels; cost grows with its square
    style_size: float = 1.0         # style image long side as a multiple of `size` (stroke scale)
    content_layer: str = "block4_conv2"  # Gatys et al.'s choice; deeper = looser content
    style_layers: tuple[tuple[str, float], ...] = FULL_STYLE_LAYERS  # (layer, weight) pairs
    blocks: int = 5                 # use only the first N blocks even if the file holds more
    # --- loss weights
    content_weight: float = 1.0     # the photo's structure
    style_weight: float = 3e-3      # relative to content; higher = more paint, less photo.
    #                                 Tuned on blocks 1-3: 1e-3 timid, 1e-2 paints over more
    tv_weight: float = 0.0          # total variation: smooths speckle but blurs strokes
    aggregation: str = "mean"       # several styles: "mean", "rms" (loudest wins) or "geometric"
    # --- features and statistics (the offline stand-in changes these, not the code)
    features: str = "vgg19"         # "vgg19": weights from the file; "random": seeded Glorot VGG
    statistics: str = "gram"        # "gram"; "centred" (covariance + mean row) for random nets
    relative_losses: bool = False   # divide each loss by its target's squared norm (random nets)
    seed: int = 0                   # for random features and noise starts
    # --- start and colour
    init: str = "content"           # "content" or "noise"
    match_histogram: bool = True    # start from the photo recoloured with the style's histogram
    preserve_colour: bool = False   # transfer on luminance only; keep the photo's chroma
    # --- optimiser and when to stop
    optimizer: str = "lbfgs"        # "lbfgs" (scipy L-BFGS-B) or "adam"
    seconds: float = 35.0           # wall-clock budget; a round is about 40 s
    max_iterations: int = 1000      # hard cap whatever the clock says
    plateau_window: int = 10        # iterations over which improvement is averaged
    plateau_tolerance: float = 1e-3  # converged: loss fell < this fraction per iteration (mean
    #                                 over the window); L-BFGS then only polishes invisibly
    lbfgs_maxcor: int = 20          # L-BFGS memory; more costs little next to the network
    adam_lr: float = 0.02           # per step, in [0, 1] pixel units (the TF tutorial's value)
    adam_beta1: float = 0.99        # the TF tutorial's value
    adam_epsilon: float = 0.1       # the TF tutorial's value; damps tiny gradients
    scales: tuple[int, ...] = ()    # coarse-to-fine, e.g. (128,): off, as at equal time it ended
    #                                 4-15 % higher in loss and lost detail (docs/offline.md)
    coarse_share: float = 0.3       # fraction of the budget the coarse scales may spend
    # --- finishing and reporting
    kuwahara_radius: int = 0        # > 0: a Kuwahara pass turns per-pixel speckle into dabs
    preview_seconds: float = 2.0    # how often progress gets a preview image
    threads: int = 2                # TensorFlow intra-op threads; the game keeps the rest

    def __post_init__(self) -> None:
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, not {self.aggregation}")
        for name, allowed in (("features", ("vgg19", "random")),
                              ("statistics", ("gram", "centred")),
                              ("init", ("content", "noise")),
                              ("optimizer", ("lbfgs", "adam"))):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {getattr(self, name)}")
        if not 1 <= self.blocks <= len(VGG19_BLOCKS):
            raise ValueError(f"blocks must be 1..{len(VGG19_BLOCKS)}, not {self.blocks}")

    @property
    def deepest_block(self) -> int:
        """The last VGG block any chosen layer needs."""
        layers = [self.content_layer] + [name for name, _ in self.style_layers]
        return max(block_of(name) for name in layers)


def layers_for_blocks(blocks: int) -> tuple[str, tuple[tuple[str, float], ...]]:
    """Content layer and style layers that fit inside the first `blocks` blocks."""
    style = tuple((f"block{b}_conv1", 1.0) for b in range(1, blocks + 1))
    content = "block4_conv2" if blocks >= 4 else VGG19_BLOCKS[blocks - 1][1]
    return content, style


def default_settings(has_gpu: bool, available_blocks: int) -> GatysSettings:
    """What to run on this machine so that a picture is finished inside a round.

    Without a GPU, blocks 1-3 (style block1..3_conv1, content block3_conv2) at 256 px
    converged in 14-35 s of L-BFGS on two busy cores (docs/offline.md); the full network
    needs about 2.4x the multiply-adds per iteration. With a GPU: the full network, 384 px.
    """
    blocks = min(available_blocks, 5 if has_gpu else 3)
    if blocks < 1:
        raise ValueError("no VGG-19 blocks available")
    content, style = layers_for_blocks(blocks)
    size = 384 if has_gpu and blocks == 5 else 256
    return GatysSettings(size=size, blocks=blocks, content_layer=content, style_layers=style,
                         seconds=35.0)


def untrained_settings(seconds: float = 35.0, size: int = 192) -> GatysSettings:
    """The offline Gatys stand-in: the same engine over a seeded random VGG-19.

    Centred statistics and relative losses are what make random filters carry style at all
    (research/offline-standins.md); a Kuwahara pass turns the leftover speckle into dabs.
    The network runs to block5_conv1, about 2.4x the cost of blocks 1-3, so it works at 192 px
    to get roughly twice the iterations of 256 px inside a round.
    """
    return GatysSettings(size=size, features="random", statistics="centred",
                         relative_losses=True, content_layer="block4_conv2",
                         style_layers=FULL_STYLE_LAYERS, style_weight=1e3, content_weight=1.0,
                         tv_weight=0.0, kuwahara_radius=4, seconds=seconds)


def with_changes(settings: GatysSettings, **changes) -> GatysSettings:
    """A copy with some fields changed (validated again)."""
    return replace(settings, **changes)
