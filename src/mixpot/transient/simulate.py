"""Closed-loop transient simulation: element equations + pump-current controller over a trace.

Every pump-controller period (2 ms) the element chemistry and electrodes advance by one
backward-Euler step of the same equations whose zero is the steady state (compiled Newton step
of :func:`mixpot.sensor.kernel.implicit_step`; the vectorised block solver
:func:`mixpot.sensor.solver.solve_element` with ``control="charge"`` as fallback), in closed
loop with the CJ125-like PI controller (:mod:`mixpot.control.pump`); the heater controller
(:mod:`mixpot.control.heater`, every 50 ms, on the measured internal resistance) sets the
heater voltage and the lumped heat balance (:mod:`mixpot.thermal`, explicit Euler over the
heater period: its time constant is ~10 s, 200 times the step) the element temperature. Below
:data:`CHEMISTRY_MIN_TEMPERATURE_K` the electrolyte does not conduct and the cell outputs are
NaN (status "warming up"); the pump loop runs only once the heater is in closed loop, as the
firmware does.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

import mixpot
from mixpot._numerics import solve_monotone
from mixpot.control import (
    HeaterParams,
    HeaterPhase,
    HeaterState,
    PIState,
    PumpControllerParams,
    heater_init,
)
from mixpot.design import Design
from mixpot.electrode import o2_pressure_from_potential
from mixpot.electrolyte import cell_resistance
from mixpot.electronics import sample_adc, ua_voltage
from mixpot.gas.mixture import composition
from mixpot.gas.species import SPECIES
from mixpot.scenarios import read_trace, validate_trace
from mixpot.sensor import kernel
from mixpot.sensor.model import SensorModel, build_model, tracked_fuels, with_exhaust
from mixpot.sensor.solver import ImplicitStep, solve_element
from mixpot.steady import nernst_setpoint, reference_o2_pressure, steady_state
from mixpot.thermal import heat_flows, heater_power, heater_resistance
from mixpot.transient import ticks
from mixpot.transient.heating import HeaterLoop

logger = logging.getLogger(__name__)

UA_ADC_BITS = 10
"""Resolution of the ECU's ADC reading the CJ125 UA output [bit] (10-bit, 5 V: common
engine-control converters; estimate)."""

UA_ADC_NOISE_RMS_V = 1e-3
"""Input-referred noise of the UA reading [V] (estimate: about one LSB of a 10-bit, 5 V ADC)."""

RI_NOISE_RMS_OHM = 0.5
"""Noise of one AC internal-resistance measurement [Ohm] (estimate, 0.2 % of 300 Ohm); the
heater loop averages the measurements of its 50 ms period."""

CHEMISTRY_MIN_TEMPERATURE_K = 600.0
"""Element temperature below which the cell is not simulated [K]: the YSZ resistance exceeds
~100 kOhm (cell constant 567 1/m) and the electrode kinetics are frozen; estimate."""

CHEMISTRY_OFF_TEMPERATURE_K = 580.0
"""The cell stops again below this temperature [K] (20 K hysteresis against chatter)."""

REBUILD_TEMPERATURE_STEP_K = 0.5
"""Temperature change that triggers a rebuild of the element coefficients [K] (estimate: keeps
the Arrhenius rate errors below ~1 %)."""

REBUILD_COMPOSITION_STEP = 2e-3
"""Change of any exhaust mole fraction that updates the transport coefficients of the element
(:func:`mixpot.sensor.model.with_exhaust`, exact and cheaper than a rebuild: the kinetics
depend on temperature and pressure only) [-]. Smaller changes update only the exhaust boundary
values (always exact); the couple products (H2O, CO2) and the mixture
diffusion coefficients then lag by less than about 0.5 % (estimate: Wilke's mixing rule,
O2 in N2/H2O/CO2, changes D by ~1 % per 0.5 %-point of H2O)."""

REBUILD_PRESSURE_STEP = 1e-3
"""Relative pressure change that triggers a rebuild (coefficients scale with 1/p at most)."""


def open_circuit_potential(
    model: SensorModel, x: np.ndarray, electrode: str = "ipe", guess: np.ndarray | None = None
) -> np.ndarray:
    """Zero-current potential of an electrode in the given chamber state [V].

    What a Nernst-voltage reading in a pump-current pause sees: the potential at which the
    electrode's O2-couple and fuel currents cancel (its mixed potential), found by a bracketed
    Newton solve of the monotone net current.

    Parameters
    ----------
    model : SensorModel
        The element equations (P points).
    x : numpy.ndarray
        Mole fractions of O2 and the fuels per cell (1+K, P, N) [-].
    electrode : {"ipe", "me"}
        Inner pump electrode (default) or measuring electrode.
    guess : numpy.ndarray, optional
        A nearby potential (P,) [V], e.g. the previous time step's: the solve starts in a
        50 mV bracket around it and falls back to the full range where that does not
        bracket the zero.

    Returns
    -------
    numpy.ndarray
        Potential vs the reference electrode (P,) [V]; NaN where no zero exists.

    References
    ----------
    .. [1] F. H. Garzon, R. Mukundan, E. L. Brosha, Solid State Ionics 136-137 (2000) 633
       (mixed potential as the zero of the net electrode current).
    """

    def net(e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return model.electrode_current(e, x, electrode)

    n = model.temperature.size
    e = np.full(n, np.nan)
    ok = np.zeros(n, dtype=bool)
    if guess is not None:
        g = np.where(np.isfinite(guess), guess, 0.0)
        e, ok = solve_monotone(net, g - 0.05, g + 0.05, xtol=1e-10)
    if not ok.all():
        wide, wide_ok = solve_monotone(net, np.full(n, -2.0), np.full(n, 1.5), xtol=1e-10)
        e, ok = np.where(ok, e, wide), ok | wide_ok
    return np.where(ok, e, np.nan)


def _trace(trace: str | Path | pd.DataFrame) -> pd.DataFrame:
    if isinstance(trace, pd.DataFrame):
        return validate_trace(trace)
    return read_trace(trace)


def simulate(
    design: Design,
    trace: str | Path | pd.DataFrame,
    *,
    initial: str = "steady",
    seed: int = 0,
    output_rate_hz: float = 100.0,
    progress: bool = False,
) -> xr.Dataset:
    """Simulate the sensor in closed loop over an exhaust trace.

    Parameters
    ----------
    design : Design
        The design (pumped designs only in this version).
    trace : str, pathlib.Path or pandas.DataFrame
        Exhaust trace (CSV, Parquet or MF4 file, or a DataFrame; see
        :mod:`mixpot.scenarios`). The gas is held between samples (zero-order hold).
    initial : {"steady", "cold"}
        ``"steady"`` starts at operating temperature in the steady state of the first sample
        (heater loop settled); ``"cold"`` starts the element at the gas temperature with the
        heater controller in its condensation phase.
    seed : int
        Seed of the electronics noise (ADC of the UA output, internal-resistance measurement):
        the same seed gives the same run. The pump loop itself is analogue, as in the CJ125.
    output_rate_hz : float
        Rate of the returned samples [Hz], decimated from the 500 Hz loop by a whole number
        of ticks (the rate actually used is in ``attrs["output_rate_hz"]``); the last tick is
        always recorded. The pump current recorded at t is the one applied up to t.
    progress : bool
        Show a Rich progress bar on the terminal (opt-in; off in library use).

    Returns
    -------
    xarray.Dataset
        Coordinate ``time`` [s]; ``pump_current_A``, ``measuring_voltage_V``,
        ``nernst_voltage_V`` (as the loop reads it), ``UA_V`` (CJ125 output, v = 8, as the ECU's
        10-bit ADC reads it, with ``UA_saturated``), ``internal_resistance_ohm`` (measured),
        ``element_temperature_K``, ``heater_power_W``, ``heater_phase``,
        ``chamber_<species>`` at the measuring electrode and the exhaust inputs; units in the
        variables' attributes, the design and options in the dataset attributes;
        ``attrs["status"]`` is "complete" or says where and why a run stopped (the samples up
        to there are kept).

    Raises
    ------
    ValueError
        For an unpumped design, an unknown ``initial`` or a bad output rate.

    References
    ----------
    .. [1] Bosch CJ125 product information (UA formula); rusEFI / mck1117 wideband firmware
       (pump loop); US 6,890,422 B1.
    """
    if not design.pumped:
        raise ValueError(f"design {design.name!r} has no pump cell; simulate needs a pumped design")
    if initial not in ("steady", "cold"):
        raise ValueError(f"initial = {initial!r} is not one of 'steady', 'cold'")
    if not output_rate_hz > 0:
        raise ValueError(f"output_rate_hz = {output_rate_hz} Hz must be > 0")
    df = _trace(trace)
    params = PumpControllerParams.from_design(design)
    dt = 1.0 / params.loop_Hz
    t0, t_end = float(df["time_s"].iloc[0]), float(df["time_s"].iloc[-1])
    n_ticks = round((t_end - t0) / dt) + 1
    every = max(1, round(params.loop_Hz / output_rate_hz))
    sample_times = df["time_s"].to_numpy()
    if sample_times.size > 1 and np.min(np.diff(sample_times)) < dt:
        warnings.warn(
            f"trace samples closer than the loop period {dt * 1e3:g} ms are merged (zero-order "
            "hold at the loop ticks)",
            stacklevel=2,
        )
    cell_constant = design.nernst_cell_constant_per_m
    heater_params = HeaterParams(
        target_ri_ohm=float(cell_resistance(cell_constant, design.operation.temperature_K))
    )
    heater_every = max(1, round(heater_params.sample_time_s / dt))
    p_ref = reference_o2_pressure(design)
    e_set = -nernst_setpoint(design)
    reading = design.operation.nernst_measurement
    species_cols = [s for s in SPECIES if s != "N2" and s in df.columns]
    # every fuel of the trace is tracked throughout, so that one leaving the exhaust still
    # leaves the chamber by transport and reaction
    fuels = tracked_fuels(design, (s for s in species_cols if bool((df[s] > 0).any())))
    rng_ri, rng_ua = (np.random.default_rng(q) for q in np.random.SeedSequence(seed).spawn(2))
    cols = {c: df[c].to_numpy(dtype=float) for c in df.columns}
    # the heater loop sees the mean of the AC measurements of its period (one per loop tick);
    # one draw per heater period, in period order
    n_periods = (n_ticks - 1) // heater_every + 1
    ri_noise = RI_NOISE_RMS_OHM / np.sqrt(heater_every) * rng_ri.standard_normal(n_periods)

    def gas_at(row: int) -> dict[str, float]:
        return {s: float(cols[s][row]) for s in species_cols}

    def model_at(row: int, temperature: float) -> SensorModel:
        p = np.array([float(cols["pressure_Pa"][row])])
        t = np.array([temperature])
        x_set = o2_pressure_from_potential(e_set, t, p_ref) / p
        flat = composition({k: np.array([v]) for k, v in gas_at(row).items()})
        return build_model(
            design, flat, t, p, np.array([p_ref]), np.minimum(x_set, 1.0), fuels=fuels
        )

    composition_cols = [cols[s] for s in species_cols]
    exhaust_tracked = np.array([cols[s] for s in ("O2", *fuels)])  # (1+K, rows)

    def composition_moved(new: int, built: int) -> bool:
        """Whether the exhaust composition moved enough to update the transport coefficients."""
        dx = max((abs(c[new] - c[built]) for c in composition_cols), default=0.0)
        return bool(dx > REBUILD_COMPOSITION_STEP)

    def pressure_moved(new: int, built: int) -> bool:
        """Whether the pressure moved enough to rebuild the coefficients."""
        p_new, p_old = cols["pressure_Pa"][new], cols["pressure_Pa"][built]
        return bool(abs(p_new - p_old) > REBUILD_PRESSURE_STEP * p_old)

    gas_t0 = float(df["gas_temperature_K"].iloc[0])
    if initial == "steady":
        temperature = design.operation.temperature_K
        first = steady_state(design, gas_at(0), None, float(df["pressure_Pa"].iloc[0]))
        if not bool(first.converged):
            raise ValueError(f"no steady state at the first sample: {first.reason}")
        prof = first.profiles
        model = model_at(0, temperature)
        x = _embed(prof["x"], prof["species"], ("O2", *fuels))
        e_ipe, e_me = prof["e_ipe"].copy(), prof["e_me"].copy()
        pump_current = np.atleast_1d(first.pump_current_A).astype(float)
        heater_state = _settled_heater(heater_params, temperature, gas_t0, df)
        chemistry = True
    else:
        temperature = gas_t0
        model = model_at(0, max(temperature, CHEMISTRY_MIN_TEMPERATURE_K))
        x = e_ipe = e_me = None
        pump_current = np.zeros(1)
        heater_state = heater_init(1)
        chemistry = False
    pi = params.pi_params()
    controller = (
        params.setpoint_V,
        pi.kp,
        pi.ki * pi.sample_time_s,
        pi.integrator_clamp,
        pi.output_min,
        pi.output_max,
        pi.conditional_integration,
    )
    point, cache = kernel.pack(model), kernel.StepCache()
    state = (
        ticks.LoopState(
            x[:, 0],
            float(e_ipe[0]),
            float(e_me[0]),
            np.nan,
            float(pump_current[0]),
            float(pump_current[0]),
            False,
        )
        if chemistry
        else None
    )
    built_at, built_row, exhaust_row, row = temperature, 0, 0, 0
    v_eff = float(heater_state.v_eff_V[0])
    r_i, power = np.nan, float(heater_power(v_eff, temperature))
    heater = HeaterLoop.start(heater_params, heater_state, cell_constant, heater_every * dt)
    phase = int(heater.phase[0])
    gas_temperatures, gas_velocities, pressures = (
        cols[c] for c in ("gas_temperature_K", "gas_velocity_m_s", "pressure_Pa")
    )
    tick_rows = np.searchsorted(sample_times, t0 + (np.arange(n_ticks) + 1e-9) * dt, "right") - 1
    row_changes = np.flatnonzero(np.diff(tick_rows)) + 1
    n_out = (n_ticks - 1) // every + 1 + (1 if (n_ticks - 1) % every else 0)
    records = _Recorder(n_out, ("O2", *fuels))
    status, n, temperature_next = "complete", 0, temperature
    with _progress_bar(progress, n_ticks) as bar:
        while n < n_ticks:
            try:
                new_row = int(tick_rows[n])
                if n % heater_every == 0:
                    # heater period: R_i (mean of the period's AC measurements), heater loop,
                    # heater power and the lumped heat balance over the period (compiled)
                    r_i, v_eff, power, temperature_next = heater.step(
                        temperature,
                        float(ri_noise[n // heater_every]),
                        float(gas_temperatures[new_row]),
                        float(gas_velocities[new_row]),
                        float(pressures[new_row]),
                    )
                    phase = int(heater.phase[0])
                # the cell is simulated from the moment the heater loop closes (the firmware
                # then starts the pump loop and the signals become valid) while the
                # electrolyte conducts; hysteresis against chatter
                closed = phase == HeaterPhase.CLOSED_LOOP
                if state is None and closed and temperature >= CHEMISTRY_MIN_TEMPERATURE_K:
                    model = model_at(new_row, temperature)
                    point, cache = kernel.pack(model), kernel.StepCache()
                    x, e_ipe, e_me, pump_current = _warm_start(
                        design, model, gas_at(new_row), temperature, df, new_row, fuels
                    )
                    current = float(pump_current[0])
                    state = ticks.LoopState(
                        x[:, 0], float(e_ipe[0]), float(e_me[0]), np.nan, current, current, False
                    )
                    built_at, built_row, exhaust_row = temperature, new_row, new_row
                elif state is not None and temperature < CHEMISTRY_OFF_TEMPERATURE_K:
                    state = None
                if state is not None:
                    moved = abs(temperature - built_at) > REBUILD_TEMPERATURE_STEP_K
                    if moved or (new_row != row and pressure_moved(new_row, built_row)):
                        model, built_at = model_at(new_row, temperature), temperature
                        built_row, exhaust_row = new_row, new_row
                        point = kernel.pack(model)  # the Jacobian factors stay a good chord
                    elif new_row != row and composition_moved(new_row, exhaust_row):
                        # the same temperature and pressure: only the transport coefficients
                        # and boundary values change (exactly build_model for this exhaust)
                        flat = composition({k: np.array([v]) for k, v in gas_at(new_row).items()})
                        model, exhaust_row = with_exhaust(model, flat), new_row
                        point = kernel.pack(model)
                    elif new_row != row:
                        # small change of the exhaust: new boundary values, same coefficients
                        x_new = exhaust_tracked[:, new_row].copy()
                        model = replace(model, x_exhaust=x_new[:, None])
                        point = replace(point, exhaust=x_new)
                row = new_row
                base = (t0, dt, every, r_i, temperature, power, v_eff, phase, row)
                if n == n_ticks - 1:  # the last tick is always recorded
                    if state is not None:
                        state.reading = _reading(model, point, state, reading)
                    records.write(n_out - 1, n, base, state, model)
                    break
                # the ticks up to the next event run in one compiled call
                k = int(np.searchsorted(row_changes, n, side="right"))
                stop = min(
                    (n // heater_every + 1) * heater_every,
                    int(row_changes[k]) if k < row_changes.size else n_ticks - 1,
                    n_ticks - 1,
                )
                if state is None:
                    records.fill(n, stop, base)
                    n_next = stop
                else:
                    done, code = ticks.run(
                        point,
                        cache,
                        state,
                        records.compiled,
                        n_start=n,
                        n_stop=stop,
                        every=every,
                        dt=dt,
                        reading=reading,
                        enabled=closed,
                        controller=controller,
                    )
                    # the ticks done are recorded (a failed step's tick too: its reading and
                    # record came before the step; a failed reading's tick has no record)
                    recorded = done if code == ticks.TICK_FAILED_READING else min(done + 1, stop)
                    records.fill(n, recorded, base)
                    if code == ticks.TICK_FAILED_READING:
                        n = done  # the failing tick, for the status message
                        raise ValueError("the Nernst reading has no value (no zero current)")
                    n_next = done
                    if code == ticks.TICK_FAILED_STEP:
                        # sub-steps take this step (compiled, then the block solver)
                        n = done  # the tick concerned, for a status message if it fails too
                        state.x, state.e_ipe, state.e_me = _advance(
                            model, point, state, e_set, dt, t0 + done * dt
                        )
                        n_next = done + 1
                if n_next % heater_every == 0:
                    temperature = temperature_next
                n = n_next
            except (RuntimeError, ValueError) as exc:
                # keep what was simulated: a long run is not lost to one failing step
                status = f"stopped at t = {t0 + n * dt:.4f} s: {exc}"
                logger.warning("simulate %s", status)
                break
            if bar is not None:
                bar.update(bar.task_ids[0], completed=n)
    frame = _finish_frame(records.frame(), df, rng_ua)
    ds = _dataset(frame, design, seed, params.loop_Hz / every, ("O2", *fuels))
    ds.attrs["status"] = status
    iterations, jacobians = (int(v) for v in cache.stats)
    logger.debug(
        "simulate: %d compiled Newton iterations, %d Jacobians (since the last cache reset)",
        iterations,
        jacobians,
    )
    ds.attrs["requested_output_rate_hz"] = output_rate_hz
    return ds


@contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[Any]:
    """Yield a Rich progress bar (stopped also when the run fails), or None when not wanted."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress

    with Progress() as bar:
        bar.add_task("simulate", total=total)
        yield bar


