r"""Thermal model of the sensor element: Pt heater resistance and lumped heat balance.

Layer-1 functions (pure, vectorised, SI units; docs/physics/thermal.md):

* platinum resistance after Callendar-Van Dusen with the IEC 60751 coefficients, and the
  heater resistance ``R_h(T) = R_lead + R0 W(T)`` calibrated to the Bosch LSU 4.9 data
  (3.2 Ω cold at 20 °C; 7.5 W at 7.5 V, i.e. 7.5 Ω, at the 780 °C operating point);
* heater power ``V_eff**2 / R_h(T)``;
* a lumped (single-temperature) heat balance of the heated zone of the element,

  .. math::

     C_\mathrm{th}\frac{dT}{dt} = P_\mathrm{heater} - hA(T - T_\mathrm{gas})
        - G_\mathrm{housing}(T - T_\mathrm{housing})
        - \varepsilon\sigma A(T^4 - T_\mathrm{wall}^4),

  with the convective coefficient ``h`` from the Churchill-Bernstein correlation for a
  cylinder in cross flow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import NamedTuple, TypeAlias

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._numerics import solve_monotone
from mixpot._validation import check_range
from mixpot.constants import ATMOSPHERE, CELSIUS_OFFSET, GAS_CONSTANT

__all__ = [
    "DEFAULT_ELEMENT",
    "DESIGN_ELEMENT_TEMPERATURE_K",
    "DESIGN_GAS_TEMPERATURE_K",
    "DESIGN_GAS_VELOCITY_M_PER_S",
    "HEATER_COLD_RESISTANCE_OHM",
    "HEATER_LEAD_RESISTANCE_OHM",
    "HEATER_NOMINAL_POWER_W",
    "HEATER_NOMINAL_VOLTAGE_V",
    "HEATER_R0_OHM",
    "IEC60751_A",
    "IEC60751_B",
    "IEC60751_C",
    "STEFAN_BOLTZMANN",
    "ElementThermalParameters",
    "HeatFlows",
    "HeaterCalibration",
    "calibrate_heater",
    "convective_coefficient",
    "heat_flows",
    "heater_power",
    "heater_ramp_voltage",
    "heater_resistance",
    "heater_temperature",
    "platinum_resistance",
    "platinum_temperature",
    "steady_state_temperature",
    "steady_state_temperature_at_voltage",
    "temperature_rate",
]

FloatOrArray: TypeAlias = np.float64 | NDArray[np.float64]

# --------------------------------------------------------------------------------------------
# Callendar-Van Dusen platinum resistance (IEC 60751)
# --------------------------------------------------------------------------------------------

IEC60751_A: float = 3.9083e-3
"""Callendar-Van Dusen coefficient A [1/°C] (IEC 60751:2008, industrial Pt resistors)."""

IEC60751_B: float = -5.775e-7
"""Callendar-Van Dusen coefficient B [1/°C^2] (IEC 60751:2008)."""

IEC60751_C: float = -4.183e-12
"""Callendar-Van Dusen coefficient C [1/°C^4], used below 0 °C only (IEC 60751:2008)."""

STEFAN_BOLTZMANN: float = 5.670374419e-8
"""Stefan-Boltzmann constant σ [W/(m^2 K^4)] (CODATA 2018, exact from h, c, k_B)."""

_PT_T_MIN_K = CELSIUS_OFFSET - 200.0
_PT_T_MAX_K = CELSIUS_OFFSET + 1200.0


def _cvd_ratio(t_c: NDArray[np.float64]) -> NDArray[np.float64]:
    """Resistance ratio R/R0 at Celsius temperature ``t_c`` (no validation)."""
    ratio = 1.0 + IEC60751_A * t_c + IEC60751_B * t_c**2
    cold = np.minimum(t_c, 0.0)
    return ratio + IEC60751_C * (cold - 100.0) * cold**3


_cvd_ratio_point = numba.njit(cache=True, nogil=True)(_cvd_ratio)
""":func:`_cvd_ratio` compiled for floats (the same source)."""


def _cvd_ratio_slope(t_c: NDArray[np.float64]) -> NDArray[np.float64]:
    cold = np.minimum(t_c, 0.0)
    return (
        IEC60751_A
        + 2.0 * IEC60751_B * t_c
        + IEC60751_C * (4.0 * cold**3 - 300.0 * cold**2) * (t_c < 0.0)
    )


def _cvd_celsius(ratio: NDArray[np.float64]) -> NDArray[np.float64]:
    """Invert the CVD ratio: exact quadratic root, Newton-refined for the C term below 0 °C."""
    x = ratio - 1.0
    t_c = 2.0 * x / (IEC60751_A + np.sqrt(IEC60751_A**2 + 4.0 * IEC60751_B * x))
    for _ in range(4):
        t_c = t_c - (_cvd_ratio(t_c) - ratio) / _cvd_ratio_slope(t_c)
    return t_c


def _pt_temperature(value: ArrayLike, name: str = "temperature_K") -> NDArray[np.float64]:
    return check_range(value, name, low=_PT_T_MIN_K, high=_PT_T_MAX_K, unit="K", allow_nan=True)


def platinum_resistance(temperature_K: ArrayLike, r0_ohm: ArrayLike) -> FloatOrArray:
    r"""Resistance of a platinum resistor after Callendar-Van Dusen (IEC 60751).

    .. math:: R(t) = R_0\,(1 + A t + B t^2 + C (t - 100)\,t^3),\qquad t = T - 273.15

    with ``C = 0`` for ``t >= 0 °C``. IEC 60751 defines the curve for -200..850 °C; up to
    1200 °C (accepted here) it is an extrapolation.

    Parameters
    ----------
    temperature_K : array_like
        Temperature [K], within 73.15..1473.15 K (-200..1200 °C). NaN propagates.
    r0_ohm : array_like
        Resistance at 0 °C, ``R0`` [Ω], > 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Resistance [Ω].

    Raises
    ------
    ValueError
        For a temperature outside -200..1200 °C or a non-positive ``R0``.

    References
    ----------
    .. [1] IEC 60751:2008, *Industrial platinum resistance thermometers and platinum
       temperature sensors* (A = 3.9083e-3 /°C, B = -5.775e-7 /°C², C = -4.183e-12 /°C⁴).

    Examples
    --------
    >>> round(float(platinum_resistance(373.15, 100.0)), 4)  # Pt100 at 100 degC
    138.5055
    """
    t_c = _pt_temperature(temperature_K) - CELSIUS_OFFSET
    r0 = check_range(r0_ohm, "r0_ohm", low=0.0, low_inclusive=False, unit="ohm")
    return (r0 * _cvd_ratio(t_c))[()]


def platinum_temperature(resistance_ohm: ArrayLike, r0_ohm: ArrayLike) -> FloatOrArray:
    """Temperature of a platinum resistor from its resistance (inverse Callendar-Van Dusen).

    Parameters
    ----------
    resistance_ohm : array_like
        Resistance [Ω], between ``R(-200 °C)`` and ``R(1200 °C)``. NaN propagates.
    r0_ohm : array_like
        Resistance at 0 °C [Ω], > 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Temperature [K].

    Raises
    ------
    ValueError
        For a resistance ratio outside the -200..1200 °C range or a non-positive ``R0``.

    References
    ----------
    .. [1] IEC 60751:2008.

    Examples
    --------
    >>> round(float(platinum_temperature(138.5055, 100.0)) - 273.15, 3)  # degC
    100.0
    """
    r = check_range(resistance_ohm, "resistance_ohm", unit="ohm", allow_nan=True)
    r0 = check_range(r0_ohm, "r0_ohm", low=0.0, low_inclusive=False, unit="ohm")
    ratio = r / r0
    lo = float(_cvd_ratio(np.float64(_PT_T_MIN_K - CELSIUS_OFFSET)))
    hi = float(_cvd_ratio(np.float64(_PT_T_MAX_K - CELSIUS_OFFSET)))
    check_range(ratio, "resistance_ohm / r0_ohm", low=lo, high=hi, allow_nan=True)
    return (_cvd_celsius(ratio) + CELSIUS_OFFSET)[()]


# --------------------------------------------------------------------------------------------
# Heater of the LSU 4.9-like element
# --------------------------------------------------------------------------------------------

HEATER_COLD_RESISTANCE_OHM: float = 3.2
"""Heater cold resistance at 20 °C [Ω] (Bosch LSU 4.9 TPI Y 258 E00 015e)."""

HEATER_NOMINAL_VOLTAGE_V: float = 7.5
"""Nominal (effective) heater voltage [V] (Bosch LSU 4.9 TPI)."""

HEATER_NOMINAL_POWER_W: float = 7.5
"""Nominal steady-state heater power [W] (Bosch LSU 4.9 TPI)."""

DESIGN_ELEMENT_TEMPERATURE_K: float = CELSIUS_OFFSET + 780.0
"""Operating (ceramic) temperature of the LSU 4.9 [K] (780 °C, Bosch LSU 4.9 TPI)."""


class HeaterCalibration(NamedTuple):
    """Parameters of the heater resistance ``R_h(T) = R_lead + R0 W(T)``.

    Attributes
    ----------
    r0_ohm : float
        Resistance of the platinum track at 0 °C [Ω].
    lead_resistance_ohm : float
        Temperature-independent series resistance (leads, contacts, cable) [Ω].
    """

    r0_ohm: float
    lead_resistance_ohm: float


def calibrate_heater(
    cold_resistance_ohm: float = HEATER_COLD_RESISTANCE_OHM,
    cold_temperature_K: float = CELSIUS_OFFSET + 20.0,
    hot_resistance_ohm: float | None = HEATER_NOMINAL_VOLTAGE_V**2 / HEATER_NOMINAL_POWER_W,
    hot_temperature_K: float = DESIGN_ELEMENT_TEMPERATURE_K,
) -> HeaterCalibration:
    r"""Calibrate ``R0`` (and a series lead resistance) of the heater to data-sheet values.

    Solves :math:`R_\mathrm{cold} = R_\mathrm{lead} + R_0 W(t_\mathrm{cold})` and
    :math:`R_\mathrm{hot} = R_\mathrm{lead} + R_0 W(t_\mathrm{hot})` (``W`` = IEC 60751 ratio).
    With ``hot_resistance_ohm=None`` the heater is pure platinum (``R_lead = 0``) and only the
    cold point is used.

    The LSU 4.9 data (3.2 Ω at 20 °C; 7.5 W at 7.5 V, i.e. 7.5 Ω, at 780 °C) are *not*
    consistent with pure platinum at the element temperature, which would give
    ``R(780 °C) = 3.2 * 3.697/1.078 = 11.0 Ω`` (5.1 W at 7.5 V). The defaults therefore
    attribute the difference to a temperature-independent series resistance: the thick-film
    leads running along the cooler part of the element, contacts and cable. This gives
    ``R0 = 1.642 Ω`` and ``R_lead = 1.430 Ω``; it is an effective, lumped split.

    Parameters
    ----------
    cold_resistance_ohm : float
        Heater resistance at ``cold_temperature_K`` [Ω], > 0.
    cold_temperature_K : float
        Temperature of the cold measurement [K].
    hot_resistance_ohm : float or None
        Hot heater resistance at ``hot_temperature_K`` [Ω], > cold resistance; ``None`` for a
        pure platinum heater.
    hot_temperature_K : float
        Temperature of the hot point [K], > ``cold_temperature_K``.

    Returns
    -------
    HeaterCalibration
        ``r0_ohm`` and ``lead_resistance_ohm`` [Ω].

    Raises
    ------
    ValueError
        For out-of-range inputs or data that would need a negative lead resistance (hot/cold
        ratio above that of platinum).

    References
    ----------
    .. [1] Bosch, *Lambda sensor LSU 4.9*, Technical Product Information Y 258 E00 015e
       (2005): heater cold resistance 3.2 Ω (20 °C), nominal 7.5 V / 7.5 W.
    .. [2] IEC 60751:2008.

    Examples
    --------
    >>> cal = calibrate_heater()
    >>> round(cal.r0_ohm, 4), round(cal.lead_resistance_ohm, 4)
    (1.6417, 1.4303)
    >>> round(calibrate_heater(hot_resistance_ohm=None).r0_ohm, 4)  # pure platinum
    2.9686
    """
    r_cold = float(check_range(cold_resistance_ohm, "cold_resistance_ohm", low=0.0, unit="ohm"))
    w_cold = float(_cvd_ratio(_pt_temperature(cold_temperature_K, "cold_temperature_K") - 273.15))
    if hot_resistance_ohm is None:
        return HeaterCalibration(r_cold / w_cold, 0.0)
    r_hot = float(
        check_range(
            hot_resistance_ohm, "hot_resistance_ohm", low=r_cold, low_inclusive=False, unit="ohm"
        )
    )
    t_hot = float(
        check_range(
            _pt_temperature(hot_temperature_K, "hot_temperature_K"),
            "hot_temperature_K",
            low=float(cold_temperature_K),
            low_inclusive=False,
            unit="K",
        )
    )
    w_hot = float(_cvd_ratio(np.float64(t_hot - CELSIUS_OFFSET)))
    r0 = (r_hot - r_cold) / (w_hot - w_cold)
    lead = r_cold - r0 * w_cold
    if lead < 0.0:
        raise ValueError(
            f"hot/cold resistance ratio {r_hot / r_cold:g} exceeds that of platinum "
            f"({w_hot / w_cold:g}); lead_resistance_ohm would be {lead:g} ohm < 0"
        )
    return HeaterCalibration(r0, lead)


_LSU49_HEATER = calibrate_heater()

HEATER_R0_OHM: float = _LSU49_HEATER.r0_ohm
"""Platinum-track resistance of the LSU 4.9-like heater at 0 °C [Ω] (1.642 Ω, from
:func:`calibrate_heater` with the LSU 4.9 data)."""

HEATER_LEAD_RESISTANCE_OHM: float = _LSU49_HEATER.lead_resistance_ohm
"""Series (lead) resistance of the LSU 4.9-like heater [Ω] (1.430 Ω, from
:func:`calibrate_heater`; an effective value, see there)."""


def heater_resistance(
    temperature_K: ArrayLike,
    r0_ohm: ArrayLike = HEATER_R0_OHM,
    lead_resistance_ohm: ArrayLike = HEATER_LEAD_RESISTANCE_OHM,
) -> FloatOrArray:
    """Heater resistance ``R_h(T) = R_lead + R0 W(T)`` with the IEC 60751 platinum ratio ``W``.

    Parameters
    ----------
    temperature_K : array_like
        Heater (element) temperature [K], -200..1200 °C. NaN propagates.
    r0_ohm : array_like
        Platinum-track resistance at 0 °C [Ω], > 0.
    lead_resistance_ohm : array_like
        Temperature-independent series resistance [Ω], >= 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Heater resistance [Ω].

    Raises
    ------
    ValueError
        For out-of-range inputs.

    References
    ----------
    .. [1] IEC 60751:2008; Bosch LSU 4.9 TPI Y 258 E00 015e (2005).

    Examples
    --------
    >>> round(float(heater_resistance(293.15)), 4)  # LSU 4.9 cold resistance
    3.2
    >>> round(float(heater_resistance(1053.15)), 4)  # 7.5 W at 7.5 V
    7.5
    """
    lead = check_range(lead_resistance_ohm, "lead_resistance_ohm", low=0.0, unit="ohm")
    return (lead + platinum_resistance(temperature_K, r0_ohm))[()]


def heater_temperature(
    resistance_ohm: ArrayLike,
    r0_ohm: ArrayLike = HEATER_R0_OHM,
    lead_resistance_ohm: ArrayLike = HEATER_LEAD_RESISTANCE_OHM,
) -> FloatOrArray:
    """Heater temperature from its resistance (inverse of :func:`heater_resistance`).

    Parameters
    ----------
    resistance_ohm : array_like
        Heater resistance [Ω], within the -200..1200 °C range of the heater. NaN propagates.
    r0_ohm : array_like
        Platinum-track resistance at 0 °C [Ω], > 0.
    lead_resistance_ohm : array_like
        Temperature-independent series resistance [Ω], >= 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Temperature [K].

    Raises
    ------
    ValueError
        For a resistance outside the range or invalid parameters.

    Examples
    --------
    >>> round(float(heater_temperature(7.5)) - 273.15, 6)  # degC
    780.0
    """
    r = check_range(resistance_ohm, "resistance_ohm", unit="ohm", allow_nan=True)
    lead = check_range(lead_resistance_ohm, "lead_resistance_ohm", low=0.0, unit="ohm")
    return platinum_temperature(r - lead, r0_ohm)


def heater_power(
    v_eff: ArrayLike,
    temperature_K: ArrayLike,
    r0_ohm: ArrayLike = HEATER_R0_OHM,
    lead_resistance_ohm: ArrayLike = HEATER_LEAD_RESISTANCE_OHM,
) -> FloatOrArray:
    """Electrical heater power ``P = V_eff**2 / R_h(T)``.

    For PWM operation ``V_eff = V_batt * sqrt(duty)`` (RMS voltage; the electrical time
    constant is negligible and the thermal one long against the >= 20 Hz PWM period).

    Parameters
    ----------
    v_eff : array_like
        Effective (RMS) heater voltage [V]. NaN propagates.
    temperature_K : array_like
        Heater temperature [K], -200..1200 °C.
    r0_ohm : array_like
        Platinum-track resistance at 0 °C [Ω], > 0.
    lead_resistance_ohm : array_like
        Series resistance [Ω], >= 0. The power includes the part dissipated in it (all of it
        is assumed to heat the element; see docs/physics/thermal.md).

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Heater power [W].

    Raises
    ------
    ValueError
        For out-of-range inputs.

    References
    ----------
    .. [1] Bosch LSU 4.9 TPI Y 258 E00 015e (2005): 7.5 W at 7.5 V nominal; PWM >= 20 Hz.

    Examples
    --------
    >>> round(float(heater_power(7.5, 1053.15)), 6)  # W at 780 degC
    7.5
    >>> round(float(heater_power(8.5, 293.15)), 2)  # cold start at 8.5 V
    22.58

    Notes
    -----
    Mirrored for scalars by the compiled ``_heater_power_point`` (transient heater period;
    tested equal to this function).
    """
    v = check_range(v_eff, "v_eff", unit="V", allow_nan=True)
    return (v**2 / heater_resistance(temperature_K, r0_ohm, lead_resistance_ohm))[()]


def heater_ramp_voltage(
    time_s: ArrayLike,
    start_V: float = 8.5,
    ramp_V_per_s: float = 0.4,
    max_V: float = 13.5,
) -> FloatOrArray:
    """Effective heater voltage of a start-up ramp, ``min(start + ramp * t, max)``.

    The Bosch LSU 4.9 start-up rules limit the initial effective voltage to 8.5 V and its rise
    to 0.4 V/s (to avoid thermal shock of the cold ceramic). The cap of 13.5 V is an
    assumption (battery voltage of a running 12 V vehicle minus the driver drop).

    Parameters
    ----------
    time_s : array_like
        Time since heater switch-on [s], >= 0.
    start_V : float
        Initial effective voltage [V].
    ramp_V_per_s : float
        Ramp rate [V/s], >= 0.
    max_V : float
        Upper limit [V].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Effective heater voltage [V].

    Raises
    ------
    ValueError
        For negative time or ramp rate.

    References
    ----------
    .. [1] Bosch LSU 4.9 TPI Y 258 E00 015e (2005): start <= 8.5 V, ramp <= 0.4 V/s.

    Examples
    --------
    >>> [float(v) for v in heater_ramp_voltage([0.0, 5.0, 20.0])]
    [8.5, 10.5, 13.5]
    """
    t = check_range(time_s, "time_s", low=0.0, unit="s")
    rate = check_range(ramp_V_per_s, "ramp_V_per_s", low=0.0, unit="V/s")
    return np.minimum(start_V + rate * t, max_V)[()]


# --------------------------------------------------------------------------------------------
# Lumped heat balance
# --------------------------------------------------------------------------------------------

DESIGN_GAS_TEMPERATURE_K: float = CELSIUS_OFFSET + 350.0
"""Exhaust-gas temperature of the heater design point [K] (350 °C). Estimate: typical
part-load exhaust upstream of the catalyst; heater-power figures of LSU-type sensors are
commonly quoted for 350 °C exhaust."""

DESIGN_GAS_VELOCITY_M_PER_S: float = 2.0
"""Gas velocity at the element, inside the protection tube, at the design point [m/s].
Estimate: exhaust-pipe velocities are 10-50 m/s; the double protection tube passes only a
small fraction of that to the element."""

_SUTHERLAND_MU0 = 1.716e-5  # Pa s, air, T0 = 273 K, S = 111 K (White 2006, Table 1-2)
_SUTHERLAND_K0 = 0.0241  # W/(m K), air, T0 = 273 K, S = 194 K (White 2006, Table 1-3)


def _air_viscosity(temperature_K: NDArray[np.float64]) -> NDArray[np.float64]:
    return (
        _SUTHERLAND_MU0 * (temperature_K / 273.0) ** 1.5 * (273.0 + 111.0) / (temperature_K + 111.0)
    )


def _air_conductivity(temperature_K: NDArray[np.float64]) -> NDArray[np.float64]:
    return (
        _SUTHERLAND_K0 * (temperature_K / 273.0) ** 1.5 * (273.0 + 194.0) / (temperature_K + 194.0)
    )


def _churchill_bernstein(reynolds: NDArray[np.float64], prandtl: float) -> NDArray[np.float64]:
    """Nusselt number of a cylinder in crossflow (Churchill & Bernstein 1977, all Re) [-]."""
    return 0.3 + (
        0.62
        * np.sqrt(reynolds)
        * prandtl ** (1.0 / 3.0)
        / (1.0 + (0.4 / prandtl) ** (2.0 / 3.0)) ** 0.25
        * (1.0 + (reynolds / 282000.0) ** 0.625) ** 0.8
    )


_churchill_bernstein_point = numba.njit(cache=True, nogil=True)(_churchill_bernstein)
""":func:`_churchill_bernstein` compiled for floats (the same source)."""

_air_viscosity_point = numba.njit(cache=True, nogil=True)(_air_viscosity)
""":func:`_air_viscosity` compiled for floats (the same source)."""

_air_conductivity_point = numba.njit(cache=True, nogil=True)(_air_conductivity)
""":func:`_air_conductivity` compiled for floats (the same source)."""


def _positive(value: ArrayLike, name: str, unit: str = "") -> NDArray[np.float64]:
    return check_range(value, name, low=0.0, low_inclusive=False, unit=unit, allow_nan=True)


def convective_coefficient(
    gas_velocity_m_per_s: ArrayLike,
    gas_temperature_K: ArrayLike,
    surface_temperature_K: ArrayLike,
    diameter_m: ArrayLike = 3.44e-3,
    pressure_Pa: ArrayLike = ATMOSPHERE,
    *,
    prandtl_number: float = 0.7,
    molar_mass_kg_per_mol: float = 0.0288,
) -> FloatOrArray:
    r"""Convective heat-transfer coefficient of the element, Churchill-Bernstein correlation.

    The element is treated as a cylinder in cross flow of equivalent diameter ``D``:

    .. math::

       \mathrm{Nu} = 0.3 + \frac{0.62\,\mathrm{Re}^{1/2}\mathrm{Pr}^{1/3}}
       {[1 + (0.4/\mathrm{Pr})^{2/3}]^{1/4}}
       \left[1 + \left(\frac{\mathrm{Re}}{282000}\right)^{5/8}\right]^{4/5},
       \qquad h = \mathrm{Nu}\,k/D,

    valid for ``Re Pr > 0.2``; at low Re it tends to ``Nu = 0.3`` (free convection is not
    modelled). Gas properties are those of air at the film temperature
    ``(T_gas + T_surface)/2``: Sutherland laws for viscosity and conductivity (White 2006),
    ideal-gas density with the molar mass of exhaust, constant Prandtl number.

    Parameters
    ----------
    gas_velocity_m_per_s : array_like
        Gas velocity at the element [m/s], >= 0.
    gas_temperature_K : array_like
        Gas temperature [K], > 0.
    surface_temperature_K : array_like
        Element surface temperature [K], > 0.
    diameter_m : array_like
        Equivalent cylinder diameter [m], > 0; default: perimeter/π of a 4.0 mm × 1.4 mm
        strip (estimate of the LSU 4.9 element cross-section).
    pressure_Pa : array_like
        Gas pressure [Pa], > 0.
    prandtl_number : float
        Prandtl number [-]; 0.7 for air and exhaust (0.68-0.72 over 300-1100 K).
    molar_mass_kg_per_mol : float
        Gas molar mass [kg/mol]; 0.0288 for stoichiometric gasoline exhaust (estimate; air:
        0.02897).

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Heat-transfer coefficient ``h`` [W/(m^2 K)].

    Raises
    ------
    ValueError
        For out-of-range inputs.

    References
    ----------
    .. [1] S. W. Churchill, M. Bernstein, "A correlating equation for forced convection from
       gases and liquids to a circular cylinder in crossflow", J. Heat Transfer 99 (1977) 300.
    .. [2] F. M. White, *Viscous Fluid Flow*, 3rd ed., McGraw-Hill (2006), Tables 1-2, 1-3
       (Sutherland constants of air).
    .. [3] F. P. Incropera et al., *Fundamentals of Heat and Mass Transfer*, 6th ed., Wiley
       (2007), Sect. 7.4.

    Examples
    --------
    >>> round(float(convective_coefficient(2.0, 623.15, 1053.15)), 1)  # W/(m^2 K)
    77.8
    """
    v = check_range(gas_velocity_m_per_s, "gas_velocity_m_per_s", low=0.0, unit="m/s")
    t_gas = _positive(gas_temperature_K, "gas_temperature_K", "K")
    t_surf = _positive(surface_temperature_K, "surface_temperature_K", "K")
    d = _positive(diameter_m, "diameter_m", "m")
    p = _positive(pressure_Pa, "pressure_Pa", "Pa")
    pr = float(_positive(prandtl_number, "prandtl_number"))
    molar_mass = float(_positive(molar_mass_kg_per_mol, "molar_mass_kg_per_mol", "kg/mol"))
    t_film = 0.5 * (t_gas + t_surf)
    rho = p * molar_mass / (GAS_CONSTANT * t_film)
    re = rho * v * d / _air_viscosity(t_film)
    nu = _churchill_bernstein(re, pr)
    return (nu * _air_conductivity(t_film) / d)[()]


@dataclass(frozen=True)
class ElementThermalParameters:
    """Lumped thermal parameters of the heated zone of a planar sensor element.

    Defaults describe an LSU 4.9-like element; they are estimates (reasoning below) except the
    heater data, and ``housing_conductance_W_per_K`` closes the balance so that the nominal
    7.5 W (7.5 V) hold 780 °C at the design point (350 °C gas, 2 m/s).

    Attributes
    ----------
    heat_capacity_J_per_K : float
        Thermal mass ``C_th`` [J/K]. Estimate: heated zone 4.0 mm × 1.4 mm × 8 mm = 44.8 mm³
        times ``ρ c_p`` = 6000 kg/m³ × 500 J/(kg K) = 3.0e6 J/(m³ K) (dense YSZ
        ρ ≈ 5.9-6.1 g/cm³; ZrO2 c_p = 456 J/(kg K) at 298 K rising to ≈ 600 at 1000 K,
        NIST-JANAF; the air reference channel and porous alumina layers lower the mean),
        giving 0.134 J/K.
    surface_area_m2 : float
        Outer surface of the heated zone ``A`` [m²]: 2 (4.0 + 1.4) mm × 8 mm + 4.0 × 1.4 mm²
        = 92 mm² (estimate, same geometry).
    convection_diameter_m : float
        Equivalent cylinder diameter for the convection correlation [m]: perimeter/π =
        2 (4.0 + 1.4) mm/π = 3.44 mm (estimate).
    emissivity : float
        Total hemispherical emissivity ``ε`` [-] of the element surface. Estimate 0.5:
        oxide ceramics (ZrO2, Al2O3 protective layers) lie at 0.4-0.6 around 1000 K
        (Touloukian & DeWitt, *Thermal Radiative Properties: Nonmetallic Solids*, TPRC
        vol. 8, 1972).
    housing_conductance_W_per_K : float
        Conductance ``G_housing`` [W/K] from the heated zone along the strip (and its leads) to
        the housing. Closure value 3.74e-3 W/K, so that the design point holds; order of
        magnitude check: a 4.0 × 1.4 mm² zirconia fin (k ≈ 2.5 W/(m K)) with h ≈ 80 W/(m² K)
        conducts sqrt(h P k A_c) ≈ 3.5e-3 W/K (infinite fin).
    heater_r0_ohm : float
        Heater platinum-track resistance at 0 °C [Ω] (:data:`HEATER_R0_OHM`).
    heater_lead_resistance_ohm : float
        Heater series resistance [Ω] (:data:`HEATER_LEAD_RESISTANCE_OHM`).
    prandtl_number : float
        Prandtl number of the gas [-] (0.7).
    gas_molar_mass_kg_per_mol : float
        Molar mass of the gas [kg/mol] (0.0288, stoichiometric gasoline exhaust, estimate).
    """

    heat_capacity_J_per_K: float = 0.134
    surface_area_m2: float = 9.2e-5
    convection_diameter_m: float = 3.44e-3
    emissivity: float = 0.5
    housing_conductance_W_per_K: float = 3.74e-3
    heater_r0_ohm: float = HEATER_R0_OHM
    heater_lead_resistance_ohm: float = HEATER_LEAD_RESISTANCE_OHM
    prandtl_number: float = 0.7
    gas_molar_mass_kg_per_mol: float = 0.0288

    def __post_init__(self) -> None:
        """Validate the parameters (each must be finite; ranges below)."""
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "emissivity":
                check_range(value, f.name, low=0.0, high=1.0)
            elif f.name in ("housing_conductance_W_per_K", "heater_lead_resistance_ohm"):
                check_range(value, f.name, low=0.0)
            else:
                check_range(value, f.name, low=0.0, low_inclusive=False)
            if not np.isfinite(value):
                raise ValueError(f"{f.name} = {value} must be finite")


DEFAULT_ELEMENT = ElementThermalParameters()
"""LSU 4.9-like element (see :class:`ElementThermalParameters`)."""


class HeatFlows(NamedTuple):
    """Heat flows leaving the element [W] (negative when heat flows in).

    Attributes
    ----------
    convection_W : numpy.float64 or numpy.ndarray
        ``h A (T - T_gas)``.
    housing_W : numpy.float64 or numpy.ndarray
        ``G_housing (T - T_housing)``.
    radiation_W : numpy.float64 or numpy.ndarray
        ``ε σ A (T^4 - T_wall^4)``.
    total_W : numpy.float64 or numpy.ndarray
        Sum of the three.
    """

    convection_W: FloatOrArray
    housing_W: FloatOrArray
    radiation_W: FloatOrArray
    total_W: FloatOrArray


def heat_flows(
    temperature_K: ArrayLike,
    gas_temperature_K: ArrayLike,
    gas_velocity_m_per_s: ArrayLike,
    housing_temperature_K: ArrayLike | None = None,
    wall_temperature_K: ArrayLike | None = None,
    params: ElementThermalParameters = DEFAULT_ELEMENT,
    pressure_Pa: ArrayLike = ATMOSPHERE,
) -> HeatFlows:
    """Heat losses of the element by convection, conduction to the housing and radiation.

    Parameters
    ----------
    temperature_K : array_like
        Element temperature [K], > 0.
    gas_temperature_K : array_like
        Exhaust-gas temperature [K], > 0.
    gas_velocity_m_per_s : array_like
        Gas velocity at the element [m/s], >= 0.
    housing_temperature_K : array_like, optional
        Housing (hexagon, seal) temperature [K]; default: the gas temperature.
    wall_temperature_K : array_like, optional
        Temperature of the surrounding radiating wall (inner protection tube) [K]; default:
        the gas temperature.
    params : ElementThermalParameters
        Element parameters.
    pressure_Pa : array_like
        Gas pressure [Pa], > 0.

    Returns
    -------
    HeatFlows
        Convective, housing, radiative and total loss [W].

    Raises
    ------
    ValueError
        For out-of-range inputs.

    Examples
    --------
    >>> q = heat_flows(1053.15, 623.15, 2.0)  # design point
    >>> round(float(q.total_W), 2)
    7.5
    """
    t = _positive(temperature_K, "temperature_K", "K")
    t_gas = _positive(gas_temperature_K, "gas_temperature_K", "K")
    t_housing = t_gas if housing_temperature_K is None else housing_temperature_K
    t_wall = t_gas if wall_temperature_K is None else wall_temperature_K
    t_housing = _positive(t_housing, "housing_temperature_K", "K")
    t_wall = _positive(t_wall, "wall_temperature_K", "K")
    h = convective_coefficient(
        gas_velocity_m_per_s,
        t_gas,
        t,
        params.convection_diameter_m,
        pressure_Pa,
        prandtl_number=params.prandtl_number,
        molar_mass_kg_per_mol=params.gas_molar_mass_kg_per_mol,
    )
    area = params.surface_area_m2
    q_conv = h * area * (t - t_gas)
    q_housing = params.housing_conductance_W_per_K * (t - t_housing)
    q_rad = params.emissivity * STEFAN_BOLTZMANN * area * (t**4 - t_wall**4)
    total = q_conv + q_housing + q_rad
    return HeatFlows(
        np.asarray(q_conv)[()],
        np.asarray(q_housing)[()],
        np.asarray(q_rad)[()],
        np.asarray(total)[()],
    )


def temperature_rate(
    temperature_K: ArrayLike,
    heater_power_W: ArrayLike,
    gas_temperature_K: ArrayLike,
    gas_velocity_m_per_s: ArrayLike,
    housing_temperature_K: ArrayLike | None = None,
    wall_temperature_K: ArrayLike | None = None,
    params: ElementThermalParameters = DEFAULT_ELEMENT,
    pressure_Pa: ArrayLike = ATMOSPHERE,
) -> FloatOrArray:
    r"""Rate of change of the element temperature from the lumped heat balance.

    .. math::

       \frac{dT}{dt} = \frac{P - hA(T - T_\mathrm{gas}) - G(T - T_\mathrm{housing})
       - \varepsilon\sigma A (T^4 - T_\mathrm{wall}^4)}{C_\mathrm{th}}

    Suitable as the right-hand side of an ODE solver (e.g. ``scipy.integrate.solve_ivp``).

    Parameters
    ----------
    temperature_K : array_like
        Element temperature [K], > 0.
    heater_power_W : array_like
        Electrical heater power [W] (e.g. :func:`heater_power`).
    gas_temperature_K, gas_velocity_m_per_s, housing_temperature_K, wall_temperature_K
        Boundary conditions, see :func:`heat_flows`.
    params : ElementThermalParameters
        Element parameters.
    pressure_Pa : array_like
        Gas pressure [Pa].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        ``dT/dt`` [K/s].

    Raises
    ------
    ValueError
        For out-of-range inputs.

    Examples
    --------
    >>> abs(float(temperature_rate(1053.15, 7.5, 623.15, 2.0))) < 0.5  # near steady, K/s
    True

    Notes
    -----
    Mirrored for scalars (housing and wall at the gas temperature) by the compiled
    ``_temperature_rate_point`` (transient heater period; tested equal to this function).
    """
    power = check_range(heater_power_W, "heater_power_W", unit="W")
    losses = heat_flows(
        temperature_K,
        gas_temperature_K,
        gas_velocity_m_per_s,
        housing_temperature_K,
        wall_temperature_K,
        params,
        pressure_Pa,
    ).total_W
    return ((power - losses) / params.heat_capacity_J_per_K)[()]


def _point_coefficients(params: ElementThermalParameters = DEFAULT_ELEMENT) -> NDArray[np.float64]:
    """Parameters of an element as the compiled scalar heat balance takes them.

    Parameters
    ----------
    params : ElementThermalParameters
        Element parameters.

    Returns
    -------
    numpy.ndarray
        Convection diameter, Prandtl number, gas molar mass, surface area, housing
        conductance, emissivity, heat capacity, heater R0 and lead resistance (SI units), the
        order of :func:`_temperature_rate_point` and :func:`_heater_power_point`.
    """
    return np.array(
        [
            params.convection_diameter_m,
            params.prandtl_number,
            params.gas_molar_mass_kg_per_mol,
            params.surface_area_m2,
            params.housing_conductance_W_per_K,
            params.emissivity,
            params.heat_capacity_J_per_K,
            params.heater_r0_ohm,
            params.heater_lead_resistance_ohm,
        ]
    )


@numba.njit(cache=True, nogil=True)
def _heater_power_point(
    v_eff: float, temperature_K: float, r0_ohm: float, lead_resistance_ohm: float
) -> float:  # pragma: no cover - compiled
    """Compiled scalar mirror of :func:`heater_power` (no validation), ``V_eff**2 / R_h(T)``.

    The same Callendar-Van Dusen ratio (:func:`_cvd_ratio`, compiled); tested equal to
    :func:`heater_power`. For loops over time (the transient simulation's heater period).
    """
    t_c = temperature_K - CELSIUS_OFFSET
    return v_eff**2 / (lead_resistance_ohm + r0_ohm * _cvd_ratio_point(t_c))


@numba.njit(cache=True, nogil=True)
def _temperature_rate_point(
    temperature_K: float,
    heater_power_W: float,
    gas_temperature_K: float,
    gas_velocity_m_per_s: float,
    pressure_Pa: float,
    c: NDArray[np.float64],
) -> float:  # pragma: no cover - compiled
    """Compiled scalar mirror of :func:`temperature_rate` (no validation) [K/s].

    Housing and radiating wall at the gas temperature (the defaults of
    :func:`temperature_rate`); ``c`` from :func:`_point_coefficients`. The same equations as
    :func:`convective_coefficient` (Churchill-Bernstein, Sutherland laws compiled from the
    same source) and :func:`heat_flows`, in the same order of operations; tested equal to
    :func:`temperature_rate`. For loops over time (the transient simulation's heater period).
    """
    d, pr, molar_mass, area, g_housing, emissivity, heat_capacity = (
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        c[5],
        c[6],
    )
    t, t_gas = temperature_K, gas_temperature_K
    t_film = 0.5 * (t_gas + t)
    rho = pressure_Pa * molar_mass / (GAS_CONSTANT * t_film)
    re = rho * gas_velocity_m_per_s * d / _air_viscosity_point(t_film)
    nu = _churchill_bernstein_point(re, pr)
    h = nu * _air_conductivity_point(t_film) / d
    q_conv = h * area * (t - t_gas)
    q_housing = g_housing * (t - t_gas)
    q_rad = emissivity * STEFAN_BOLTZMANN * area * (t**4 - t_gas**4)
    return (heater_power_W - (q_conv + q_housing + q_rad)) / heat_capacity


def _steady_state(
    excess: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    lower: NDArray[np.float64],
    shape: tuple[int, ...],
) -> FloatOrArray:
    def func(t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        step = 1e-3
        f = excess(t)
        df = (excess(t + step) - excess(t - step)) / (2.0 * step)
        return f, df

    lo = np.broadcast_to(lower, shape).astype(float)
    hi = np.full(shape, _PT_T_MAX_K - 1e-2)
    t, converged = solve_monotone(func, lo, hi, xtol=1e-9)
    if not converged.all():
        raise ValueError(
            "steady_state temperature not bracketed between the coldest boundary temperature "
            f"and {_PT_T_MAX_K - CELSIUS_OFFSET:g} °C (heater power too high or negative)"
        )
    return t[()]


def steady_state_temperature(
    heater_power_W: ArrayLike,
    gas_temperature_K: ArrayLike,
    gas_velocity_m_per_s: ArrayLike,
    housing_temperature_K: ArrayLike | None = None,
    wall_temperature_K: ArrayLike | None = None,
    params: ElementThermalParameters = DEFAULT_ELEMENT,
    pressure_Pa: ArrayLike = ATMOSPHERE,
) -> FloatOrArray:
    """Element temperature at which a fixed heater power balances the losses.

    Parameters
    ----------
    heater_power_W : array_like
        Heater power [W], >= 0.
    gas_temperature_K, gas_velocity_m_per_s, housing_temperature_K, wall_temperature_K
        Boundary conditions, see :func:`heat_flows`.
    params : ElementThermalParameters
        Element parameters.
    pressure_Pa : array_like
        Gas pressure [Pa].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Steady-state temperature [K].

    Raises
    ------
    ValueError
        For out-of-range inputs or a solution above 1200 °C.

    Examples
    --------
    >>> round(float(steady_state_temperature(7.5, 623.15, 2.0)) - 273.15)  # degC
    780
    """
    power = check_range(heater_power_W, "heater_power_W", low=0.0, unit="W")
    t_gas = _positive(gas_temperature_K, "gas_temperature_K", "K")
    t_h = (
        t_gas
        if housing_temperature_K is None
        else _positive(housing_temperature_K, "housing_temperature_K", "K")
    )
    t_w = (
        t_gas
        if wall_temperature_K is None
        else _positive(wall_temperature_K, "wall_temperature_K", "K")
    )
    v = check_range(gas_velocity_m_per_s, "gas_velocity_m_per_s", low=0.0, unit="m/s")
    shape = np.broadcast(power, t_gas, t_h, t_w, v, np.asarray(pressure_Pa)).shape

    def excess(t: NDArray[np.float64]) -> NDArray[np.float64]:
        q = heat_flows(t, t_gas, v, t_h, t_w, params, pressure_Pa).total_W
        return np.asarray(q - power)

    lower = np.minimum(np.minimum(t_gas, t_h), t_w)
    return _steady_state(excess, lower, shape)


def steady_state_temperature_at_voltage(
    v_eff: ArrayLike,
    gas_temperature_K: ArrayLike,
    gas_velocity_m_per_s: ArrayLike,
    housing_temperature_K: ArrayLike | None = None,
    wall_temperature_K: ArrayLike | None = None,
    params: ElementThermalParameters = DEFAULT_ELEMENT,
    pressure_Pa: ArrayLike = ATMOSPHERE,
) -> FloatOrArray:
    """Element temperature at which a fixed effective heater voltage balances the losses.

    The heater power ``V_eff**2 / R_h(T)`` falls as the element heats up, so the balance is
    self-stabilising (the heater's positive temperature coefficient).

    Parameters
    ----------
    v_eff : array_like
        Effective heater voltage [V].
    gas_temperature_K, gas_velocity_m_per_s, housing_temperature_K, wall_temperature_K
        Boundary conditions, see :func:`heat_flows`.
    params : ElementThermalParameters
        Element and heater parameters.
    pressure_Pa : array_like
        Gas pressure [Pa].

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Steady-state temperature [K].

    Raises
    ------
    ValueError
        For out-of-range inputs, boundary temperatures below -200 °C or a solution above
        1200 °C.

    Examples
    --------
    >>> round(float(steady_state_temperature_at_voltage(7.5, 623.15, 2.0)) - 273.15)  # degC
    780
    """
    v_heater = check_range(v_eff, "v_eff", unit="V")
    t_gas = _pt_temperature(gas_temperature_K, "gas_temperature_K")
    t_h = (
        t_gas
        if housing_temperature_K is None
        else _positive(housing_temperature_K, "housing_temperature_K", "K")
    )
    t_w = (
        t_gas
        if wall_temperature_K is None
        else _positive(wall_temperature_K, "wall_temperature_K", "K")
    )
    v = check_range(gas_velocity_m_per_s, "gas_velocity_m_per_s", low=0.0, unit="m/s")
    shape = np.broadcast(v_heater, t_gas, t_h, t_w, v, np.asarray(pressure_Pa)).shape

    def excess(t: NDArray[np.float64]) -> NDArray[np.float64]:
        t_c = np.clip(t, _PT_T_MIN_K, _PT_T_MAX_K)
        r = params.heater_lead_resistance_ohm + params.heater_r0_ohm * _cvd_ratio(
            t_c - CELSIUS_OFFSET
        )
        q = heat_flows(t, t_gas, v, t_h, t_w, params, pressure_Pa).total_W
        return np.asarray(q - v_heater**2 / r)

    lower = np.maximum(np.minimum(np.minimum(t_gas, t_h), t_w), _PT_T_MIN_K)
    return _steady_state(excess, lower, shape)
