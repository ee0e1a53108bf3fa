r"""Operating electronics of the sensor: CJ125-like pump-current output, ADC and R_i measurement.

Layer-1 functions (pure, vectorised, SI units) for the signal chain between the sensor element
and a microcontroller (docs/physics/electronics.md):

* the pump current flows through a 61.9 Ω shunt; the CJ125 amplifies the shunt voltage and
  adds a 1.5 V offset, :math:`U_A = 1.5\,\mathrm{V} + v\,R_\mathrm{shunt} I_p` with gain
  ``v`` = 8 or 17 (Bosch CJ125 product information). ``UA`` lives in a 5 V output range; when
  it would leave it, the output is clipped **and** the points are flagged (never silently);
* an ideal N-bit ADC (mid-tread quantiser) with optional seeded Gaussian input noise;
* the internal resistance ``R_i`` measured with a small 3 kHz AC signal, which is the
  electrolyte resistance of :func:`mixpot.electrolyte.cell_resistance` plus optional gain,
  offset and noise errors of the measurement.
"""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import as_float_array, check_range
from mixpot.electrolyte import (
    YSZ_ACTIVATION_TEMPERATURE_K,
    YSZ_PRE_EXPONENTIAL_S_PER_M,
    cell_resistance,
)

__all__ = [
    "ADC_FULL_SCALE_V",
    "CJ125_AMPLIFICATIONS",
    "CJ125_RI_FREQUENCY_HZ",
    "CJ125_SUPPLY_V",
    "CJ125_UA_OFFSET_V",
    "PUMP_CURRENT_SHUNT_OHM",
    "AdcReading",
    "Clipped",
    "add_gaussian_noise",
    "measured_internal_resistance",
    "pump_current_from_ua",
    "quantize",
    "sample_adc",
    "ua_voltage",
]

FloatOrArray: TypeAlias = np.float64 | NDArray[np.float64]
BoolOrArray: TypeAlias = np.bool_ | NDArray[np.bool_]
RngLike: TypeAlias = np.random.Generator | np.random.SeedSequence | int

PUMP_CURRENT_SHUNT_OHM: float = 61.9
"""Pump-current measuring shunt of the LSU 4.9 / CJ125 interface [Ω] (Bosch LSU 4.9 TPI
Y 258 E00 015e; CJ125 product information)."""

CJ125_UA_OFFSET_V: float = 1.5
"""Output offset of the CJ125 pump-current amplifier: ``UA`` at ``I_p = 0`` [V] (CJ125 product
information, ``UA = 1.5 V + v * 61.9 ohm * Ip`` at VCC = 5 V)."""

CJ125_SUPPLY_V: float = 5.0
"""Supply voltage VCC of the CJ125 [V]; ``UA`` can only swing within 0..VCC."""

CJ125_AMPLIFICATIONS: tuple[int, int] = (8, 17)
"""Selectable gains ``v`` of the CJ125 pump-current amplifier [-] (CJ125 product information;
8 covers the full lambda range, 17 gives resolution around lambda = 1)."""

CJ125_RI_FREQUENCY_HZ: float = 3000.0
"""Frequency of the CJ125 AC internal-resistance measurement [Hz] (CJ125 product information;
Bosch LSU 4.9 TPI specifies R_i for 1-4 kHz)."""

ADC_FULL_SCALE_V: float = 5.0
"""Default ADC full-scale voltage [V], matching the CJ125 5 V output range."""


class Clipped(NamedTuple):
    """A value limited to an output range, with the mask of points that hit a limit.

    Attributes
    ----------
    value : numpy.float64 or numpy.ndarray
        The clipped value (unit of the quantity, e.g. [V]).
    saturated : numpy.bool_ or numpy.ndarray of bool
        True where the unclipped value was outside the output range (the value is then only a
        bound of the true signal).
    """

    value: FloatOrArray
    saturated: BoolOrArray


