"""Scan of the wideband design's pump-loop PI gains (the numbers behind ``lsu49-like.toml``).

Runs the closed loop of ``lsu49-like`` over exhaust steps between lambda 0.65 and 1.7 for
several (k_P, k_I) pairs and prints, per step, whether the pump current settled onto the
steady state (within 0.5 % at the end of the step, 0.5 % peak-to-peak over its last 0.1 s)
and the t90 of the pump current. Run: ``.venv/bin/python benchmarks/wideband_gain_scan.py``
(about a minute; a pair that oscillates takes longer).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

import mixpot

STEPS = [(0.0, 1.7), (0.5, 1.016), (2.5, 0.99), (4.5, 0.8), (6.5, 1.7), (8.5, 0.65), (10.5, 1.7)]
END_S = 12.5
PAIRS = [
    ("measuring-electrode", 5e-5, 0.05),
    ("measuring-electrode", 1e-4, 0.05),
    ("measuring-electrode", 2e-4, 0.05),
    ("measuring-electrode", 4e-4, 0.05),
    ("measuring-electrode", 6e-4, 0.05),
    ("measuring-electrode", 2e-4, 0.1),
    ("measuring-electrode", 2e-4, 0.2),
    ("under-current", 2e-4, 0.05),
]


def _gas(lam: float) -> dict[str, float]:
    ex = mixpot.gas.combustion_exhaust(np.array([lam])).as_dict()
    return {s: float(ex[s][0]) for s in ("O2", "CO", "H2", "H2O", "CO2")}


def _trace() -> pd.DataFrame:
    rows = []
    for i, (t, lam) in enumerate(STEPS):
        end = STEPS[i + 1][0] - 4e-3 if i + 1 < len(STEPS) else END_S
        rows += [{"time_s": t, **_gas(lam)}, {"time_s": end, **_gas(lam)}]
    return pd.DataFrame(rows)


def main() -> None:
    trace = _trace()
    for reading, kp, ki in PAIRS:
        design = mixpot.designs.load(
            "lsu49-like",
            {
                "operation.nernst_measurement": reading,
                "operation.pump_kp_A_per_V": kp,
                "operation.pump_ki_A_per_V_s": ki,
            },
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = mixpot.simulate(design, trace, output_rate_hz=500)
        t, ip = ds.time.values, ds.pump_current_A.values
        cells = []
        for i, (start, lam) in enumerate(STEPS[1:], start=1):
            end = STEPS[i + 1][0] if i + 1 < len(STEPS) else END_S
            target = float(mixpot.steady_state(design, _gas(lam)).pump_current_A)
            seg = (t >= start) & (t < end - 4e-3)
            if not seg.any():
                cells.append(f"{lam}: --")
                continue
            y, ts = ip[seg], t[seg]
            tol = 5e-3 * abs(target)
            settled = abs(y[-1] - target) <= tol and np.ptp(y[-50:]) <= tol
            t90 = ts[np.argmax(np.abs(y - y[0]) >= 0.9 * abs(target - y[0]))] - start
            cells.append(f"{lam}: {'ok' if settled else 'NO'} {1e3 * t90:4.0f} ms")
        print(f"{reading:<19} kp {kp:.0e} ki {ki:.2f} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
