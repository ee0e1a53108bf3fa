"""Tests of the heater controller (mixpot.control.heater) on a toy thermal plant."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mixpot.control.heater import (
    HeaterParams,
    HeaterPhase,
    heater_init,
    heater_step,
    pwm_duty,
)

T_AMB_K = 293.15
T_REF_K = 1053.15  # 780 C, where R_i = 300 Ohm (LSU 4.9)
B_K = 10300.0  # 8YSZ activation temperature (public_data.toml [electrolyte])
R_HEATER_OHM = 7.5  # hot heater resistance: 7.5 V / 7.5 W nominal (LSU 4.9 TPI)


def ri_of_T(T):
    """Arrhenius internal resistance, 300 Ohm at 780 C."""
    return 300.0 * np.exp(B_K * (1.0 / T - 1.0 / T_REF_K))


def plant_step(T, v_eff, dt, G=0.012, C=0.12):
    """Exact step of C dT/dt = V^2/R_h - G (T - T_amb) for constant V over dt."""
    t_ss = T_AMB_K + v_eff**2 / R_HEATER_OHM / G
    return t_ss + (T - t_ss) * np.exp(-G * dt / C)


def simulate(params, seconds, T0=T_AMB_K, G=(0.012,), v_batt=13.5):
    G = np.asarray(G, dtype=float)
    T = np.asarray(T0, dtype=float) * np.ones(G.shape)
    state = heater_init(T.shape)
    rec = {"T": [], "ri": [], "v": [], "cmd": [], "phase": [], "duty": [], "sat": []}
    for _ in range(round(seconds / params.sample_time_s)):
        ri = ri_of_T(T)
        state, out = heater_step(params, state, ri, v_batt)
        T = plant_step(T, out.v_eff_V, params.sample_time_s, G=G)
        rec["T"].append(T)
        rec["ri"].append(ri_of_T(T))
        rec["v"].append(out.v_eff_V)
        rec["cmd"].append(out.v_eff_command_V)
        rec["phase"].append(out.phase)
        rec["duty"].append(out.duty)
        rec["sat"].append(out.duty_saturated)
    return {k: np.array(v) for k, v in rec.items()}, state


def test_defaults_within_tpi_limits():
    p = HeaterParams()
    assert p.ramp_start_V <= 8.5
    assert p.ramp_rate_V_per_s <= 0.4
    assert p.target_ri_ohm == 300.0
    assert p.condensation_V <= 2.0
    assert p.condensation_steps == 100  # 5 s at 50 ms


def test_condensation_phase_duration():
    p = HeaterParams(condensation_time_s=3.0)
    state = heater_init(1)
    phases, volts = [], []
    for _ in range(80):
        state, out = heater_step(p, state, [1e9])  # cold sensor
        phases.append(int(out.phase[0]))
        volts.append(float(out.v_eff_V[0]))
    n = phases.count(HeaterPhase.CONDENSATION)
    assert n == 60  # 3 s / 50 ms
    assert phases[:60] == [HeaterPhase.CONDENSATION] * 60
    assert volts[:60] == [1.5] * 60
    assert phases[60] == HeaterPhase.RAMP
    assert volts[60] == 8.5


def test_ramp_start_and_rate_never_exceeded():
    p = HeaterParams()
    rec, _ = simulate(p, 60.0)
    v = rec["v"][:, 0]
    phase = rec["phase"][:, 0]
    entry = np.nonzero(np.diff(phase) != 0)[0] + 1
    ramp_entry = entry[phase[entry] == HeaterPhase.RAMP]
    assert ramp_entry.size == 1
    assert v[ramp_entry[0]] <= 8.5
    rate = np.diff(v) / p.sample_time_s
    rate[ramp_entry[0] - 1] = 0.0  # the one permitted step: up to the ramp start value
    assert rate.max() <= 0.4 + 1e-9
    assert (phase == HeaterPhase.CLOSED_LOOP).any()


def test_closed_loop_settles_at_target_ri():
    p = HeaterParams()
    G = np.array([0.0099, 0.012, 0.014])  # needs 6.9-8.9 V: integrator removes the offset
    rec, state = simulate(p, 90.0, G=G)
    np.testing.assert_array_equal(state.phase, HeaterPhase.CLOSED_LOOP)
    np.testing.assert_allclose(rec["ri"][-1], 300.0, atol=0.5)
    np.testing.assert_allclose(rec["ri"][-200:].std(axis=0), 0.0, atol=0.1)
    # closed loop reached about 10 s after the 5 s condensation phase (toy plant; TPI: <= 10 s)
    first_cl = np.argmax(rec["phase"] == HeaterPhase.CLOSED_LOOP, axis=0) * p.sample_time_s
    assert np.all(first_cl < 16.0)
    # no gross overshoot into overheating (firmware overheat threshold 150 Ohm)
    assert rec["ri"][rec["phase"] == HeaterPhase.CLOSED_LOOP].min() > 150.0


def test_vectorised_equals_per_point():
    p = HeaterParams()
    G = np.array([0.0099, 0.012, 0.014])
    rec, _ = simulate(p, 30.0, G=G)
    for j, g in enumerate(G):
        single, _ = simulate(p, 30.0, G=np.array([g]))
        np.testing.assert_array_equal(single["v"][:, 0], rec["v"][:, j])
        np.testing.assert_array_equal(single["phase"][:, 0], rec["phase"][:, j])


def test_pwm_duty_formula_and_saturation_flag():
    duty, sat = pwm_duty([0.0, 7.5, 13.5, 14.0], 13.5)
    np.testing.assert_allclose(duty, [0.0, (7.5 / 13.5) ** 2, 1.0, 1.0])
    np.testing.assert_array_equal(sat, [False, False, False, True])
    with pytest.raises(ValueError, match=r"v_batt_V = 0 V is outside"):
        pwm_duty(1.0, 0.0)
    with pytest.raises(ValueError, match=r"v_eff_V = -1 V is outside"):
        pwm_duty(-1.0)


def test_low_battery_saturates_duty_with_flag():
    p = HeaterParams()
    rec, _ = simulate(p, 25.0, v_batt=8.0)
    sat = rec["sat"][:, 0]
    assert sat.any()
    np.testing.assert_array_equal(rec["duty"][sat, 0], 1.0)
    np.testing.assert_array_equal(rec["v"][sat, 0], 8.0)
    assert np.all(rec["cmd"][sat, 0] > 8.0)
    np.testing.assert_allclose(rec["duty"][:, 0], np.minimum((rec["cmd"][:, 0] / 8.0) ** 2, 1.0))
    # after the ramp start (8.5 V > 8 V) the command stays within one ramp increment of what
    # the battery delivers: the ramp and the PI do not wind up against the battery
    after_start = rec["cmd"][p.condensation_steps + 1 :, 0]
    assert after_start.max() <= 8.0 + 0.4 * p.sample_time_s + 1e-12


def test_hot_restart_skips_to_closed_loop():
    p = HeaterParams()
    state = heater_init(1)
    state, out = heater_step(p, state, [310.0])
    assert out.phase[0] == HeaterPhase.RAMP
    state, out = heater_step(p, state, [310.0])
    assert out.phase[0] == HeaterPhase.CLOSED_LOOP


def test_warmup_timeout_faults_and_switches_off():
    p = HeaterParams(condensation_time_s=0.0, warmup_timeout_s=2.0)
    state = heater_init(1)
    phases = []
    for _ in range(60):
        state, out = heater_step(p, state, [1e6])  # broken / never heats
        phases.append(int(out.phase[0]))
    assert phases.count(HeaterPhase.RAMP) == 40
    assert phases[-1] == HeaterPhase.FAULT
    assert out.v_eff_V[0] == 0.0
    assert out.duty[0] == 0.0


def test_state_checkpoint_roundtrip():
    p = HeaterParams()
    state = heater_init(2)
    for _ in range(150):
        state, _ = heater_step(p, state, [1e6, 280.0])
    copy = dataclasses.replace(state)
    a, out_a = heater_step(p, state, [900.0, 290.0])
    b, out_b = heater_step(p, copy, [900.0, 290.0])
    np.testing.assert_array_equal(out_a.v_eff_V, out_b.v_eff_V)
    np.testing.assert_array_equal(a.phase, b.phase)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (
            {"kp_V_per_ohm": -0.1},
            r"kp_V_per_ohm = -0.1 V/Ohm is outside the allowed range \[0, inf\)",
        ),
        ({"ki_V_per_ohm_s": -1.0}, r"ki_V_per_ohm_s = -1 V/\(Ohm s\) is outside"),
        ({"ramp_rate_V_per_s": 0.5}, r"ramp_rate_V_per_s = 0.5 V/s is outside .*\(0, 0.4\] V/s"),
        ({"ramp_start_V": 9.0}, r"ramp_start_V = 9 V is outside the allowed range \(0, 8.5\] V"),
        ({"condensation_V": 3.0}, r"condensation_V = 3 V is outside the allowed range \[0, 2\] V"),
        ({"v_eff_max_V": 8.0}, r"v_eff_max_V = 8 V is outside the allowed range \[8.5, inf\) V"),
        ({"feedforward_V": 12.0}, r"feedforward_V = 12 V is outside the allowed range \[0, 11\] V"),
        (
            {"closed_loop_threshold_ohm": 250.0},
            r"closed_loop_threshold_ohm = 250 Ohm .*\(300, inf\)",
        ),
        ({"sample_time_s": -0.05}, r"sample_time_s = -0.05 s is outside"),
        ({"condensation_time_s": -1.0}, r"condensation_time_s = -1 s is outside"),
    ],
)
def test_bad_parameters_name_field_value_and_range(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        HeaterParams(**kwargs)


def test_bad_inputs_rejected():
    p = HeaterParams()
    with pytest.raises(ValueError, match=r"ri_ohm = -5 Ohm is outside"):
        heater_step(p, heater_init(1), [-5.0])
    with pytest.raises(ValueError, match=r"v_batt_V = 0 V is outside"):
        heater_step(p, heater_init(1), [300.0], v_batt_V=0.0)
