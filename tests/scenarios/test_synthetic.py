import numpy as np
import pandas as pd
import pytest

import mixpot.gas as gas
from mixpot.constants import AIR_O2_FRACTION
from mixpot.scenarios import (
    SPECIES_COLUMNS,
    WltcExhaustModel,
    lambda_sweep,
    steps,
    trace_composition,
    validate_trace,
    wltc_class3_speed,
    wltc_drive_cycle,
)


@pytest.fixture(scope="module")
def wltc():
    return wltc_drive_cycle(seed=0)


def _valid(trace):
    t = trace["time_s"].to_numpy()
    assert np.all(np.diff(t) > 0)
    fractions = trace[list(SPECIES_COLUMNS)].to_numpy()
    assert np.all(fractions >= 0)
    assert np.all(fractions.sum(axis=1) <= 1 + 1e-12)
    pd.testing.assert_frame_equal(validate_trace(trace), trace)


def test_steps_of_propene():
    tr = steps("C3H6", (0.0, 500e-6, 0.0), step_duration_s=10.0, sample_rate_hz=100.0)
    _valid(tr)
    assert len(tr) == 3000
    assert tr["time_s"].iloc[-1] == pytest.approx(29.99)
    c3h6 = tr["C3H6"].to_numpy()
    assert np.all(c3h6[:1000] == 0.0)
    assert np.all(c3h6[1000:2000] == 500e-6)
    assert np.all(c3h6[2000:] == 0.0)
    # base exhaust: lambda 1.3, constant
    lam = gas.lambda_brettschneider(trace_composition(tr.iloc[:1000]))
    np.testing.assert_allclose(lam, 1.3, rtol=1e-9)
    assert tr["O2"].nunique() == 1


def test_steps_of_oxygen_replace_base_o2():
    tr = steps("O2", (0.02, 0.10), step_duration_s=0.5, sample_rate_hz=10.0, base_lambda=1.0)
    _valid(tr)
    assert tr["O2"].tolist() == [0.02] * 5 + [0.10] * 5
    assert tr["CO"].max() == 0.0


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"species": "N2"}, "stepped species 'N2'"),
        ({"levels": ()}, "non-empty"),
        ({"levels": (0.0, 1.5)}, r"step level 1\.5 of C3H6 is outside"),
        ({"step_duration_s": 0.015, "sample_rate_hz": 100.0}, "whole number"),
        ({"sample_rate_hz": 0.0}, "sample_rate_hz"),
    ],
)
def test_steps_errors(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        steps(**kwargs)


def test_lambda_sweep_follows_the_ramp():
    tr = lambda_sweep(0.8, 2.0, duration_s=600.0, sample_rate_hz=1.0)
    _valid(tr)
    assert len(tr) == 601
    lam = gas.lambda_element_balance(trace_composition(tr))
    np.testing.assert_allclose(lam, np.linspace(0.8, 2.0, 601), rtol=1e-9)
    rich = tr["time_s"] < 100.0
    assert (tr.loc[rich, "CO"] > 0).all()
    assert (tr.loc[rich, "O2"] == 0).all()
    assert (tr.loc[~rich, "CO"] == 0).all()


def test_lambda_sweep_with_hydrocarbon():
    tr = lambda_sweep(1.0, 1.5, duration_s=10.0, hc_species="C3H8", hc_fraction=300e-6)
    _valid(tr)
    assert (tr["C3H8"] == 300e-6).all()
    with pytest.raises(ValueError, match="hc_species 'CO'"):
        lambda_sweep(hc_species="CO")


def test_wltc_speed_profile_published_properties():
    v = wltc_class3_speed()
    assert list(v.columns) == ["time_s", "speed_km_h"]
    assert len(v) == 1801
    assert v["time_s"].iloc[-1] == 1800.0
    assert v["speed_km_h"].max() == 131.3
    # GTR No. 15: class 3b distance 23.27 km (sum of speeds = checksum 83758.6 km/h)
    distance_km = np.trapezoid(v["speed_km_h"].to_numpy() / 3.6, v["time_s"].to_numpy()) / 1e3
    assert distance_km == pytest.approx(23.27, abs=0.01)
    assert v["speed_km_h"].sum() == pytest.approx(83758.6)


def test_wltc_trace_shape_and_validity(wltc):
    _valid(wltc)
    assert len(wltc) == 1801
    assert wltc["time_s"].iloc[0] == 0.0
    assert wltc["time_s"].iloc[-1] - wltc["time_s"].iloc[0] == 1800.0


def test_wltc_fuel_cutoff_is_air(wltc):
    speed = wltc_class3_speed()["speed_km_h"].to_numpy()
    accel = np.gradient(speed / 3.6)
    cut = (wltc["O2"] == AIR_O2_FRACTION).to_numpy()
    assert 50 < cut.sum() < 400
    assert np.all(accel[cut] <= -0.5)
    assert np.all(speed[cut] >= 20.0)
    others = [n for n in SPECIES_COLUMNS if n != "O2"]
    assert (wltc.loc[cut, others] == 0.0).all().all()
    # several separate cut-off segments, each at least 2 s long
    edges = np.flatnonzero(np.diff(np.concatenate(([0], cut.astype(int), [0]))))
    lengths = edges[1::2] - edges[::2]
    assert len(lengths) >= 10
    assert lengths.min() >= 2


def test_wltc_lambda_control_and_enrichment(wltc):
    cut = (wltc["O2"] == AIR_O2_FRACTION).to_numpy()
    comp = trace_composition(wltc)
    lam = gas.lambda_element_balance(comp)[~cut]
    rich = lam < 0.95
    assert 10 < rich.sum() < 100
    np.testing.assert_allclose(lam[rich], 0.88, atol=0.01)
    assert np.median(np.abs(lam[~rich] - 1.0)) < 0.02
    co, h2 = comp["CO"][~cut][rich], comp["H2"][~cut][rich]
    np.testing.assert_allclose(h2 / co, 1 / 3, rtol=0.15)


def test_wltc_cold_start_and_warm_up(wltc):
    t = wltc["time_s"].to_numpy()
    hc = wltc["C3H6"].to_numpy()
    assert 1000e-6 <= hc[t <= 20].max() <= 2000e-6
    assert hc[(t > 150) & (hc > 0)].max() < 30e-6
    temp = wltc["gas_temperature_K"].to_numpy()
    assert temp[0] == pytest.approx(296.15)
    assert temp[t > 600].min() > 600.0
    assert temp.max() < 1000.0
    assert (wltc["pressure_Pa"] >= 101325.0).all()
    assert (wltc["gas_velocity_m_s"] > 0).all()


def test_wltc_seed_reproducibility(wltc):
    pd.testing.assert_frame_equal(wltc_drive_cycle(seed=0), wltc)
    other = wltc_drive_cycle(seed=1)
    assert not other["O2"].equals(wltc["O2"])


def test_wltc_sample_rate_and_model():
    tr = wltc_drive_cycle(sample_rate_hz=2.0, model=WltcExhaustModel(cold_hc_peak=500e-6))
    _valid(tr)
    assert len(tr) == 3601
    assert tr["C3H6"].max() == pytest.approx(500e-6 + 10e-6, rel=0.01)
