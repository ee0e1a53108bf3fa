"""Characteristic curves of a design (layer-3 orchestration over :func:`mixpot.steady_state`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

import mixpot
from mixpot.design import Design
from mixpot.gas import combustion_exhaust
from mixpot.steady import steady_state

DEFAULT_O2_LEVELS = (0.02, 0.05, 0.10, 0.15)
"""Exhaust O2 mole fractions of the measuring-voltage curves [-]."""

BACKGROUND = {"H2O": 0.10, "CO2": 0.10}
"""Water and CO2 of the synthetic exhaust of the curves [-]. Estimate: the complete-combustion
exhaust of the default fuel (H/C 1.85) at lambda 1.3 holds 9.7 % H2O and 10.5 % CO2
(:func:`mixpot.gas.combustion_exhaust`); rounded to 10 % each and held fixed while the O2 of
the curves varies."""


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


def o2_effects(
    design: Design,
    species: str = "C3H6",
    ppm: float = 500.0,
    o2_levels: Sequence[float] = (0.02, 0.05, 0.15),
    temperature_K: float | None = None,
) -> xr.Dataset:
    """Size the effects by which exhaust O2 still reaches the signal of a pumped design.

    Runs the steady state with all effects, without Stefan flow, and without fuel oxidation at
    the inner pump electrode (which turns anodic below the setpoint, when O2 is pumped in):
    the differences between the variants are the sizes of the effects.

    Parameters
    ----------
    design : Design
        A pumped design.
    species : str
        Oxidizable species.
    ppm : float
        Its concentration [ppm].
    o2_levels : sequence of float
        Exhaust O2 mole fractions [-].
    temperature_K : float, optional
        Element temperature [K]; default the design's.

    Returns
    -------
    xarray.Dataset
        ``signal_V`` (measuring voltage minus its value without the oxidizable gas),
        ``fuel_at_measuring_electrode`` and ``pump_current_A`` over (``variant``, ``o2``).
    """
    from mixpot.sensor.model import ModelOptions

    variants = {
        "all effects": ModelOptions(),
        "no Stefan flow": ModelOptions(stefan_flow=False),
        "no fuel oxidation at pump electrode": ModelOptions(pump_electrode_fuel_oxidation=False),
    }
    o2 = np.asarray(o2_levels, dtype=float)
    rows: dict[str, list[Any]] = {
        "signal_V": [],
        "fuel_at_measuring_electrode": [],
        "pump_current_A": [],
    }
    for opts in variants.values():
        gas = {**BACKGROUND, "O2": o2}
        r = steady_state(design, {**gas, species: ppm * 1e-6}, temperature_K, options=opts)
        r0 = steady_state(design, gas, temperature_K, options=opts)
        rows["signal_V"].append(r.measuring_voltage_V - r0.measuring_voltage_V)
        rows["fuel_at_measuring_electrode"].append(r.chamber[species])
        rows["pump_current_A"].append(r.pump_current_A)
    dims = ("variant", "o2")
    return xr.Dataset(
        {k: (dims, np.array(v)) for k, v in rows.items()},
        coords={"variant": list(variants), "o2": o2},
        attrs={"design": design.name, "species": species, "ppm": ppm},
    )
