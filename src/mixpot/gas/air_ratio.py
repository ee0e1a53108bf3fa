"""Air ratio (lambda) of exhaust gas, and the exhaust of a fuel burned at a given lambda.

The fuel is described by its atomic ratios, C H_y O_z (H/C = y, O/C = z). Dry air is taken as
O2 with mole fraction :data:`mixpot.constants.AIR_O2_FRACTION` and the rest lumped as N2, as the
Bosch LSU data sheet does (lambda = (x/3 + 1)/(1 - 4.77 x) for O2 in N2 and H/C = 2).

References
----------
.. [1] J. Brettschneider, "Berechnung des Luftverhältnisses lambda von Luft-Kraftstoff-Gemischen
   und des Einflusses von Meßfehlern auf lambda", Bosch Technische Berichte 6 (1979) 177-186.
.. [2] Robert Bosch GmbH, "Lambda sensor LSU 4.9", Technical Product Information
   Y 258 E00 015e (2005): lambda of O2 in N2 test gas.
.. [3] J. B. Heywood, *Internal Combustion Engine Fundamentals*, McGraw-Hill (1988), Sect. 4.9
   (combustion products, water-gas shift in rich exhaust).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import check_range
from mixpot.constants import AIR_O2_FRACTION
from mixpot.gas.mixture import Composition, composition, element_totals
from mixpot.gas.species import HYDROCARBONS, OXIDIZABLE, get

DEFAULT_H_TO_C = 1.85
"""Default fuel H/C atomic ratio [-] (gasoline, typical value used by Bosch for lambda)."""

BRETTSCHNEIDER_WGS_CONSTANT = 3.5
"""Water-gas constant K = [CO][H2O]/([CO2][H2]) [-] of the Brettschneider formula [1]_."""

_AIR_N2_PER_O2 = (1.0 - AIR_O2_FRACTION) / AIR_O2_FRACTION


def _fuel(h_to_c: ArrayLike, o_to_c: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    y = check_range(h_to_c, "fuel_h_to_c", low=0.0, high=4.0)
    z = check_range(o_to_c, "fuel_o_to_c", low=0.0, high=2.0)
    a = 1.0 + y / 4.0 - z / 2.0
    if np.any(a <= 0.0):
        raise ValueError("fuel with H/C and O/C giving no O2 demand (1 + y/4 - z/2 <= 0)")
    return y, z, a


def stoichiometric_o2_demand(
    h_to_c: ArrayLike = DEFAULT_H_TO_C, o_to_c: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Return the O2 needed to burn one mole of fuel carbon, 1 + y/4 - z/2 [mol O2/mol C].

    Parameters
    ----------
    h_to_c : array_like
        Fuel H/C atomic ratio y [-], 0-4.
    o_to_c : array_like
        Fuel O/C atomic ratio z [-], 0-2.

    Returns
    -------
    numpy.ndarray
        O2 demand per C atom [-].

    References
    ----------
    .. [1] Heywood (1988), Eq. 3.5.

    Examples
    --------
    >>> float(stoichiometric_o2_demand(2.0))
    1.5
    """
    return _fuel(h_to_c, o_to_c)[2]


