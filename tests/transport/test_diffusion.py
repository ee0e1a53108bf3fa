"""Physics checks of the molecular diffusion coefficients (Chapman-Enskog, mixture-averaged)."""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from mixpot.gas import species
from mixpot.gas._cantera import new_solution
from mixpot.transport import (
    TEMPERATURE_RANGE_K,
    binary_diffusion_coefficient,
    binary_diffusion_matrix,
    mixture_diffusion_coefficients,
)

ATM = 101325.0
DATA = tomllib.loads((Path(__file__).parents[1] / "data" / "diffusion_in_N2.toml").read_text())
TABLE_CASES = [
    (name, temperature, value)
    for name, values in DATA["D_cm2_per_s"].items()
    for temperature, value in zip(DATA["temperatures_K"], values, strict=True)
]


@pytest.mark.parametrize(("name", "temperature", "d_cm2_per_s"), TABLE_CASES)
def test_binary_in_n2_matches_public_table(name, temperature, d_cm2_per_s):
    # table values are rounded to 4 significant figures (half a unit of the last digit)
    d = binary_diffusion_coefficient(name, "N2", temperature, DATA["pressure_Pa"])
    assert d * 1e4 == pytest.approx(d_cm2_per_s, abs=5.01e-4)


def _chapman_enskog_neufeld(name_a, name_b, temperature, pressure):
    """Independent first-order Chapman-Enskog value, Poling et al. (5th ed.) eq. 11-3.2.

    D_AB [cm^2/s] = 0.00266 T^1.5 / (P[bar] M_AB^0.5 sigma_AB^2 Omega_D) with
    M_AB = 2/(1/M_A + 1/M_B) [g/mol], sigma_AB [Angstrom] the arithmetic mean, and the
    Neufeld et al. (1972) fit of the collision integral (Poling eq. 11-3.6).
    """
    a, b = species.get(name_a), species.get(name_b)
    t_star = temperature / math.sqrt(a.well_depth * b.well_depth)
    omega = (
        1.06036 / t_star**0.15610
        + 0.19300 / math.exp(0.47635 * t_star)
        + 1.03587 / math.exp(1.52996 * t_star)
        + 1.76474 / math.exp(3.89411 * t_star)
    )
    m_ab = 2.0 / (1.0 / (a.molar_mass * 1e3) + 1.0 / (b.molar_mass * 1e3))
    sigma = 0.5 * (a.diameter + b.diameter) * 1e10
    d_cm2 = 0.00266 * temperature**1.5 / (pressure / 1e5 * math.sqrt(m_ab) * sigma**2 * omega)
    return d_cm2 * 1e-4


@pytest.mark.parametrize("name", ["N2", "O2", "CO", "H2", "CO2", "CH4", "C3H6", "C3H8", "NO"])
@pytest.mark.parametrize("temperature", [300.0, 700.0, 1050.0, 1500.0])
def test_non_polar_pairs_agree_with_independent_chapman_enskog(name, temperature):
    # Neufeld's fit is accurate to about 0.1 %; Cantera includes no polar correction here
    expected = _chapman_enskog_neufeld(name, "N2", temperature, 2.0e5)
    assert binary_diffusion_coefficient(name, "N2", temperature, 2.0e5) == pytest.approx(
        expected, rel=5e-3
    )


def test_fast_path_equals_cantera_at_random_states():
    rng = np.random.default_rng(42)
    gas = new_solution()
    names = species.SPECIES
    idx = [gas.species_index(n) for n in names]
    temperatures = rng.uniform(300.0, 1800.0, 6)
    pressures = rng.uniform(2e4, 5e5, 6)
    fast = binary_diffusion_matrix(names, temperatures, pressures)
    for m, (temperature, pressure) in enumerate(zip(temperatures, pressures, strict=True)):
        gas.TPX = temperature, pressure, "N2:1"
        reference = gas.binary_diff_coeffs[np.ix_(idx, idx)]
        np.testing.assert_allclose(fast[..., m], reference, rtol=1e-12)
        single = binary_diffusion_coefficient("C3H6", "H2O", temperature, pressure)
        expected = gas.binary_diff_coeffs[gas.species_index("C3H6"), gas.species_index("H2O")]
        assert single == pytest.approx(expected, rel=1e-12)


