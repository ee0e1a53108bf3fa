"""The built-in studies: the claims study and the Monte Carlo tolerance study (TOML files)."""

from __future__ import annotations

import tomllib
from importlib import resources

from mixpot.studies.definition import Study

__all__ = ["BUILTIN", "builtin"]

BUILTIN = ("claims", "tolerances")
"""Names of the built-in studies."""


def builtin(name: str, **changes: object) -> Study:
    """Load a built-in study, optionally with top-level fields changed (e.g. ``samples``).

    Parameters
    ----------
    name : str
        One of :data:`BUILTIN`.
    **changes
        Top-level fields to replace.

    Returns
    -------
    Study
        The validated study.

    Raises
    ------
    ValueError
        For an unknown name.
    """
    if name not in BUILTIN:
        raise ValueError(f"study {name!r} is not built in; built-in: {', '.join(BUILTIN)}")
    text = resources.files("mixpot.studies").joinpath("data", f"{name}.toml").read_text("utf-8")
    return Study.model_validate({**tomllib.loads(text), **changes})
