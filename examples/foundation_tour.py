"""A tour of mixpot's physics library (layer 1): gas, transport, electrolyte, electrode.

Run: ``.venv/bin/python examples/foundation_tour.py``
"""

from mixpot import electrolyte, gas, transport
from mixpot.electrode import measuring_electrode_potential, nernst_slope

T = 1053.15  # 780 C, the LSU 4.9 ceramic temperature [K]
P = 101325.0  # [Pa]

# Gas: lambda of an exhaust and the O2 of a lean exhaust at lambda 1.3
exhaust = {"O2": 0.05, "H2O": 0.1, "CO2": 0.1, "C3H6": 500e-6}
print("lambda (Brettschneider):", float(gas.lambda_brettschneider(exhaust)))
print("O2 at lambda 1.3 [%]:", 100 * float(gas.o2_fraction_at_lambda(1.3)))

# Equilibrium at a Pt electrode, lean and rich
eq = gas.equilibrium(gas.combustion_exhaust([0.9, 1.3]), T, P)
print("equilibrium pO2 at lambda 0.9 and 1.3 [Pa]:", eq.o2_partial_pressure)

# Transport: O2-N2 diffusion and the O2 limiting current of a barrier with Stefan flow
print("D(O2-N2) [cm2/s]:", 1e4 * float(transport.binary_diffusion_coefficient("O2", "N2", T, P)))
gf = transport.ring_geometry_factor(0.2e-3, 0.9e-3, 20e-6, 0.3, 3.0)
print(
    "O2 limiting current in air [mA]:",
    1e3 * transport.oxygen_limiting_current(0.2095, T, P, gf, 0.5e-6),
)

# Electrolyte: internal resistance of a cell with cell constant 566.7 1/m
print("R_i at 780 C [ohm]:", float(electrolyte.cell_resistance(566.7, T)))

# Electrode: Nernst slope and the mixed potential of a 10 wt% Au electrode
print("Nernst slope at 750 C [mV/decade]:", 1e3 * float(nernst_slope(1023.15)))
res = measuring_electrode_potential({"O2": 0.046, "C3H6": [0.0, 100e-6, 1000e-6]}, T, P, 10.0)
print("measuring electrode vs air [mV] at 0/100/1000 ppm C3H6:", 1e3 * res.potential)
