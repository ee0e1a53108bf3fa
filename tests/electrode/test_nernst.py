"""Physics checks of the Nernst functions against published numbers and thermodynamics."""

import math
import warnings

import numpy as np
import pytest

from mixpot.electrode import (
    AIR_REFERENCE_O2_PRESSURE,
    nernst_slope,
    nernst_voltage,
    o2_equilibrium_potential,
    o2_pressure_from_potential,
)
from mixpot.gas._cantera import new_solution

R = 8.314462618  # J/(mol K), CODATA 2018 (public_data.toml)
F = 96485.33212  # C/mol
T750 = 750.0 + 273.15


def test_slope_750c_matches_public_value():
    u = float(nernst_voltage(10.0, 1.0, T750))  # one decade
    assert u * 1e3 == pytest.approx(50.75, abs=0.01)
    # Rosemount SM425 manual: 50.74 mV/decade at 750 C
    assert u * 1e3 == pytest.approx(50.74, abs=0.02)
    assert float(nernst_slope(T750)) == pytest.approx(u, rel=1e-12)
    assert u == pytest.approx(math.log(10.0) * R * T750 / (4.0 * F), rel=1e-12)


def test_zero_antisymmetry_and_additivity():
    t = np.array([600.0, 1000.0, 1300.0])
    assert np.all(nernst_voltage(5000.0, 5000.0, t) == 0.0)
    a, b, c = 21000.0, 3.0, 1e-15
    np.testing.assert_allclose(nernst_voltage(a, b, t), -nernst_voltage(b, a, t), rtol=1e-14)
    np.testing.assert_allclose(
        nernst_voltage(a, b, t) + nernst_voltage(b, c, t), nernst_voltage(a, c, t), rtol=1e-12
    )


def test_voltage_equals_chemical_potential_difference_over_4f():
    """U = (mu_O2(pa) - mu_O2(pb)) / 4F with Cantera's ideal-gas chemical potentials."""
    gas = new_solution()
    t = 1073.15
    mu = []
    for p in (20000.0, 2.0):
        gas.TPX = t, p, "O2:1.0"
        mu.append(gas.chemical_potentials[gas.species_index("O2")] / 1000.0)  # J/mol
    expected = (mu[0] - mu[1]) / (4.0 * F)
    assert float(nernst_voltage(20000.0, 2.0, t)) == pytest.approx(expected, rel=1e-6)


def test_equilibrium_potential_sign_and_inverse():
    t = 1053.15
    # lean exhaust (less O2 than air) is negative vs the air reference
    assert float(o2_equilibrium_potential(0.05 * 101325.0, t)) < 0.0
    assert float(o2_equilibrium_potential(AIR_REFERENCE_O2_PRESSURE, t)) == 0.0
    p = np.logspace(-20, 5, 11)
    e = o2_equilibrium_potential(p, t)
    np.testing.assert_allclose(o2_pressure_from_potential(e, t), p, rtol=1e-10)


def test_inverse_extreme_potential_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = o2_pressure_from_potential(np.array([-50.0, 50.0]), 300.0)
    assert p[0] == 0.0
    assert p[1] == np.inf


def test_nan_propagates():
    out = nernst_voltage(np.array([1.0, np.nan]), 2.0, 1000.0)
    assert np.isfinite(out[0])
    assert np.isnan(out[1])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"p_o2_a_Pa": 0.0, "p_o2_b_Pa": 1.0, "temperature_K": 1000.0}, "p_o2_a_Pa"),
        ({"p_o2_a_Pa": 1.0, "p_o2_b_Pa": -1.0, "temperature_K": 1000.0}, "p_o2_b_Pa"),
        ({"p_o2_a_Pa": 1.0, "p_o2_b_Pa": 1.0, "temperature_K": 0.0}, "temperature_K"),
    ],
)
def test_nernst_errors(kwargs, field):
    with pytest.raises(ValueError, match=field):
        nernst_voltage(**kwargs)


def test_other_errors():
    with pytest.raises(ValueError, match="temperature_K"):
        nernst_slope(-1.0)
    with pytest.raises(ValueError, match="reference_p_o2_Pa"):
        o2_pressure_from_potential(0.1, 1000.0, reference_p_o2_Pa=0.0)
    with pytest.raises(ValueError, match="reference_p_o2_Pa"):
        o2_equilibrium_potential(1.0, 1000.0, reference_p_o2_Pa=-5.0)
    with pytest.raises(TypeError, match="potential"):
        o2_pressure_from_potential("abc", 1000.0)
