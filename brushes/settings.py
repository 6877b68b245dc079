"""Settings dataclasses: what the player chooses (BrushSettings) and the tuning of
each medium (the *Params classes, fixed per tool; the game normally keeps the defaults).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

MIN_SIZE = 2
MAX_SIZE = 120


@dataclass
class BrushSettings:
    """Mutable between strokes; a stroke copies them when it starts."""

    color: tuple[int, int, int] = (24, 22, 26)
    size: float = 40.0  # brush diameter in canvas px, clamped to 2..120 when used
    opacity: float = 1.0  # 0..1

    def clamped(self) -> "BrushSettings":
        """A copy with sane values, so odd UI input cannot break a stroke."""
        r, g, b = (min(max(int(c), 0), 255) for c in self.color)
        return BrushSettings(
            color=(r, g, b),
            size=float(min(max(float(self.size), MIN_SIZE), MAX_SIZE)),
            opacity=float(min(max(float(self.opacity), 0.0), 1.0)),
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PressureParams:
    """Pointer speed stands in for pen pressure: faster moves paint thinner and lighter."""

    full_speed: float = 2400.0  # px/s at which the speed effect is at its maximum
    thin: float = 0.35  # fraction of the width lost at full speed
    fade: float = 0.30  # fraction of the opacity lost at full speed
    smoothing: float = 0.35  # EMA weight of the newest speed sample


@dataclass(frozen=True)
class AcrylicParams:
    spacing: float = 0.12  # stamp spacing as a fraction of the size
    flow: float = 0.9  # alpha of one stamp at full load (overlaps build to opaque)
    run_length: float = 520.0  # px of stroke before the load has dropped to 1/e ...
    run_length_per_px: float = 5.0  # ... plus this many px per px of brush size
    dry_gap: float = 0.85  # how far the dry-brush gaps open as the load runs out
    smear: float = 0.9  # weight of picked-up colour in the deposit on a full brush
    smear_dry: float = 1.2  # ... growing to this as the load runs out
    pickup: float = 0.40  # how fast the bristles take on the colour they pass over
    carry_spend: float = 0.10  # share of the carried colour laid down per stamp
    carry_slip: float = 0.5  # picked-up paint slides back along the bristles this fast
    paper_show: float = 0.45  # share of the paper relief that survives under paint
    ridge: float = 0.45  # height of bristle ridges (drives the streak shading)
    body: float = 0.22  # base paint thickness added on top of the paper
    streak_tint: float = 0.07  # brightness spread between bristles
    pressure: PressureParams = field(default_factory=PressureParams)


@dataclass(frozen=True)
class WatercolourParams:
    spacing: float = 0.10  # stamp spacing as a fraction of the size
    glaze: float = 0.62  # pigment optical density of one glaze relative to the colour's own
    water: float = 1.0  # water a stroke leaves (1.0 dries in about wet.dry_seconds)
    rewet_add: float = 0.25  # extra water when painting into an area that is still wet
    fade_length: float = 900.0  # px over which the brush runs a little drier
    fade: float = 0.30  # how much lighter the end of a very long stroke gets
    edge_noise: float = 0.22  # paper-driven raggedness of the stroke edge
    pressure: PressureParams = field(default_factory=lambda: PressureParams(fade=0.40))


@dataclass(frozen=True)
class EraserParams:
    spacing: float = 0.15
    softness_px: float = 1.5  # width of the anti-aliased rim
