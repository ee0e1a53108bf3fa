"""Calibration checks of the lsu49-like design against the public Bosch LSU 4.9 numbers.

These verify that the calibrated parameters (barrier pore size and tortuosity, Nernst cell
constant) still reproduce the data sheet values they were calibrated on; the independent
physics (Stefan flow, Knudsen, Arrhenius) is tested in tests/transport and test_electrolyte.
"""

import pytest

from mixpot import designs, electrolyte
from mixpot.sensor.grid import barrier_geometry_factor
from mixpot.transport import oxygen_limiting_current

LSU = {  # shared/reference/public_data.toml [lsu49]
    "pump_current_air_A": 2.54e-3,
    "temperature_K": 780.0 + 273.15,
    "pressure_Pa": 101300.0,
    "nernst_internal_resistance_ohm": 300.0,
    "lean_pressure_ratio_2bar": 1.165,
}


@pytest.fixture(scope="module")
def lsu():
    return designs.load("lsu49-like")


def _i_lim(design, pressure_Pa):
    g = design.geometry
    gf = barrier_geometry_factor(g)
    return oxygen_limiting_current(
        0.2095, LSU["temperature_K"], pressure_Pa, gf, g.barrier_pore_diameter_m
    )


def test_pump_current_in_air(lsu):
    assert _i_lim(lsu, LSU["pressure_Pa"]) == pytest.approx(LSU["pump_current_air_A"], rel=5e-3)


def test_lean_pressure_sensitivity(lsu):
    ratio = _i_lim(lsu, 2.0e5) / _i_lim(lsu, LSU["pressure_Pa"])
    assert ratio == pytest.approx(LSU["lean_pressure_ratio_2bar"], abs=0.005)


def test_nernst_cell_internal_resistance(lsu):
    r = electrolyte.cell_resistance(lsu.nernst_cell_constant_per_m, LSU["temperature_K"])
    assert r == pytest.approx(LSU["nernst_internal_resistance_ohm"], rel=2e-3)
