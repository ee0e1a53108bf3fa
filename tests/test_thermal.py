"""Checks of the Pt heater resistance and the lumped heat balance of the element."""

import dataclasses

import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp

from mixpot.thermal import (
    DEFAULT_ELEMENT,
    DESIGN_ELEMENT_TEMPERATURE_K,
    DESIGN_GAS_TEMPERATURE_K,
    DESIGN_GAS_VELOCITY_M_PER_S,
    HEATER_LEAD_RESISTANCE_OHM,
    HEATER_R0_OHM,
    ElementThermalParameters,
    calibrate_heater,
    convective_coefficient,
    heat_flows,
    heater_power,
    heater_ramp_voltage,
    heater_resistance,
    heater_temperature,
    platinum_resistance,
    platinum_temperature,
    steady_state_temperature,
    steady_state_temperature_at_voltage,
    temperature_rate,
)

T0 = 273.15


# ------------------------------------------------------------------ Callendar-Van Dusen


def test_cvd_r0_and_iec_table_values():
    assert platinum_resistance(T0, 100.0) == pytest.approx(100.0, rel=1e-15)
    # IEC 60751 Pt100 table: 138.5055 ohm at 100 C, 175.856 at 200 C, 390.481 at 850 C,
    # 18.520 at -200 C
    assert platinum_resistance(T0 + 100.0, 1.0) == pytest.approx(1.385055, rel=1e-12)
    assert platinum_resistance(T0 + 200.0, 100.0) == pytest.approx(175.856, abs=1e-3)
    assert platinum_resistance(T0 + 850.0, 100.0) == pytest.approx(390.481, abs=1e-3)
    assert platinum_resistance(T0 - 200.0, 100.0) == pytest.approx(18.520, abs=1e-3)
    assert platinum_resistance(T0 - 100.0, 100.0) == pytest.approx(60.256, abs=1e-3)


def test_cvd_inverse_round_trip_including_below_zero():
    t = np.linspace(T0 - 200.0, T0 + 1200.0, 281)
    r = platinum_resistance(t, 100.0)
    np.testing.assert_allclose(platinum_temperature(r, 100.0), t, atol=1e-9)
    assert (np.diff(r) > 0).all()


def test_cvd_error_paths():
    with pytest.raises(ValueError, match=r"temperature_K = 1600 K is outside the allowed range"):
        platinum_resistance(1600.0, 100.0)
    with pytest.raises(ValueError, match="r0_ohm = 0 ohm is outside"):
        platinum_resistance(300.0, 0.0)
    with pytest.raises(ValueError, match="resistance_ohm / r0_ohm = 10"):
        platinum_temperature(1000.0, 100.0)


# ------------------------------------------------------------------------------ heater


def test_heater_calibrated_to_lsu49_data():
    # cold resistance 3.2 ohm at 20 C; 7.5 W at 7.5 V at 780 C -> 7.5 ohm hot
    assert heater_resistance(T0 + 20.0) == pytest.approx(3.2, rel=1e-12)
    assert heater_resistance(T0 + 780.0) == pytest.approx(7.5, rel=1e-12)
    assert heater_power(7.5, T0 + 780.0) == pytest.approx(7.5, rel=1e-12)
    # by hand: W(20) = 1.0779350, W(780) = 3.6971230 -> R0 = 4.3/2.619188, lead = 3.2 - R0 W(20)
    assert pytest.approx(4.3 / 2.619188, rel=1e-6) == HEATER_R0_OHM
    assert pytest.approx(3.2 - 4.3 / 2.619188 * 1.077935, rel=1e-6) == HEATER_LEAD_RESISTANCE_OHM
    assert heater_resistance(T0) == pytest.approx(HEATER_R0_OHM + HEATER_LEAD_RESISTANCE_OHM)


def test_pure_platinum_calibration():
    cal = calibrate_heater(hot_resistance_ohm=None)
    assert cal.lead_resistance_ohm == 0.0
    assert cal.r0_ohm == pytest.approx(3.2 / 1.077935, rel=1e-6)
    # pure Pt would be 11 ohm at 780 C: 7.5 V gives only 5.1 W (why the lead term exists)
    assert heater_power(7.5, T0 + 780.0, cal.r0_ohm, 0.0) == pytest.approx(5.12, abs=0.01)


