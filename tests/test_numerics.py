"""The compiled per-point root solve against the vectorised one it mirrors."""

import numba
import numpy as np

from mixpot._numerics import compiled_rtsafe, solve_monotone


@numba.njit
def _cubic(x, a, b):
    return x**3 + a * x - b, 3.0 * x**2 + a


_cubic_root = compiled_rtsafe(_cubic)


@numba.njit
def _solve_all(a, b, lo, hi, start, xtol, ftol, max_iter, x, ok):
    for i in range(a.size):
        x[i], ok[i] = _cubic_root((a[i], b[i]), lo[i], hi[i], start[i], xtol, ftol, max_iter)


def test_rtsafe_is_solve_monotone_step_for_step():
    # exact equality: same steps, on a function without transcendental round-off; points
    # with roots at a bound, without a bracket, NaN bounds, few iterations, f tolerance
    rng = np.random.default_rng(3)
    n = 500
    a = rng.uniform(0.0, 5.0, n)
    b = rng.uniform(-50.0, 50.0, n)
    lo = rng.uniform(-6.0, 0.0, n)
    hi = rng.uniform(0.0, 6.0, n)
    lo[:5], b[:5] = 0.0, 0.0  # f(lo) = 0
    hi[5:10], lo[5:10], b[5:10] = 1.0, -1.0, 1.0 + a[5:10]  # f(hi) = 0
    lo[10:15] = 4.0  # no bracket for b < 64 + 4a
    hi[15:20] = np.nan
    start = rng.uniform(-8.0, 8.0, n)  # inside the bracket or not (then the midpoint)
    start[20:30] = np.nan
    cases = [(1e-12, 0.0, 200, None), (1e-3, 1e-2, 200, None), (0.0, 0.0, 4, None)]
    cases += [(1e-12, 0.0, 200, start), (0.0, 0.0, 4, start)]
    for xtol, ftol, max_iter, first in cases:
        want, want_ok = solve_monotone(
            lambda x: _cubic(x, a, b), lo, hi, start=first, xtol=xtol, ftol=ftol, max_iter=max_iter
        )
        x, ok = np.empty(n), np.zeros(n, dtype=bool)
        _solve_all(
            a,
            b,
            lo,
            hi,
            np.full(n, np.nan) if first is None else first,
            xtol,
            ftol,
            max_iter,
            x,
            ok,
        )
        np.testing.assert_array_equal(x, want)
        np.testing.assert_array_equal(ok, want_ok)
        assert not ok[10:20].any()
        assert ok[:10].all()


@numba.njit
def _shifted(x, shift):
    return x - 0.5 + shift, 1.0


_shifted_root = compiled_rtsafe(_shifted)


def test_a_newton_step_that_rounds_to_zero_at_a_bracket_end_converges():
    # f(0.5) = 1e-18 > 0 makes 0.5 the upper bracket end and the Newton step from it rounds to
    # zero: the root is found there in one step, not after bisecting down to xtol
    x, ok = solve_monotone(
        lambda x: _shifted(x, 1e-18), np.zeros(1), np.ones(1), start=np.full(1, 0.5), max_iter=3
    )
    assert ok[0]
    assert x[0] == 0.5
    assert _shifted_root((1e-18,), 0.0, 1.0, 0.5, 1e-12, 0.0, 3) == (0.5, True)
