"""Block solver of the element equations: steady states and implicit time steps.

One solver serves both orchestrators. It finds, for every operating point at once, the zero
of the cell balances of :class:`mixpot.sensor.model.SensorModel` (species in every radial cell,
measuring-electrode charge, pump-electrode condition), optionally with the storage terms of an
implicit (backward-Euler) time step:

* species: ``c V (x - x_old)/dt = F_in - F_out - consumption``;
* measuring electrode: ``C_dl A (E - E_old)/dt = -sum(A i)``;
* inner pump electrode, by ``control``: ``"open-circuit"`` (its zero-current potential held at
  the setpoint: steady state of the settled loop), ``"under-current"`` (its potential held at
  the setpoint), ``"measuring-electrode"`` (the measuring electrode's potential held at the
  setpoint: the loop reads a separate Nernst electrode; the pump electrode's potential is then
  whatever makes the measuring electrode's net current zero) or ``"charge"`` (the pump current
  is imposed by the electronics and the electrode's potential follows from its charge balance,
  ``C_dl A (E - E_old)/dt = -(sum(A i) + I_p)``).

Method (explicit choice): block Gauss-Seidel, vectorised over points and iterating only the
points not yet converged: oxidizable species (linear at given potentials: Thomas algorithm),
O2 together with the pump electrode's potential (Newton on the tridiagonal O2 balance bordered
by the pump-electrode condition; the potential step has a trust region halved on reversal),
measuring-electrode potential (Newton), net molar (Stefan) flow. A point is converged only when
its steps are below tolerance and its balances hold to :data:`RESIDUAL_TOLERANCE`.

References
----------
.. [1] S. V. Patankar, *Numerical Heat Transfer and Fluid Flow*, Hemisphere (1980), Ch. 4
   (Thomas algorithm, implicit finite-volume schemes).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mixpot.constants import FARADAY
from mixpot.electrode import (
    double_layer_capacitance,
    o2_equilibrium_potential,
    o2_pressure_from_potential,
)
from mixpot.sensor.model import SensorModel

logger = logging.getLogger(__name__)

Array = NDArray[np.float64]

RESIDUAL_TOLERANCE = 1e-6
"""Largest relative balance residual a converged point may keep (see
:meth:`mixpot.sensor.model.SensorModel.balance_residual`) [-]."""

CONTROLS = ("open-circuit", "under-current", "measuring-electrode", "charge")
"""Conditions of the inner pump electrode the solver knows."""


@dataclass(frozen=True)
class ImplicitStep:
    """Data of one backward-Euler step (all per point, P points).

    Attributes
    ----------
    dt : float
        Time step [s].
    x : numpy.ndarray
        Mole fractions at the start of the step (1+K, P, N) [-].
    e_ipe, e_me : numpy.ndarray
        Electrode potentials at the start of the step (P,) [V].
    pump_current : numpy.ndarray
        Pump current imposed over the step (P,) [A] (used with ``control="charge"``).
    """

    dt: float
    x: Array
    e_ipe: Array
    e_me: Array
    pump_current: Array


def thomas(lower: Array, diag: Array, upper: Array, rhs: Array) -> Array:
    """Solve tridiagonal systems along the last axis (vectorised Thomas algorithm).

    ``lower[..., i]`` multiplies x[i-1] (``lower[..., 0]`` unused), ``upper[..., i]`` multiplies
    x[i+1] (``upper[..., -1]`` unused). Stable for the diagonally dominant systems of
    finite-volume balances.

    Parameters
    ----------
    lower, diag, upper, rhs : numpy.ndarray
        Bands and right-hand side, same shape (..., N).

    Returns
    -------
    numpy.ndarray
        Solution, shape (..., N).

    References
    ----------
    .. [1] Patankar (1980), Sect. 4.2-6.

    Examples
    --------
    >>> thomas(np.zeros(2), np.array([2.0, 4.0]), np.zeros(2), np.array([2.0, 8.0]))
    array([1., 2.])
    """
    n = diag.shape[-1]
    c = np.empty_like(diag)
    d = np.empty_like(diag)
    c[..., 0] = upper[..., 0] / diag[..., 0]
    d[..., 0] = rhs[..., 0] / diag[..., 0]
    for i in range(1, n):
        m = diag[..., i] - lower[..., i] * c[..., i - 1]
        c[..., i] = upper[..., i] / m
        d[..., i] = (rhs[..., i] - lower[..., i] * d[..., i - 1]) / m
    x = np.empty_like(diag)
    x[..., -1] = d[..., -1]
    for i in range(n - 2, -1, -1):
        x[..., i] = d[..., i] - c[..., i] * x[..., i + 1]
    return x


def _electrode_net(
    model: SensorModel, e: Array, x: Array, h: Array, area: Array, which: str = "ipe"
) -> tuple[Array, Array, Array]:
    """Net current [A] of an electrode (``"ipe"``, ``"me"``) at ``e`` (P,), d/dx per cell, d/dE.

    The x-derivative keeps only the O2 couple: the fuel currents also depend on the O2 mole
    fraction through the O2 equilibrium potential they are referenced to, but including that
    term made the bordered Newton step overshoot in fuel-rich chambers (3 % of rich points
    stopped converging); the trust region on the potential absorbs the inexact Jacobian.
    """
    total, d_de = model.electrode_current(e, x, which)
    i0, _ = model.o2_current(e[:, None], x[0], which)
    i1, _ = model.o2_current(e[:, None], x[0] + h, which)
    return total, (i1 - i0) / h * area, d_de


def _catalytic_o2(model: SensorModel, x: Array, x_o2: Array, e_ipe: Array, e_me: Array) -> Array:
    """O2 taken by catalytic fuel oxidation per cell [mol/s] (P, N) at O2 mole fraction x_o2."""
    if not model.fuels:
        return np.zeros_like(x_o2)
    y = np.concatenate([x_o2[None], x[1:]])
    ti = model.fuel_terms(e_ipe[:, None], y, "ipe")
    tm = model.fuel_terms(e_me[:, None], y, "me")
    cat = (ti.catalytic + tm.catalytic) * x[1:] + ti.catalytic_source + tm.catalytic_source
    return (
        np.sum(model.o2_demand * cat, axis=0)
        * model.grid.electrode_area
        * (model.concentration[:, None])
    )


def _initial_state(full: SensorModel, e_set: Array, control: str) -> tuple[Array, Array, Array]:
    """Start of a steady solve: exhaust composition with O2 at the setpoint's O2.

    The pump electrode starts at the setpoint, the measuring electrode at the Nernst potential
    of that O2 (at the setpoint itself when the control holds it).
    """
    n_cells = full.grid.n_cells
    x = np.repeat(full.x_exhaust[:, :, None], n_cells, axis=2)  # a new array
    x_set = o2_pressure_from_potential(e_set, full.temperature, full.reference_p_o2) / full.pressure
    x[0] = np.clip(x_set, 1e-12, 1.0)[:, None]
    if control == "measuring-electrode":
        return x, e_set.copy(), e_set.copy()
    e_me = o2_equilibrium_potential(
        x[0, :, -1] * full.pressure, full.temperature, full.reference_p_o2
    )
    return x, e_set.copy(), e_me


def storage_terms(full: SensorModel, e_set: Array, step: ImplicitStep | None) -> dict[str, Array]:
    """Storage terms of an implicit step (all zero in the steady state) and the setpoint.

    Parameters
    ----------
    full : SensorModel
        The equations for P points.
    e_set : numpy.ndarray
        Setpoint of the pump-electrode potential (P,) [V].
    step : ImplicitStep, optional
        The backward-Euler step; None for the steady state.

    Returns
    -------
    dict
        ``hold`` (c V/dt per cell [mol/s], (P, N)), ``cap`` (C_dl A/dt [A/V], (P,)), ``x_old``,
        ``ei_old``, ``em_old``, ``ip`` (imposed pump current [A]) and ``e_set``: the form
        :func:`solve_element` and its final balance check take.
    """
    n_all, n_cells = full.temperature.size, full.grid.n_cells
    if step is None:
        zero = np.zeros(n_all)
        return {
            "hold": np.zeros((n_all, n_cells)),
            "cap": zero,
            "x_old": np.zeros((1 + len(full.fuels), n_all, n_cells)),
            "ei_old": zero,
            "em_old": zero,
            "ip": zero,
            "e_set": e_set,
        }
    area = full.grid.electrode_area.sum()
    return {
        "hold": full.concentration[:, None] * full.grid.volume / step.dt,
        "cap": double_layer_capacitance(full.temperature) * area / step.dt,
        "x_old": step.x,
        "ei_old": step.e_ipe,
        "em_old": step.e_me,
        "ip": step.pump_current,
        "e_set": e_set,
    }


def solve_element(
    full: SensorModel,
    e_set: Array,
    control: str,
    step: ImplicitStep | None = None,
    *,
    max_iter: int = 300,
    tol: float = 1e-9,
) -> dict[str, Any]:
    """Solve the element equations at every point (steady state, or one implicit time step).

    Parameters
    ----------
    full : SensorModel
        The equations for P points.
    e_set : numpy.ndarray
        Setpoint of the pump-electrode potential vs the reference (P,) [V] (minus the Nernst
        setpoint); start value of the potential in ``"charge"`` control.
    control : {"open-circuit", "under-current", "charge"}
        Condition of the inner pump electrode (module docstring).
    step : ImplicitStep, optional
        Storage terms of a backward-Euler step; None for the steady state.
    max_iter : int
        Maximum block iterations.
    tol : float
        Step tolerance (relative for mole fractions, log for O2).

    Returns
    -------
    dict
        ``x``, ``e_ipe``, ``e_me``, ``pump_current`` [A], ``inflow`` [mol/s], ``n_tot``,
        ``converged``, ``reason``, ``residual``.
    """
    if control not in CONTROLS:
        raise ValueError(f"control = {control!r} is not one of {', '.join(CONTROLS)}")
    if control == "charge" and step is None:
        raise ValueError("control = 'charge' needs an ImplicitStep (the imposed pump current)")
    area = full.grid.electrode_area
    n_all, n_cells = full.temperature.size, full.grid.n_cells
    k = len(full.fuels)
    if step is None:
        x_all, e_ipe_all, e_me_all = _initial_state(full, e_set, control)
    else:
        x_all, e_ipe_all, e_me_all = step.x.copy(), step.e_ipe.copy(), step.e_me.copy()
    pp = storage_terms(full, e_set, step)
    # trust region of the pump-electrode potential update: halved whenever the step reverses
    # (damps the limit cycles that lagged fuel fields can cause), grown again by 10 % per step
    # (up to 50 mV) while it keeps its direction
    pp["limit"], pp["last"] = np.full(n_all, 0.05), np.zeros(n_all)
    n_tot_all = np.zeros((n_all, n_cells))
    if step is not None:
        _, moles, _, _ = full.cell_terms(x_all, e_ipe_all, e_me_all)
        n_tot_all = -np.cumsum(moles[:, ::-1], axis=-1)[:, ::-1]
    done_all = np.zeros(n_all, dtype=bool)
    active = np.arange(n_all)
    model, x, e_ipe, e_me, n_tot = full, x_all, e_ipe_all, e_me_all, n_tot_all
    q = dict(pp)
    for iteration in range(max_iter):
        n_pts, c = active.size, model.concentration
        hold, x_old = q["hold"], q["x_old"]
        x_prev, e_prev, n_prev, ei_prev = x.copy(), e_me.copy(), n_tot.copy(), e_ipe.copy()
        a, b = model.flux_coefficients(n_tot)
        a_next = np.concatenate([a[..., 1:], np.zeros_like(a[..., :1])], -1)
        b_next = np.concatenate([b[..., 1:], np.zeros_like(b[..., :1])], -1)
        # 1. fuels: linear at the current potentials
        if k:
            ti = model.fuel_terms(e_ipe[:, None], x, "ipe")
            tm = model.fuel_terms(e_me[:, None], x, "me")
            ac = area * c[None, :, None]
            sink = (ti.consumption + tm.consumption) * ac
            rhs = -hold[None] * x_old[1:] - (ti.production + tm.production) * ac
            rhs[..., 0] -= a[1:, :, 0] * model.x_exhaust[1:]
            diag = -(b[1:] + a_next[1:] + sink + hold[None])
            x[1:] = np.maximum(thomas(a[1:], diag, b_next[1:], rhs), 0.0)
        # 2. O2 with the pump electrode's potential (bordered Newton)
        for _ in range(2):
            xo = x[0]
            ei = e_ipe[:, None]
            i_i, di_i = model.o2_current(ei, xo, "ipe")
            i_m, _ = model.o2_current(e_me[:, None], xo, "me")
            h = 1e-7 * xo
            i_i2, _ = model.o2_current(ei, xo + h, "ipe")
            i_m2, _ = model.o2_current(e_me[:, None], xo + h, "me")
            cat_o2 = _catalytic_o2(model, x, xo, e_ipe, e_me)
            sink_o2 = -(i_i + i_m) * area / (4 * FARADAY) + cat_o2
            with np.errstate(invalid="ignore", divide="ignore"):
                dsink = -((i_i2 - i_i) + (i_m2 - i_m)) / h * area / (4 * FARADAY)
                dsink = dsink + (_catalytic_o2(model, x, xo + h, e_ipe, e_me) - cat_o2) / h
            left = np.concatenate([model.x_exhaust[0][:, None], xo[:, :-1]], -1)
            right = np.concatenate([xo[:, 1:], np.zeros((n_pts, 1))], -1)
            res = a[0] * left - b[0] * xo - (a_next[0] * xo - b_next[0] * right)
            res = res - sink_o2 - hold * (xo - x_old[0])
            diag = -(b[0] + a_next[0] + dsink + hold)
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                dx = thomas(a[0], diag, b_next[0], -res)
                if control != "under-current":
                    if control in ("open-circuit", "measuring-electrode"):
                        # the electrode the loop reads, at the setpoint: zero net current
                        which = "ipe" if control == "open-circuit" else "me"
                        g, g_dx, _ = _electrode_net(model, q["e_set"], x, h, area, which)
                        g_de = np.zeros(n_pts)
                    else:
                        g, g_dx, g_de = _electrode_net(model, e_ipe, x, h, area)
                        g = g + q["cap"] * (e_ipe - q["ei_old"]) + q["ip"]
                        g_de = g_de + q["cap"]
                    z = thomas(a[0], diag, b_next[0], di_i * area / (4 * FARADAY))
                    de = -(g + np.sum(g_dx * dx, -1)) / (g_de - np.sum(g_dx * z, -1))
                    # a singular border leaves the potential unchanged this step; the final
                    # charge-balance check below reports the point if it never resolves
                    de = np.where(np.isfinite(de), de, 0.0)
                    q["limit"] = np.where(
                        de * q["last"] < 0.0, 0.5 * q["limit"], np.minimum(1.1 * q["limit"], 0.05)
                    )
                    de = np.clip(de, -q["limit"], q["limit"])
                    q["last"] = de
                    dx = dx - z * de[:, None]
                    e_ipe = e_ipe + de
                x[0] = xo * np.exp(np.clip(dx / xo, -2.0, 2.0))
        # 3. measuring electrode potential: Newton on its charge balance (unless held)
        for _ in range(0 if control == "measuring-electrode" else 2):
            f_e, df_e = model.electrode_current(e_me, x, "me")
            f_e = f_e + q["cap"] * (e_me - q["em_old"])
            e_me = e_me - np.clip(f_e / (df_e + q["cap"]), -0.1, 0.1)
        # 4. net molar (Stefan) flow from the sources of every cell
        _, moles, _, _ = model.cell_terms(x, e_ipe, e_me)
        n_tot = -np.cumsum(moles[:, ::-1], axis=-1)[:, ::-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            dlog = np.abs(np.log(x[0]) - np.log(x_prev[0])).max(axis=-1)
        scale = model.x_exhaust[1:, :, None] + 1e-12
        dfuel = np.max(np.abs(x[1:] - x_prev[1:]) / scale, axis=(0, 2), initial=0.0)
        dx_rel = np.maximum(np.nan_to_num(dlog, nan=np.inf), dfuel)
        dn = np.max(np.abs(n_tot - n_prev), axis=-1) / (np.max(np.abs(n_tot), axis=-1) + 1e-30)
        done = (dx_rel < tol) & (np.abs(e_me - e_prev) < 1e-9) & (dn < 1e-6)
        done &= np.abs(e_ipe - ei_prev) < 1e-9
        # write back, then keep iterating only the points that have not converged
        x_all[:, active], e_me_all[active], n_tot_all[active] = x, e_me, n_tot
        e_ipe_all[active] = e_ipe
        done_all[active] = done
        if done.all():
            logger.debug("element solve converged after %d iterations", iteration + 1)
            break
        keep = ~done
        active = active[keep]
        model = full.take(active)
        x, e_me, n_tot, e_ipe = x[:, keep], e_me[keep], n_tot[keep], e_ipe[keep]
        q = {key: (v[:, keep] if key == "x_old" else v[keep]) for key, v in q.items()}
    return _finish(full, pp, x_all, e_ipe_all, e_me_all, n_tot_all, done_all, control, max_iter)


def _finish(
    full: SensorModel,
    pp: dict[str, Array],
    x: Array,
    e_ipe: Array,
    e_me: Array,
    n_tot: Array,
    done: Array,
    control: str,
    max_iter: int,
) -> dict[str, Any]:
    area = full.grid.electrode_area
    _, _, current, _ = full.cell_terms(x, e_ipe, e_me)
    # imposed by the electronics in a time step, else what the settled loop draws
    pump_current = pp["ip"] if control == "charge" else -np.sum(current * area, axis=-1)
    a, b = full.flux_coefficients(n_tot)
    left = np.concatenate([full.x_exhaust[:, :, None], x[:, :, :-1]], -1)
    inflow = (a * left - b * x)[..., 0]
    storage = pp["hold"][None] * (x - pp["x_old"])
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        residual = full.balance_residual(
            x, e_ipe, e_me, n_tot, storage=storage, me_storage=pp["cap"] * (e_me - pp["em_old"])
        )
        finite = np.isfinite(e_me) & np.all(np.isfinite(x), axis=(0, 2)) & np.isfinite(pump_current)
        if control == "open-circuit":
            # the settled loop: zero net current of the pump electrode at the setpoint (guards
            # against a trust region that stalled before the condition was met)
            oc, _, _ = _electrode_net(full, pp["e_set"], x, 1e-7 * x[0], area)
            i_oc, _ = full.o2_current(pp["e_set"][:, None], x[0], "ipe")
            scale = np.sum(np.abs(i_oc) * area, axis=-1) + np.abs(pump_current) + 1e-15
            residual = np.maximum(residual, np.abs(oc) / scale)
        if control == "charge":
            # inner pump electrode: C A dE/dt + sum(A i) + I_p = 0
            charge = pp["cap"] * (e_ipe - pp["ei_old"])
            net = np.sum(current * area, axis=-1) + charge + pump_current
            scale = np.abs(np.sum(current * area, axis=-1)) + np.abs(pump_current)
            residual = np.maximum(residual, np.abs(net) / (scale + np.abs(charge) + 1e-15))
    reason = _verdict(done, residual, e_me, pp["e_set"], finite, max_iter)
    return {
        "x": x,
        "e_me": e_me,
        "e_ipe": e_ipe,
        "pump_current": pump_current,
        "inflow": inflow,
        "n_tot": n_tot,
        "converged": reason == "",
        "reason": reason,
        "residual": residual,
    }


def _verdict(
    done: Array, residual: Array, e_me: Array, e_set: Array, finite: Array, max_iter: int
) -> NDArray[np.str_]:
    """Why each point did not converge ("" when it did).

    The solver's own test (``done``), the balance check (``residual`` below
    :data:`RESIDUAL_TOLERANCE`), a measuring electrode that no couple holds within 3 V of the
    setpoint, and finite results (``finite``); shared by both steady-state solvers.
    """
    reasons = np.array(
        [
            "",
            f"not converged in {max_iter} iterations",
            "balance residual above tolerance",
            "measuring-electrode potential undetermined (no couple sets it)",
            "non-finite result",
        ]
    )
    code = np.where(done, np.where(residual < RESIDUAL_TOLERANCE, 0, 2), 1)
    code[np.abs(e_me - e_set) > 3.0] = 3
    code[~finite] = 4
    return reasons[code]