class AdcReading(NamedTuple):
    """Result of an analogue-to-digital conversion.

    Attributes
    ----------
    voltage_V : numpy.float64 or numpy.ndarray
        Quantised voltage ``code * LSB`` [V].
    code : numpy.int64 or numpy.ndarray of int64
        Output code, 0 .. 2**bits - 1 [-].
    saturated : numpy.bool_ or numpy.ndarray of bool
        True where the input was outside the convertible range (code stuck at 0 or at the
        top code beyond the quantisation error).
    """

    voltage_V: FloatOrArray
    code: np.int64 | NDArray[np.int64]
    saturated: BoolOrArray


def _amplification(value: ArrayLike) -> NDArray[np.float64]:
    arr = as_float_array(value, "amplification")
    ok = np.isin(arr, CJ125_AMPLIFICATIONS)
    if not ok.all():
        bad = arr[~ok].flat[0]
        raise ValueError(
            f"amplification = {bad:g} is not a CJ125 gain; allowed values are "
            f"{CJ125_AMPLIFICATIONS[0]} and {CJ125_AMPLIFICATIONS[1]}"
        )
    return arr


def _positive(value: ArrayLike, name: str, unit: str) -> NDArray[np.float64]:
    return check_range(value, name, low=0.0, low_inclusive=False, unit=unit)


def ua_voltage(
    pump_current_A: ArrayLike,
    amplification: ArrayLike = 8,
    *,
    shunt_ohm: ArrayLike = PUMP_CURRENT_SHUNT_OHM,
    offset_V: ArrayLike = CJ125_UA_OFFSET_V,
    supply_V: ArrayLike = CJ125_SUPPLY_V,
) -> Clipped:
    r"""CJ125-like pump-current output voltage, :math:`U_A = U_0 + v R_s I_p`, clipped to 0..VCC.

    The output is limited to the supply range ``[0, supply_V]``. Points whose ideal output lies
    outside are clipped **and** flagged in ``saturated``; a saturated ``UA`` only bounds the
    pump current. With the defaults the linear range is ``-3.03 .. +7.07 mA`` for ``v = 8`` and
    ``-1.43 .. +3.33 mA`` for ``v = 17``.

    Parameters
    ----------
    pump_current_A : array_like
        Pump current ``I_p`` [A], positive in lean gas (oxygen pumped out). NaN propagates
        (not flagged as saturated).
    amplification : array_like
        Amplifier gain ``v`` [-], 8 or 17.
    shunt_ohm : array_like
        Measuring shunt ``R_s`` [Ω], > 0.
    offset_V : array_like
        Output at zero pump current ``U_0`` [V].
    supply_V : array_like
        Supply voltage, upper end of the output range [V], > 0.

    Returns
    -------
    Clipped
        ``value``: ``UA`` [V] clipped to ``[0, supply_V]``; ``saturated``: bool mask.

    Raises
    ------
    ValueError
        For an amplification other than 8 or 17, a non-positive shunt or supply.

    References
    ----------
    .. [1] Bosch, *CJ125 lambda probe interface IC*, product information
       (``UA = 1.5 V + v * 61.9 ohm * Ip``, VCC = 5 V, v = 8 or 17).
    .. [2] Bosch, *Lambda sensor LSU 4.9*, Technical Product Information Y 258 E00 015e (2005).

    Examples
    --------
    >>> out = ua_voltage(1e-3, 8)  # 1 mA lean, v = 8: 1.5 + 8 * 0.0619
    >>> round(float(out.value), 4), bool(out.saturated)
    (1.9952, False)
    >>> out = ua_voltage(8e-3, 8)  # beyond +7.07 mA: clipped and flagged
    >>> float(out.value), bool(out.saturated)
    (5.0, True)
    """
    current = check_range(pump_current_A, "pump_current_A", unit="A", allow_nan=True)
    gain = _amplification(amplification)
    shunt = _positive(shunt_ohm, "shunt_ohm", "ohm")
    offset = check_range(offset_V, "offset_V", unit="V")
    supply = _positive(supply_V, "supply_V", "V")
    raw = offset + gain * shunt * current
    with np.errstate(invalid="ignore"):
        saturated = (raw < 0.0) | (raw > supply)
    value = np.where(np.isnan(raw), np.nan, np.clip(raw, 0.0, supply))
    return Clipped(value[()], saturated[()])