def lambda_brettschneider(
    gas: Mapping[str, ArrayLike] | Composition,
    h_to_c: ArrayLike = DEFAULT_H_TO_C,
    o_to_c: ArrayLike = 0.0,
    wgs_constant: float = BRETTSCHNEIDER_WGS_CONSTANT,
) -> NDArray[np.float64]:
    """Air ratio of an exhaust composition by the Brettschneider formula.

    .. math::

        \\lambda = \\frac{[CO_2] + \\frac{[CO]}{2} + [O_2] + \\frac{[NO]}{2}
        + \\left(\\frac{y}{4}\\frac{K}{K + [CO]/[CO_2]} - \\frac{z}{2}\\right)([CO_2] + [CO])}
        {\\left(1 + \\frac{y}{4} - \\frac{z}{2}\\right)([CO_2] + [CO] + [HC]_{C1})}

    with [HC]_C1 the hydrocarbons counted per carbon atom. The formula is homogeneous of degree
    zero in the concentrations, so wet and dry mole fractions give the same lambda. H2O and H2
    are not used: the formula infers them from the fuel H/C and the water-gas constant K.

    Parameters
    ----------
    gas : mapping or Composition
        Exhaust mole fractions [-] (N2 balance), see :func:`mixpot.gas.composition`.
    h_to_c : array_like
        Fuel H/C atomic ratio y [-].
    o_to_c : array_like
        Fuel O/C atomic ratio z [-].
    wgs_constant : float
        K = [CO][H2O]/([CO2][H2]) [-], 3.5 in [1]_.

    Returns
    -------
    numpy.ndarray
        Lambda [-]. A gas without carbon species has no fuel: lambda is +inf if it contains
        oxygen and NaN if it contains neither carbon nor oxygen.

    References
    ----------
    .. [1] Brettschneider, Bosch Technische Berichte 6 (1979) 177.

    Examples
    --------
    >>> round(float(lambda_brettschneider({"CO2": 0.1, "O2": 0.05, "H2O": 0.1})), 4)
    1.3419
    """
    y, z, a = _fuel(h_to_c, o_to_c)
    c = composition(gas)
    co2, co, o2, no = c["CO2"], c["CO"], c["O2"], c["NO"]
    hc = sum(get(n).elements["C"] * c[n] for n in HYDROCARBONS)
    carbon = co2 + co
    with np.errstate(divide="ignore", invalid="ignore"):
        water_share = np.where(co > 0.0, wgs_constant / (wgs_constant + co / co2), 1.0)
        num = co2 + co / 2.0 + o2 + no / 2.0 + (y / 4.0 * water_share - z / 2.0) * carbon
        den = a * (carbon + hc)
        lam = num / den
    return np.asarray(lam, dtype=float)


