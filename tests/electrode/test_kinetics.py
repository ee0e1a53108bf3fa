"""Physics checks of the Arrhenius helper and the generalised Butler-Volmer equation."""

import math
import warnings

import numpy as np
import pytest

from mixpot.electrode import arrhenius, butler_volmer, faradaic_rate

R = 8.314462618
F = 96485.33212


def f_of(t):
    return F / (R * t)


def test_arrhenius_reference_and_slope():
    ea = 1.6 * F  # 1.6 eV per particle in J/mol
    assert float(arrhenius(50.0, ea, 973.15, 973.15)) == 50.0
    t1, t2 = 873.15, 1073.15
    ratio = float(arrhenius(1.0, ea, t2, 973.15) / arrhenius(1.0, ea, t1, 973.15))
    # ln(k2/k1) = -Ea/R (1/T2 - 1/T1); with Ea in eV: -Ea/kB (...)
    kb_ev = 8.617333262e-5
    assert math.log(ratio) == pytest.approx(-1.6 / kb_ev * (1 / t2 - 1 / t1), rel=1e-8)


def test_arrhenius_errors():
    with pytest.raises(ValueError, match="activation_energy_J_per_mol"):
        arrhenius(1.0, -1.0, 900.0, 900.0)
    with pytest.raises(ValueError, match="reference_temperature_K"):
        arrhenius(1.0, 1.0, 900.0, 0.0)
    with pytest.raises(ValueError, match="value_ref"):
        arrhenius(-1.0, 1.0, 900.0, 900.0)


@pytest.mark.parametrize(("aa", "ac"), [(0.5, 0.5), (0.3, 0.7), (1.0, 1.0), (1.5, 0.5)])
def test_linear_regime(aa, ac):
    t, i0, eta = 1000.0, 7.0, 1e-6
    i, didE = butler_volmer(eta, i0, i0, aa, ac, 0.0, t)
    assert float(i) == pytest.approx(i0 * (aa + ac) * f_of(t) * eta, rel=1e-4)
    assert float(didE) == pytest.approx(i0 * (aa + ac) * f_of(t), rel=1e-4)
    # equilibrium: no current at E = E_ref
    assert float(butler_volmer(0.3, i0, i0, aa, ac, 0.3, t)[0]) == 0.0


def test_tafel_slopes():
    t, i0 = 950.0, 1e-3
    aa, ac = 0.3, 0.7
    f = f_of(t)
    e = np.array([1.5, 1.6])  # deep Tafel: the other branch < 1e-8
    i, _ = butler_volmer(e, i0, i0, aa, ac, 0.0, t)
    slope = (e[1] - e[0]) / (math.log10(i[1]) - math.log10(i[0]))  # V/decade
    assert slope == pytest.approx(math.log(10) / (aa * f), rel=1e-6)
    i, _ = butler_volmer(-e, i0, i0, aa, ac, 0.0, t)
    slope = (e[1] - e[0]) / (math.log10(-i[1]) - math.log10(-i[0]))
    assert slope == pytest.approx(math.log(10) / (ac * f), rel=1e-6)


def test_limiting_currents():
    i, didE = butler_volmer(np.array([-5.0, 5.0]), 10.0, 10.0, 0.5, 0.5, 0.0, 1000.0, 2.0, 3.0)
    np.testing.assert_allclose(i, [-3.0, 2.0], rtol=1e-9)
    assert np.all(didE >= 0.0)
    assert np.all(didE < 1e-6)


def test_nernstian_wave_limit():
    """For i0 -> inf the Bard-Faulkner form gives the reversible (Nernstian) wave."""
    t, ila, ilc = 1000.0, 2.0, 5.0
    aa, ac = 0.5, 0.5
    eta = np.linspace(-0.3, 0.3, 13)
    i, _ = butler_volmer(eta, 1e12, 1e12, aa, ac, 0.0, t, ila, ilc)
    th = np.exp((aa + ac) * f_of(t) * eta)
    expected = ila * ilc * (th - 1.0) / (th * ilc + ila)
    np.testing.assert_allclose(i, expected, rtol=1e-9, atol=1e-12)


def test_irreversible_oxidation():
    t, k, aa = 900.0, 3.0, 0.8
    eta = np.array([-1.0, 0.0, 0.2])
    i, _ = butler_volmer(eta, k, 0.0, aa, 0.5, 0.0, t)
    np.testing.assert_allclose(i, k * np.exp(aa * f_of(t) * eta), rtol=1e-12)
    assert np.all(i > 0.0)


