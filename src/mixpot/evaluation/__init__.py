"""Signal evaluation: calibration on a bench, raw signals to ppm, O2 and lambda, diagnostics.

* :mod:`~mixpot.evaluation.bench` — the calibration bench protocol, run on the simulator or
  read from a measured table;
* :mod:`~mixpot.evaluation.calibration` — characteristic maps, their inversion, measured
  uncertainty and the versioned calibration file;
* :mod:`~mixpot.evaluation.evaluate` — batch and streaming evaluation with a status per sample;
* :mod:`~mixpot.evaluation.accuracy` — simulate, evaluate and compare with the true exhaust.
"""

from __future__ import annotations

import numpy as np

from mixpot.design import Design
from mixpot.evaluation.accuracy import accuracy_by_segment, closed_loop_accuracy
from mixpot.evaluation.bench import (
    BENCH_SIGNALS,
    BenchProtocol,
    bench_from_table,
    run_bench,
    run_validation,
)
from mixpot.evaluation.calibration import Calibration, fit, invert
from mixpot.evaluation.evaluate import EvaluationSettings, Evaluator, Status, evaluate

__all__ = [
    "BENCH_SIGNALS",
    "BenchProtocol",
    "Calibration",
    "EvaluationSettings",
    "Evaluator",
    "Status",
    "accuracy_by_segment",
    "bench_from_table",
    "calibrate",
    "closed_loop_accuracy",
    "evaluate",
    "fit",
    "invert",
    "run_bench",
    "run_validation",
]


def calibrate(design: Design, seed: int = 0, protocol: BenchProtocol | None = None) -> Calibration:
    """Calibrate a design on the simulator with the built-in bench protocol.

    Runs the bench (:func:`run_bench`), fits the maps (:func:`fit`) and measures their
    uncertainty on independent random points (:func:`run_validation`); the bench and the
    validation draw their noise from streams spawned from ``seed``.

    Parameters
    ----------
    design : Design
        The sensor design.
    seed : int
        Root seed (the same seed gives the same calibration).
    protocol : BenchProtocol, optional
        The bench steps; default the built-in protocol.

    Returns
    -------
    Calibration
        The calibration, with ``uncertainty`` filled.
    """
    bench_seed, validation_seed = (
        int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(2)
    )
    bench = run_bench(design, protocol, bench_seed)
    validation = run_validation(design, protocol, validation_seed)
    return fit(bench, validation)
