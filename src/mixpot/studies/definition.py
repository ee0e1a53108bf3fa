"""Study definition: base design, varied parameters (grids or distributions), metrics.

A study is a TOML file validated by :class:`Study`::

    name = "gold"
    base_design = "patent-preferred"
    sampler = "grid"          # "grid" (full factorial of the values), "sobol", "lhs", "random"
    samples = 64              # for the sampled kinds
    seed = 0
    metrics = ["signal_mV", "sensitivity_mV_per_decade", "o2_cross_sensitivity_mV"]

    [[parameters]]
    key = "measuring_electrode.gold_wt_percent"
    values = [0.0, 1.0, 10.0, 30.0]            # grid
    # low = 0.0, high = 30.0                   # uniform (sampled kinds)
    # distribution = "normal", mean = 10.0, std = 0.5

Sampled kinds draw from ``scipy.stats.qmc`` (Sobol, Latin hypercube) or plain uniform random
numbers in the unit cube and map them through each parameter's distribution (uniform between
``low`` and ``high``, or normal with ``mean`` and ``std`` by its inverse CDF).
"""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats
from scipy.stats import qmc

from mixpot.studies.metrics import METRICS

__all__ = ["Parameter", "Study", "load_study"]


class Parameter(BaseModel):
    """One varied design parameter (a dotted design key)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="dotted design key, e.g. 'operation.temperature_K'")
    values: list[float] | None = Field(None, description="grid values")
    low: float | None = None
    high: float | None = None
    distribution: Literal["uniform", "normal"] = "uniform"
    mean: float | None = None
    std: float | None = Field(None, gt=0.0)

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        numbers = [*(self.values or []), self.low, self.high, self.mean, self.std]
        if any(v is not None and not np.isfinite(v) for v in numbers):
            raise ValueError(f"parameter {self.key!r}: values and bounds must be finite")
        given = {name for name in ("low", "high", "mean", "std") if getattr(self, name) is not None}
        if self.values is not None:
            if not self.values:
                raise ValueError(f"parameter {self.key!r}: values must not be empty")
            if given or self.distribution != "uniform":
                raise ValueError(
                    f"parameter {self.key!r}: give either grid values or a distribution, not both"
                )
            return self
        unused = given - ({"low", "high"} if self.distribution == "uniform" else {"mean", "std"})
        if unused:
            raise ValueError(
                f"parameter {self.key!r}: {', '.join(sorted(unused))} do not apply to a "
                f"{self.distribution} distribution (a truncated normal is not supported)"
            )
        if self.distribution == "uniform":
            if self.low is None or self.high is None or not self.low < self.high:
                raise ValueError(
                    f"parameter {self.key!r}: a uniform distribution needs low < high, got "
                    f"low = {self.low}, high = {self.high}"
                )
        elif self.mean is None or self.std is None:
            raise ValueError(f"parameter {self.key!r}: a normal distribution needs mean and std")
        return self

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map unit-cube samples ``u`` in (0, 1) to parameter values."""
        if self.distribution == "normal":
            return stats.norm.ppf(u, loc=self.mean, scale=self.std)
        low, high = float(self.low or 0.0), float(self.high or 0.0)  # validated: low < high
        return low + u * (high - low)


class Study(BaseModel):
    """A study: what to vary, how to sample it and what to compute per sample."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    base_design: str = "patent-preferred"
    base_overrides: dict[str, float | str] = Field(default_factory=dict)
    sampler: Literal["grid", "sobol", "lhs", "random"] = "grid"
    samples: int = Field(64, ge=1, le=1_000_000)
    seed: int = Field(0, ge=0)
    parameters: list[Parameter] = Field(min_length=1)
    metrics: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Study:
        unknown = [m for m in self.metrics if m not in METRICS]
        if unknown:
            raise ValueError(
                f"unknown metric(s) {', '.join(unknown)}; known: {', '.join(sorted(METRICS))}"
            )
        keys = [p.key for p in self.parameters]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a parameter key appears twice in {keys}")
        _check_keys(self.base_design, keys)
        if self.sampler == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(
                f"samples = {self.samples}: a Sobol sequence keeps its balance properties only "
                "for a power of 2 (e.g. 64, 128, 256)"
            )
        if self.sampler == "grid":
            missing = [p.key for p in self.parameters if p.values is None]
            if missing:
                raise ValueError(f"sampler 'grid' needs values for {', '.join(missing)}")
        else:
            gridded = [p.key for p in self.parameters if p.values is not None]
            if gridded:
                raise ValueError(
                    f"sampler {self.sampler!r} draws from distributions; {', '.join(gridded)} "
                    "give values (use sampler = 'grid' or low/high/mean/std)"
                )
        return self

    def sample_table(self) -> dict[str, np.ndarray]:
        """Return the parameter values of every sample (key -> array of length n)."""
        if self.sampler == "grid":
            combos = list(itertools.product(*(p.values or [] for p in self.parameters)))
            table = np.array(combos, dtype=float).reshape(len(combos), len(self.parameters))
        else:
            d = len(self.parameters)
            if self.sampler == "sobol":
                u = qmc.Sobol(d, scramble=True, seed=self.seed).random(self.samples)
            elif self.sampler == "lhs":
                u = qmc.LatinHypercube(d, seed=self.seed).random(self.samples)
            else:
                u = np.random.default_rng(self.seed).uniform(size=(self.samples, d))
            u = np.clip(u, 1e-12, 1 - 1e-12)  # inverse CDFs are infinite at 0 and 1
            table = np.column_stack([p.from_unit(u[:, i]) for i, p in enumerate(self.parameters)])
        return {p.key: table[:, i] for i, p in enumerate(self.parameters)}

    def sample_seeds(self, n: int) -> np.ndarray:
        """Per-sample seeds spawned from the study seed (independent streams)."""
        return np.array(
            [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(self.seed).spawn(n)],
            dtype=np.uint32,
        )


def _check_keys(base_design: str, keys: list[str]) -> None:
    """Raise if a dotted key does not name a numeric field of the base design."""
    from mixpot import designs

    try:
        tree = designs.load(base_design).model_dump()
    except ValueError as exc:
        raise ValueError(f"base_design = {base_design!r}: {exc}") from None
    for key in keys:
        node: object = tree
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ValueError(f"parameter key {key!r} is not a field of the design")
            node = node[part]
        if isinstance(node, dict | list | str | bool):
            raise ValueError(f"parameter key {key!r} does not name a number")


def load_study(path: str | Path) -> Study:
    """Load and validate a study TOML file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    Study
        The validated study.

    Raises
    ------
    pydantic.ValidationError
        For invalid content (names the field and the problem).
    FileNotFoundError
        If the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"study file {path} does not exist")
    with path.open("rb") as fh:
        return Study.model_validate(tomllib.load(fh))
