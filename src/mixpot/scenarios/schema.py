"""Schema of an exhaust trace: a time series of exhaust gas composition and state.

An exhaust trace is a :class:`pandas.DataFrame` with

* ``time_s`` — time [s], finite and strictly increasing (required),
* one column per species of :data:`mixpot.gas.species.SPECIES` except N2, named by its formula
  (``O2``, ``H2O``, ``CO2``, ``CO``, ``H2``, ``C3H6``, ``C3H8``, ``CH4``, ``NH3``, ``NO``) —
  mole fraction [-] of the wet exhaust; N2 is the balance and is never a column,
* optionally ``gas_temperature_K`` [K], ``pressure_Pa`` [Pa] and ``gas_velocity_m_s`` [m/s];
  when absent they are filled with :data:`DEFAULTS`.

:func:`validate_trace` checks a frame against this schema and returns a normalised copy.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from mixpot.constants import ATMOSPHERE
from mixpot.gas.mixture import SUM_TOLERANCE, Composition, composition
from mixpot.gas.species import SPECIES

TIME = "time_s"
"""Name of the time column [s]."""

SPECIES_COLUMNS: tuple[str, ...] = tuple(n for n in SPECIES if n != "N2")
"""Species columns [-] (mole fractions), canonical order; N2 is the balance."""

DEFAULTS: MappingProxyType[str, float] = MappingProxyType(
    {
        "gas_temperature_K": 573.15,
        "pressure_Pa": ATMOSPHERE,
        "gas_velocity_m_s": 10.0,
    }
)
"""Defaults of the optional state columns, used when a trace does not give them.

Estimates for engine-out exhaust of a warm gasoline engine at part load, not measured values:

* ``gas_temperature_K`` = 573.15 K (300 °C): exhaust gas at a sensor position in the exhaust
  pipe is roughly 300-800 °C depending on load and distance to the engine; 300 °C is the
  low-load end, where the sensor's own heater dominates the element temperature anyway.
* ``pressure_Pa`` = 101325 Pa: standard atmosphere; exhaust back pressure adds only a few kPa
  at part load.
* ``gas_velocity_m_s`` = 10 m/s: order of magnitude of the pipe velocity at part load
  (a few m/s at idle, tens of m/s at full load).
