"""Rows scaled to unit length: what every ``Encoder`` (``encoder.py``) returns."""

from __future__ import annotations

import numpy as np

__all__ = ["normalise_rows"]


def normalise_rows(x: np.ndarray) -> np.ndarray:
    """``x`` with each row divided by its L2 norm (zero rows stay zero), as float32."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)
