"""Heterogeneous (non-electrochemical) oxidation of fuels on electrode surfaces in lean gas.

Model (first order in the fuel, O2 in excess):

* the collision flux of species k on a wall is the Hertz-Knudsen flux
  ``Z = x_k P / sqrt(2 pi M_k R T)`` [mol/(m^2 s)];
* the oxidation rate per geometric area is ``r = gamma_eff Z`` with an effective reaction
  probability ``gamma_eff = gamma_Pt,k x roughness x a_cat(w)``: the initial sticking
  coefficient on Pt (Chatterjee, Deutschmann & Warnatz [1]_), the ratio of exposed metal to
  geometric area, and the Pt-Au activity :func:`mixpot.electrode.material.catalytic_activity`;
* equivalently ``r = k_s c`` with ``c = x P / (R T)`` and the surface rate constant
  ``k_s = gamma_eff sqrt(R T / (2 pi M))`` [m/s].

Assumptions: the fuel is the rate-limiting adsorbate on a surface that is otherwise free for it
(in lean gas Pt is largely O-covered, so the true reaction probability is lower; using the
initial sticking coefficient gives an upper bound, which is why Pt walls burn propene and CO at
the mass-transfer limit). Temperature enters only through the collision flux (sticking
coefficients of [1]_ are temperature independent).

Porous electrode layers (Thiele [3]_): a layer of thickness ``delta`` with first-order
volumetric rate constant ``k_v`` [1/s] and effective diffusivity ``D_eff`` has the Thiele modulus
``phi = delta sqrt(k_v / D_eff)``. With the gas at the outer face and the (impermeable)
electrolyte at the inner face the steady profile is ``c(z)/c0 = cosh(phi (1 - z/delta)) / cosh
phi``: the mean concentration over the layer (seen by triple-phase boundaries spread through
the layer) is the effectiveness factor ``tanh(phi)/phi``; the concentration at the electrolyte
interface (TPB in a thin functional zone there) is ``1/cosh(phi)``; the rest of the analyte that
enters is burned catalytically (TPB consumption is neglected in the profile).

References
----------
.. [1] D. Chatterjee, O. Deutschmann, J. Warnatz, Faraday Discuss. 119 (2001) 371.
.. [2] O. Deutschmann, R. Schmidt, F. Behrendt, J. Warnatz, Proc. Combust. Inst. 26 (1996)
   1747 (CH4 on Pt; Cantera's ``ptcombust.yaml``).
.. [3] E. W. Thiele, Ind. Eng. Chem. 31 (1939) 916; H. S. Fogler, *Elements of Chemical
   Reaction Engineering*, 4th ed. (2006), Sect. 12.2.
.. [4] G. A. Somorjai, *Introduction to Surface Chemistry and Catalysis*, Wiley (1994)
   (Hertz-Knudsen collision flux).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._numerics import compiled_rtsafe
from mixpot._validation import check_range
from mixpot.constants import GAS_CONSTANT
from mixpot.electrode.material import PtAuModel, catalytic_activity
from mixpot.gas.species import get as get_species

__all__ = [
    "DEFAULT_ROUGHNESS_FACTOR",
    "STICKING_COEFFICIENT_PT",
    "catalytic_oxidation_rate",
    "catalytic_rate_constant",
    "effective_reaction_probability",
    "effectiveness_factor",
    "hertz_knudsen_flux",
    "porous_layer_rate_constant",
    "surface_rate_constant",
    "thiele_modulus",
    "tpb_concentration_ratio",
]

Array = NDArray[np.float64]

STICKING_COEFFICIENT_PT: Mapping[str, float] = MappingProxyType(
    {
        # Chatterjee, Deutschmann, Warnatz, Faraday Discuss. 119 (2001) 371 (public_data.toml)
        "O2": 0.07,
        "C3H6": 0.98,
        "CO": 0.84,
        "H2": 0.046,
        "NO": 0.85,
        # CH4: 0.01 = dissociative sticking on free Pt sites of Deutschmann et al. (1996),
        # Cantera ptcombust.yaml. An upper bound in lean gas: the later mechanism of Quiceno
        # et al. (Appl. Catal. A 2006; Cantera methane_pox_on_pt.yaml) uses the activated
        # 9e-4 exp(-72 kJ/mol / RT), i.e. ~2e-7 at 1000 K. Uncertain by orders of magnitude.
        "CH4": 0.01,
        # C3H8: ESTIMATE 0.05. Secondary C-H bonds of propane are weaker than methane's (about
        # 410 vs 439 kJ/mol), and propane lights off on Pt well below methane but above
        # propene, so its reaction probability is put between CH4 (0.01) and C3H6 (0.98).
        "C3H8": 0.05,
        # NH3: ESTIMATE 0.5. NH3 adsorbs molecularly on Pt with high probability and its
        # oxidation on Pt gauzes (Ostwald process, 800-900 °C) is mass-transfer controlled,
        # which needs reaction probabilities of order 0.1-1.
        "NH3": 0.5,
    }
)
"""Initial sticking / reaction probabilities on Pt [-] (sources and estimates in comments)."""

ADSORPTION_SITES: Mapping[str, int] = MappingProxyType(
    {
        # free Pt sites taken by the rate-determining adsorption step (Chatterjee et al. 2001:
        # C3H6 + 2 Pt(s), CO + Pt(s), H2 + 2 Pt(s); Deutschmann et al. 1996: CH4 + 2 Pt(s));
        # C3H8 as C3H6 and NH3 one site: estimates
        "C3H6": 2,
        "C3H8": 2,
        "CH4": 2,
        "H2": 2,
        "CO": 1,
        "NH3": 1,
    }
)
"""Number of free Pt sites needed by the adsorption of each fuel [-]."""

PT_SITE_DENSITY: float = 2.72e-5
"""Surface site density of Pt [mol/m^2] (2.72e-9 mol/cm^2; Deutschmann et al. 1996,
Chatterjee et al. 2001)."""

O2_DESORPTION_PREFACTOR: float = 3.7e17
"""Pre-exponential factor of 2 O(s) -> O2 + 2 Pt(s) [m^2/(mol s)] (3.7e21 cm^2/(mol s)),
Chatterjee, Deutschmann, Warnatz (2001) mechanism, as reproduced in public implementations of
that mechanism (not checked against the original table)."""

O2_DESORPTION_ENERGY: tuple[float, float] = (232.2e3, 90.0e3)
"""Activation energy of O2 desorption E = E0 - E1 theta_O [J/mol] (same source)."""

DEFAULT_ROUGHNESS_FACTOR: float = 3.0
"""Exposed metal area per geometric area of a screen-printed electrode's outer surface [-].

