"""Calibration: characteristic maps from a bench, their inversion, uncertainty and file format.

The characteristic is stored as the engine-control world stores it, as maps on the bench grid:
the measuring voltage ``U_M(c, x_ex, R_i)`` and the pump current ``I_p(c, x_ex, R_i)``
(``c`` the oxidizable gas, ``x_ex`` the exhaust's oxygen excess -- its O2 fraction when lean,
its negative O2 deficit when rich (:func:`mixpot.gas.o2_excess`) -- and ``R_i`` the internal
resistance that stands for the element temperature). Evaluation inverts both together per
sample (:func:`invert`): the oxygen excess from the pump current, the oxidizable gas from the
measuring voltage at that excess and temperature (residual O2 compensation: the pumped
chamber still leaves some O2 dependence, see ``docs/physics/sensor-model.md``), and again the
excess at that gas, :data:`ITERATIONS` times; rich or lean is decided first, on the excess read
at zero gas. Interpolation is linear in ``ln(c + 10 ppm)``,
``x_ex`` and ``ln R_i``; the map is monotone in ``x_ex`` (increasing ``I_p``) everywhere and in
``c`` (decreasing ``U_M``) in lean exhaust, which the fit checks. The oxidizable gas is read in
lean exhaust only: in rich exhaust CO and H2 at percent level set the mixed potential.

The uncertainty of a calibration is measured, not assumed: :func:`fit` evaluates a second,
independently seeded bench of random points inside the calibrated range (not on the grid) and
stores the error statistics.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from scipy.interpolate import RegularGridInterpolator

import mixpot
from mixpot.constants import AIR_O2_FRACTION
from mixpot.report.files import atomic_write

__all__ = ["FORMAT_VERSION", "HC_SHIFT_PPM", "Calibration", "Inversion", "fit", "invert"]

Array = NDArray[np.float64]

FORMAT_VERSION = 2
"""Version of the calibration file format (JSON); :meth:`Calibration.load` refuses others.
Version 2: the exhaust axis is the oxygen excess ``o2_excess`` (rich and lean); version 1 had
the lean ``o2_fraction``."""

HC_SHIFT_PPM = 10.0
"""Shift of the logarithmic gas coordinate ``ln(c + 10 ppm)`` of the maps [ppm]: linear near 0
(where the mixed potential is linear in c) and logarithmic above (Tafel regime)."""

ITERATIONS = 5
"""Alternations of the O2 and gas inversions (a fixed point within 0.03 % after five)."""


class Calibration(BaseModel):
    """A sensor calibration: maps, ranges, provenance and measured uncertainty.

    Save with :meth:`save`, read with :meth:`load` (JSON, versioned by :data:`FORMAT_VERSION`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    format_version: int = FORMAT_VERSION
    mixpot_version: str
    created: str = Field(description="ISO 8601 time of the fit (UTC)")
    design: str
    source: str = Field(description="where the bench data came from")
    hc_species: str = Field(description="unit of the reading: ppm of this gas' equivalent")
    fuel_h_to_c: float = Field(gt=0.0, le=4.0, description="fuel H/C for lambda")
    target_internal_resistance_ohm: float = Field(gt=0.0, description="R_i at operating T")
    hc_sensitive: bool = Field(
        True, description="the measuring voltage falls with the gas at every lean map node"
    )
    hc_ppm: list[float]
    o2_excess: list[float] = Field(description="exhaust oxygen excess levels [-], ascending")
    internal_resistance_ohm: list[float] = Field(description="R_i levels, ascending")
    measuring_voltage_V: list[list[list[float]]] = Field(description="[hc][o2_excess][R_i] map")
    pump_current_A: list[list[list[float]]] = Field(description="[hc][o2_excess][R_i] map")
    uncertainty: dict[str, float] = Field(default_factory=dict)
    _maps: Any = PrivateAttr(default=None)  # interpolators, built once (streaming use)

    def __eq__(self, other: object) -> bool:
        """Equal when all fields are equal (the interpolator cache does not count)."""
        if not isinstance(other, Calibration):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside: not hashable

    def save(self, path: str | Path) -> Path:
        """Write the calibration as JSON (atomically).

        Parameters
        ----------
        path : str or pathlib.Path
            Destination file.

        Returns
        -------
        pathlib.Path
            The file written.
        """
        text = self.model_dump_json(indent=1)
        return atomic_write(Path(path), lambda p: Path(p).write_text(text, encoding="utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> Calibration:
        """Read a calibration file written by :meth:`save`.

        Parameters
        ----------
        path : str or pathlib.Path
            The file.

        Returns
        -------
        Calibration
            The calibration.

        Raises
        ------
        ValueError
            For another format version or an invalid file.
        FileNotFoundError
            If the file does not exist.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"calibration file {path} does not exist")
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        version = raw.get("format_version")
        if version != FORMAT_VERSION:
            raise ValueError(
                f"calibration file {path} has format_version = {version!r}; this mixpot reads "
                f"format_version {FORMAT_VERSION} only"
            )
        return cls.model_validate(raw)

    @property
    def o2_excess_range(self) -> tuple[float, float]:
        """Calibrated range of the exhaust oxygen excess [-] (negative: rich)."""
        return self.o2_excess[0], self.o2_excess[-1]


def fit(bench: xr.Dataset, validation: xr.Dataset | None = None) -> Calibration:
    """Fit a calibration to a bench.

    Parameters
    ----------
    bench : xarray.Dataset
        From :func:`mixpot.evaluation.run_bench` or :func:`mixpot.evaluation.bench_from_table`.
    validation : xarray.Dataset, optional
        Random validation points (``mixpot.evaluation.bench.run_validation``): their errors
        become the calibration's ``uncertainty``.

    Returns
    -------
    Calibration
        The calibration.

    Raises
    ------
    ValueError
        If bench points did not converge, or the maps are not monotone (no unique inversion).
    """
    failed = ~bench["converged"].astype(bool)
    bad = int(failed.sum())
    if bad:
        levels = np.unique(bench["o2_excess"].where(failed.any(["hc_ppm", "temperature_offset_K"])))
        listed = ", ".join(f"{v:g}" for v in levels[np.isfinite(levels)])
        raise ValueError(
            f"{bad} bench steps have no settled value (steady state not converged), at the "
            f"oxygen excess levels {listed}; leave those levels out of the protocol (a "
            "Nernst-cell reading, nernst_measurement = 'measuring-electrode', has no steady "
            "state in dry air: drop the 20.95 % O2 step)"
        )
    order = ["hc_ppm", "o2_excess", "temperature_offset_K"]
    ds = bench.transpose(*order)
    # R_i stands for temperature: one level per temperature step, ascending R_i
    ri_levels = ds["internal_resistance_ohm"].mean(("hc_ppm", "o2_excess")).values
    sort = np.argsort(ri_levels)
    u = ds["measuring_voltage_V"].values[:, :, sort]
    ip = ds["pump_current_A"].values[:, :, sort]
    lean = ds["o2_excess"].values > 0.0
    hc_sensitive = bool(np.all(np.diff(u[:, lean], axis=0) < 0))
    if not hc_sensitive:
        warnings.warn(
            f"design {bench.attrs.get('design', '')!r}: the measuring voltage does not fall with "
            "the oxidizable gas at every lean bench node (no mixed-potential response); the "
            "calibration reads O2 and lambda only",
            stacklevel=2,
        )
    if not np.all(np.diff(ip, axis=1) > 0):
        raise ValueError("pump current does not rise with the exhaust oxygen excess at every node")
    offsets = ds["temperature_offset_K"].values
    target = float(ri_levels[int(np.argmin(np.abs(offsets)))])
    cal = Calibration(
        mixpot_version=mixpot.__version__,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        design=str(bench.attrs.get("design", "")),
        source=str(bench.attrs.get("source", "")),
        hc_species=str(bench.attrs.get("hc_species", "C3H6")),
        fuel_h_to_c=float(bench.attrs.get("fuel_h_to_c", 1.85)),
        target_internal_resistance_ohm=target,
        hc_sensitive=hc_sensitive,
        hc_ppm=[float(v) for v in ds["hc_ppm"].values],
        o2_excess=[float(v) for v in ds["o2_excess"].values],
        internal_resistance_ohm=[float(v) for v in ri_levels[sort]],
        measuring_voltage_V=u.tolist(),
        pump_current_A=ip.tolist(),
    )
    if validation is None:
        return cal
    return cal.model_copy(update={"uncertainty": validation_errors(cal, validation)})


def validation_errors(cal: Calibration, validation: xr.Dataset) -> dict[str, float]:
    """Error statistics of a calibration on validation points (true values known).

    Parameters
    ----------
    cal : Calibration
        The calibration.
    validation : xarray.Dataset
        Variables ``hc_ppm``, ``o2_excess`` (true) and the raw signals, dimension ``point``.

    Returns
    -------
    dict
        ``o2_error_rms`` (of the oxygen excess; where the gas is not read, of the excess
        that counts the gas's O2 demand too, which the pump current sees only in part:
        the gas diffuses slower than O2), ``o2_error_rms_low_gas`` (the same below 100 ppm
        of gas: the maps' own accuracy), ``points`` and, for a gas-sensitive
        calibration, over the points read as lean, ``hc_error_rms_ppm``, ``hc_relative_error_rms``
        (above 50 ppm), ``hc_error_p95_ppm``; a statistic without points (NaN) is left out.
    """
    inv = invert(
        cal,
        validation["measuring_voltage_V"].values,
        validation["pump_current_A"].values,
        validation["internal_resistance_ohm"].values,
    )
    true_o2 = validation["o2_excess"].values
    # where the gas is not read (no gas response, or rich) the reading counts its O2 demand
    unread = ~np.isfinite(inv.hc_ppm)
    demand = mixpot.gas.get(cal.hc_species).o2_demand * validation["hc_ppm"].values * 1e-6
    o2_err = inv.o2_excess - (true_o2 - np.where(unread, demand, 0.0))
    low = validation["hc_ppm"].values < 100.0
    out = {
        "o2_error_rms": float(np.sqrt(np.mean(o2_err**2))),
        "o2_error_rms_low_gas": float(np.sqrt(np.mean(o2_err[low] ** 2))),
        "points": float(o2_err.size),
    }
    if not cal.hc_sensitive:
        return out
    lean = (true_o2 > 0.0) & ~inv.rich  # read as rich: no gas reading (counted in the O2)
    true_c = validation["hc_ppm"].values[lean]
    err = inv.hc_ppm[lean] - true_c
    big = true_c > 50.0
    out.update(
        {
            "hc_error_rms_ppm": float(np.sqrt(np.mean(err**2))),
            "hc_error_p95_ppm": float(np.percentile(np.abs(err), 95)),
            "hc_relative_error_rms": float(np.sqrt(np.mean((err[big] / true_c[big]) ** 2))),
        }
    )
    return {k: v for k, v in out.items() if np.isfinite(v)}  # e.g. no point above 50 ppm


class Inversion(BaseModel):
    """Result of :func:`invert` per sample (arrays)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    hc_ppm: Any  # NDArray[float64]
    o2_excess: Any
    rich: Any  # bool: rich exhaust, the oxidizable gas is not read
    o2_out_of_range: Any  # bool
    hc_above_range: Any
    hc_below_range: Any
    ri_out_of_range: Any


def _interpolators(cal: Calibration) -> tuple[RegularGridInterpolator, RegularGridInterpolator]:
    axes = (
        np.log(np.asarray(cal.hc_ppm) + HC_SHIFT_PPM),
        np.asarray(cal.o2_excess),
        np.log(np.asarray(cal.internal_resistance_ohm)),
    )
    kw: dict[str, Any] = {"method": "linear", "bounds_error": False, "fill_value": None}
    return (
        RegularGridInterpolator(axes, np.asarray(cal.measuring_voltage_V), **kw),
        RegularGridInterpolator(axes, np.asarray(cal.pump_current_A), **kw),
    )


def _invert_rows(x_grid: Array, rows: Array, y: Array) -> tuple[Array, Array, Array]:
    """Invert monotone increasing rows ``rows[i](x_grid)`` at ``y[i]`` (linear, extrapolated).

    Returns ``x``, and the masks of ``y`` below the first and above the last row value.
    """
    n, k = rows.shape
    seg = np.clip(np.sum(rows <= y[:, None], axis=1), 1, k - 1)  # segment choice, not a value
    i = np.arange(n)
    y0, y1 = rows[i, seg - 1], rows[i, seg]
    x0, x1 = x_grid[seg - 1], x_grid[seg]
    with np.errstate(divide="ignore", invalid="ignore"):
        x = x0 + (y - y0) / (y1 - y0) * (x1 - x0)
    return x, y < rows[:, 0], y > rows[:, -1]


def invert(
    cal: Calibration,
    measuring_voltage_V: ArrayLike,
    pump_current_A: ArrayLike,
    internal_resistance_ohm: ArrayLike,
) -> Inversion:
    """Oxidizable gas and exhaust oxygen excess from the raw signals, by the calibration maps.

    Parameters
    ----------
    cal : Calibration
        The calibration.
    measuring_voltage_V, pump_current_A, internal_resistance_ohm : array_like
        Raw signals per sample [V], [A], [Ohm] (broadcast together; NaN gives NaN).

    Returns
    -------
    Inversion
        ``hc_ppm`` [ppm of ``cal.hc_species``; NaN if the calibration has no gas response or
        the exhaust is rich], ``o2_excess`` [-], the mask ``rich`` and the range masks.
        Values outside the calibrated range are extrapolated linearly and flagged, never
        clipped; the caller decides (:func:`mixpot.evaluation.evaluate` reports NaN there).
    """
    u, ip, ri = np.broadcast_arrays(
        *(
            np.atleast_1d(np.asarray(v, dtype=float))
            for v in (measuring_voltage_V, pump_current_A, internal_resistance_ohm)
        )
    )
    lr = np.log(ri)
    if cal._maps is None:
        cal._maps = _interpolators(cal)
    u_map, ip_map = cal._maps
    s_grid = np.log(np.asarray(cal.hc_ppm) + HC_SHIFT_PPM)
    o2_grid = np.asarray(cal.o2_excess)
    n = u.size
    rows = np.zeros((n, s_grid.size))

    def excess_at(gas: Array) -> Array:
        pts = np.stack(
            [np.repeat(gas, o2_grid.size), np.tile(o2_grid, n), np.repeat(lr, o2_grid.size)], -1
        )
        return _invert_rows(o2_grid, ip_map(pts).reshape(n, -1), ip)[0]

    # rich or lean is decided on the excess read at zero gas: the O2 balance the pump current
    # sees, every fuel it sees counted (the gas of a reading is in propene equivalents, whose
    # real O2 demand is unknown: CO and H2 near lambda 1 would read as far more propene)
    zero_gas = excess_at(np.full(n, s_grid[0]))
    rich = zero_gas < 0.0
    o2 = zero_gas
    if cal.hc_sensitive:
        # the gas is read on the lean map: between the last rich and the first lean level the
        # maps mix the CO/H2 response of the rich steps in
        lean_floor = float(o2_grid[o2_grid > 0.0][0]) if np.any(o2_grid > 0.0) else 0.0
        for _ in range(ITERATIONS):
            pts = np.stack(
                [
                    np.tile(s_grid, n),
                    np.repeat(np.maximum(o2, lean_floor), s_grid.size),
                    np.repeat(lr, s_grid.size),
                ],
                -1,
            )
            # U falls with the gas: invert -U, which rises
            rows = -u_map(pts).reshape(n, -1)
            s, _, _ = _invert_rows(s_grid, rows, -u)
            s = np.where(rich, s_grid[0], s)  # rich: CO and H2 set the mixed potential
            o2 = np.where(rich, zero_gas, excess_at(s))
    else:  # O2 only (e.g. a wideband sensor without a gas response)
        s = np.full(n, np.nan)
    with np.errstate(over="ignore"):  # far beyond the maps: inf, flagged above the range
        hc = np.where(rich, np.nan, np.exp(s) - HC_SHIFT_PPM)
    # below the zero-gas row: extrapolate linearly in c (not in ln c, which stops at -10 ppm)
    c1 = cal.hc_ppm[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        below = (-u < rows[:, 0]) & cal.hc_sensitive & ~rich
        hc = np.where(below, (-u - rows[:, 0]) / (rows[:, 1] - rows[:, 0]) * c1, hc)
    # range flags on the converged values, with a tolerance of 1e-4 of the axis (the map nodes
    # themselves are inside; the alternating inversion stops within 0.03 % of its fixed point)
    o2_lo, o2_hi = cal.o2_excess_range
    o2_tol = 1e-4 * (o2_hi - o2_lo)
    upper = 1.1 * AIR_O2_FRACTION if o2_hi >= AIR_O2_FRACTION else o2_hi + o2_tol
    c_max = cal.hc_ppm[-1]
    ri = np.exp(lr)
    ri_lo, ri_hi = cal.internal_resistance_ohm[0], cal.internal_resistance_ohm[-1]
    return Inversion(
        hc_ppm=hc,
        o2_excess=o2,
        rich=rich,
        # a calibration that reaches air reads up to 10 % above it as air (fuel cut-off with
        # noise); beyond that a pump current is implausibly high
        o2_out_of_range=(o2 < o2_lo - o2_tol) | (o2 > upper),
        hc_above_range=hc > c_max * (1.0 + 1e-3),
        hc_below_range=hc < 0.0,
        ri_out_of_range=(ri < ri_lo * (1 - 1e-6)) | (ri > ri_hi * (1 + 1e-6)),
    )