def _reading(
    model: SensorModel, point: kernel.PointModel, state: ticks.LoopState, reading: str
) -> float:
    """Nernst voltage as the loop reads it (``operation.nernst_measurement``)."""
    if reading == "measuring-electrode":
        return -state.e_me
    if reading == "under-current":
        return -state.e_ipe
    guess = -state.reading if np.isfinite(state.reading) else 0.0
    e = kernel.open_circuit_potential(point, state.x, "ipe", guess)
    if np.isfinite(e):
        return -e
    return float(-open_circuit_potential(model, state.x[:, None], guess=np.array([guess]))[0])


def _advance(
    model: SensorModel,
    point: kernel.PointModel,
    state: ticks.LoopState,
    e_set: float,
    dt: float,
    t: float,
) -> tuple[np.ndarray, float, float]:
    """One backward-Euler step of the loop period that the compiled tick did not converge.

    The same compiled step cut into 4, 16, 64 and 256 equal sub-steps (a jump of the exhaust,
    e.g. lean to rich, can take Newton's start too far from the step's solution; shorter steps
    bring it back into Newton's convergence region), then the block solver with 1, 4 and 16
    sub-steps. Returns the mole fractions (1+K, N) and both potentials at the end of the step.
    """
    for parts in (4, 16, 64, 256):
        x, e_ipe, e_me, ok = state.x, state.e_ipe, state.e_me, True
        cache = kernel.StepCache()  # one Jacobian reused across the sub-steps of a cut
        for _ in range(parts):
            x, e_ipe, e_me, ok = kernel.implicit_step(
                point, x, e_ipe, e_me, state.pump_current, dt / parts, cache
            )
            if not ok:
                break
        if ok:
            return x, e_ipe, e_me
    current = np.array([state.pump_current])
    for parts in (1, 4, 16):
        xs, ei, em, ok = state.x[:, None], np.array([state.e_ipe]), np.array([state.e_me]), True
        for _ in range(parts):
            step = ImplicitStep(dt / parts, xs, ei, em, current)
            sol = solve_element(model, np.array([e_set]), "charge", step, max_iter=100, tol=1e-7)
            if not bool(sol["converged"][0]):
                ok = False
                break
            xs, ei, em = sol["x"], sol["e_ipe"], sol["e_me"]
        if ok:
            return xs[:, 0], float(ei[0]), float(em[0])
    raise RuntimeError(f"implicit step at t = {t:.4f} s failed: {sol['reason'][0]}")


