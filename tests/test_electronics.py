"""Checks of the CJ125-like output stage, the ADC model and the R_i measurement."""

import numpy as np
import pytest

from mixpot.electrolyte import cell_constant_from_resistance
from mixpot.electronics import (
    CJ125_AMPLIFICATIONS,
    PUMP_CURRENT_SHUNT_OHM,
    add_gaussian_noise,
    measured_internal_resistance,
    pump_current_from_ua,
    quantize,
    sample_adc,
    ua_voltage,
)


def test_public_constants():
    # public_data.toml [lsu49] / [cj125]
    assert PUMP_CURRENT_SHUNT_OHM == 61.9
    assert CJ125_AMPLIFICATIONS == (8, 17)


@pytest.mark.parametrize(
    ("current", "gain", "expected"),
    [
        (1e-3, 8, 1.5 + 8 * 0.0619),  # 1.9952 V
        (1e-3, 17, 1.5 + 17 * 0.0619),  # 2.5523 V
        (0.0, 8, 1.5),
        (-1e-3, 8, 1.5 - 8 * 0.0619),  # 1.0048 V
        (2.54e-3, 8, 1.5 + 8 * 61.9 * 2.54e-3),  # LSU 4.9 in air: 2.75781 V
    ],
)
def test_ua_formula_by_hand(current, gain, expected):
    out = ua_voltage(current, gain)
    assert out.value == pytest.approx(expected, abs=1e-12)
    assert not out.saturated


def test_ua_example_value():
    assert ua_voltage(1e-3, 8).value == pytest.approx(1.9952, abs=1e-12)


def test_ua_inverse_round_trip():
    currents = np.linspace(-3e-3, 7e-3, 41)
    out = ua_voltage(currents, 8)
    assert not out.saturated.any()
    np.testing.assert_allclose(pump_current_from_ua(out.value, 8), currents, atol=1e-15)
    currents17 = np.linspace(-1.4e-3, 3.3e-3, 11)
    out17 = ua_voltage(currents17, 17)
    np.testing.assert_allclose(pump_current_from_ua(out17.value, 17), currents17, atol=1e-15)


def test_ua_saturation_is_flagged_not_silent():
    # v = 8: linear range -1.5/495.2 = -3.029 mA .. 3.5/495.2 = +7.068 mA
    currents = np.array([-9e-3, -3.0e-3, 0.0, 7.0e-3, 7.1e-3])
    out = ua_voltage(currents, 8)
    np.testing.assert_array_equal(out.saturated, [True, False, False, False, True])
    assert out.value[0] == 0.0
    assert out.value[-1] == 5.0
    # LSU 4.9 rich limit -9 mA saturates even at v = 8; lean air current saturates at v = 17
    assert ua_voltage(-9e-3, 8).saturated
    assert not ua_voltage(2.54e-3, 17).saturated  # 1.5 + 17*61.9*2.54e-3 = 4.173 V
    assert ua_voltage(4e-3, 17).saturated


def test_ua_nan_propagates_without_flag():
    out = ua_voltage([np.nan, 1e-3], 8)
    assert np.isnan(out.value[0])
    np.testing.assert_array_equal(out.saturated, [False, False])


@pytest.mark.parametrize("gain", [1, 9, 16.5, 0])
def test_invalid_amplification_names_field(gain):
    with pytest.raises(ValueError, match=r"amplification = .* allowed values are 8 and 17"):
        ua_voltage(1e-3, gain)
    with pytest.raises(ValueError, match="amplification"):
        pump_current_from_ua(2.0, gain)


def test_inverse_rejects_out_of_range_voltage():
    with pytest.raises(ValueError, match=r"ua_V = 5.2 V is outside the output range \[0, 5\] V"):
        pump_current_from_ua(5.2, 8)
    with pytest.raises(ValueError, match=r"ua_V = -0\.1"):
        pump_current_from_ua(-0.1, 8)


def test_quantisation_step_is_full_scale_over_2_to_n():
    for bits in (10, 12):
        lsb = 5.0 / 2**bits
        v = np.linspace(0.1, 4.9, 20_011)  # denser than the 12-bit LSB
        r = quantize(v, 5.0, bits)
        steps = np.diff(np.unique(r.voltage_V))
        np.testing.assert_allclose(steps, lsb, rtol=1e-9)
        assert np.max(np.abs(r.voltage_V - v)) <= lsb / 2 + 1e-15
        assert not r.saturated.any()
    r = quantize(1.9952, 5.0, 10)
    assert r.code == 409  # 1.9952 / 4.8828125e-3 = 408.6
    assert r.voltage_V == pytest.approx(409 * 5.0 / 1024)


