"""Nernst voltage of oxygen concentration cells on an oxide-ion conductor (YSZ).

For the electrode reaction ``O2 + 4 e- <=> 2 O2-`` in equilibrium at two electrodes on the same
electrolyte, the open-circuit voltage between electrode *a* and electrode *b* is

    U = phi_a - phi_b = (R T / 4 F) ln(pO2_a / pO2_b),

so the electrode that sees more oxygen is the positive one. In an exhaust-gas sensor the
reference electrode sees air; the O2 equilibrium potential of an electrode *vs the air
reference* is then ``(R T / 4 F) ln(pO2 / pO2_air)`` (negative in exhaust gas).

All functions are vectorised (NumPy broadcasting) and take SI units.

References
----------
.. [1] W. Göpel, G. Reinhardt, M. Rösch, "Trends in the development of solid state amperometric
   and potentiometric high temperature sensors", Solid State Ionics 136-137 (2000) 519.
.. [2] Rosemount Analytical, zirconia oxygen analyser instruction manual (SM425, sect. 10):
   E = -50.74 mV log10(Px/Pa) at 750 °C.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import check_range
from mixpot.constants import AIR_O2_FRACTION, ATMOSPHERE, FARADAY, GAS_CONSTANT

__all__ = [
    "AIR_REFERENCE_O2_PRESSURE",
    "nernst_slope",
    "nernst_voltage",
    "o2_equilibrium_potential",
    "o2_pressure_from_potential",
]

AIR_REFERENCE_O2_PRESSURE: float = AIR_O2_FRACTION * ATMOSPHERE
"""O2 partial pressure of dry air at one standard atmosphere [Pa] (0.2095 x 101325 Pa)."""

_ELECTRONS_O2 = 4.0
"""Electrons transferred per O2 molecule in ``O2 + 4 e- <=> 2 O2-`` [-]."""


def nernst_slope(temperature_K: ArrayLike) -> NDArray[np.float64]:
    """Return the Nernst slope of an O2 concentration cell per decade of pO2.

    ``S = ln(10) R T / (4 F)``; 50.75 mV per decade at 750 °C.

    Parameters
    ----------
    temperature_K : array_like
        Cell temperature [K], > 0.

    Returns
    -------
    numpy.ndarray
        Slope [V/decade].

    References
    ----------
    .. [1] Rosemount Analytical, zirconia O2 analyser manual (SM425): 50.74 mV/decade at 750 °C.

    Examples
    --------
    >>> round(float(nernst_slope(1023.15)) * 1e3, 2)
    50.75
    """
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    return np.log(10.0) * GAS_CONSTANT * t / (_ELECTRONS_O2 * FARADAY)


def nernst_voltage(
    p_o2_a_Pa: ArrayLike, p_o2_b_Pa: ArrayLike, temperature_K: ArrayLike
) -> NDArray[np.float64]:
    """Return the open-circuit voltage of an O2 concentration cell.

    ``U = phi_a - phi_b = (R T / 4 F) ln(pO2_a / pO2_b)``.

    Parameters
    ----------
    p_o2_a_Pa : array_like
        O2 partial pressure at electrode a [Pa], > 0.
    p_o2_b_Pa : array_like
        O2 partial pressure at electrode b [Pa], > 0.
    temperature_K : array_like
        Cell temperature [K], > 0.

    Returns
    -------
    numpy.ndarray
        Voltage ``phi_a - phi_b`` [V]; positive when electrode a sees more O2.

    Raises
    ------
    ValueError
        For non-positive pressures or temperatures.

    References
    ----------
    .. [1] W. Göpel et al., Solid State Ionics 136-137 (2000) 519.

    Examples
    --------
    >>> round(float(nernst_voltage(21200.0, 2120.0, 1023.15)), 4)
    0.0508
    """
    pa = check_range(
        p_o2_a_Pa, "p_o2_a_Pa", low=0.0, low_inclusive=False, unit="Pa", allow_nan=True
    )
    pb = check_range(
        p_o2_b_Pa, "p_o2_b_Pa", low=0.0, low_inclusive=False, unit="Pa", allow_nan=True
    )
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    return GAS_CONSTANT * t / (_ELECTRONS_O2 * FARADAY) * (np.log(pa) - np.log(pb))


def o2_equilibrium_potential(
    p_o2_Pa: ArrayLike,
    temperature_K: ArrayLike,
    reference_p_o2_Pa: ArrayLike = AIR_REFERENCE_O2_PRESSURE,
) -> NDArray[np.float64]:
    """Return the O2 equilibrium potential of an electrode vs an air reference electrode.

    ``E_O2,eq = (R T / 4 F) ln(pO2 / pO2_ref)``: the potential an equilibrium-catalytic (Pt)
    electrode in the gas would take against the reference electrode.

    Parameters
    ----------
    p_o2_Pa : array_like
        O2 partial pressure at the electrode [Pa], > 0.
    temperature_K : array_like
        Temperature [K], > 0.
    reference_p_o2_Pa : array_like
        O2 partial pressure at the reference electrode [Pa], > 0; default dry air at
        101325 Pa (21227 Pa).

    Returns
    -------
    numpy.ndarray
        Potential vs the reference electrode [V].

    References
    ----------
    .. [1] W. Göpel et al., Solid State Ionics 136-137 (2000) 519.

    Examples
    --------
    >>> round(float(o2_equilibrium_potential(0.0459 * 101325.0, 973.15)), 4)
    -0.0318
    """
    p = check_range(p_o2_Pa, "p_o2_Pa", low=0.0, low_inclusive=False, unit="Pa", allow_nan=True)
    p_ref = check_range(
        reference_p_o2_Pa,
        "reference_p_o2_Pa",
        low=0.0,
        low_inclusive=False,
        unit="Pa",
        allow_nan=True,
    )
    return nernst_voltage(p, p_ref, temperature_K)


def o2_pressure_from_potential(
    potential_V: ArrayLike,
    temperature_K: ArrayLike,
    reference_p_o2_Pa: ArrayLike = AIR_REFERENCE_O2_PRESSURE,
) -> NDArray[np.float64]:
    """Return the O2 partial pressure that gives an equilibrium potential (inverse Nernst).

    ``pO2 = pO2_ref exp(4 F E / (R T))``. Potentials so large that the pressure exceeds the
    floating-point range give ``inf`` (or 0), which is the exact limit, without a warning.

    Parameters
    ----------
    potential_V : array_like
        Electrode potential vs the reference electrode [V].
    temperature_K : array_like
        Temperature [K], > 0.
    reference_p_o2_Pa : array_like
        O2 partial pressure at the reference electrode [Pa], > 0; default dry air.

    Returns
    -------
    numpy.ndarray
        O2 partial pressure [Pa].

    References
    ----------
    .. [1] W. Göpel et al., Solid State Ionics 136-137 (2000) 519.

    Examples
    --------
    >>> round(float(o2_pressure_from_potential(-0.0318, 973.15)), -1)
    4660.0
    """
    e = check_range(potential_V, "potential_V", unit="V", allow_nan=True)
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    p_ref = check_range(
        reference_p_o2_Pa,
        "reference_p_o2_Pa",
        low=0.0,
        low_inclusive=False,
        unit="Pa",
        allow_nan=True,
    )
    with np.errstate(over="ignore"):
        return p_ref * np.exp(_ELECTRONS_O2 * FARADAY * e / (GAS_CONSTANT * t))
