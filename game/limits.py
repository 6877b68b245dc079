"""How a settings field declares its limits, read by game.config's validator.

Its own module so settings defined elsewhere (game.kiosk) can declare limits without
importing game.config, which imports them.
"""
from __future__ import annotations

from typing import Any


def field_limits(*, low: float | None = None, high: float | None = None,
                 choices: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Dataclass field metadata: a (low, high) range and/or the allowed choices."""
    meta: dict[str, Any] = {}
    if low is not None and high is not None:
        meta["range"] = (low, high)
    if choices is not None:
        meta["choices"] = choices
    return meta
