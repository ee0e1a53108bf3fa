"""Synthetic exhaust traces: concentration steps, lambda sweeps and a WLTC drive cycle.

Every generator returns a trace validated by :func:`mixpot.scenarios.schema.validate_trace`.
The base exhaust is that of a fuel C H_y burned completely at a given lambda
(:func:`mixpot.gas.combustion_exhaust`: CO2, H2O, O2 when lean, CO and H2 with the water-gas
equilibrium when rich); hydrocarbons are added as unburned fuel on top of it, the N2 balance
shrinking accordingly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from mixpot.gas.air_ratio import DEFAULT_H_TO_C, combustion_exhaust, lambda_from_o2_fraction
from mixpot.gas.species import HYDROCARBONS
from mixpot.scenarios.schema import DEFAULTS, SPECIES_COLUMNS, TIME, validate_trace

WLTC_DURATION_S = 1800.0
"""Duration of the WLTC [s] (UNECE GTR No. 15, Annex 1)."""


def _check_rate(sample_rate_hz: float) -> float:
    rate = float(sample_rate_hz)
    if not np.isfinite(rate) or rate <= 0.0:
        raise ValueError(f"sample_rate_hz = {sample_rate_hz!r} must be a positive number [Hz]")
    return rate


def _check_species(name: str, allowed: Sequence[str], what: str) -> None:
    if name not in allowed:
        raise ValueError(f"{what} {name!r} is not one of {', '.join(allowed)}")


def _assemble(
    time: NDArray[np.float64],
    lambda_: ArrayLike,
    h_to_c: float,
    extra: dict[str, NDArray[np.float64]] | None = None,
    replace: dict[str, NDArray[np.float64]] | None = None,
    state: dict[str, ArrayLike] | None = None,
) -> pd.DataFrame:
    """Build and validate a trace: combustion exhaust at ``lambda_``, plus ``extra``."""
    exhaust = combustion_exhaust(np.broadcast_to(lambda_, time.shape), h_to_c=h_to_c)
    columns: dict[str, ArrayLike] = {TIME: time}
    for name in SPECIES_COLUMNS:
        columns[name] = np.array(exhaust[name], dtype=np.float64)
    for name, value in (extra or {}).items():
        columns[name] = columns[name] + value
    for name, value in (replace or {}).items():
        columns[name] = np.broadcast_to(np.asarray(value, dtype=np.float64), time.shape)
    for name, value in (state or {}).items():
        columns[name] = np.broadcast_to(np.asarray(value, dtype=np.float64), time.shape)
    return validate_trace(pd.DataFrame(columns))


def steps(
    species: str = "C3H6",
    levels: Sequence[float] = (0.0, 500e-6, 0.0),
    step_duration_s: float = 10.0,
    sample_rate_hz: float = 100.0,
    *,
    base_lambda: float = 1.3,
    h_to_c: float = DEFAULT_H_TO_C,
    gas_temperature_K: float = DEFAULTS["gas_temperature_K"],
    pressure_Pa: float = DEFAULTS["pressure_Pa"],
    gas_velocity_m_s: float = DEFAULTS["gas_velocity_m_s"],
) -> pd.DataFrame:
    """Piecewise-constant steps of one species on a constant base exhaust.

    For response-time tests: the species' mole fraction jumps between ``levels`` (ideal steps,
    no gas-transport smoothing) while the rest of the exhaust stays that of the fuel burned at
    ``base_lambda``.

    Parameters
    ----------
    species : str
        Stepped species, one of :data:`mixpot.scenarios.schema.SPECIES_COLUMNS`. Its mole
        fraction *replaces* the base exhaust's value (for O2 the lean-exhaust O2).
    levels : sequence of float
        Mole fraction [-] of ``species`` in each step, e.g. ``(0, 500e-6, 0)`` for
        0 → 500 ppm → 0.
    step_duration_s : float
        Duration of every step [s]; ``step_duration_s * sample_rate_hz`` must be a whole number.
    sample_rate_hz : float
        Sample rate [Hz]; the first sample is at 0 s.
    base_lambda : float
        Air ratio [-] of the base exhaust. Default 1.3 (about 4.6 % O2), the lean level the
        patent's pump cell holds in the measuring chamber — a design choice, not a measurement.
    h_to_c : float
        Fuel H/C atomic ratio [-].
    gas_temperature_K, pressure_Pa, gas_velocity_m_s : float
        Constant gas state [K], [Pa], [m/s] (schema defaults, see
        :data:`mixpot.scenarios.schema.DEFAULTS`).

    Returns
    -------
    pandas.DataFrame
        Validated trace with ``len(levels) * step_duration_s * sample_rate_hz`` rows; the step
        to level ``k`` happens at ``t = k * step_duration_s``.

    Raises
    ------
    ValueError
        For an unknown species, no levels, a level outside [0, 1] or a step duration that is not
        a whole number of samples.

    Examples
    --------
    >>> tr = steps("C3H6", (0.0, 500e-6), step_duration_s=1.0, sample_rate_hz=2.0)
    >>> tr["time_s"].tolist(), (tr["C3H6"] * 1e6).round(1).tolist()
    ([0.0, 0.5, 1.0, 1.5], [0.0, 0.0, 500.0, 500.0])
    """
    _check_species(species, SPECIES_COLUMNS, "stepped species")
    rate = _check_rate(sample_rate_hz)
    lv = np.asarray(levels, dtype=np.float64)
    if lv.ndim != 1 or lv.size == 0:
        raise ValueError("levels must be a non-empty sequence of mole fractions [-]")
    bad = ~np.isfinite(lv) | (lv < 0.0) | (lv > 1.0)
    if bad.any():
        raise ValueError(f"step level {float(lv[bad][0]):g} of {species} is outside [0, 1] [-]")
    per_step = float(step_duration_s) * rate
    n_step = round(per_step)
    if n_step < 1 or abs(per_step - n_step) > 1e-9 * max(per_step, 1.0):
        raise ValueError(
            f"step_duration_s = {step_duration_s!r} s at {rate:g} Hz is {per_step:g} samples; "
            "a whole number >= 1 is required"
        )
    time = np.arange(n_step * lv.size) / rate
    return _assemble(
        time,
        base_lambda,
        h_to_c,
        replace={species: np.repeat(lv, n_step)},
        state={
            "gas_temperature_K": gas_temperature_K,
            "pressure_Pa": pressure_Pa,
            "gas_velocity_m_s": gas_velocity_m_s,
        },
    )


def random_steps(
    seed: int = 0,
    segments: int = 20,
    segment_duration_s: float = 1.0,
    sample_rate_hz: float = 10.0,
    *,
    species: str = "C3H6",
    ppm_range: tuple[float, float] = (20.0, 2000.0),
    o2_range: tuple[float, float] = (0.01, 0.18),
    h_to_c: float = DEFAULT_H_TO_C,
) -> pd.DataFrame:
    """Random stationary segments of oxidizable gas and exhaust O2 (for accuracy tests).

    Every segment holds the exhaust of the fuel burned at a random lean lambda (its O2 uniform
    in ``o2_range``) plus ``species`` log-uniform in ``ppm_range``.

    Parameters
    ----------
    seed : int
        Seed of the draws.
    segments : int
        Number of segments (>= 1).
    segment_duration_s : float
        Duration of each segment [s]; a whole number of samples.
    sample_rate_hz : float
        Sample rate [Hz].
    species : str
        Oxidizable species.
    ppm_range : tuple of float
        Range of the oxidizable gas [ppm], 0 < low <= high.
    o2_range : tuple of float
        Range of the exhaust O2 mole fraction [-], within (0, 0.2095).
    h_to_c : float
        Fuel H/C atomic ratio [-].

    Returns
    -------
    pandas.DataFrame
        Validated trace; segment ``k`` starts at ``k * segment_duration_s``.

    Examples
    --------
    >>> tr = random_steps(seed=1, segments=3, segment_duration_s=1.0, sample_rate_hz=1.0)
    >>> len(tr), bool(tr["C3H6"].between(20e-6, 2000e-6).all())
    (3, True)
    """
    _check_species(species, SPECIES_COLUMNS, "oxidizable species")
    rate = _check_rate(sample_rate_hz)
    if segments < 1:
        raise ValueError(f"segments = {segments} must be >= 1")
    if not 0.0 < ppm_range[0] <= ppm_range[1]:
        raise ValueError(f"ppm_range = {ppm_range} must satisfy 0 < low <= high [ppm]")
    if not 0.0 < o2_range[0] <= o2_range[1] < 0.2095:
        raise ValueError(f"o2_range = {o2_range} must lie in (0, 0.2095) [-]")
    per = round(segment_duration_s * rate)
    if per < 1 or abs(per - segment_duration_s * rate) > 1e-9 * per:
        raise ValueError(
            f"segment_duration_s = {segment_duration_s!r} s at {rate:g} Hz is not a whole "
            "number >= 1 of samples"
        )
    rng = np.random.default_rng(seed)
    ppm = np.exp(rng.uniform(np.log(ppm_range[0]), np.log(ppm_range[1]), segments))
    o2 = rng.uniform(o2_range[0], o2_range[1], segments)
    time = np.arange(per * segments) / rate
    return _assemble(
        time,
        np.repeat(lambda_from_o2_fraction(o2, h_to_c), per),
        h_to_c,
        replace={species: np.repeat(ppm * 1e-6, per)},
    )


def lambda_sweep(
    lambda_start: float = 0.8,
    lambda_end: float = 2.0,
    duration_s: float = 600.0,
    sample_rate_hz: float = 1.0,
    *,
    h_to_c: float = DEFAULT_H_TO_C,
    hc_species: str = "C3H6",
    hc_fraction: float = 0.0,
    gas_temperature_K: float = DEFAULTS["gas_temperature_K"],
    pressure_Pa: float = DEFAULTS["pressure_Pa"],
    gas_velocity_m_s: float = DEFAULTS["gas_velocity_m_s"],
) -> pd.DataFrame:
    """Slow linear ramp of lambda, with an optional constant hydrocarbon admixture.

    Parameters
    ----------
    lambda_start, lambda_end : float
        Air ratio [-] at the first and the last sample (0.5 or more; ``inf`` not allowed in a
        ramp). A falling ramp is allowed.
    duration_s : float
        Duration of the ramp [s].
    sample_rate_hz : float
        Sample rate [Hz]; ``round(duration_s * sample_rate_hz) + 1`` samples from 0 to
        ``duration_s``.
    h_to_c : float
        Fuel H/C atomic ratio [-] (default 1.85, gasoline).
    hc_species : str
        Hydrocarbon added, one of :data:`mixpot.gas.species.HYDROCARBONS`.
    hc_fraction : float
        Its constant mole fraction [-], added on top of the combustion exhaust as unburned fuel,
        so the Brettschneider lambda of the trace lies slightly rich of the ramp (0.989 instead
        of 1 with 500 ppm propene).
    gas_temperature_K, pressure_Pa, gas_velocity_m_s : float
        Constant gas state [K], [Pa], [m/s].

    Returns
    -------
    pandas.DataFrame
        Validated trace.

    Examples
    --------
    >>> tr = lambda_sweep(0.9, 1.1, duration_s=2.0)
    >>> tr["O2"].round(4).tolist(), tr["CO"].round(4).tolist()
    ([0.0, 0.0, 0.018], [0.0323, 0.0, 0.0])
    """
    _check_species(hc_species, HYDROCARBONS, "hc_species")
    rate = _check_rate(sample_rate_hz)
    if not np.isfinite(duration_s) or duration_s <= 0.0:
        raise ValueError(f"duration_s = {duration_s!r} must be a positive number [s]")
    if not (np.isfinite(lambda_start) and np.isfinite(lambda_end)):
        raise ValueError("lambda_start and lambda_end must be finite for a ramp")
    if not 0.0 <= hc_fraction <= 1.0:
        raise ValueError(f"hc_fraction = {hc_fraction!r} is outside [0, 1] [-]")
    n = round(float(duration_s) * rate) + 1
    time = np.linspace(0.0, float(duration_s), n)
    lam = np.linspace(float(lambda_start), float(lambda_end), n)
    return _assemble(
        time,
        lam,
        h_to_c,
        extra={hc_species: np.full(n, float(hc_fraction))},
        state={
            "gas_temperature_K": gas_temperature_K,
            "pressure_Pa": pressure_Pa,
            "gas_velocity_m_s": gas_velocity_m_s,
        },
    )


def wltc_class3_speed() -> pd.DataFrame:
    """Vehicle speed of the WLTC class 3b (1 Hz, 0-1800 s).

    Returns
    -------
    pandas.DataFrame
        Columns ``time_s`` [s] and ``speed_km_h`` [km/h], 1801 rows.

    References
    ----------
    .. [1] UNECE Global Technical Regulation No. 15, Worldwide harmonized Light vehicles Test
       Procedure (WLTP), Annex 1: WLTC class 3b (PMR > 34 W/kg, v_max >= 120 km/h).
       Numbers taken from the PyPI package ``wltp`` 0.1.2a0 (European Commission JRC, EUPL),
       file ``wltp/cycles/class3.py``, ``class_data_b()``; shipped as
       ``mixpot/data/wltc_class3.csv``.

    Examples
    --------
    >>> v = wltc_class3_speed()
    >>> len(v), float(v["speed_km_h"].max())
    (1801, 131.3)
    """
    source = resources.files("mixpot") / "data" / "wltc_class3.csv"
    with source.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#", dtype=np.float64)


@dataclass(frozen=True)
class WltcExhaustModel:
    """Parameters of the simple exhaust model driven by the WLTC speed profile.

    All values are estimates chosen to give plausible shapes and magnitudes for a gasoline
    passenger car with a three-way catalyst, not fitted to measurements. The trace stands for
    the exhaust at a sensor position downstream of the catalyst: lambda-controlled, with
    cold-start hydrocarbon slip until the catalyst lights off.

    Attributes
    ----------
    lambda_amplitude : float
        Amplitude [-] of the lambda oscillation of closed-loop lambda control. Estimate: a
        two-point lambda controller swings the engine-out lambda by about ±0.02-0.03; the
        catalyst's oxygen storage damps this downstream; ±0.01 chosen.
    lambda_period_s : float
        Period [s] of that oscillation. Estimate: limit cycles of switching lambda control are
        about 0.5-2 Hz at part load and slower at low flow; 2.5 s chosen so that 1 Hz samples
        resolve it.
    lambda_noise : float
        Standard deviation [-] of white noise on lambda (seeded). Estimate, cycle-to-cycle
        variation.
    cutoff_deceleration_m_s2 : float
        Deceleration [m/s²] at or beyond which the fuel is cut (overrun fuel cut-off). Estimate:
        coasting with closed throttle decelerates a car by about 0.3-0.6 m/s².
    cutoff_min_speed_km_h : float
        Minimum speed [km/h] for fuel cut-off. Estimate: fuel is re-enabled near idle speed of
        the engine, roughly 15-25 km/h in gear.
    cutoff_min_duration_s : float
        Shorter decelerations are not treated as cut-off [s]. Estimate, ECU debounce.
    enrichment_specific_power_W_kg : float
        Inertial specific power v·a [W/kg] at or above which the mixture is enriched. Estimate:
        it marks the hardest accelerations of the WLTC class 3b (v·a reaches 20.9 W/kg; 40 s of
        the cycle lie above 12 W/kg), where full-load enrichment is used.
    enrichment_lambda : float
        Lambda [-] during enrichment. Estimate: full-load enrichment runs at lambda 0.85-0.9.
    cold_hc_peak : float
        Peak hydrocarbon mole fraction [-] after the cold start. Estimate: downstream of a cold
        catalyst several hundred to about 2000 ppm C3 hydrocarbons; 1500 ppm chosen.
    cold_hc_rise_s, cold_hc_decay_s : float
        Rise and decay time constants [s] of the cold-start hydrocarbons,
        ``x(t) ∝ (1 - exp(-t/rise)) exp(-t/decay)``. Estimate: the peak comes a few seconds after
        engine start and the catalyst lights off within 60-120 s (25 s decay leaves about
        140 ppm at 60 s and 12 ppm at 120 s).
    warm_hc : float
        Hydrocarbon mole fraction [-] after light-off, whenever fuel is burned. Estimate,
        tens of ppm or less downstream of a warm catalyst.
    ambient_temperature_K : float
        Exhaust gas temperature [K] at the cold start: the WLTP soak temperature 23 °C
        (GTR No. 15, 23 ± 3 °C).
    warm_temperature_K : float
        Warm exhaust gas temperature [K] at standstill (idle). Estimate: about 350 °C.
    temperature_per_speed_K_h_km : float
        Rise of the warm gas temperature per vehicle speed [K/(km/h)]. Estimate: about 675 °C
        at 130 km/h.
    temperature_lag_s : float
        Time constant [s] with which the gas temperature follows the speed. Estimate, thermal
        inertia of manifold, catalyst and pipe.
    warmup_time_constant_s : float
        Time constant [s] of the warm-up from ambient to the warm temperatures. Estimate: the
        exhaust line heats up over the first few minutes.
    back_pressure_Pa_h2_km2 : float
        Exhaust back pressure above ambient per squared vehicle speed [Pa/(km/h)²]. Estimate:
        about 8 kPa at 130 km/h, flow losses growing with the square of the flow.
    idle_gas_velocity_m_s : float
        Pipe gas velocity [m/s] at standstill. Estimate for idle exhaust flow.
    gas_velocity_per_speed : float
        Rise of the gas velocity per vehicle speed [(m/s)/(km/h)]. Estimate: about 40 m/s at
        130 km/h.
    """

    lambda_amplitude: float = 0.01
    lambda_period_s: float = 2.5
    lambda_noise: float = 0.003
    cutoff_deceleration_m_s2: float = 0.5
    cutoff_min_speed_km_h: float = 20.0
    cutoff_min_duration_s: float = 2.0
    enrichment_specific_power_W_kg: float = 12.0
    enrichment_lambda: float = 0.88
    cold_hc_peak: float = 1500e-6
    cold_hc_rise_s: float = 2.0
    cold_hc_decay_s: float = 25.0
    warm_hc: float = 10e-6
    ambient_temperature_K: float = 296.15
    warm_temperature_K: float = 623.15
    temperature_per_speed_K_h_km: float = 2.5
    temperature_lag_s: float = 20.0
    warmup_time_constant_s: float = 100.0
    back_pressure_Pa_h2_km2: float = 0.5
    idle_gas_velocity_m_s: float = 3.0
    gas_velocity_per_speed: float = 0.3


def _runs_at_least(mask: NDArray[np.bool_], min_len: int) -> NDArray[np.bool_]:
    """Keep only the runs of True in ``mask`` that are at least ``min_len`` long."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    out = np.zeros_like(mask)
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if stop - start >= min_len:
            out[start:stop] = True
    return out