def test_inverse_pressure_scaling():
    d1 = binary_diffusion_coefficient("O2", "N2", 1000.0, 1.0e5)
    d2 = binary_diffusion_coefficient("O2", "N2", 1000.0, 2.0e5)
    assert d1 / d2 == pytest.approx(2.0, rel=1e-14)


def test_temperature_exponent_is_physical():
    # Chapman-Enskog: D ~ T^1.5 / Omega(T*), apparent exponent between 1.5 and 2 at T* > 1
    t1, t2 = 900.0, 1100.0
    d1, d2 = (binary_diffusion_coefficient("O2", "N2", t, ATM) for t in (t1, t2))
    exponent = math.log(d2 / d1) / math.log(t2 / t1)
    assert 1.5 < exponent < 2.0


def test_symmetry_and_graham_ordering():
    matrix = binary_diffusion_matrix(["N2", "O2", "H2", "C3H6"], 1000.0, ATM)
    np.testing.assert_allclose(matrix, matrix.T, rtol=1e-14)
    # light H2 diffuses fastest, heavy C3H6 slowest in N2
    assert matrix[2, 0] > matrix[1, 0] > matrix[3, 0]


def test_scalar_array_and_broadcast_shapes():
    d = binary_diffusion_coefficient("O2", "N2", 1000.0, ATM)
    assert isinstance(d, np.float64)
    t = np.array([[800.0], [900.0], [1000.0]])
    p = np.array([0.5e5, 1e5, 2e5, 3e5])
    d = binary_diffusion_coefficient("O2", "N2", t, p)
    assert d.shape == (3, 4)
    assert d[2, 1] == pytest.approx(binary_diffusion_coefficient("O2", "N2", 1000.0, 1e5))
    assert binary_diffusion_matrix(["N2", "O2"], t, p).shape == (2, 2, 3, 4)


def test_selected_rows_are_rows_of_the_matrix():
    names = ["N2", "O2", "H2", "C3H6", "CO"]
    t, p = np.array([800.0, 1000.0, 1300.0]), np.array([0.5e5, 1e5, 3e5])
    full = binary_diffusion_matrix(names, t, p)
    rows = binary_diffusion_matrix(names, t, p, rows=["C3H6", "O2"])
    np.testing.assert_array_equal(rows, full[[3, 1]])
    with pytest.raises(ValueError, match="rows: NO not in species"):
        binary_diffusion_matrix(names, t, p, rows=["NO"])


def test_nan_propagates():
    d = binary_diffusion_coefficient("O2", "N2", [1000.0, np.nan], [ATM, ATM])
    assert np.isfinite(d[0])
    assert np.isnan(d[1])
    assert np.isnan(binary_diffusion_coefficient("O2", "N2", 1000.0, np.nan))


def _random_composition(rng, n_points):
    x = rng.random((len(species.SPECIES), n_points)) ** 3
    return x / x.sum(axis=0)


def test_mixture_averaged_equals_cantera_for_random_compositions():
    rng = np.random.default_rng(7)
    gas = new_solution()
    idx = [gas.species_index(n) for n in species.SPECIES]
    x = _random_composition(rng, 5)
    temperatures = rng.uniform(400.0, 1300.0, 5)
    pressures = rng.uniform(5e4, 3e5, 5)
    d = mixture_diffusion_coefficients(x, temperatures, pressures)
    assert d.shape == (len(species.SPECIES), 5)
    for m in range(5):
        full = np.zeros(gas.n_species)
        full[idx] = x[:, m]
        gas.TPX = temperatures[m], pressures[m], full
        np.testing.assert_allclose(d[:, m], gas.mix_diff_coeffs[idx], rtol=1e-10)


def test_mixture_averaged_binary_mixture_by_hand():
    # two species: D_1m = (1 - Y_1) D_12 / X_2 = (M_2 / M_mean) D_12
    x_o2 = 0.2095
    d12 = binary_diffusion_coefficient("O2", "N2", 1053.15, ATM)
    m_n2, m_o2 = species.get("N2").molar_mass, species.get("O2").molar_mass
    mean = (1 - x_o2) * m_n2 + x_o2 * m_o2
    d = mixture_diffusion_coefficients([1 - x_o2, x_o2], 1053.15, ATM, species=["N2", "O2"])
    assert d[0] == pytest.approx(m_o2 / mean * d12, rel=1e-12)
    assert d[1] == pytest.approx(m_n2 / mean * d12, rel=1e-12)


