"""The compiled single-point kernel computes the same equations as the vectorised model."""

import decimal

import numpy as np
import pytest

import mixpot
from mixpot.constants import FARADAY
from mixpot.sensor import kernel
from mixpot.sensor.model import ModelOptions
from mixpot.sensor.solver import ImplicitStep, solve_element
from mixpot.steady import nernst_setpoint
from mixpot.transient import open_circuit_potential

GASES = [
    {"O2": np.array([0.02, 0.05, 0.15]), "H2O": 0.1, "CO2": 0.1, "C3H6": 500e-6, "CO": 3e-4},
    {"O2": np.array([0.01, 0.2]), "H2O": 0.1, "CO2": 0.1},
    {"O2": np.array([0.05]), "H2O": 0.05, "H2": 5e-4, "NH3": 1e-4, "CH4": 5e-4, "C3H8": 2.5e-4},
]


def _state(design, gas, options=None):
    r = mixpot.steady_state(design, gas)
    prof = r.profiles
    model = prof["model"]
    if options is not None:
        from dataclasses import replace

        model = replace(model, options=options)
    return r, prof, model


@pytest.mark.parametrize("gas", GASES)
@pytest.mark.parametrize("options", [None, ModelOptions(False, False)])
@pytest.mark.parametrize("name", ["patent-preferred", "lsu49-like"])
def test_rhs_equals_the_vectorised_model(name, gas, options):
    r, prof, model = _state(mixpot.designs.load(name), gas, options)
    rng = np.random.default_rng(1)
    # away from the steady state, so that every term counts
    x = prof["x"] * (1.0 + 0.2 * rng.standard_normal(prof["x"].shape)) ** 2
    e_i = prof["e_ipe"] + 0.02 * rng.standard_normal(prof["e_ipe"].shape)
    e_m = prof["e_me"] - 0.02
    ip = r.pump_current_A * 1.3 + 1e-5
    dx, de_i, de_m = model.rhs(x, e_i, e_m, ip)
    for p in range(x.shape[1]):
        kdx, kde_i, kde_m = kernel.rhs(kernel.pack(model, p), x[:, p], e_i[p], e_m[p], ip[p])
        np.testing.assert_allclose(kdx, dx[:, p], rtol=1e-10, atol=1e-12 * np.abs(dx).max())
        assert kde_i == pytest.approx(de_i[p], rel=1e-10)
        assert kde_m == pytest.approx(de_m[p], rel=1e-10)


def test_implicit_step_equals_the_block_solver():
    design = mixpot.designs.load("patent-preferred")
    base = {"H2O": 0.1, "CO2": 0.1, "C3H6": 500e-6}
    start = mixpot.steady_state(design, {"O2": 0.05, **base})
    end = mixpot.steady_state(design, {"O2": 0.10, **base})
    model = end.profiles["model"]
    x, ei, em = start.profiles["x"], start.profiles["e_ipe"], start.profiles["e_me"]
    ip = np.atleast_1d(end.pump_current_A)
    e_set = np.array([-nernst_setpoint(design)])
    pm, cache = kernel.pack(model), kernel.StepCache()
    xk, eik, emk = x[:, 0].copy(), float(ei[0]), float(em[0])
    for _ in range(20):
        xk, eik, emk, ok = kernel.implicit_step(pm, xk, eik, emk, float(ip[0]), 2e-3, cache)
        assert ok
        sol = solve_element(model, e_set, "charge", ImplicitStep(2e-3, x, ei, em, ip), tol=1e-10)
        x, ei, em = sol["x"], sol["e_ipe"], sol["e_me"]
    np.testing.assert_allclose(xk, x[:, 0], rtol=1e-8)
    assert eik == pytest.approx(float(ei[0]), abs=1e-8)
    assert emk == pytest.approx(float(em[0]), abs=1e-8)


