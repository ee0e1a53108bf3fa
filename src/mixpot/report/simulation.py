"""Files of a transient simulation: NetCDF results, PNG plots and a short HTML report."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import xarray as xr

from mixpot.report.files import atomic_write

PANELS = (
    ("pump_current_A", 1e3, "pump current [mA]"),
    ("measuring_voltage_V", 1e3, "measuring voltage [mV]"),
    ("element_temperature_K", 1.0, "element temperature [K]"),
    ("exhaust_O2", 100.0, "exhaust O2 [%]"),
)


def _plot(ds: xr.Dataset, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [p for p in PANELS if p[0] in ds]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.2 * len(panels)), sharex=True)
    for ax, (name, scale, label) in zip(np.atleast_1d(axes), panels, strict=True):
        ax.plot(ds["time"], ds[name] * scale)
        ax.set_ylabel(label)
    np.atleast_1d(axes)[-1].set_xlabel("time [s]")
    fig.tight_layout()
    atomic_write(path, lambda p: fig.savefig(p, dpi=110, format="png"))
    plt.close(fig)
    return path


def write_simulation_report(
    ds: xr.Dataset, folder: Path, title: str, extra_html: str = ""
) -> list[Path]:
    """Write ``results.nc``, ``signals.png`` and ``report.html`` for a simulation.

    Parameters
    ----------
    ds : xarray.Dataset
        Output of :func:`mixpot.simulate`.
    folder : pathlib.Path
        Output folder (created).
    title : str
        Title of the report.
    extra_html : str
        Further sections of the report (e.g. :func:`mixpot.report.evaluation.
        evaluation_section`), inserted before the closing paragraph.

    Returns
    -------
    list of pathlib.Path
        Files written (atomically).
    """
    folder.mkdir(parents=True, exist_ok=True)
    nc = atomic_write(folder / "results.nc", ds.to_netcdf)
    png = _plot(ds, folder / "signals.png")
    rows = []
    for name in ("pump_current_A", "measuring_voltage_V", "element_temperature_K", "UA_V"):
        if name in ds:
            v = ds[name]
            unit = html.escape(v.attrs.get("units", ""))
            stats = "".join(f"<td>{float(f()):.6g}</td>" for f in (v.min, v.mean, v.max))
            rows.append(f"<tr><td>{name}</td>{stats}<td>{unit}</td></tr>")
    t = ds["time"]
    body = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body>
<h1>{html.escape(title)}</h1>
<p>Simulated {float(t[-1] - t[0]):.3f} s at {ds.attrs.get("output_rate_hz")} Hz output,
seed {ds.attrs.get("seed")}, mixpot {html.escape(str(ds.attrs.get("mixpot_version")))}.</p>
<table border="1" cellpadding="4"><tr><th>signal</th><th>min</th><th>mean</th><th>max</th>
<th>unit</th></tr>
{"".join(rows)}
</table>
<p><img src="signals.png" alt="signals"></p>
{extra_html}
<p>Results: <code>results.nc</code> (NetCDF, units and full design in the attributes).</p>
</body></html>
"""
    report = atomic_write(folder / "report.html", lambda p: Path(p).write_text(body, "utf-8"))
    return [nc, png, report]