def test_trace_species_gets_its_binary_coefficient_with_the_carrier():
    x = np.zeros(len(species.SPECIES))
    x[species.SPECIES.index("C3H6")] = 1e-9
    x[0] = 1.0 - 1e-9
    d = mixture_diffusion_coefficients(x, 1000.0, ATM)
    expected = binary_diffusion_coefficient("C3H6", "N2", 1000.0, ATM)
    assert d[species.SPECIES.index("C3H6")] == pytest.approx(expected, rel=1e-8)


def test_pure_species_follows_cantera_convention():
    gas = new_solution()
    gas.TPX = 1000.0, ATM, "N2:1"
    d = mixture_diffusion_coefficients(np.eye(len(species.SPECIES))[:, 0], 1000.0, ATM)
    idx = [gas.species_index(n) for n in species.SPECIES]
    assert d[0] == 0.0
    np.testing.assert_allclose(d, gas.mix_diff_coeffs[idx], rtol=1e-10)
    single = mixture_diffusion_coefficients([1.0], 1000.0, ATM, species=["O2"])
    assert single[0] == pytest.approx(binary_diffusion_coefficient("O2", "O2", 1000.0, ATM))


def test_mixture_broadcast_and_nan():
    rng = np.random.default_rng(3)
    x = _random_composition(rng, 3)
    x[:, 1] = np.nan
    d = mixture_diffusion_coefficients(x[:, :, np.newaxis], 1000.0, [1e5, 2e5])
    assert d.shape == (len(species.SPECIES), 3, 2)
    assert np.isnan(d[:, 1]).all()
    assert np.isfinite(d[:, [0, 2]]).all()
    np.testing.assert_allclose(d[:, [0, 2], 0] / d[:, [0, 2], 1], 2.0, rtol=1e-12)
    d_nan_t = mixture_diffusion_coefficients(x[:, 0], np.nan, 1e5)
    assert np.isnan(d_nan_t).all()


@pytest.mark.parametrize(
    ("temperature", "pressure", "match"),
    [
        (-300.0, ATM, "temperature_K"),
        (0.0, ATM, "temperature_K"),
        (TEMPERATURE_RANGE_K[1] + 1.0, ATM, "temperature_K"),
        (1000.0, 0.0, "pressure_Pa"),
        (1000.0, -1.0, "pressure_Pa"),
    ],
)
def test_out_of_range_state_raises(temperature, pressure, match):
    with pytest.raises(ValueError, match=match):
        binary_diffusion_coefficient("O2", "N2", temperature, pressure)
    with pytest.raises(ValueError, match=match):
        mixture_diffusion_coefficients([0.79, 0.21], temperature, pressure, species=["N2", "O2"])


def test_unknown_species_raises():
    with pytest.raises(ValueError, match="'XE'"):
        binary_diffusion_coefficient("XE", "N2", 1000.0, ATM)
    with pytest.raises(ValueError, match="unknown species"):
        binary_diffusion_matrix(["N2", "Hg"], 1000.0, ATM)
    with pytest.raises(ValueError, match="at least one"):
        binary_diffusion_matrix([], 1000.0, ATM)


@pytest.mark.parametrize(
    ("x", "names", "match"),
    [
        ([0.5, 0.4], ["N2", "O2"], "sum to"),
        ([1.1, -0.1], ["N2", "O2"], "mole_fractions"),
        ([0.5, 0.5], ["N2", "O2", "H2"], "shape"),
        (0.5, ["N2", "O2"], "shape"),
        ([], [], "at least one"),
        ([0.5, 0.5], ["N2", "N2"], "repeat"),
    ],
)
def test_bad_compositions_raise(x, names, match):
    with pytest.raises(ValueError, match=match):
        mixture_diffusion_coefficients(x, 1000.0, ATM, species=names)


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="temperature_K"):
        binary_diffusion_coefficient("O2", "N2", "hot", ATM)
