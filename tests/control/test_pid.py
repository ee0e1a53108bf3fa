"""Tests of the vectorised discrete-time PI controller (mixpot.control.pid)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mixpot.control.pid import PIParams, PIState, pi_init, pi_step


def _first_order(y, u, dt, tau=1.0, gain=2.0):
    """Exact discretisation of tau dy/dt = gain u - y for constant u over one step."""
    a = np.exp(-dt / tau)
    return a * y + (1.0 - a) * gain * u


def _simulate(params, setpoints, y0=0.0):
    state = pi_init(np.shape(y0))
    y = np.asarray(y0, dtype=float)
    ys, us = [], []
    for r in setpoints:
        state, u = pi_step(params, state, r - y)
        y = _first_order(y, u, params.sample_time_s)
        ys.append(y)
        us.append(u)
    return np.array(ys), np.array(us), state


def test_step_response_reaches_setpoint_without_steady_state_error():
    params = PIParams(sample_time_s=0.01, kp=1.0, ki=2.0)
    ys, _, _ = _simulate(params, np.ones(2000))
    assert abs(ys[-1] - 1.0) < 1e-6
    # proportional action alone leaves the classic offset 1/(1 + K kp) = 1/3
    p_only = PIParams(sample_time_s=0.01, kp=1.0, ki=0.0)
    ys_p, _, _ = _simulate(p_only, np.ones(2000))
    assert ys_p[-1] == pytest.approx(2.0 / 3.0, rel=1e-6)


def _recovery_time(params):
    dt = params.sample_time_s
    setpoints = np.r_[np.full(1000, 4.0), np.full(3000, 0.5)]  # 4 is unreachable (u <= 1)
    ys, _, _ = _simulate(params, setpoints)
    after = ys[1000:]
    outside = np.nonzero(np.abs(after - 0.5) > 0.05)[0]
    return (outside[-1] + 1) * dt if outside.size else 0.0


def test_integrator_clamp_prevents_windup():
    base = {"sample_time_s": 0.01, "kp": 1.0, "ki": 2.0, "output_min": 0.0, "output_max": 1.0}
    windup = _recovery_time(PIParams(**base, conditional_integration=False))
    clamped = _recovery_time(PIParams(**base, integrator_clamp=1.0, conditional_integration=False))
    conditional = _recovery_time(PIParams(**base, conditional_integration=True))
    assert windup > 10.0  # the wound-up integrator (~20) needs many seconds to unwind
    assert clamped < windup / 3.0
    assert conditional < windup / 3.0


def test_integrator_clamp_bounds_the_integrator():
    params = PIParams(
        sample_time_s=0.01, kp=0.0, ki=100.0, integrator_clamp=0.25, conditional_integration=False
    )
    state = pi_init(2)
    for _ in range(100):
        state, u = pi_step(params, state, [1.0, -1.0])
    np.testing.assert_array_equal(state.integrator, [0.25, -0.25])
    np.testing.assert_array_equal(u, [0.25, -0.25])


def test_output_limits_respected_and_flagged():
    rng = np.random.default_rng(1)
    params = PIParams(sample_time_s=0.002, kp=3.0, ki=50.0, output_min=-0.5, output_max=0.3)
    state = pi_init(50)
    for _ in range(200):
        e = rng.normal(scale=0.5, size=50)
        state, u = pi_step(params, state, e)
        assert np.all(u >= -0.5)
        assert np.all(u <= 0.3)
        at_limit = (u == -0.5) | (u == 0.3)
        assert np.all(state.saturated <= at_limit)


def test_per_call_limits_override_params():
    params = PIParams(sample_time_s=0.1, kp=1.0, ki=0.0, output_min=-10.0, output_max=10.0)
    state, u = pi_step(params, pi_init(3), [5.0, 5.0, -5.0], output_max=[1.0, 6.0, 1.0])
    np.testing.assert_array_equal(u, [1.0, 5.0, -5.0])
    np.testing.assert_array_equal(state.saturated, [True, False, False])
    with pytest.raises(ValueError, match="output_min"):
        pi_step(params, pi_init(1), [1.0], output_min=2.0, output_max=1.0)


def test_vectorised_equals_per_point():
    rng = np.random.default_rng(7)
    params = PIParams(
        sample_time_s=0.01, kp=0.8, ki=5.0, output_min=-1.0, output_max=2.0, integrator_clamp=1.5
    )
    errors = rng.normal(scale=1.5, size=(300, 6))
    state = pi_init(6)
    outs = []
    for e in errors:
        state, u = pi_step(params, state, e)
        outs.append(u)
    outs = np.array(outs)
    for j in range(6):
        s = pi_init()
        for k in range(errors.shape[0]):
            s, u = pi_step(params, s, errors[k, j])
            assert u.shape == ()
            assert u == outs[k, j]
        assert s.integrator == state.integrator[j]


def test_state_is_checkpointable_and_deterministic():
    params = PIParams(sample_time_s=0.01, kp=1.0, ki=3.0, output_min=-1.0, output_max=1.0)
    state = pi_init(4, integrator=[0.1, 0.2, -0.3, 0.0])
    for _ in range(10):
        state, _ = pi_step(params, state, [0.5, -0.2, 3.0, 0.0])
    restored = PIState(**{k: np.copy(v) for k, v in dataclasses.asdict(state).items()})
    s1, u1 = pi_step(params, state, [0.1, 0.1, 0.1, 0.1])
    s2, u2 = pi_step(params, restored, [0.1, 0.1, 0.1, 0.1])
    np.testing.assert_array_equal(u1, u2)
    np.testing.assert_array_equal(s1.integrator, s2.integrator)
    # the input state is not modified
    np.testing.assert_array_equal(restored.integrator, state.integrator)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"kp": -1.0}, r"kp = -1 is outside the allowed range \[0, inf\)"),
        ({"ki": -0.5}, r"ki = -0.5 is outside the allowed range \[0, inf\)"),
        ({"sample_time_s": 0.0}, r"sample_time_s = 0 s is outside the allowed range \(0, inf\)"),
        ({"integrator_clamp": -1.0}, r"integrator_clamp = -1 is outside"),
        (
            {"output_min": 2.0, "output_max": 1.0},
            r"output_max = 1 is outside the allowed range \(2, inf\]",
        ),
        ({"kp": float("nan")}, r"kp contains NaN"),
    ],
)
def test_bad_parameters_name_field_value_and_range(kwargs, pattern):
    base = {"sample_time_s": 0.01, "kp": 1.0, "ki": 1.0}
    with pytest.raises(ValueError, match=pattern):
        PIParams(**{**base, **kwargs})


def test_nan_error_rejected():
    params = PIParams(sample_time_s=0.01, kp=1.0, ki=1.0)
    with pytest.raises(ValueError, match="error contains NaN"):
        pi_step(params, pi_init(2), [0.0, np.nan])


def test_conditional_integration_integrates_up_to_the_limit():
    # P alone (-7.5) stays inside the limit; the integrator fills exactly the room up to -9
    params = PIParams(sample_time_s=0.002, kp=0.05, ki=10.0, output_min=-9e-3, output_max=6e-3)
    state, u = pi_step(params, pi_init(), -0.15)
    assert u == pytest.approx(-9e-3)
    assert state.integrator == pytest.approx(-1.5e-3)
    # error changes sign: the output leaves the limit in the very next step (no windup)
    state, u = pi_step(params, state, 0.01)
    assert u > -9e-3