def lambda_element_balance(
    gas: Mapping[str, ArrayLike] | Composition, o_to_c: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Air ratio from the element balance of a complete (wet) exhaust composition.

    lambda = (n_O - z n_C) / (2 n_C + n_H/2 - z n_C): the oxygen brought by air divided by the
    oxygen needed to turn all C into CO2 and all H into H2O (N ends as N2). Element totals are
    conserved by every reaction, so this is exact for any exhaust whose H and C all come from the
    fuel (no humid air, no additive) and whose composition is complete, H2O included.

    Parameters
    ----------
    gas : mapping or Composition
        Wet exhaust mole fractions [-] (N2 balance).
    o_to_c : array_like
        Fuel O/C atomic ratio z [-].

    Returns
    -------
    numpy.ndarray
        Lambda [-]; +inf without fuel elements, NaN for pure N2.

    References
    ----------
    .. [1] Heywood (1988), Sect. 4.9.

    Examples
    --------
    >>> round(float(lambda_element_balance({"CO2": 0.1, "O2": 0.05, "H2O": 0.1})), 4)
    1.3333
    """
    z = check_range(o_to_c, "fuel_o_to_c", low=0.0, high=2.0)
    e = element_totals(gas)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = (e["O"] - z * e["C"]) / (2.0 * e["C"] + e["H"] / 2.0 - z * e["C"])
    return np.asarray(lam, dtype=float)


def o2_fraction_at_lambda(
    lambda_: ArrayLike, h_to_c: ArrayLike = DEFAULT_H_TO_C, o_to_c: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """O2 mole fraction of the wet exhaust of a fuel burned completely at a lean lambda.

    C H_y O_z + lambda·a (O2 + psi N2) -> CO2 + y/2 H2O + (lambda - 1) a O2 + lambda a psi N2
    with a = 1 + y/4 - z/2 and psi the N2/O2 ratio of air, so

    x_O2 = (lambda - 1) a / (1 + y/2 + (lambda - 1) a + lambda a psi).

    Parameters
    ----------
    lambda_ : array_like
        Air ratio [-], >= 1 (lean or stoichiometric), inf allowed (air).
    h_to_c, o_to_c : array_like
        Fuel H/C and O/C atomic ratios [-].

    Returns
    -------
    numpy.ndarray
        O2 mole fraction [-].

    References
    ----------
    .. [1] Heywood (1988), Sect. 3.4; Bosch LSU 4.9 TPI (2005) for H/C = 2.

    Examples
    --------
    >>> round(float(o2_fraction_at_lambda(1.3, h_to_c=2.0)), 4)
    0.0459
    """
    lam = check_range(lambda_, "lambda", low=1.0)
    y, _, a = _fuel(h_to_c, o_to_c)
    with np.errstate(invalid="ignore"):
        x = (lam - 1.0) * a / (1.0 + y / 2.0 + (lam - 1.0) * a + lam * a * _AIR_N2_PER_O2)
    return np.where(np.isinf(lam), AIR_O2_FRACTION, x)


def lambda_from_o2_fraction(
    o2_fraction: ArrayLike, h_to_c: ArrayLike = DEFAULT_H_TO_C, o_to_c: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Lambda of a lean exhaust from its O2 fraction (inverse of :func:`o2_fraction_at_lambda`).

    lambda = (a + x (1 + y/2 - a)) / (a (1 - x (1 + psi))); for H/C = 2 this is the LSU data
    sheet's lambda = (x/3 + 1)/(1 - 4.77 x) for O2 in N2 test gas.

    Parameters
    ----------
    o2_fraction : array_like
        O2 mole fraction x [-], 0 <= x <= O2 fraction of air.
    h_to_c, o_to_c : array_like
        Fuel H/C and O/C atomic ratios [-].

    Returns
    -------
    numpy.ndarray
        Lambda [-] (+inf for air).

    References
    ----------
    .. [1] Bosch LSU 4.9 Technical Product Information Y 258 E00 015e (2005).

    Examples
    --------
    >>> round(float(lambda_from_o2_fraction(0.10, h_to_c=2.0)), 4)
    1.977
    """
    x = check_range(o2_fraction, "O2 mole fraction", low=0.0, high=AIR_O2_FRACTION)
    y, _, a = _fuel(h_to_c, o_to_c)
    den = a * (1.0 - x / AIR_O2_FRACTION)  # 1 + psi = 1/x_air; exact zero for air
    with np.errstate(divide="ignore"):
        lam = (a + x * (1.0 + y / 2.0 - a)) / den
    return np.where(den <= 0.0, np.inf, lam)


def o2_excess(gas: Mapping[str, ArrayLike] | Composition) -> NDArray[np.float64]:
    """Oxygen excess of a gas: its O2 minus the O2 its oxidizable species need [-].

    ``x_ex = x_O2 - sum_k nu_k x_k`` over the oxidizable species (nu_k their stoichiometric O2
    demand, e.g. 1/2 for CO and H2, 4.5 for C3H6). It is the O2 fraction of a lean exhaust
    that carries no oxidizable gas, and the (negative) O2 deficit of a rich one: the quantity a
    wideband sensor's pump current measures on both sides of lambda = 1.

    Parameters
    ----------
    gas : mapping or Composition
        Mole fractions [-] (N2 balance).

    Returns
    -------
    numpy.ndarray
        Oxygen excess [-], negative in rich gas.

    References
    ----------
    .. [1] Heywood (1988), Sect. 3.4 (element balance of combustion products).

    Examples
    --------
    >>> round(float(o2_excess({"CO": 0.02, "H2": 0.01})), 4)
    -0.015
    """
    comp = composition(gas)
    out = comp["O2"].copy()
    for name in OXIDIZABLE:
        out = out - get(name).o2_demand * comp[name]
    return out


def lambda_from_o2_excess(
    o2_excess: ArrayLike, h_to_c: ArrayLike = DEFAULT_H_TO_C, o_to_c: ArrayLike = 0.0
) -> NDArray[np.float64]:
    """Lambda of a fuel's exhaust from its oxygen excess, lean and rich (:func:`o2_excess`).

    Per mole of fuel carbon the products hold (lambda - 1) a of oxygen excess (a = 1 + y/4 - z/2)
    in a total of 1 + y/2 + lambda a psi moles plus, when lean, the (lambda - 1) a moles of
    O2: the rich products CO + CO2 = 1 and H2 + H2O = y/2 whatever the water-gas split. So

    * lean (x >= 0): lambda = (a + x (1 + y/2 - a)) / (a (1 - x (1 + psi))) (as
      :func:`lambda_from_o2_fraction`);
    * rich (x < 0): lambda = (a + x (1 + y/2)) / (a (1 - x psi)).

    Parameters
    ----------
    o2_excess : array_like
        Oxygen excess x [-], from -0.5 up to the O2 fraction of air.
    h_to_c, o_to_c : array_like
        Fuel H/C and O/C atomic ratios [-].

    Returns
    -------
    numpy.ndarray
        Lambda [-] (+inf for air).

    References
    ----------
    .. [1] Heywood (1988), Sect. 3.4 and 4.9.

    Examples
    --------
    >>> ex = combustion_exhaust(0.8, h_to_c=1.85)
    >>> round(float(lambda_from_o2_excess(o2_excess(ex), h_to_c=1.85)), 6)
    0.8
    """
    x = check_range(o2_excess, "oxygen excess", low=-0.5, high=AIR_O2_FRACTION)
    y, _, a = _fuel(h_to_c, o_to_c)
    rich = (a + x * (1.0 + y / 2.0)) / (a * (1.0 - x * _AIR_N2_PER_O2))
    return np.where(x < 0.0, rich, lambda_from_o2_fraction(np.maximum(x, 0.0), y, o_to_c))


def combustion_exhaust(
    lambda_: ArrayLike,
    h_to_c: ArrayLike = DEFAULT_H_TO_C,
    o_to_c: ArrayLike = 0.0,
    wgs_constant: float = BRETTSCHNEIDER_WGS_CONSTANT,
) -> Composition:
    """Wet exhaust of a fuel C H_y O_z burned completely with air at lambda.

    Lean (lambda >= 1): CO2, H2O, excess O2 and N2. Rich: the missing oxygen leaves CO and H2
    whose split obeys the water-gas constant K = [CO][H2O]/([CO2][H2]) (3.5 as assumed by
    Brettschneider), which gives per mole of fuel carbon, with c = n_CO and d = z + 2 lambda a - 2,
    (1 - K) c^2 + (d + K (y/2 - d) + K) c - K (y/2 - d) = 0.

    Parameters
    ----------
    lambda_ : array_like
        Air ratio [-], 0.5-inf.
    h_to_c, o_to_c : array_like
        Fuel H/C and O/C atomic ratios [-].
    wgs_constant : float
        Water-gas constant K [-] for the rich side.

    Returns
    -------
    Composition
        Exhaust mole fractions [-].

    References
    ----------
    .. [1] Heywood (1988), Sect. 4.9; Brettschneider (1979).

    Examples
    --------
    >>> ex = combustion_exhaust(0.9, h_to_c=2.0)
    >>> round(float(ex["CO"]), 4), round(float(ex["H2"]), 4)
    (0.0316, 0.0107)
    """
    lam = check_range(lambda_, "lambda", low=0.5)
    y, z, a = _fuel(h_to_c, o_to_c)
    lam, y, z, a = np.broadcast_arrays(lam, y, z, a)
    finite = np.isfinite(lam)
    lam_f = np.where(finite, lam, 1.0)
    k = wgs_constant
    d = z + 2.0 * lam_f * a - 2.0
    h = y / 2.0
    # rich-side quadratic in c = n_CO; its relevant root (0 <= c <= 1) by the stable formula
    qa, qb, qc = 1.0 - k, d + k * (h - d) + k, -k * (h - d)
    disc = np.sqrt(np.maximum(qb * qb - 4.0 * qa * qc, 0.0))
    c_rich = np.where(qb > 0, -2.0 * qc / (qb + disc), (-qb + disc) / (2.0 * qa))
    rich = lam_f < 1.0
    n_co = np.where(rich, c_rich, 0.0)
    n_co2 = 1.0 - n_co
    n_h2o = np.where(rich, d + n_co, h)
    n_h2 = h - n_h2o
    n_o2 = np.where(rich, 0.0, (lam_f - 1.0) * a)
    n_n2 = lam_f * a * _AIR_N2_PER_O2
    total = n_co + n_co2 + n_h2o + n_h2 + n_o2 + n_n2
    fractions = {
        "CO": n_co / total,
        "CO2": n_co2 / total,
        "H2O": n_h2o / total,
        "H2": n_h2 / total,
        "O2": n_o2 / total,
    }
    air = {"CO": 0.0, "CO2": 0.0, "H2O": 0.0, "H2": 0.0, "O2": AIR_O2_FRACTION}
    return composition({n: np.where(finite, v, air[n]) for n, v in fractions.items()})
