"""Rich and near-stoichiometric exhaust: the wideband (lsu49-like) pump cell on both sides of 1."""

import numpy as np
import pytest

import mixpot
from mixpot.constants import FARADAY, GAS_CONSTANT
from mixpot.electrode import o2_couple_current, o2_equilibrium_potential
from mixpot.electrode.couples import (
    couple_current,
    couple_rate_constant,
    couple_standard_potential,
)
from mixpot.gas import equilibrium, get

LAMBDAS = np.array([0.65, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.001, 1.01, 1.016, 1.05, 1.3, 1.7])


@pytest.fixture(scope="module")
def sweep():
    lsu = mixpot.designs.load("lsu49-like")
    gas = mixpot.gas.combustion_exhaust(LAMBDAS).as_dict(nonzero=True)
    del gas["N2"]
    return mixpot.steady_state(lsu, gas)


def test_wideband_pump_current_on_both_sides_of_stoichiometry(sweep):
    assert np.all(sweep.converged), sweep.reason
    ip = sweep.pump_current_A
    # O2 is pumped into a rich chamber (negative) and out of a lean one; the current rises
    # monotonically through lambda = 1, as the characteristic of a wideband sensor does
    assert np.all(ip[LAMBDAS < 1.0] < 0.0)
    assert np.all(ip[LAMBDAS > 1.0] > 0.0)
    assert np.all(np.diff(ip) > 0.0)
    assert np.all(np.isfinite(sweep.pump_voltage_V))
    # rich: the outer electrode takes the oxygen from H2O and CO2, so the pump voltage is
    # negative but within the volt range of a wideband sensor's pump cell
    assert np.all(sweep.pump_voltage_V[LAMBDAS < 0.99] < 0)
    assert np.all(sweep.pump_voltage_V > -1.5)


def test_rich_pump_current_is_4F_times_the_net_oxygen_balance(sweep):
    # independent of the electrode chemistry: every H2 and CO molecule that diffuses in is
    # oxidised with pumped oxygen (dead-end chamber), so I_p = 4F (O2 in - sum nu_k fuel_k in)
    species = sweep.profiles["species"]
    demand = np.array([get(s).o2_demand for s in species])[:, None]
    net_o2_in = -np.sum(demand * sweep.profiles["inflow_mol_s"], axis=0)
    np.testing.assert_allclose(sweep.pump_current_A, 4 * FARADAY * net_o2_in, rtol=1e-5)


def test_rich_chamber_burns_the_fuel_that_diffuses_in(sweep):
    # the Pt pump electrode oxidises H2 and CO with pumped oxygen: the chamber keeps a small
    # part of the exhaust's fuel (the rest of the barrier's concentration drop drives the
    # supply), and the fuel at the electrode falls toward the chamber's dead end
    rich = LAMBDAS <= 0.9
    x, species = sweep.profiles["x"], sweep.profiles["species"]
    area = sweep.profiles["grid"].electrode_area
    for fuel in ("H2", "CO"):
        left = sweep.chamber[fuel][rich] / sweep.inputs[fuel][rich]
        assert np.all(left < 0.5)
        on_electrode = x[species.index(fuel)][:, area > 0][rich]
        assert np.all(np.diff(on_electrode, axis=-1) < 0)


def test_couple_potential_is_the_nernst_potential_of_the_equilibrium_o2():
    # E_eq of H2/H2O = (RT/4F) ln(pO2*/p_ref) with pO2* from a Gibbs minimisation (Cantera)
    t, p_ref = np.array([900.0, 1053.15, 1150.0]), 21227.6
    gas = {"H2": 0.01, "H2O": 0.1}
    eq = equilibrium(gas, t, method="cantera")
    e_cantera = o2_equilibrium_potential(eq.o2_partial_pressure, t, p_ref)
    x_f, x_p = eq.composition["H2"], eq.composition["H2O"]
    e_couple = couple_standard_potential("H2", t, p_ref) + GAS_CONSTANT * t / (
        2 * FARADAY
    ) * np.log(x_p / x_f)
    np.testing.assert_allclose(e_couple, e_cantera, atol=1e-4)
    e0 = couple_standard_potential("H2", t, p_ref)
    i, di = couple_current(e_couple, x_f, x_p, couple_rate_constant("H2", t), e0, t, 101325.0)
    np.testing.assert_allclose(i, 0.0, atol=1e-9)
    assert np.all(di > 0)


