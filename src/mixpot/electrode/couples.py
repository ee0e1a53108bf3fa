"""Reversible fuel/product couples on Pt: H2/H2O and CO/CO2, the chemistry of rich gas.

A platinum electrode on zirconia is a good hydrogen (and a fair CO) electrode: in rich gas
its potential is set by the couples

    H2 + O^2- <=> H2O + 2 e-,        CO + O^2- <=> CO2 + 2 e-,

run in both directions: anodic oxidation of the fuel where the pump electrode supplies oxygen
to a rich chamber, cathodic reduction of H2O and CO2 at the outer pump electrode that takes the
pumped oxygen from rich exhaust (as a wideband lambda sensor does). These couples exist next to
the irreversible, slow fuel oxidation of :data:`mixpot.electrode.material.FUEL_OXIDATION_KINETICS`
that sets the lean mixed potential of Pt-Au; they need Pt ensembles (dissociative H2 and CO
chemistry on Pt), so their rate scales with the Pt-Au catalytic activity
:func:`mixpot.electrode.material.catalytic_activity` and vanishes on the gold-rich surfaces of
the patent's electrodes.

Equations (mass-action Butler-Volmer of a couple with n = 2 electrons, fuel ``f`` and product
``p``, mole fractions at the electrode; Bard & Faulkner [1]_, eq. 3.3.11 with the
concentrations written as mole fractions):

    i = n F c k_s [x_f exp(alpha n f_T (E - E0)) - x_p exp(-(1 - alpha) n f_T (E - E0))],

    E_eq = E0 + (R T / n F) ln(x_p / x_f),

    E0 = (R T / 4 F) [ln(p0 / p_ref) - 2 ln K],

where ``K`` is the equilibrium constant of ``f + 1/2 O2 = p`` (NASA-7 data of the vendored
mechanism, :func:`mixpot.gas.thermo.ln_equilibrium_constant`), ``p0`` the standard pressure,
``p_ref`` the O2 partial pressure at the reference electrode, so that ``E`` and ``E0`` are on
the scale of the reference electrode (the O2 couple in reference air): E_eq of a couple is the
Nernst potential of the O2 pressure the couple is in equilibrium with. The exchange current is
``i0 = n F c k_s x_f^(1 - alpha) x_p^alpha``.

References
----------
.. [1] A. J. Bard, L. R. Faulkner, *Electrochemical Methods*, 2nd ed., Wiley (2001), Sect. 3.3.
.. [2] J. Mizusaki, H. Tagawa, K. Isobe, M. Tajika, I. Koshiro, H. Maruyama, K. Hirano,
   J. Electrochem. Soc. 141 (1994) 1674 (H2-H2O | porous Pt | YSZ electrode kinetics).
.. [3] G. S. Lauvstad, R. Tunold, S. Sunde, J. Electrochem. Soc. 149 (2002) E497 and E506
   (CO-CO2 | Pt | YSZ: slower than H2-H2O).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import check_range
from mixpot.constants import FARADAY, GAS_CONSTANT
from mixpot.electrode.kinetics import arrhenius
from mixpot.electrode.material import PtAuModel, catalytic_activity
from mixpot.gas.thermo import ln_equilibrium_constant, reference_pressure

__all__ = [
    "FUEL_COUPLES",
    "FuelCoupleKinetics",
    "couple_current",
    "couple_rate_constant",
    "couple_standard_potential",
]

Array = NDArray[np.float64]

_EV = FARADAY
"""1 eV per particle in J/mol."""


@dataclass(frozen=True)
class FuelCoupleKinetics:
    """A reversible fuel/product couple on porous Pt/YSZ (per geometric electrode area).

    Attributes
    ----------
    product : str
        Oxidation product (``"H2O"`` or ``"CO2"``).
    i0_ref : float
        Exchange current density on Pt at ``x_f = x_p = 0.5``, 1 atm and
        ``reference_temperature`` [A/m^2].
    alpha : float
        Anodic transfer coefficient of the couple [-]; the cathodic one is ``1 - alpha``.
    electrons : int
        Electrons per fuel molecule n [-].
    activation_energy : float
        Activation energy of the exchange current [J/mol].
    reference_temperature : float
        [K].
    """

    product: str
    i0_ref: float
    alpha: float = 0.5
    electrons: int = 2
    activation_energy: float = 1.0 * _EV
    reference_temperature: float = 1073.15

    def __post_init__(self) -> None:
        """Validate the parameters (clear ValueError naming the field)."""
        check_range(self.i0_ref, "i0_ref", low=0.0, unit="A/m^2")
        check_range(
            self.alpha, "alpha", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
        )
        check_range(self.electrons, "electrons", low=1.0)
        check_range(self.activation_energy, "activation_energy", low=0.0, unit="J/mol")
        check_range(
            self.reference_temperature,
            "reference_temperature",
            low=0.0,
            low_inclusive=False,
            unit="K",
        )


FUEL_COUPLES: Mapping[str, FuelCoupleKinetics] = MappingProxyType(
    {
        # *Estimates*. H2/H2O on porous Pt/YSZ: polarisation resistances of the order of
        # 1 Ohm cm^2 at 800 °C in H2-H2O (Mizusaki et al. 1994); R_p = RT/(n F i0) with n = 2
        # gives i0 ~ 500 A/m^2, taken as 100 A/m^2 for a screen-printed sensor cermet (less
        # triple-phase boundary than an optimised cell electrode). With it a 2 mm^2 Pt pump
        # electrode carries the milliamperes of a wideband sensor's rich pump current at a few
        # hundred mV of overpotential, the pump voltages such sensors run at. CO/CO2 is about an
        # order of magnitude slower on Pt/YSZ (Lauvstad et al. 2002): 10 A/m^2. Activation
        # energy 1 eV: estimate of the order reported for both couples.
        "H2": FuelCoupleKinetics(product="H2O", i0_ref=100.0),
        "CO": FuelCoupleKinetics(product="CO2", i0_ref=10.0),
    }
)
"""Reversible couples of the fuels that have one on Pt (others: none; estimates, see source)."""


def couple_standard_potential(
    fuel: str, temperature_K: ArrayLike, reference_p_o2_Pa: ArrayLike
) -> Array:
    """Potential E0 of a fuel couple at x_f = x_p, on the reference electrode's scale [V].

    ``E0 = (RT/4F) [ln(p0/p_ref) - 2 ln K]`` with K of ``fuel + 1/2 O2 = product``: the Nernst
    potential (vs the reference) of the O2 pressure in equilibrium with equal fuel and product.

    Parameters
    ----------
    fuel : str
        ``"H2"`` or ``"CO"`` (keys of :data:`FUEL_COUPLES`).
    temperature_K : array_like
        Temperature [K], > 0.
    reference_p_o2_Pa : array_like
        O2 partial pressure at the reference electrode [Pa], > 0.

    Returns
    -------
    numpy.ndarray
        E0 [V].

    References
    ----------
    .. [1] Module docstring; thermodynamic data as
       :func:`mixpot.gas.thermo.ln_equilibrium_constant`.

    Examples
    --------
    Equal H2 and H2O at 780 °C vs an air reference (a rich Pt electrode reads about 0.95 V):

    >>> round(float(couple_standard_potential("H2", 1053.15, 21227.6)), 3)
    -0.947
    """
    couple = _couple(fuel)
    t = check_range(temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K")
    p_ref = check_range(
        reference_p_o2_Pa, "reference_p_o2_Pa", low=0.0, low_inclusive=False, unit="Pa"
    )
    ln_k = ln_equilibrium_constant({fuel: 1.0, "O2": 0.5}, {couple.product: 1.0}, t)
    return GAS_CONSTANT * t / (4.0 * FARADAY) * (np.log(reference_pressure() / p_ref) - 2.0 * ln_k)


def couple_rate_constant(
    fuel: str,
    temperature_K: ArrayLike,
    gold_wt_percent: ArrayLike = 0.0,
    model: PtAuModel | None = None,
) -> Array:
    """Surface rate constant k_s of a fuel couple [m/s] (see the module equations).

    ``k_s = i0_ref(T) a_cat(w) / (n F c0 / 2)``, with ``c0 = p0/(R T)`` the concentration at
    1 atm, so that ``i0 = i0_ref`` at ``x_f = x_p = 0.5`` and 1 atm on Pt, and ``a_cat`` the
    Pt-ensemble activity of the Pt-Au surface.

    Parameters
    ----------
    fuel : str
        ``"H2"`` or ``"CO"``.
    temperature_K : array_like
        [K], > 0.
    gold_wt_percent : array_like
        Gold content [wt%], 0-100.
    model : PtAuModel, optional
        Pt-Au model.

    Returns
    -------
    numpy.ndarray
        k_s [m/s].

    Examples
    --------
    >>> round(float(couple_rate_constant("H2", 1073.15)) * 1e5, 2)
    9.13
    """
    couple = _couple(fuel)
    t = check_range(temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K")
    i0 = arrhenius(couple.i0_ref, couple.activation_energy, t, couple.reference_temperature)
    c0 = reference_pressure() / (GAS_CONSTANT * t)
    return i0 * catalytic_activity(gold_wt_percent, model) / (couple.electrons * FARADAY * c0 / 2.0)


def couple_current(
    potential_V: ArrayLike,
    x_fuel: ArrayLike,
    x_product: ArrayLike,
    rate_constant_m_s: ArrayLike,
    standard_potential_V: ArrayLike,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
    alpha: ArrayLike = 0.5,
    electrons: ArrayLike = 2,
) -> tuple[Array, Array]:
    """Return the current density of a fuel couple and its potential derivative (anodic +).

    ``i = n F c k_s [x_f e^{alpha n f (E - E0)} - x_p e^{-(1-alpha) n f (E - E0)}]`` at the
    electrode's mole fractions (no mass-transfer limit here: the element model puts transverse
    transport in series).

    Parameters
    ----------
    potential_V : array_like
        Electrode potential vs the reference [V].
    x_fuel, x_product : array_like
        Mole fractions at the electrode [-], >= 0.
    rate_constant_m_s : array_like
        k_s [m/s] (:func:`couple_rate_constant`), >= 0.
    standard_potential_V : array_like
        E0 [V] (:func:`couple_standard_potential`).
    temperature_K, pressure_Pa : array_like
        [K], [Pa], > 0.
    alpha : array_like
        Anodic transfer coefficient [-].
    electrons : array_like
        n [-].

    Returns
    -------
    current : numpy.ndarray
        [A/m^2].
    dcurrent_dE : numpy.ndarray
        [A/(m^2 V)], > 0 where the couple runs.

    Examples
    --------
    At the couple's equilibrium potential the current vanishes:

    >>> e0 = float(couple_standard_potential("H2", 1053.15, 21227.6))
    >>> k = float(couple_rate_constant("H2", 1053.15))
    >>> e_eq = e0 + 8.314462618 * 1053.15 / (2 * 96485.33212) * np.log(0.1 / 0.01)
    >>> i, _ = couple_current(e_eq, 0.01, 0.1, k, e0, 1053.15, 101325.0)
    >>> abs(float(i)) < 1e-9
    True
    """
    e = check_range(potential_V, "potential_V", unit="V")
    xf = check_range(x_fuel, "x_fuel", low=0.0, high=1.0)
    xp = check_range(x_product, "x_product", low=0.0, high=1.0)
    k = check_range(rate_constant_m_s, "rate_constant_m_s", low=0.0, unit="m/s")
    e0 = check_range(standard_potential_V, "standard_potential_V", unit="V")
    t = check_range(temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K")
    p = check_range(pressure_Pa, "pressure_Pa", low=0.0, low_inclusive=False, unit="Pa")
    a = check_range(alpha, "alpha", low=0.0, high=1.0)
    n = check_range(electrons, "electrons", low=1.0)
    nf = n * FARADAY / (GAS_CONSTANT * t)
    u = np.clip(nf * (e - e0), -700.0, 700.0)
    forward = xf * np.exp(a * u)
    backward = xp * np.exp(-(1.0 - a) * u)
    scale = n * FARADAY * p / (GAS_CONSTANT * t) * k
    return scale * (forward - backward), scale * nf * (a * forward + (1.0 - a) * backward)


def _couple(fuel: str) -> FuelCoupleKinetics:
    if fuel not in FUEL_COUPLES:
        known = ", ".join(FUEL_COUPLES)
        raise ValueError(f"fuel = {fuel!r} has no reversible couple; known: {known}")
    return FUEL_COUPLES[fuel]
