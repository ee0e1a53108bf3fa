"""Compiled heater period of the transient simulation: R_i reading, heater loop, heat balance.

Every heater-controller period (50 ms) :func:`mixpot.transient.simulate.simulate` does three
things for its one operating point, here in one compiled call:

1. the internal resistance R_i as the CJ125 reports it, :math:`K/\\sigma(T)` plus the noise of
   the period's mean measurement (:func:`mixpot.electronics.measured_internal_resistance`
   without gain and offset error; the electrolyte law compiled from the source of
   :func:`mixpot.electrolyte.cell_resistance`);
2. one step of the heater controller: the compiled state machine that
   :func:`mixpot.control.heater.heater_step` runs;
3. the heater power at the applied voltage (:func:`mixpot.thermal.heater_power`) and the
   explicit Euler step of the lumped heat balance over the period
   (:func:`mixpot.thermal.temperature_rate`), both as their compiled scalar mirrors.

The NumPy functions stay the reference: the compiled mirrors are tested equal to them, and
inputs that they reject are sent to them for the error message.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from mixpot._validation import check_range
from mixpot.control.heater import (
    BATTERY_VOLTAGE_V,
    HeaterParams,
    HeaterState,
    _coefficients,
    _heater_points,
)
from mixpot.electrolyte import (
    YSZ_ACTIVATION_TEMPERATURE_K,
    YSZ_PRE_EXPONENTIAL_S_PER_M,
    _cell_resistance_point,
    cell_resistance,
)
from mixpot.thermal import (
    _PT_T_MAX_K,
    _PT_T_MIN_K,
    DEFAULT_ELEMENT,
    ElementThermalParameters,
    _heater_power_point,
    _point_coefficients,
    _pt_temperature,
    _temperature_rate_point,
)

__all__ = ["HeaterLoop"]

_OK, _BAD_READING, _BAD_TEMPERATURE = 0, 1, 2


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _period(
    controller: NDArray[np.float64],
    thermal: NDArray[np.float64],
    cell: NDArray[np.float64],
    phase: NDArray[np.int8],
    steps: NDArray[np.int64],
    v_eff: NDArray[np.float64],
    integ: NDArray[np.float64],
    out: NDArray[np.float64],
    sat: NDArray[np.bool_],
    v_batt: NDArray[np.float64],
    temperature: float,
    noise_ohm: float,
    gas_temperature: float,
    gas_velocity: float,
    pressure: float,
    period_s: float,
) -> tuple[float, float, float, float, int]:  # pragma: no cover - compiled
    """One heater period of one point (module docstring); controller state updated in place.

    ``cell``: cell constant [1/m], YSZ pre-exponential factor [S/m] and activation
    temperature [K]. Returns R_i [Ohm], applied voltage [V], heater power [W], the temperature
    at the end of the period [K] and a code (``_OK``, or which input the NumPy functions
    reject; the state is then not changed).
    """
    nan = np.nan
    if not temperature > 0.0:
        return nan, nan, nan, nan, _BAD_READING
    r_true = _cell_resistance_point(cell[0], temperature, cell[1], cell[2])
    r_i = r_true + noise_ohm
    if not r_i > 0.0:
        return r_i, nan, nan, nan, _BAD_READING
    if temperature < _PT_T_MIN_K or temperature > _PT_T_MAX_K:
        return r_i, nan, nan, nan, _BAD_TEMPERATURE
    ri = np.full(1, r_i)
    command, duty, duty_sat = np.empty(1), np.empty(1), np.empty(1, np.bool_)
    _heater_points(
        controller, ri, v_batt, phase, steps, v_eff, integ, out, sat, command, duty, duty_sat
    )
    power = _heater_power_point(v_eff[0], temperature, thermal[7], thermal[8])
    rate = _temperature_rate_point(
        temperature, power, gas_temperature, gas_velocity, pressure, thermal
    )
    return r_i, v_eff[0], power, temperature + period_s * rate, _OK


@dataclass
class HeaterLoop:
    """Heater controller and heat balance of one point, advanced period by period.

    Create with :meth:`start`; :meth:`step` advances one period. The controller state lives in
    one-element arrays updated in place.
    """

    controller: NDArray[np.float64]  # _heater_points coefficients
    thermal: NDArray[np.float64]  # mixpot.thermal._point_coefficients
    cell: NDArray[np.float64]  # cell constant, YSZ A, YSZ B
    phase: NDArray[np.int8]
    steps: NDArray[np.int64]
    v_eff: NDArray[np.float64]
    integrator: NDArray[np.float64]
    output: NDArray[np.float64]
    saturated: NDArray[np.bool_]
    v_batt: NDArray[np.float64]
    period_s: float

    @classmethod
    def start(
        cls,
        params: HeaterParams,
        state: HeaterState,
        cell_constant_per_m: float,
        period_s: float,
        element: ElementThermalParameters = DEFAULT_ELEMENT,
    ) -> HeaterLoop:
        """Set up the loop from a one-point controller state.

        Parameters
        ----------
        params : HeaterParams
            Controller parameters.
        state : HeaterState
            Controller state of one point (copied).
        cell_constant_per_m : float
            Cell constant of the measured Nernst cell [1/m].
        period_s : float
            Time over which the heat balance is integrated per step [s] (the heater period
            as the pump-loop ticks make it up).
        element : ElementThermalParameters
            Thermal parameters of the element.

        Returns
        -------
        HeaterLoop
            The loop, battery at :data:`mixpot.control.heater.BATTERY_VOLTAGE_V`.
        """

        def one(a: NDArray[np.generic], dtype: type) -> NDArray[np.generic]:
            return np.array(a, dtype=dtype).reshape(1)

        return cls(
            controller=_coefficients(params),
            thermal=_point_coefficients(element),
            cell=np.array(
                [cell_constant_per_m, YSZ_PRE_EXPONENTIAL_S_PER_M, YSZ_ACTIVATION_TEMPERATURE_K]
            ),
            phase=one(state.phase, np.int8),
            steps=one(state.steps_in_phase, np.int64),
            v_eff=one(state.v_eff_V, np.float64),
            integrator=one(state.pi.integrator, np.float64),
            output=one(state.pi.output, np.float64),
            saturated=one(state.pi.saturated, np.bool_),
            v_batt=np.array([BATTERY_VOLTAGE_V]),
            period_s=float(period_s),
        )

    def step(
        self,
        temperature: float,
        noise_ohm: float,
        gas_temperature_K: float,
        gas_velocity_m_s: float,
        pressure_Pa: float,
    ) -> tuple[float, float, float, float]:
        """Advance one heater period.

        Parameters
        ----------
        temperature : float
            Element temperature at the start of the period [K].
        noise_ohm : float
            Noise of the period's mean R_i measurement [Ohm] (drawn by the caller).
        gas_temperature_K, gas_velocity_m_s, pressure_Pa : float
            Exhaust at the element (validated trace values).

        Returns
        -------
        r_i : float
            Measured internal resistance [Ohm].
        v_eff : float
            Applied effective heater voltage [V].
        power : float
            Heater power [W].
        temperature_next : float
            Element temperature at the end of the period [K].

        Raises
        ------
        ValueError
            For a reading or temperature that the NumPy functions reject (their message).
        """
        r_i, v_eff, power, t_next, code = _period(
            self.controller,
            self.thermal,
            self.cell,
            self.phase,
            self.steps,
            self.v_eff,
            self.integrator,
            self.output,
            self.saturated,
            self.v_batt,
            temperature,
            noise_ohm,
            gas_temperature_K,
            gas_velocity_m_s,
            pressure_Pa,
            self.period_s,
        )
        # the checks of the NumPy functions raise for exactly these codes
        if code == _BAD_READING:
            cell_resistance(self.cell[0], temperature)  # temperature <= 0
            check_range(r_i, "ri_ohm", low=0.0, low_inclusive=False, unit="Ohm")
        elif code == _BAD_TEMPERATURE:
            _pt_temperature(temperature)
        return r_i, v_eff, power, t_next
