"""Numerical kernels shared by the physics domains: vectorised, and their compiled mirrors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
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
    start: Array | None = None,
    xtol: float = 1e-12,
    ftol: float = 0.0,
    max_iter: int = 200,
) -> tuple[Array, Array]:
    """Find the root of an increasing function by safeguarded Newton, vectorised over points.

    Each point keeps a bracket ``[lo, hi]`` with ``f(lo) < 0 < f(hi)``. A Newton step is taken
    when it stays strictly inside the bracket, or when it is below ``xtol`` with a positive
    slope (then it is the converged one: a step that rounds to zero next to a bracket end is no
    reason to bisect down to ``xtol``); otherwise the bracket is bisected. This is the
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
    start : numpy.ndarray, optional
        First iterate (an estimate of the root); where it is not strictly inside the bracket
        (or NaN, or not given) the midpoint of the bracket.
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
    if start is not None:
        with np.errstate(invalid="ignore"):
            x = np.where(valid & (start > lo) & (start < hi), start, x)
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
        step_ok = (np.abs(x_newton - x) <= xtol) & (df > 0.0)
        inside = ((x_newton > lo) & (x_newton < hi) & np.isfinite(x_newton)) | step_ok
        x_new = np.where(hit, x, np.where(inside, x_newton, 0.5 * (lo + hi)))
        small = hit | step_ok | (np.abs(x_new - x) <= xtol) | ((hi - lo) <= xtol)
        x = np.where(done, x, x_new)
        newly = small & ~done
        converged |= newly
        done |= newly
    return x, converged


def compiled_rtsafe(func: Any) -> Any:
    """Compiled root solve of an increasing function at one point (mirrors :func:`solve_monotone`).

    Returns a compiled ``rtsafe(...) -> (x, converged)`` for one point: the same safeguarded
    Newton iteration (rtsafe) as :func:`solve_monotone`, step for step (tested equal), on
    ``func(x, *args) -> (f, dfdx)``. Both exist because the vectorised solve pays NumPy's
    per-call cost on every iteration (which dominates for few points) and iterates until the
    slowest point has converged; compiled code that solves point by point calls this one. (A
    factory rather than a function taking ``func`` as an argument: Numba then resolves the
    call statically and its callers can be cached; their caches hold this code, so after an
    edit here delete them.)

    Parameters
    ----------
    func : numba dispatcher
        Compiled ``func(x, *args) -> (f, dfdx)`` on floats, increasing in ``x``.

    Returns
    -------
    numba dispatcher
        ``rtsafe(args, lower, upper, start, xtol, ftol, max_iter)``: ``args`` the further
        arguments of ``func`` (tuple), ``[lower, upper]`` a bracket with ``f(lower) <= 0 <=
        f(upper)``, ``start`` the first iterate (the midpoint where it is not strictly inside
        the bracket, e.g. NaN), ``xtol`` and ``ftol`` the absolute tolerances on ``x`` (step
        or bracket width) and ``f``; returns the root estimate (NaN without a valid bracket)
        and whether the tolerance was met with a valid bracket.

    References
    ----------
    .. [1] W. H. Press et al., *Numerical Recipes*, 3rd ed. (2007), Sect. 9.4 (rtsafe).
    """
    bracketed = compiled_rtsafe_bracketed(func)

    @numba.njit(nogil=True, error_model="numpy")
    def rtsafe(
        args: Any,
        lower: float,
        upper: float,
        start: float,
        xtol: float,
        ftol: float,
        max_iter: int,
    ) -> tuple[float, bool]:  # pragma: no cover - compiled
        f_lo = func(lower, *args)[0]
        f_hi = func(upper, *args)[0]
        return bracketed(args, lower, upper, f_lo, f_hi, start, xtol, ftol, max_iter)

    return rtsafe


def compiled_rtsafe_bracketed(func: Any) -> Any:
    """:func:`compiled_rtsafe` for a caller that has evaluated ``func`` at the bracket's ends.

    Returns a compiled ``rtsafe(args, lower, upper, f_lower, f_upper, start, xtol, ftol,
    max_iter) -> (x, converged)``, the iteration of :func:`compiled_rtsafe` (which calls it)
    with ``f_lower`` and ``f_upper`` the values of ``func`` at ``lower`` and ``upper``: a caller
    that searched for the bracket has them, and saves two evaluations.

    Parameters
    ----------
    func : numba dispatcher
        Compiled ``func(x, *args) -> (f, dfdx)`` on floats, increasing in ``x``.

    Returns
    -------
    numba dispatcher
        ``rtsafe(args, lower, upper, f_lower, f_upper, start, xtol, ftol, max_iter)``.

    References
    ----------
    .. [1] W. H. Press et al., *Numerical Recipes*, 3rd ed. (2007), Sect. 9.4 (rtsafe).
    """

    @numba.njit(nogil=True, error_model="numpy")
    def rtsafe(
        args: Any,
        lower: float,
        upper: float,
        f_lower: float,
        f_upper: float,
        start: float,
        xtol: float,
        ftol: float,
        max_iter: int,
    ) -> tuple[float, bool]:  # pragma: no cover - compiled
        lo, hi = lower, upper
        f_lo, f_hi = f_lower, f_upper
        if not (f_lo <= 0.0 and f_hi >= 0.0 and np.isfinite(lo) and np.isfinite(hi)):
            return np.nan, False
        if f_lo == 0.0:
            return lo, True
        if f_hi == 0.0:
            return hi, True
        x = start if lo < start < hi else 0.5 * (lo + hi)
        for _ in range(max_iter):
            f, df = func(x, *args)
            if f < 0.0:
                lo = x
            else:
                hi = x
            x_newton = x - f / df
            hit = abs(f) <= ftol
            step_ok = abs(x_newton - x) <= xtol and df > 0.0
            inside = (x_newton > lo and x_newton < hi and np.isfinite(x_newton)) or step_ok
            x_new = x if hit else (x_newton if inside else 0.5 * (lo + hi))
            small = hit or step_ok or abs(x_new - x) <= xtol or (hi - lo) <= xtol
            x = x_new
            if small:
                return x, True
        return x, False

    return rtsafe
