"""Studies at scale: sweeps and Monte Carlo tolerance studies over designs.

* :mod:`~mixpot.studies.definition` — the study TOML (pydantic): parameters on grids or drawn
  from distributions (Sobol, Latin hypercube, random), metrics;
* :mod:`~mixpot.studies.metrics` — what is computed per sample;
* :mod:`~mixpot.studies.run` — one executor interface (serial, local processes, Dask);
* :mod:`~mixpot.studies.store` — Zarr results written sample by sample, resumable;
* :mod:`~mixpot.studies.builtin` — the claims study and the Monte Carlo tolerance study;
* :mod:`~mixpot.studies.report` — plots.
"""

from mixpot.studies.builtin import BUILTIN, builtin
from mixpot.studies.definition import Parameter, Study, load_study
from mixpot.studies.metrics import METRICS, compute_metrics
from mixpot.studies.run import run_sample, run_study
from mixpot.studies.store import ResultStore

__all__ = [
    "BUILTIN",
    "METRICS",
    "Parameter",
    "ResultStore",
    "Study",
    "builtin",
    "compute_metrics",
    "load_study",
    "run_sample",
    "run_study",
]
