"""The compiled heater period equals the NumPy functions it stands for."""

import numpy as np
import pytest

from mixpot.control import HeaterParams, HeaterPhase, heater_init, heater_step
from mixpot.electronics import measured_internal_resistance
from mixpot.thermal import heater_power, temperature_rate
from mixpot.transient.heating import HeaterLoop

CELL_CONSTANT = 566.7
PERIOD = 0.05


def _reference_period(params, state, temperature, noise, gas):
    """One heater period with the public, validated functions (as simulate did before)."""
    r_i = float(measured_internal_resistance(temperature, CELL_CONSTANT)) + noise
    state, out = heater_step(params, state, r_i)
    v_eff = float(out.v_eff_V[0])
    power = float(heater_power(v_eff, temperature))
    rate = temperature_rate(temperature, power, gas[0], gas[1], pressure_Pa=gas[2])
    return state, (r_i, v_eff, power, temperature + PERIOD * float(rate))


def test_cold_start_periods_equal_the_numpy_functions():
    params = HeaterParams()
    rng = np.random.default_rng(7)
    state = heater_init(1)
    loop = HeaterLoop.start(params, state, CELL_CONSTANT, PERIOD)
    t_ref = t_loop = 300.0
    phases = set()
    for _ in range(1200):  # 60 s: condensation, ramp, closed loop
        noise = 0.1 * rng.standard_normal()
        gas = (rng.uniform(400.0, 800.0), rng.uniform(1.0, 30.0), rng.uniform(9.5e4, 1.2e5))
        state, ref = _reference_period(params, state, t_ref, noise, gas)
        got = loop.step(t_loop, noise, *gas)
        assert got == pytest.approx(ref, rel=1e-12)
        assert int(loop.phase[0]) == int(state.phase[0])
        assert loop.steps[0] == state.steps_in_phase[0]
        assert loop.integrator[0] == pytest.approx(float(state.pi.integrator[0]), abs=1e-12)
        phases.add(int(state.phase[0]))
        t_ref, t_loop = ref[3], got[3]
    assert phases == {HeaterPhase.CONDENSATION, HeaterPhase.RAMP, HeaterPhase.CLOSED_LOOP}


def test_rejected_inputs_raise_the_numpy_functions_errors():
    loop = HeaterLoop.start(HeaterParams(), heater_init(1), CELL_CONSTANT, PERIOD)
    with pytest.raises(ValueError, match="ri_ohm"):
        loop.step(1053.15, -1e3, 600.0, 10.0, 101325.0)  # reading <= 0
    with pytest.raises(ValueError, match="temperature_K"):
        loop.step(-5.0, 0.0, 600.0, 10.0, 101325.0)
    with pytest.raises(ValueError, match="temperature_K"):
        loop.step(1500.0, 0.0, 600.0, 10.0, 101325.0)  # beyond the heater's Pt range
    assert int(loop.steps[0]) == 0  # the state did not move