def pump_current_from_ua(
    ua_V: ArrayLike,
    amplification: ArrayLike = 8,
    *,
    shunt_ohm: ArrayLike = PUMP_CURRENT_SHUNT_OHM,
    offset_V: ArrayLike = CJ125_UA_OFFSET_V,
    supply_V: ArrayLike = CJ125_SUPPLY_V,
) -> FloatOrArray:
    r"""Pump current from the CJ125 output voltage, :math:`I_p = (U_A - U_0)/(v R_s)`.

    Inverse of :func:`ua_voltage` inside the output range. A reading at a rail (0 V or
    ``supply_V``) is only a bound of the true current; use the ``saturated`` mask of
    :func:`ua_voltage` or :func:`quantize` to exclude such points.

    Parameters
    ----------
    ua_V : array_like
        Output voltage ``UA`` [V], within ``[0, supply_V]``. NaN propagates.
    amplification : array_like
        Amplifier gain ``v`` [-], 8 or 17.
    shunt_ohm : array_like
        Measuring shunt ``R_s`` [Ω], > 0.
    offset_V : array_like
        Output at zero pump current ``U_0`` [V].
    supply_V : array_like
        Supply voltage, upper end of the output range [V], > 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Pump current ``I_p`` [A].

    Raises
    ------
    ValueError
        For ``ua_V`` outside ``[0, supply_V]`` or invalid parameters.

    References
    ----------
    .. [1] Bosch, *CJ125 lambda probe interface IC*, product information.

    Examples
    --------
    >>> round(float(pump_current_from_ua(1.9952, 8)) * 1e3, 6)  # mA
    1.0
    """
    gain = _amplification(amplification)
    shunt = _positive(shunt_ohm, "shunt_ohm", "ohm")
    offset = check_range(offset_V, "offset_V", unit="V")
    supply = _positive(supply_V, "supply_V", "V")
    ua = check_range(ua_V, "ua_V", unit="V", allow_nan=True)
    ua_b, supply_b = np.broadcast_arrays(ua, supply)
    with np.errstate(invalid="ignore"):
        bad = (ua_b < 0.0) | (ua_b > supply_b)
    if bad.any():
        raise ValueError(
            f"ua_V = {ua_b[bad].flat[0]:g} V is outside the output range "
            f"[0, {supply_b[bad].flat[0]:g}] V"
        )
    return ((ua - offset) / (gain * shunt))[()]


def _bits(bits: int) -> int:
    if isinstance(bits, bool) or not isinstance(bits, int | np.integer):
        raise TypeError(f"bits must be an integer, got {bits!r}")
    if not 1 <= int(bits) <= 24:
        raise ValueError(f"bits = {bits} is outside the allowed range [1, 24]")
    return int(bits)


