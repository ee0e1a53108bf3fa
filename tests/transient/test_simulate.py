"""Closed-loop transient: settling onto the steady state, loop behaviour, API and errors."""

import numpy as np
import pandas as pd
import pytest

import mixpot
from mixpot.transient import response_time

BASE = {"H2O": 0.1, "CO2": 0.1, "C3H6": 500e-6}


@pytest.fixture(scope="module")
def patent():
    return mixpot.designs.load("patent-preferred")


@pytest.fixture(scope="module")
def o2_step(patent):
    # exhaust O2 steps from 5 % to 10 % at t = 0.05 s
    df = pd.DataFrame({"time_s": [0.0, 0.05, 1.0], "O2": [0.05, 0.10, 0.10], **BASE})
    return mixpot.simulate(patent, df, output_rate_hz=100)


def test_settles_onto_the_steady_state_of_the_new_exhaust(patent, o2_step):
    r = mixpot.steady_state(patent, {"O2": 0.10, **BASE})
    end = o2_step.isel(time=-1)
    assert float(end["measuring_voltage_V"]) == pytest.approx(
        float(r.measuring_voltage_V), abs=5e-4
    )
    assert float(end["pump_current_A"]) == pytest.approx(float(r.pump_current_A), rel=5e-3)


def test_starts_in_the_steady_state_of_the_first_sample(patent, o2_step):
    r = mixpot.steady_state(patent, {"O2": 0.05, **BASE})
    start = o2_step.isel(time=0)
    assert float(start["pump_current_A"]) == pytest.approx(float(r.pump_current_A), rel=1e-6)
    assert float(start["measuring_voltage_V"]) == pytest.approx(float(r.measuring_voltage_V))


def test_loop_holds_the_chamber_o2_through_the_step(patent, o2_step):
    o2 = o2_step["chamber_O2"]
    # the chamber O2 is back at its steady value once the loop has settled (with fuel in the
    # gas that value sits slightly above the set point: the pump electrode's own mixed
    # potential, which the steady state includes)
    r = mixpot.steady_state(patent, {"O2": 0.10, **BASE})
    assert float(o2.isel(time=-1)) == pytest.approx(float(r.chamber["O2"]), rel=2e-3)
    assert float(o2.isel(time=-1)) == pytest.approx(float(o2.isel(time=0)), rel=2e-2)
    # and during the step it moves by a small part of what an unpumped chamber would see
    # (exhaust 5 % -> 10 %)
    excursion = float(o2.max()) - float(o2.isel(time=0))
    assert excursion < 0.2 * (0.10 - float(o2.isel(time=0)))
    t = response_time(o2_step["pump_current_A"], 0.05)
    assert 0.0 < t < 0.5


def test_output_has_units_and_provenance(o2_step):
    for name in ("pump_current_A", "measuring_voltage_V", "nernst_voltage_V", "UA_V"):
        assert name in o2_step
        assert o2_step[name].attrs["units"]
    assert o2_step["time"].attrs["units"] == "s"
    assert "patent-preferred" in o2_step.attrs["design"]
    # UA = 1.5 V + 8 x 61.9 ohm x I_p (CJ125), read by a 10-bit 5 V ADC with ~1 mV noise
    ip = o2_step["pump_current_A"]
    lsb = 5.0 / 2**10
    np.testing.assert_allclose(o2_step["UA_V"], 1.5 + 8 * 61.9 * ip, atol=lsb + 5e-3)
    assert not o2_step["UA_saturated"].any()
    assert np.all(np.diff(o2_step["time"]) > 0)


def test_runs_are_reproducible_with_a_seed(patent):
    df = pd.DataFrame({"time_s": [0.0, 0.1], "O2": 0.05, **BASE})
    a = mixpot.simulate(patent, df, seed=3)
    b = mixpot.simulate(patent, df, seed=3)
    c = mixpot.simulate(patent, df, seed=4)
    assert a.equals(b)
    assert not a["internal_resistance_ohm"].equals(c["internal_resistance_ohm"])


def test_response_time_of_a_first_order_signal():
    import xarray as xr

    t = np.linspace(0.0, 2.0, 20001)
    tau = 0.1
    sig = xr.DataArray(np.where(t < 0.5, 0.0, 1 - np.exp(-(t - 0.5) / tau)), coords={"time": t})
    assert response_time(sig, 0.5) == pytest.approx(tau * np.log(9), rel=1e-3)