@pytest.mark.parametrize(
    ("ka", "kc", "aa", "ac", "ila", "ilc"),
    [
        (10.0, 10.0, 0.5, 0.5, np.inf, np.inf),
        (1e-3, 2.0, 0.3, 1.2, 0.5, 0.05),
        (5.0, 0.0, 1.0, 0.0, 1.0, np.inf),
        (1e4, 1e-4, 1.5, 0.5, 20.0, 3.0),
    ],
)
def test_derivative_against_finite_difference(ka, kc, aa, ac, ila, ilc):
    t = 1000.0
    e = np.linspace(-0.8, 0.8, 161)
    h = 1e-4
    i, d = butler_volmer(e, ka, kc, aa, ac, 0.0, t, ila, ilc)
    ip, _ = butler_volmer(e + h, ka, kc, aa, ac, 0.0, t, ila, ilc)
    im, _ = butler_volmer(e - h, ka, kc, aa, ac, 0.0, t, ila, ilc)
    fd = (ip - im) / (2 * h)
    # central difference: truncation ~ (f h)^2 relative, round-off ~ 1e-13 max|i| / h
    atol = 1e-13 * np.max(np.abs(i)) / h
    np.testing.assert_allclose(d, fd, rtol=2e-5, atol=atol)
    assert np.all(d >= 0.0)
    assert np.all(np.diff(butler_volmer(e, ka, kc, aa, ac, 0.0, t, ila, ilc)[0]) >= 0.0)


@pytest.mark.parametrize("eta", [-5.0, 5.0, -5000.0, 5000.0])
@pytest.mark.parametrize(
    ("k", "il"), [(1e-30, np.inf), (1e10, np.inf), (1.0, 1e-300), (1e300, 1.0)]
)
def test_no_warnings_huge_overpotential(eta, k, il):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        i, d = butler_volmer(eta, k, k, 0.5, 0.5, 0.0, 300.0, il, il)
    assert not np.isnan(i)
    assert not np.isnan(d)
    if np.isfinite(il):
        assert abs(float(i)) == pytest.approx(il, rel=1e-9)
    else:
        assert np.sign(i) == np.sign(eta)


def test_zero_rates_and_blocked_reaction():
    e = np.linspace(-1, 1, 5)
    i, d = butler_volmer(e, 0.0, 0.0, 0.5, 0.5, 0.0, 1000.0)
    assert np.all(i == 0.0)
    assert np.all(d == 0.0)
    # no supply of fuel (i_lim = 0) blocks the oxidation, the limit of the formula
    i, d = butler_volmer(e, 5.0, 0.0, 0.5, 0.5, 0.0, 1000.0, 0.0)
    assert np.all(i == 0.0)
    i_small, _ = butler_volmer(e, 5.0, 0.0, 0.5, 0.5, 0.0, 1000.0, 1e-200)
    assert np.all(np.abs(i_small) <= 1e-200)


def test_broadcast_and_nan():
    i, d = butler_volmer(
        np.array([[0.1], [np.nan]]), np.array([1.0, 2.0, np.nan]), 1.0, 0.5, 0.5, 0.0, 900.0
    )
    assert i.shape == (2, 3)
    assert np.isfinite(i[0, :2]).all()
    assert np.isnan(i[0, 2])
    assert np.isnan(i[1]).all()
    assert np.isnan(d[1]).all()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("k_a", (0.1, -1.0, 1.0, 0.5, 0.5, 0.0, 900.0)),
        ("k_c", (0.1, 1.0, -1.0, 0.5, 0.5, 0.0, 900.0)),
        ("alpha_a", (0.1, 1.0, 1.0, -0.5, 0.5, 0.0, 900.0)),
        ("alpha_c", (0.1, 1.0, 1.0, 0.5, -0.5, 0.0, 900.0)),
        ("temperature_K", (0.1, 1.0, 1.0, 0.5, 0.5, 0.0, 0.0)),
        ("i_lim_a", (0.1, 1.0, 1.0, 0.5, 0.5, 0.0, 900.0, -1.0)),
        ("i_lim_c", (0.1, 1.0, 1.0, 0.5, 0.5, 0.0, 900.0, 1.0, -1.0)),
    ],
)
def test_errors(name, args):
    with pytest.raises(ValueError, match=name):
        butler_volmer(*args)


def test_faradaic_rate_public_value():
    # physics.md: 1 mA of pump current moves 2.5911e-9 mol O2/s
    assert float(faradaic_rate(1e-3, 4)) == pytest.approx(2.5911e-9, rel=2e-5)
    # propene: 18 electrons per molecule
    assert float(faradaic_rate(-18 * F, 18)) == pytest.approx(-1.0, rel=1e-14)
    with pytest.raises(ValueError, match="electrons"):
        faradaic_rate(1.0, 0.0)


def test_model_is_hashable():
    from mixpot.electrode import PtAuModel

    assert hash(PtAuModel()) == hash(PtAuModel())
