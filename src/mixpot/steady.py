"""Steady state of the sensor element (layer-3 orchestrator).

:func:`steady_state` finds, for every operating point at once, the zero of the element's
balances (:mod:`mixpot.sensor.model`): species balances in every radial cell, zero net current
at the measuring electrode, and the pump-current loop settled so that the Nernst voltage
between reference and inner pump electrode equals its setpoint (the integral action of the real
controller removes any error in the steady state). Because the inner pump electrode is only
weakly catalytic and has finite exchange currents, the compartment O2 that this setpoint
produces may differ from the nominal lambda-setpoint O2; the solver reports the actual value.

Solution method (explicit choice, documented): a compiled damped Newton method per point
(:mod:`mixpot.sensor.steady_kernel`: all unknowns at once, bordered block-tridiagonal Jacobian),
and for the points it does not converge the reference method, a block Gauss-Seidel iteration
over the physics blocks, vectorised over points:

1. oxidizable species: linear in their mole fractions at given potentials -> one tridiagonal
   solve per species (Thomas algorithm);
2. O2: Newton steps on the tridiagonal O2 balance including the Butler-Volmer sink of the pump
   electrode held at its potential;
3. measuring-electrode potential: safeguarded Newton steps on its current balance;
4. net molar (Stefan) flow updated from the cell sources.

The block iteration stops when every block's update is below tolerance. Both methods end in
the same balance check; a point that does not pass it (block iteration: within ``max_iter``) is
flagged ``converged = False`` with a reason, never returned silently as a value.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

import mixpot
from mixpot._validation import check_range
from mixpot.constants import ATMOSPHERE, FARADAY, GAS_CONSTANT
from mixpot.control.pump import PUMP_CURRENT_LEAN_MAX_A, PUMP_CURRENT_RICH_MAX_A
from mixpot.design import Design, Operation
from mixpot.electrode import (
    O2ExchangeKinetics,
    measuring_electrode_potential,
    o2_equilibrium_potential,
    o2_exchange_current_density,
    o2_pressure_from_potential,
    solve_mixed_potential,
)
from mixpot.electrode.couples import FUEL_COUPLES, couple_rate_constant
from mixpot.electrolyte import cell_resistance
from mixpot.electronics import CJ125_SUPPLY_V
from mixpot.gas import (
    composition,
    element_totals,
    equilibrium,
    lambda_brettschneider,
    o2_fraction_at_lambda,
)
from mixpot.gas.mixture import Composition
from mixpot.gas.species import SPECIES
from mixpot.sensor.model import ModelOptions, SensorModel, build_model
from mixpot.sensor.solver import solve_element
from mixpot.sensor.steady_kernel import check_threads, couples_overpotential, steady_element

logger = logging.getLogger(__name__)


Array = NDArray[np.float64]


NO_TITRATION = (
    "no steady state: without H2O or CO2 only a fuel excess in the cavity titrates its O2 at "
    "the Nernst electrode"
)
"""Reason of a point the measuring-electrode reading cannot settle (dry exhaust, lean in the
cavity)."""

NO_VOLTAGE = "pump voltage not found"
"""Reason of a converged point whose pump voltage (outer-electrode overpotential) is not found."""

NO_OXYGEN = (
    "no steady state: the exhaust holds no oxygen (O2, H2O, CO2) for the outer pump electrode "
    "to pump in"
)
"""Reason of a point of a pumped design whose exhaust has no oxygen atoms (e.g. pure N2): the
outer electrode has no equilibrium potential and no source of the O2 the chamber loses."""

PUMP_SATURATED = (
    "no settled state: the pump current is outside the pump loop's range "
    f"({PUMP_CURRENT_RICH_MAX_A * 1e3:g} to {PUMP_CURRENT_LEAN_MAX_A * 1e3:g} mA), the loop "
    "saturates"
)
"""Reason of a point whose steady state needs a pump current the loop cannot deliver (LSU 4.9
range, :data:`mixpot.control.pump.PUMP_CURRENT_RICH_MAX_A` and ``PUMP_CURRENT_LEAN_MAX_A``):
the real loop would saturate and not hold the chamber at the setpoint, e.g. in a cold element."""

PUMP_VOLTAGE_SATURATED = (
    "no settled state: the pump voltage is beyond the pump driver's supply "
    f"(|U_p| > {CJ125_SUPPLY_V:g} V), the loop saturates"
)
"""Reason of a point whose steady state needs a pump voltage no CJ125-like driver can apply:
more than its supply VCC = 5 V (:data:`mixpot.electronics.CJ125_SUPPLY_V`, Bosch CJ125 product
information) across the pump cell, e.g. a cold element (600 K: tens to hundreds of volts). A
bound, not the driver's range: the cell hangs between the driver's output and its virtual
ground inside 0..VCC, so the real limit is lower (not modelled: the virtual ground's level is
not in the public data), and points between it and 5 V are not flagged."""


def nernst_setpoint(design: Design) -> float:
    """Nernst voltage (reference minus inner pump electrode) the pump loop holds [V].

    The design's ``nernst_setpoint_V`` if given, else the Nernst voltage of the lean-exhaust O2
    at the lambda setpoint (fuel H/C of the design) against the reference, at the nominal
    temperature and 101325 Pa: U = (R T/4F) ln(pO2_ref / (x_O2(lambda) p)).

    Parameters
    ----------
    design : Design
        The design.

    Returns
    -------
    float
        Setpoint [V].

    References
    ----------
    .. [1] US 6,890,422 B1, claims 2-3; Nernst equation (Göpel et al., SSI 136-137 (2000) 519).

    Examples
    --------
    >>> from mixpot import designs
    >>> round(nernst_setpoint(designs.load("patent-preferred")), 4)
    0.0344
    """
    return _nernst_setpoint(design.operation)


@lru_cache(maxsize=64)
def _nernst_setpoint(op: Operation) -> float:
    """:func:`nernst_setpoint` of a design's operation (cached: a pure function of it)."""
    if op.nernst_setpoint_V is not None:
        return op.nernst_setpoint_V
    x_set = float(o2_fraction_at_lambda(op.chamber_lambda_setpoint, op.fuel_h_to_c, op.fuel_o_to_c))
    p_ref = _reference_o2_pressure(op)
    return float(
        GAS_CONSTANT * op.temperature_K / (4 * FARADAY) * np.log(p_ref / (x_set * ATMOSPHERE))
    )