def quantize(
    value_V: ArrayLike,
    full_scale_V: float = ADC_FULL_SCALE_V,
    bits: int = 10,
) -> AdcReading:
    r"""Ideal N-bit ADC: round to the nearest code, clip to the code range and flag saturation.

    ``LSB = full_scale_V / 2**bits``; ``code = floor(value/LSB + 1/2)`` clipped to
    ``0 .. 2**bits - 1`` (mid-tread quantiser, error within ``[-LSB/2, +LSB/2)`` inside the
    range). Inputs below ``-LSB/2`` or at/above ``(2**bits - 1/2) LSB`` are clipped to the end
    codes and flagged in ``saturated``. Typical microcontroller ADCs have 10 bits (AVR) or
    12 bits (STM32).

    Parameters
    ----------
    value_V : array_like
        Analogue input [V]. NaN is rejected (a converter always returns a code).
    full_scale_V : float
        Full-scale (reference) voltage [V], > 0.
    bits : int
        Resolution [bit], 1 .. 24.

    Returns
    -------
    AdcReading
        ``voltage_V`` = ``code * LSB`` [V], ``code`` [-] and the ``saturated`` mask.

    Raises
    ------
    ValueError
        For NaN input, a non-positive full scale or ``bits`` outside 1..24.
    TypeError
        For a non-integer ``bits``.

    References
    ----------
    .. [1] W. Kester (ed.), *The Data Conversion Handbook*, Analog Devices / Newnes (2005),
       ch. 2 (ideal ADC transfer function, LSB = FS/2^N).

    Examples
    --------
    >>> r = quantize(1.9952, 5.0, 10)  # LSB = 4.883 mV
    >>> int(r.code), round(float(r.voltage_V), 4), bool(r.saturated)
    (409, 1.9971, False)
    """
    n = _bits(bits)
    fs = float(_positive(full_scale_V, "full_scale_V", "V"))
    value = check_range(value_V, "value_V", unit="V")
    lsb = fs / 2**n
    top = 2**n - 1
    raw = np.floor(value / lsb + 0.5)
    saturated = (raw < 0) | (raw > top)
    code = np.clip(raw, 0, top).astype(np.int64)
    return AdcReading((code * lsb)[()], code[()], saturated[()])


def add_gaussian_noise(value: ArrayLike, rms: ArrayLike, rng: RngLike) -> FloatOrArray:
    """Add zero-mean Gaussian noise of a given RMS, reproducibly from a generator or seed.

    Parameters
    ----------
    value : array_like
        Noise-free signal (any unit). NaN propagates.
    rms : array_like
        Standard deviation of the noise [unit of ``value``], >= 0; broadcast with ``value``.
    rng : numpy.random.Generator or int or numpy.random.SeedSequence
        Random source. A ``Generator`` is used (and advanced) as is; a seed creates
        ``numpy.random.default_rng(seed)``, so equal seeds give equal noise.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        ``value + rms * N(0, 1)``, shape of the broadcast inputs.

    Raises
    ------
    ValueError
        For a negative or NaN ``rms``.

    Examples
    --------
    >>> a = add_gaussian_noise([1.0, 2.0], 0.01, rng=42)
    >>> b = add_gaussian_noise([1.0, 2.0], 0.01, rng=42)
    >>> bool((a == b).all())
    True
    """
    signal = check_range(value, "value", allow_nan=True)
    sigma = check_range(rms, "rms", low=0.0)
    generator = np.random.default_rng(rng)
    shape = np.broadcast(signal, sigma).shape
    return (signal + sigma * generator.standard_normal(shape))[()]


def sample_adc(
    value_V: ArrayLike,
    rng: RngLike,
    *,
    noise_rms_V: ArrayLike = 0.0,
    full_scale_V: float = ADC_FULL_SCALE_V,
    bits: int = 10,
) -> AdcReading:
    """Sample a voltage with a noisy ADC: add Gaussian input noise, then quantise.

    Parameters
    ----------
    value_V : array_like
        Noise-free analogue input [V], finite.
    rng : numpy.random.Generator or int or numpy.random.SeedSequence
        Random source (see :func:`add_gaussian_noise`); a seed makes the result reproducible.
    noise_rms_V : array_like
        RMS of the input-referred noise [V], >= 0 (e.g. a few mV for a CJ125 output and a
        10-bit converter).
    full_scale_V : float
        ADC full scale [V], > 0.
    bits : int
        ADC resolution [bit], 1 .. 24.

    Returns
    -------
    AdcReading
        Quantised voltage [V], code [-] and saturation mask (saturation is judged after the
        noise is added).

    Raises
    ------
    ValueError
        For invalid inputs (see :func:`quantize`, :func:`add_gaussian_noise`).

    Examples
    --------
    >>> r1 = sample_adc([2.5, 2.5], rng=1, noise_rms_V=0.01, bits=12)
    >>> r2 = sample_adc([2.5, 2.5], rng=1, noise_rms_V=0.01, bits=12)
    >>> bool((r1.code == r2.code).all())
    True
    """
    noisy = add_gaussian_noise(check_range(value_V, "value_V", unit="V"), noise_rms_V, rng)
    return quantize(noisy, full_scale_V, bits)


