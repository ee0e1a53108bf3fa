"""Study results on disk: a Zarr group written in batches of finished samples, resumable.

Layout (Zarr v3, chunks of :data:`CHUNK` samples, each written atomically by Zarr's local
store; one writer):

* ``param_<key>`` (sample) float: the sample's parameter values, written when the store is
  created;
* ``seed`` (sample) uint32: the sample's seed (spawned from the study seed);
* ``metrics`` (sample, metric) float: NaN until computed;
* ``status`` (sample) int8: 0 pending, 1 done, 2 failed, written *after* the metrics, so a
  sample counts as finished only when everything of it is on disk;
* ``run`` (sample) int32: which run (1 = first, 2 = first resume, ...) computed it;
* ``reason`` (sample) str: why a sample failed.

The study definition is stored as JSON in the group attributes; resuming checks it.
``xarray.open_zarr`` reads the group (dimensions ``sample`` and ``metric``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import zarr

import mixpot
from mixpot.report.files import atomic_write
from mixpot.studies.definition import Study

__all__ = ["DONE", "FAILED", "PENDING", "ResultStore"]

PENDING, DONE, FAILED = 0, 1, 2

CHUNK = 256
"""Samples per chunk of the result arrays. Zarr's local store writes a chunk atomically (a
temporary file, then a rename), and one process writes, so a kill during a write leaves every
finished sample intact; a batch of results touches a chunk or two per array instead of one file
per sample and array."""


def _param_name(key: str) -> str:
    return "param_" + key.replace(".", "__")


class ResultStore:
    """The Zarr group of one study (create, reopen, write one sample, summarise)."""

    def __init__(self, path: Path, group: zarr.Group, study: Study) -> None:
        self.path, self.group, self.study = path, group, study
        self._metrics = group["metrics"]
        self._status = group["status"]
        self._run = group["run"]
        self._reason = group["reason"]

    @classmethod
    def create(cls, path: Path, study: Study) -> ResultStore:
        """Create the store with every sample pending (parameters and seeds written)."""
        table = study.sample_table()
        n = len(next(iter(table.values())))
        group = zarr.open_group(str(path), mode="w-")
        for key, values in table.items():
            arr = group.create_array(
                _param_name(key),
                shape=(n,),
                chunks=(max(n, 1),),
                dtype="f8",
                dimension_names=["sample"],
            )
            arr[:] = values
            arr.attrs["key"] = key
        seeds = group.create_array(
            "seed", shape=(n,), chunks=(max(n, 1),), dtype="u4", dimension_names=["sample"]
        )
        seeds[:] = study.sample_seeds(n)
        group.create_array(
            "metrics",
            shape=(n, len(study.metrics)),
            chunks=(min(max(n, 1), CHUNK), len(study.metrics)),
            dtype="f8",
            fill_value=np.nan,
            dimension_names=["sample", "metric"],
        )
        for name, dtype, fill in (("status", "i1", PENDING), ("run", "i4", 0), ("reason", str, "")):
            group.create_array(
                name,
                shape=(n,),
                chunks=(min(max(n, 1), CHUNK),),
                dtype=dtype,
                fill_value=fill,
                dimension_names=["sample"],
            )
        # the definition last: a store without it was interrupted while being created
        group.attrs.update(
            {
                "study": study.model_dump_json(),
                "mixpot_version": mixpot.__version__,
                "metric_names": list(study.metrics),
            }
        )
        return cls(path, group, study)

    @classmethod
    def open(cls, path: Path, study: Study) -> ResultStore:
        """Reopen an existing store; the study definition must be the same."""
        group = zarr.open_group(str(path), mode="r+")
        if "study" not in group.attrs:
            raise ValueError(
                f"store {path} is incomplete (its creation was interrupted); remove it and run "
                "the study again"
            )
        stored = Study.model_validate_json(str(group.attrs["study"]))
        if stored != study:
            raise ValueError(
                f"store {path} holds another definition of study {stored.name!r}; resume needs "
                "the same study file (or choose a new name)"
            )
        return cls(path, group, study)

    @property
    def size(self) -> int:
        """Number of samples."""
        return int(self._status.shape[0])

    def status(self) -> np.ndarray:
        """Status of every sample."""
        return np.asarray(self._status[:])

    def tasks(self, indices: np.ndarray) -> list[tuple[int, dict[str, float], int]]:
        """``(index, overrides, seed)`` of the given samples."""
        keys = [p.key for p in self.study.parameters]
        values = {k: np.asarray(self.group[_param_name(k)][:]) for k in keys}
        seeds = np.asarray(self.group["seed"][:])
        return [(int(i), {k: float(values[k][i]) for k in keys}, int(seeds[i])) for i in indices]

    def next_run(self) -> int:
        """Return the number of the run that starts now."""
        return int(np.max(self._run[:], initial=0)) + 1

    def write(self, results: list[tuple[int, dict[str, float] | None, str]], run: int) -> None:
        """Write finished samples ``(index, metrics or None, reason)``: metrics first, status last.

        One write per array for the whole batch (chunks are replaced atomically, so a write
        interrupted by a kill cannot damage another sample's results).
        """
        if not results:
            return
        index = np.array([i for i, _, _ in results])
        done = [(i, m) for i, m, _ in results if m is not None]
        if done:
            rows = np.array([[m[name] for name in self.study.metrics] for _, m in done])
            self._metrics.oindex[np.array([i for i, _ in done]), :] = rows
        failed = [(i, r) for i, _, r in results if r]
        if failed:
            self._reason.oindex[np.array([i for i, _ in failed])] = np.array([r for _, r in failed])
        self._run.oindex[index] = np.full(index.size, run, dtype=np.int32)
        status = [DONE if m is not None else FAILED for _, m, _ in results]
        self._status.oindex[index] = np.array(status, dtype=np.int8)

    def dataset(self) -> xr.Dataset:
        """Return the results as an xarray Dataset (loaded)."""
        ds = xr.open_zarr(str(self.path), consolidated=False, chunks=None).load()
        return ds.assign_coords(metric=list(self.study.metrics))

    def summary(self) -> pd.DataFrame:
        """One row per sample: parameters, seed, status, run, reason and metrics."""
        ds = self.dataset()
        cols: dict[str, Any] = {}
        for p in self.study.parameters:
            cols[p.key] = ds[_param_name(p.key)].values
        cols["seed"] = ds["seed"].values
        cols["status"] = ds["status"].values
        cols["run"] = ds["run"].values
        cols["reason"] = [str(r) for r in ds["reason"].values]
        for j, m in enumerate(self.study.metrics):
            cols[m] = ds["metrics"].values[:, j]
        return pd.DataFrame(cols)

    def write_summary(self, path: Path) -> Path:
        """Write :meth:`summary` as Parquet (atomically)."""
        frame = self.summary()
        return atomic_write(path, lambda p: frame.to_parquet(p, engine="pyarrow", index=False))
