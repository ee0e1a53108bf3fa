"""Characteristic curves of a design (layer-3 orchestration over :func:`mixpot.steady_state`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

import mixpot
from mixpot.design import Design
from mixpot.gas import combustion_exhaust
from mixpot.steady import steady_state

DEFAULT_O2_LEVELS = (0.02, 0.05, 0.10, 0.15)
"""Exhaust O2 mole fractions of the measuring-voltage curves [-]."""

BACKGROUND = {"H2O": 0.10, "CO2": 0.10}
"""Water and CO2 of the synthetic exhaust of the curves [-] (typical lean gasoline exhaust)."""


def measuring_voltage_curves(
    design: Design,
    species: str = "C3H6",
    ppm: Sequence[float] = (0, 10, 20, 50, 100, 200, 500, 1000, 2000),
    o2_levels: Sequence[float] = DEFAULT_O2_LEVELS,
    temperature_K: float | None = None,
    pressure_Pa: float = 101325.0,
) -> xr.Dataset:
    """Measuring voltage versus an oxidizable gas at several exhaust O2 levels.

    Parameters
    ----------
    design : Design
        The design.
    species : str
        Oxidizable species varied.
    ppm : sequence of float
        Its concentrations [ppm].
    o2_levels : sequence of float
        Exhaust O2 mole fractions [-].
    temperature_K : float, optional
        Element temperature [K]; default the design's.
    pressure_Pa : float
        Exhaust pressure [Pa].

    Returns
    -------
    xarray.Dataset
        ``measuring_voltage_V``, ``pump_current_A``, ``converged`` over (``o2``, ``ppm``).
    """
    c = np.asarray(ppm, dtype=float)
    o2 = np.asarray(o2_levels, dtype=float)
    gas = {**BACKGROUND, "O2": o2[:, None], species: c[None, :] * 1e-6}
    r = steady_state(design, gas, temperature_K, pressure_Pa)
    dims = ("o2", "ppm")
    return xr.Dataset(
        {
            "measuring_voltage_V": (dims, r.measuring_voltage_V, {"units": "V"}),
            "pump_current_A": (dims, r.pump_current_A, {"units": "A"}),
            "converged": (dims, r.converged),
        },
        coords={"o2": ("o2", o2, {"units": "1"}), "ppm": ("ppm", c, {"units": "ppm"})},
        attrs={"design": design.name, "species": species, "mixpot_version": mixpot.__version__},
    )


def pump_current_curve(
    design: Design,
    lambdas: Sequence[float] = tuple(np.round(np.linspace(0.8, 2.5, 35), 4)),
    temperature_K: float | None = None,
    pressure_Pa: float = 101325.0,
) -> xr.Dataset:
    """Pump current versus exhaust lambda (complete-combustion exhaust of the design's fuel).

    Parameters
    ----------
    design : Design
        The design.
    lambdas : sequence of float
        Exhaust air ratios [-].
    temperature_K : float, optional
        Element temperature [K]; default the design's.
    pressure_Pa : float
        Exhaust pressure [Pa].

    Returns
    -------
    xarray.Dataset
        ``pump_current_A`` and ``converged`` over ``lambda``.
    """
    lam = np.asarray(lambdas, dtype=float)
    ex = combustion_exhaust(lam, design.operation.fuel_h_to_c, design.operation.fuel_o_to_c)
    r = steady_state(design, ex.as_dict(nonzero=True), temperature_K, pressure_Pa)
    return xr.Dataset(
        {
            "pump_current_A": ("lambda", r.pump_current_A, {"units": "A"}),
            "converged": ("lambda", r.converged),
        },
        coords={"lambda": ("lambda", lam, {"units": "1"})},
        attrs={"design": design.name, "mixpot_version": mixpot.__version__},
    )
