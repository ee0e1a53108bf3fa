"""Report section of a signal evaluation: true vs evaluated exhaust, status, segment accuracy."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from mixpot.evaluation import Status
from mixpot.report.files import atomic_write

__all__ = ["evaluation_section"]


def _plot(sim: xr.Dataset, ev: xr.Dataset, species: str, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(9, 6.6), sharex=True)
    t = sim["time"]
    axes[0].plot(t, sim[f"exhaust_{species}"] * 1e6, label="exhaust (true)", lw=1)
    axes[0].plot(ev["time"], ev["hc_ppm"], label="evaluated", lw=1)
    axes[0].set_ylabel(f"{species} [ppm]")
    axes[0].legend(loc="upper right")
    axes[1].plot(t, sim["exhaust_O2"] * 100, label="exhaust (true)", lw=1)
    axes[1].plot(ev["time"], ev["o2_fraction"] * 100, label="evaluated", lw=1)
    axes[1].set_ylabel("O2 [%]")
    axes[2].plot(ev["time"], ev["status"], drawstyle="steps-post", lw=1)
    axes[2].set_yticks([s.value for s in Status], [s.name.lower() for s in Status])
    axes[2].set_xlabel("time [s]")
    fig.tight_layout()
    atomic_write(path, lambda p: fig.savefig(p, dpi=110, format="png"))
    plt.close(fig)
    return path


def evaluation_section(
    sim: xr.Dataset,
    ev: xr.Dataset,
    folder: Path,
    species: str,
    segments: pd.DataFrame | None = None,
) -> tuple[list[Path], str]:
    """Write the evaluation files and return them with the report's HTML section.

    Parameters
    ----------
    sim : xarray.Dataset
        The simulation (true exhaust).
    ev : xarray.Dataset
        Its evaluation (:func:`mixpot.evaluate`).
    folder : pathlib.Path
        Output folder.
    species : str
        Oxidizable gas of the calibration.
    segments : pandas.DataFrame, optional
        Accuracy per stationary segment (:func:`mixpot.evaluation.accuracy_by_segment`), of
        this or of a separate accuracy run.

    Returns
    -------
    files : list of pathlib.Path
        ``evaluated.nc``, ``evaluation.png`` and, with segments, ``accuracy.csv``.
    html : str
        The report section.
    """
    files = [atomic_write(folder / "evaluated.nc", ev.to_netcdf)]
    files.append(_plot(sim, ev, species, folder / "evaluation.png"))
    counts = "".join(
        f"<tr><td>{s.name.lower()}</td><td>{int(np.sum(ev['status'].values == s))}</td></tr>"
        for s in Status
    )
    text = f"""<h2>Evaluation</h2>
<p>Raw signals (UA through the ADC, measuring voltage, internal resistance) evaluated with the
calibration of the design; oxidizable gas in ppm {html.escape(species)} equivalent.</p>
<table border="1" cellpadding="4"><tr><th>status</th><th>samples</th></tr>{counts}</table>
<p><img src="evaluation.png" alt="evaluation"></p>
"""
    if segments is not None and len(segments):
        files.append(atomic_write(folder / "accuracy.csv", segments.to_csv))
        read = segments["within"].notna()
        within = int(segments["within"].sum())

        def verdict(value: object) -> str:
            return "not read" if value is pd.NA else ("yes" if value else "NO")

        columns = ("true_ppm", "mean_ppm", "error_ppm", "tolerance_ppm", "true_lambda",
                   "mean_lambda")  # fmt: skip
        rows = "".join(
            "<tr>"
            + "".join(f"<td>{r[c]:.4g}</td>" for c in columns)
            + f"<td>{verdict(r['within'])}</td></tr>"
            for _, r in segments.iterrows()
        )
        text += f"""<h3>Accuracy in settled stationary segments</h3>
<p>{within} of {int(read.sum())} segments with a gas reading within +-10 % of reading or
+-10 ppm. Lambda as read: the O2 balance the pump current sees (a gas read in lean exhaust is
not counted in it, the true lambda counts it).</p>
<table border="1" cellpadding="4"><tr><th>true [ppm]</th><th>evaluated [ppm]</th>
<th>error [ppm]</th><th>tolerance [ppm]</th><th>true lambda</th><th>evaluated lambda</th>
<th>within</th></tr>{rows}</table>
"""
    return files, text