def test_heater_inverse_round_trip():
    t = np.linspace(T0 - 40.0, T0 + 1000.0, 53)
    np.testing.assert_allclose(heater_temperature(heater_resistance(t)), t, atol=1e-9)


def test_heater_calibration_error_paths():
    with pytest.raises(ValueError, match="exceeds that of platinum"):
        calibrate_heater(3.2, hot_resistance_ohm=20.0)
    with pytest.raises(ValueError, match="hot_resistance_ohm = 3 ohm is outside"):
        calibrate_heater(3.2, hot_resistance_ohm=3.0)
    with pytest.raises(ValueError, match="lead_resistance_ohm = -1 ohm"):
        heater_resistance(300.0, 1.6, -1.0)


def test_heater_power_and_ramp():
    assert heater_power(8.5, T0 + 20.0) == pytest.approx(8.5**2 / 3.2)
    np.testing.assert_allclose(heater_ramp_voltage([0.0, 1.0, 12.5, 30.0]), [8.5, 8.9, 13.5, 13.5])
    with pytest.raises(ValueError, match="time_s = -1 s"):
        heater_ramp_voltage(-1.0)


# ------------------------------------------------------------------------- heat balance


def test_convection_correlation_limits():
    # zero velocity: Nu -> 0.3 of the Churchill-Bernstein correlation
    h0 = convective_coefficient(0.0, 600.0, 1000.0, 3.44e-3)
    k_film = 0.0241 * (800.0 / 273.0) ** 1.5 * 467.0 / 994.0
    assert h0 == pytest.approx(0.3 * k_film / 3.44e-3, rel=1e-12)
    v = np.array([0.5, 1.0, 2.0, 5.0, 10.0])
    h = convective_coefficient(v, 623.15, 1053.15)
    assert (np.diff(h) > 0).all()
    # laminar branch: h - h0 ~ v^0.5
    slope = np.polyfit(np.log(v), np.log(h - h0), 1)[0]
    assert 0.45 < slope < 0.55


def test_steady_state_matches_780c_design_point():
    assert pytest.approx(1053.15) == DESIGN_ELEMENT_TEMPERATURE_K
    t_power = steady_state_temperature(7.5, DESIGN_GAS_TEMPERATURE_K, DESIGN_GAS_VELOCITY_M_PER_S)
    t_volt = steady_state_temperature_at_voltage(
        7.5, DESIGN_GAS_TEMPERATURE_K, DESIGN_GAS_VELOCITY_M_PER_S
    )
    assert t_power == pytest.approx(1053.15, abs=1.0)
    assert t_volt == pytest.approx(1053.15, abs=1.0)
    q = heat_flows(1053.15, DESIGN_GAS_TEMPERATURE_K, DESIGN_GAS_VELOCITY_M_PER_S)
    assert q.total_W == pytest.approx(7.5, rel=0.005)
    assert q.total_W == pytest.approx(q.convection_W + q.housing_W + q.radiation_W)
    assert min(q.convection_W, q.housing_W, q.radiation_W) > 0.0
    assert temperature_rate(t_power, 7.5, DESIGN_GAS_TEMPERATURE_K, 2.0) == pytest.approx(
        0.0, abs=1e-6
    )


def test_steady_state_trends():
    # more gas flow or colder gas needs more power for 780 C; fixed power -> colder element
    t = steady_state_temperature(7.5, [523.15, 623.15, 723.15], 2.0)
    assert (np.diff(t) > 0).all()
    t = steady_state_temperature(7.5, 623.15, [1.0, 2.0, 8.0])
    assert (np.diff(t) < 0).all()
    assert steady_state_temperature(0.0, 500.0, 2.0) == pytest.approx(500.0, abs=1e-6)


