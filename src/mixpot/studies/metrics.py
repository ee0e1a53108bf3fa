"""Metrics computed per study sample: sensitivity, O2 cross-sensitivity, analyte loss, ...

Each metric belongs to a group that is computed once per sample:

* ``steady``: one vectorised :func:`mixpot.steady_state` over seven gas points (5 % O2 with
  0 / 100 / 500 / 1000 ppm propene, 15 % and 2 % O2 with 500 ppm propene, 5 % O2 with 500 ppm
  methane; 10 % H2O and CO2): about 20 ms;
* ``response``: a closed-loop 0 -> 500 ppm propene step (:func:`mixpot.simulate`, 0.6 s);
* ``accuracy``: the sample's sensor evaluated with the calibration of the *nominal* base
  design over random stationary steps (:func:`mixpot.evaluation.closed_loop_accuracy`, 20 s of
  simulated time): what a manufacturing spread costs in reading accuracy;
* ``drive_cycle``: the same over 60 s of the WLTC drive cycle (60-120 s, the tail of the
  cold-start hydrocarbon peak, the sensor already hot): the sample's
  reading minus the nominal sensor's reading of the same cycle, both with the nominal
  calibration (the dynamic lag of the sensor is common to both and drops out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mixpot.design import Design

__all__ = ["METRICS", "Metric", "compute_metrics"]

PPM = 1e-6


@dataclass(frozen=True)
class Metric:
    """A metric: its group, unit and meaning."""

    group: str
    unit: str
    description: str


METRICS: dict[str, Metric] = {
    "signal_mV": Metric("steady", "mV", "U_M(500 ppm C3H6) - U_M(0), 5 % O2"),
    "sensitivity_mV_per_decade": Metric(
        "steady", "mV/decade", "-(U_M(1000 ppm) - U_M(100 ppm)) per decade of C3H6, 5 % O2"
    ),
    "o2_cross_sensitivity_mV": Metric(
        "steady", "mV", "U_M(15 % O2) - U_M(5 % O2) at 500 ppm C3H6 (0 = O2 independent)"
    ),
    "o2_cross_sensitivity_low_mV": Metric(
        "steady", "mV", "U_M(5 % O2) - U_M(2 % O2) at 500 ppm C3H6 (pump cell pumping in)"
    ),
    "analyte_loss": Metric(
        "steady", "1", "1 - C3H6 at the measuring electrode / exhaust C3H6, 500 ppm, 5 % O2"
    ),
    "methane_signal_mV": Metric("steady", "mV", "U_M(500 ppm CH4) - U_M(0), 5 % O2"),
    "selectivity_c3h6_over_ch4": Metric(
        "steady", "1", "signal of 500 ppm C3H6 / signal of 500 ppm CH4 (abs, CH4 floored 0.1 mV)"
    ),
    "pump_current_mA": Metric("steady", "mA", "pump current at 5 % O2, no oxidizable gas"),
    "response_time_s": Metric(
        "response", "s", "t10-90 of the measuring voltage, 0 -> 500 ppm C3H6 step, closed loop"
    ),
    "evaluation_error_rms_ppm": Metric(
        "accuracy", "ppm", "rms reading error over 10 random settled segments, nominal calibration"
    ),
    "evaluation_within_fraction": Metric(
        "accuracy", "1", "fraction of those segments within +-10 % or +-10 ppm"
    ),
    "drive_cycle_deviation_rms_ppm": Metric(
        "drive_cycle",
        "ppm",
        "rms of (reading - nominal sensor's reading) over 60 s of the WLTC cycle, nominal "
        "calibration",
    ),
}
"""Known metrics."""

_GAS = {
    "O2": np.array([0.05, 0.05, 0.05, 0.05, 0.15, 0.02, 0.05]),
    "C3H6": np.array([0.0, 100.0, 500.0, 1000.0, 500.0, 500.0, 0.0]) * PPM,
    "CH4": np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 500.0]) * PPM,
    "H2O": 0.1,
    "CO2": 0.1,
}


def _steady(design: Design, seed: int) -> dict[str, float]:
    from mixpot.steady import steady_state

    r = steady_state(design, _GAS)
    if not np.all(r.converged):
        bad = [str(x) for x in np.atleast_1d(r.reason) if x]
        raise RuntimeError(f"steady state not converged: {bad[0]}")
    u = np.asarray(r.measuring_voltage_V) * 1e3
    signal = u[2] - u[0]
    methane = u[6] - u[0]
    return {
        "signal_mV": signal,
        "sensitivity_mV_per_decade": -(u[3] - u[1]),
        "o2_cross_sensitivity_mV": u[4] - u[2],
        "o2_cross_sensitivity_low_mV": u[2] - u[5],
        "analyte_loss": 1.0 - float(r.chamber["C3H6"][2]) / (500 * PPM),
        "methane_signal_mV": methane,
        "selectivity_c3h6_over_ch4": abs(signal) / max(abs(methane), 0.1),
        "pump_current_mA": float(np.asarray(r.pump_current_A)[0]) * 1e3,
    }


def _response(design: Design, seed: int) -> dict[str, float]:
    import pandas as pd

    from mixpot.transient import response_time, simulate

    trace = pd.DataFrame(
        {"time_s": [0.0, 0.1, 0.6], "O2": 0.05, "H2O": 0.1, "CO2": 0.1, "C3H6": [0.0, 5e-4, 5e-4]}
    )
    ds = simulate(design, trace, seed=seed, output_rate_hz=500)
    if ds.attrs["status"] != "complete":
        raise RuntimeError(f"simulation {ds.attrs['status']}")
    u = ds["measuring_voltage_V"]
    if abs(float(u[-1] - u.sel(time=0.1, method="nearest"))) < RESPONSE_MIN_CHANGE_V:
        return {"response_time_s": float("nan")}  # no signal, no response time
    return {"response_time_s": response_time(u, 0.1)}


RESPONSE_MIN_CHANGE_V = 1e-4
"""Smallest step of the measuring voltage that has a response time [V] (0.1 mV)."""


@lru_cache(maxsize=4)
def _nominal_calibration(base_design: str):
    from mixpot import designs
    from mixpot.evaluation import calibrate

    return calibrate(designs.load(base_design), seed=0)


def _accuracy(design: Design, seed: int, base_design: str) -> dict[str, float]:
    from mixpot.evaluation import closed_loop_accuracy
    from mixpot.scenarios import random_steps

    cal = _nominal_calibration(base_design)
    trace = random_steps(seed=seed, segments=10, segment_duration_s=2.0)
    _, _, seg = closed_loop_accuracy(design, trace, cal, seed=seed, settle_s=1.0)
    if seg.empty:
        raise RuntimeError("no settled segment could be evaluated")
    return {
        "evaluation_error_rms_ppm": float(np.sqrt(np.mean(seg["error_ppm"] ** 2))),
        "evaluation_within_fraction": float(seg["within"].mean()),
    }


DRIVE_CYCLE_WINDOW_S = (60.0, 120.0)
"""Part of the WLTC cycle used by the drive-cycle metric [s]: the tail of the cold-start
hydrocarbon peak (about 200 ppm decaying to tens of ppm with catalyst light-off, fuel cut-offs
between), the sensor already hot (the exhaust is warm enough there for the heater to hold
the element in closed loop)."""


def _drive_cycle_reading(design: Design, base_design: str) -> np.ndarray:
    from mixpot.evaluation import evaluate
    from mixpot.scenarios import wltc_drive_cycle
    from mixpot.transient import simulate

    trace = wltc_drive_cycle(seed=0, sample_rate_hz=10.0)
    lo, hi = DRIVE_CYCLE_WINDOW_S
    trace = trace[(trace["time_s"] >= lo) & (trace["time_s"] <= hi)].reset_index(drop=True)
    ds = simulate(design, trace, seed=0, output_rate_hz=10.0)
    if ds.attrs["status"] != "complete":
        raise RuntimeError(f"simulation {ds.attrs['status']}")
    raw = ds[["UA_V", "measuring_voltage_V", "internal_resistance_ohm", "heater_phase"]]
    return evaluate(raw, _nominal_calibration(base_design))["hc_ppm"].to_numpy()


@lru_cache(maxsize=4)
def _nominal_drive_cycle_reading(base_design: str) -> np.ndarray:
    from mixpot import designs

    return _drive_cycle_reading(designs.load(base_design), base_design)


def _drive_cycle(design: Design, seed: int, base_design: str) -> dict[str, float]:
    reading = _drive_cycle_reading(design, base_design)
    nominal = _nominal_drive_cycle_reading(base_design)
    both = np.isfinite(reading) & np.isfinite(nominal)
    if not both.any():
        raise RuntimeError("no sample of the drive cycle could be evaluated")
    return {
        "drive_cycle_deviation_rms_ppm": float(np.sqrt(np.mean((reading - nominal)[both] ** 2)))
    }


def compute_metrics(
    design: Design, names: list[str], seed: int, base_design: str
) -> dict[str, float]:
    """Compute the named metrics of one design.

    Parameters
    ----------
    design : Design
        The sample's design.
    names : list of str
        Metric names (keys of :data:`METRICS`).
    seed : int
        The sample's seed (noise of transient metrics, trace of the accuracy metric).
    base_design : str
        Name of the study's base design (its nominal calibration serves the accuracy metric).

    Returns
    -------
    dict
        Metric name -> value.

    Raises
    ------
    RuntimeError
        When a computation does not converge (the study records the reason).
    """
    groups: dict[str, Callable[[], dict[str, float]]] = {
        "steady": lambda: _steady(design, seed),
        "response": lambda: _response(design, seed),
        "accuracy": lambda: _accuracy(design, seed, base_design),
        "drive_cycle": lambda: _drive_cycle(design, seed, base_design),
    }
    out: dict[str, float] = {}
    for group in dict.fromkeys(METRICS[n].group for n in names):
        out.update(groups[group]())
    return {n: float(out[n]) for n in names}
