"""Evaluation of raw sensor signals: oxidizable gas, exhaust O2 and lambda, with a status.

What an engine control unit runs, in discrete time on the raw signals: pump current (or the
CJ125 output ``UA``), measuring voltage and internal resistance, sample by sample. Every sample
gets a status (:class:`Status`) and a reason; a sample that is not ``READY`` never carries a
plausible-looking number in the quantity it concerns (NaN instead).

Rules, in priority order (thresholds are attributes of :class:`EvaluationSettings`):

1. ``HEATER_FAULT``: the heater controller reports a fault (``heater_phase`` 3);
2. ``WARMING_UP``: the heater is not yet in closed loop or R_i is above ``ready_ratio`` x target
   (the signals of a cold element are not signals, whatever they read);
3. ``IMPLAUSIBLE``: a needed signal is missing or NaN, the UA output is saturated, the
   measuring voltage is outside +- ``max_abs_measuring_voltage_V``, R_i is not positive, or the
   sample follows a dropout (a time gap of more than ``dropout_factor`` nominal periods);
4. ``HEATER_FAULT``: R_i below ``overheat_ratio`` x target (element too hot or shorted);
5. ``WARMING_UP``: less than ``ready_delay_s`` since the last sample that was not usable
   (rules 1-4: the ready delay restarts after every interruption);
6. ``OUT_OF_RANGE``: exhaust oxygen excess (pump current) or temperature (R_i) outside the
   calibration, the gas above the calibrated range or below zero by more than the
   calibration's uncertainty, or rich exhaust for a gas-sensitive calibration (the gas is read
   in lean exhaust only; lambda is read on both sides): the quantity concerned is NaN;
7. ``READY``.

The state carried from sample to sample is bounded: the last time, the first intervals until
the nominal sample period is known (their median; or ``sample_period_s``), and the time since
the last unusable sample. Times must be finite and strictly increasing.

:func:`evaluate` (batch) and :class:`Evaluator` (streaming, bounded state) give identical
results: the batch computes the stateless part vectorised and runs the same state machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from mixpot.constants import AIR_O2_FRACTION
from mixpot.electronics import pump_current_from_ua
from mixpot.evaluation.calibration import Calibration, invert
from mixpot.gas.air_ratio import lambda_from_o2_excess

__all__ = ["EvaluationSettings", "Evaluator", "Status", "evaluate"]

Array = NDArray[np.float64]


class Status(IntEnum):
    """Status of an evaluated sample."""

    READY = 0
    WARMING_UP = 1
    OUT_OF_RANGE = 2
    HEATER_FAULT = 3
    IMPLAUSIBLE = 4


@dataclass(frozen=True)
class EvaluationSettings:
    """Thresholds of the evaluation (estimates modelled on wideband-sensor firmware).

    Attributes
    ----------
    ready_ratio : float
        R_i at most this times the target counts as "at temperature" [-]. Default 1.5 (about
        40 K below the operating temperature: the evaluation compensates +-30 K through R_i).
    overheat_ratio : float
        R_i below this times the target is a heater fault [-]. Default 0.6 (about 60 K hot).
    ready_delay_s : float
        Time at temperature before the signals count [s]. Default 1.0 (pump loop and chamber
        settle within tens of ms; margin for the heater loop).
    dropout_factor : float
        A time gap above this many nominal sample periods is a dropout [-]. Default 3.
    max_abs_measuring_voltage_V : float
        Larger measuring voltages are implausible [V]. Default 1.2.
    sample_period_s : float or None
        Nominal sample period [s]; None (default) takes the median of the first
        :data:`PERIOD_SAMPLES` intervals (dropouts are detected from then on).
    """

    ready_ratio: float = 1.5
    overheat_ratio: float = 0.6
    ready_delay_s: float = 1.0
    dropout_factor: float = 3.0
    max_abs_measuring_voltage_V: float = 1.2
    sample_period_s: float | None = None


PERIOD_SAMPLES = 9
"""Intervals whose median is the nominal sample period when it is not given."""


_REASONS = {
    "missing": "signal missing or NaN",
    "saturated": "UA output saturated",
    "voltage": "measuring voltage outside its plausible range",
    "ri": "internal resistance not positive",
    "dropout": "sample after a dropout (time gap)",
    "heater": "heater fault reported",
    "overheat": "internal resistance far below target (overheated or shorted)",
    "cold": "element below operating temperature",
    "settling": "at temperature for less than the ready delay",
    "o2": "exhaust lambda outside the calibrated range",
    "ri_range": "temperature (R_i) outside the calibrated range",
    "hc_high": "oxidizable gas above the calibrated range",
    "hc_low": "oxidizable gas below zero beyond the calibration uncertainty",
    "rich": "rich exhaust: the oxidizable gas is read in lean exhaust only",
}


_FLAGS = (
    "missing",
    "saturated",
    "voltage",
    "ri",
    "heater",
    "overheat",
    "cold",
    "o2",
    "ri_range",
    "hc_high",
    "hc_low",
    "rich",
)
"""Per-sample conditions that need no history (the state machine adds dropout and settling)."""


Signals = Mapping[str, Any]
"""A DataFrame, or a mapping of signal names to arrays (one entry per sample)."""


def _col(signals: Signals, name: str, dtype: type = float) -> np.ndarray:
    return np.atleast_1d(np.asarray(signals[name], dtype=dtype))


def _pump_current(signals: Signals, n: int) -> tuple[Array, Array]:
    """Pump current from ``pump_current_A`` or ``UA_V``, and the UA saturation mask."""
    saturated = (
        _col(signals, "UA_saturated", bool) if "UA_saturated" in signals else np.zeros(n, bool)
    )
    if "pump_current_A" in signals:
        return _col(signals, "pump_current_A"), saturated
    if "UA_V" in signals:
        return np.asarray(pump_current_from_ua(_col(signals, "UA_V")), dtype=float), saturated
    raise ValueError("signals need a 'pump_current_A' or a 'UA_V' column")


def _stateless(signals: Signals, cal: Calibration, settings: EvaluationSettings) -> dict[str, Any]:
    """Everything of the evaluation that does not depend on earlier samples (vectorised)."""
    for name in ("measuring_voltage_V", "internal_resistance_ohm"):
        if name not in signals:
            raise ValueError(f"signals need a {name!r} column")
    u = _col(signals, "measuring_voltage_V")
    ri = _col(signals, "internal_resistance_ohm")
    ip, saturated = _pump_current(signals, u.size)
    phase = _col(signals, "heater_phase") if "heater_phase" in signals else np.full(u.size, 2.0)
    finite = np.isfinite(u) & np.isfinite(ri) & np.isfinite(ip)
    with np.errstate(invalid="ignore"):
        inv = invert(cal, np.where(finite, u, np.nan), ip, np.where(ri > 0, ri, np.nan))
        # lambda of the O2 balance the pump current reads; a gas read in lean exhaust is not
        # counted (its O2 demand is unknown: propene equivalents of CO and H2 would overstate
        # it several times)
        excess = inv.o2_excess
        known = (excess >= MIN_O2_EXCESS) & (excess < AIR_O2_FRACTION)
        # calibrated up to air: fuel cut-off
        lam = np.where(excess >= AIR_O2_FRACTION, np.inf, np.nan)
        if known.any():
            lam[known] = lambda_from_o2_excess(excess[known], cal.fuel_h_to_c)
        o2 = np.maximum(inv.o2_excess, 0.0)  # exhaust O2 (none when rich; NaN stays NaN)
    target = cal.target_internal_resistance_ohm
    tol = max(5.0, 3.0 * cal.uncertainty.get("hc_error_rms_ppm", 0.0))
    with np.errstate(invalid="ignore"):
        flags = np.stack(
            [
                ~finite,
                saturated,
                np.abs(u) > settings.max_abs_measuring_voltage_V,
                ri <= 0.0,
                phase == 3,
                ri < settings.overheat_ratio * target,
                (ri > settings.ready_ratio * target) | (phase < 2),
                inv.o2_out_of_range,
                inv.ri_out_of_range,
                inv.hc_above_range,
                inv.hc_below_range & (inv.hc_ppm < -tol),
                inv.rich & cal.hc_sensitive,
            ],
            axis=1,
        )
    return {"flags": flags, "hc_ppm": inv.hc_ppm, "o2_fraction": o2, "lambda": lam}


@dataclass
class _State:
    last_time: float = np.nan
    intervals: list[float] = field(default_factory=list)  # until the period is known
    period: float = np.nan  # nominal sample period
    usable_since: float = np.nan  # time of the first usable sample after the last unusable one


def _unusable(state: _State, flags: dict[str, bool], dropout: bool) -> tuple[int, str]:
    """Status of a sample whose signals cannot be used (rules 1-4), or READY if usable."""
    if flags["heater"]:
        return Status.HEATER_FAULT, _REASONS["heater"]
    if flags["cold"]:
        return Status.WARMING_UP, _REASONS["cold"]
    for key in ("missing", "saturated", "voltage", "ri"):
        if flags[key]:
            return Status.IMPLAUSIBLE, _REASONS[key]
    if dropout:
        return Status.IMPLAUSIBLE, _REASONS["dropout"]
    if flags["overheat"]:
        return Status.HEATER_FAULT, _REASONS["overheat"]
    return Status.READY, ""


def _step(
    state: _State, t: float, flags: dict[str, bool], settings: EvaluationSettings
) -> tuple[int, str]:
    """Return the status and reason of one sample (the state machine; updates ``state``)."""
    if not np.isfinite(t) or not (np.isnan(state.last_time) or t > state.last_time):
        raise ValueError(
            f"sample time {t!r} s must be finite and after the previous one ({state.last_time!r} s)"
        )
    gap = t - state.last_time
    if settings.sample_period_s is not None:
        state.period = settings.sample_period_s
    elif np.isnan(state.period) and np.isfinite(gap):
        state.intervals.append(gap)
        if len(state.intervals) == PERIOD_SAMPLES:
            state.period, state.intervals = float(np.median(state.intervals)), []
    dropout = bool(np.isfinite(state.period) and gap > settings.dropout_factor * state.period)
    state.last_time = t
    status, reason = _unusable(state, flags, dropout)
    if status != Status.READY:
        state.usable_since = np.nan  # the ready delay restarts after every interruption
        return status, reason
    if np.isnan(state.usable_since):
        state.usable_since = t
    if t - state.usable_since < settings.ready_delay_s:
        return Status.WARMING_UP, _REASONS["settling"]
    for key in ("o2", "ri_range", "hc_high", "hc_low", "rich"):
        if flags[key]:
            return Status.OUT_OF_RANGE, _REASONS[key]
    return Status.READY, ""


def _outputs(status: int, reason: str, hc: float, o2: float, lam: float) -> tuple[float, ...]:
    """Return the numbers a sample may carry: NaN where its status or range forbids them."""
    if status in (Status.IMPLAUSIBLE, Status.HEATER_FAULT, Status.WARMING_UP):
        return np.nan, np.nan, np.nan
    if reason in (_REASONS["o2"], _REASONS["ri_range"]):
        return np.nan, np.nan, np.nan
    if reason in (_REASONS["hc_high"], _REASONS["hc_low"], _REASONS["rich"]):
        hc = np.nan
    return hc, o2, lam


MIN_O2_EXCESS = -0.5
"""Lowest oxygen excess converted to lambda [-] (far below any calibration: lambda ~ 0.5)."""


class Evaluator:
    """Streaming evaluation: feed samples one by one (bounded state).

    Parameters
    ----------
    cal : Calibration
        The calibration.
    settings : EvaluationSettings, optional
        Thresholds.

    Examples
    --------
    ``ev = Evaluator(cal); out = ev.update({"time_s": 0.0, "pump_current_A": 1e-4, ...})``
    returns a dict with ``hc_ppm``, ``o2_fraction``, ``lambda``, ``status``, ``reason``.
    """

    def __init__(self, cal: Calibration, settings: EvaluationSettings | None = None) -> None:
        self.cal = cal
        self.settings = EvaluationSettings() if settings is None else settings
        self._state = _State()

    def update(self, sample: dict[str, float]) -> dict[str, Any]:
        """Evaluate one sample (a mapping of signal names to values, with ``time_s``).

        Raises
        ------
        ValueError
            For a missing, non-finite or not increasing ``time_s`` or a missing signal.
        """
        if "time_s" not in sample:
            raise ValueError("a sample needs its 'time_s'")
        return self._advance(
            float(sample["time_s"]), _stateless(sample, self.cal, self.settings), 0
        )

    def _advance(self, t: float, stateless: dict[str, Any], i: int) -> dict[str, Any]:
        flags = dict(zip(_FLAGS, stateless["flags"][i].tolist(), strict=True))
        status, reason = _step(self._state, t, flags, self.settings)
        hc, o2, lam = _outputs(
            status,
            reason,
            float(stateless["hc_ppm"][i]),
            float(stateless["o2_fraction"][i]),
            float(stateless["lambda"][i]),
        )
        return {
            "hc_ppm": hc,
            "o2_fraction": o2,
            "lambda": lam,
            "status": int(status),
            "reason": reason,
        }


def _frame(signals: xr.Dataset | pd.DataFrame) -> pd.DataFrame:
    df = signals.to_dataframe() if isinstance(signals, xr.Dataset) else signals
    df = df.reset_index(drop=df.index.name is None)
    if "time" in df and "time_s" not in df:
        df = df.rename(columns={"time": "time_s"})
    return df


def evaluate(
    signals: xr.Dataset | pd.DataFrame,
    cal: Calibration,
    settings: EvaluationSettings | None = None,
) -> xr.Dataset:
    """Evaluate recorded raw signals (batch; same result as :class:`Evaluator` sample by sample).

    Parameters
    ----------
    signals : xarray.Dataset or pandas.DataFrame
        The output of :func:`mixpot.simulate`, or a table with ``time_s`` and the columns
        ``measuring_voltage_V``, ``internal_resistance_ohm`` and ``pump_current_A`` or ``UA_V``
        (optional: ``UA_saturated``, ``heater_phase``).
    cal : Calibration
        The calibration.
    settings : EvaluationSettings, optional
        Thresholds.

    Returns
    -------
    xarray.Dataset
        Coordinate ``time`` [s]; ``hc_ppm`` [ppm of ``cal.hc_species`` equivalent],
        ``o2_fraction`` [-] (0 in rich exhaust), ``lambda`` [-] (rich and lean, from the
        oxygen excess the pump current reads; a gas read in lean exhaust is not counted),
        ``status`` (:class:`Status`) and ``reason`` per sample.

    Raises
    ------
    ValueError
        For missing columns or unsorted time.
    """
    df = _frame(signals)
    if "time_s" not in df:
        raise ValueError("signals need a time coordinate ('time' or 'time_s')")
    t = df["time_s"].to_numpy(dtype=float)
    if t.size == 0:
        raise ValueError("signals are empty: nothing to evaluate")
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise ValueError("signal times must be finite and strictly increasing")
    ev = Evaluator(cal, settings)
    stateless = _stateless(df, cal, ev.settings)
    rows = [ev._advance(float(t[i]), stateless, i) for i in range(t.size)]
    out = pd.DataFrame(rows)
    ds = xr.Dataset(
        {
            "hc_ppm": (
                "time",
                out["hc_ppm"].to_numpy(dtype=float),
                {"units": f"ppm {cal.hc_species}"},
            ),
            "o2_fraction": ("time", out["o2_fraction"].to_numpy(dtype=float), {"units": "1"}),
            "lambda": ("time", out["lambda"].to_numpy(dtype=float), {"units": "1"}),
            "status": (
                "time",
                out["status"].to_numpy(dtype=np.int8),
                {"meaning": ", ".join(f"{s.value} {s.name.lower()}" for s in Status)},
            ),
            "reason": ("time", out["reason"].to_numpy(dtype=str)),
        },
        coords={"time": ("time", t, {"units": "s"})},
    )
    ds.attrs.update({"calibration_design": cal.design, "calibration_created": cal.created})
    return ds
