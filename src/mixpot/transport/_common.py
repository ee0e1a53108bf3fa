"""Small helpers shared by the transport modules (types, output conversion)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

FloatArray: TypeAlias = NDArray[np.float64]
"""Float64 array."""

FloatOrArray: TypeAlias = np.float64 | NDArray[np.float64]
"""Return type of the vectorised functions: a NumPy scalar for scalar input, else an array."""


def as_output(value: FloatArray) -> FloatOrArray:
    """Return a 0-d array as a NumPy float scalar and any other array unchanged.

    Parameters
    ----------
    value : numpy.ndarray
        Result array.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        ``value[()]``: a scalar for 0-d input, the array itself otherwise.
    """
    return np.asarray(value, dtype=np.float64)[()]
