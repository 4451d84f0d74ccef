"""The renderer of open interiors a sandbox uses, chosen by `shape` (and `shape_seed`)."""

from __future__ import annotations

from .random_shape import RandomShape
from .shapes import FixedShape


def renderer(shape: str, shape_seed: int) -> FixedShape | RandomShape:
    """`FixedShape` for `flat` / `nested`, `RandomShape(shape_seed)` for `random`."""
    return RandomShape(shape_seed) if shape == "random" else FixedShape(shape)
