"""Physics checks of the mixed-potential solver and the measuring-electrode model."""

import math
import warnings

import numpy as np
import pytest

from mixpot._numerics import ConvergenceError
from mixpot.electrode import (
    ConvergenceWarning,
    butler_volmer,
    measuring_electrode_potential,
    o2_equilibrium_potential,
    solve_mixed_potential,
)

R = 8.314462618
F = 96485.33212


def f_of(t):
    return F / (R * t)


@pytest.fixture(autouse=True)
def _all_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def tafel_system(c, t, i0=1e-2, k=10.0, m=0.7, ak=0.6, ac=0.9, e0=0.05):
    """Irreversible O2 reduction + irreversible fuel oxidation: exact Tafel mixed potential."""
    c = np.asarray(c, dtype=float)
    ka = np.stack([np.zeros_like(c), k * c**m])
    kc = np.stack([np.full_like(c, i0), np.zeros_like(c)])
    return solve_mixed_potential(ka, kc, [[0.0], [ak]], [[ac], [0.0]], [[e0], [e0]], t)


def test_tafel_analytic_solution_and_slope():
    t, i0, k, m, ak, ac, e0 = 923.15, 1e-2, 10.0, 0.7, 0.6, 0.9, 0.05
    c = np.logspace(-6, 0, 7)
    res = tafel_system(c, t, i0, k, m, ak, ac, e0)
    assert res.converged.all()
    eta = np.log(i0 / (k * c**m)) / ((ak + ac) * f_of(t))
    np.testing.assert_allclose(res.potential - e0, eta, rtol=0, atol=1e-11)
    slope = np.diff(res.potential) / np.diff(np.log10(c))
    np.testing.assert_allclose(slope, -m * math.log(10) / ((ak + ac) * f_of(t)), rtol=1e-9)


def test_reversible_o2_couple_in_tafel_regime():
    """With the full BV O2 couple the Tafel formula holds once |eta| >> RT/F."""
    t, i0, k, ak, ac = 973.15, 1e-8, 50.0, 1.0, 1.0
    c = np.array([1e-4, 1e-3, 1e-2])
    res = solve_mixed_potential(
        np.stack([np.full(3, i0), k * c]),
        np.stack([np.full(3, i0), np.zeros(3)]),
        [[1.0], [ak]],
        [[ac], [0.0]],
        [[0.0], [0.0]],
        t,
    )
    eta = np.log(i0 / (k * c)) / ((ak + ac) * f_of(t))
    assert np.all(eta < -6 / f_of(t))  # O2 anodic branch < e^-12 of the cathodic one
    np.testing.assert_allclose(res.potential, eta, atol=1e-6)


def test_linear_diffusion_limited_small_signal():
    """Fuel at its limiting current i_lim << i0: eta = -i_lim / (i0 (alpha_a+alpha_c) f)."""
    t, i0, aa, ac = 973.15, 50.0, 1.0, 1.0
    i_lim = np.array([1e-3, 2e-3, 4e-3])  # proportional to concentration
    res = solve_mixed_potential(
        [[i0], [1e6]],
        [[i0], [0.0]],
        [[aa], [1.0]],
        [[ac], [0.0]],
        [[0.0], [0.0]],
        t,
        i_lim_a=np.stack([np.full(3, np.inf), i_lim]),
    )
    expected = -i_lim / (i0 * (aa + ac) * f_of(t))
    np.testing.assert_allclose(res.potential, expected, rtol=1e-3)
    # linear in concentration: doubling i_lim doubles the signal
    assert res.potential[1] / res.potential[0] == pytest.approx(2.0, rel=1e-3)
    np.testing.assert_allclose(
        res.current("fuel") if res.labels else res.currents[1], i_lim, rtol=1e-4
    )


def test_no_fuel_gives_o2_equilibrium_potential():
    t, x_o2, p = 1023.15, 0.0459, 101325.0
    res = measuring_electrode_potential({"O2": x_o2, "C3H6": 0.0, "CO": 0.0}, t, p)
    e_eq = float(o2_equilibrium_potential(x_o2 * p, t))
    assert float(res.potential) == pytest.approx(e_eq, abs=1e-12)
    assert float(res.current("C3H6")) == 0.0


def test_target_current_conserved():
    target = np.array([-5.0, -0.1, 0.0, 0.3, 2.0])  # A/m^2
    res = measuring_electrode_potential(
        {"O2": 0.05, "C3H6": 200e-6, "H2": 50e-6}, 973.15, current_density_A_per_m2=target
    )
    assert res.converged.all()
    np.testing.assert_allclose(res.net_current, target, rtol=1e-9, atol=1e-12)
    # anodic current drives the potential up
    assert np.all(np.diff(res.potential) > 0)
    # cross-check the per-reaction currents with butler_volmer itself
    i_o2, _ = butler_volmer(res.potential, *_o2_params(res), 973.15)
    np.testing.assert_allclose(i_o2, res.current("O2"), rtol=1e-9)