def test_errors(patent):
    df = pd.DataFrame({"time_s": [0.0, 0.01], "O2": 0.05})
    with pytest.raises(ValueError, match="no pump cell"):
        mixpot.simulate(mixpot.designs.load("unpumped-prior-art"), df)
    with pytest.raises(ValueError, match="initial = 'warm'"):
        mixpot.simulate(patent, df, initial="warm")
    with pytest.raises(ValueError, match="time_s"):
        mixpot.simulate(patent, pd.DataFrame({"O2": [0.05]}))


def test_cold_start_reaches_operating_temperature_within_light_off_time(patent):
    # Bosch LSU 4.9: start <= 8.5 V, ramp <= 0.4 V/s, light-off <= 10 s (public_data.toml)
    df = pd.DataFrame({"time_s": [0.0, 16.0], "O2": 0.05, **BASE})
    ds = mixpot.simulate(patent, df, initial="cold", output_rate_hz=10)
    v = ds["heater_voltage_V"]
    ramp = ds["heater_phase"] >= 1
    t_ramp = float(ds["time"][ramp][0])
    assert float(v.sel(time=t_ramp, method="nearest")) <= 8.5 + 1e-9
    slope = np.diff(v.where(ramp, drop=True)) / np.diff(ds["time"].where(ramp, drop=True))
    assert np.all(slope <= 0.4 + 1e-6)
    hot = ds["internal_resistance_ohm"] <= 1.05 * 300.0
    t_hot = float(ds["time"][hot][0])
    assert t_hot - t_ramp <= 10.0
    # and the sensor then settles onto its steady state at operating temperature
    r = mixpot.steady_state(patent, {"O2": 0.05, **BASE})
    end = ds.isel(time=-1)
    assert float(end["measuring_voltage_V"]) == pytest.approx(
        float(r.measuring_voltage_V), abs=5e-4
    )


def test_loop_holds_the_chamber_through_a_fuel_cut_off(patent):
    # fuel cut-off: the exhaust turns to air (20.95 % O2, no combustion products)
    df = pd.DataFrame(
        {
            "time_s": [0.0, 0.05, 0.8],
            "O2": [0.05, 0.2095, 0.2095],
            "H2O": [0.1, 0.0, 0.0],
            "CO2": [0.1, 0.0, 0.0],
            "C3H6": [500e-6, 0.0, 0.0],
        }
    )
    ds = mixpot.simulate(patent, df, output_rate_hz=100)
    o2 = ds["chamber_O2"]
    set_value = float(o2.isel(time=0))
    r = mixpot.steady_state(patent, {"O2": 0.2095})
    # in air (no fuel) the chamber returns to the set point itself
    assert float(o2.isel(time=-1)) == pytest.approx(float(r.chamber["O2"]), rel=5e-3)
    assert float(o2.max()) - set_value < 0.2 * (0.2095 - set_value)
    assert float(ds["pump_current_A"].isel(time=-1)) == pytest.approx(
        float(r.pump_current_A), rel=5e-3
    )
    assert not bool(ds["UA_saturated"].any())


def test_a_fuel_leaving_the_exhaust_leaves_the_chamber_gradually(patent):
    # C3H6 500 ppm -> 0 at 0.05 s: the chamber keeps tracking it and it decays by transport
    # and reaction instead of vanishing at the sample time
    df = pd.DataFrame(
        {"time_s": [0.0, 0.05, 1.0], "O2": 0.05, "H2O": 0.1, "CO2": 0.1, "C3H6": [5e-4, 0.0, 0.0]}
    )
    ds = mixpot.simulate(patent, df, output_rate_hz=100)
    c = ds["chamber_C3H6"]
    after = c.sel(time=slice(0.05, None))
    assert float(after.isel(time=0)) > 0.5 * float(c.isel(time=0))
    assert np.all(np.diff(after.values) < 0)
    # first-order wash-out: the decay time is of the order of the chamber's diffusive exchange
    # time, V c / G = 0.15 s with G/c from the LSU limiting current (2.54 mA in air) and the
    # chamber volume pi r^2 h (1.6 mm, 50 um); an order-of-magnitude check
    geo = patent.geometry
    volume = np.pi * geo.chamber_outer_radius_m**2 * geo.chamber_height_m
    conductance = 2.54e-3 / (4 * 96485.33 * 0.2095 * 101325.0 / (8.314 * 1053.15))
    late = after.sel(time=slice(0.4, None))
    tau = -(float(np.polyfit(late["time"].values, np.log(late.values), 1)[0]) ** -1)
    assert volume / conductance / 3.0 < tau < 3.0 * volume / conductance
    assert ds.attrs["tracked_species"] == "O2,C3H6"