def measured_internal_resistance(
    temperature_K: ArrayLike,
    cell_constant_per_m: ArrayLike,
    *,
    gain_error: ArrayLike = 0.0,
    offset_ohm: ArrayLike = 0.0,
    noise_rms_ohm: ArrayLike = 0.0,
    rng: RngLike | None = None,
    pre_exponential_S_per_m: ArrayLike = YSZ_PRE_EXPONENTIAL_S_PER_M,
    activation_temperature_K: ArrayLike = YSZ_ACTIVATION_TEMPERATURE_K,
) -> FloatOrArray:
    r"""Return the internal resistance R_i as a CJ125-like 3 kHz AC measurement reports it.

    At 1-4 kHz the impedance of the Nernst cell is essentially its electrolyte resistance
    (electrode polarisation is short-circuited by the double layer,
    docs/physics/electrolyte.md), so the true value is
    :math:`R_i = K/\sigma(T)` (:func:`mixpot.electrolyte.cell_resistance`) and the reading is

    .. math:: R_\mathrm{meas} = (1 + g)\,R_i + R_\mathrm{off} + n,\qquad n \sim N(0, s^2)

    with gain error ``g``, offset ``R_off`` and Gaussian noise of RMS ``s``.

    Parameters
    ----------
    temperature_K : array_like
        Electrolyte (ceramic) temperature [K], > 0. NaN propagates.
    cell_constant_per_m : array_like
        Cell constant ``L/A`` of the measured cell [1/m], > 0; LSU 4.9-like: 566.7 1/m
        (300 Ω at 780 °C, see :func:`mixpot.electrolyte.cell_constant_from_resistance`).
    gain_error : array_like
        Relative gain error ``g`` of the measurement [-], > -1.
    offset_ohm : array_like
        Additive offset ``R_off`` [Ω] (e.g. lead and contact resistance).
    noise_rms_ohm : array_like
        RMS of the measurement noise ``s`` [Ω], >= 0.
    rng : numpy.random.Generator or int or numpy.random.SeedSequence, optional
        Random source; required when ``noise_rms_ohm`` is non-zero.
    pre_exponential_S_per_m : array_like
        YSZ conductivity pre-exponential factor [S/m], > 0.
    activation_temperature_K : array_like
        YSZ conductivity activation temperature [K], >= 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Measured internal resistance [Ω].

    Raises
    ------
    ValueError
        For out-of-range inputs, or noise requested without ``rng``.

    References
    ----------
    .. [1] Bosch, *Lambda sensor LSU 4.9*, Technical Product Information Y 258 E00 015e
       (2005): R_i = 300 Ω at 780 °C, measured with 1-4 kHz AC.
    .. [2] Bosch, *CJ125 lambda probe interface IC*, product information (R_i measured at
       3 kHz).

    Examples
    --------
    >>> round(float(measured_internal_resistance(1053.15, 566.7)), 1)  # ohm at 780 degC
    300.0
    >>> round(float(measured_internal_resistance(1053.15, 566.7, gain_error=0.02)), 1)
    306.0
    """
    r_true = np.asarray(
        cell_resistance(
            cell_constant_per_m,
            temperature_K,
            pre_exponential_S_per_m,
            activation_temperature_K,
        )
    )
    gain = check_range(gain_error, "gain_error", low=-1.0, low_inclusive=False)
    offset = check_range(offset_ohm, "offset_ohm", unit="ohm")
    noise = check_range(noise_rms_ohm, "noise_rms_ohm", low=0.0, unit="ohm")
    measured = (1.0 + gain) * r_true + offset
    if np.any(noise > 0.0):
        if rng is None:
            raise ValueError("noise_rms_ohm > 0 requires a random source: pass rng (seed)")
        measured = np.asarray(add_gaussian_noise(measured, noise, rng))
    return np.asarray(measured, dtype=np.float64)[()]