def _o2_params(res):
    from mixpot.electrode import O2ExchangeKinetics, o2_exchange_current_density

    kin = O2ExchangeKinetics()
    i0 = o2_exchange_current_density(973.15, 0.05 * 101325.0, 10.0)
    e_eq = o2_equilibrium_potential(0.05 * 101325.0, 973.15)
    return i0, i0, kin.alpha_a, kin.alpha_c, e_eq


def test_monotone_in_concentration_and_tends_to_linear_at_low_concentration():
    c = np.logspace(-7, -2, 26)
    res = measuring_electrode_potential({"O2": 0.0459, "C3H6": c}, 973.15)
    e_eq = float(o2_equilibrium_potential(0.0459 * 101325.0, 973.15))
    signal = res.potential - e_eq
    assert res.converged.all()
    assert np.all(np.diff(signal) < 0)
    # small-signal regime: proportional to concentration
    assert signal[1] / signal[0] == pytest.approx(c[1] / c[0], rel=0.02)


def test_published_trends_of_the_measuring_electrode():
    t = 973.15
    e_eq = float(o2_equilibrium_potential(0.0459 * 101325.0, t))
    resp = {
        sp: float(measuring_electrode_potential({"O2": 0.0459, sp: 500e-6}, t).potential) - e_eq
        for sp in ("H2", "CO", "C3H6", "C3H8", "CH4")
    }
    # Mukundan et al. 2000: H2 > CO ~ C3H6 > C3H8 > CH4 (~0)
    assert resp["H2"] < resp["CO"] < resp["C3H8"] < resp["CH4"] <= 0.0
    assert abs(resp["CO"] - resp["C3H6"]) < 0.02
    assert abs(resp["CH4"]) < 0.002
    # Au more negative than Pt (same gas)
    pt = measuring_electrode_potential({"O2": 0.0459, "C3H6": 500e-6}, t, gold_wt_percent=0.0)
    au = measuring_electrode_potential({"O2": 0.0459, "C3H6": 500e-6}, t, gold_wt_percent=100.0)
    assert float(au.potential) < float(pt.potential)
    # slope at higher concentration: tens of mV to ~100 mV per decade
    r = measuring_electrode_potential({"O2": 0.0459, "C3H6": np.array([100e-6, 1000e-6])}, t)
    slope = -(r.potential[1] - r.potential[0])
    assert 0.03 < slope < 0.11
    # sensitivity falls as temperature rises
    ts = np.array([823.15, 923.15, 1023.15])
    r = measuring_electrode_potential({"O2": 0.0459, "C3H6": 500e-6}, ts)
    sig = r.potential - o2_equilibrium_potential(0.0459 * 101325.0, ts)
    assert np.all(np.diff(sig) > 0)


def test_scalar_array_and_nan_inputs():
    res = measuring_electrode_potential({"O2": 0.05, "CO": 1e-4}, 973.15)
    assert res.potential.shape == ()
    assert res.currents.shape == (2,)
    assert res.labels == ("O2", "CO")
    res = measuring_electrode_potential(
        {"O2": np.array([0.05, np.nan, 0.05]), "CO": np.array([1e-4, 1e-4, 2e-4])},
        np.array([[973.15], [1073.15]]),
    )
    assert res.potential.shape == (2, 3)
    assert np.isnan(res.potential[:, 1]).all()
    assert not res.converged[:, 1].any()
    assert res.converged[:, [0, 2]].all()


def test_robust_over_extreme_parameters():
    i0 = np.array([1e-30, 1e-10, 1.0, 1e6, 1e10])[:, None, None]
    k = np.array([1e-20, 1.0, 1e8])[None, :, None]
    t = np.array([300.0, 1000.0, 2500.0])[None, None, :]
    shape = np.broadcast_shapes(i0.shape, k.shape, t.shape)
    ones = np.ones(shape)
    ka = np.stack([i0 * ones, k * ones, 0 * ones])
    kc = np.stack([i0 * ones, 0 * ones, 1e-5 * ones])
    lim_a = np.stack([np.inf * ones, 1e-300 * ones + 0 * k, np.inf * ones])
    res = solve_mixed_potential(
        ka,
        kc,
        [1.0, 0.5, 0.0],
        [1.0, 0.0, 0.7],
        [0.0, -0.02, 0.3],
        t,
        i_lim_a=lim_a.reshape(3, *shape),
    )
    assert res.converged.all()
    assert np.isfinite(res.potential).all()
    scale = np.abs(res.currents).max(axis=0)
    assert np.all(np.abs(res.net_current) <= 1e-6 * scale + 1e-300)


def test_zero_limiting_current_blocks_fuel():
    res = measuring_electrode_potential(
        {"O2": 0.05, "CO": 1e-3}, 973.15, limiting_current_density_A_per_m2={"CO": 0.0}
    )
    assert float(res.potential) == pytest.approx(
        float(o2_equilibrium_potential(0.05 * 101325.0, 973.15))
    )


