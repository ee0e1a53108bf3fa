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
    t = check_range(temperature_K, "temperature_K", low=200.0, high=5000.0, unit="K")
    t_mid, high, low = _nasa7(name)
    a = np.where(t[..., None] < t_mid, low, high) if t.ndim else (low if t < t_mid else high)
    a = np.moveaxis(np.asarray(a), -1, 0)
    h_rt = a[0] + a[1] * t / 2 + a[2] * t**2 / 3 + a[3] * t**3 / 4 + a[4] * t**4 / 5 + a[5] / t
    s_r = a[0] * np.log(t) + a[1] * t + a[2] * t**2 / 2 + a[3] * t**3 / 3 + a[4] * t**4 / 4 + a[6]
    return h_rt - s_r


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
    dg = sum(nu * standard_gibbs_rt(n, temperature_K) for n, nu in products.items())
    dg = dg - sum(nu * standard_gibbs_rt(n, temperature_K) for n, nu in reactants.items())
    return -np.asarray(dg)


__all__ = ["ln_equilibrium_constant", "reference_pressure", "standard_gibbs_rt"]