def test_couples_need_pt_ensembles():
    # gold-rich surfaces (the patent's electrodes) have almost no H2/CO couple
    k = couple_rate_constant("H2", 1053.15, [0.0, 0.5, 10.0])
    assert k[0] > 1e4 * k[1] > 0
    assert k[1] > k[2]


def test_o2_couple_current_limits():
    f, i0 = np.array(11.0), np.array(50.0)
    e = np.linspace(-0.5, 0.5, 101)
    # no transport limit: Butler-Volmer 2 i0 sinh(f eta)
    i, di = o2_couple_current(e, i0, 1.0, 1.0, np.array(0.0), f, np.array(np.inf))
    np.testing.assert_allclose(i, 2 * i0 * np.sinh(f * e), rtol=1e-12)
    # far cathodic: the limiting current; monotone; analytic derivative = finite difference
    lim = np.array(20.0)
    i, di = o2_couple_current(e, i0, 1.0, 1.0, np.array(0.0), f, lim)
    assert i[0] == pytest.approx(-20.0, rel=1e-3)
    assert np.all(np.diff(i) > 0)
    # (central difference: near the limit di/i is 6e-5, so a one-sided 1e-7 V step resolves
    # the current's last digits only)
    h = 1e-5
    i_up, _ = o2_couple_current(e + h, i0, 1.0, 1.0, np.array(0.0), f, lim)
    i_dn, _ = o2_couple_current(e - h, i0, 1.0, 1.0, np.array(0.0), f, lim)
    np.testing.assert_allclose(di, (i_up - i_dn) / (2 * h), rtol=1e-4)
    # an O2-free gas: O2 evolution stays finite (the evolved O2 sets its own surface pressure)
    x = np.array([1e-12, 1e-15, 1e-18])
    e_eq = np.log(x) / (4 * f)  # vs a reference gas of x = 1, where i0 is given
    i, _ = o2_couple_current(np.array(0.0), i0 * x**0.25, 1.0, 1.0, e_eq, f, 4e6 * x)
    assert np.all(i > 0)
    assert np.ptp(i) < 1e-3 * i.max()


def test_o2_couple_current_at_extreme_overpotentials_and_without_o2():
    # far cathodic: the limiting current with a zero slope, no overflow
    f, i0, lim = np.array(11.0), np.array(50.0), np.array(10.0)
    i, di = o2_couple_current(np.array(-40.0), i0, 1.0, 1.0, np.array(0.0), f, lim)
    assert i == pytest.approx(-10.0)
    assert di == pytest.approx(0.0, abs=1e-9)
    # the element model floors the O2: an O2-free cell (x = 0) still evolves O2
    lsu = mixpot.designs.load("lsu49-like")
    r = mixpot.steady_state(lsu, {"O2": 0.05})
    model, x = r.profiles["model"], r.profiles["x"].copy()
    x[0] = 0.0
    i0, _ = model.o2_current(np.array([[0.0]]), x[0], "ipe")
    x[0] = 1e-200
    i1, _ = model.o2_current(np.array([[0.0]]), x[0], "ipe")
    cells = model.grid.electrode_area > 0
    assert np.all(i0[:, cells] > 0)
    np.testing.assert_allclose(i0[:, cells], i1[:, cells], rtol=1e-6)


def test_o2_couple_current_is_exact_to_roundoff():
    # against 60-digit arithmetic of i = A - C s on the root s of the surface balance: the
    # cancellation-free form keeps full precision where A - C s itself is roundoff (O2-starved
    # chamber: A and C s far above the net current) and where s - 1 is (large L)
    from decimal import Decimal, getcontext

    getcontext().prec = 60
    rng = np.random.default_rng(0)
    i0 = 10.0 ** rng.uniform(-6.0, 3.0, 500)
    lim = 10.0 ** rng.uniform(-20.0, 4.0, 500)
    u = rng.uniform(-30.0, 30.0, 500)
    i, _ = o2_couple_current(u, i0, 1.0, 1.0, np.zeros(500), np.ones(500), lim)
    for k in range(500):
        a = Decimal(i0[k]) * Decimal(u[k]).exp()
        c = Decimal(i0[k]) * Decimal(-u[k]).exp()
        big_l = Decimal(lim[k])
        root = (c * c + 4 * big_l * (big_l + a)).sqrt()
        exact = a - c * 2 * (big_l + a) / (c + root)
        assert abs((Decimal(i[k]) - exact) / exact) < Decimal("1e-13")