def test_no_heater_relaxes_to_gas_temperature_energy_conserved():
    t_gas = 600.0
    p = DEFAULT_ELEMENT

    def rhs(_t, y):
        return [temperature_rate(y[0], 0.0, t_gas, 2.0, params=p)]

    sol = solve_ivp(rhs, (0.0, 250.0), [1053.15], rtol=1e-10, atol=1e-10, dense_output=True)
    assert sol.y[0, -1] == pytest.approx(t_gas, abs=1e-3)
    assert (np.diff(sol.y[0]) <= 0).all()  # monotone, no overshoot
    # C (T0 - T_end) equals the integrated heat loss
    lost, _ = quad(
        lambda s: float(heat_flows(sol.sol(s)[0], t_gas, 2.0, params=p).total_W),
        0.0,
        250.0,
        limit=400,
    )
    stored = p.heat_capacity_J_per_K * (1053.15 - sol.y[0, -1])
    assert lost == pytest.approx(stored, rel=1e-5)


def test_light_off_within_10_s_under_bosch_ramp_limits():
    # cold start: element, gas, housing and tube at 20 C; heater 8.5 V + 0.4 V/s (cap 13.5 V)
    t_amb = T0 + 20.0

    def rhs(t, y):
        power = heater_power(heater_ramp_voltage(t), y[0])
        return [temperature_rate(y[0], power, t_amb, 2.0)]

    def reached(_t, y):
        return y[0] - DESIGN_ELEMENT_TEMPERATURE_K

    reached.terminal = True
    sol = solve_ivp(rhs, (0.0, 30.0), [t_amb], events=reached, max_step=0.1, rtol=1e-8)
    assert sol.t_events[0].size == 1
    light_off = sol.t_events[0][0]
    assert light_off <= 10.0  # Bosch LSU 4.9: light-off <= 10 s
    assert light_off > 5.0  # not unphysically fast for a 0.13 J/K element
    # the cold-start power respects the 8.5 V start limit: 8.5^2/3.2 = 22.6 W
    assert heater_power(heater_ramp_voltage(0.0), t_amb) == pytest.approx(22.58, abs=0.01)


def test_parameters_are_frozen_and_validated():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_ELEMENT.emissivity = 0.9  # type: ignore[misc]
    with pytest.raises(ValueError, match=r"emissivity = 1.2 is outside the allowed range \[0, 1\]"):
        ElementThermalParameters(emissivity=1.2)
    with pytest.raises(ValueError, match="heat_capacity_J_per_K = 0 is outside"):
        ElementThermalParameters(heat_capacity_J_per_K=0.0)
    with pytest.raises(ValueError, match="gas_velocity_m_per_s = -1 m/s"):
        heat_flows(1000.0, 600.0, -1.0)
    with pytest.raises(ValueError, match="not bracketed"):
        steady_state_temperature(1e4, 600.0, 2.0)


def test_compiled_scalar_mirrors_equal_the_numpy_functions():
    # the transient heater period uses compiled scalar copies of heater_power and
    # temperature_rate (housing and wall at the gas temperature): same values to 1e-12
    from mixpot.thermal import _heater_power_point, _point_coefficients, _temperature_rate_point

    rng = np.random.default_rng(3)
    params = dataclasses.replace(DEFAULT_ELEMENT, emissivity=0.7, housing_conductance_W_per_K=0.01)
    for element in (DEFAULT_ELEMENT, params):
        c = _point_coefficients(element)
        for _ in range(300):
            t, t_gas = rng.uniform(250.0, 1400.0), rng.uniform(250.0, 1100.0)
            v_eff, velocity, p = (
                rng.uniform(0.0, 13.5),
                rng.uniform(0.0, 40.0),
                rng.uniform(8e4, 2e5),
            )
            power = float(heater_power(v_eff, t, element.heater_r0_ohm,
                                       element.heater_lead_resistance_ohm))  # fmt: skip
            compiled = _heater_power_point(v_eff, t, c[7], c[8])
            assert compiled == pytest.approx(power, rel=1e-12, abs=1e-300)
            rate = float(temperature_rate(t, power, t_gas, velocity, params=element, pressure_Pa=p))
            compiled = _temperature_rate_point(t, power, t_gas, velocity, p, c)
            scale = power / element.heat_capacity_J_per_K + abs(t - t_gas)  # terms that cancel
            assert abs(compiled - rate) <= 1e-12 * scale
