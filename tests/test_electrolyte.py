"""Physics checks of the YSZ conductivity and the cell resistance."""

import math

import numpy as np
import pytest

from mixpot.constants import GAS_CONSTANT
from mixpot.electrolyte import (
    YSZ_ACTIVATION_TEMPERATURE_K,
    YSZ_PRE_EXPONENTIAL_S_PER_M,
    cell_constant_from_resistance,
    cell_resistance,
    planar_cell_constant,
    ysz_conductivity,
)


def test_default_parameters_are_the_cited_8ysz_correlation():
    # Bossel 1992 / Ferguson et al. 1996: sigma = 3.34e4 exp(-10300/T) S/m
    assert YSZ_PRE_EXPONENTIAL_S_PER_M == 3.34e4
    assert YSZ_ACTIVATION_TEMPERATURE_K == 10300.0


def test_value_at_780_celsius_by_hand():
    # 10300 / 1053.15 = 9.780183; exp(-9.780183) = 5.65614e-5; * 3.34e4 = 1.88915 S/m
    assert ysz_conductivity(1053.15) == pytest.approx(1.88915, rel=1e-5)
    assert ysz_conductivity(1053.15) == pytest.approx(3.34e4 * math.exp(-10300 / 1053.15))


def test_arrhenius_slope():
    temperatures = np.linspace(900.0, 1300.0, 9)
    slope, intercept = np.polyfit(1.0 / temperatures, np.log(ysz_conductivity(temperatures)), 1)
    assert slope == pytest.approx(-10300.0, rel=1e-10)
    assert math.exp(intercept) == pytest.approx(3.34e4, rel=1e-8)
    # apparent activation energy B R = 85.6 kJ/mol, between Kaneko et al.'s high-T
    # (59-79 kJ/mol) and low-T (109-125 kJ/mol) branches
    assert -slope * GAS_CONSTANT / 1e3 == pytest.approx(85.64, abs=0.01)


def test_parameters_can_be_overridden():
    # Kaneko et al. (1993) high-T branch, e.g. 70 kJ/mol
    b = 70e3 / GAS_CONSTANT
    sigma = ysz_conductivity([1000.0, 1100.0], 1.0e4, b)
    assert sigma[1] / sigma[0] == pytest.approx(math.exp(-b / 1100.0 + b / 1000.0))
    assert ysz_conductivity(1000.0, 5.0, 0.0) == 5.0


def test_resistance_inverse_to_conductivity():
    k = 500.0
    temperatures = np.array([973.15, 1053.15, 1123.15])
    r = cell_resistance(k, temperatures)
    np.testing.assert_allclose(r * ysz_conductivity(temperatures), k, rtol=1e-14)
    assert (np.diff(r) < 0).all()  # hotter -> lower R_i (heater control uses this)
    assert cell_resistance(2 * k, 1053.15) == pytest.approx(2 * cell_resistance(k, 1053.15))


def test_lsu_calibration_round_trip():
    # LSU 4.9: 300 ohm at 780 C (1-4 kHz AC); K = R sigma = 300 * 1.88915 = 566.75 1/m
    k = cell_constant_from_resistance(300.0, 1053.15)
    assert k == pytest.approx(566.75, rel=1e-4)
    assert cell_resistance(k, 1053.15) == pytest.approx(300.0, rel=1e-14)
    # round trip with other parameters and arrays
    r = np.array([100.0, 300.0, 1000.0])
    k = cell_constant_from_resistance(r, 1000.0, 2e4, 9000.0)
    np.testing.assert_allclose(cell_resistance(k, 1000.0, 2e4, 9000.0), r, rtol=1e-14)


def test_planar_cell_constant():
    # 150 um electrolyte under a 0.5 mm^2 electrode: 150e-6 / 0.5e-6 = 300 1/m
    assert planar_cell_constant(150e-6, 0.5e-6) == pytest.approx(300.0)
    assert planar_cell_constant([150e-6, 300e-6], 0.5e-6) == pytest.approx([300.0, 600.0])


def test_scalar_array_broadcast_and_nan():
    assert isinstance(ysz_conductivity(1000.0), np.float64)
    r = cell_resistance([[300.0], [600.0]], [1000.0, 1050.0, np.nan])
    assert r.shape == (2, 3)
    assert np.isnan(r[:, 2]).all()
    assert np.isnan(cell_constant_from_resistance(np.nan, 1000.0))
    assert np.isnan(planar_cell_constant(np.nan, 1e-6))


def test_extreme_cold_gives_infinite_resistance_without_warnings():
    assert np.isinf(cell_resistance(500.0, 1.0))


@pytest.mark.parametrize(
    ("func", "args", "match"),
    [
        (ysz_conductivity, (-10.0,), "temperature_K"),
        (ysz_conductivity, (0.0,), "temperature_K"),
        (ysz_conductivity, (1000.0, 0.0), "pre_exponential_S_per_m"),
        (ysz_conductivity, (1000.0, 3.34e4, -1.0), "activation_temperature_K"),
        (cell_resistance, (0.0, 1000.0), "cell_constant_per_m"),
        (cell_resistance, (500.0, -1000.0), "temperature_K"),
        (cell_constant_from_resistance, (0.0, 1000.0), "resistance_ohm"),
        (cell_constant_from_resistance, (-300.0, 1000.0), "resistance_ohm"),
        (planar_cell_constant, (0.0, 1e-6), "thickness_m"),
        (planar_cell_constant, (1e-4, -1e-6), "area_m2"),
    ],
)
def test_errors(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)


def test_compiled_scalar_cell_resistance_equals_the_numpy_function():
    # the transient heater period uses a compiled scalar copy of cell_resistance
    from mixpot.electrolyte import _cell_resistance_point

    a, b = YSZ_PRE_EXPONENTIAL_S_PER_M, YSZ_ACTIVATION_TEMPERATURE_K
    for t in np.linspace(250.0, 1400.0, 500):
        expected = float(cell_resistance(566.7, t))
        assert _cell_resistance_point(566.7, t, a, b) == pytest.approx(expected, rel=1e-12)
    assert math.isinf(_cell_resistance_point(566.7, 5.0, a, b))  # conductivity underflows
    assert math.isinf(float(cell_resistance(566.7, 5.0)))
