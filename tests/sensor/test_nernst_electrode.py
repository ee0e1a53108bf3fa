"""The pump loop reading a separate Nernst electrode (``nernst_measurement="measuring-electrode"``).

The wideband design reads its Nernst voltage at the measuring electrode (Pt, at zero current,
facing the pump electrode across the cavity), as the LSU 4.9's Nernst cell does; compared here
with the same design read under current.
"""

import numpy as np
import pandas as pd
import pytest

import mixpot
from mixpot.constants import FARADAY, GAS_CONSTANT
from mixpot.control.pump import PumpControllerParams
from mixpot.gas.species import get
from mixpot.sensor.model import tracked_fuels
from mixpot.steady import NO_TITRATION, NO_VOLTAGE

LAMBDAS = np.array([0.65, 0.8, 0.99, 1.016, 1.7])


def _design(**ops):
    return mixpot.designs.load("lsu49-like", {f"operation.{k}": v for k, v in ops.items()})


def _under_current():
    return _design(nernst_measurement="under-current")


def _exhaust(lam):
    gas = mixpot.gas.combustion_exhaust(np.atleast_1d(lam)).as_dict(nonzero=True)
    gas.pop("N2")
    return gas


@pytest.fixture(scope="module")
def both():
    gas = _exhaust(LAMBDAS)
    under = mixpot.steady_state(_under_current(), gas)
    nernst = mixpot.steady_state(_design(), gas)
    return under, nernst


def test_couple_fuels_are_tracked_only_with_that_reading():
    present = ("O2", "H2O", "CO2", "C3H6")
    assert tracked_fuels(_design(), present) == ("CO", "H2", "C3H6")
    assert _design().operation.nernst_measurement == "measuring-electrode"
    assert tracked_fuels(_under_current(), present) == ("C3H6",)
    # no H2O, no CO2: nothing to make them from
    assert tracked_fuels(_design(), ("O2", "C3H6")) == ("C3H6",)


def test_the_nernst_electrode_sits_at_the_setpoint(both):
    _, r = both
    assert r.converged.all()
    np.testing.assert_allclose(r.measuring_voltage_V, -0.45, atol=1e-9)
    np.testing.assert_allclose(r.nernst_voltage_V, 0.45)
    # the wideband characteristic: monotone through lambda = 1, sign = side of stoichiometry
    assert np.all(np.diff(r.pump_current_A) > 0)
    assert np.all(np.sign(r.pump_current_A) == np.sign(LAMBDAS - 1.0))


def test_pump_current_is_4f_times_the_net_oxygen_balance(both):
    # O2 in, minus the O2 demand of the fuels that leave (the H2 and CO the pump electrode
    # makes and that escape through the barrier count as negative inflow)
    _, r = both
    demand = np.array([get(s).o2_demand for s in r.profiles["species"]])[:, None]
    net_o2_in = -np.sum(demand * r.profiles["inflow_mol_s"], axis=0)
    np.testing.assert_allclose(r.pump_current_A, 4 * FARADAY * net_o2_in, rtol=1e-6)


def test_titration_costs_little_extra_lean_current(both):
    # beyond the O2 limiting current the pump electrode reduces H2O/CO2; the Nernst electrode
    # reaches 450 mV once H2 outweighs the O2 it receives, so the lean current exceeds the
    # under-current reading's (which sits on the plateau) by a small titration current only
    under, r = both
    lean = LAMBDAS > 1.0
    ratio = r.pump_current_A[lean] / under.pump_current_A[lean]
    assert np.all(ratio > 1.0)
    assert np.all(ratio < 1.03)
    # in rich gas the floating pump electrode oxidises more of the fuel (no held potential)
    rich = LAMBDAS < 1.0
    assert np.all(r.pump_current_A[rich] <= under.pump_current_A[rich])


def test_compiled_equals_block_solver_in_rich_exhaust():
    # the reference (block) solver borders its O2 step with the Nernst electrode's current; it
    # converges where the pump electrode burns fuel (rich), not where it makes H2 (lean)
    from mixpot.steady import _steady_state

    gas = _exhaust(np.linspace(0.65, 0.99, 12))
    kw = {"max_iter": 300, "tol": 1e-9, "options": None}
    fast = _steady_state(_design(), gas, None, 101325.0, **kw)
    block = _steady_state(_design(), gas, None, 101325.0, compiled=False, **kw)
    assert fast.converged.all()
    assert block.converged.all()
    np.testing.assert_allclose(fast.pump_current_A, block.pump_current_A, rtol=1e-6)


