"""Vectorised numerical kernels shared by the physics domains."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


class ConvergenceError(RuntimeError):
    """A root solve did not converge for some points."""


def solve_monotone(
    func: Callable[[Array], tuple[Array, Array]],
    lower: Array,
    upper: Array,
    *,
    xtol: float = 1e-12,
    ftol: float = 0.0,
    max_iter: int = 200,
) -> tuple[Array, Array]:
    """Find the root of an increasing function by safeguarded Newton, vectorised over points.

    Each point keeps a bracket ``[lo, hi]`` with ``f(lo) < 0 < f(hi)``. A Newton step is taken
    when it stays strictly inside the bracket; otherwise the bracket is bisected. This is the
    classical "rtsafe" scheme (Press et al., *Numerical Recipes*, 3rd ed. (2007), Sect. 9.4),
    applied element-wise, so it converges for every monotone function, quadratically near the
    root.

    Parameters
    ----------
    func : callable
        ``func(x) -> (f, dfdx)`` evaluated element-wise on an array of the same shape as
        ``lower``. ``f`` must be increasing in ``x``.
    lower, upper : numpy.ndarray
        Initial brackets. Their function values must have opposite signs (``f(lower) <= 0 <=
        f(upper)``); points where they do not are reported as not converged.
    xtol : float
        Absolute tolerance on ``x`` (bracket width) [same unit as x].
    ftol : float
        Absolute tolerance on ``f``; a point with ``|f| <= ftol`` counts as converged.
    max_iter : int
        Maximum number of iterations.

    Returns
    -------
    x : numpy.ndarray
        Root estimate.
    converged : numpy.ndarray of bool
        Whether each point met the tolerance with a valid bracket. NaN inputs give NaN and
        ``False``.
    """
    lo = np.array(lower, dtype=float, copy=True)
    hi = np.array(upper, dtype=float, copy=True)
    lo, hi = np.broadcast_arrays(lo, hi)
    lo, hi = lo.copy(), hi.copy()
    f_lo, _ = func(lo)
    f_hi, _ = func(hi)
    valid = (f_lo <= 0.0) & (f_hi >= 0.0) & np.isfinite(lo) & np.isfinite(hi)
    x = np.where(valid, 0.5 * (lo + hi), np.nan)
    done = ~valid
    converged = np.zeros(x.shape, dtype=bool)
    exact_lo = valid & (f_lo == 0.0)
    exact_hi = valid & (f_hi == 0.0) & ~exact_lo
    x[exact_lo] = lo[exact_lo]
    x[exact_hi] = hi[exact_hi]
    converged |= exact_lo | exact_hi
    done |= exact_lo | exact_hi
    for _ in range(max_iter):
        if done.all():
            break
        f, df = func(x)
        with np.errstate(invalid="ignore"):
            hit = np.abs(f) <= ftol
            neg = f < 0.0
        lo = np.where(neg & ~done, x, lo)
        hi = np.where(~neg & ~done, x, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_newton = x - f / df
        inside = (x_newton > lo) & (x_newton < hi) & np.isfinite(x_newton)
        x_new = np.where(hit, x, np.where(inside, x_newton, 0.5 * (lo + hi)))
        small = hit | (np.abs(x_new - x) <= xtol) | ((hi - lo) <= xtol)
        x = np.where(done, x, x_new)
        newly = small & ~done
        converged |= newly
        done |= newly
    return x, converged
