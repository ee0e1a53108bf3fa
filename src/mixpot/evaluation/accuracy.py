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

from mixpot.design import Design
from mixpot.evaluation.calibration import Calibration
from mixpot.evaluation.evaluate import Status, evaluate

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
    simulation: xr.Dataset, evaluated: xr.Dataset, hc_species: str, settle_s: float = 0.5
) -> pd.DataFrame:
    """Error statistics per stationary segment of the exhaust.

    A segment is a run of samples with constant exhaust ``hc_species`` and O2; its settled part
    starts ``settle_s`` after the segment start. Only READY samples count.

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

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``start_s``, ``true_ppm``, ``mean_ppm``, ``error_ppm``,
        ``tolerance_ppm``, ``within``, ``true_o2``, ``mean_o2``, ``samples``.
    """
    t = simulation["time"].values
    true_c = simulation[f"exhaust_{hc_species}"].values * 1e6
    true_o2 = simulation["exhaust_O2"].values
    change = np.r_[True, (np.diff(true_c) != 0) | (np.diff(true_o2) != 0)]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], t.size]
    ready = evaluated["status"].values == Status.READY
    rows = []
    for a, b in zip(starts, ends, strict=True):
        sel = np.arange(a, b)
        sel = sel[(t[sel] >= t[a] + settle_s) & ready[sel]]
        if sel.size == 0:
            continue
        mean = float(np.mean(evaluated["hc_ppm"].values[sel]))
        tol = float(hc_tolerance_ppm(true_c[a]))
        rows.append(
            {
                "start_s": float(t[a]),
                "true_ppm": float(true_c[a]),
                "mean_ppm": mean,
                "error_ppm": mean - float(true_c[a]),
                "tolerance_ppm": tol,
                "within": abs(mean - float(true_c[a])) <= tol,
                "true_o2": float(true_o2[a]),
                "mean_o2": float(np.mean(evaluated["o2_fraction"].values[sel])),
                "samples": int(sel.size),
            }
        )
    return pd.DataFrame(rows)


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
    return sim, ev, accuracy_by_segment(sim, ev, cal.hc_species, settle_s)
