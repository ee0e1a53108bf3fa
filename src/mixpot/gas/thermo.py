"""Standard-state thermochemistry of the exhaust species, vectorised over temperature.

The NASA 7-coefficient polynomials are read from the vendored Cantera species set and evaluated
with NumPy, so that arrays of temperatures cost one vector operation instead of one Cantera
call per point. They agree with Cantera's own evaluation to round-off (tested).

References
----------
.. [1] B. J. McBride, S. Gordon, M. A. Reno, "Coefficients for calculating thermodynamic and
   transport properties of individual species", NASA TM-4513 (1993): NASA 7-term polynomials.
"""

from __future__ import annotations

from functools import cache

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import check_range
from mixpot.gas._cantera import shared_solution


@cache
def _nasa7(name: str) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
    sol = shared_solution()
    if name not in sol.species_names:
        raise ValueError(f"species {name!r} has no thermodynamic data in the vendored set")
    coeffs = sol.species(name).thermo.coeffs
    return float(coeffs[0]), np.array(coeffs[1:8]), np.array(coeffs[8:15])


def reference_pressure() -> float:
    """Return the reference pressure p° of the vendored thermodynamic data [Pa].

    The GRI-Mech 3.0 and NUIG NASA polynomials are referenced to 1 atm, and Cantera uses that
    reference (``Solution.reference_pressure``).

    Returns
    -------
    float
        p° [Pa] (101325).

    References
    ----------
    .. [1] McBride, Gordon, Reno, NASA TM-4513 (1993).

    Examples
    --------
    >>> reference_pressure()
    101325.0
    """
    return float(shared_solution().reference_pressure)


def standard_gibbs_rt(name: str, temperature_K: ArrayLike) -> NDArray[np.float64]:
    """Return g°(T)/(RT), the standard Gibbs energy of a species at p° (:func:`reference_pressure`).

    g°/RT = h°/RT - s°/R with the NASA 7-term polynomials
    h°/RT = a1 + a2 T/2 + a3 T²/3 + a4 T³/4 + a5 T⁴/5 + a6/T and
    s°/R = a1 ln T + a2 T + a3 T²/2 + a4 T³/3 + a5 T⁴/4 + a7.

    Parameters
    ----------
    name : str
        Species name in the vendored set (registry species and minor radicals such as OH).
    temperature_K : array_like
        Temperature [K], 200-5000 (validity of the polynomials).

    Returns
    -------
    numpy.ndarray
        g°/(RT) [-].

    References
    ----------
    .. [1] McBride, Gordon, Reno, NASA TM-4513 (1993).

    Examples
    --------
    >>> round(float(standard_gibbs_rt("H2O", 1000.0)), 3)
    -53.949
    """
    return _gibbs_rt((name,), _powers(_check_temperature(temperature_K)))[0]


def _check_temperature(temperature_K: ArrayLike) -> NDArray[np.float64]:
    return check_range(temperature_K, "temperature_K", low=200.0, high=5000.0, unit="K")


def _powers(t: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """T, T^2, T^3, T^4 and ln T: the temperature terms of the NASA polynomials."""
    return t, t**2, t**3, t**4, np.log(t)


@cache
def _nasa7_table(
    names: tuple[str, ...],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Midpoint temperatures (S,) and low and high coefficients (S, 7) of several species."""
    data = [_nasa7(n) for n in names]
    t_mid = np.array([d[0] for d in data])
    return t_mid, np.array([d[2] for d in data]), np.array([d[1] for d in data])


def _gibbs_rt(
    names: tuple[str, ...], powers: tuple[NDArray[np.float64], ...]
) -> NDArray[np.float64]:
    """g°/(RT) of :func:`standard_gibbs_rt` for several species (axis 0) from :func:`_powers`."""
    t_mid, low, high = _nasa7_table(names)
    out = np.empty((len(names), *np.shape(powers[0])))
    # writable C arrays: one compiled signature whatever the caller passed (read-only views)
    flat = (np.require(v, np.float64, ["C", "W"]).reshape(-1) for v in powers)
    _gibbs_points(*flat, t_mid, low, high, out.reshape(len(names), -1))
    return out


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _gibbs_points(
    t: NDArray[np.float64],
    t2: NDArray[np.float64],
    t3: NDArray[np.float64],
    t4: NDArray[np.float64],
    ln_t: NDArray[np.float64],
    t_mid: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    out: NDArray[np.float64],
) -> None:  # pragma: no cover - compiled
    """g°/(RT) = h°/RT - s°/R of species s (axis 0) at points i into ``out``.

    From the temperature terms of :func:`_powers` (NumPy's powers and logarithm, so that the
    result is the NumPy evaluation of the same expressions, tested equal) with the
    coefficients (``low`` below ``t_mid``, else ``high``); compiled because the NumPy form
    takes some thirty array operations per call.
    """
    for s in range(out.shape[0]):
        for i in range(t.size):
            a = low[s] if t[i] < t_mid[s] else high[s]
            h_rt = (
                a[0]
                + a[1] * t[i] / 2
                + a[2] * t2[i] / 3
                + a[3] * t3[i] / 4
                + a[4] * t4[i] / 5
                + a[5] / t[i]
            )
            s_r = (
                a[0] * ln_t[i]
                + a[1] * t[i]
                + a[2] * t2[i] / 2
                + a[3] * t3[i] / 3
                + a[4] * t4[i] / 4
                + a[6]
            )
            out[s, i] = h_rt - s_r


def ln_equilibrium_constant(
    reactants: dict[str, float], products: dict[str, float], temperature_K: ArrayLike
) -> NDArray[np.float64]:
    """Natural log of the equilibrium constant K_p of a gas reaction (standard state p°).

    ln K = -Δg°/(RT) = -(Σ ν_p g°_p - Σ ν_r g°_r)/(RT); K_p relates partial pressures divided
    by p° (:func:`reference_pressure`, 1 atm).

    Parameters
    ----------
    reactants, products : dict of str to float
        Stoichiometric coefficients [-], e.g. ``{"H2": 1, "O2": 0.5}`` and ``{"H2O": 1}``.
    temperature_K : array_like
        Temperature [K].

    Returns
    -------
    numpy.ndarray
        ln K_p [-].

    References
    ----------
    .. [1] P. Atkins, J. de Paula, *Physical Chemistry*, 9th ed. (2010), Sect. 6.2.

    Examples
    --------
    >>> round(float(ln_equilibrium_constant({"H2": 1, "O2": 0.5}, {"H2O": 1}, 1000.0)), 2)
    23.16
    """
    g = _gibbs_rt((*products, *reactants), _powers(_check_temperature(temperature_K)))
    nu = (*products.values(), *reactants.values())
    dg = sum(nu[i] * g[i] for i in range(len(products)))
    dg = dg - sum(nu[i] * g[i] for i in range(len(products), len(nu)))
    return -np.asarray(dg)


__all__ = ["ln_equilibrium_constant", "reference_pressure", "standard_gibbs_rt"]
