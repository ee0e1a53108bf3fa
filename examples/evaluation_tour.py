"""Calibrate the patent design on the simulator, then evaluate a simulated drive in closed loop.

Run: ``.venv/bin/python examples/evaluation_tour.py`` (about 10 s).
"""

import tempfile
from pathlib import Path

import mixpot
from mixpot.evaluation import Calibration, Status, closed_loop_accuracy
from mixpot.scenarios import random_steps

design = mixpot.designs.load("patent-preferred")

# 1. the built-in bench protocol on the simulator: maps + measured uncertainty
cal = mixpot.calibrate(design, seed=0)
print("calibration uncertainty:", {k: round(v, 4) for k, v in cal.uncertainty.items()})

# 2. the calibration file round trip (versioned JSON)
with tempfile.TemporaryDirectory() as tmp:
    path = cal.save(Path(tmp) / "calibration.json")
    cal = Calibration.load(path)

# 3. simulate random stationary gas steps, evaluate the raw signals, compare with the truth
trace = random_steps(seed=3, segments=8, segment_duration_s=2.0)
sim, evaluated, segments = closed_loop_accuracy(design, trace, cal, settle_s=1.0)
print(segments[["true_ppm", "mean_ppm", "error_ppm", "tolerance_ppm", "within"]].round(1))
ready = int((evaluated["status"] == Status.READY).sum())
print(
    f"{ready} of {evaluated.sizes['time']} samples ready; "
    f"{int(segments['within'].sum())} of {len(segments)} segments within tolerance"
)
