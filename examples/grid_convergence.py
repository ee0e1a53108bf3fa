"""Grid convergence of the steady state: discretisation error against a much finer radial grid.

The radial finite volumes (``geometry.radial_cells_barrier`` + ``radial_cells_chamber``) are a
numerical choice. This prints, per design and grid, the largest deviation from a 32 + 48 cell
grid over random lean and rich operating points (0.5-2.5 bar, 900-1150 K, propene, CO and H2
up to 2000 ppm each): measuring voltage [mV] and pump current (relative, where |I_p| > 0.1 mA).
The errors fall by a factor of 3-4 per halving of the cell size (close to second order). The
built-in designs' grids are marked "*".

Run: ``.venv/bin/python examples/grid_convergence.py``
"""

import numpy as np

import mixpot

rng = np.random.default_rng(5)
n = 40
lean = {"O2": rng.uniform(0.005, 0.2, n), "H2O": 0.1, "CO2": 0.1}
for fuel in ("CO", "C3H6", "H2"):
    lean[fuel] = rng.uniform(0.0, 2000e-6, n)
rich = mixpot.gas.combustion_exhaust(rng.uniform(0.7, 0.98, n)).as_dict(nonzero=True)
del rich["N2"]  # the balance
rich["C3H6"] = rng.uniform(0.0, 2000e-6, n)
t, p = rng.uniform(900.0, 1150.0, n), rng.uniform(0.5e5, 2.5e5, n)


def solve(name, cells, gas):
    over = {"geometry.radial_cells_barrier": cells[0], "geometry.radial_cells_chamber": cells[1]}
    return mixpot.steady_state(mixpot.designs.load(name, over), gas, t, p)


for name in ("patent-preferred", "lsu49-like"):
    geo = mixpot.designs.load(name).geometry
    default = (geo.radial_cells_barrier, geo.radial_cells_chamber)
    print(f"{name} (grid: barrier + chamber cells)")
    for label, gas in (("lean", lean), ("rich", rich)):
        ref = solve(name, (32, 48), gas)
        for cells in ((1, 1), (2, 3), (4, 6), (8, 12)):
            r = solve(name, cells, gas)
            d_vm = np.max(np.abs(r.measuring_voltage_V - ref.measuring_voltage_V)) * 1e3
            big = np.abs(ref.pump_current_A) > 1e-4
            d_ip = np.max(np.abs(r.pump_current_A / ref.pump_current_A - 1.0)[big])
            mark = "*" if cells == default else " "
            print(f"  {label:4s} {cells[0]:2d} + {cells[1]:2d}{mark}  |dU_m| {d_vm:7.4f} mV"
                  f"   |dI_p|/I_p {100 * d_ip:6.3f} %")  # fmt: skip
