"""The demo job behind ``make demo`` / ``mixpot demo``.

It writes, under ``OUTPUT/``:

* ``foundation/``: physics-library curves at the default design's temperature (NetCDF, CSV,
  PNG): Nernst voltage of a Pt electrode vs lambda, O2 limiting current of the barrier with and
  without Stefan flow, electrode-kinetic mixed potential of Pt-Au electrodes vs propene;
* ``patent-preferred/``: the default design's characteristic curves from the steady-state
  model (measuring voltage vs propene at several exhaust O2 levels, pump current vs lambda);
* ``o2_cross_sensitivity.csv``: measuring voltage of the pumped design and of the unpumped
  prior art at 500 ppm propene and 2, 5 and 15 % exhaust O2;
* ``cold-start/``: a closed-loop cold start of the default design over the first
  :data:`COLD_START_S` seconds of the WLTC class 3 cold-start drive cycle (results.nc,
  signals.png, report.html). The full 1800 s cycle runs the same way but takes hours at the
  present speed of the transient simulation.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import xarray as xr

import mixpot
from mixpot import designs
from mixpot.constants import AIR_O2_FRACTION, ATMOSPHERE
from mixpot.electrode import measuring_electrode_potential, nernst_voltage
from mixpot.gas import combustion_exhaust, equilibrium
from mixpot.report.curves import o2_cross_sensitivity, write_characteristic_curves
from mixpot.report.files import atomic_write
from mixpot.sensor.grid import barrier_geometry_factor
from mixpot.transport import oxygen_limiting_current

logger = logging.getLogger(__name__)

COLD_START_S = 1800.0
"""Length of the drive cycle the demo simulates from a cold start [s] (the whole WLTC cycle;
about 12 s of computing, 150-190x real time on this project's 2-core machine)."""


def foundation_curves() -> xr.Dataset:
    """Compute the three characteristic curves of the physics library.

    Returns
    -------
    xarray.Dataset
        Variables ``nernst_voltage_V`` (vs ``lambda``), ``o2_limiting_current_A`` and
        ``o2_limiting_current_no_stefan_A`` (vs ``o2_fraction``), ``mixed_potential_V`` (vs
        ``c3h6_ppm`` and ``gold_wt_percent``), with units and provenance in the attributes.
    """
    design = designs.load(designs.DEFAULT)
    t = design.operation.temperature_K
    g = design.geometry
    # 1. binary lambda characteristic of a Pt electrode (equilibrium-catalytic) vs air
    lam = np.linspace(0.8, 1.6, 161)
    exhaust = combustion_exhaust(lam, h_to_c=design.operation.fuel_h_to_c)
    po2 = equilibrium(exhaust, t, ATMOSPHERE).o2_partial_pressure
    u_nernst = nernst_voltage(AIR_O2_FRACTION * ATMOSPHERE, po2, t)
    # 2. O2 limiting current through the barrier ring: Stefan flow vs the dilute (Fick) law
    x_o2 = np.linspace(0.0, AIR_O2_FRACTION, 43)
    gf = barrier_geometry_factor(g)
    i_lim = oxygen_limiting_current(x_o2, t, ATMOSPHERE, gf, g.barrier_pore_diameter_m)
    small = 1e-4
    slope = oxygen_limiting_current(small, t, ATMOSPHERE, gf, g.barrier_pore_diameter_m) / small
    # 3. mixed potential of Pt-Au electrodes vs propene at 5 % O2
    ppm = np.geomspace(1.0, 3000.0, 60)
    gold = np.array([0.0, 0.5, 3.0, 10.0, 100.0])
    res = measuring_electrode_potential(
        {"O2": 0.05, "C3H6": ppm[:, None] * 1e-6}, t, ATMOSPHERE, gold[None, :]
    )
    base = measuring_electrode_potential({"O2": 0.05}, t, ATMOSPHERE, gold).potential
    ds = xr.Dataset(
        {
            "nernst_voltage_V": ("lambda", u_nernst, {"units": "V"}),
            "o2_limiting_current_A": ("o2_fraction", i_lim, {"units": "A"}),
            "o2_limiting_current_no_stefan_A": ("o2_fraction", slope * x_o2, {"units": "A"}),
            "mixed_potential_V": (
                ("c3h6_ppm", "gold_wt_percent"),
                res.potential - base[None, :],
                {"units": "V", "long_name": "mixed potential minus O2 equilibrium potential"},
            ),
        },
        coords={
            "lambda": ("lambda", lam, {"units": "1"}),
            "o2_fraction": ("o2_fraction", x_o2, {"units": "1"}),
            "c3h6_ppm": ("c3h6_ppm", ppm, {"units": "ppm"}),
            "gold_wt_percent": ("gold_wt_percent", gold, {"units": "wt%"}),
        },
        attrs={
            "title": "mixpot physics library characteristic curves",
            "mixpot_version": mixpot.__version__,
            "design": design.name,
            "temperature_K": t,
            "pressure_Pa": ATMOSPHERE,
        },
    )
    return ds


def _plot(ds: xr.Dataset, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 3, figsize=(14, 4), constrained_layout=True)
    ax[0].plot(ds["lambda"], ds["nernst_voltage_V"] * 1e3)
    ax[0].set(xlabel="lambda [-]", ylabel="Nernst voltage vs air [mV]", title="Pt electrode")
    ax[1].plot(ds["o2_fraction"] * 100, ds["o2_limiting_current_A"] * 1e3, label="Stefan flow")
    ax[1].plot(
        ds["o2_fraction"] * 100, ds["o2_limiting_current_no_stefan_A"] * 1e3, "--", label="Fick"
    )
    ax[1].set(xlabel="O2 [%]", ylabel="limiting current [mA]", title="diffusion barrier")
    ax[1].legend()
    for w in ds["gold_wt_percent"].values:
        sel = ds["mixed_potential_V"].sel(gold_wt_percent=w) * 1e3
        ax[2].semilogx(ds["c3h6_ppm"], sel, label=f"{w:g} wt% Au")
    ax[2].set(xlabel="C3H6 [ppm]", ylabel="mixed-potential signal [mV]", title="5 % O2")
    ax[2].legend()
    fig.savefig(path, dpi=120, format="png")
    plt.close(fig)


def cold_start(folder: Path, duration_s: float = COLD_START_S) -> list[Path]:
    """Simulate a cold start of the default design over the WLTC drive cycle and evaluate it.

    The design is calibrated on the simulator's bench (:func:`mixpot.calibrate`), the drive
    cycle's raw signals are evaluated with that calibration, and a separate run of 20 random
    stationary segments measures the closed-loop accuracy.

    Parameters
    ----------
    folder : pathlib.Path
        Output folder.
    duration_s : float
        Length of the drive cycle simulated [s]; default the whole cycle.

    Returns
    -------
    list of pathlib.Path
        Files written (results.nc, signals.png, calibration.json, evaluated.nc,
        evaluation.png, accuracy.csv, report.html).
    """
    from mixpot.evaluation import calibrate, closed_loop_accuracy, evaluate
    from mixpot.report.evaluation import evaluation_section
    from mixpot.report.simulation import write_simulation_report
    from mixpot.scenarios import random_steps, wltc_drive_cycle
    from mixpot.transient import simulate

    design = designs.load(designs.DEFAULT)
    trace = wltc_drive_cycle(seed=0, sample_rate_hz=10.0)  # resolves the lambda oscillation
    trace = trace[trace["time_s"] <= duration_s].reset_index(drop=True)
    ds = simulate(design, trace, initial="cold", output_rate_hz=10.0)
    folder.mkdir(parents=True, exist_ok=True)
    cal = calibrate(design, seed=0)
    written = [cal.save(folder / "calibration.json")]
    ev = evaluate(ds, cal)
    steps = random_steps(seed=1, segments=20, segment_duration_s=2.0)
    _, _, segments = closed_loop_accuracy(design, steps, cal, settle_s=1.0)
    files, section = evaluation_section(ds, ev, folder, cal.hc_species, segments)
    title = f"mixpot demo: cold start, first {duration_s:g} s of the WLTC class 3 cycle"
    return written + files + write_simulation_report(ds, folder, title, section)


def run_demo(
    output_dir: str | Path = "mixpot-output", drive_cycle_s: float = COLD_START_S
) -> list[Path]:
    """Run the demo computation and write its outputs atomically.

    Parameters
    ----------
    output_dir : str or pathlib.Path
        Folder for the outputs (created if needed).
    drive_cycle_s : float
        Length of the cold-start drive cycle simulated [s]; default the whole WLTC cycle.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    out = Path(output_dir) / "foundation"
    ds = foundation_curves()
    written = []
    nc = out / "curves.nc"
    atomic_write(nc, ds.to_netcdf)
    written.append(nc)
    for name in ("lambda", "o2_fraction", "c3h6_ppm"):
        sub = ds[[v for v in ds.data_vars if name in ds[v].dims]]
        csv = out / f"curves_vs_{name}.csv"
        atomic_write(csv, sub.to_dataframe().to_csv)
        written.append(csv)
    png = out / "curves.png"
    atomic_write(png, lambda p: _plot(ds, Path(p)))
    written.append(png)
    design = designs.load(designs.DEFAULT)
    written += write_characteristic_curves(design, Path(output_dir) / "patent-preferred")
    written += cold_start(Path(output_dir) / "cold-start", drive_cycle_s)
    cross = o2_cross_sensitivity()
    written.append(
        atomic_write(Path(output_dir) / "o2_cross_sensitivity.csv", cross.to_dataframe().to_csv)
    )
    logger.info("demo outputs written to %s", output_dir)
    return written
