"""Exhaust traces: time series of exhaust composition and state for transient simulations.

* :mod:`~mixpot.scenarios.schema` — the trace schema and its validation,
* :mod:`~mixpot.scenarios.io` — CSV, Parquet and ASAM MDF4 readers and writers,
* :mod:`~mixpot.scenarios.synthetic` — steps, lambda sweeps and a WLTC drive cycle.
"""

from mixpot.scenarios.io import FORMATS, read_table, read_trace, write_trace
from mixpot.scenarios.schema import (
    COLUMNS,
    DEFAULTS,
    SPECIES_COLUMNS,
    STATE_COLUMNS,
    TIME,
    UNITS,
    trace_composition,
    validate_trace,
)
from mixpot.scenarios.synthetic import (
    WLTC_DURATION_S,
    WltcExhaustModel,
    lambda_sweep,
    random_steps,
    steps,
    wltc_class3_speed,
    wltc_drive_cycle,
)

__all__ = [
    "COLUMNS",
    "DEFAULTS",
    "FORMATS",
    "SPECIES_COLUMNS",
    "STATE_COLUMNS",
    "TIME",
    "UNITS",
    "WLTC_DURATION_S",
    "WltcExhaustModel",
    "lambda_sweep",
    "random_steps",
    "read_table",
    "read_trace",
    "steps",
    "trace_composition",
    "validate_trace",
    "wltc_class3_speed",
    "wltc_drive_cycle",
    "write_trace",
]
