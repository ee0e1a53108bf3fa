"""Physics checks of the catalytic-oxidation and Thiele functions."""

import math
import warnings

import numpy as np
import pytest

from mixpot.electrode import (
    STICKING_COEFFICIENT_PT,
    catalytic_activity,
    catalytic_oxidation_rate,
    catalytic_rate_constant,
    effective_reaction_probability,
    effectiveness_factor,
    hertz_knudsen_flux,
    porous_layer_rate_constant,
    surface_rate_constant,
    thiele_modulus,
    tpb_concentration_ratio,
)

KB = 1.380649e-23
NA = 6.02214076e23
R = 8.314462618
M_C3H6 = 42.081e-3  # kg/mol (IUPAC atomic weights: 3 x 12.011 + 6 x 1.008)


def test_hertz_knudsen_from_kinetic_theory():
    """Z = n v_mean / 4 with n = xP/(kB T), v_mean = sqrt(8 kB T/(pi m)), m = M/NA."""
    x, p, t = 500e-6, 101325.0, 1000.0
    n = x * p / (KB * t)
    v_mean = math.sqrt(8 * KB * t / (math.pi * M_C3H6 / NA))
    expected = n * v_mean / 4.0 / NA  # mol/(m^2 s)
    assert float(hertz_knudsen_flux(x, p, t, M_C3H6)) == pytest.approx(expected, rel=1e-9)


def test_rate_equals_rate_constant_times_concentration():
    x, p, t = 300e-6, 1.2e5, 950.0
    c = x * p / (R * t)
    for sp in ("CO", "C3H6", "H2", "CH4", "C3H8", "NH3"):
        r = catalytic_oxidation_rate(sp, x, p, t, 0.5)
        k = catalytic_rate_constant(sp, t, 0.5)
        assert float(r) == pytest.approx(float(k) * c, rel=1e-12)


def test_effective_probability_composition():
    assert STICKING_COEFFICIENT_PT["C3H6"] == 0.98  # Chatterjee et al. 2001
    g = effective_reaction_probability("C3H6", 10.0, 2.0)
    assert float(g) == pytest.approx(0.98 * 2.0 * float(catalytic_activity(10.0)), rel=1e-12)
    assert float(surface_rate_constant(1.0, 1000.0, M_C3H6)) == pytest.approx(
        math.sqrt(R * 1000.0 / (2 * math.pi * M_C3H6)), rel=1e-12
    )


def test_pt_wall_mass_transfer_limited_gold_rich_wall_not():
    """Damkoehler number k_s h / D in a 10 um gap at 700 C (D of C3H6 in N2: 0.916 cm^2/s)."""
    h, d = 10e-6, 0.916e-4
    da_pt = float(catalytic_rate_constant("C3H6", 973.15, 0.0, 1.0)) * h / d
    da_au10 = float(catalytic_rate_constant("C3H6", 973.15, 10.0, 1.0)) * h / d
    assert da_pt > 10.0  # bare Pt burns propene at the mass-transfer limit
    assert da_au10 < 0.1  # 10 wt% Au measuring electrode: kinetically slow burning


def test_unknown_species_and_bad_sticking():
    with pytest.raises(ValueError, match="N2"):
        effective_reaction_probability("N2")
    with pytest.raises(ValueError, match="sticking"):
        effective_reaction_probability("CO", sticking={"CO": 1.5})
    with pytest.raises(ValueError, match="roughness_factor"):
        effective_reaction_probability("CO", roughness_factor=-1.0)
    with pytest.raises(ValueError, match="mole_fraction"):
        hertz_knudsen_flux(1.5, 1e5, 1000.0, 0.03)
    with pytest.raises(ValueError, match="molar_mass_kg_per_mol"):
        hertz_knudsen_flux(0.5, 1e5, 1000.0, 0.0)
    with pytest.raises(ValueError, match="reaction_probability"):
        surface_rate_constant(-0.1, 1000.0, 0.03)