def reference_o2_pressure(design: Design) -> float:
    """O2 partial pressure at the reference electrode [Pa].

    Reference air at ambient pressure (101325 Pa) with the design's O2 fraction; a pumped
    reference (LSU type, 20 µA into a vented cavity) is taken as pure O2 at ambient pressure.
    The latter is an estimate: the pumped cavity fills with O2 and vents to ambient.

    Parameters
    ----------
    design : Design
        The design.

    Returns
    -------
    float
        pO2 [Pa].

    References
    ----------
    .. [1] Bosch LSU 4.9 TPI (2005): pumped reference, 20 µA reference pump current.
    """
    return _reference_o2_pressure(design.operation)


def _reference_o2_pressure(op: Operation) -> float:
    """:func:`reference_o2_pressure` of a design's operation [Pa]."""
    if op.reference == "pumped":
        return ATMOSPHERE
    return op.reference_o2_fraction * ATMOSPHERE


@dataclass
class SteadyState:
    """Steady state of the element at a batch of operating points (arrays or floats).

    Attributes
    ----------
    pump_current_A : numpy.ndarray
        Pump current [A], positive when O2 is pumped out of the compartment.
    pump_voltage_V : numpy.ndarray
        Pump voltage, outer minus inner pump electrode [V] (Nernst + ohmic + overpotentials).
    nernst_voltage_V : numpy.ndarray
        Reference minus inner pump electrode [V].
    measuring_voltage_V : numpy.ndarray
        Measuring electrode minus reference electrode [V].
    internal_resistance_ohm : numpy.ndarray
        AC (electrolyte) resistance of the Nernst/measuring cell [Ohm].
    lambda_exhaust : numpy.ndarray
        Exhaust lambda (Brettschneider, design fuel H/C) [-]. The formula needs carbon in the
        exhaust: a carbon-free gas (e.g. H2 or NH3 on a synthetic-gas bench) gets +inf if it
        holds oxygen, NaN if not, whether or not the point converged;
        :func:`mixpot.gas.lambda_element_balance` gives the element-balance lambda of such gas.
    chamber : dict of str to numpy.ndarray
        Mole fractions at the measuring electrode (area average) of O2 and the oxidizable
        species [-].
    converged : numpy.ndarray of bool
        Whether each point converged.
    reason : numpy.ndarray of str
        Why a point did not converge ("" when it did).
    """

    pump_current_A: Any
    pump_voltage_V: Any
    nernst_voltage_V: Any
    measuring_voltage_V: Any
    internal_resistance_ohm: Any
    lambda_exhaust: Any
    chamber: dict[str, Any]
    converged: Any
    reason: Any
    inputs: dict[str, Any] = field(repr=False)
    design: Design = field(repr=False)
    profiles: dict[str, Any] = field(repr=False, default_factory=dict)

    def to_xarray(self) -> xr.Dataset:
        """Return the results as an ``xarray.Dataset`` with units and provenance in attributes.

        Returns
        -------
        xarray.Dataset
            One variable per output; dimension ``point`` for batched inputs.
        """
        shape = np.shape(self.measuring_voltage_V)
        dims = tuple(f"dim_{i}" for i in range(len(shape))) if len(shape) > 1 else ("point",)
        dims = dims[: len(shape)]
        units = {
            "pump_current_A": "A",
            "pump_voltage_V": "V",
            "nernst_voltage_V": "V",
            "measuring_voltage_V": "V",
            "internal_resistance_ohm": "ohm",
            "lambda_exhaust": "1",
        }
        data = {k: (dims, np.asarray(getattr(self, k)), {"units": u}) for k, u in units.items()}
        for s, v in self.chamber.items():
            data[f"chamber_{s}"] = (dims, np.asarray(v), {"units": "1", "long_name": f"{s} at ME"})
        for s, v in self.inputs.items():
            data[f"exhaust_{s}" if s in SPECIES else s] = (
                dims,
                np.broadcast_to(np.asarray(v), shape),
                {"units": "1" if s in SPECIES else ("K" if s.endswith("_K") else "Pa")},
            )
        data["converged"] = (dims, np.asarray(self.converged))
        data["reason"] = (dims, np.asarray(self.reason, dtype=str))
        return xr.Dataset(
            data,
            attrs={
                "title": "mixpot steady state",
                "mixpot_version": mixpot.__version__,
                "design": self.design.model_dump_json(),
                "sign_convention": "pump current > 0 when O2 is pumped out of the compartment",
            },
        )