*Estimate*: the top grain layer of a porous Pt cermet exposes 2-5 times its geometric area
(roughly hemispherical grains); deeper metal is handled by :func:`porous_layer_rate_constant`.
"""


def hertz_knudsen_flux(
    mole_fraction: ArrayLike,
    pressure_Pa: ArrayLike,
    temperature_K: ArrayLike,
    molar_mass_kg_per_mol: ArrayLike,
) -> Array:
    """Return the molecular collision flux on a wall (Hertz-Knudsen).

    ``Z = x P / sqrt(2 pi M R T)`` (= ``n v_mean / 4`` of kinetic theory, in mol).

    Parameters
    ----------
    mole_fraction : array_like
        Mole fraction of the species [-], 0-1.
    pressure_Pa : array_like
        Total pressure [Pa], > 0.
    temperature_K : array_like
        Gas temperature [K], > 0.
    molar_mass_kg_per_mol : array_like
        Molar mass of the species [kg/mol], > 0.

    Returns
    -------
    numpy.ndarray
        Collision flux [mol/(m^2 s)].

    References
    ----------
    .. [1] G. A. Somorjai, *Introduction to Surface Chemistry and Catalysis*, Wiley (1994).

    Examples
    --------
    >>> round(float(hertz_knudsen_flux(500e-6, 101325.0, 1000.0, 0.04208)), 3)
    1.081
    """
    x = check_range(mole_fraction, "mole_fraction", low=0.0, high=1.0, allow_nan=True)
    p = check_range(
        pressure_Pa, "pressure_Pa", low=0.0, low_inclusive=False, unit="Pa", allow_nan=True
    )
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    m = check_range(
        molar_mass_kg_per_mol,
        "molar_mass_kg_per_mol",
        low=0.0,
        low_inclusive=False,
        unit="kg/mol",
        allow_nan=True,
    )
    return x * p / np.sqrt(2.0 * np.pi * m * GAS_CONSTANT * t)


def surface_rate_constant(
    reaction_probability: ArrayLike, temperature_K: ArrayLike, molar_mass_kg_per_mol: ArrayLike
) -> Array:
    """Return the first-order surface rate constant of a wall reaction.

    ``k_s = gamma sqrt(R T / (2 pi M))``, so that the rate is ``k_s c`` with ``c = x P/(R T)``.

    Parameters
    ----------
    reaction_probability : array_like
        Effective reaction probability gamma_eff per geometric area [-], >= 0 (may exceed 1
        when a roughness factor is included).
    temperature_K : array_like
        Gas temperature [K], > 0.
    molar_mass_kg_per_mol : array_like
        Molar mass [kg/mol], > 0.

    Returns
    -------
    numpy.ndarray
        Surface rate constant [m/s].

    References
    ----------
    .. [1] G. A. Somorjai, *Introduction to Surface Chemistry and Catalysis*, Wiley (1994).

    Examples
    --------
    >>> round(float(surface_rate_constant(1.0, 1000.0, 0.04208)), 1)
    177.3
    """
    g = check_range(reaction_probability, "reaction_probability", low=0.0, allow_nan=True)
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    m = check_range(
        molar_mass_kg_per_mol,
        "molar_mass_kg_per_mol",
        low=0.0,
        low_inclusive=False,
        unit="kg/mol",
        allow_nan=True,
    )
    return g * np.sqrt(GAS_CONSTANT * t / (2.0 * np.pi * m))


def _sticking(species: str, sticking: Mapping[str, float] | None) -> float:
    table = STICKING_COEFFICIENT_PT if sticking is None else sticking
    if species not in table:
        raise ValueError(
            f"species = {species!r} has no sticking coefficient; known: {', '.join(table)}"
        )
    value = float(table[species])
    check_range(value, f"sticking[{species!r}]", low=0.0, high=1.0)
    return value


def pt_free_site_fraction(temperature_K: ArrayLike, p_o2_Pa: ArrayLike) -> Array:
    """Return the fraction of free Pt sites under O2 (adsorption-desorption equilibrium).

    In lean gas a Pt surface is mostly covered with atomic oxygen, so a fuel molecule that
    needs n free sites adsorbs with probability s0 theta_free^n rather than its clean-surface
    sticking coefficient s0. With dissociative O2 adsorption (sticking 0.07) and second-order
    desorption with a coverage-dependent activation energy (Chatterjee et al. 2001),

    ``s_O2 (1 - theta)^2 p/sqrt(2 pi M R T) = A exp(-(E0 - E1 theta)/RT) (Gamma theta)^2``,

    solved for theta_O (other adsorbates neglected: they are dilute in lean exhaust).

    Parameters
    ----------
    temperature_K : array_like
        Surface temperature [K], > 0.
    p_o2_Pa : array_like
        O2 partial pressure [Pa], >= 0.

    Returns
    -------
    numpy.ndarray
        theta_free = 1 - theta_O [-].

    References
    ----------
    .. [1] D. Chatterjee, O. Deutschmann, J. Warnatz, Faraday Discuss. 119 (2001) 371.
    .. [2] O. Deutschmann, R. Schmidt, F. Behrendt, J. Warnatz, Proc. Combust. Inst. 26 (1996)
       1747.

    Examples
    --------
    >>> round(float(pt_free_site_fraction(1000.0, 5000.0)), 2)
    0.23
    """
    t = check_range(temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K")
    p = check_range(p_o2_Pa, "p_o2_Pa", low=0.0, unit="Pa")
    t, p = np.broadcast_arrays(t, p)
    rt = GAS_CONSTANT * t
    m_o2 = get_species("O2").molar_mass
    adsorption = STICKING_COEFFICIENT_PT["O2"] * hertz_knudsen_flux(1.0, p, t, m_o2)
    desorption = O2_DESORPTION_PREFACTOR * PT_SITE_DENSITY**2

    # a sweep at one temperature and pressure (a characteristic curve, the chamber held at its
    # setpoint) has the same root at every point: solved once (a search for repeated pairs
    # among distinct points would cost more than it saves)
    rt, adsorption = rt.reshape(-1), np.reshape(adsorption, -1)
    same = rt.size > 1 and bool(np.all(rt == rt[0]) and np.all(adsorption == adsorption[0]))
    theta = np.empty(1 if same else rt.size)
    _o2_coverage(rt[: theta.size], adsorption[: theta.size], desorption, theta)
    return 1.0 - np.broadcast_to(theta, t.size).reshape(t.shape)


def _o2_balance(theta: Any, rt: Any, adsorption: Any, desorption: Any) -> tuple[Any, Any]:
    """Return the O2 adsorption-desorption balance and its slope in the coverage theta_O.

    Increasing in theta (:func:`pt_free_site_fraction`). Written for NumPy arrays and floats:
    compiled for floats in :func:`_o2_balance_point`; the NumPy form serves the test against
    the vectorised :func:`mixpot._numerics.solve_monotone`.
    """
    e0, e1 = O2_DESORPTION_ENERGY
    d = desorption * np.exp(-(e0 - e1 * theta) / rt)
    f = d * theta**2 - adsorption * (1.0 - theta) ** 2
    df = d * theta * (2.0 + e1 * theta / rt) + 2.0 * adsorption * (1.0 - theta)
    return f, df


_o2_balance_point = numba.njit(cache=True, nogil=True, error_model="numpy")(_o2_balance)
""":func:`_o2_balance` compiled for floats (the same source)."""

_o2_coverage_point = compiled_rtsafe(_o2_balance_point)
"""Compiled root of :func:`_o2_balance` for one point (:func:`mixpot._numerics.compiled_rtsafe`)."""


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _o2_coverage(
    rt: Array, adsorption: Array, desorption: float, out: Array
) -> None:  # pragma: no cover - compiled
    """O2 coverage theta_O of every point, into ``out``.

    The root of :func:`_o2_balance` on [0, 1] with ``xtol = 1e-12`` (NaN where there is no
    bracket), point by point in compiled code (:data:`_o2_coverage_point`).
    """
    for i in range(out.size):
        args = (rt[i], adsorption[i], desorption)
        out[i] = _o2_coverage_point(args, 0.0, 1.0, np.nan, 1e-12, 0.0, 200)[0]


def effective_reaction_probability(
    species: str,
    gold_wt_percent: ArrayLike = 0.0,
    roughness_factor: ArrayLike = DEFAULT_ROUGHNESS_FACTOR,
    sticking: Mapping[str, float] | None = None,
    model: PtAuModel | None = None,
) -> Array:
    """Return gamma_eff = gamma_Pt x roughness x a_cat(w) per geometric area.

    Parameters
    ----------
    species : str
        Species formula (a key of ``sticking``).
    gold_wt_percent : array_like
        Gold content of the electrode [wt%], 0-100; default 0 (pure Pt).
    roughness_factor : array_like
        Exposed metal area per geometric area [-], >= 0; default
        :data:`DEFAULT_ROUGHNESS_FACTOR` (estimate).
    sticking : Mapping[str, float], optional
        Sticking coefficients on Pt [-]; default :data:`STICKING_COEFFICIENT_PT`.
    model : PtAuModel, optional
        Pt-Au model; default :class:`~mixpot.electrode.material.PtAuModel()`.

    Returns
    -------
    numpy.ndarray
        Effective reaction probability [-].

    Raises
    ------
    ValueError
        For an unknown species or out-of-range inputs.

    References
    ----------
    .. [1] D. Chatterjee, O. Deutschmann, J. Warnatz, Faraday Discuss. 119 (2001) 371.

    Examples
    --------
    >>> round(float(effective_reaction_probability("C3H6", 0.0, 1.0)), 2)
    0.98
    """
    gamma = _sticking(species, sticking)
    rough = check_range(roughness_factor, "roughness_factor", low=0.0, allow_nan=True)
    return gamma * rough * catalytic_activity(gold_wt_percent, model)


def catalytic_rate_constant(
    species: str,
    temperature_K: ArrayLike,
    gold_wt_percent: ArrayLike = 0.0,
    roughness_factor: ArrayLike = DEFAULT_ROUGHNESS_FACTOR,
    sticking: Mapping[str, float] | None = None,
    model: PtAuModel | None = None,
) -> Array:
    """Return the surface rate constant k_s of catalytic fuel oxidation on an electrode.

    ``k_s = gamma_eff sqrt(R T / (2 pi M))``; the rate per geometric area is ``k_s c``.

    Parameters
    ----------
    species : str
        Species formula.
    temperature_K : array_like
        Temperature [K], > 0.
    gold_wt_percent : array_like
        Gold content [wt%], 0-100; default 0.
    roughness_factor : array_like
        Exposed metal area per geometric area [-]; default 3 (estimate).
    sticking : Mapping[str, float], optional
        Sticking coefficients on Pt [-].
    model : PtAuModel, optional
        Pt-Au model.

    Returns
    -------
    numpy.ndarray
        Surface rate constant [m/s].

    References
    ----------
    .. [1] D. Chatterjee, O. Deutschmann, J. Warnatz, Faraday Discuss. 119 (2001) 371.

    Examples
    --------
    >>> round(float(catalytic_rate_constant("C3H6", 1000.0, 0.0, 1.0)), 0)
    174.0
    """
    gamma = effective_reaction_probability(
        species, gold_wt_percent, roughness_factor, sticking, model
    )
    return surface_rate_constant(gamma, temperature_K, get_species(species).molar_mass)


def catalytic_oxidation_rate(
    species: str,
    mole_fraction: ArrayLike,
    pressure_Pa: ArrayLike,
    temperature_K: ArrayLike,
    gold_wt_percent: ArrayLike = 0.0,
    roughness_factor: ArrayLike = DEFAULT_ROUGHNESS_FACTOR,
    sticking: Mapping[str, float] | None = None,
    model: PtAuModel | None = None,
) -> Array:
    """Return the catalytic oxidation rate of a fuel per geometric electrode area.

    ``r = gamma_eff x P / sqrt(2 pi M R T)`` (first order, lean gas).

    Parameters
    ----------
    species : str
        Species formula.
    mole_fraction : array_like
        Fuel mole fraction next to the surface [-], 0-1.
    pressure_Pa : array_like
        Total pressure [Pa], > 0.
    temperature_K : array_like
        Temperature [K], > 0.
    gold_wt_percent : array_like
        Gold content [wt%], 0-100; default 0.
    roughness_factor : array_like
        Exposed metal area per geometric area [-]; default 3 (estimate).
    sticking : Mapping[str, float], optional
        Sticking coefficients on Pt [-].
    model : PtAuModel, optional
        Pt-Au model.

    Returns
    -------
    numpy.ndarray
        Oxidation rate [mol/(m^2 s)].

    References
    ----------
    .. [1] D. Chatterjee, O. Deutschmann, J. Warnatz, Faraday Discuss. 119 (2001) 371.

    Examples
    --------
    >>> round(float(catalytic_oxidation_rate("C3H6", 500e-6, 101325.0, 1000.0, 0.0, 1.0)), 3)
    1.059
    """
    gamma = effective_reaction_probability(
        species, gold_wt_percent, roughness_factor, sticking, model
    )
    return gamma * hertz_knudsen_flux(
        mole_fraction, pressure_Pa, temperature_K, get_species(species).molar_mass
    )


def thiele_modulus(
    thickness_m: ArrayLike,
    rate_constant_per_s: ArrayLike,
    effective_diffusivity_m2_per_s: ArrayLike,
) -> Array:
    """Return the Thiele modulus of a porous layer with a first-order reaction.

    ``phi = delta sqrt(k_v / D_eff)``.

    Parameters
    ----------
    thickness_m : array_like
        Layer thickness delta [m], >= 0.
    rate_constant_per_s : array_like
        Volumetric first-order rate constant k_v [1/s], >= 0 (e.g. ``k_s a_v`` with the metal
        surface per layer volume a_v [1/m]).
    effective_diffusivity_m2_per_s : array_like
        Effective diffusivity of the species in the layer D_eff [m^2/s], > 0.

    Returns
    -------
    numpy.ndarray
        Thiele modulus [-].

    References
    ----------
    .. [1] E. W. Thiele, Ind. Eng. Chem. 31 (1939) 916.

    Examples
    --------
    >>> round(float(thiele_modulus(10e-6, 1e6, 1e-6)), 1)
    10.0
    """
    d = check_range(thickness_m, "thickness_m", low=0.0, unit="m", allow_nan=True)
    k = check_range(rate_constant_per_s, "rate_constant_per_s", low=0.0, unit="1/s", allow_nan=True)
    dif = check_range(
        effective_diffusivity_m2_per_s,
        "effective_diffusivity_m2_per_s",
        low=0.0,
        low_inclusive=False,
        unit="m^2/s",
        allow_nan=True,
    )
    return d * np.sqrt(k / dif)


def _phi(thiele: ArrayLike) -> Array:
    return check_range(thiele, "thiele_modulus", low=0.0, allow_nan=True)


def effectiveness_factor(thiele: ArrayLike) -> Array:
    """Return the effectiveness factor tanh(phi)/phi of a porous layer (slab, sealed back).

    It is the mean analyte concentration in the layer relative to the outer surface, i.e. the
    fraction of the analyte seen by triple-phase boundaries spread uniformly through the layer;
    ``1 - tanh(phi)/phi`` is the relative concentration deficit caused by catalytic burning.
    Limits: 1 for phi -> 0, 1/phi for phi -> inf.

    Parameters
    ----------
    thiele : array_like
        Thiele modulus phi [-], >= 0.

    Returns
    -------
    numpy.ndarray
        Effectiveness factor [-], in (0, 1].

    References
    ----------
    .. [1] E. W. Thiele, Ind. Eng. Chem. 31 (1939) 916.

    Examples
    --------
    >>> [round(float(v), 3) for v in effectiveness_factor([0.0, 1.0, 100.0])]
    [1.0, 0.762, 0.01]
    """
    phi = _phi(thiele)
    small = phi < 1e-4
    safe = np.where(small, 1.0, phi)
    return np.where(small, 1.0 - phi**2 / 3.0, np.tanh(safe) / safe)


def tpb_concentration_ratio(thiele: ArrayLike) -> Array:
    """Return the analyte concentration at the electrolyte interface relative to the surface.

    ``c(delta)/c0 = 1/cosh(phi)``: the fraction that reaches triple-phase boundaries located at
    the electrode/electrolyte interface; the rest is burned on the way.

    Parameters
    ----------
    thiele : array_like
        Thiele modulus phi [-], >= 0.

    Returns
    -------
    numpy.ndarray
        Concentration ratio [-], in [0, 1].

    References
    ----------
    .. [1] H. S. Fogler, *Elements of Chemical Reaction Engineering*, 4th ed. (2006), 12.2.

    Examples
    --------
    >>> round(float(tpb_concentration_ratio(1.0)), 3)
    0.648
    """
    phi = _phi(thiele)
    e = np.exp(-phi)  # 1/cosh = 2 e^-phi / (1 + e^-2phi): no overflow for large phi
    return 2.0 * e / (1.0 + e * e)


def porous_layer_rate_constant(
    thickness_m: ArrayLike,
    rate_constant_per_s: ArrayLike,
    effective_diffusivity_m2_per_s: ArrayLike,
) -> Array:
    """Return the apparent surface rate constant of a catalytic porous layer.

    The flux burned per geometric area is ``k_app c0`` with
    ``k_app = k_v delta tanh(phi)/phi = sqrt(k_v D_eff) tanh(phi)``: ``k_v delta`` (all of the
    layer active) for phi -> 0, ``sqrt(k_v D_eff)`` (only a penetration depth) for phi -> inf.

    Parameters
    ----------
    thickness_m : array_like
        Layer thickness [m], >= 0.
    rate_constant_per_s : array_like
        Volumetric first-order rate constant k_v [1/s], >= 0.
    effective_diffusivity_m2_per_s : array_like
        Effective diffusivity in the layer [m^2/s], > 0.

    Returns
    -------
    numpy.ndarray
        Apparent rate constant per geometric area [m/s].

    References
    ----------
    .. [1] E. W. Thiele, Ind. Eng. Chem. 31 (1939) 916.

    Examples
    --------
    >>> round(float(porous_layer_rate_constant(10e-6, 1e4, 1e-6)), 4)
    0.0762
    """
    phi = thiele_modulus(thickness_m, rate_constant_per_s, effective_diffusivity_m2_per_s)
    k = np.asarray(rate_constant_per_s, dtype=float)
    return k * np.asarray(thickness_m, dtype=float) * effectiveness_factor(phi)