def _warm_start(
    design: Design,
    model: SensorModel,
    gas: dict[str, float],
    temperature: float,
    df: pd.DataFrame,
    row: int,
    fuels: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """State when the pump loop starts after warm-up.

    The chamber starts in the steady state of the gas at that moment (the pump loop pulls it
    there within tens of milliseconds, while the signals are still flagged as warming up);
    where no steady state exists, full of exhaust with both electrodes at their open-circuit
    potentials and no pump current.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = steady_state(design, gas, temperature, float(df["pressure_Pa"].iloc[row]))
    if bool(r.converged):
        prof = r.profiles
        x = _embed(prof["x"], prof["species"], ("O2", *fuels))
        current = np.atleast_1d(r.pump_current_A).astype(float)
        return x, prof["e_ipe"].copy(), prof["e_me"].copy(), current
    x = np.repeat(model.x_exhaust[:, :, None], model.grid.n_cells, axis=2)
    x[0] = np.maximum(x[0], 1e-12)
    e_ipe = open_circuit_potential(model, x)
    return x, e_ipe, open_circuit_potential(model, x, "me"), np.zeros(1)


def _settled_heater(
    params: HeaterParams, temperature: float, gas_t: float, df: pd.DataFrame
) -> HeaterState:
    """Heater controller in closed loop holding ``temperature`` (bumpless start)."""
    losses = heat_flows(
        temperature,
        gas_t,
        float(df["gas_velocity_m_s"].iloc[0]),
        pressure_Pa=float(df["pressure_Pa"].iloc[0]),
    ).total_W
    v = float(np.sqrt(max(float(losses), 0.0) * float(heater_resistance(temperature))))
    low = max(0.0, params.feedforward_V - params.integrator_clamp_V)
    high = min(params.v_eff_max_V, params.feedforward_V + params.integrator_clamp_V)
    if not low <= v <= high:
        warnings.warn(
            f"the heater needs {v:.2f} V to hold {temperature:.1f} K in this exhaust, outside "
            f"its closed-loop range [{low:.2f}, {high:.2f}] V: the start is not steady",
            stacklevel=3,
        )
        v = min(max(v, low), high)
    correction = np.array([v - params.feedforward_V])
    return HeaterState(
        phase=np.array([HeaterPhase.CLOSED_LOOP], dtype=np.int8),
        steps_in_phase=np.zeros(1, dtype=np.int64),
        v_eff_V=np.array([v]),
        pi=PIState(correction, correction.copy(), np.zeros(1, dtype=bool)),
    )


def _embed(x: np.ndarray, old: tuple[str, ...], new: tuple[str, ...]) -> np.ndarray:
    out = np.zeros((len(new), *x.shape[1:]))
    for i, s in enumerate(new):
        if s in old:
            out[i] = x[old.index(s)]
    return out


def _finish_frame(frame: pd.DataFrame, df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add what is vectorised over the whole run: the ECU's UA reading and the exhaust inputs.

    The UA output of the recorded pump current goes through the 10-bit ADC with its noise
    (drawn in sample order from ``rng``, so a seed reproduces the run); the exhaust columns are
    the trace rows held at each sample (zero-order hold).
    """
    ua = ua_voltage(frame["pump_current_A"].to_numpy()).value
    adc = sample_adc(ua, rng, noise_rms_V=UA_ADC_NOISE_RMS_V, bits=UA_ADC_BITS)
    rows = frame.pop("trace_row").to_numpy().astype(int)
    extra = {"UA_V": adc.voltage_V, "UA_saturated": adc.saturated}
    for col in df.columns:
        if col != "time_s":
            extra[f"exhaust_{col}"] = df[col].to_numpy(dtype=float)[rows]
    return frame.assign(**extra)


class _Recorder:
    """Output samples in preallocated arrays: memory fixed by the number of samples.

    Chemistry columns are written by the compiled loop (:class:`mixpot.transient.ticks.Records`
    in ``compiled``), the others per run of ticks by :meth:`fill`.
    """

    SCALARS = (
        "time",
        "internal_resistance_ohm",
        "element_temperature_K",
        "heater_power_W",
        "heater_voltage_V",
        "heater_phase",
        "trace_row",
    )

    def __init__(self, size: int, tracked: tuple[str, ...]) -> None:
        self.size, self.tracked = size, tracked
        self.columns = {k: np.full(size, np.nan) for k in self.SCALARS}
        self.compiled = ticks.Records(
            np.full(size, np.nan),
            np.full(size, np.nan),
            np.full(size, np.nan),
            np.full((len(tracked), size), np.nan),
        )

    def fill(self, n_start: int, n_stop: int, base: tuple[Any, ...]) -> None:
        """Write the non-chemistry columns of the recorded ticks in ``[n_start, n_stop)``."""
        t0, dt, every, r_i, temperature, power, v_eff, phase, row = base
        first, last = -(-n_start // every), (n_stop - 1) // every
        if last < first:
            return
        k = np.arange(first, last + 1)
        values = (t0 + k * every * dt, r_i, temperature, power, v_eff, phase, row)
        for name, value in zip(self.SCALARS, values, strict=True):
            self.columns[name][first : last + 1] = value

    def write(
        self,
        index: int,
        n: int,
        base: tuple[Any, ...],
        state: ticks.LoopState | None,
        model: SensorModel,
    ) -> None:
        """Write every column of one sample (the last tick) from the Python side."""
        t0, dt, _, r_i, temperature, power, v_eff, phase, row = base
        values = (t0 + n * dt, r_i, temperature, power, v_eff, phase, row)
        for name, value in zip(self.SCALARS, values, strict=True):
            self.columns[name][index] = value
        if state is not None:
            rec = self.compiled
            area = model.grid.electrode_area
            rec.pump_current[index] = state.pump_current
            rec.measuring_voltage[index] = state.e_me
            rec.reading[index] = state.reading
            rec.chamber[:, index] = state.x @ area / area.sum()

    def frame(self) -> pd.DataFrame:
        """Return the recorded samples (those written so far) as a DataFrame indexed by time."""
        rec = self.compiled
        data = dict(self.columns)
        data["pump_current_A"] = np.where(np.isnan(rec.pump_current), 0.0, rec.pump_current)
        data["measuring_voltage_V"] = rec.measuring_voltage
        data["nernst_voltage_V"] = rec.reading
        for i, s in enumerate(self.tracked):
            data[f"chamber_{s}"] = rec.chamber[i]
        written = ~np.isnan(self.columns["time"])
        frame = pd.DataFrame({k: v[written] for k, v in data.items()})
        return frame.set_index("time")


def _dataset(
    frame: pd.DataFrame,
    design: Design,
    seed: int,
    output_rate_hz: float,
    tracked: tuple[str, ...],
) -> xr.Dataset:
    ds = xr.Dataset.from_dataframe(frame)
    ds["heater_phase"] = ds["heater_phase"].astype(np.int8)
    ds["UA_saturated"] = ds["UA_saturated"].astype(bool)
    units = {
        "pump_current_A": "A",
        "measuring_voltage_V": "V",
        "nernst_voltage_V": "V",
        "UA_V": "V",
        "internal_resistance_ohm": "ohm",
        "element_temperature_K": "K",
        "heater_power_W": "W",
        "heater_voltage_V": "V",
        "heater_phase": "1",
        "UA_saturated": "1",
    }
    for name in ds.data_vars:
        ds[name].attrs["units"] = units.get(
            name, "1" if "exhaust_" in name or "chamber_" in name else ""
        )
    ds["time"].attrs["units"] = "s"
    ds.attrs.update(
        {
            "title": "mixpot transient simulation",
            "mixpot_version": mixpot.__version__,
            "design": design.model_dump_json(),
            "seed": seed,
            "output_rate_hz": output_rate_hz,
            "tracked_species": ",".join(tracked),
            "heater_phases": "0 condensation, 1 ramp, 2 closed loop, 3 fault",
        }
    )
    return ds


def response_time(signal: xr.DataArray, t_step: float) -> float:
    """t10-90 of a step response: time between 10 % and 90 % of the change after ``t_step``.

    Parameters
    ----------
    signal : xarray.DataArray
        Signal with coordinate ``time`` [s].
    t_step : float
        Time of the input step [s].

    Returns
    -------
    float
        t90 - t10 [s] (linear interpolation between samples); NaN if the signal does not
        change.

    References
    ----------
    .. [1] Bosch LSU 4.9 TPI: response times specified as 10-90 % of the step.

    Examples
    --------
    >>> t = np.linspace(0.0, 20.0, 20001)
    >>> sig = xr.DataArray(1 - np.exp(-t), coords={"time": t}, dims="time")
    >>> round(response_time(sig, 0.0), 3)  # first order: tau ln 9
    2.197
    """
    time = signal["time"].to_numpy()
    values = signal.to_numpy()
    before = values[time <= t_step][-1]
    after = values[-1]
    change = after - before
    if change == 0.0 or not np.isfinite(change):
        return float("nan")
    frac = (values[time >= t_step] - before) / change
    tt = time[time >= t_step]

    def crossing(level: float) -> float:
        i = int(np.argmax(frac >= level))
        if i == 0:
            return float(tt[0])
        return float(np.interp(level, frac[i - 1 : i + 1], tt[i - 1 : i + 1]))

    return crossing(0.9) - crossing(0.1)