def _unpumped(
    design: Design, gas: Any, t: Array, p: Array, p_ref: float
) -> tuple[Array, Array, NDArray[np.str_]]:
    fuels = {s: gas[s] for s in ("H2", "CO", "C3H6", "C3H8", "CH4", "NH3") if np.any(gas[s] > 0)}
    x_o2 = gas["O2"]
    ok_o2 = x_o2 > 0
    safe = {"O2": np.where(ok_o2, x_o2, 1e-3), **fuels}
    res = measuring_electrode_potential(
        safe,
        t,
        p,
        design.measuring_electrode.gold_wt_percent,
        reference_p_o2_Pa=p_ref,
        strict=False,
    )
    ok = res.converged & ok_o2
    reason = np.where(ok_o2, np.where(ok, "", "mixed potential not found"), "no O2 in the exhaust")
    return np.where(ok, res.potential, np.nan), ok, reason


def steady_state(
    design: Design,
    gas: Mapping[str, ArrayLike],
    temperature_K: ArrayLike | None = None,
    pressure_Pa: ArrayLike = ATMOSPHERE,
    *,
    max_iter: int = 300,
    tol: float = 1e-9,
    options: ModelOptions | None = None,
    threads: int = 1,
) -> SteadyState:
    """Steady state of a sensor design in exhaust gas, vectorised over operating points.

    Parameters
    ----------
    design : mixpot.design.Design
        The design (see :func:`mixpot.designs.load`).
    gas : mapping of str to array_like
        Exhaust mole fractions [-] (scalars or arrays that broadcast; N2 is the balance).
    temperature_K : array_like, optional
        Element temperature [K], 600-1400; default the design's operating temperature.
    pressure_Pa : array_like
        Exhaust pressure [Pa], 1e4-1e6.
    max_iter : int
        Maximum iterations of the block iteration (points the compiled Newton solver leaves).
    tol : float
        Relative tolerance on the mole fractions of the block iteration.
    options : mixpot.sensor.model.ModelOptions, optional
        Model choices (switch single effects off to size them); default all on.
    threads : int
        Threads of the compiled solver (see :func:`mixpot.sensor.steady_kernel.steady_element`;
        results equal to the solver's tolerance whatever the number).

    Returns
    -------
    SteadyState
        Outputs as floats (scalar input) or arrays (shape of the broadcast inputs).

    References
    ----------
    .. [1] US 6,890,422 B1; model equations and sources in :mod:`mixpot.sensor.model`.

    Examples
    --------
    >>> from mixpot import designs
    >>> d = designs.load("patent-preferred")
    >>> r = steady_state(d, {"O2": 0.05, "H2O": 0.1, "CO2": 0.1})
    >>> bool(r.converged), round(float(r.nernst_voltage_V), 4)
    (True, 0.0344)
    """
    return _steady_state(
        design,
        gas,
        temperature_K,
        pressure_Pa,
        max_iter=max_iter,
        tol=tol,
        options=options,
        threads=threads,
    )


