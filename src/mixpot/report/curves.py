"""Characteristic curves and the pumped-vs-unpumped comparison as CSV, NetCDF and PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from mixpot import designs
from mixpot.curves import measuring_voltage_curves, pump_current_curve
from mixpot.design import Design
from mixpot.report.files import atomic_write


def _plot_png(path: Path, draw: object) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4), constrained_layout=True)
    draw(ax)  # type: ignore[operator]
    atomic_write(path, lambda p: fig.savefig(p, dpi=120, format="png"))
    plt.close(fig)
    return path


def write_characteristic_curves(design: Design, folder: Path, species: str = "C3H6") -> list[Path]:
    """Write measuring voltage vs ``species`` at several O2 levels and pump current vs lambda.

    Parameters
    ----------
    design : Design
        The design.
    folder : pathlib.Path
        Output folder.
    species : str
        Oxidizable species varied.

    Returns
    -------
    list of pathlib.Path
        Files written (CSV, NetCDF, PNG).
    """
    mv = measuring_voltage_curves(design, species)
    pc = pump_current_curve(design)
    out = [
        atomic_write(folder / f"measuring_voltage_vs_{species}.csv", mv.to_dataframe().to_csv),
        atomic_write(folder / "pump_current_vs_lambda.csv", pc.to_dataframe().to_csv),
        atomic_write(folder / f"measuring_voltage_vs_{species}.nc", mv.to_netcdf),
    ]

    def draw_mv(ax: object) -> None:
        for o2 in mv["o2"].values:
            y = mv["measuring_voltage_V"].sel(o2=o2) * 1e3
            ax.plot(mv["ppm"], y, marker="o", label=f"{o2 * 100:g} % O2")  # type: ignore[attr-defined]
        ax.set(xlabel=f"{species} [ppm]", ylabel="measuring voltage [mV]", title=design.name)  # type: ignore[attr-defined]
        ax.legend()  # type: ignore[attr-defined]

    def draw_pc(ax: object) -> None:
        ax.plot(pc["lambda"], pc["pump_current_A"] * 1e3, marker=".")  # type: ignore[attr-defined]
        ax.set(xlabel="exhaust lambda [-]", ylabel="pump current [mA]", title=design.name)  # type: ignore[attr-defined]

    out.append(_plot_png(folder / f"measuring_voltage_vs_{species}.png", draw_mv))
    out.append(_plot_png(folder / "pump_current_vs_lambda.png", draw_pc))
    return out


def o2_cross_sensitivity(
    ppm: float = 500.0, species: str = "C3H6", o2_levels: tuple[float, ...] = (0.02, 0.05, 0.15)
) -> xr.Dataset:
    """Measuring voltage of the pumped (patent) and unpumped (prior art) designs vs exhaust O2.

    Parameters
    ----------
    ppm : float
        Oxidizable gas concentration [ppm].
    species : str
        Oxidizable species.
    o2_levels : tuple of float
        Exhaust O2 mole fractions [-].

    Returns
    -------
    xarray.Dataset
        ``measuring_voltage_V`` over (``design``, ``o2``).
    """
    rows = []
    names = ("patent-preferred", "unpumped-prior-art")
    for name in names:
        ds = measuring_voltage_curves(designs.load(name), species, (ppm,), o2_levels)
        rows.append(ds["measuring_voltage_V"].isel(ppm=0).values)
    return xr.Dataset(
        {"measuring_voltage_V": (("design", "o2"), np.array(rows), {"units": "V"})},
        coords={"design": list(names), "o2": list(o2_levels)},
        attrs={"species": species, "ppm": ppm},
    )
