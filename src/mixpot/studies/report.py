"""Plots and a short text summary of a study's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mixpot.report.files import atomic_write
from mixpot.studies.definition import Study
from mixpot.studies.metrics import METRICS
from mixpot.studies.store import DONE, FAILED

__all__ = ["write_study_report"]


def _through_base(study: Study, ok: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows varying one parameter with all others at the base design's values (grid studies)."""
    from mixpot import designs

    base = designs.load(study.base_design, dict(study.base_overrides)).model_dump()

    def value(key: str) -> float:
        node: Any = base
        for part in key.split("."):
            node = node[part]
        return float(node) if isinstance(node, int | float) else np.nan  # None: no base value

    out = {}
    for key in (p.key for p in study.parameters):
        sel = np.ones(len(ok), dtype=bool)
        for other in (p.key for p in study.parameters if p.key != key):
            sel &= np.isclose(ok[other].to_numpy(dtype=float), value(other), rtol=1e-9, atol=0.0)
        if sel.any():
            out[key] = ok[sel].sort_values(key)
    return out


def write_study_report(study: Study, summary: pd.DataFrame, folder: Path) -> list[Path]:
    """Write one PNG per metric and a Markdown summary.

    Grid studies: each metric against each parameter, through the base design's point (the
    other parameters at the base design's values where the grid holds them) and as the range
    over all other combinations; the Markdown gives the same one-at-a-time tables. Sampled
    studies: a histogram per metric; the Markdown gives mean and 5-95 % range.

    Parameters
    ----------
    study : Study
        The study.
    summary : pandas.DataFrame
        :meth:`mixpot.studies.ResultStore.summary`.
    folder : pathlib.Path
        Output folder.

    Returns
    -------
    list of pathlib.Path
        Files written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    ok = summary[summary["status"] == DONE]
    failed = summary[summary["status"] == FAILED]
    keys = [p.key for p in study.parameters]
    through = _through_base(study, ok) if study.sampler == "grid" else {}
    written: list[Path] = []
    lines = [
        f"# Study {study.name}",
        "",
        f"{len(ok)} of {len(summary)} samples done, {len(failed)} failed"
        + (" (the statistics below are of the samples done only)." if len(failed) else "."),
        "",
        "| metric | unit | mean | 5 % | 95 % |",
        "|---|---|---|---|---|",
    ]
    for m in study.metrics:
        v = ok[m].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        if v.size:
            p5, p95 = np.percentile(v, [5, 95])
            lines.append(f"| {m} | {METRICS[m].unit} | {v.mean():.4g} | {p5:.4g} | {p95:.4g} |")
        if study.sampler == "grid":
            fig, axes = plt.subplots(1, len(keys), figsize=(3.2 * len(keys), 3), squeeze=False)
            for ax, key in zip(axes[0], keys, strict=True):
                g = ok.groupby(key)[m]
                x = np.asarray(g.mean().index, dtype=float)
                ax.fill_between(
                    x, g.min().to_numpy(), g.max().to_numpy(), alpha=0.25, label="range"
                )
                if key in through:
                    line = through[key]
                    ax.plot(line[key], line[m], "o-", label="through base design")
                ax.set_xlabel(key.split(".")[-1])
            axes[0][0].set_ylabel(f"{m} [{METRICS[m].unit}]")
            axes[0][0].legend(fontsize=7)
        else:
            fig, ax = plt.subplots(figsize=(5, 3))
            ax.hist(v, bins=20)
            ax.set_xlabel(f"{m} [{METRICS[m].unit}]")
        fig.tight_layout()
        png = folder / f"{study.name}_{m}.png"
        atomic_write(png, lambda p, f=fig: f.savefig(p, dpi=100, format="png"))
        plt.close(fig)
        written.append(png)
    for key, line in through.items():
        cols = [key, *study.metrics]
        lines += ["", f"One at a time through the base design: `{key}`", ""]
        lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += [
            "| " + " | ".join(f"{row[c]:.4g}" for c in cols) + " |" for _, row in line.iterrows()
        ]
    if len(failed):
        lines += ["", "Failed samples (first five):", ""]
        lines += [f"* sample {i}: {r}" for i, r in failed["reason"].head(5).items()]
    md = folder / f"{study.name}_report.md"
    text = "\n".join(lines) + "\n"
    written.append(atomic_write(md, lambda p: Path(p).write_text(text, "utf-8")))
    return written