"""

STATE_COLUMNS: tuple[str, ...] = tuple(DEFAULTS)
"""Optional state columns, in canonical order."""

COLUMNS: tuple[str, ...] = (TIME, *SPECIES_COLUMNS, *STATE_COLUMNS)
"""All allowed columns, in the canonical order of a normalised trace."""

UNITS: MappingProxyType[str, str] = MappingProxyType(
    {
        TIME: "s",
        **dict.fromkeys(SPECIES_COLUMNS, "mol/mol"),
        "gas_temperature_K": "K",
        "pressure_Pa": "Pa",
        "gas_velocity_m_s": "m/s",
    }
)
"""Unit of every column (used for the MDF4 channel units)."""

_POSITIVE = ("gas_temperature_K", "pressure_Pa")


def _where(times: np.ndarray | None, row: int) -> str:
    """Describe row ``row`` for an error message (with its time when known)."""
    if times is None or not np.isfinite(times[row]):
        return f"row {row}"
    return f"row {row} (time_s = {times[row]:g} s)"


def validate_trace(trace: pd.DataFrame) -> pd.DataFrame:
    """Check an exhaust trace against the schema and return a normalised copy.

    Parameters
    ----------
    trace : pandas.DataFrame
        ``time_s`` [s], species mole fractions [-] (any subset of :data:`SPECIES_COLUMNS`) and
        optional state columns (:data:`STATE_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        New frame with a default integer index, all values float64, columns in the order of
        :data:`COLUMNS`: ``time_s``, every species column (absent species filled with 0.0) and
        every state column (absent ones filled with :data:`DEFAULTS`). Nothing is dropped,
        clipped or resampled.

    Raises
    ------
    TypeError
        If ``trace`` is not a DataFrame.
    ValueError
        For an empty trace, a missing ``time_s``, an unknown or duplicate column (the message
        lists the allowed ones), a non-numeric, NaN or infinite value, a negative value (zero
        or negative for temperature and pressure), mole fractions summing to more than 1, or a
        time that does not strictly increase. The message names the column, the first
        offending row with its time, and the value.

    Examples
    --------
    >>> import pandas as pd
    >>> t = validate_trace(pd.DataFrame({"time_s": [0.0, 1.0], "O2": [0.05, 0.06]}))
    >>> t["gas_temperature_K"].tolist(), t["CO"].tolist()
    ([573.15, 573.15], [0.0, 0.0])
    """
    if not isinstance(trace, pd.DataFrame):
        raise TypeError(f"an exhaust trace must be a pandas DataFrame, got {type(trace).__name__}")
    names = [str(c) for c in trace.columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"exhaust trace has duplicate columns: {', '.join(duplicates)}")
    if TIME not in names:
        raise ValueError(
            f"exhaust trace has no {TIME!r} column (time [s]); columns given: "
            f"{', '.join(names) or 'none'}"
        )
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        hint = " (N2 is the balance and must not be given)" if "N2" in unknown else ""
        raise ValueError(
            f"unknown column(s) in exhaust trace: {', '.join(unknown)}{hint}; allowed columns: "
            f"{', '.join(COLUMNS)}"
        )
    if len(trace) == 0:
        raise ValueError("exhaust trace is empty: at least one row is required")

    values: dict[str, np.ndarray] = {}
    for name, column in zip(names, trace.columns, strict=True):
        try:
            values[name] = np.array(pd.to_numeric(trace[column]), dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"column {name!r} of exhaust trace is not numeric: {exc}") from None

    raw_times = values[TIME]
    times = raw_times if np.isfinite(raw_times).all() else None
    ordered = [TIME, *(n for n in COLUMNS if n in values and n != TIME)]
    for name in ordered:
        arr = values[name]
        bad = ~np.isfinite(arr)
        if bad.any():
            row = int(np.argmax(bad))
            raise ValueError(
                f"column {name!r} of exhaust trace is {arr[row]} at {_where(times, row)}; "
                "finite values are required"
            )
        if name == TIME:
            continue
        bad = arr <= 0.0 if name in _POSITIVE else arr < 0.0
        if bad.any():
            row = int(np.argmax(bad))
            need = "> 0" if name in _POSITIVE else ">= 0"
            raise ValueError(
                f"column {name!r} of exhaust trace is {arr[row]:g} [{UNITS[name]}] at "
                f"{_where(times, row)}; values {need} are required"
            )

    steps = np.diff(raw_times)
    bad = steps <= 0.0
    if bad.any():
        row = int(np.argmax(bad)) + 1
        kind = "repeats" if steps[row - 1] == 0.0 else "decreases"
        raise ValueError(
            f"column {TIME!r} of exhaust trace {kind} at row {row}: {raw_times[row]:g} s after "
            f"{raw_times[row - 1]:g} s; time must strictly increase"
        )

    present = [n for n in SPECIES_COLUMNS if n in values]
    if present:
        total = np.sum([values[n] for n in present], axis=0)
        over = total > 1.0 + SUM_TOLERANCE
        if over.any():
            row = int(np.argmax(over))
            parts = ", ".join(f"{n}={values[n][row]:g}" for n in present if values[n][row] > 0)
            raise ValueError(
                f"mole fractions of exhaust trace sum to {total[row]:.12g} > 1 at "
                f"{_where(times, row)} ({parts}); the species except the N2 balance must not "
                "sum to more than 1"
            )

    n = len(raw_times)
    out = {TIME: raw_times}
    for name in SPECIES_COLUMNS:
        out[name] = values.get(name, np.zeros(n))
    for name, default in DEFAULTS.items():
        out[name] = values.get(name, np.full(n, default))
    return pd.DataFrame(out, columns=list(COLUMNS))


def trace_composition(trace: pd.DataFrame) -> Composition:
    """Return the gas compositions of a trace, one operating point per row.

    Parameters
    ----------
    trace : pandas.DataFrame
        Exhaust trace (validated by :func:`validate_trace`).

    Returns
    -------
    Composition
        Mole fractions [-] with shape ``(len(trace),)`` on the operating-point axis; N2 is the
        balance.

    Examples
    --------
    >>> import pandas as pd
    >>> c = trace_composition(pd.DataFrame({"time_s": [0.0], "O2": [0.05]}))
    >>> round(float(c["N2"][0]), 6)
    0.95
    """
    t = validate_trace(trace)
    return composition({n: t[n].to_numpy() for n in SPECIES_COLUMNS})