def test_thiele_limits():
    assert float(effectiveness_factor(0.0)) == 1.0
    assert float(effectiveness_factor(1e-8)) == pytest.approx(1.0, abs=1e-15)
    assert float(effectiveness_factor(1e-3)) == pytest.approx(math.tanh(1e-3) / 1e-3, rel=1e-14)
    for phi in (1e3, 1e6):
        assert float(effectiveness_factor(phi)) == pytest.approx(1.0 / phi, rel=1e-12)
    assert float(effectiveness_factor(1.0)) == pytest.approx(math.tanh(1.0), rel=1e-14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(tpb_concentration_ratio(1e4)) == 0.0
        assert float(tpb_concentration_ratio(0.0)) == 1.0
    assert float(tpb_concentration_ratio(2.0)) == pytest.approx(1 / math.cosh(2.0), rel=1e-14)
    assert float(thiele_modulus(20e-6, 4e6, 1e-5)) == pytest.approx(20e-6 * math.sqrt(4e6 / 1e-5))


def test_thiele_against_finite_difference_profile():
    """Solve c'' = phi^2 c, c(0) = 1, c'(1) = 0 numerically and compare both fractions."""
    phi, n = 2.5, 2001
    z = np.linspace(0.0, 1.0, n)
    hz = z[1] - z[0]
    a = np.zeros((n, n))
    b = np.zeros(n)
    a[0, 0], b[0] = 1.0, 1.0
    for i in range(1, n - 1):
        a[i, i - 1], a[i, i], a[i, i + 1] = 1.0, -2.0 - (phi * hz) ** 2, 1.0
    a[-1, -1], a[-1, -2] = -2.0 - (phi * hz) ** 2, 2.0  # mirror node: zero flux
    c = np.linalg.solve(a, b)
    mean = np.sum((c[1:] + c[:-1]) / 2) * hz
    assert float(effectiveness_factor(phi)) == pytest.approx(mean, rel=1e-5)
    assert float(tpb_concentration_ratio(phi)) == pytest.approx(c[-1], rel=1e-5)


def test_porous_layer_rate_constant_limits():
    d, dif = 10e-6, 1e-6
    k_small = 1e-2
    assert float(porous_layer_rate_constant(d, k_small, dif)) == pytest.approx(
        k_small * d, rel=1e-9
    )
    k_big = 1e12
    assert float(porous_layer_rate_constant(d, k_big, dif)) == pytest.approx(
        math.sqrt(k_big * dif), rel=1e-9
    )


def test_thiele_errors():
    with pytest.raises(ValueError, match="thiele_modulus"):
        effectiveness_factor(-1.0)
    with pytest.raises(ValueError, match="effective_diffusivity_m2_per_s"):
        thiele_modulus(1e-5, 1.0, 0.0)
    with pytest.raises(ValueError, match="thickness_m"):
        thiele_modulus(-1e-5, 1.0, 1e-6)
    with pytest.raises(ValueError, match="rate_constant_per_s"):
        porous_layer_rate_constant(1e-5, -1.0, 1e-6)


def test_free_site_fraction_equals_the_vectorised_solve():
    # the compiled per-point solve (mixpot._numerics.rtsafe) against solve_monotone on the
    # NumPy form of the same balance: same root to 1e-12, one point or many
    from mixpot._numerics import solve_monotone
    from mixpot.constants import GAS_CONSTANT
    from mixpot.electrode.catalysis import (
        O2_DESORPTION_PREFACTOR,
        PT_SITE_DENSITY,
        STICKING_COEFFICIENT_PT,
        _o2_balance,
        hertz_knudsen_flux,
        pt_free_site_fraction,
    )
    from mixpot.gas.species import get

    rng = np.random.default_rng(11)
    t = rng.uniform(300.0, 1400.0, 400)
    p = 10.0 ** rng.uniform(-3.0, 5.3, 400)
    rt = GAS_CONSTANT * t
    adsorption = STICKING_COEFFICIENT_PT["O2"] * hertz_knudsen_flux(1.0, p, t, get("O2").molar_mass)
    desorption = O2_DESORPTION_PREFACTOR * PT_SITE_DENSITY**2
    theta, ok = solve_monotone(
        lambda th: _o2_balance(th, rt, adsorption, desorption),
        np.zeros(t.size),
        np.ones(t.size),
        xtol=1e-12,
    )
    assert ok.all()
    many = pt_free_site_fraction(t, p)
    one = np.array([pt_free_site_fraction(t[i : i + 1], p[i : i + 1])[0] for i in range(t.size)])
    np.testing.assert_allclose(many, 1.0 - theta, rtol=0.0, atol=1e-12)
    np.testing.assert_array_equal(one, many)
    assert np.shape(pt_free_site_fraction(1000.0, 5000.0)) == ()
    assert pt_free_site_fraction([[1000.0]], 5000.0).shape == (1, 1)
    # equal inputs at every point (one root for all) and in part: each point its own value
    alone = [pt_free_site_fraction(t[i : i + 1], p[:1])[0] for i in range(2)]
    np.testing.assert_array_equal(pt_free_site_fraction(np.full((2, 3), t[0]), p[0]), alone[0])
    np.testing.assert_array_equal(pt_free_site_fraction(t[[0, 1, 0]], p[0]), alone + alone[:1])
