"""Simulation scenarios: design + exhaust trace + options, validated from TOML (layer 2).

Example ``scenario.toml``::

    design = "patent-preferred"          # built-in name or a design TOML file
    [design_overrides]
    "measuring_electrode.gold_wt_percent" = 10.0

    [trace]
    generator = "steps"                  # or file = "trace.csv" (CSV, Parquet, MF4)
    options = { species = "C3H6", levels = [0.0, 500e-6], step_duration_s = 0.5 }
    duration_s = 1.0                     # optional: cut the trace

    [simulation]
    initial = "steady"
    seed = 0
    output_rate_hz = 100.0

    [output]
    directory = "mixpot-output/simulation"
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mixpot.scenarios.io import read_trace
from mixpot.scenarios.schema import validate_trace
from mixpot.scenarios.synthetic import lambda_sweep, steps, wltc_drive_cycle

GENERATORS = {"steps": steps, "lambda_sweep": lambda_sweep, "wltc": wltc_drive_cycle}
"""Synthetic trace generators a scenario may name."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TraceSpec(_Model):
    """Where the exhaust trace comes from: a file or a generator with its options."""

    file: str | None = None
    generator: Literal["steps", "lambda_sweep", "wltc"] | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    duration_s: float | None = Field(None, gt=0.0, description="cut the trace here [s]")

    @model_validator(mode="after")
    def _one_source(self) -> TraceSpec:
        if (self.file is None) == (self.generator is None):
            raise ValueError("trace needs exactly one of 'file' or 'generator'")
        return self


class SimulationSpec(_Model):
    """Options of :func:`mixpot.simulate`."""

    initial: Literal["steady", "cold"] = "steady"
    seed: int = Field(0, ge=0)
    output_rate_hz: float = Field(100.0, gt=0.0, le=500.0)


class OutputSpec(_Model):
    """Where results go."""

    directory: str = "mixpot-output/simulation"


class Scenario(_Model):
    """A simulation scenario (validated; relative paths are relative to the TOML file)."""

    design: str = "patent-preferred"
    design_overrides: dict[str, Any] = Field(default_factory=dict)
    trace: TraceSpec
    simulation: SimulationSpec = SimulationSpec()
    output: OutputSpec = OutputSpec()
    base_dir: str = "."

    def build_trace(self) -> pd.DataFrame:
        """Read or generate the exhaust trace (validated, cut to ``duration_s``).

        Returns
        -------
        pandas.DataFrame
            The trace in the schema of :mod:`mixpot.scenarios.schema`.
        """
        spec = self.trace
        if spec.file is not None:
            path = Path(spec.file)
            df = read_trace(path if path.is_absolute() else Path(self.base_dir) / path)
        else:
            df = GENERATORS[spec.generator](**spec.options)  # type: ignore[index]
        if spec.duration_s is not None:
            t0 = float(df["time_s"].iloc[0])
            df = df[df["time_s"] <= t0 + spec.duration_s].reset_index(drop=True)
        return validate_trace(df)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario TOML file.

    Parameters
    ----------
    path : str or pathlib.Path
        The TOML file.

    Returns
    -------
    Scenario
        The validated scenario; relative paths in it refer to the file's folder.

    Raises
    ------
    pydantic.ValidationError
        For unknown keys or values out of range (the message names the field).
    """
    path = Path(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.setdefault("base_dir", str(path.parent))
    return Scenario.model_validate(data)