def test_adc_saturation_flagged():
    r = quantize([-0.1, 0.0, 4.99, 5.0, 6.0], 5.0, 10)
    np.testing.assert_array_equal(r.code, [0, 0, 1022, 1023, 1023])
    np.testing.assert_array_equal(r.saturated, [True, False, False, True, True])


def test_adc_error_paths():
    with pytest.raises(ValueError, match=r"bits = 0 is outside the allowed range \[1, 24\]"):
        quantize(1.0, 5.0, 0)
    with pytest.raises(TypeError, match="bits must be an integer"):
        quantize(1.0, 5.0, 10.5)
    with pytest.raises(ValueError, match="full_scale_V = -5 V is outside"):
        quantize(1.0, -5.0, 10)
    with pytest.raises(ValueError, match="value_V contains NaN"):
        quantize(np.nan)
    with pytest.raises(ValueError, match=r"rms = -0\.1 is outside"):
        add_gaussian_noise(1.0, -0.1, rng=0)


def test_seeded_reproducibility():
    a = sample_adc(np.full(100, 2.5), rng=123, noise_rms_V=0.01, bits=12)
    b = sample_adc(np.full(100, 2.5), rng=123, noise_rms_V=0.01, bits=12)
    c = sample_adc(np.full(100, 2.5), rng=124, noise_rms_V=0.01, bits=12)
    np.testing.assert_array_equal(a.code, b.code)
    assert (a.code != c.code).any()
    # a Generator is used as is (and advanced)
    gen = np.random.default_rng(5)
    n1 = add_gaussian_noise(np.zeros(3), 1.0, gen)
    n2 = add_gaussian_noise(np.zeros(3), 1.0, gen)
    assert (n1 != n2).all()
    np.testing.assert_array_equal(n1, add_gaussian_noise(np.zeros(3), 1.0, 5))


def test_noise_rms_statistics():
    n = 200_000
    noisy = add_gaussian_noise(np.full(n, 2.0), 0.05, rng=2024)
    # standard error of the std estimate: 0.05/sqrt(2n) = 7.9e-5
    assert np.std(noisy) == pytest.approx(0.05, abs=5e-4)
    assert np.mean(noisy) == pytest.approx(2.0, abs=5 * 0.05 / np.sqrt(n))
    # quantised noise: variance adds LSB^2/12 (Widrow); 12 bit LSB = 1.22 mV
    r = sample_adc(np.full(n, 2.0), rng=7, noise_rms_V=0.01, bits=12)
    lsb = 5.0 / 4096
    assert np.std(r.voltage_V) == pytest.approx(np.sqrt(0.01**2 + lsb**2 / 12), rel=0.01)


def test_noise_pushes_into_saturation_flag():
    r = sample_adc(np.full(1000, 4.995), rng=3, noise_rms_V=0.02, bits=10)
    assert r.saturated.any()
    assert (r.code <= 1023).all()


def test_ri_at_780c_with_lsu_cell_constant_is_300_ohm():
    k = cell_constant_from_resistance(300.0, 1053.15)
    assert measured_internal_resistance(1053.15, k) == pytest.approx(300.0, rel=1e-12)
    # hotter -> lower R_i
    r = measured_internal_resistance([1023.15, 1053.15, 1083.15], k)
    assert (np.diff(r) < 0).all()


def test_ri_gain_offset_and_noise():
    k = cell_constant_from_resistance(300.0, 1053.15)
    r = measured_internal_resistance(1053.15, k, gain_error=0.02, offset_ohm=5.0)
    assert r == pytest.approx(1.02 * 300.0 + 5.0)
    samples = measured_internal_resistance(np.full(50_000, 1053.15), k, noise_rms_ohm=3.0, rng=11)
    assert np.std(samples) == pytest.approx(3.0, rel=0.02)
    assert np.mean(samples) == pytest.approx(300.0, abs=0.1)
    again = measured_internal_resistance(np.full(50_000, 1053.15), k, noise_rms_ohm=3.0, rng=11)
    np.testing.assert_array_equal(samples, again)


def test_ri_error_paths():
    with pytest.raises(ValueError, match="requires a random source"):
        measured_internal_resistance(1053.15, 566.7, noise_rms_ohm=1.0)
    with pytest.raises(ValueError, match=r"gain_error = -1 is outside the allowed range \(-1"):
        measured_internal_resistance(1053.15, 566.7, gain_error=-1.0)
    with pytest.raises(ValueError, match="cell_constant_per_m = 0"):
        measured_internal_resistance(1053.15, 0.0)
    with pytest.raises(ValueError, match="temperature_K = -5 K"):
        measured_internal_resistance(-5.0, 566.7)