def test_dry_lean_exhaust_has_no_steady_state_and_says_so():
    # without H2O/CO2 nothing can titrate the cavity O2 at the Nernst electrode: no value,
    # with or without a fuel that leaves the cavity lean
    gas = {"O2": [0.2095, 0.05, 0.01], "C3H6": [0.0, 5e-4, 0.0], "H2": [0.0, 0.0, 1e-3]}
    r = mixpot.steady_state(_design(), gas)
    assert not r.converged.any()
    assert all(reason == NO_TITRATION for reason in r.reason)
    # a fuel flux above the O2's makes the cavity rich: that titrates, dry or not (1.5 % H2
    # in 1 % O2 is lean exhaust, but H2 diffuses faster)
    rich = mixpot.steady_state(_design(), {"O2": 0.01, "H2": 0.015})
    assert bool(rich.converged)
    assert not rich.profiles["model"].lean_cavity().any()
    assert r.profiles["model"].lean_cavity().all()
    # a dry rich point whose element converges keeps its own reason (a review found one
    # relabelled): too little O to hold its carbon as CO, its gas equilibrium at the outer
    # electrode, hence its pump voltage, is not found
    with pytest.warns(RuntimeWarning, match="gas equilibrium not found"):
        r = mixpot.steady_state(_design(), {"O2": 0.01, "C3H6": 0.01})
    assert r.reason == NO_VOLTAGE


@pytest.mark.parametrize("fuel", [{"O2": 0.05, "C3H6": 5e-4}, {"O2": 0.01, "H2": 1e-3}])
def test_lean_titrant_comes_from_water_electrolysis(fuel):
    """Why dry lean gas has no steady state: the titrant is the H2 the pump electrode makes
    from H2O at a fixed rate, so each decade less H2O costs the cathodic Tafel slope of the
    H2/H2O couple, ln(10) RT/((1 - alpha) n F) with n = 2, alpha = 0.5, in pump voltage (the
    pump current stays), without bound as the H2O vanishes."""
    h2o = np.array([1e-4, 1e-5, 1e-6])
    r = mixpot.steady_state(_design(), {**fuel, "H2O": h2o})
    assert r.converged.all()
    np.testing.assert_allclose(r.pump_current_A, r.pump_current_A[0], rtol=1e-3)
    t = _design().operation.temperature_K
    tafel = np.log(10.0) * GAS_CONSTANT * t / ((1.0 - 0.5) * 2.0 * FARADAY)
    np.testing.assert_allclose(np.diff(r.pump_voltage_V), tafel, rtol=0.02)


def test_design_gains_reach_the_pump_controller():
    p = PumpControllerParams.from_design(_design(pump_kp_A_per_V=1e-4, pump_ki_A_per_V_s=2e-3))
    assert (p.kp_A_per_V, p.ki_A_per_V_s) == (1e-4, 2e-3)
    # a design without its own gains runs the firmware's
    patent = PumpControllerParams.from_design(mixpot.designs.load("patent-preferred"))
    assert patent.kp_A_per_V == PumpControllerParams().kp_A_per_V


def test_closed_loop_settles_on_both_sides_of_stoichiometry():
    # with the design's pump-loop gains (a scan of the model's loop: stable for kp 1e-4 to 4e-4
    # A/V and ki up to 0.1 A/(V s)) lean, near-stoichiometric and rich steps all settle onto
    # the steady state of this reading, including steps into and out of rich exhaust
    d = _design()
    steps = [(0.0, 1.7), (0.5, 1.016), (1.5, 0.99), (2.5, 0.8), (3.5, 1.7), (4.5, 0.65), (5.5, 1.7)]
    end_time = 6.5
    rows = []
    for i, (t, lam) in enumerate(steps):
        end = steps[i + 1][0] - 4e-3 if i + 1 < len(steps) else end_time
        gas = {k: float(v[0]) for k, v in _exhaust(lam).items()}
        rows += [{"time_s": t, **gas}, {"time_s": end, **gas}]
    trace = pd.DataFrame(rows).fillna(0.0)
    ds = mixpot.simulate(d, trace, output_rate_hz=100)
    assert ds.attrs["status"] == "complete"
    for i, (_t, lam) in enumerate(steps[1:], start=1):
        end = steps[i + 1][0] if i + 1 < len(steps) else end_time
        settled = ds.sel(time=slice(end - 0.05, end - 0.01))
        ss = mixpot.steady_state(d, {k: float(v[0]) for k, v in _exhaust(lam).items()})
        np.testing.assert_allclose(settled.pump_current_A, ss.pump_current_A, rtol=5e-3)
        np.testing.assert_allclose(settled.nernst_voltage_V, 0.45, atol=5e-4)