def _low_pass(x: NDArray[np.float64], dt: float, tau: float) -> NDArray[np.float64]:
    """First-order low pass (exact for piecewise-constant input), starting at ``x[0]``."""
    alpha = 1.0 - np.exp(-dt / tau)
    y = np.empty_like(x)
    y[0] = x[0]
    for i in range(1, x.size):
        y[i] = y[i - 1] + alpha * (x[i] - y[i - 1])
    return y


def wltc_drive_cycle(
    seed: int = 0,
    sample_rate_hz: float = 1.0,
    *,
    model: WltcExhaustModel | None = None,
    h_to_c: float = DEFAULT_H_TO_C,
    hc_species: str = "C3H6",
) -> pd.DataFrame:
    """Exhaust trace of a cold-start WLTC class 3b drive cycle (1800 s), from a simple model.

    The WLTC class 3b speed profile (:func:`wltc_class3_speed`) drives a documented, seeded
    model of the exhaust at a sensor position downstream of a three-way catalyst (parameters
    and their reasoning in :class:`WltcExhaustModel`):

    * **acceleration** ``a`` [m/s²] by central differences of the speed, as GTR No. 15 does;
    * **fuel cut-off** where ``a <= -cutoff_deceleration_m_s2`` at ``v >= cutoff_min_speed``
      for at least ``cutoff_min_duration_s``: the exhaust is air, O2 = 20.95 %, nothing else;
    * **enrichment** where ``v·a >= enrichment_specific_power_W_kg``: lambda =
      ``enrichment_lambda``; CO and H2 then follow from the water-gas equilibrium of
      :func:`mixpot.gas.combustion_exhaust` (K = 3.5 gives H2 ≈ CO/3, the usual rule of thumb
      for rich gasoline exhaust, Heywood 1988 Sect. 4.9);
    * **otherwise** lambda = 1 + A sin(2π t/T) + σ·N(0, 1): closed-loop control around
      stoichiometry; its small rich half-waves carry some CO and H2;
    * **hydrocarbons** (``hc_species``) while fuel is burned: a cold-start peak decaying with
      catalyst light-off plus a small warm level, added as unburned fuel;
    * **gas temperature** warming from 23 °C towards a speed-dependent warm level, **pressure**
      ambient plus a back pressure rising with speed², **gas velocity** rising with speed.

    Parameters
    ----------
    seed : int
        Seed of the lambda noise; the same seed gives the same trace.
    sample_rate_hz : float
        Sample rate [Hz]; the 1 Hz speed profile is interpolated linearly for other rates.
    model : WltcExhaustModel, optional
        Model parameters; default :class:`WltcExhaustModel` ().
    h_to_c : float
        Fuel H/C atomic ratio [-] (default 1.85, gasoline).
    hc_species : str
        Hydrocarbon representing the unburned fuel, one of
        :data:`mixpot.gas.species.HYDROCARBONS` (default propene, the usual test-gas
        surrogate for reactive hydrocarbons).

    Returns
    -------
    pandas.DataFrame
        Validated trace from 0 to 1800 s (``round(1800 * sample_rate_hz) + 1`` rows).

    References
    ----------
    .. [1] UNECE GTR No. 15 (WLTP), Annex 1 (WLTC class 3b) and Annex 6 (23 °C soak).
    .. [2] J. B. Heywood, *Internal Combustion Engine Fundamentals*, McGraw-Hill (1988),
       Sect. 4.9.

    Examples
    --------
    >>> tr = wltc_drive_cycle(seed=0)
    >>> len(tr), float(tr["time_s"].iloc[-1]), float(tr["O2"].max())
    (1801, 1800.0, 0.2095)
    """
    m = WltcExhaustModel() if model is None else model
    _check_species(hc_species, HYDROCARBONS, "hc_species")
    rate = _check_rate(sample_rate_hz)
    profile = wltc_class3_speed()
    n = round(WLTC_DURATION_S * rate) + 1
    time = np.linspace(0.0, WLTC_DURATION_S, n)
    dt = WLTC_DURATION_S / (n - 1)
    speed = np.interp(time, profile[TIME].to_numpy(), profile["speed_km_h"].to_numpy())
    v = speed / 3.6
    accel = np.gradient(v, time)

    cutoff_raw = (accel <= -m.cutoff_deceleration_m_s2) & (speed >= m.cutoff_min_speed_km_h)
    cutoff = _runs_at_least(cutoff_raw, max(1, round(m.cutoff_min_duration_s / dt)))
    rich = (v * accel >= m.enrichment_specific_power_W_kg) & ~cutoff

    rng = np.random.default_rng(seed)
    lam = (
        1.0
        + m.lambda_amplitude * np.sin(2.0 * np.pi * time / m.lambda_period_s)
        + m.lambda_noise * rng.standard_normal(n)
    )
    lam = np.where(rich, m.enrichment_lambda, lam)
    lam = np.where(cutoff, np.inf, lam)

    r, d = m.cold_hc_rise_s, m.cold_hc_decay_s
    t_peak = r * np.log((r + d) / r)
    shape_peak = (1.0 - np.exp(-t_peak / r)) * np.exp(-t_peak / d)
    cold = m.cold_hc_peak / shape_peak * (1.0 - np.exp(-time / r)) * np.exp(-time / d)
    hc = np.where(cutoff, 0.0, cold + m.warm_hc)

    warm = m.warm_temperature_K + m.temperature_per_speed_K_h_km * _low_pass(
        speed, dt, m.temperature_lag_s
    )
    warmup = 1.0 - np.exp(-time / m.warmup_time_constant_s)
    temperature = m.ambient_temperature_K + (warm - m.ambient_temperature_K) * warmup

    return _assemble(
        time,
        lam,
        h_to_c,
        extra={hc_species: hc},
        state={
            "gas_temperature_K": temperature,
            "pressure_Pa": DEFAULTS["pressure_Pa"] + m.back_pressure_Pa_h2_km2 * speed**2,
            "gas_velocity_m_s": m.idle_gas_velocity_m_s + m.gas_velocity_per_speed * speed,
        },
    )
