r"""Pump-current controller of a CJ125-like interface: PI on the Nernst-voltage error.

The loop holds the Nernst voltage ``U_N`` (reference electrode against the inner pump / Nernst
electrode of the chamber) at its setpoint by setting the pump current ``I_p``:

.. math::

    e_k = U_{N,set} - U_{N,k}, \qquad I_{p,k} = \mathrm{PI}(e_k)
    \in [I_{p,rich}, I_{p,lean}] = [-9, +6]\ \mathrm{mA}

run at 500 Hz with ``k_P = 50 mA/V``, ``k_I = 10000 mA/(V s)`` and an integrator clamp of
10 mA (rusEFI / mck1117 wideband firmware ``pump_control.cpp``: ``Pid pumpPid(50.0f,
10000.0f, 0, 10, 2)``, ``error = NERNST_TARGET - nernstVoltage``; public_data.toml
``[controller_practice]``). The current limits are the LSU 4.9 pump-current range
(public_data.toml ``[lsu49]``, Bosch LSU 4.9 TPI / Motorsport data sheet).

Sign conventions (the same as the firmware and the LSU 4.9 / CJ125 literature):

* **pump current** ``I_p > 0`` when O2 is pumped **out** of the chamber (lean exhaust; 2.54 mA
  in air), ``I_p < 0`` when O2 is pumped **in** (rich exhaust);
* **error** ``e = U_set - U_N``: a Nernst voltage **below** the setpoint means the chamber
  holds **more** O2 than the setpoint (the Nernst voltage falls as chamber O2 rises against the
  fixed reference), so ``e > 0`` and the controller raises ``I_p`` (pumps more O2 out) until the
  chamber is back at the setpoint. Rich gas drives ``U_N`` above the setpoint, ``e < 0``,
  ``I_p`` falls below zero.

Anti-windup: the firmware clamps the integrator at +-10 mA only (its output is limited by the
pump DAC). Because the LSU current limits (-9/+6 mA) are narrower than the clamp, this module
also uses conditional integration by default (``conditional_integration = True``); set it
``False`` to reproduce the firmware's clamp-only behaviour exactly.

No sensor physics here: the caller supplies the measured Nernst voltage and applies the current.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import as_float_array, check_range
from mixpot.control.pid import (
    PIParams,
    PIState,
    _check_gain,
    _check_limits,
    cached_pi_params,
    pi_init,
    pi_step,
)

if TYPE_CHECKING:
    from mixpot.design import Design

__all__ = [
    "NERNST_TARGET_V",
    "PUMP_CURRENT_LEAN_MAX_A",
    "PUMP_CURRENT_RICH_MAX_A",
    "PUMP_INTEGRATOR_CLAMP_A",
    "PUMP_KI_A_PER_V_S",
    "PUMP_KP_A_PER_V",
    "PUMP_LOOP_HZ",
    "PumpControllerParams",
    "nernst_error",
    "pump_init",
    "pump_step",
]

NERNST_TARGET_V: float = 0.45
"""Nernst-voltage setpoint of an LSU-type sensor [V] (Bosch LSU 4.9 TPI; firmware
``NERNST_TARGET``)."""

PUMP_LOOP_HZ: float = 500.0
"""Pump-loop rate [Hz] (rusEFI / mck1117 wideband firmware ``pump_control.cpp``, 2 ms)."""

PUMP_KP_A_PER_V: float = 50e-3
"""Proportional gain [A/V] (50 mA/V; firmware ``pump_control.cpp``)."""

PUMP_KI_A_PER_V_S: float = 10.0
"""Integral gain [A/(V s)] (10000 mA/(V s); firmware ``pump_control.cpp``)."""

PUMP_INTEGRATOR_CLAMP_A: float = 10e-3
"""Integrator clamp [A] (10 mA; firmware ``pump_control.cpp``)."""

PUMP_CURRENT_RICH_MAX_A: float = -9e-3
"""Most negative (rich) pump current [A] (Bosch LSU 4.9 TPI / Motorsport data sheet)."""

PUMP_CURRENT_LEAN_MAX_A: float = 6e-3
"""Most positive (lean) pump current [A] (Bosch LSU 4.9 TPI / Motorsport data sheet)."""


@dataclass(frozen=True)
class PumpControllerParams:
    """Parameters of the pump-current controller (defaults: LSU 4.9 with CJ125-like loop).

    Parameters
    ----------
    setpoint_V : float
        Nernst-voltage setpoint [V], 0-1.2 V (0.45 V for the LSU type; a design's own value via
        :meth:`from_design`).
    loop_Hz : float
        Loop rate [Hz], > 0 (500 Hz, firmware).
    kp_A_per_V : float
        Proportional gain [A/V], >= 0 (50 mA/V, firmware).
    ki_A_per_V_s : float
        Integral gain [A/(V s)], >= 0 (10000 mA/(V s), firmware).
    integrator_clamp_A : float
        Integrator clamp [A], >= 0 (10 mA, firmware).
    current_min_A, current_max_A : float
        Pump-current limits [A], ``current_min_A < current_max_A`` (-9 mA / +6 mA, LSU 4.9).
    conditional_integration : bool
        Additional anti-windup by conditional integration (default ``True``; ``False`` is the
        firmware's clamp-only behaviour).

    Raises
    ------
    ValueError
        For out-of-range values; the message names the field, the value and the range.

    Examples
    --------
    >>> p = PumpControllerParams()
    >>> p.sample_time_s, p.setpoint_V
    (0.002, 0.45)
    """

    setpoint_V: float = NERNST_TARGET_V
    loop_Hz: float = PUMP_LOOP_HZ
    kp_A_per_V: float = PUMP_KP_A_PER_V
    ki_A_per_V_s: float = PUMP_KI_A_PER_V_S
    integrator_clamp_A: float = PUMP_INTEGRATOR_CLAMP_A
    current_min_A: float = PUMP_CURRENT_RICH_MAX_A
    current_max_A: float = PUMP_CURRENT_LEAN_MAX_A
    conditional_integration: bool = True

    def __post_init__(self) -> None:
        sp = check_range(self.setpoint_V, "setpoint_V", low=0.0, high=1.2, unit="V")
        object.__setattr__(self, "setpoint_V", float(sp))
        hz = check_range(
            self.loop_Hz,
            "loop_Hz",
            low=0.0,
            low_inclusive=False,
            high=math.inf,
            high_inclusive=False,
            unit="Hz",
        )
        object.__setattr__(self, "loop_Hz", float(hz))
        object.__setattr__(self, "kp_A_per_V", _check_gain(self.kp_A_per_V, "kp_A_per_V", "A/V"))
        object.__setattr__(
            self, "ki_A_per_V_s", _check_gain(self.ki_A_per_V_s, "ki_A_per_V_s", "A/(V s)")
        )
        clamp = check_range(self.integrator_clamp_A, "integrator_clamp_A", low=0.0, unit="A")
        object.__setattr__(self, "integrator_clamp_A", float(clamp))
        _check_limits(self.current_min_A, self.current_max_A, "current_min_A", "current_max_A", "A")
        object.__setattr__(self, "current_min_A", float(self.current_min_A))
        object.__setattr__(self, "current_max_A", float(self.current_max_A))

    @property
    def sample_time_s(self) -> float:
        """Sample period ``1 / loop_Hz`` [s]."""
        return 1.0 / self.loop_Hz

    def pi_params(self) -> PIParams:
        """Return the equivalent :class:`~mixpot.control.pid.PIParams` (error [V], output [A])."""
        return PIParams(
            sample_time_s=self.sample_time_s,
            kp=self.kp_A_per_V,
            ki=self.ki_A_per_V_s,
            output_min=self.current_min_A,
            output_max=self.current_max_A,
            integrator_clamp=self.integrator_clamp_A,
            conditional_integration=self.conditional_integration,
        )

    @classmethod
    def from_design(cls, design: Design, **overrides: Any) -> PumpControllerParams:
        """Parameters with the Nernst setpoint of ``design`` (other fields default or overridden).

        Parameters
        ----------
        design : mixpot.design.Design
            Sensor design; its setpoint is :func:`mixpot.steady.nernst_setpoint` (the design's
            ``operation.nernst_setpoint_V`` or the value that follows from its lambda setpoint),
            its PI gains ``operation.pump_kp_A_per_V`` and ``operation.pump_ki_A_per_V_s`` where
            given.
        **overrides
            Any other field of this class.

        Returns
        -------
        PumpControllerParams
            Validated parameters.
        """
        from mixpot.steady import nernst_setpoint  # local import: keeps control/ light

        overrides.setdefault("setpoint_V", nernst_setpoint(design))
        op = design.operation
        if op.pump_kp_A_per_V is not None:
            overrides.setdefault("kp_A_per_V", op.pump_kp_A_per_V)
        if op.pump_ki_A_per_V_s is not None:
            overrides.setdefault("ki_A_per_V_s", op.pump_ki_A_per_V_s)
        return cls(**overrides)


def nernst_error(params: PumpControllerParams, nernst_V: ArrayLike) -> NDArray[np.float64]:
    """Control error ``e = U_set - U_N`` of the pump loop [V].

    Positive when the Nernst voltage is below the setpoint (too much O2 in the chamber), which
    makes the controller pump O2 out (positive pump current).

    Parameters
    ----------
    params : PumpControllerParams
        Controller parameters (setpoint).
    nernst_V : array_like
        Measured Nernst voltage [V].

    Returns
    -------
    numpy.ndarray
        Error [V].

    Examples
    --------
    >>> round(float(nernst_error(PumpControllerParams(), 0.40)), 6)
    0.05
    """
    u = as_float_array(nernst_V, "nernst_V")
    if not np.isfinite(u).all():
        raise ValueError("nernst_V contains NaN or inf; a finite value is required")
    return np.asarray(params.setpoint_V - u, dtype=float)


def pump_init(shape: int | tuple[int, ...] = (), current_A: ArrayLike = 0.0) -> PIState:
    """Create the initial pump-controller state for ``shape`` points.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the point arrays.
    current_A : array_like
        Initial pump current [A] held in the integrator (bumpless start from a known current,
        e.g. a steady-state solution), broadcast to ``shape``.

    Returns
    -------
    PIState
        Controller state.
    """
    state = pi_init(shape, integrator=current_A)
    return PIState(state.integrator, state.integrator.copy(), state.saturated)


def pump_step(
    params: PumpControllerParams,
    state: PIState,
    nernst_V: ArrayLike,
    enabled: ArrayLike | None = None,
) -> tuple[PIState, NDArray[np.float64]]:
    """Advance the pump-current controllers by one loop period (``1/loop_Hz``).

    Parameters
    ----------
    params : PumpControllerParams
        Controller parameters.
    state : PIState
        State after the previous step.
    nernst_V : array_like
        Measured Nernst voltage [V] of this sample.
    enabled : array_like of bool, optional
        Points whose loop runs. Disabled points get zero pump current and keep their
        integrator (the firmware sets zero current while the heater is not in closed loop).

    Returns
    -------
    state : PIState
        New state.
    current_A : numpy.ndarray
        Pump current [A], positive = O2 pumped out of the chamber, within
        ``[current_min_A, current_max_A]``.

    Examples
    --------
    >>> p = PumpControllerParams()
    >>> s, ip = pump_step(p, pump_init(2), [0.40, 0.50])
    >>> bool(ip[0] > 0), bool(ip[1] < 0)
    (True, True)
    >>> s, ip = pump_step(p, pump_init(2), [0.30, 0.90])
    >>> ip * 1e3
    array([ 6., -9.])
    """
    e = nernst_error(params, nernst_V)
    new, current = pi_step(cached_pi_params(params), state, e)
    if enabled is None:
        return new, current
    on = np.asarray(enabled, dtype=bool)
    current = np.where(on, current, 0.0)
    new = PIState(
        integrator=np.where(on, new.integrator, state.integrator),
        output=current,
        saturated=np.where(on, new.saturated, False),
    )
    return new, current
