r"""Diffusion-limited (limiting) current of an amperometric cell behind a diffusion barrier.

When the pump cell removes all O2 that reaches its inner electrode (``x_in = 0``), the pump
current equals the charge carried by the diffusion-limited O2 flow, ``I_lim = 4 F ṅ_O2``
(Dietz 1982). The O2 flow follows the Stefan-flow law of :mod:`mixpot.transport.stefan`, so
for molecular diffusion ``I_lim ∝ ln(1/(1 - x))`` and for Knudsen diffusion ``I_lim ∝ x``.
"""

from __future__ import annotations

from numpy.typing import ArrayLike

from mixpot._validation import check_range
from mixpot.constants import FARADAY
from mixpot.gas.species import get as get_species
from mixpot.transport._common import FloatOrArray, as_output
from mixpot.transport.diffusion import binary_diffusion_coefficient
from mixpot.transport.porous import knudsen_diffusion_coefficient
from mixpot.transport.stefan import stefan_molar_flow

__all__ = [
    "ELECTRONS_PER_O2",
    "current_from_o2_flow",
    "limiting_current",
    "o2_flow_from_current",
    "oxygen_limiting_current",
]

ELECTRONS_PER_O2: float = 4.0
"""Electrons transferred per O2 molecule, O2 + 4 e- -> 2 O2- [-]."""


def o2_flow_from_current(current_A: ArrayLike) -> FloatOrArray:
    r"""O2 molar flow carried by an oxygen-ion current (Faraday's law), :math:`\dot n = I/(4F)`.

    Parameters
    ----------
    current_A : array_like
        Current through the zirconia cell [A]; the sign is kept (pumping direction). NaN
        propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        O2 molar flow [mol/s]; 1 mA moves 2.5911e-9 mol O2/s.

    References
    ----------
    .. [1] H. Dietz, "Gas-diffusion-controlled solid-electrolyte oxygen sensors", Solid State
       Ionics 6 (1982) 175.

    Examples
    --------
    >>> float(o2_flow_from_current(1e-3)).__round__(13)
    2.5911e-09
    """
    current = check_range(current_A, "current_A", unit="A", allow_nan=True)
    return as_output(current / (ELECTRONS_PER_O2 * FARADAY))


def current_from_o2_flow(flow_mol_per_s: ArrayLike) -> FloatOrArray:
    r"""Oxygen-ion current that moves a given O2 molar flow (Faraday's law), :math:`I = 4F\dot n`.

    Parameters
    ----------
    flow_mol_per_s : array_like
        O2 molar flow [mol/s]; the sign is kept. NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Current [A].

    References
    ----------
    .. [1] H. Dietz, "Gas-diffusion-controlled solid-electrolyte oxygen sensors", Solid State
       Ionics 6 (1982) 175.

    Examples
    --------
    >>> round(float(current_from_o2_flow(2.5911e-9)) * 1e3, 4)  # mA
    1.0
    """
    flow = check_range(flow_mol_per_s, "flow_mol_per_s", unit="mol/s", allow_nan=True)
    return as_output(ELECTRONS_PER_O2 * FARADAY * flow)