def test_output_rate_does_not_change_the_simulation(patent):
    df = pd.DataFrame({"time_s": [0.0, 0.05, 0.2], "O2": [0.05, 0.10, 0.10], **BASE})
    fast = mixpot.simulate(patent, df, output_rate_hz=100, seed=5)
    slow = mixpot.simulate(patent, df, output_rate_hz=50, seed=5)
    common = slow["time"].values
    for name in ("pump_current_A", "element_temperature_K", "measuring_voltage_V"):
        np.testing.assert_allclose(fast[name].sel(time=common), slow[name], rtol=1e-12)
    assert slow.attrs["output_rate_hz"] == 50.0
    assert float(slow["time"][-1]) == pytest.approx(0.2)
    assert slow.attrs["status"] == "complete"


def test_boundary_update_between_rebuilds_matches_a_full_rebuild(patent, monkeypatch):
    # small exhaust changes update only the boundary values; the lagging diffusion
    # coefficients must not move the signals noticeably (compare with a rebuild every row)
    import sys

    from mixpot.scenarios import wltc_drive_cycle

    sim = sys.modules["mixpot.transient.simulate"]  # the module (the package exports the function)

    trace = wltc_drive_cycle(seed=0, sample_rate_hz=10.0)
    trace = trace[(trace["time_s"] >= 300) & (trace["time_s"] <= 306)].reset_index(drop=True)
    fast = mixpot.simulate(patent, trace, output_rate_hz=50)
    monkeypatch.setattr(sim, "REBUILD_COMPOSITION_STEP", 0.0)
    full = mixpot.simulate(patent, trace, output_rate_hz=50)
    assert fast.attrs["status"] == full.attrs["status"] == "complete"
    np.testing.assert_allclose(fast["measuring_voltage_V"], full["measuring_voltage_V"], atol=2e-4)
    np.testing.assert_allclose(fast["pump_current_A"], full["pump_current_A"], rtol=5e-3, atol=2e-6)


def test_a_failed_tick_is_retried_in_compiled_sub_steps():
    # the retry of a tick whose compiled step did not converge: the same backward-Euler step
    # cut into 4, 16, 64 or 256 equal compiled sub-steps, the first cut whose sub-steps all
    # converge (here a jump from lambda 0.99 to 0.95 exhaust)
    import importlib

    from mixpot.sensor import kernel
    from mixpot.transient.ticks import LoopState

    sim_module = importlib.import_module("mixpot.transient.simulate")  # the module, not the API
    design = mixpot.designs.load("lsu49-like")
    gas = {"O2": 0.0, "H2O": 0.12, "CO2": 0.13, "CO": 0.003, "H2": 0.001}
    start = mixpot.steady_state(design, gas)
    rich = mixpot.steady_state(design, {**gas, "CO": 0.016, "H2": 0.0046})
    model = rich.profiles["model"]
    point = kernel.pack(model)
    x0 = start.profiles["x"][:, 0]
    state = LoopState(
        x=x0.copy(),
        e_ipe=float(start.profiles["e_ipe"][0]),
        e_me=float(start.profiles["e_me"][0]),
        reading=0.45,
        pump_current=float(start.pump_current_A),
        integrator=0.0,
        saturated=False,
    )
    x, e_ipe, e_me = sim_module._advance(model, point, state, -0.45, 2e-3, 0.0)
    for parts in (4, 16, 64, 256):
        ref_x, ref_ei, ref_em, ok = x0, state.e_ipe, state.e_me, True
        for _ in range(parts):
            ref_x, ref_ei, ref_em, ok = kernel.implicit_step(
                point, ref_x, ref_ei, ref_em, state.pump_current, 2e-3 / parts
            )
            if not ok:
                break
        if ok:
            break
    assert ok
    # (the retry shares one Jacobian across its sub-steps: the same solution to Newton's
    # tolerance of 1e-7)
    np.testing.assert_allclose(x, ref_x, rtol=1e-6, atol=1e-12)
    assert (e_ipe, e_me) == pytest.approx((ref_ei, ref_em), abs=1e-6)
