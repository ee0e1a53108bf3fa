"""Run a study: one executor interface for serial, local processes and a Dask cluster.

Every sample runs :func:`run_sample` (a pure function of its task), wherever it runs; a sample
that fails returns its reason instead of raising, so no sample can stop the study. Results are
written to the :class:`~mixpot.studies.store.ResultStore` as they arrive, in batches of up to
:data:`WRITE_BATCH` or every :data:`WRITE_INTERVAL_S` (in the calling process: one writer), and
a killed study resumes with ``resume=True``: samples already on disk are not recomputed, the
rest are.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from mixpot.studies.definition import Study
from mixpot.studies.metrics import compute_metrics
from mixpot.studies.store import PENDING, ResultStore

__all__ = ["Task", "run_sample", "run_study"]

logger = logging.getLogger(__name__)

Task = tuple[int, str, dict[str, Any], dict[str, float], list[str], int]
"""``(index, base design, base overrides, sample overrides, metrics, seed)``."""

Result = tuple[int, dict[str, float] | None, str]

MAX_CHUNK = 16
"""Most samples a local worker computes per task (one round trip) [-]."""

WRITE_BATCH = 16
"""Finished samples written to the store together (one write per array) [-]."""

WRITE_INTERVAL_S = 1.0
"""A batch is written when the next result arrives this long after the last write [s] (or when
it holds :data:`WRITE_BATCH` results, and at the end or an interrupt): a kill loses at most the
batch not yet written, whose samples stay pending and are computed again on resume."""


def run_sample(task: Task) -> Result:
    """Compute one sample; never raises (a failure returns its reason).

    Parameters
    ----------
    task : Task
        What to compute.

    Returns
    -------
    tuple
        ``(index, metrics or None, reason)``.
    """
    from mixpot import designs

    index, base, base_overrides, overrides, metrics, seed = task
    try:
        with warnings.catch_warnings():
            # studies go outside the claimed ranges on purpose; numerical warnings of a
            # sample belong to that sample only
            warnings.simplefilter("ignore")
            design = designs.load(base, {**base_overrides, **overrides})
            values = compute_metrics(design, metrics, seed, base)
    except Exception as exc:  # a sample's failure is its result, never the study's
        return index, None, f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    return index, values, ""


def _serial(fn: Callable[[Task], Result], tasks: list[Task]) -> Iterator[Result]:
    for task in tasks:
        yield fn(task)


def _run_chunk(fn: Callable[[Task], Result], chunk: list[Task]) -> list[Result]:
    return [fn(task) for task in chunk]


def _processes(fn: Callable[[Task], Result], tasks: list[Task], workers: int) -> Iterator[Result]:
    import multiprocessing

    # fork (explicit: Python 3.14 changes the default): workers start with the parent's
    # imports and compiled code; forkserver workers import and warm up on their own. The
    # workers use neither zarr nor Rich, whose threads the parent may be running when it forks.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    # samples go out in chunks (a sample of the steady metrics takes a few ms, comparable to
    # the cost of a task's round trip); small enough that every worker gets several
    size = max(1, min(MAX_CHUNK, len(tasks) // (4 * workers)))
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    futures = {pool.submit(_run_chunk, fn, chunk): chunk[0][0] for chunk in chunks}
    try:
        for fut in as_completed(futures):
            try:
                yield from fut.result()
            except BrokenProcessPool as exc:
                raise RuntimeError(
                    "a worker process died (out of memory or a crash in compiled code, possibly "
                    f"while computing the samples from {futures[fut]} on); the samples written "
                    "are kept: resume the study to continue"
                ) from exc
    finally:
        # an interrupt or error: do not wait for (and then discard) the remaining samples
        pool.shutdown(wait=False, cancel_futures=True)


def _dask(fn: Callable[[Task], Result], tasks: list[Task], address: str) -> Iterator[Result]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(address) as client:
        logger.info("Dask cluster %s, dashboard (progress): %s", address, client.dashboard_link)
        futures = client.map(fn, tasks, pure=False)
        index = {f.key: t[0] for f, t in zip(futures, tasks, strict=True)}
        for fut in dask_completed(futures):
            exc = fut.exception()
            if exc is None:
                yield fut.result()
            else:  # e.g. KilledWorker: the cluster gave up on this sample
                yield index[fut.key], None, f"{type(exc).__name__}: {exc}"[:300]


def executor(
    workers: int | None, scheduler: str | None
) -> Callable[[Callable[[Task], Result], list[Task]], Iterable[Result]]:
    """Return the executor for the options: a Dask scheduler, else processes, else serial.

    Parameters
    ----------
    workers : int or None
        Local worker processes; None for the number of CPUs, 1 for serial in this process.
    scheduler : str or None
        Address of a Dask scheduler (``tcp://host:port``); overrides ``workers``.

    Returns
    -------
    callable
        ``executor(fn, tasks)`` yielding results as they complete.
    """
    import os

    if scheduler is not None:
        return lambda fn, tasks: _dask(fn, tasks, scheduler)
    n = (os.cpu_count() or 1) if workers is None else workers
    if n < 1:
        raise ValueError(f"workers = {workers} must be >= 1")
    if n == 1:
        return _serial
    return lambda fn, tasks: _processes(fn, tasks, n)


def run_study(
    study: Study,
    directory: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = False,
) -> ResultStore:
    """Run (or resume) a study and write its Zarr store and Parquet summary.

    Parameters
    ----------
    study : Study
        The study.
    directory : str or pathlib.Path
        Output folder: ``<name>.zarr`` and ``<name>_summary.parquet`` go there.
    workers : int, optional
        Local worker processes (default: one per CPU; 1 runs serially in this process).
    scheduler : str, optional
        Dask scheduler address; the samples run on that cluster.
    resume : bool
        Continue a study whose store exists: only pending samples are computed.
    progress : bool
        Show a Rich progress bar (opt-in).

    Returns
    -------
    ResultStore
        The store (``.summary()`` for a table).

    Raises
    ------
    ValueError
        If the store exists and ``resume`` is False, or holds another study.
    """
    execute = executor(workers, scheduler)  # bad options fail before anything is written
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{study.name}.zarr"
    if path.exists():
        if not resume:
            raise ValueError(f"study store {path} exists; resume it (--resume) or remove it")
        store = ResultStore.open(path, study)
    else:
        store = ResultStore.create(path, study)
    pending = [i for i, s in enumerate(store.status()) if s == PENDING]
    run = store.next_run()
    logger.info(
        "study %s: %d of %d samples to compute (run %d)", study.name, len(pending), store.size, run
    )
    tasks: list[Task] = [
        (i, study.base_design, dict(study.base_overrides), overrides, list(study.metrics), seed)
        for i, overrides, seed in store.tasks(pending)
    ]
    bar = _bar(progress, len(tasks), study.name)
    batch: list[Result] = []
    flushed = time.monotonic()
    try:
        for result in execute(run_sample, tasks):
            batch.append(result)
            if len(batch) >= WRITE_BATCH or time.monotonic() - flushed > WRITE_INTERVAL_S:
                store.write(batch, run)
                batch, flushed = [], time.monotonic()
            if bar is not None:
                bar.advance(bar.task_ids[0])
    finally:
        store.write(batch, run)  # what finished is on disk, also after an interrupt
        if bar is not None:
            bar.stop()
        # also after an interrupt: the summary shows what is on disk
        store.write_summary(folder / f"{study.name}_summary.parquet")
    return store


def _bar(enabled: bool, total: int, name: str) -> Any:
    if not enabled:
        return None
    from rich.progress import Progress

    bar = Progress()
    bar.add_task(f"study {name}", total=total)
    bar.start()
    return bar
