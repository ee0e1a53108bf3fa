"""Exhaust gas compositions: validated mole fractions with N2 as the balance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import as_float_array
from mixpot.gas.species import SPECIES, get

SUM_TOLERANCE = 1e-9
"""Allowed excess of the sum of the given mole fractions over 1 (round-off) [-]."""


@dataclass(frozen=True)
class Composition:
    """Mole fractions of every species of :data:`mixpot.gas.species.SPECIES`.

    Build it with :func:`composition`, which validates the input. The array has the species on
    axis 0 (canonical order, N2 first) and the operating points on the remaining axes.

    Attributes
    ----------
    mole_fractions : numpy.ndarray
        Shape ``(len(SPECIES), *shape)`` [-]; each column sums to 1.
    """

    mole_fractions: NDArray[np.float64]

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the operating-point axes."""
        return self.mole_fractions.shape[1:]

    def __getitem__(self, name: str) -> NDArray[np.float64]:
        """Return the mole fraction of species ``name`` [-]."""
        return self.mole_fractions[species_index(name)]

    def as_dict(self, *, nonzero: bool = False) -> dict[str, NDArray[np.float64]]:
        """Return ``{species: mole fraction}``; with ``nonzero``, only species present somewhere."""
        return {
            n: self.mole_fractions[i]
            for i, n in enumerate(SPECIES)
            if not nonzero or np.any(self.mole_fractions[i] != 0.0)
        }


def species_index(name: str) -> int:
    """Return the position of species ``name`` on axis 0 of a :class:`Composition`.

    Parameters
    ----------
    name : str
        Species formula.

    Returns
    -------
    int
        Index into :data:`mixpot.gas.species.SPECIES`.

    Raises
    ------
    ValueError
        For an unknown species.
    """
    try:
        return SPECIES.index(name)
    except ValueError:
        raise ValueError(
            f"unknown species {name!r} in gas composition; known species: {', '.join(SPECIES)}"
        ) from None


def composition(gas: Mapping[str, ArrayLike] | Composition) -> Composition:
    """Validate a gas composition given as mole fractions, with N2 as the balance.

    Parameters
    ----------
    gas : mapping of str to array_like, or Composition
        Mole fraction [-] of each named species (scalars or arrays that broadcast together).
        N2 need not be given: it fills the remainder to 1. If N2 is given, the fractions must
        sum to 1.

    Returns
    -------
    Composition
        Validated mole fractions of all registry species.

    Raises
    ------
    ValueError
        For an unknown species, a negative, NaN or infinite fraction, a sum above 1 (or, with N2
        given, a sum different from 1), or arrays that do not broadcast. The message names the
        species and the offending value.

    Examples
    --------
    >>> c = composition({"O2": 0.05, "C3H6": 500e-6})
    >>> round(float(c["N2"]), 6)
    0.9495
    """
    if isinstance(gas, Composition):
        return gas
    if not isinstance(gas, Mapping):
        raise TypeError(f"gas must be a mapping of species to mole fractions, got {type(gas)}")
    arrays: dict[str, NDArray[np.float64]] = {}
    for name, value in gas.items():
        species_index(name)
        arr = as_float_array(value, f"mole fraction of {name}")
        # fast path: the extremes within [0, 1] (false for NaN); else find the offending value
        if not (arr.size == 0 or (arr.min() >= 0.0 and arr.max() <= 1.0)):
            if np.isnan(arr).any():
                raise ValueError(f"mole fraction of {name} is NaN; a value in [0, 1] is required")
            bad = ~np.isfinite(arr) | (arr < 0.0) | (arr > 1.0)
            raise ValueError(
                f"mole fraction of {name} = {arr[bad].flat[0]:g} "
                "is outside the allowed range [0, 1]"
            )
        arrays[name] = arr
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    except ValueError:
        shapes = ", ".join(f"{n}: {a.shape}" for n, a in arrays.items())
        raise ValueError(f"gas composition arrays do not broadcast together ({shapes})") from None
    x = np.zeros((len(SPECIES), *shape))
    for name, arr in arrays.items():
        x[SPECIES.index(name)] = arr
    total = x.sum(axis=0)
    if "N2" in arrays:
        off = np.abs(total - 1.0) > SUM_TOLERANCE
        if off.any():
            raise ValueError(
                "mole fractions sum to "
                f"{total[off].flat[0]:.12g} with N2 given explicitly; they must sum to 1 "
                "(or leave N2 out and it is taken as the balance)"
            )
    else:
        over = total > 1.0 + SUM_TOLERANCE
        if over.any():
            i = np.argmax(over.ravel())
            parts = ", ".join(
                f"{n}={np.broadcast_to(a, shape).flat[i]:g}" for n, a in arrays.items()
            )
            raise ValueError(
                f"mole fractions sum to {total.flat[i]:.12g} > 1 ({parts}); "
                "the sum of all species except the N2 balance must not exceed 1"
            )
        # round-off within SUM_TOLERANCE may leave a tiny negative remainder: that is N2 = 0
        x[SPECIES.index("N2")] = np.maximum(1.0 - total, 0.0)
    return Composition(x)


def element_totals(gas: Mapping[str, ArrayLike] | Composition) -> dict[str, NDArray[np.float64]]:
    """Return the moles of C, H, O and N atoms per mole of gas.

    Parameters
    ----------
    gas : mapping or Composition
        Gas composition (see :func:`composition`).

    Returns
    -------
    dict of str to numpy.ndarray
        ``{"C": ..., "H": ..., "O": ..., "N": ...}`` [mol atoms / mol gas].

    Examples
    --------
    >>> {k: round(float(v), 4) for k, v in element_totals({"CO2": 0.1, "H2O": 0.1}).items()}
    {'C': 0.1, 'H': 0.2, 'O': 0.3, 'N': 1.6}
    """
    x = composition(gas).mole_fractions
    totals = np.tensordot(_element_matrix(), x, axes=(1, 0))
    return dict(zip(("C", "H", "O", "N"), totals, strict=True))


@cache
def _element_matrix() -> NDArray[np.float64]:
    """Atoms of C, H, O and N (rows) in each species of :data:`SPECIES` (columns)."""
    matrix = np.array(
        [[get(n).elements[e] for n in SPECIES] for e in ("C", "H", "O", "N")], dtype=float
    )
    matrix.setflags(write=False)
    return matrix
