"""Calibration bench: stationary gas steps over oxidizable gas, exhaust lambda and temperature.

A sensor bench sets a gas, waits until the signals settle and averages them. On the simulator
the settled value of a stationary step *is* the steady state (tested: the transient settles
onto :func:`mixpot.steady_state` within 0.5 mV and 0.5 %), so :func:`run_bench` evaluates the
steady state on the protocol's grid and adds the seeded noise of an averaged bench reading.
A measured bench comes in through :func:`bench_from_table`.

The bench gas of each exhaust step is the wet exhaust of the design's fuel burned at a lambda
(:func:`mixpot.gas.combustion_exhaust`: O2 when lean, CO and H2 when rich), plus the oxidizable
gas of the step. The exhaust axis of the bench is the oxygen excess of that exhaust
(:func:`mixpot.gas.o2_excess`): its O2 fraction when lean, its negative O2 deficit when rich,
one coordinate through lambda = 1 on which the pump current rises monotonically.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mixpot.design import Design
from mixpot.gas import combustion_exhaust, lambda_from_o2_excess, o2_excess
from mixpot.gas.species import OXIDIZABLE
from mixpot.steady import steady_state

__all__ = ["BENCH_SIGNALS", "BenchProtocol", "bench_from_table", "run_bench", "run_validation"]

BENCH_SIGNALS = ("measuring_voltage_V", "pump_current_A", "internal_resistance_ohm")
"""Raw signals a bench records at every step."""

BENCH_MAX_ITER = 3000
"""Iteration limit of the bench's steady states: a bench waits until every step settles, and
the block solver needs up to about 1500 iterations where an oxidizable gas and the O2 nearly
cancel (e.g. 750 ppm propene in 0.2 % O2 on Pt electrodes); converged points stop early."""


class BenchProtocol(BaseModel):
    """The stationary steps of a calibration bench (defaults: the built-in protocol).

    The grid is dense where the characteristic bends (low oxidizable gas, near lambda 1) so
    that the calibration map can be interpolated linearly; 16 x (12 rich + 16 lean) x 7 =
    3136 steps, from rich exhaust at lambda 0.65 through lambda 1 to air.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    hc_species: str = Field("C3H6", description="oxidizable gas of the bench (reading unit)")
    hc_ppm: tuple[float, ...] = Field(
        (0, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 2500),
        description="oxidizable gas levels [ppm], ascending, starting at 0",
    )
    rich_lambda: tuple[float, ...] = Field(
        (0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998),
        description="rich exhaust levels [lambda], ascending in [0.6, 1); () for lean only",
    )
    o2_percent: tuple[float, ...] = Field(
        (0.1, 0.2, 0.3, 0.5, 1, 2, 3, 4.5, 6, 8, 10, 12, 14, 16, 18, 20.95),
        description="lean exhaust O2 levels [%], ascending",
    )
    temperature_offsets_K: tuple[float, ...] = Field(
        (-45, -30, -15, 0, 15, 30, 45),
        description="element temperature relative to the design's operating temperature [K]",
    )
    pressure_Pa: float = Field(101325.0, gt=0.0, le=1e6)
    measuring_voltage_noise_V: float = Field(
        1e-4,
        ge=0.0,
        le=0.01,
        description="rms noise of an averaged bench reading of the measuring voltage [V] "
        "(estimate: 1 mV sample noise averaged over 100 samples)",
    )
    pump_current_noise_A: float = Field(
        2e-7,
        ge=0.0,
        le=1e-4,
        description="rms noise of an averaged pump-current reading [A] (estimate: 1 mV UA "
        "noise / (8 x 61.9 Ohm) averaged over 100 samples)",
    )
    internal_resistance_noise_ohm: float = Field(
        0.05, ge=0.0, le=10.0, description="rms noise of an averaged R_i reading [Ohm]"
    )

    @field_validator("hc_species")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in OXIDIZABLE:
            raise ValueError(f"hc_species = {value!r} is not one of {', '.join(OXIDIZABLE)}")
        return value

    @field_validator("hc_ppm", "o2_percent", "temperature_offsets_K")
    @classmethod
    def _ascending(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if len(value) < 2 or np.any(np.diff(value) <= 0):
            raise ValueError(f"levels {value} must be at least two, strictly ascending")
        return value

    @field_validator("rich_lambda")
    @classmethod
    def _rich(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if value and (np.any(np.diff(value) <= 0) or value[0] < 0.6 or value[-1] >= 1.0):
            raise ValueError(f"rich_lambda = {value} must be strictly ascending in [0.6, 1)")
        return value

    def o2_excess_levels(self, h_to_c: float) -> np.ndarray:
        """Exhaust axis of the bench: oxygen excess of the rich steps, then the lean O2 [-]."""
        rich = o2_excess(combustion_exhaust(np.asarray(self.rich_lambda, float), h_to_c))
        return np.concatenate([rich, np.asarray(self.o2_percent) * 1e-2])

    @field_validator("hc_ppm")
    @classmethod
    def _hc_range(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if value[0] != 0.0 or value[-1] > 1e5:
            raise ValueError(f"hc_ppm = {value} must start at 0 and stay <= 1e5 ppm")
        return value

    @field_validator("o2_percent")
    @classmethod
    def _o2_range(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if value[0] <= 0.0 or value[-1] > 20.95:
            raise ValueError(f"o2_percent = {value} must lie in (0, 20.95] %")
        return value


def run_bench(design: Design, protocol: BenchProtocol | None = None, seed: int = 0) -> xr.Dataset:
    """Run the bench protocol on the simulator.

    Parameters
    ----------
    design : Design
        The sensor design.
    protocol : BenchProtocol, optional
        The steps; default the built-in protocol.
    seed : int
        Seed of the reading noise (the same seed gives the same bench).

    Returns
    -------
    xarray.Dataset
        Dimensions ``hc_ppm``, ``o2_excess`` (of the exhaust without the bench's oxidizable gas,
        :func:`mixpot.gas.o2_excess`), ``temperature_offset_K``; the raw signals of
        :data:`BENCH_SIGNALS` (with noise), the element temperature and ``converged``.
    """
    pr = BenchProtocol() if protocol is None else protocol
    h_to_c = design.operation.fuel_h_to_c
    c = np.asarray(pr.hc_ppm) * 1e-6
    o2 = pr.o2_excess_levels(h_to_c)
    dt = np.asarray(pr.temperature_offsets_K, dtype=float)
    cc, oo, tt = np.meshgrid(c, o2, dt, indexing="ij")
    gas = _bench_gas(oo.ravel(), cc.ravel(), pr.hc_species, h_to_c)
    temperature = design.operation.temperature_K + tt.ravel()
    r = steady_state(design, gas, temperature, pr.pressure_Pa, max_iter=BENCH_MAX_ITER)
    rng = np.random.default_rng(seed)
    noise = {
        "measuring_voltage_V": pr.measuring_voltage_noise_V,
        "pump_current_A": pr.pump_current_noise_A,
        "internal_resistance_ohm": pr.internal_resistance_noise_ohm,
    }
    data = {}
    for name in BENCH_SIGNALS:
        value = np.asarray(getattr(r, name), dtype=float)
        value = value + noise[name] * rng.standard_normal(value.shape)
        data[name] = (("hc_ppm", "o2_excess", "temperature_offset_K"), value.reshape(cc.shape))
    data["element_temperature_K"] = (
        ("hc_ppm", "o2_excess", "temperature_offset_K"),
        temperature.reshape(cc.shape),
    )
    data["converged"] = (
        ("hc_ppm", "o2_excess", "temperature_offset_K"),
        np.asarray(r.converged).reshape(cc.shape),
    )
    ds = xr.Dataset(
        data,
        coords={
            "hc_ppm": np.asarray(pr.hc_ppm, dtype=float),
            "o2_excess": o2,
            "temperature_offset_K": dt,
        },
    )
    ds.attrs.update(
        {
            "design": design.name,
            "hc_species": pr.hc_species,
            "fuel_h_to_c": h_to_c,
            "seed": seed,
            "protocol": pr.model_dump_json(),
            "source": "simulator (mixpot.steady_state + reading noise)",
        }
    )
    return ds


def _bench_gas(
    excess: np.ndarray, c: np.ndarray, species: str, h_to_c: float
) -> dict[str, np.ndarray]:
    """Exhaust of the design's fuel at each oxygen excess, plus the bench's oxidizable gas."""
    gas = combustion_exhaust(lambda_from_o2_excess(excess, h_to_c), h_to_c).as_dict()
    gas = {k: v for k, v in gas.items() if k != "N2" and np.any(v > 0)}
    gas[species] = gas.get(species, 0.0) + c
    return gas


def bench_from_table(
    table: pd.DataFrame, design_name: str, hc_species: str = "C3H6", fuel_h_to_c: float = 1.85
) -> xr.Dataset:
    """Arrange a measured bench (one row per settled step) on the calibration grid.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``hc_ppm``, ``o2_excess`` and ``temperature_offset_K`` (the set gas and the
        temperature level of the step) and the signals of :data:`BENCH_SIGNALS`; every
        combination of the levels exactly once. A lean-only bench may give ``o2_fraction``
        instead of ``o2_excess`` (the same number for an exhaust without CO and H2).
    design_name : str
        Name recorded in the calibration.
    hc_species : str
        The bench's oxidizable gas.
    fuel_h_to_c : float
        H/C of the fuel whose lambda the O2 reading is converted to [-].

    Returns
    -------
    xarray.Dataset
        As :func:`run_bench`.

    Raises
    ------
    ValueError
        For a missing column, an incomplete grid, gas levels that do not start at 0, exhaust
        levels outside lambda 0.6 to air or an unknown species (the rules of
        :class:`BenchProtocol`).
    """
    if "o2_excess" not in table.columns and "o2_fraction" in table.columns:
        table = table.rename(columns={"o2_fraction": "o2_excess"})
    keys = ["hc_ppm", "o2_excess", "temperature_offset_K"]
    missing = [c for c in (*keys, *BENCH_SIGNALS) if c not in table.columns]
    if missing:
        raise ValueError(f"bench table lacks column(s) {', '.join(missing)}")
    if table.duplicated(keys).any():
        raise ValueError("bench table holds a step (hc_ppm, o2_excess, temperature) twice")
    levels = np.unique(table["o2_excess"])
    BenchProtocol(
        hc_species=hc_species,
        hc_ppm=tuple(np.unique(table["hc_ppm"])),
        rich_lambda=tuple(lambda_from_o2_excess(levels[levels < 0], fuel_h_to_c)),
        o2_percent=tuple(levels[levels >= 0] * 100.0),
        temperature_offsets_K=tuple(np.unique(table["temperature_offset_K"])),
    )  # validates the levels
    ds = table.set_index(keys)[list(BENCH_SIGNALS)].to_xarray()
    holes = int(sum(int(ds[s].isnull().sum()) for s in BENCH_SIGNALS))
    if holes:
        raise ValueError(f"bench table does not fill its grid: {holes} signal values missing")
    ds["converged"] = xr.ones_like(ds["measuring_voltage_V"], dtype=bool)
    ds.attrs.update(
        {
            "design": design_name,
            "hc_species": hc_species,
            "fuel_h_to_c": fuel_h_to_c,
            "source": "measured bench table",
        }
    )
    return ds


def run_validation(
    design: Design,
    protocol: BenchProtocol | None = None,
    seed: int = 1,
    points: int = 300,
    temperature_span_K: float = 30.0,
) -> xr.Dataset:
    """Random stationary points inside the protocol's range, off its grid (for uncertainty).

    Oxidizable gas log-uniform between the second and the last-but-one level (the last with
    only two levels; one point in ten without gas), exhaust oxygen excess uniform between the
    second and the last-but-one level, element
    temperature uniform within ``temperature_span_K`` of the operating temperature (and within
    the protocol's levels); the same
    reading noise as the bench.

    Parameters
    ----------
    design : Design
        The sensor design.
    protocol : BenchProtocol, optional
        Range and noise; default the built-in protocol.
    seed : int
        Seed of the points and the noise.
    points : int
        Number of points.
    temperature_span_K : float
        Half-width of the temperature range [K], within the protocol's temperature levels.

    Returns
    -------
    xarray.Dataset
        Dimension ``point``: true ``hc_ppm``, ``o2_excess``, ``temperature_offset_K``, the raw
        signals and ``converged``.
    """
    pr = BenchProtocol() if protocol is None else protocol
    rng = np.random.default_rng(seed)
    lo, hi = np.log(pr.hc_ppm[1]), np.log(pr.hc_ppm[-2] if len(pr.hc_ppm) > 2 else pr.hc_ppm[-1])
    c = np.exp(rng.uniform(lo, hi, points)) * (rng.uniform(size=points) > 0.1)
    h_to_c = design.operation.fuel_h_to_c
    axis = pr.o2_excess_levels(h_to_c)
    o2 = rng.uniform(axis[1], axis[-2], points)
    t_levels = pr.temperature_offsets_K
    span = (max(-temperature_span_K, t_levels[0]), min(temperature_span_K, t_levels[-1]))
    offset = rng.uniform(span[0], span[1], points)
    gas = _bench_gas(o2, c * 1e-6, pr.hc_species, h_to_c)
    r = steady_state(
        design,
        gas,
        design.operation.temperature_K + offset,
        pr.pressure_Pa,
        max_iter=BENCH_MAX_ITER,
    )
    noise = {
        "measuring_voltage_V": pr.measuring_voltage_noise_V,
        "pump_current_A": pr.pump_current_noise_A,
        "internal_resistance_ohm": pr.internal_resistance_noise_ohm,
    }
    data = {
        name: ("point", np.asarray(getattr(r, name)) + noise[name] * rng.standard_normal(points))
        for name in BENCH_SIGNALS
    }
    data.update(
        {
            "hc_ppm": ("point", c),
            "o2_excess": ("point", o2),
            "temperature_offset_K": ("point", offset),
            "converged": ("point", np.asarray(r.converged)),
        }
    )
    return xr.Dataset(data).where(xr.DataArray(np.asarray(r.converged), dims="point"), drop=True)
