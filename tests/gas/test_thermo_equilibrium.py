import warnings

import numpy as np
import pytest

from mixpot.gas import (
    combustion_exhaust,
    equilibrium,
    equilibrium_o2_partial_pressure,
    ln_equilibrium_constant,
    standard_gibbs_rt,
)
from mixpot.gas._cantera import new_solution

T = np.array([700.0, 900.0, 999.9, 1000.1, 1150.0, 1500.0])


@pytest.mark.parametrize("name", ["H2O", "CO2", "CO", "H2", "O2", "C3H6", "NH3"])
def test_nasa7_gibbs_matches_cantera(name):
    sol = new_solution()
    ref = []
    for t in T:
        sol.TP = t, sol.reference_pressure  # standard state at p° itself
        ref.append(sol.standard_gibbs_RT[sol.species_index(name)])
    np.testing.assert_allclose(standard_gibbs_rt(name, T), ref, rtol=1e-12)


def test_water_formation_constant_against_janaf():
    # NIST-JANAF (Chase 1998): log10 Kf(H2O, g) = 10.062 at 1000 K
    assert ln_equilibrium_constant({"H2": 1, "O2": 0.5}, {"H2O": 1}, 1000.0) / np.log(
        10
    ) == pytest.approx(10.062, abs=0.01)


LEAN = {"O2": 0.05, "H2O": 0.1, "CO2": 0.1, "C3H6": 1000e-6, "CO": 500e-6, "H2": 200e-6}


def test_lean_equilibrium_burns_everything_and_matches_cantera():
    t = np.array([900.0, 1000.0, 1150.0])
    fast = equilibrium(LEAN, t)
    ref = equilibrium(LEAN, t, method="cantera")
    o2_left = 0.05 - 4.5 * 1000e-6 - 0.5 * 500e-6 - 0.5 * 200e-6
    np.testing.assert_allclose(fast.o2_partial_pressure, ref.o2_partial_pressure, rtol=2e-3)
    # mole-number change: C3H6 + 4.5 O2 -> 3 CO2 + 3 H2O adds 0.5 mol per mol C3H6,
    # CO + 1/2 O2 -> CO2 and H2 + 1/2 O2 -> H2O remove 0.5
    total = 1 + 0.5 * 1000e-6 - 0.5 * 500e-6 - 0.5 * 200e-6
    np.testing.assert_allclose(fast.composition["O2"], o2_left / total, rtol=1e-6)
    assert np.all(fast.composition["C3H6"] == 0.0)


@pytest.mark.parametrize("lam", [0.8, 0.9, 0.98, 0.995])
def test_rich_equilibrium_matches_cantera(lam):
    gas = combustion_exhaust(lam)
    t = np.array([900.0, 1050.0, 1200.0])
    fast = equilibrium(gas, t).o2_partial_pressure
    ref = equilibrium(gas, t, method="cantera").o2_partial_pressure
    # Cantera's Gibbs minimisation also forms traces of CH4 and NO that the fast model omits:
    # 0.003 decades = 0.7 % in pO2 = 0.15 mV of Nernst voltage at 900 K
    np.testing.assert_allclose(np.log10(fast), np.log10(ref), atol=3e-3)


def test_equilibrium_conserves_elements():
    from mixpot.gas import element_totals

    gas = {"CO": 0.02, "H2": 0.01, "H2O": 0.1, "CO2": 0.1, "NH3": 1e-4, "C3H6": 1e-3}
    eq = equilibrium(gas, 1000.0).composition
    before, after = element_totals(gas), element_totals(eq)
    # ratios of elements are conserved (moles change, ratios do not)
    for e in ("C", "H", "O"):
        assert after[e] / after["N"] == pytest.approx(before[e] / before["N"], rel=1e-10)


def test_vectorised_shapes_and_pressure_scaling():
    po2 = equilibrium_o2_partial_pressure({"O2": [[0.01], [0.1]]}, [900.0, 1100.0], 2e5)
    assert po2.shape == (2, 2)
    np.testing.assert_allclose(po2[:, 0], [0.01 * 2e5, 0.1 * 2e5])


