"""Gas equilibrium at a catalytically active (Pt) electrode, lean and rich.

A platinum electrode catalyses the gas equilibrium (patent claims 9-10), so the O2 partial
pressure it senses is that of the equilibrated gas. Two implementations:

* ``method="cantera"``: Gibbs minimisation with Cantera's ``equilibrate("TP")`` over all species
  of the vendored set (including NO, NO2, N2O, OH, H, O). One call per point; the reference.
* ``method="fast"``: a vectorised element-balance model over the major species O2, H2O, H2,
  CO2, CO and N2 with the two equilibria H2 + 1/2 O2 = H2O and CO + 1/2 O2 = CO2. All
  hydrocarbons, NH3 and NO are converted. Gibbs minimisation also forms NO from N2 + O2 and, in
  rich gas below about 800 K, CH4; the fast model omits both. Against Cantera (tested) its
  equilibrium pO2 differs by < 0.2 % in lean exhaust between 900 and 1150 K (< 0.05 mV of Nernst
  voltage), 1 % at 1300 K, and < 0.1 % in rich exhaust above 900 K. NO formation from N2 is
  kinetically frozen at sensor temperatures even on Pt, so the fast model is arguably the closer
  one to what the electrode sees. For each point the O2 mole fraction x solves the oxygen
  balance

  .. math::

     f(u) = 2 R \\frac{x}{1 - x} + \\frac{n_H}{2}\\,\\sigma(q_1) + n_C (1 + \\sigma(q_2)) - n_O = 0,
     \\quad u = \\ln x,\\ q_i = \\ln K_i + \\tfrac{1}{2}\\ln(x p / p°),

  with sigma the logistic function, R = n_H/2 + n_C + n_N/2 the moles of all other species and
  K_1, K_2 the equilibrium constants. f is increasing in u, so a bracketed Newton iteration
  (rtsafe, compiled per point: :func:`mixpot._numerics.compiled_rtsafe`, started at an
  estimate of the root) converges for every point. Exhaust so rich that
  even CO cannot hold all carbon (n_O < n_C, soot) has no solution in this model and is
  reported as not converged.

References
----------
.. [1] D. G. Goodwin et al., Cantera: An object-oriented software toolkit for chemical
   kinetics, thermodynamics, and transport processes, https://www.cantera.org (version 3).
.. [2] W. R. Smith, R. W. Missen, *Chemical Reaction Equilibrium Analysis*, Wiley (1982),
   Ch. 2 (element balances and equilibrium constants).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from numba.extending import register_jitable
from numpy.typing import ArrayLike, NDArray

from mixpot._numerics import compiled_rtsafe
from mixpot._validation import check_range
from mixpot.gas._cantera import new_solution
from mixpot.gas.mixture import Composition, composition, element_totals
from mixpot.gas.species import SPECIES
from mixpot.gas.thermo import ln_equilibrium_constant, reference_pressure

Array = NDArray[np.float64]

_LOG_X_FLOOR = -700.0
"""Lower end of the ln(x_O2) bracket: far below any physical equilibrium in exhaust."""


@dataclass(frozen=True)
class Equilibrium:
    """Equilibrium state of a gas at a catalytic electrode.

    Attributes
    ----------
    composition : Composition
        Equilibrium mole fractions of the registry species [-] (NaN where not converged).
    o2_partial_pressure : numpy.ndarray
        Equilibrium O2 partial pressure [Pa].
    converged : numpy.ndarray of bool
        Whether the equilibrium was found for each point.
    """

    composition: Composition
    o2_partial_pressure: NDArray[np.float64]
    converged: NDArray[np.bool_]


def _ln_k(temperature_K: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    ln_k1 = ln_equilibrium_constant({"H2": 1, "O2": 0.5}, {"H2O": 1}, temperature_K)
    ln_k2 = ln_equilibrium_constant({"CO": 1, "O2": 0.5}, {"CO2": 1}, temperature_K)
    return ln_k1, ln_k2


@register_jitable
def _logistic(q: Any) -> Any:
    """sigma(q) = 1/(1 + e^-q), the share of H2O in H2 + H2O (CO2 in CO + CO2) [-]."""
    return 1.0 / (1.0 + np.exp(-q))


def _o2_balance(
    u: Any, ln_k1: Any, ln_k2: Any, ln_p: Any, rest: Any, n_h: Any, n_c: Any, n_o: Any
) -> tuple[Any, Any]:
    """Return the oxygen balance f(u) of the fast equilibrium and its slope in u = ln x_O2.

    The balance of the module docstring, increasing in u. Written for NumPy arrays and floats:
    compiled for floats in :func:`_o2_balance_point`; the NumPy form serves the test against
    the vectorised :func:`mixpot._numerics.solve_monotone`.
    """
    x = np.exp(u)
    half = 0.5 * (u + ln_p)
    s1 = _logistic(ln_k1 + half)
    s2 = _logistic(ln_k2 + half)
    ratio = x / (1.0 - x)
    dratio = x / (1.0 - x) ** 2
    f = 2.0 * rest * ratio + n_h / 2.0 * s1 + n_c * (1.0 + s2) - n_o
    df = 2.0 * rest * dratio + 0.25 * n_h * s1 * (1.0 - s1) + 0.5 * n_c * s2 * (1.0 - s2)
    return f, df


_o2_balance_point = numba.njit(cache=True, nogil=True, error_model="numpy")(_o2_balance)
""":func:`_o2_balance` compiled for floats (the same source)."""

_o2_log_fraction_point = compiled_rtsafe(_o2_balance_point)
"""Compiled root of :func:`_o2_balance` for one point (:func:`mixpot._numerics.compiled_rtsafe`)."""


@register_jitable
def _start(
    ln_k1: float, ln_k2: float, ln_p: float, rest: float, n_h: float, n_c: float, n_o: float
) -> float:
    """Estimate of the equilibrium ln x_O2 of one point: the first iterate of the solve.

    Lean, the O2 left when all H and C burn to H2O and CO2; rich, the O2 at which the
    oxygen left over by CO turns the share s = (n_O - n_C)/(n_H/2 + n_C) of H2 and CO into H2O
    and CO2, with one equilibrium constant for both (their mean weighted by n_H/2 and n_C):
    ln x = 2 (logit(s) - ln K) - ln(p/p°); NaN (the bracket's midpoint) otherwise. A start
    near the root saves the bisection from the far bracket (about 28 -> 8 iterations on random
    exhaust).
    """
    excess = n_o - n_h / 2.0 - 2.0 * n_c
    if excess > 0.0:
        ratio = excess / (2.0 * rest)
        return np.log(ratio / (1.0 + ratio))
    fuel = n_h / 2.0 + n_c
    share = (n_o - n_c) / fuel if fuel > 0.0 else np.nan
    if not 0.0 < share < 1.0:
        return np.nan
    ln_k = (n_h / 2.0 * ln_k1 + n_c * ln_k2) / fuel
    return 2.0 * (np.log(share / (1.0 - share)) - ln_k) - ln_p


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _equilibrium_points(
    n_c: Array,
    n_h: Array,
    n_o: Array,
    n_n: Array,
    ln_k1: Array,
    ln_k2: Array,
    ln_p: Array,
    rows: NDArray[np.int64],
    x: Array,
    x_o2: Array,
    ok: NDArray[np.bool_],
) -> None:  # pragma: no cover - compiled
    """Equilibrium of every point, compiled (one pass instead of some thirty NumPy calls).

    Mole fractions into ``x`` (rows ``rows`` of O2, H2O, H2, CO2, CO, N2; NaN where not
    converged), x_O2 into ``x_o2`` and convergence into ``ok``. ln x_O2 is the root of
    :func:`_o2_balance` in [-700, ln(n_O/(n_O + 2 R))] from :func:`_start` with
    ``xtol = 1e-13`` (:data:`_o2_log_fraction_point`).
    """
    for i in range(x_o2.size):
        rest = n_h[i] / 2.0 + n_c[i] + n_n[i] / 2.0
        has_o = n_o[i] > 0.0
        # the O2 if nothing burnt, nudged up by 1e-9 (relative): the balance is positive there
        # by at least that much, not by a rounding error when traces of H and C burn
        upper = max(
            np.log(n_o[i] / (n_o[i] + 2.0 * rest * (1.0 - 1e-9))) if has_o else 0.0, _LOG_X_FLOOR
        )
        args = (ln_k1[i], ln_k2[i], ln_p[i], rest, n_h[i], n_c[i], n_o[i])
        u, converged = _o2_log_fraction_point(
            args, _LOG_X_FLOOR, upper, _start(*args), 1e-13, 0.0, 200
        )
        xo = np.exp(u)
        if n_h[i] == 0.0 and n_c[i] == 0.0:
            # nothing burns (O2 and N2 alone): the O2 as it is, exactly (a solve would find its
            # root at the bracket's end; without the nudge it failed for about 40 % of them)
            xo, converged = n_o[i] / (n_o[i] + 2.0 * rest) if has_o else 0.0, True
        elif not has_o and n_c[i] == 0.0:
            xo, converged = 0.0, True  # no oxygen atoms: x_O2 = 0 exactly
        # (carbon without oxygen would need soot: not converged)
        s1, s2 = 0.0, 0.0
        if xo > 0.0:
            half = 0.5 * (np.log(xo) + ln_p[i])
            s1, s2 = _logistic(ln_k1[i] + half), _logistic(ln_k2[i] + half)
        n_o2 = xo / (1.0 - xo) * rest if xo < 1.0 else n_o[i] / 2.0
        moles = (
            n_o2,
            n_h[i] / 2.0 * s1,
            n_h[i] / 2.0 * (1.0 - s1),
            n_c[i] * s2,
            n_c[i] * (1.0 - s2),
            n_n[i] / 2.0,
        )
        total = 0.0
        for m in moles:
            total += m
        for j in range(len(moles)):
            x[rows[j], i] = moles[j] / total if converged else np.nan
        x_o2[i], ok[i] = xo, converged


def _fast(
    gas: Composition, temperature_K: NDArray[np.float64], pressure_Pa: NDArray[np.float64]
) -> Equilibrium:
    e = element_totals(gas)
    n_c, n_h, n_o, n_n = np.broadcast_arrays(
        e["C"], e["H"], e["O"], e["N"], temperature_K, pressure_Pa
    )[:4]
    shape = n_c.shape
    t = np.broadcast_to(temperature_K, shape)
    p = np.broadcast_to(pressure_Pa, shape)
    ln_k1, ln_k2 = _ln_k(t)
    ln_p = np.log(p / reference_pressure())
    x = np.zeros((len(SPECIES), *shape))
    x_o2, ok = np.empty(shape), np.empty(shape, dtype=bool)
    inputs = (n_c, n_h, n_o, n_n, ln_k1, ln_k2, ln_p)
    _equilibrium_points(
        *(np.ascontiguousarray(a, dtype=np.float64).reshape(-1) for a in inputs),
        np.array([SPECIES.index(s) for s in ("O2", "H2O", "H2", "CO2", "CO", "N2")]),
        x.reshape(len(SPECIES), -1),
        x_o2.reshape(-1),
        ok.reshape(-1),
    )
    return Equilibrium(Composition(x), np.where(ok, x_o2 * p, np.nan), ok)


def _cantera(
    gas: Composition, temperature_K: NDArray[np.float64], pressure_Pa: NDArray[np.float64]
) -> Equilibrium:
    x_in = gas.mole_fractions
    shape = np.broadcast_shapes(x_in.shape[1:], temperature_K.shape, pressure_Pa.shape)
    pad = (1,) * (len(shape) - (x_in.ndim - 1))
    x_in = np.broadcast_to(
        x_in.reshape(len(SPECIES), *pad, *x_in.shape[1:]), (len(SPECIES), *shape)
    )
    t = np.broadcast_to(temperature_K, shape)
    p = np.broadcast_to(pressure_Pa, shape)
    sol = new_solution()
    idx = [sol.species_index(n) for n in SPECIES]
    x_out = np.full((len(SPECIES), *shape), np.nan)
    po2 = np.full(shape, np.nan)
    ok = np.zeros(shape, dtype=bool)
    for point in np.ndindex(*shape):
        x_full = np.zeros(sol.n_species)
        x_full[idx] = x_in[(slice(None), *point)]
        sol.TPX = t[point], p[point], x_full
        try:
            sol.equilibrate("TP")
        except Exception as exc:  # Cantera raises its own CanteraError
            warnings.warn(f"Cantera equilibrate failed at point {point}: {exc}", stacklevel=3)
            continue
        x_out[(slice(None), *point)] = sol.X[idx]
        po2[point] = sol.X[sol.species_index("O2")] * sol.P
        ok[point] = True
    return Equilibrium(Composition(x_out), po2, ok)


def equilibrium(
    gas: Mapping[str, ArrayLike] | Composition,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike = 101325.0,
    *,
    method: str = "fast",
) -> Equilibrium:
    """Equilibrium composition and O2 partial pressure of a gas at a catalytic (Pt) electrode.

    Parameters
    ----------
    gas : mapping or Composition
        Mole fractions [-] (N2 balance), see :func:`mixpot.gas.composition`.
    temperature_K : array_like
        Temperature [K], 500-2000.
    pressure_Pa : array_like
        Total pressure [Pa], 1e3-1e7.
    method : {"fast", "cantera"}
        Vectorised major-species model or Cantera Gibbs minimisation (see module docstring).

    Returns
    -------
    Equilibrium
        Composition, O2 partial pressure [Pa] and convergence flags. Points that did not
        converge are NaN and flagged, and a warning says how many.

    References
    ----------
    .. [1] Cantera 3 ``ThermoPhase.equilibrate``; Smith & Missen (1982).

    Examples
    --------
    >>> eq = equilibrium({"O2": 0.05, "C3H6": 1000e-6}, 1000.0)
    >>> round(float(eq.composition["O2"]), 5)
    0.04548
    >>> rich = equilibrium({"CO": 0.02, "H2O": 0.1, "CO2": 0.1}, 1000.0)
    >>> bool(rich.o2_partial_pressure < 1e-13)
    True
    """
    gas = composition(gas)
    t = check_range(temperature_K, "temperature_K", low=500.0, high=2000.0, unit="K")
    p = check_range(pressure_Pa, "pressure_Pa", low=1e3, high=1e7, unit="Pa")
    if method == "fast":
        result = _fast(gas, t, p)
    elif method == "cantera":
        result = _cantera(gas, t, p)
    else:
        raise ValueError(f"method = {method!r} is not one of 'fast', 'cantera'")
    n_bad = int(np.size(result.converged) - np.count_nonzero(result.converged))
    if n_bad:
        warnings.warn(
            f"gas equilibrium not found for {n_bad} point(s) (e.g. oxygen too low to hold the "
            "carbon as CO); they are NaN and flagged in Equilibrium.converged",
            RuntimeWarning,
            stacklevel=2,
        )
    return result


def equilibrium_o2_partial_pressure(
    gas: Mapping[str, ArrayLike] | Composition,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike = 101325.0,
) -> NDArray[np.float64]:
    """Equilibrium O2 partial pressure at a Pt electrode (vectorised fast path).

    Parameters
    ----------
    gas : mapping or Composition
        Mole fractions [-] (N2 balance).
    temperature_K : array_like
        Temperature [K].
    pressure_Pa : array_like
        Total pressure [Pa].

    Returns
    -------
    numpy.ndarray
        pO2 [Pa]; NaN where no equilibrium exists (see :func:`equilibrium`).

    References
    ----------
    .. [1] Smith & Missen (1982), Ch. 2.

    Examples
    --------
    >>> round(float(equilibrium_o2_partial_pressure({"O2": 0.2095}, 1053.15)), 1)
    21227.6
    """
    return equilibrium(gas, temperature_K, pressure_Pa, method="fast").o2_partial_pressure