def limiting_current(
    x_outer: ArrayLike,
    molecular_m2_per_s: ArrayLike,
    knudsen_m2_per_s: ArrayLike,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
    geometry_factor_m: ArrayLike,
    electrons: ArrayLike = ELECTRONS_PER_O2,
) -> FloatOrArray:
    r"""Limiting current of a species consumed completely behind a diffusion barrier.

    .. math:: I_\mathrm{lim} = z F G \frac{P D_m}{R T} \ln\frac{\alpha}{\alpha - x},
              \qquad \alpha = 1 + \frac{D_m}{D_K},

    i.e. :func:`mixpot.transport.stefan_molar_flow` with ``x_in = 0`` times ``zF``. For O2
    (``z = 4``) and molecular diffusion this is Dietz's ``I_lim ∝ ln(1/(1 - x))``.

    Parameters
    ----------
    x_outer : array_like
        Mole fraction of the species outside the barrier [-], in [0, 1]. NaN propagates.
    molecular_m2_per_s : array_like
        Free-gas binary diffusion coefficient in the background gas [m^2/s], > 0. NaN
        propagates.
    knudsen_m2_per_s : array_like
        Free-pore Knudsen coefficient [m^2/s], > 0 (``inf`` for an open hole). NaN
        propagates.
    temperature_K : array_like
        Temperature of the barrier gas [K], > 0. NaN propagates.
    pressure_Pa : array_like
        Total pressure [Pa], > 0. NaN propagates.
    geometry_factor_m : array_like
        Geometry factor of the barrier [m], > 0 (see :func:`mixpot.transport.geometry_factor`).
        NaN propagates.
    electrons : array_like
        Charge number z [-], > 0 (4 for O2 reduction). NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Limiting current [A], >= 0.

    Raises
    ------
    ValueError
        For out-of-range inputs.

    References
    ----------
    .. [1] H. Dietz, "Gas-diffusion-controlled solid-electrolyte oxygen sensors", Solid State
       Ionics 6 (1982) 175.
    .. [2] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983).

    Examples
    --------
    >>> i = limiting_current(0.2095, 1.8e-4, 1.0e-4, 1053.15, 101325.0, 1e-5)
    >>> round(float(i) * 1e3, 3)  # mA
    0.625
    """
    z = check_range(electrons, "electrons", low=0.0, low_inclusive=False, allow_nan=True)
    flow = stefan_molar_flow(
        x_outer,
        0.0,
        molecular_m2_per_s,
        knudsen_m2_per_s,
        temperature_K,
        pressure_Pa,
        geometry_factor_m,
    )
    return as_output(z * FARADAY * flow)


def oxygen_limiting_current(
    x_o2: ArrayLike,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
    geometry_factor_m: ArrayLike,
    pore_diameter_m: ArrayLike,
    background: str = "N2",
) -> FloatOrArray:
    """O2 limiting current of a pump cell behind a porous barrier, transport data included.

    Convenience wrapper of :func:`limiting_current` that takes the O2-``background`` binary
    coefficient from :func:`mixpot.transport.binary_diffusion_coefficient` and the O2 Knudsen
    coefficient from :func:`mixpot.transport.knudsen_diffusion_coefficient`.

    Parameters
    ----------
    x_o2 : array_like
        O2 mole fraction outside the barrier [-], in [0, 1]. NaN propagates.
    temperature_K : array_like
        Temperature of the barrier gas [K], within
        :data:`mixpot.transport.TEMPERATURE_RANGE_K`. NaN propagates.
    pressure_Pa : array_like
        Total pressure [Pa], > 0. NaN propagates.
    geometry_factor_m : array_like
        Geometry factor ``ε A/(τ L)`` of the barrier [m], > 0. NaN propagates.
    pore_diameter_m : array_like
        Mean pore diameter of the barrier [m], > 0; ``inf`` for an open hole (no Knudsen
        resistance). NaN propagates.
    background : str
        Stagnant background gas (default ``"N2"``).

    Returns
    -------
    numpy.float64 or numpy.ndarray
        O2 limiting current [A].

    Raises
    ------
    ValueError
        For out-of-range inputs or an unknown background species.

    References
    ----------
    .. [1] H. Dietz, "Gas-diffusion-controlled solid-electrolyte oxygen sensors", Solid State
       Ionics 6 (1982) 175.
    .. [2] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983).

    Examples
    --------
    >>> i = oxygen_limiting_current(0.2095, 1053.15, 101325.0, 1e-5, 0.5e-6)
    >>> round(float(i) * 1e3, 3)  # mA
    0.766
    """
    d_m = binary_diffusion_coefficient("O2", background, temperature_K, pressure_Pa)
    d_k = knudsen_diffusion_coefficient(
        pore_diameter_m, temperature_K, get_species("O2").molar_mass
    )
    return limiting_current(
        x_o2, d_m, d_k, temperature_K, pressure_Pa, geometry_factor_m, ELECTRONS_PER_O2
    )
