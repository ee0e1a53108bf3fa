"""Steady state of the pumped sensor and of the prior art: O2 cross-sensitivity and effects.

Run: ``.venv/bin/python examples/steady_state_tour.py``
"""

import numpy as np

import mixpot
from mixpot.curves import o2_effects

patent = mixpot.designs.load("patent-preferred")
prior_art = mixpot.designs.load("unpumped-prior-art")
o2 = np.array([0.02, 0.05, 0.15])
gas = {"O2": o2, "H2O": 0.10, "CO2": 0.10, "C3H6": 500e-6}

for design in (patent, prior_art):
    r = mixpot.steady_state(design, gas)
    print(
        f"{design.name}: measuring voltage at 2/5/15 % O2 [mV]:",
        np.round(1e3 * r.measuring_voltage_V, 1),
    )
    print(
        "  chamber O2 [%]:",
        np.round(100 * r.chamber["O2"], 3),
        " pump current [mA]:",
        np.round(1e3 * r.pump_current_A, 3),
    )

# The pump cell holds the chamber at lambda 1.3; how much propene reaches the measuring
# electrode decides the signal. Size the effects of exhaust O2 on a variant whose pump
# electrode does not burn the analyte catalytically:
variant = mixpot.designs.load("patent-preferred", {"inner_pump_electrode.roughness_factor": 1e-9})
print((1e3 * o2_effects(variant)["signal_V"]).round(1).to_pandas())

# LSU 4.9-type pump cell: limiting current in air and its pressure dependence
lsu = mixpot.designs.load("lsu49-like")
r = mixpot.steady_state(lsu, {"O2": 0.2095}, pressure_Pa=[101300.0, 2.0e5])
print(
    "LSU-like pump current in air [mA] at 1013 hPa and 2 bar:", np.round(1e3 * r.pump_current_A, 3)
)
