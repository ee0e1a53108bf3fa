"""Sensor designs: validated parameter objects (layer 2), loaded from TOML.

A :class:`Design` holds the geometry, the electrodes, the electrolyte and the operating point of
one sensor element. It only holds and validates values; the physics lives in the layer-1
functions and the orchestrators combine them. All values are SI, with the unit in the field name.

Validation has two levels:

* physically impossible values (negative lengths, porosity outside (0, 1], gold content outside
  0-100 wt%, a barrier that does not fit in the chamber, NaN or infinity, ...) raise a
  ``pydantic`` ``ValidationError`` naming the field and the value; loaded through
  :func:`mixpot.designs.load`, its message also states the whole allowed range;
* values outside the patent's claimed ranges are accepted, and :func:`check_claims` reports
  which claims the design satisfies; loading such a design issues a :class:`ClaimWarning`
  naming the claim.

References
----------
.. [1] Robert Bosch GmbH, US 6,890,422 B1 (priority DE 199 41 051, 1999): claims 1-11.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PositiveLength = Annotated[float, Field(gt=0.0, lt=0.1, description="length [m]")]


class ClaimWarning(UserWarning):
    """A design lies outside a range claimed by the patent (it is still simulated)."""


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )


class Geometry(_Model):
    """Geometry of the planar element: access hole, diffusion barrier ring, chamber, cells.

    The chamber lies in one layer plane (claim 11): a cylindrical gas access hole of radius
    ``access_hole_radius_m`` leads to a porous barrier ring (inner radius = hole radius, outer
    radius ``barrier_outer_radius_m``), followed by the annular measuring gas chamber up to
    ``chamber_outer_radius_m``, of height ``chamber_height_m``. The inner pump electrode and the
    measuring electrode face each other on the chamber's top and bottom (claim 4), from the
    barrier's outer radius to ``electrode_outer_radius_m``.

    Planar sensor geometry is not public: the defaults are estimates inside the ranges of
    ``shared/design/physics.md`` (chamber height 10-50 µm, access hole 0.2-0.6 mm, barrier
    porosity 20-40 %, pore size 0.1-1 µm). The barrier defaults are calibrated against the
    Bosch LSU 4.9 data sheet (same pump-cell technology), with porosity 0.3 assumed:

    * pore diameter 1.78 µm from the lean pump-current rise of +16.5 % at 2.0 bar absolute
      (only the Knudsen share of the transport resistance makes the limiting current rise with
      pressure; porosity and tortuosity cancel in the ratio). This is above the 0.1-1 µm of
      physics.md: with the isobaric dusty-gas model the data sheet needs coarser pores;
    * tortuosity 1.312 so that the O2 limiting current in air (20.95 % O2) at 780 °C and
      1013 hPa is 2.54 mA, with Stefan flow, through the ring 0.2-0.9 mm, 20 µm high.

    Both are calibrations, not independent validations (tests/test_design_calibration.py
    checks that they hold).

    Chamber height 50 µm and electrode rings from 0.9 to 1.2 mm are estimates at the end of the
    ranges that favours analyte survival: every surface reaction on the way along the
    electrodes consumes the oxidizable gas, and in a gap of height h with electrodes of radial
    length L it survives only where the wall rate constants stay below about h D/(2 L^2)
    (a few 1e-2 m/s here, against 3e-3 m/s for 20 µm and 0.6 mm). The patent's design goal is
    that the analyte reaches the measuring electrode, so a designer keeps L short.
    """

    access_hole_radius_m: PositiveLength = 0.2e-3
    barrier_outer_radius_m: PositiveLength = 0.9e-3
    chamber_outer_radius_m: PositiveLength = 1.6e-3
    electrode_outer_radius_m: PositiveLength = 1.2e-3
    chamber_height_m: PositiveLength = 50e-6
    barrier_height_m: PositiveLength = 20e-6
    barrier_porosity: float = Field(0.3, gt=0.0, le=1.0, description="[-]")
    barrier_tortuosity: float = Field(1.312, ge=1.0, le=100.0, description="[-]")
    barrier_pore_diameter_m: float = Field(1.78e-6, gt=1e-9, lt=1e-3, description="[m]")
    electrolyte_thickness_m: PositiveLength = 0.3e-3
    radial_cells_barrier: int = Field(4, ge=1, le=200)
    radial_cells_chamber: int = Field(6, ge=1, le=200)

    @model_validator(mode="after")
    def _nested_radii(self) -> Geometry:
        r = (
            ("access_hole_radius_m", self.access_hole_radius_m),
            ("barrier_outer_radius_m", self.barrier_outer_radius_m),
            ("electrode_outer_radius_m", self.electrode_outer_radius_m),
            ("chamber_outer_radius_m", self.chamber_outer_radius_m),
        )
        for (n0, v0), (n1, v1) in itertools.pairwise(r):
            if not v1 > v0:
                raise ValueError(f"{n1} = {v1:g} m must be larger than {n0} = {v0:g} m")
        return self


class Electrode(_Model):
    """One electrode: its material (gold content of the Pt-Au alloy) and layer data.

    ``gold_wt_percent`` = 0 is pure platinum (equilibrium-catalytic), 100 pure gold.
    ``roughness_factor`` (catalytically active area per geometric area) and
    ``thickness_m`` (porous cermet layer) are estimates: 5-15 µm thick screen-printed cermet
    layers are typical of planar sensors, the roughness factor is a free parameter.
    """

    gold_wt_percent: float = Field(0.0, ge=0.0, le=100.0, description="Au content [wt%]")
    thickness_m: float = Field(10e-6, gt=0.0, lt=1e-3, description="layer thickness [m]")
    roughness_factor: float = Field(1.0, gt=0.0, le=1e4, description="[-]")


class Operation(_Model):
    """Operating point of the element and its electronics.

    ``chamber_lambda_setpoint`` sets the compartment O2 (claim 3: lambda >= 1.3); the Nernst
    setpoint follows from it at ``temperature_K`` unless ``nernst_setpoint_V`` is given (the
    LSU-type sensor holds 0.45 V). ``reference`` is reference air or a pumped reference.

    ``nernst_measurement`` is a model choice for how the pump loop reads the Nernst voltage
    of the inner pump electrode: ``"open-circuit"`` (default) samples it free of the pump
    current's own overpotential (current interruption or pulsed pumping, as used to read
    electrode potentials without polarisation), so the loop sees the electrode's open-circuit
    potential, i.e. the chamber O2 shifted only by the electrode's own mixed potential;
    ``"under-current"`` reads it while the pump current flows, so the electrode's
    polarisation enters the loop and the chamber O2 drifts with the pump current;
    ``"measuring-electrode"`` reads a separate Nernst electrode in the cavity, the measuring
    electrode opposite the pump electrode, at zero current (the wideband sensor's Nernst cell:
    the pump electrode's potential is then whatever the loop needs, and the cavity gas at the
    Nernst electrode is titrated to the setpoint, with the H2 and CO the pump electrode makes
    from H2O and CO2 beyond the O2 limiting current).

    ``pump_kp_A_per_V`` and ``pump_ki_A_per_V_s`` are the pump loop's PI gains when the design
    needs its own (None: the firmware defaults of :mod:`mixpot.control.pump`); the loop's
    stability depends on the slope of the Nernst reading against the pump current, which
    differs by orders of magnitude between the readings.
    """

    temperature_K: float = Field(1053.15, ge=600.0, le=1400.0, description="element [K]")
    chamber_lambda_setpoint: float = Field(1.3, gt=1.0, le=100.0, description="[-]")
    nernst_setpoint_V: float | None = Field(None, ge=0.0, le=1.2, description="[V]")
    fuel_h_to_c: float = Field(1.85, ge=0.0, le=4.0, description="fuel H/C for lambda [-]")
    fuel_o_to_c: float = Field(0.0, ge=0.0, le=2.0, description="fuel O/C for lambda [-]")
    nernst_measurement: Literal["open-circuit", "under-current", "measuring-electrode"] = (
        "open-circuit"
    )
    reference: Literal["air", "pumped"] = "air"
    reference_o2_fraction: float = Field(0.2095, gt=0.0, le=1.0, description="[-]")
    reference_pump_current_A: float = Field(20e-6, ge=0.0, le=1e-3, description="[A]")
    pump_kp_A_per_V: float | None = Field(None, ge=0.0, le=10.0, description="[A/V]")
    pump_ki_A_per_V_s: float | None = Field(None, ge=0.0, le=1e4, description="[A/(V s)]")


class Design(_Model):
    """A complete sensor design (geometry, electrodes, electrolyte cell data, operation).

    ``pumped = False`` describes the unpumped prior-art sensor: the measuring electrode sees the
    exhaust directly and there is no pump cell.
    """

    name: str = "custom"
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    pumped: bool = True
    implements_patent: bool = Field(
        True, description="warn when outside the patent's claimed ranges (off for comparisons)"
    )
    geometry: Geometry = Geometry()
    measuring_electrode: Electrode = Electrode(gold_wt_percent=10.0)
    inner_pump_electrode: Electrode = Electrode(gold_wt_percent=0.5)
    outer_pump_electrode: Electrode = Electrode(gold_wt_percent=0.0)
    reference_electrode: Electrode = Electrode(gold_wt_percent=0.0)
    nernst_cell_constant_per_m: float = Field(
        567.0, gt=0.0, le=1e7, description="L/A of the Nernst/measuring cell [1/m]"
    )
    pump_cell_constant_per_m: float = Field(
        150.0, gt=0.0, le=1e7, description="L/A of the pump cell [1/m]"
    )
    operation: Operation = Operation()


@dataclass(frozen=True)
class Claim:
    """Result of checking one patent claim on a design."""

    number: str
    text: str
    satisfied: bool
    detail: str


def check_claims(design: Design) -> list[Claim]:
    """Check which claims of US 6,890,422 a design satisfies.

    Parameters
    ----------
    design : Design
        The design to check.

    Returns
    -------
    list of Claim
        One entry per checked claim (1-3 pumped chamber and lambda, 5-6 measuring electrode
        gold, 7-8 inner pump electrode gold, 9-10 Pt reference).

    References
    ----------
    .. [1] US 6,890,422 B1, claims 1-11.

    Examples
    --------
    >>> all(c.satisfied for c in check_claims(Design()))
    True
    """
    m = design.measuring_electrode.gold_wt_percent
    i = design.inner_pump_electrode.gold_wt_percent
    lam = design.operation.chamber_lambda_setpoint
    ref = design.reference_electrode.gold_wt_percent
    no_pump = f"no pump cell (inner pump electrode's {i:g} wt% Au not used)"
    claims = [
        Claim(
            "1-2",
            "pumping cell in the measuring gas compartment holds O2 constant",
            design.pumped,
            "pumped" if design.pumped else "no pump cell",
        ),
        Claim(
            "3",
            "compartment O2 corresponds to lambda >= 1.3",
            design.pumped and lam >= 1.3,
            f"lambda setpoint {lam:g}"
            if design.pumped
            else f"no pump cell (lambda setpoint {lam:g} not held)",
        ),
        Claim(
            "5",
            "measuring electrode contains gold (not fully equilibrium-catalytic)",
            m > 0.0,
            f"{m:g} wt% Au",
        ),
        Claim(
            "6",
            "measuring electrode Pt-Au with 0.5-20 wt% Au",
            0.5 <= m <= 20.0,
            f"{m:g} wt% Au (preferably 10)",
        ),
        Claim(
            "7",
            "inner pump electrode not fully equilibrium-catalytic",
            design.pumped and i > 0.0,
            f"{i:g} wt% Au" if design.pumped else no_pump,
        ),
        Claim(
            "8",
            "inner pump electrode Pt-Au with 0.1-3 wt% Au",
            design.pumped and 0.1 <= i <= 3.0,
            f"{i:g} wt% Au (preferably 0.3-0.8)" if design.pumped else no_pump,
        ),
        Claim(
            "9-10",
            "reference electrode of platinum (equilibrium-catalytic)",
            ref == 0.0,
            f"{ref:g} wt% Au",
        ),
    ]
    return claims


def warn_unclaimed(design: Design) -> None:
    """Issue a :class:`ClaimWarning` for each claim a pumped design does not satisfy.

    Designs with ``implements_patent = false`` (the unpumped prior art and the LSU-type
    wideband sensor, which are comparison cases) are not warned about.

    Parameters
    ----------
    design : Design
        The design to check.
    """
    if not design.implements_patent:
        return
    for claim in check_claims(design):
        if not claim.satisfied:
            warnings.warn(
                f"design {design.name!r} is outside claim {claim.number} ({claim.text}): "
                f"{claim.detail}",
                ClaimWarning,
                stacklevel=3,
            )
