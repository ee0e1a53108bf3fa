r"""Heater controller: warm-up state machine and PI on the internal resistance R_i.

The controller reads the Nernst-cell internal resistance ``R_i`` (measured by the CJ125 with a
3 kHz AC signal; it falls with temperature) and sets the effective heater voltage ``V_eff``;
the driver applies it as PWM from the battery with duty ``(V_eff / V_batt)^2``.

Phases (integer codes, one per point, :class:`HeaterPhase`) and transitions, evaluated at the
start of every step with the ``R_i`` of that sample:

``CONDENSATION (0)``
    Fixed low voltage ``condensation_V`` (1.5 V; max 2 V) while water may condense in the
    exhaust pipe. Leaves to ``RAMP`` after ``condensation_time_s`` (``ceil(t/T_s)`` steps), or
    at once when ``R_i < closed_loop_threshold_ohm`` (sensor already hot, e.g. warm restart).
``RAMP (1)``
    Starts at ``ramp_start_V`` (<= 8.5 V) and rises by ``ramp_rate_V_per_s`` (<= 0.4 V/s) up
    to ``v_eff_max_V``. Leaves to ``CLOSED_LOOP`` when ``R_i < closed_loop_threshold_ohm``; to
    ``FAULT`` after ``warmup_timeout_s`` without getting there.
``CLOSED_LOOP (2)``
    ``V_eff = V_ff + PI(R_i - R_target)``: higher ``R_i`` = colder = more voltage. The PI
    integrator starts at 0 on entry (as in the firmware).
``FAULT (3)``
    Heater off (``V_eff = 0``); terminal (firmware ``Stopped``, fault ``SensorDidntHeat``).

The **ramp limit always holds**: in ``RAMP`` and ``CLOSED_LOOP`` the voltage may rise by at most
``ramp_rate_V_per_s * T_s`` per step above the previous *applied* voltage (in closed loop this
window is the PI's upper output limit, so its conditional integration prevents windup). The only
upward step allowed is the entry into ``RAMP`` at ``ramp_start_V`` (the TPI's start value).
Falling voltage is never limited (less power is always safe).

PWM: ``duty = (V_eff / V_batt)^2`` clipped to [0, 1]. When the battery cannot deliver the
commanded ``V_eff`` the duty is 1, ``duty_saturated`` is set and the applied voltage is
``V_batt`` (never silent).

Sources: Bosch LSU 4.9 TPI Y 258 E00 015e (heater start <= 8.5 V, ramp <= 0.4 V/s, nominal
7.5 V / 7.5 W, light-off <= 10 s; public_data.toml ``[lsu49] heater``); R_i target 300 Ohm
(public_data.toml ``[controller_practice]``); rusEFI / mck1117 wideband firmware
``heater_control.cpp`` / ``wideband_config.h`` (condensation voltage 1.5 V with the comment that
2 V is the maximum allowed, 5 s preheat, 50 ms period, closed-loop threshold 500 Ohm, 60 s warm-up
timeout, 7.5 V feed-forward, PI gains 0.3 V/Ohm and 0.3 V/(Ohm s) with 3 V integrator clamp,
11 V voltage limit). The condensation duration really is set by the engine control unit's
dew-point-end detection; 5 s is the firmware's fixed estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import check_range
from mixpot.control.pid import PIParams, PIState, cached_pi_params, pi_init, pi_integrator

__all__ = [
    "BATTERY_VOLTAGE_V",
    "CONDENSATION_MAX_V",
    "HEATER_RAMP_MAX_V_PER_S",
    "HEATER_START_MAX_V",
    "HEATER_TARGET_RI_OHM",
    "HeaterOutput",
    "HeaterParams",
    "HeaterPhase",
    "HeaterState",
    "heater_init",
    "heater_step",
    "pwm_duty",
]

HEATER_TARGET_RI_OHM: float = 300.0
"""Target internal resistance of the Nernst cell [Ohm] (LSU 4.9 at 780 C; public_data.toml)."""

HEATER_START_MAX_V: float = 8.5
"""Maximum effective heater voltage at the start of the ramp [V] (Bosch LSU 4.9 TPI)."""

HEATER_RAMP_MAX_V_PER_S: float = 0.4
"""Maximum rise rate of the effective heater voltage [V/s] (Bosch LSU 4.9 TPI)."""

CONDENSATION_MAX_V: float = 2.0
"""Maximum effective heater voltage during the condensation phase [V] (firmware comment
"Max allowed during condensation phase (preheat) is 2v", after the Bosch LSU 4.9 TPI; not in
public_data.toml)."""

BATTERY_VOLTAGE_V: float = 13.5
"""Default battery voltage [V] (running engine; estimate)."""


class HeaterPhase(IntEnum):
    """Integer phase codes of the heater state machine (stored as ``int8`` per point)."""

    CONDENSATION = 0
    RAMP = 1
    CLOSED_LOOP = 2
    FAULT = 3


@dataclass(frozen=True)
class HeaterParams:
    """Parameters of the heater controller (defaults: LSU 4.9 with firmware-like loop).

    Parameters
    ----------
    sample_time_s : float
        Control period [s], > 0 (0.05 s, firmware ``HEATER_CONTROL_PERIOD``).
    target_ri_ohm : float
        R_i setpoint [Ohm], > 0 (300 Ohm).
    kp_V_per_ohm : float
        Proportional gain [V/Ohm], >= 0 (0.3, firmware).
    ki_V_per_ohm_s : float
        Integral gain [V/(Ohm s)], >= 0 (0.3, firmware).
    integrator_clamp_V : float
        Integrator clamp [V], >= 0 (3 V, firmware).
    feedforward_V : float
        Closed-loop feed-forward voltage [V], 0 <= value <= ``v_eff_max_V`` (7.5 V = LSU 4.9
        nominal heater voltage, TPI; firmware).
    condensation_V : float
        Voltage during the condensation phase [V], 0-2 V (1.5 V, firmware).
    condensation_time_s : float
        Duration of the condensation phase [s], >= 0 (5 s, firmware; estimate for the dew point
        end, which the engine control unit really determines).
    ramp_start_V : float
        Voltage at the start of the ramp [V], 0 < value <= 8.5 V (8.5 V, TPI maximum = fastest
        allowed light-off; the firmware starts more gently at 4 V).
    ramp_rate_V_per_s : float
        Maximum voltage rise rate [V/s], 0 < value <= 0.4 V/s (0.4 V/s, TPI maximum; firmware
        0.3 V/s).
    v_eff_max_V : float
        Upper limit of the effective voltage [V], >= ``ramp_start_V`` and ``condensation_V``
        (11 V, firmware ``heater_control.cpp``; estimate for the sensor's rating).
    closed_loop_threshold_ohm : float
        R_i below which warm-up ends and closed loop starts [Ohm], > ``target_ri_ohm``
        (500 Ohm, firmware ``HEATER_CLOSED_LOOP_THRESHOLD_ESR``).
    warmup_timeout_s : float
        Maximum time in ``RAMP`` before ``FAULT`` [s], > 0, ``inf`` disables (60 s, firmware
        ``HEATER_WARMUP_TIMEOUT``).

    Raises
    ------
    ValueError
        For out-of-range values; the message names the field, the value and the range.

    Examples
    --------
    >>> HeaterParams().ramp_rate_V_per_s
    0.4
    """

    sample_time_s: float = 0.05
    target_ri_ohm: float = HEATER_TARGET_RI_OHM
    kp_V_per_ohm: float = 0.3
    ki_V_per_ohm_s: float = 0.3
    integrator_clamp_V: float = 3.0
    feedforward_V: float = 7.5
    condensation_V: float = 1.5
    condensation_time_s: float = 5.0
    ramp_start_V: float = HEATER_START_MAX_V
    ramp_rate_V_per_s: float = HEATER_RAMP_MAX_V_PER_S
    v_eff_max_V: float = 11.0
    closed_loop_threshold_ohm: float = 500.0
    warmup_timeout_s: float = 60.0

    def __post_init__(self) -> None:
        inf = math.inf

        def put(
            name: str, unit: str, low: float | None, high: float | None = inf, **kw: bool
        ) -> None:
            value = check_range(getattr(self, name), name, low=low, high=high, unit=unit, **kw)
            object.__setattr__(self, name, float(value))

        pos = {"low_inclusive": False}
        fin = {"high_inclusive": False}
        put("sample_time_s", "s", 0.0, **pos, **fin)
        put("target_ri_ohm", "Ohm", 0.0, **pos, **fin)
        put("kp_V_per_ohm", "V/Ohm", 0.0, **fin)
        put("ki_V_per_ohm_s", "V/(Ohm s)", 0.0, **fin)
        put("integrator_clamp_V", "V", 0.0)
        put("condensation_V", "V", 0.0, CONDENSATION_MAX_V)
        put("condensation_time_s", "s", 0.0, **fin)
        put("ramp_start_V", "V", 0.0, HEATER_START_MAX_V, **pos)
        put("ramp_rate_V_per_s", "V/s", 0.0, HEATER_RAMP_MAX_V_PER_S, **pos)
        put("v_eff_max_V", "V", max(self.ramp_start_V, self.condensation_V), **fin)
        put("feedforward_V", "V", 0.0, self.v_eff_max_V)
        put("closed_loop_threshold_ohm", "Ohm", self.target_ri_ohm, **pos, **fin)
        put("warmup_timeout_s", "s", 0.0, **pos)

    @property
    def condensation_steps(self) -> int:
        """Number of steps spent in ``CONDENSATION``, ``ceil(condensation_time_s / T_s)``."""
        return _steps(self.condensation_time_s, self.sample_time_s)

    @property
    def warmup_timeout_steps(self) -> float:
        """Number of ``RAMP`` steps before ``FAULT`` (``inf`` when disabled)."""
        if math.isinf(self.warmup_timeout_s):
            return math.inf
        return _steps(self.warmup_timeout_s, self.sample_time_s)

    def pi_params(self) -> PIParams:
        """PI parameters of the closed loop (error ``R_i - R_target`` [Ohm], output [V]).

        The output is the correction around ``feedforward_V``; its limits keep
        ``V_eff`` within ``[0, v_eff_max_V]``.
        """
        return PIParams(
            sample_time_s=self.sample_time_s,
            kp=self.kp_V_per_ohm,
            ki=self.ki_V_per_ohm_s,
            output_min=-self.feedforward_V,
            output_max=self.v_eff_max_V - self.feedforward_V,
            integrator_clamp=self.integrator_clamp_V,
            conditional_integration=True,
        )


_RI_CAP_OHM = 1e12

CONDENSATION, RAMP, CLOSED_LOOP, FAULT = (int(p) for p in HeaterPhase)
"""The phase codes as plain integers (for the compiled state machine)."""


def _steps(duration_s: float, dt_s: float) -> int:
    # ceil with a tolerance so that 5 s / 0.05 s gives exactly 100 steps despite rounding
    return max(0, math.ceil(duration_s / dt_s - 1e-9))


@dataclass(frozen=True, eq=False)
class HeaterState:
    """State of a vector of heater controllers (one element per point).

    Parameters
    ----------
    phase : numpy.ndarray of int8
        :class:`HeaterPhase` code per point.
    steps_in_phase : numpy.ndarray of int64
        Completed steps in the current phase.
    v_eff_V : numpy.ndarray
        Effective voltage applied in the last step [V] (after battery limitation); reference of
        the rise-rate limit.
    pi : PIState
        State of the closed-loop PI (held while a point is not in ``CLOSED_LOOP``).
    """

    phase: NDArray[np.int8]
    steps_in_phase: NDArray[np.int64]
    v_eff_V: NDArray[np.float64]
    pi: PIState


@dataclass(frozen=True, eq=False)
class HeaterOutput:
    """Outputs of one heater-controller step.

    Parameters
    ----------
    v_eff_command_V : numpy.ndarray
        Effective voltage the controller asks for [V].
    v_eff_V : numpy.ndarray
        Effective voltage actually applied [V], ``V_batt * sqrt(duty)`` (= command unless
        ``duty_saturated``).
    duty : numpy.ndarray
        PWM duty cycle [-] in [0, 1].
    duty_saturated : numpy.ndarray of bool
        The command needed a duty above 1 (battery too low); duty clipped to 1.
    phase : numpy.ndarray of int8
        Phase of each point in this step.
    """

    v_eff_command_V: NDArray[np.float64]
    v_eff_V: NDArray[np.float64]
    duty: NDArray[np.float64]
    duty_saturated: NDArray[np.bool_]
    phase: NDArray[np.int8]


def _battery_voltage(v_batt_V: ArrayLike) -> NDArray[np.float64]:
    """Validate a battery voltage: positive and finite [V]."""
    return check_range(
        v_batt_V, "v_batt_V", low=0.0, low_inclusive=False, high=math.inf, high_inclusive=False,
        unit="V",
    )  # fmt: skip


def pwm_duty(
    v_eff_V: ArrayLike, v_batt_V: ArrayLike = BATTERY_VOLTAGE_V
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """PWM duty cycle for an effective heater voltage, ``(V_eff / V_batt)^2`` clipped to [0, 1].

    The heater power of a PWM-driven resistor is ``duty * V_batt^2 / R``, equal to that of a
    DC voltage ``V_eff`` when ``duty = (V_eff/V_batt)^2`` (firmware ``heater_control.cpp``).

    Parameters
    ----------
    v_eff_V : array_like
        Effective (RMS) heater voltage [V], >= 0.
    v_batt_V : array_like
        Battery (supply) voltage [V], > 0 (default 13.5 V).

    Returns
    -------
    duty : numpy.ndarray
        Duty cycle [-] in [0, 1].
    saturated : numpy.ndarray of bool
        Where ``(V_eff/V_batt)^2 > 1``: the battery cannot deliver ``V_eff``; duty is 1.

    Examples
    --------
    >>> duty, sat = pwm_duty([6.75, 15.0], 13.5)
    >>> duty, sat
    (array([0.25, 1.  ]), array([False,  True]))
    """
    v = check_range(v_eff_V, "v_eff_V", low=0.0, high=math.inf, high_inclusive=False, unit="V")
    vb = _battery_voltage(v_batt_V)
    raw = (v / vb) ** 2
    saturated = raw > 1.0
    return np.minimum(raw, 1.0), np.asarray(saturated)


def heater_init(shape: int | tuple[int, ...] = ()) -> HeaterState:
    """Cold-start heater state: every point in ``CONDENSATION``, no voltage applied.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the point arrays.

    Returns
    -------
    HeaterState
        Initial state.

    Examples
    --------
    >>> heater_init(2).phase
    array([0, 0], dtype=int8)
    """
    return HeaterState(
        phase=np.full(shape, HeaterPhase.CONDENSATION, dtype=np.int8),
        steps_in_phase=np.zeros(shape, dtype=np.int64),
        v_eff_V=np.zeros(shape),
        pi=pi_init(shape),
    )


def heater_step(
    params: HeaterParams,
    state: HeaterState,
    ri_ohm: ArrayLike,
    v_batt_V: ArrayLike = BATTERY_VOLTAGE_V,
) -> tuple[HeaterState, HeaterOutput]:
    """Advance the heater controllers by one control period.

    Parameters
    ----------
    params : HeaterParams
        Controller parameters.
    state : HeaterState
        State after the previous step.
    ri_ohm : array_like
        Measured internal resistance of the Nernst cell [Ohm], > 0 (``inf`` allowed: open
        circuit of a cold sensor).
    v_batt_V : array_like
        Battery voltage [V], > 0 (default 13.5 V).

    Returns
    -------
    state : HeaterState
        New state.
    output : HeaterOutput
        Commanded and applied effective voltage, PWM duty, saturation flag and phase.

    Examples
    --------
    >>> p = HeaterParams()
    >>> s, out = heater_step(p, heater_init(2), [1e5, 250.0])
    >>> out.phase, out.v_eff_V
    (array([0, 1], dtype=int8), array([1.5, 8.5]))
    """
    ri = check_range(ri_ohm, "ri_ohm", low=0.0, low_inclusive=False, unit="Ohm")
    vb = _battery_voltage(v_batt_V)
    shape = np.broadcast_shapes(state.phase.shape, ri.shape, vb.shape)
    coeffs = _coefficients(params)

    def flat(a: ArrayLike, dtype: type) -> NDArray[Any]:
        arr = np.asarray(a, dtype=dtype)
        if arr.shape != shape:
            arr = np.broadcast_to(arr, shape)
        return arr.ravel().copy()  # a writable copy: the input state is not modified

    phase, steps = flat(state.phase, np.int8), flat(state.steps_in_phase, np.int64)
    v_eff, integ = flat(state.v_eff_V, float), flat(state.pi.integrator, float)
    out, sat = flat(state.pi.output, float), flat(state.pi.saturated, np.bool_)
    command, duty, duty_sat = np.empty(phase.size), np.empty(phase.size), np.empty(phase.size, bool)
    _heater_points(
        coeffs, flat(ri, float), flat(vb, float), phase, steps, v_eff, integ, out, sat,
        command, duty, duty_sat,
    )  # fmt: skip
    new_state = HeaterState(
        phase=phase.reshape(shape),
        steps_in_phase=steps.reshape(shape),
        v_eff_V=v_eff.reshape(shape),
        pi=PIState(integrator=integ.reshape(shape), output=out.reshape(shape),
                   saturated=sat.reshape(shape)),
    )  # fmt: skip
    output = HeaterOutput(
        v_eff_command_V=command.reshape(shape),
        v_eff_V=new_state.v_eff_V,
        duty=duty.reshape(shape),
        duty_saturated=duty_sat.reshape(shape),
        phase=new_state.phase,
    )
    return new_state, output


def _coefficients(params: HeaterParams) -> NDArray[np.float64]:
    """Parameters of the controller as :func:`_heater_points` takes them (``c``, see there)."""
    pi = cached_pi_params(params)
    return np.array(
        [
            params.closed_loop_threshold_ohm,
            params.condensation_steps,
            params.warmup_timeout_steps,
            params.ramp_rate_V_per_s * params.sample_time_s,
            params.v_eff_max_V,
            params.ramp_start_V,
            params.condensation_V,
            params.feedforward_V,
            params.target_ri_ohm,
            pi.kp,
            pi.ki * pi.sample_time_s,
            pi.integrator_clamp,
            pi.output_min,
            float(pi.conditional_integration),
        ]
    )


@numba.njit(cache=True, nogil=True)
def _heater_points(
    c: NDArray[np.float64],
    ri: NDArray[np.float64],
    v_batt: NDArray[np.float64],
    phase: NDArray[np.int8],
    steps: NDArray[np.int64],
    v_eff: NDArray[np.float64],
    integ: NDArray[np.float64],
    out: NDArray[np.float64],
    sat: NDArray[np.bool_],
    command: NDArray[np.float64],
    duty: NDArray[np.float64],
    duty_sat: NDArray[np.bool_],
) -> None:  # pragma: no cover - compiled
    """One controller step per point, in place (the state machine of the module docstring).

    ``c``: threshold, condensation steps, timeout steps, rise per step, v_max, ramp start,
    condensation V, feed-forward, target R_i, k_p, k_i T_s, integrator clamp, PI output
    minimum, conditional integration (1/0). State arrays are updated in place; ``command``,
    ``duty`` and ``duty_sat`` are filled.
    """
    for i in range(phase.size):
        hot = ri[i] < c[0]
        ph = phase[i]
        to_ramp = ph == CONDENSATION and (steps[i] >= c[1] or hot)
        to_closed = ph == RAMP and hot
        to_fault = ph == RAMP and not hot and steps[i] >= c[2]
        if to_ramp:
            ph = RAMP
        elif to_closed:
            ph = CLOSED_LOOP
        elif to_fault:
            ph = FAULT
        n = 0 if (to_ramp or to_closed or to_fault) else steps[i]
        v_up = min(v_eff[i] + c[3], c[4])  # rise-rate window above the applied voltage
        if ph == CONDENSATION:
            cmd = c[6]
        elif ph == RAMP:
            cmd = c[5] if to_ramp else v_up
        elif ph == CLOSED_LOOP:
            # positive when too cold -> more voltage; R_i capped so an open circuit stays finite
            err = min(ri[i], _RI_CAP_OHM) - c[8]
            lo, hi = c[12], max(v_up - c[7], c[12])
            p = c[9] * err
            i_new = pi_integrator(0.0 if to_closed else integ[i], err, c[10], c[11], lo - p,
                                  hi - p, c[13])  # fmt: skip
            u = min(max(p + i_new, lo), hi)
            integ[i], out[i], sat[i] = i_new, u, u != p + i_new
            cmd = c[7] + u
        else:
            cmd = 0.0
        cmd = max(cmd, 0.0)
        raw = (cmd / v_batt[i]) ** 2
        phase[i], steps[i] = ph, n + 1
        command[i], duty[i], duty_sat[i] = cmd, min(raw, 1.0), raw > 1.0
        v_eff[i] = min(cmd, v_batt[i])  # = V_batt sqrt(duty), exact
