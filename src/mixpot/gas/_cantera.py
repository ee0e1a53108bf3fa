"""Access to the vendored Cantera species set (``mixpot/data/mixpot-gas.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import cantera as ct

MECHANISM = "mixpot-gas.yaml"
"""File name of the vendored species set (GRI-Mech 3.0 species plus C3H6; see its header)."""


def mechanism_path() -> str:
    """Return the absolute path of the vendored Cantera input file.

    Returns
    -------
    str
        Path to ``mixpot/data/mixpot-gas.yaml``.
    """
    return str(resources.files("mixpot").joinpath("data").joinpath(MECHANISM))


def new_solution() -> ct.Solution:
    """Create a fresh Cantera ``Solution`` (ideal gas, mixture-averaged transport).

    A new object is returned on each call, so callers may change its state freely.

    Returns
    -------
    cantera.Solution
        Gas phase with all species of the vendored set.
    """
    return ct.Solution(mechanism_path())


@lru_cache(maxsize=1)
def shared_solution() -> ct.Solution:
    """Return a cached ``Solution`` for read-only lookups of species data (never set its state).

    Returns
    -------
    cantera.Solution
        Shared gas phase object.
    """
    return new_solution()
