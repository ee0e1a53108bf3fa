"""Tests of the CJ125-like pump-current controller (mixpot.control.pump)."""

from __future__ import annotations

import numpy as np
import pytest

from mixpot.control.pump import (
    PumpControllerParams,
    nernst_error,
    pump_init,
    pump_step,
)


def test_defaults_match_public_data():
    # public_data.toml [controller_practice] and [lsu49]
    p = PumpControllerParams()
    assert p.loop_Hz == 500.0
    assert p.sample_time_s == pytest.approx(2e-3)
    assert p.setpoint_V == 0.45
    assert p.kp_A_per_V == pytest.approx(50e-3)  # 50 mA/V
    assert p.ki_A_per_V_s == pytest.approx(10.0)  # 10000 mA/(V s)
    assert p.integrator_clamp_A == pytest.approx(10e-3)
    assert p.current_min_A == pytest.approx(-9e-3)
    assert p.current_max_A == pytest.approx(6e-3)
    pi = p.pi_params()
    assert pi.sample_time_s == pytest.approx(2e-3)
    assert (pi.output_min, pi.output_max) == (p.current_min_A, p.current_max_A)


def test_sign_convention_lean_pumps_out_rich_pumps_in():
    p = PumpControllerParams()
    # Nernst voltage below setpoint: too much O2 in the chamber -> pump out -> positive current
    assert float(nernst_error(p, 0.40)) > 0.0
    _, ip = pump_step(p, pump_init(3), [0.40, 0.45, 0.50])
    assert ip[0] > 0.0
    assert ip[1] == 0.0
    assert ip[2] < 0.0
    # first step: kP e + kI T e = 50 mA/V * 0.05 V + 10 A/(V s) * 2 ms * 0.05 V = 3.5 mA
    assert ip[0] == pytest.approx(3.5e-3)


def _closed_loop(i_lim_A, steps=1500):
    """Toy integrating chamber: dy/dt = k (I_lim - I_p), U_N = U_set - g y (no physics).

    I_lim is the pump current that balances the O2 diffusing in through the barrier: positive
    for lean exhaust (O2 must be pumped out), negative for rich exhaust.
    """
    p = PumpControllerParams()
    dt = p.sample_time_s
    k_times_g = 1000.0  # [V/(A s)]
    y = np.zeros_like(np.asarray(i_lim_A, dtype=float))
    state = pump_init(y.shape)
    for _ in range(steps):
        u_n = p.setpoint_V - y
        state, ip = pump_step(p, state, u_n)
        y = y + dt * k_times_g * (np.asarray(i_lim_A) - ip)
    return p.setpoint_V - y, ip


def test_closed_loop_settles_with_correct_sign():
    i_lim = np.array([2.54e-3, -1.0e-3, 0.0])  # air (LSU 4.9 pump current in air), rich, lambda 1
    u_n, ip = _closed_loop(i_lim)
    np.testing.assert_allclose(u_n, 0.45, atol=1e-6)
    np.testing.assert_allclose(ip, i_lim, atol=1e-8)
    assert ip[0] > 0.0
    assert ip[1] < 0.0


def test_current_limits_respected_and_flagged():
    p = PumpControllerParams()
    state = pump_init(2)
    for _ in range(500):
        state, ip = pump_step(p, state, [0.0, 1.0])
        assert ip.min() >= -9e-3
        assert ip.max() <= 6e-3
    np.testing.assert_allclose(ip, [6e-3, -9e-3])
    assert state.saturated.all()
    # conditional integration: the integrator does not wind up beyond what the limit needs
    assert np.all(np.abs(state.integrator) <= 10e-3)


def test_firmware_clamp_only_mode_winds_up_to_the_clamp():
    p = PumpControllerParams(conditional_integration=False)
    state = pump_init(2)
    for _ in range(500):
        state, _ = pump_step(p, state, [0.0, 1.0])
    np.testing.assert_allclose(state.integrator, [10e-3, -10e-3])


def test_disabled_points_get_zero_current_and_hold_integrator():
    p = PumpControllerParams()
    state = pump_init(2, current_A=[1e-3, 2e-3])
    state, ip = pump_step(p, state, [0.40, 0.40], enabled=[True, False])
    assert ip[0] > 1e-3
    assert ip[1] == 0.0
    assert state.integrator[1] == 2e-3


def test_bumpless_start_from_known_current():
    p = PumpControllerParams()
    state = pump_init(1, current_A=2.54e-3)
    _, ip = pump_step(p, state, [0.45])
    np.testing.assert_allclose(ip, [2.54e-3])


def test_from_design_takes_the_design_setpoint():
    from mixpot import designs

    p = PumpControllerParams.from_design(designs.load("lsu49-like"))
    assert p.setpoint_V == pytest.approx(0.45)
    q = PumpControllerParams.from_design(designs.load("lsu49-like"), setpoint_V=0.4, loop_Hz=1e3)
    assert (q.setpoint_V, q.sample_time_s) == (0.4, 1e-3)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"kp_A_per_V": -0.05}, r"kp_A_per_V = -0.05 A/V is outside the allowed range \[0, inf\)"),
        ({"ki_A_per_V_s": -1.0}, r"ki_A_per_V_s = -1 A/\(V s\) is outside"),
        ({"loop_Hz": 0.0}, r"loop_Hz = 0 Hz is outside the allowed range \(0, inf\)"),
        (
            {"current_min_A": 6e-3, "current_max_A": -9e-3},
            r"current_max_A = -0.009 A is outside the allowed range \(0.006, inf\] A",
        ),
        ({"setpoint_V": 1.5}, r"setpoint_V = 1.5 V is outside the allowed range \[0, 1.2\] V"),
        ({"integrator_clamp_A": -1e-3}, r"integrator_clamp_A = -0.001 A is outside"),
    ],
)
def test_bad_parameters_name_field_value_and_range(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        PumpControllerParams(**kwargs)


def test_nan_nernst_voltage_rejected():
    with pytest.raises(ValueError, match="nernst_V"):
        pump_step(PumpControllerParams(), pump_init(1), [np.nan])