def test_implicit_step_conserves_oxygen_over_the_step():
    # backward Euler is exactly conservative: hold-up change = dt x (inflow - consumption)
    design = mixpot.designs.load("patent-preferred")
    r = mixpot.steady_state(design, {"O2": 0.05, "H2O": 0.1, "CO2": 0.1})
    model = r.profiles["model"]
    pm = kernel.pack(model)
    x0, ei, em = r.profiles["x"][:, 0], float(r.profiles["e_ipe"][0]), float(r.profiles["e_me"][0])
    dt = 2e-3
    x1, ei1, em1, ok = kernel.implicit_step(pm, x0, ei, em, float(r.pump_current_A) * 2, dt)
    assert ok
    dx, _, _ = kernel.rhs(pm, x1, ei1, em1, float(r.pump_current_A) * 2)
    np.testing.assert_allclose(x1 - x0, dt * dx, rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("electrode", ["ipe", "me"])
def test_open_circuit_potential_equals_the_vectorised_solve(electrode):
    design = mixpot.designs.load("patent-preferred")
    _, prof, model = _state(design, GASES[0])
    ref = open_circuit_potential(model, prof["x"], electrode)
    for p in range(prof["x"].shape[1]):
        e = kernel.open_circuit_potential(kernel.pack(model, p), prof["x"][:, p], electrode)
        assert e == pytest.approx(float(ref[p]), abs=1e-9)


@pytest.mark.parametrize("electrode", ["ipe", "me"])
def test_open_circuit_potential_is_nan_without_a_zero_current(electrode):
    # a NaN or infinite chamber state has no zero current: NaN, whatever the guess (the
    # pump loop then stops with a reason instead of reading a number)
    design = mixpot.designs.load("patent-preferred")
    _, prof, model = _state(design, GASES[0])
    pm = kernel.pack(model, 0)
    x = prof["x"][:, 0].copy()
    for bad in (np.nan, np.inf):
        y = x.copy()
        y[0] = bad
        for guess in (-1.9, 0.0, 1.4, 3.0):
            assert np.isnan(kernel.open_circuit_potential(pm, y, electrode, guess))
    # the guess does not change a real zero
    ref = kernel.open_circuit_potential(pm, x, electrode, 0.0)
    for guess in (-1.9, 1.4, 3.0):
        assert kernel.open_circuit_potential(pm, x, electrode, guess) == pytest.approx(
            ref, abs=1e-9
        )


def test_compiled_o2_couple_equals_the_vectorised_one_far_from_equilibrium():
    # kernel._o2_current against mixpot.electrode.o2_couple_current (exact to roundoff,
    # tested there against 60-digit arithmetic), with overpotentials up to 60 RT/F either
    # way and limiting currents over 20 decades: no NaN, no lost digits
    from mixpot.electrode import o2_couple_current
    from mixpot.sensor.kernel import _o2_current

    f, c, p, p_ref, p_kin, order = 11.0, 11.57, 101325.0, 21227.0, 21227.0, 0.25
    s = np.zeros(15)
    s[0], s[1], s[2], s[3], s[6], s[7], s[8], s[9] = c, p, f, p_ref, order, p_kin, 1.0, 1.0
    rng = np.random.default_rng(3)
    for _ in range(300):
        x, km, i0f = 10.0 ** rng.uniform(-25, -0.7), 10.0 ** rng.uniform(-3, 2), 213.0
        e_eq = np.log(x * p / p_ref) / (4 * f)
        e = e_eq + rng.uniform(-60.0, 60.0) / f
        i, di = _o2_current(e, x, i0f, km, s)
        i0 = i0f * (x * p / p_kin) ** order
        lim = 4 * FARADAY * km * c * x
        ref, dref = o2_couple_current(
            np.array(e), np.array(i0), 1.0, 1.0, np.array(e_eq), np.array(f), np.array(lim)
        )
        assert np.isfinite(i)
        assert np.isfinite(di)
        assert i == pytest.approx(float(ref), rel=1e-12, abs=1e-300)
        assert di == pytest.approx(float(dref), rel=1e-9, abs=1e-300)


def _exact_bernoulli(z):
    """B(z) = z/(e^z - 1) and B'(z) = (e^z - 1 - z e^z)/(e^z - 1)^2 in 50-digit decimals."""
    if z == 0.0:
        return 1.0, -0.5
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        d = decimal.Decimal(z)
        e = d.exp()
        return float(d / (e - 1)), float((e - 1 - d * e) / (e - 1) ** 2)


def test_bernoulli_function_and_slope_match_50_digit_arithmetic():
    """The Taylor series below |z| = 0.25 (no exponential) and z/expm1(z) above: relative
    error below 2.3e-16 (about 1 ulp) against 50-digit decimal arithmetic; the slope
    (steady-state Jacobian) by its series too, and within 1e-14 from B(z) above it."""
    from mixpot.sensor.steady_kernel import _bernoulli_slope

    z = np.concatenate(
        [np.linspace(-3.0, 3.0, 3001), np.linspace(-0.2501, 0.2501, 2001), [1e-9, -1e-9, 0.0]]
    )
    exact = np.array([_exact_bernoulli(float(v)) for v in z])
    b = np.array([kernel._bernoulli(float(v)) for v in z])
    slope = np.array([_bernoulli_slope(float(v), kernel._bernoulli(float(v))) for v in z])
    np.testing.assert_allclose(b, exact[:, 0], rtol=2.3e-16, atol=0)
    series = np.abs(z) < kernel.BERNOULLI_SERIES
    np.testing.assert_allclose(slope[series], exact[series, 1], rtol=2.3e-16, atol=0)
    np.testing.assert_allclose(slope[~series], exact[~series, 1], rtol=1e-14, atol=0)
    assert kernel._bernoulli(800.0) == 0.0