def test_o2_in_n2_keeps_its_o2_at_every_level():
    """Nothing burns in O2 and N2: the equilibrium is the gas itself (before, the solve failed
    for about 40 % of such gases, its root being the end of its bracket)."""
    o2 = np.logspace(-9, -1e-4, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eq = equilibrium({"O2": o2}, 1053.0, 101325.0)
    assert eq.converged.all()
    np.testing.assert_allclose(eq.o2_partial_pressure, o2 * 101325.0, rtol=1e-15)


@pytest.mark.parametrize("fuel", ["H2", "CO", "C3H6", "NH3"])
@pytest.mark.parametrize("trace", [1e-30, 1e-20, 1e-15])
def test_traces_of_fuel_in_o2_burn_in_the_equilibrium(fuel, trace):
    """Lean gas with a trace of fuel: the root of the O2 balance lies within rounding of the
    bracket's end (the O2 if nothing burnt); every level converges, with at most the O2 the
    fuel takes (C3H6 the most: 4.5 O2 per molecule) removed, to the solve's tolerance (1e-13
    in ln x_O2)."""
    o2 = np.logspace(-9, -1e-4, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eq = equilibrium({"O2": o2, fuel: trace}, 1053.0, 101325.0)
    assert eq.converged.all()
    taken = 1.0 - eq.o2_partial_pressure / (o2 * 101325.0)
    assert (taken > -2e-13).all()
    assert (taken < 5.0 * trace / o2 + 2e-13).all()


def test_soot_region_is_flagged_not_invented():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eq = equilibrium({"CO": 0.1, "C3H6": 0.05}, 1000.0)
    assert not eq.converged
    assert np.isnan(eq.o2_partial_pressure)
    assert any("not found" in str(w.message) for w in caught)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"temperature_K": 100.0}, "temperature_K = 100 K is outside"),
        ({"temperature_K": 1000.0, "pressure_Pa": -5.0}, "pressure_Pa = -5 Pa"),
        ({"temperature_K": float("nan")}, "temperature_K contains NaN"),
        ({"temperature_K": 1000.0, "method": "magic"}, "method = 'magic'"),
    ],
)
def test_equilibrium_errors(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        equilibrium({"O2": 0.1}, **kwargs)


def test_fast_equilibrium_equals_the_vectorised_solve():
    # the compiled per-point solve against solve_monotone on the NumPy form of the same
    # oxygen balance, lean and rich, at random states: same ln x_O2 to round-off
    from mixpot._numerics import solve_monotone
    from mixpot.gas.equilibrium import _LOG_X_FLOOR, _ln_k, _o2_balance, _start
    from mixpot.gas.mixture import element_totals
    from mixpot.gas.thermo import reference_pressure

    rng = np.random.default_rng(4)
    n = 300
    gas = {
        "O2": rng.uniform(0.0, 0.05, n),
        "CO": rng.uniform(0.0, 0.05, n),
        "H2": rng.uniform(0.0, 0.03, n),
        "C3H6": rng.uniform(0.0, 1e-3, n),
        "H2O": 0.1,
        "CO2": 0.1,
    }
    t, p = rng.uniform(600.0, 1400.0, n), rng.uniform(0.5e5, 3e5, n)
    e = element_totals(gas)
    ln_k1, ln_k2 = _ln_k(t)
    args = (ln_k1, ln_k2, np.log(p / reference_pressure()))
    rest = e["H"] / 2.0 + e["C"] + e["N"] / 2.0
    args = (*args, rest, e["H"], e["C"], e["O"])
    upper = np.log(e["O"] / (e["O"] + 2.0 * rest))
    start = np.vectorize(_start)(*args)
    assert np.isfinite(start).all()
    with np.errstate(over="ignore"):
        u, ok = solve_monotone(
            lambda v: _o2_balance(v, *args),
            np.full(n, _LOG_X_FLOOR),
            upper,
            start=start,
            xtol=1e-13,
        )
    assert ok.all()
    # the start is an estimate of the root (lean: exact but for the H2 and CO left)
    assert np.abs(start - u).max() < 3.0
    eq = equilibrium(gas, t, p)
    assert eq.converged.all()
    np.testing.assert_allclose(eq.composition["O2"], np.exp(u), rtol=1e-12, atol=0.0)


def test_compiled_gibbs_is_the_numpy_polynomial():
    # the NASA-7 g°/RT written with NumPy (coefficients chosen per point): bitwise the same
    from mixpot.gas.thermo import _nasa7

    t = np.random.default_rng(5).uniform(200.0, 5000.0, 3000)
    for name in ("H2", "O2", "H2O", "CO", "CO2", "C3H6", "NH3", "OH"):
        t_mid, high, low = _nasa7(name)
        a = np.moveaxis(np.where(t[:, None] < t_mid, low, high), -1, 0)
        h_rt = a[0] + a[1] * t / 2 + a[2] * t**2 / 3 + a[3] * t**3 / 4 + a[4] * t**4 / 5 + a[5] / t
        s_r = a[0] * np.log(t) + a[1] * t + a[2] * t**2 / 2 + a[3] * t**3 / 3 + a[4] * t**4 / 4
        np.testing.assert_array_equal(standard_gibbs_rt(name, t), h_rt - (s_r + a[6]))
