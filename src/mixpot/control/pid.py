r"""Discrete-time PI controller, vectorised over operating points, with anti-windup.

One call of :func:`pi_step` advances every point by one sample period ``T_s``. The law is the
one of the open-source rusEFI / mck1117 wideband firmware (``firmware/pid.cpp``,
``Pid::GetOutput``; derivative term dropped because every loop here is PI):

.. math::

    I_k = \operatorname{clip}\left(I_{k-1} + k_I\,T_s\,e_k,\; -I_{max},\; +I_{max}\right),
    \qquad
    u_k = \operatorname{clip}\left(k_P\,e_k + I_k,\; u_{min},\; u_{max}\right)

with error ``e`` (the caller forms it; the firmware uses ``setpoint - observation``), the
integrator ``I`` held in output units (forward Euler, the current error is integrated before
the output is formed, as in the firmware) and two anti-windup measures:

* **integrator clamp** ``|I| <= I_max`` (the firmware's only measure, ``m_config.clamp``);
* **conditional integration** (optional, default on): where the error drives the output
  towards a limit, the integrator grows only until ``k_P e + I`` reaches that limit
  (:math:`I_k \le \max(I_{k-1}, u_{max} - k_P e_k)` for ``e > 0``, mirrored for ``e < 0``);
  if the proportional term alone already saturates the output, the integrator keeps its
  previous value. It is never driven outward while saturated, so it unwinds at once when the
  error changes sign.

Everything is elementwise NumPy on arrays of any shape (one element per simulated sensor), so
the transient integrator can advance thousands of points in one call. The state is a frozen
dataclass of arrays (:class:`PIState`): deterministic, copy-free to checkpoint
(``dataclasses.asdict``) and restore (``PIState(**d)``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Protocol

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import as_float_array, check_range

__all__ = ["PIParams", "PIState", "cached_pi_params", "pi_init", "pi_integrator", "pi_step"]


class _HasPIParams(Protocol):
    def pi_params(self) -> PIParams: ...


def _check_gain(value: float, name: str, unit: str = "") -> float:
    return float(check_range(value, name, low=0.0, high=math.inf, high_inclusive=False, unit=unit))


def _check_limits(low: float, high: float, low_name: str, high_name: str, unit: str = "") -> None:
    """Raise if ``low`` is not strictly below ``high`` (message names field, value, range)."""
    check_range(low, low_name, unit=unit)
    check_range(high, high_name, unit=unit)
    if not low < high:
        check_range(high, high_name, low=low, low_inclusive=False, unit=unit)


@dataclass(frozen=True)
class PIParams:
    """Parameters of a discrete-time PI controller.

    The units of ``kp``, ``ki``, the limits and the clamp follow from the error and output units
    of the loop (e.g. error [V], output [A]: ``kp`` [A/V], ``ki`` [A/(V s)]).

    Parameters
    ----------
    sample_time_s : float
        Sample period ``T_s`` [s], > 0.
    kp : float
        Proportional gain [output/error], >= 0.
    ki : float
        Integral gain [output/(error s)], >= 0.
    output_min, output_max : float
        Output limits [output units], ``output_min < output_max``; infinite means unlimited.
    integrator_clamp : float
        Symmetric clamp of the integrator term, ``|I| <= integrator_clamp`` [output units],
        >= 0; ``inf`` disables the clamp (rusEFI/mck1117 wideband firmware ``pid.cpp``).
    conditional_integration : bool
        Integrate towards a limit only until the output reaches it; freeze the integrator while
        the output is saturated and the error pushes further into saturation (default ``True``).

    Raises
    ------
    ValueError
        For a non-positive sample time, negative or non-finite gains, a negative clamp, or
        ``output_min >= output_max``; the message names the field, the value and the range.

    Examples
    --------
    >>> p = PIParams(sample_time_s=0.002, kp=0.05, ki=10.0, output_min=-9e-3, output_max=6e-3)
    >>> p.integrator_clamp
    inf
    """

    sample_time_s: float
    kp: float
    ki: float
    output_min: float = -math.inf
    output_max: float = math.inf
    integrator_clamp: float = math.inf
    conditional_integration: bool = True

    def __post_init__(self) -> None:
        dt = check_range(
            self.sample_time_s,
            "sample_time_s",
            low=0.0,
            low_inclusive=False,
            high=math.inf,
            high_inclusive=False,
            unit="s",
        )
        object.__setattr__(self, "sample_time_s", float(dt))
        object.__setattr__(self, "kp", _check_gain(self.kp, "kp"))
        object.__setattr__(self, "ki", _check_gain(self.ki, "ki"))
        clamp = check_range(self.integrator_clamp, "integrator_clamp", low=0.0)
        object.__setattr__(self, "integrator_clamp", float(clamp))
        _check_limits(self.output_min, self.output_max, "output_min", "output_max")
        object.__setattr__(self, "output_min", float(self.output_min))
        object.__setattr__(self, "output_max", float(self.output_max))
        object.__setattr__(self, "conditional_integration", bool(self.conditional_integration))


@dataclass(frozen=True, eq=False)
class PIState:
    """State of a vector of PI controllers (one element per point).

    Parameters
    ----------
    integrator : numpy.ndarray
        Integrator term ``I`` [output units].
    output : numpy.ndarray
        Output of the last step [output units] (0 before the first step).
    saturated : numpy.ndarray of bool
        Whether the last output was limited by ``output_min``/``output_max``.
    """

    integrator: NDArray[np.float64]
    output: NDArray[np.float64]
    saturated: NDArray[np.bool_]


def pi_init(shape: int | tuple[int, ...] = (), integrator: ArrayLike = 0.0) -> PIState:
    """Create the initial PI state for ``shape`` points.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the point arrays (``()`` for a single scalar point).
    integrator : array_like
        Initial integrator value [output units], broadcast to ``shape`` (bumpless start from a
        known output).

    Returns
    -------
    PIState
        Integrator as given, output 0, not saturated.

    Examples
    --------
    >>> pi_init(3).integrator
    array([0., 0., 0.])
    """
    i0 = np.array(np.broadcast_to(as_float_array(integrator, "integrator"), shape), dtype=float)
    return PIState(
        integrator=i0,
        output=np.zeros(shape),
        saturated=np.zeros(shape, dtype=bool),
    )


@functools.lru_cache(maxsize=64)
def cached_pi_params(owner: _HasPIParams) -> PIParams:
    """Return ``owner.pi_params()``, built (and validated) once per frozen parameter object.

    The pump and heater loops call their controllers every tick; their parameter objects are
    frozen dataclasses (hashable), so the equivalent :class:`PIParams` never changes.
    """
    return owner.pi_params()


@numba.vectorize(cache=True)
def pi_integrator(
    integrator: float,
    error: float,
    ki_dt: float,
    clamp: float,
    low_minus_p: float,
    high_minus_p: float,
    conditional: float,
) -> float:  # pragma: no cover - compiled
    """Return the new PI integrator (a compiled ufunc; scalars inside compiled loops too).

    ``i = clip(clip(i_old, -c, c) + k_i dt e, -c, c)``; with conditional integration
    (``conditional`` = 1) the integrator moves outward only as far as the output
    ``k_p e + i`` stays within its limits, and never undoes content already there (it unwinds
    when the error changes sign); ``low_minus_p``/``high_minus_p`` are the output limits minus
    the proportional term.

    Parameters
    ----------
    integrator, error, ki_dt, clamp, low_minus_p, high_minus_p, conditional : float or array
        Old integrator [output units], error [error units], k_i times the sample time, the
        integrator clamp, the limits minus ``k_p e`` [output units], 1.0 or 0.0.

    Returns
    -------
    float or numpy.ndarray
        New integrator [output units].
    """
    i_old = min(max(integrator, -clamp), clamp)
    i_new = min(max(i_old + ki_dt * error, -clamp), clamp)
    if conditional != 0.0:
        if error > 0.0:
            i_new = min(i_new, max(i_old, high_minus_p))
        elif error < 0.0:
            i_new = max(i_new, min(i_old, low_minus_p))
    return i_new


def pi_step(
    params: PIParams,
    state: PIState,
    error: ArrayLike,
    *,
    output_min: ArrayLike | None = None,
    output_max: ArrayLike | None = None,
) -> tuple[PIState, NDArray[np.float64]]:
    """Advance the PI controllers by one sample period.

    Parameters
    ----------
    params : PIParams
        Gains, sample time, limits and anti-windup settings.
    state : PIState
        State after the previous step.
    error : array_like
        Control error ``e_k`` of this sample [error units], broadcastable with the state.
    output_min, output_max : array_like, optional
        Per-call (per-point) limits replacing ``params.output_min``/``output_max`` for this step,
        e.g. a slew-rate window; must satisfy ``output_min <= output_max`` elementwise.

    Returns
    -------
    state : PIState
        New state (new arrays; the input state is not modified).
    output : numpy.ndarray
        Controller output ``u_k`` [output units], within the limits.

    Notes
    -----
    Integrator clamp as in ``pid.cpp`` of the rusEFI / mck1117 wideband firmware; conditional
    integration (``params.conditional_integration``) additionally stops integration once the
    output reaches the limit the error pushes towards.

    Examples
    --------
    >>> p = PIParams(sample_time_s=0.1, kp=1.0, ki=2.0, output_min=-1.0, output_max=1.0)
    >>> s, u = pi_step(p, pi_init(2), [0.5, 5.0])
    >>> u
    array([0.6, 1. ])
    >>> s.integrator, s.saturated
    (array([0.1, 0. ]), array([False,  True]))
    """
    e = as_float_array(error, "error")
    if np.isnan(e).any():
        raise ValueError("error contains NaN; a finite value is required")
    lo = params.output_min if output_min is None else as_float_array(output_min, "output_min")
    hi = params.output_max if output_max is None else as_float_array(output_max, "output_max")
    if np.any(np.asarray(lo) > np.asarray(hi)):
        raise ValueError("output_min must not exceed output_max (per-call limits)")

    p_term = params.kp * e
    i_new = pi_integrator(
        state.integrator,
        e,
        params.ki * params.sample_time_s,
        params.integrator_clamp,
        np.asarray(lo) - p_term,
        np.asarray(hi) - p_term,
        float(params.conditional_integration),
    )
    u_unlimited = p_term + i_new
    u = np.minimum(np.maximum(u_unlimited, lo), hi)
    new_state = PIState(
        integrator=np.asarray(i_new, dtype=float),
        output=np.asarray(u, dtype=float),
        saturated=np.asarray(u != u_unlimited),
    )
    return new_state, new_state.output