def test_strict_raises_when_target_exceeds_limiting_currents():
    # cathodic: only O2 reduction, limited to 2 A/m^2 by O2 supply
    kwargs = {"limiting_current_density_A_per_m2": {"O2": 2.0, "CO": 1.0}}
    gas = {"O2": 0.05, "CO": 1e-4}
    with pytest.raises(ConvergenceError, match="attainable"):
        measuring_electrode_potential(gas, 973.15, current_density_A_per_m2=-2.5, **kwargs)
    # inside the range it works (anodic: CO at its limit plus unlimited O2 evolution)
    for target in (-1.9, 0.9, 1.5):
        res = measuring_electrode_potential(gas, 973.15, current_density_A_per_m2=target, **kwargs)
        assert float(res.net_current) == pytest.approx(target, rel=1e-9)
    # generic solver: both directions limited
    with pytest.raises(ConvergenceError, match="attainable"):
        solve_mixed_potential(
            [1.0, 5.0],
            [1.0, 0.0],
            [0.5, 0.5],
            [0.5, 0.0],
            [0.0, -0.1],
            900.0,
            i_lim_a=[2.0, 1.0],
            i_lim_c=[3.0, 1.0],
            target_current=3.0,
        )


def test_non_strict_returns_nan_with_warning():
    target = np.array([0.0, 10.0])
    with pytest.warns(ConvergenceWarning, match="1 of 2"):
        res = solve_mixed_potential(
            [[1.0], [1.0]],
            [[1.0], [0.0]],
            [[0.5], [0.5]],
            [[0.5], [0.0]],
            [[0.0], [0.0]],
            900.0,
            i_lim_a=[[2.0], [1.0]],
            i_lim_c=[[3.0], [np.inf]],
            target_current=target,
            strict=False,
        )
    assert res.converged.tolist() == [True, False]
    assert np.isnan(res.potential[1])
    assert np.isfinite(res.potential[0])


def test_no_active_reaction_and_one_sided_kinetics_fail():
    with pytest.raises(ConvergenceError, match="non-zero rate"):
        solve_mixed_potential([0.0, 0.0], [0.0, 0.0], [0.5, 0.5], [0.5, 0.5], [0.0, 0.0], 900.0)
    # only oxidation possible: no open-circuit potential exists
    with pytest.raises(ConvergenceError, match="attainable"):
        solve_mixed_potential([1.0], [0.0], [0.5], [0.5], [0.0], 900.0)


def test_input_errors():
    with pytest.raises(ValueError, match="reaction axis"):
        solve_mixed_potential(1.0, 1.0, 0.5, 0.5, 0.0, 900.0)
    with pytest.raises(ValueError, match="labels"):
        solve_mixed_potential([1.0], [1.0], [0.5], [0.5], [0.0], 900.0, labels=("a", "b"))
    with pytest.raises(ValueError, match="broadcast"):
        solve_mixed_potential([1.0, 2.0], [1.0, 1.0, 1.0], [0.5], [0.5], [0.0], 900.0)
    with pytest.raises(ValueError, match="k_a"):
        solve_mixed_potential([-1.0], [1.0], [0.5], [0.5], [0.0], 900.0)
    with pytest.raises(ValueError, match="alpha_c = 0"):
        solve_mixed_potential([1.0], [1.0], [0.5], [0.0], [0.0], 900.0)
    with pytest.raises(ValueError, match="temperature_K"):
        solve_mixed_potential([1.0], [1.0], [0.5], [0.5], [0.0], -5.0)
    with pytest.raises(ValueError, match="O2"):
        measuring_electrode_potential({"CO": 1e-4}, 973.15)
    with pytest.raises(ValueError, match="NO"):
        measuring_electrode_potential({"O2": 0.05, "NO": 1e-4}, 973.15)
    with pytest.raises(ValueError, match="H2"):
        measuring_electrode_potential(
            {"O2": 0.05}, 973.15, limiting_current_density_A_per_m2={"H2": 1.0}
        )
    with pytest.raises(ValueError, match="mole_fractions\\['O2'\\]"):
        measuring_electrode_potential({"O2": 0.0}, 973.15)
    with pytest.raises(ValueError, match="gold_wt_percent"):
        measuring_electrode_potential({"O2": 0.05}, 973.15, gold_wt_percent=120.0)
    with pytest.raises(ValueError, match="limiting_current_density_A_per_m2"):
        measuring_electrode_potential(
            {"O2": 0.05, "CO": 1e-4}, 973.15, limiting_current_density_A_per_m2={"CO": -1.0}
        )
    res = measuring_electrode_potential({"O2": 0.05}, 973.15)
    with pytest.raises(KeyError, match="CO"):
        res.current("CO")
