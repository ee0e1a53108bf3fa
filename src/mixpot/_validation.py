"""Input checks shared by the physics functions: clear errors naming field, value and range."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def as_float_array(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``value`` as a float array, raising a clear error if it is not numeric.

    Parameters
    ----------
    value : array_like
        Scalar or array input.
    name : str
        Name of the argument, used in the error message.

    Returns
    -------
    numpy.ndarray
        Float64 array (0-d for a scalar input).
    """
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric, got {value!r}") from exc


def check_range(
    value: ArrayLike,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
    allow_nan: bool = False,
) -> NDArray[np.float64]:
    """Validate that all elements of ``value`` lie within ``[low, high]``.

    NaN is rejected unless ``allow_nan`` is true (then NaN passes through and propagates).

    Parameters
    ----------
    value : array_like
        Input to check.
    name : str
        Name used in the error message.
    low, high : float, optional
        Bounds; ``None`` means unbounded.
    low_inclusive, high_inclusive : bool
        Whether the bounds themselves are allowed.
    unit : str
        Unit shown in the error message.
    allow_nan : bool
        Let NaN through (it propagates to the result).

    Returns
    -------
    numpy.ndarray
        ``value`` as a float array.

    Raises
    ------
    ValueError
        If any element is outside the range, or NaN when not allowed. The message names the
        field, the first offending value and the allowed range.
    """
    arr = as_float_array(value, name)
    if arr.size:  # fast path: the extremes in range (hot code calls this with valid input)
        if arr.size == 1:
            v_min = v_max = float(arr.reshape(-1)[0])
        else:
            v_min, v_max = float(arr.min()), float(arr.max())  # NaN if there is one
        if v_min != v_min:  # NaN
            if allow_nan and arr.size == 1:
                return arr
        elif (low is None or (v_min >= low if low_inclusive else v_min > low)) and (
            high is None or (v_max <= high if high_inclusive else v_max < high)
        ):
            return arr
    nan = np.isnan(arr)
    if nan.any() and not allow_nan:
        raise ValueError(f"{name} contains NaN; a finite value is required")
    ok = ~nan
    if low is not None:
        ok_low = arr >= low if low_inclusive else arr > low
        ok &= ok_low | nan
    if high is not None:
        ok_high = arr <= high if high_inclusive else arr < high
        ok &= ok_high | nan
    bad = ~ok & ~nan
    if bad.any():
        first = arr[bad].flat[0]
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        lb = "[" if low_inclusive else "("
        hb = "]" if high_inclusive else ")"
        u = f" {unit}" if unit else ""
        raise ValueError(
            f"{name} = {first:g}{u} is outside the allowed range {lb}{lo}, {hi}{hb}{u}"
        )
    return arr
