"""Closed-loop accuracy: simulate, evaluate, and compare with the true exhaust.

The simulator knows the exhaust it was given (``exhaust_<species>`` in the output of
:func:`mixpot.simulate`); the evaluation knows only the raw signals. Comparing the two over
stationary segments of a trace measures the whole chain (sensor physics, electronics,
calibration, evaluation) the way a test bench would.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from mixpot.constants import AIR_O2_FRACTION
from mixpot.design import Design
from mixpot.evaluation.calibration import Calibration
from mixpot.evaluation.evaluate import Status, evaluate
from mixpot.gas import DEFAULT_H_TO_C, SPECIES, lambda_from_o2_excess, o2_excess

__all__ = ["accuracy_by_segment", "closed_loop_accuracy", "hc_tolerance_ppm"]


def hc_tolerance_ppm(true_ppm: np.ndarray | float) -> np.ndarray:
    """Accuracy target of the oxidizable-gas reading: +-10 % of reading or +-10 ppm.

    Parameters
    ----------
    true_ppm : array_like
        True concentration [ppm].

    Returns
    -------
    numpy.ndarray
        Allowed absolute error [ppm] (the larger of the two).
    """
    return np.maximum(0.1 * np.asarray(true_ppm, dtype=float), 10.0)


def accuracy_by_segment(
    simulation: xr.Dataset,
    evaluated: xr.Dataset,
    hc_species: str,
    settle_s: float = 0.5,
    fuel_h_to_c: float = DEFAULT_H_TO_C,
) -> pd.DataFrame:
    """Error statistics per stationary segment of the exhaust.

    A segment is a run of samples with a constant exhaust (every ``exhaust_<species>`` of the
    simulation); its settled part starts ``settle_s`` after the segment start. The gas reading
    counts READY samples; lambda counts every settled sample that carries a lambda (READY, or
    out of range for the gas only, e.g. rich exhaust). The true lambda is that of the exhaust's
    oxygen excess (:func:`mixpot.gas.o2_excess`, all oxidizable species included); the
    evaluated one is the O2 balance the pump current reads, which in lean exhaust does not
    count the gas read (:func:`mixpot.evaluate`): with gas in lean exhaust ``lambda_error``
    holds that difference too (1000 ppm propene at 5 % O2: 0.04).

    Parameters
    ----------
    simulation : xarray.Dataset
        Output of :func:`mixpot.simulate` (true exhaust inputs).
    evaluated : xarray.Dataset
        Output of :func:`mixpot.evaluate` on the same samples.
    hc_species : str
        The oxidizable gas compared (the calibration's).
    settle_s : float
        Settling time excluded at the start of every segment [s].
    fuel_h_to_c : float
        Fuel H/C of the lambda [-] (the calibration's).

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``start_s``, ``true_ppm``, ``mean_ppm``, ``error_ppm``,
        ``tolerance_ppm``, ``within`` (``<NA>`` where the gas is not read, e.g. rich),
        ``true_o2``, ``mean_o2``, ``true_lambda``, ``mean_lambda``, ``lambda_error``,
        ``samples`` (of the gas reading) and ``lambda_samples``.
    """
    t = simulation["time"].values
    names = [s for s in SPECIES if f"exhaust_{s}" in simulation]
    exhaust = {s: simulation[f"exhaust_{s}"].values for s in names}
    true_c = exhaust[hc_species] * 1e6
    true_o2 = exhaust["O2"]
    excess = np.clip(o2_excess(exhaust), -0.5, AIR_O2_FRACTION)
    lam = lambda_from_o2_excess(excess, fuel_h_to_c)
    true_lam = np.where(excess >= AIR_O2_FRACTION, np.inf, lam)
    stacked = np.stack([exhaust[s] for s in names])
    change = np.r_[True, np.any(np.diff(stacked, axis=1) != 0, axis=0)]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], t.size]
    ready = evaluated["status"].values == Status.READY
    has_lambda = np.isfinite(evaluated["lambda"].values)
    rows = []
    for a, b in zip(starts, ends, strict=True):
        settled = np.arange(a, b)
        settled = settled[t[settled] >= t[a] + settle_s]
        sel, lam_sel = settled[ready[settled]], settled[has_lambda[settled]]
        if sel.size == 0 and lam_sel.size == 0:
            continue
        mean = float(np.mean(evaluated["hc_ppm"].values[sel])) if sel.size else np.nan
        tol = float(hc_tolerance_ppm(true_c[a]))
        mean_lam = float(np.mean(evaluated["lambda"].values[lam_sel])) if lam_sel.size else np.nan
        rows.append(
            {
                "start_s": float(t[a]),
                "true_ppm": float(true_c[a]),
                "mean_ppm": mean,
                "error_ppm": mean - float(true_c[a]),
                "tolerance_ppm": tol,
                "within": abs(mean - float(true_c[a])) <= tol if sel.size else pd.NA,
                "true_o2": float(true_o2[a]),
                "mean_o2": float(np.mean(evaluated["o2_fraction"].values[lam_sel]))
                if lam_sel.size
                else np.nan,
                "true_lambda": float(true_lam[a]),
                "mean_lambda": mean_lam,
                "lambda_error": mean_lam - float(true_lam[a]),
                "samples": int(sel.size),
                "lambda_samples": int(lam_sel.size),
            }
        )
    out = pd.DataFrame(rows)
    if len(out):
        out["within"] = out["within"].astype("boolean")
    return out


def closed_loop_accuracy(
    design: Design,
    trace: pd.DataFrame,
    cal: Calibration,
    *,
    seed: int = 0,
    output_rate_hz: float = 50.0,
    settle_s: float = 0.5,
) -> tuple[xr.Dataset, xr.Dataset, pd.DataFrame]:
    """Simulate a trace, evaluate the raw signals and compare with the true exhaust.

    Parameters
    ----------
    design : Design
        The sensor design (it may differ from the calibrated one, e.g. another temperature).
    trace : pandas.DataFrame
        Exhaust trace with stationary segments (e.g. :func:`mixpot.scenarios.random_steps`).
    cal : Calibration
        The calibration the evaluation uses.
    seed : int
        Seed of the simulation's electronics noise.
    output_rate_hz : float
        Output rate of the simulation [Hz].
    settle_s : float
        Settling time excluded per segment [s].

    Returns
    -------
    simulation, evaluated : xarray.Dataset
        The simulation and its evaluation (the evaluation reads the ADC's ``UA_V``).
    segments : pandas.DataFrame
        :func:`accuracy_by_segment`.
    """
    from mixpot.transient import simulate

    sim = simulate(design, trace, seed=seed, output_rate_hz=output_rate_hz)
    signals = sim[
        ["UA_V", "UA_saturated", "measuring_voltage_V", "internal_resistance_ohm", "heater_phase"]
    ]
    ev = evaluate(signals, cal)
    return sim, ev, accuracy_by_segment(sim, ev, cal.hc_species, settle_s, cal.fuel_h_to_c)
