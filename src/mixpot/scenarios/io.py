"""Read and write exhaust traces as CSV, Parquet or ASAM MDF4 files.

The format follows from the file extension:

==============  ===================================================================
``.csv``        comma-separated text, one header line with the column names; lines
                starting with ``#`` are comments. Floats are written with full
                (round-trip) precision.
``.parquet``    Apache Parquet through pyarrow, one column per trace column.
``.mf4``        ASAM MDF 4.10 through asammdf: one data group, ``time_s`` as the
                master (time) channel, one float64 channel per column with its unit.
==============  ===================================================================

Every trace is checked with :func:`mixpot.scenarios.schema.validate_trace` on reading and
writing, and files are written atomically (:func:`mixpot.report.files.atomic_write`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mixpot.report.files import atomic_write
from mixpot.scenarios.schema import SPECIES_COLUMNS, TIME, UNITS, validate_trace

FORMATS: tuple[str, ...] = (".csv", ".parquet", ".mf4")
"""File extensions understood by :func:`read_trace` and :func:`write_trace`."""

# pandas < 3 parses CSV floats with a fast, not always exact, parser unless asked for
# round-trip precision; pandas 3 parses exactly by default and deprecates the argument.
_CSV_PRECISION = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
_MDF_VERSION = "4.10"
_MDF_SYNC_TIME = 1  # MDF4 cn_sync_type 1: the master channel is time [s]


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"unknown exhaust-trace file format {path.suffix or '(no extension)'!r} of {path}; "
            f"supported extensions: {', '.join(FORMATS)}"
        )
    return suffix


def read_trace(path: str | Path) -> pd.DataFrame:
    """Read an exhaust trace from a CSV, Parquet or MDF4 file.

    Parameters
    ----------
    path : str or pathlib.Path
        File with extension ``.csv``, ``.parquet`` or ``.mf4``.

    Returns
    -------
    pandas.DataFrame
        The validated, normalised trace (see :func:`~mixpot.scenarios.schema.validate_trace`).

    Raises
    ------
    ValueError
        For an unknown extension, an MDF4 file whose channels do not share one time base, or a
        trace that violates the schema.
    FileNotFoundError
        If the file does not exist.
    """
    return validate_trace(read_table(path, "exhaust-trace"))


def read_table(path: str | Path, what: str = "signal") -> pd.DataFrame:
    """Read a time-based table from a CSV, Parquet or MDF4 file, without schema checks.

    Parameters
    ----------
    path : str or pathlib.Path
        File with extension ``.csv``, ``.parquet`` or ``.mf4`` (MDF4: the master channel
        becomes the ``time_s`` column; all channels must share one time base).
    what : str
        What the file holds, for error messages.

    Returns
    -------
    pandas.DataFrame
        The columns as stored.

    Raises
    ------
    ValueError
        For an unknown extension or an MDF4 file whose channels do not share one time base.
    FileNotFoundError
        If the file does not exist.
    """
    path = Path(path)
    kind = _format(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} file {path} does not exist")
    if kind == ".csv":
        return pd.read_csv(path, comment="#", **_CSV_PRECISION)
    if kind == ".parquet":
        return pd.read_parquet(path, engine="pyarrow")
    return _read_mdf(path)


def _read_mdf(path: Path) -> pd.DataFrame:
    from asammdf import MDF  # imported lazily: asammdf is slow to import

    columns: dict[str, np.ndarray] = {}
    master: np.ndarray | None = None
    with MDF(path) as mdf:
        for signal in mdf.iter_channels():
            name = str(signal.name)
            if name in columns:
                raise ValueError(f"MDF file {path} holds channel {name!r} more than once")
            timestamps = np.asarray(signal.timestamps, dtype=np.float64)
            if master is None:
                master = timestamps
            elif timestamps.shape != master.shape or not np.array_equal(timestamps, master):
                raise ValueError(
                    f"channel {name!r} of MDF file {path} has another time base than the other "
                    "channels; an exhaust trace needs one common time base (resample first)"
                )
            columns[name] = np.asarray(signal.samples, dtype=np.float64)
    if master is None:
        raise ValueError(f"MDF file {path} holds no data channels; an exhaust trace needs some")
    if TIME in columns:
        raise ValueError(
            f"MDF file {path} holds {TIME!r} as a data channel; it must be the master channel"
        )
    return pd.DataFrame({TIME: master, **columns})


def write_trace(trace: pd.DataFrame, path: str | Path) -> Path:
    """Write an exhaust trace to a CSV, Parquet or MDF4 file, atomically.

    The trace is validated and normalised first, so the file holds every schema column
    (absent species as 0, absent state columns with their defaults).

    Parameters
    ----------
    trace : pandas.DataFrame
        Exhaust trace (see :mod:`mixpot.scenarios.schema`).
    path : str or pathlib.Path
        Destination with extension ``.csv``, ``.parquet`` or ``.mf4``; parent folders are
        created, an existing file is replaced.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        For an unknown extension or a trace that violates the schema.
    """
    path = Path(path)
    kind = _format(path)
    df = validate_trace(trace)
    if kind == ".csv":
        return atomic_write(path, lambda tmp: df.to_csv(tmp, index=False))
    if kind == ".parquet":
        return atomic_write(path, lambda tmp: df.to_parquet(tmp, engine="pyarrow", index=False))
    return atomic_write(path, lambda tmp: _write_mdf(df, tmp))


def _write_mdf(df: pd.DataFrame, tmp: str) -> None:
    from asammdf import MDF, Signal

    time = df[TIME].to_numpy()
    signals = [
        Signal(
            samples=df[name].to_numpy(),
            timestamps=time,
            unit=UNITS[name],
            name=name,
            comment="mole fraction (wet, N2 balance)" if name in SPECIES_COLUMNS else "",
            master_metadata=(TIME, _MDF_SYNC_TIME),
        )
        for name in df.columns
        if name != TIME
    ]
    mdf = MDF(version=_MDF_VERSION)
    try:
        mdf.append(signals, acq_name="exhaust trace", comment="mixpot exhaust trace")
        # a file object, not a path: asammdf would rename a path to the .mf4 extension
        with open(tmp, "wb+") as fh:
            mdf.save(fh, overwrite=True)
    finally:
        mdf.close()