def _steady_state(
    design: Design,
    gas: Mapping[str, ArrayLike],
    temperature_K: ArrayLike | None,
    pressure_Pa: ArrayLike,
    *,
    max_iter: int,
    tol: float,
    options: ModelOptions | None,
    compiled: bool = True,
    threads: int = 1,
) -> SteadyState:
    """Steady state as :func:`steady_state` (which documents the parameters).

    ``compiled=False`` solves every point with the block solver alone (the reference
    implementation, kept for comparisons and benchmarks).
    """
    check_threads(threads)
    exhaust = composition(gas)
    t_in = design.operation.temperature_K if temperature_K is None else temperature_K
    t = check_range(t_in, "temperature_K", low=600.0, high=1400.0, unit="K")
    p = check_range(pressure_Pa, "pressure_Pa", low=1e4, high=1e6, unit="Pa")
    try:
        shape = np.broadcast_shapes(exhaust.shape, t.shape, p.shape)
    except ValueError:
        raise ValueError(
            f"the gas (shape {exhaust.shape}), temperature_K (shape {t.shape}) and pressure_Pa "
            f"(shape {p.shape}) do not broadcast: give arrays of equal length, or scalars"
        ) from None
    n = int(np.prod(shape))
    xs = np.broadcast_to(
        exhaust.mole_fractions.reshape(
            len(SPECIES), *(1,) * (len(shape) - len(exhaust.shape)), *exhaust.shape
        ),
        (len(SPECIES), *shape),
    ).reshape(len(SPECIES), n)
    flat = Composition(np.array(xs))  # the validated exhaust, points flattened
    tf = np.broadcast_to(t, shape).reshape(n).astype(float)
    pf = np.broadcast_to(p, shape).reshape(n).astype(float)
    p_ref = reference_o2_pressure(design)
    r_i = cell_resistance(design.nernst_cell_constant_per_m, tf)
    lam = lambda_brettschneider(flat, design.operation.fuel_h_to_c, design.operation.fuel_o_to_c)
    nan = np.full(n, np.nan)
    if not design.pumped:
        e_me, ok, reason = _unpumped(design, flat, tf, pf, p_ref)
        chamber = {
            s: flat[s]
            for s in ("O2", "H2", "CO", "C3H6", "C3H8", "CH4", "NH3")
            if np.any(flat[s] > 0)
        }
        out = {"ip": np.zeros(n), "up": nan, "un": nan, "um": e_me, "ok": ok, "reason": reason}
        profiles: dict[str, Any] = {}
    else:
        u_set = nernst_setpoint(design)
        x_chamber = o2_pressure_from_potential(-u_set, tf, p_ref) / pf
        model = build_model(
            design, flat, tf, pf, np.full(n, p_ref), np.minimum(x_chamber, 1.0), options
        )
        control = design.operation.nernst_measurement
        sol = _solve(model, np.full(n, -u_set), control, max_iter, tol, compiled, threads)
        area = model.grid.electrode_area
        tracked = ("O2", *model.fuels)
        chamber = dict(zip(tracked, sol["x"] @ area / area.sum(), strict=True))
        up = _pump_voltage(
            design, flat, tf, pf, p_ref, sol["pump_current"], sol["e_ipe"], area.sum()
        )
        ok = sol["converged"] & np.isfinite(up)
        texts = (
            NO_VOLTAGE,
            NO_OXYGEN,
            PUMP_SATURATED,
            PUMP_VOLTAGE_SATURATED,
            *((NO_TITRATION,) * (control == "measuring-electrode")),
        )
        # each reason written only where it applies, into text as wide as the longest that
        # can occur (the width does not depend on which points have one)
        width = max(sol["reason"].dtype.itemsize // 4, *(len(text) for text in texts))
        reason = sol["reason"].astype(f"<U{width}")
        reason[sol["converged"] & ~np.isfinite(up)] = NO_VOLTAGE
        if control == "measuring-electrode":
            # a separate Nernst electrode reaches a wideband setpoint only by titration: in
            # a lean cavity with the H2/CO the pump electrode makes from H2O and CO2
            # (mixpot.sensor.model.tracked_fuels), whose electrolysis needs 2.3 RT/F more
            # pump-electrode voltage per decade less H2O (tested), so dry gas with a lean
            # cavity has no steady state; where the fuels' flows outweigh the O2's the cavity
            # is rich and the fuels titrate (tested). Any other failure keeps its reason.
            dry = flat["H2O"] + flat["CO2"] <= 0.0
            reason[~sol["converged"] & dry & model.lean_cavity()] = NO_TITRATION
        no_oxygen = element_totals(flat)["O"] <= 0.0
        reason[no_oxygen] = NO_OXYGEN
        ok &= ~no_oxygen
        ip = sol["pump_current"]
        saturated = ok & ((ip < PUMP_CURRENT_RICH_MAX_A) | (ip > PUMP_CURRENT_LEAN_MAX_A))
        reason[saturated] = PUMP_SATURATED
        ok &= ~saturated
        beyond_supply = ok & (np.abs(up) > CJ125_SUPPLY_V)
        reason[beyond_supply] = PUMP_VOLTAGE_SATURATED
        ok &= ~beyond_supply
        out = {
            "ip": sol["pump_current"],
            "up": up,
            "un": np.full(n, u_set),
            "um": sol["e_me"],
            "ok": ok,
            "reason": reason,
        }
        profiles = {
            "x": sol["x"],
            "e_ipe": sol["e_ipe"],
            "e_me": sol["e_me"],
            "model": model,
            "species": tracked,
            "inflow_mol_s": sol["inflow"],
            "n_tot": sol["n_tot"],
            "grid": model.grid,
        }
    n_bad = int(n - np.count_nonzero(out["ok"]))
    if n_bad:
        logger.warning("steady state: %d of %d points did not converge", n_bad, n)

    def shaped(v: Array) -> Any:
        v = np.asarray(v).reshape(shape)
        return v[()] if v.ndim == 0 else v

    return SteadyState(
        pump_current_A=shaped(out["ip"]),
        pump_voltage_V=shaped(out["up"]),
        nernst_voltage_V=shaped(out["un"]),
        measuring_voltage_V=shaped(out["um"]),
        internal_resistance_ohm=shaped(r_i),
        lambda_exhaust=shaped(lam),
        chamber={s: shaped(v) for s, v in chamber.items()},
        converged=shaped(out["ok"]),
        reason=shaped(out["reason"]),
        inputs={**{s: np.asarray(v) for s, v in gas.items()}, "temperature_K": t, "pressure_Pa": p},
        design=design,
        profiles=profiles,
    )


def _solve(
    model: SensorModel,
    e_set: Array,
    control: str,
    max_iter: int,
    tol: float,
    compiled: bool,
    threads: int = 1,
) -> dict[str, Any]:
    """Solve the element equations: compiled Newton, the block solver for the points it leaves.

    Returns the dict of :func:`mixpot.sensor.solver.solve_element` (both solvers end in its
    balance check, so ``converged`` and ``reason`` mean the same whichever solved a point).
    """
    if not compiled:
        return solve_element(model, e_set, control, max_iter=max_iter, tol=tol)
    sol = steady_element(model, e_set, control, threads=threads)
    bad = np.flatnonzero(~sol["converged"])
    if bad.size:
        logger.debug("steady state: %d of %d points to the block solver", bad.size, e_set.size)
        sub = solve_element(model.take(bad), e_set[bad], control, max_iter=max_iter, tol=tol)
        sol["reason"] = sol["reason"].astype(object)
        for key, value in sub.items():
            if key in ("x", "inflow"):  # species axis first
                sol[key][:, bad] = value
            else:
                sol[key][bad] = value
        sol["reason"] = sol["reason"].astype(str)
    return sol


def _pump_voltage(
    design: Design,
    exhaust: Any,
    t: Array,
    p: Array,
    p_ref: float,
    pump_current: Array,
    e_ipe: Array,
    area: float,
) -> Array:
    """Return the pump voltage U_p = E_outer - E_inner + I_p R_ohm [V].

    The outer Pt electrode faces the exhaust, whose gas it equilibrates (claims 9-10): all its
    couples share the equilibrium potential of that gas, and it carries the pump current
    density (same area as the inner pump electrode, no mass-transfer limit) on the sum of
    their Butler-Volmer currents: the O2 couple (exchange current at the equilibrium pO2) and,
    in rich exhaust, the H2/H2O and CO/CO2 couples (:mod:`mixpot.electrode.couples`, exchange
    current ``n F c k_s x_f^(1-alpha) x_p^alpha`` at the equilibrium composition). In lean
    exhaust the O2 couple carries the current; in rich exhaust the pumped oxygen comes from
    H2O and CO2, as in a wideband lambda sensor. Solved per point in compiled code
    (:func:`mixpot.sensor.steady_kernel.couples_overpotential`), the points it leaves by
    :func:`mixpot.electrode.solve_mixed_potential`.
    """
    eq = equilibrium(exhaust, t, p)
    # an exhaust without oxygen (pO2 = 0) has no equilibrium potential: NaN, not a floor
    po2 = np.where(eq.o2_partial_pressure > 0.0, eq.o2_partial_pressure, np.nan)
    e_eq = o2_equilibrium_potential(po2, t, p_ref)
    kin = O2ExchangeKinetics()
    w = design.outer_pump_electrode.gold_wt_percent
    i0 = [o2_exchange_current_density(t, po2, w, kin)]
    alpha_a, alpha_c = [kin.alpha_a], [kin.alpha_c]
    c = p / (GAS_CONSTANT * t)
    for fuel, couple in FUEL_COUPLES.items():
        x_f, x_p = eq.composition[fuel], eq.composition[couple.product]
        a, n = couple.alpha, couple.electrons
        k_s = couple_rate_constant(fuel, t, w)
        i0.append(n * FARADAY * c * k_s * x_f ** (1.0 - a) * x_p**a)
        alpha_a.append(a * n)
        alpha_c.append((1.0 - a) * n)
    i0s, aa, ac = np.array(i0), np.array(alpha_a), np.array(alpha_c)
    e_outer = e_eq + couples_overpotential(i0s, aa, ac, t, pump_current / area)
    # points the compiled solve leaves: the general mixed-potential solve (NaN where it fails)
    bad = np.flatnonzero(np.isnan(e_outer))
    if bad.size:
        e_outer[bad] = solve_mixed_potential(
            i0s[:, bad],
            i0s[:, bad],
            aa[:, None],
            ac[:, None],
            np.broadcast_to(e_eq[bad], (len(i0s), bad.size)),
            t[bad],
            target_current=pump_current[bad] / area,
            strict=False,
        ).potential
    r_ohm = cell_resistance(design.pump_cell_constant_per_m, t)
    return e_outer - e_ipe + pump_current * r_ohm
