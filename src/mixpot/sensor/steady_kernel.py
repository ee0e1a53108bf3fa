"""Compiled steady state of the element: per-point Newton on the bordered block-tridiagonal system.

:func:`steady_element` solves the same steady equations as
:func:`mixpot.sensor.solver.solve_element` (controls ``"open-circuit"``, ``"under-current"``
and ``"measuring-electrode"``) point by point in Numba-compiled code, with the cell reactions of
:mod:`mixpot.sensor.kernel`.

Method (explicit choices):

* **Unknowns** per point: the mole fractions of O2 and the fuels in every cell with
  electrodes, the net molar (Stefan) flow through its inner face, and the two electrode
  potentials (the one a control holds at the setpoint has the equation "update zero").
  Keeping the net molar flow as an unknown (equation ``N_j - N_{j+1} + moles_j = 0``) makes
  the Jacobian block tridiagonal over the cells (blocks of the 2 + K unknowns of a cell),
  bordered by the two potentials.
* **Condensed cells**: the reaction-free cells before the electrodes (the barrier) and after
  them (the electrode-free rim) are eliminated exactly, not solved: through the barrier's
  cells the net molar flow and every species' flux are constant, so its faces in series act
  as one face whose Scharfetter-Gummel coefficients depend on the net molar flow
  (:func:`_barrier_chain`); behind the last electrode cell nothing flows. Their gas follows
  from the solved cells (:func:`_fill_condensed`), the same discrete equations (the block
  solver solves them all; tested equal). This halves the blocks of the patent design
  (2 + 3 + 1 cells: 3 solved) and its block solve.
* **Jacobian**, analytic: transport (Scharfetter-Gummel flux and its Stefan-flow derivative,
  B'(z) = B(z) ((1 - B(z))/z - 1), one exponential per face with B(-z) = B(z) + z) and
  reactions (a cell's reactions depend only on its own gas and the two potentials; chain rule
  through the intermediates of the kernel's cell functions, tested against finite
  differences). The reaction residuals come out of the same pass (tested equal to the compiled
  single-cell functions of :mod:`mixpot.sensor.kernel`); the couples' exponentials, which
  depend on the potential only, are evaluated once per potential, not per cell.
* **Linear solve**: block Thomas algorithm (Gaussian elimination with partial pivoting of each
  block, applied at once to its right-hand sides: the upper block, the residual and the two
  border columns), then the 2 x 2 Schur complement of the potentials.
* **Start**: the converged state of the previous point, the points taken in an order in which
  neighbours are similar (:func:`_similar_order`: the points' own order when its path through
  the operating points is not longer, as for a sweep, else in bands of temperature and
  pressure by the exhaust's O2 excess over the fuels' demand; fuels scaled by their exhaust
  levels, potentials taken relative to the setpoint, :func:`_warm_start`); the first point,
  and any point that does not converge from there, from
  :func:`mixpot.sensor.solver._initial_state` (exhaust composition, O2 at the setpoint,
  measuring electrode at its Nernst potential) with zero net molar flow. When the point just
  before passed, a warm-started point's first step is a simplified step on the factorisation
  that point left: to first order the tangent predictor of continuation methods ([2]_ Ch. 5;
  the residual of the old state with the new point's coefficients is the change of the
  equations between the points), at the cost of a residual; dropped if larger than
  :data:`STALE_STEP`; Deuflhard's termination (below) only after a full step of the point's
  own. Every point is converged to :data:`TOLERANCE`, so the results do not depend on the
  order beyond that (tested against points solved alone).
* **Damping**: no potential moves by more than :data:`MAX_POTENTIAL_STEP` in one step; a fall
  of O2 is taken in its logarithm (at most a factor e^2 per step; a rise as it is, up to 1); a
  fuel that would turn negative drops to a tenth of its value (projected Newton).
* **Simplified steps**: once an update is below :data:`LOCAL_STEP`, the next steps reuse the
  last factorisation with fresh residuals only (simplified Newton, [2]_ Sect. 2.1.4): they
  contract at about the size of that last update, and cost half a full step (no Jacobian, the
  residual column alone through the stored factors); a simplified step that contracts by less
  than :data:`CONTRACTION` hands back to full steps.
* **Convergence**: a point has converged when the simplified Newton update at its state (a
  first-order estimate of its error) is below :data:`TOLERANCE` (scaled) and the balance check
  of the residuals evaluated there passes (:func:`_balance`, the steady case of
  :func:`mixpot.sensor.solver._finish`, tested equal); that state is returned unchanged. Or
  (Deuflhard's termination, [2]_ Sect. 2.1.4) when the update contracts (by at least
  :data:`CONTRACTION`) and the state it corrects is estimated within a quarter of the
  tolerance: the first simplified step after a Newton step contracts by about
  theta = 2 |update| / |previous update| (later ones by the ratio itself, so the 2 is then a
  margin), so the corrected state's error is about theta |update|; it is returned with its
  own pump current and inflow, and the balance residual of the state before the correction
  (which bounds its own to first order). Both criteria are first-order estimates: a Newton
  step at every returned state is within the tolerance up to a factor 2 (tested; 1.08 the
  largest seen). The caller solves the points that fail with the block solver.

References
----------
.. [1] G. H. Golub, C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins (2013),
   Sect. 4.5.1 (block tridiagonal LU) and 3.4 (partial pivoting).
.. [2] P. Deuflhard, *Newton Methods for Nonlinear Problems*, Springer (2004), Sect. 2.1.4
   (simplified Newton method) and 3.1 (damped Newton).
.. [3] D. L. Scharfetter, H. K. Gummel, IEEE Trans. Electron Devices 16 (1969) 64.
"""

from __future__ import annotations

import logging
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray

from mixpot._numerics import compiled_rtsafe_bracketed
from mixpot.constants import FARADAY, GAS_CONSTANT
from mixpot.electrode import double_layer_capacitance
from mixpot.sensor.kernel import (
    _JIT,
    BERNOULLI_SERIES,
    BERNOULLI_SLOPE_TERMS,
    _bernoulli,
    _butler_volmer_terms,
    _series,
)
from mixpot.sensor.model import SensorModel
from mixpot.sensor.solver import RESIDUAL_TOLERANCE, _initial_state, _verdict

__all__ = [
    "MAX_ITER",
    "TOLERANCE",
    "check_threads",
    "couples_overpotential",
    "pack_points",
    "steady_element",
]

logger = logging.getLogger(__name__)

Array = NDArray[np.float64]

TOLERANCE = 1e-10
"""Largest estimated error of a converged point's returned state [-] (scaled: O2 relative to
its value, fuels relative to the larger of their value, their exhaust level and 1 ppb, net
molar flows relative to the larger of the largest one and the radial path's capacity
(:func:`_path_capacity`), potentials in volts): the simplified Newton update at that state;
a state corrected by its last simplified update has its remaining error estimated below a
quarter of it (see :func:`_solve_point`)."""

MAX_ITER = 60
"""Newton steps (full and simplified, a dropped first step included) before a point is handed
to the block solver."""

MAX_POTENTIAL_STEP = 0.1
"""Largest change of an electrode potential in one Newton step [V]."""

CONTRACTION = 0.1
"""Largest ratio of successive simplified Newton updates at which they go on; a slower one hands
back to full steps [-]."""

LOCAL_STEP = 1e-3
"""Largest scaled update of a full Newton step after which simplified steps follow (the local
phase, where they contract at about the size of that update) [-]."""

STALE_STEP = 10.0
"""Largest scaled update of a point's first step, a simplified step on the previous point's
factorisation, that is applied [-]; a larger one is dropped and a full step follows from the
same state. Measured (full Newton steps per point on the benchmark's 2,000 random points with
3 fuels; 3.01 without the first step): 2.82 with the limit at 0.1, 2.46 at 0.3, 2.37 at 1,
2.35 from 3 to 30 and with no limit (the other workloads alike within 1 %); with no limit,
however, 38 points of the 40 x 50 grid (where a row of C3H6 begins 2000 ppm away from the
end of the row before) took 10 to 12 full steps instead of 1 or 2."""

FUEL_FLOOR = 1e-9
"""Smallest scale of a fuel mole fraction in the convergence test [-] (1 ppb)."""

_NO_REFCOUNT = {**_JIT, "_nrt": False, "fastmath": {"contract"}}
"""Numba options of the per-iteration functions, which allocate nothing: without Numba's
runtime (its own flag for such functions, as ``numba.extending`` uses it), array arguments and
views carry no atomic reference counts, which were 10 % of a Newton iteration under perf.
Multiply-adds may be fused (``contract``, the one fast-math flag: one rounding instead of two;
no reordering, no assumptions about NaN or infinity): the solve 2-4 % faster (both orders, two
rounds), the results within the Newton tolerance of unfused arithmetic. Functions compiled
apart with their own options (``_bernoulli``, ``_butler_volmer_terms``, ``_balance``) stay
unfused; a fused difference of products (the Schur complement's determinant) no longer
cancels exactly to zero, so only a determinant that rounds to zero counts as singular."""

UNDER_CURRENT, OPEN_CIRCUIT, MEASURING_ELECTRODE = 0, 1, 2
"""Codes of the controls in compiled code (the names of :data:`mixpot.sensor.solver.CONTROLS`)."""

MODES = {"under-current": UNDER_CURRENT, "open-circuit": OPEN_CIRCUIT,
         "measuring-electrode": MEASURING_ELECTRODE}  # fmt: skip


def pack_points(model: SensorModel) -> tuple[Array, ...]:
    """Coefficients of every point of a model, point axis first (batched :func:`kernel.pack`).

    Row ``p`` of every array is what :func:`mixpot.sensor.kernel.pack` returns for point ``p``
    (tested), so that the compiled code can hand each point to the kernel's functions without
    a copy.

    Parameters
    ----------
    model : SensorModel
        The element equations (P points, K fuels, N cells).

    Returns
    -------
    tuple of numpy.ndarray
        conductance, beta, mass transfer (P, 1+K, N); electrode area, cell volume (N,);
        exhaust (P, 1+K); fuel rows (P, 15, K); scalars (P, 15).
    """
    n_pts, k = model.temperature.size, len(model.fuels)
    area = model.grid.electrode_area
    fuel = np.zeros((n_pts, 15, k))
    if k:
        fuel[:, 0] = model.ipe.catalytic.T
        fuel[:, 1] = model.ipe.ec_unit.T
        fuel[:, 2] = model.me.catalytic.T
        fuel[:, 3] = model.me.ec_unit.T
        fuel[:, 4] = model.ipe.ec_alpha[:, 0]
        fuel[:, 5] = model.electrons[:, 0, 0]
        fuel[:, 6] = model.o2_demand[:, 0, 0]
        fuel[:, 7] = model.moles_cat[:, 0, 0]
        fuel[:, 8] = model.moles_ec[:, 0, 0]
        fuel[:, 9] = model.ipe.couple.T
        fuel[:, 10] = model.me.couple.T
        fuel[:, 11] = model.couple_e0.T
        fuel[:, 12] = model.couple_product.T
        fuel[:, 13] = model.couple_alpha[:, 0, 0]
        fuel[:, 14] = model.couple_electrons[:, 0, 0]
    kin = model.o2_kinetics
    ones = np.ones(n_pts)
    scalars = np.stack(
        [
            model.concentration,
            model.pressure,
            model.f,
            model.reference_p_o2,
            model.ipe.o2_i0_factor,
            model.me.o2_i0_factor,
            kin.pressure_order * ones,
            kin.reference_pressure * ones,
            kin.alpha_a * ones,
            kin.alpha_c * ones,
            double_layer_capacitance(model.temperature) * float(area.sum()),
            float(model.options.stefan_flow) * ones,
            float(model.options.pump_electrode_fuel_oxidation) * ones,
            model.ipe.o2_catalytic,
            model.me.o2_catalytic,
        ],
        axis=1,
    )

    def points_first(a: Array) -> Array:
        return np.ascontiguousarray(np.moveaxis(a, 1, 0), dtype=np.float64)

    return (
        points_first(model.conductance),
        points_first(model.beta),
        points_first(model.mass_transfer),
        np.ascontiguousarray(area, dtype=np.float64),
        np.ascontiguousarray(model.grid.volume, dtype=np.float64),
        points_first(model.x_exhaust),
        np.ascontiguousarray(fuel),
        np.ascontiguousarray(scalars),
    )


@numba.njit(**_NO_REFCOUNT)
def _couple_factors(e: float, which: int, coeffs: Any, out: Array) -> None:
    """Potential factors of the fuels' reversible couples at one electrode potential.

    Fills ``out`` (4, K) with the forward rate constant ``k_f``, the backward term ``b`` and
    their E-derivatives, as ``kernel._fuel_cell`` computes them per cell (they depend on the
    potential only, so one evaluation serves every cell); the clipped range counts as constant,
    and all are zero at the pump electrode when its fuel oxidation is switched off.
    """
    _, _, _, fuel, s = coeffs
    f = s[2]
    off = which == 0 and s[12] == 0.0
    for q in range(out.shape[1]):
        al, n, k0 = fuel[13, q], fuel[14, q], fuel[9 + which, q]
        u = n * f * (e - fuel[11, q])
        u_free = -700.0 < u < 700.0
        u = min(max(u, -700.0), 700.0)
        if off or k0 == 0.0:  # no couple (u is clipped: its exponentials are finite)
            ks_f, b = 0.0, 0.0
        else:
            ks_f = k0 * np.exp(al * u)
            b = k0 * fuel[12, q] * np.exp(-(1.0 - al) * u)
        out[0, q] = ks_f
        out[1, q] = b
        out[2, q] = al * n * f * ks_f if u_free else 0.0
        out[3, q] = -(1.0 - al) * n * f * b if u_free else 0.0


@numba.njit(**_JIT, inline="always")
def _o2_log_power(x_o2: float, s: Array) -> tuple[float, float]:
    """ln(p_O2/p_ref) of a cell's gas and the O2 exchange current's factor (p_O2/p_kin)^order.

    Both [-], the factor zero without O2; for :func:`_half_cell_slopes`. The same for every
    electrode of the cell: evaluated once per cell, not per electrode (of the three
    evaluations per cell in open-circuit control). The power is taken from the logarithm at
    hand (one exponential instead of a power).
    """
    p, p_ref, order, p_kin = s[1], s[3], s[6], s[7]
    ln_o2 = np.log(max(x_o2, 1e-300) * p / p_ref)
    p_kin_ln = 0.0 if p_kin == p_ref else np.log(p_ref / p_kin)
    return ln_o2, np.exp(order * (ln_o2 + p_kin_ln)) if x_o2 > 0.0 else 0.0


@numba.njit(**_JIT, inline="always")
def _half_cell_slopes(
    e: float,
    x: Array,
    j: int,
    which: int,
    coeffs: Any,
    ev: int,
    couples: Array,
    dshare: Array,
    vals: Array,
    jacs: Array,
    slopes: bool,
    ln_o2: float,
    o2_power: float,
    current_only: bool,
) -> tuple[float, float]:
    """Reactions of one electrode in cell ``j`` and their analytic derivatives.

    ``vals[ev]`` (2 + K: the consumption of O2 and the fuels and the gas moles created
    [mol/s]) and the return value (the current and its O2 couple's part [A], anodic positive)
    are the electrode's part of the kernel's cell functions (``kernel._o2_current`` and
    ``kernel._fuel_cell``, tested equal); with ``slopes``, ``jacs[ev]`` (3 + K, 2 + K) holds
    their derivatives: rows the consumption of O2 and the fuels, the gas moles and the current,
    columns x_O2, the fuels' x and E. ``couples[ev]`` is :func:`_couple_factors` at ``e``,
    ``dshare`` (2 + K) scratch, ``ln_o2`` and ``o2_power`` the cell's :func:`_o2_log_power`
    (shared by its electrodes). With ``current_only`` (the pump electrode at the setpoint,
    whose current alone enters an equation) ``vals[ev]`` is left as it is and only the current
    row of ``jacs[ev]`` is written. The arrays come whole
    with the row ``ev`` to use, not as views: a view per call costs a reference count, and
    Numba's atomic reference counting was 10 % of an iteration. The chain rule runs through
    the same intermediates as ``kernel._o2_current`` (Butler-Volmer with the exact surface O2)
    and ``kernel._fuel_cell`` (rate constants in series with transverse mass transfer,
    O2-limited catalysis); the clipped ranges of the overpotentials count as constant. A fuel's
    terms depend on the gas and the potential only through its wall mole fraction, its own
    mole fraction and its three rate constants, so their derivatives are the responses to
    those (per fuel) combined column by column; the catalytic share's derivatives, common to
    all fuels, enter as one rank-one term. Inlined (Numba IR) at its one call site in
    :func:`_assemble`: a compiled call passes every array of ``coeffs`` as separate arguments
    (inlining saves 6-8 % of the whole solve).
    """
    species, cells, _, fuel, s = coeffs
    km = species[2]
    a_j = cells[0][j]
    c, f, order, aa, ac = s[0], s[2], s[6], s[8], s[9]
    n_sp = x.shape[0]
    k, ve, cur = n_sp - 1, n_sp, n_sp + 1  # fuels, column of E, row of the current
    if current_only:
        if slopes:
            jacs[ev, cur, :] = 0.0
    else:
        if slopes:
            jacs[ev, :, :] = 0.0
        vals[ev, :] = 0.0
    x_o2 = x[0, j]
    to_mol = a_j / (4.0 * FARADAY)
    current, i_o2 = 0.0, 0.0
    # O2 couple: i = a - b sq = lim (sq + 1)(sq - 1), sq = 2 (lim + a)/(b + root), root =
    # sqrt(b^2 + 4 lim (lim + a)), sq - 1 in the cancellation-free form of
    # mixpot.electrode.kinetics.o2_couple_current; i0 ~ (x p / p_kin)^order
    i0 = s[4 + which] * o2_power
    if i0 != 0.0:
        lim = 4.0 * FARADAY * km[0, j] * c * x_o2
        u = f * e - ln_o2 / 4.0
        a, b, diff = _butler_volmer_terms(i0, aa, ac, u)
        if b < 1e150 and lim + a < 1e150:
            root = np.sqrt(b * b + 4.0 * lim * (lim + a))
        else:  # no overflow
            root = np.hypot(b, 2.0 * np.sqrt(lim) * np.sqrt(lim + a))
        inv_root, inv_sum = 1.0 / root, 1.0 / (b + root)
        sq = 2.0 * (lim + a) * inv_sum
        excess = 2.0 * diff / (b + root + 2.0 * lim)  # sq - 1
        i_o2 = lim * (sq + 1.0) * excess
        current = i_o2
        if not current_only:
            vals[ev, 0] = -i_o2 * to_mol
            vals[ev, n_sp] = i_o2 * to_mol
        free_a, free_b = aa * u < 700.0, -ac * u < 700.0
        inv_x = 1.0 / x_o2
        if slopes:
            for col in (0, ve):
                if col == 0:  # d/dx_O2: i0 ~ x^m, u = f E - ln(x)/4 + const, lim ~ x
                    da = a * (order - (aa / 4.0 if free_a else 0.0)) * inv_x
                    db = b * (order + (ac / 4.0 if free_b else 0.0)) * inv_x
                    dl = lim * inv_x
                else:
                    da = aa * f * a if free_a else 0.0
                    db = -ac * f * b if free_b else 0.0
                    dl = 0.0
                droot = (b * db + 2.0 * dl * (lim + a) + 2.0 * lim * (dl + da)) * inv_root
                dsq = (2.0 * (dl + da) - sq * (db + droot)) * inv_sum
                di = (dl * (sq + 1.0) * excess + 2.0 * lim * sq * dsq) * a_j
                if not current_only:
                    jacs[ev, 0, col] = -di / (4.0 * FARADAY)
                    jacs[ev, n_sp, col] = di / (4.0 * FARADAY)
                jacs[ev, cur, col] = di
    if k == 0:
        return current * a_j, i_o2 * a_j
    # fuels: eta = E - E_O2,eq(x_O2) (clipped), share = S/(S + D) of the catalytic channel
    off = which == 0 and s[12] == 0.0
    eta = e - ln_o2 / (4.0 * f)
    eta_free = -5.0 < eta < 5.0
    eta = min(max(eta, -5.0), 5.0)
    deta_x = -1.0 / (4.0 * f * x_o2) if eta_free and x_o2 > 1e-300 else 0.0
    deta_e = 1.0 if eta_free else 0.0
    demand = 0.0
    for q in range(k):
        kc, kmq = fuel[2 * which, q], km[1 + q, j]
        dshare[1 + q] = fuel[6, q] * kc * kmq / (kc + kmq + 1e-300)
        demand += dshare[1 + q] * x[1 + q, j]
    ko, km0 = s[13 + which], km[0, j]
    ko = ko * km0 / (ko + km0 + 1e-300)
    supply = ko * max(x_o2, 0.0)
    share = 1.0
    dshare[0] = 0.0
    if demand > 0.0:
        share = supply / (supply + demand)
        inv2 = 1.0 / (supply + demand) ** 2
        for q in range(k):
            dshare[1 + q] *= -supply * inv2
        dshare[0] = ko * demand * inv2 if x_o2 > 0.0 else 0.0
    else:
        for q in range(k):
            dshare[1 + q] = 0.0
    ac_j = a_j * c
    share_o2, share_moles, share_cur = 0.0, 0.0, 0.0  # rows 0, moles, current per unit share
    alpha, tafel = np.nan, 0.0  # exp(alpha f eta) of the last alpha: fuels mostly share it
    for q in range(k):
        kmq, z, f6, f7, f8 = km[1 + q, j], fuel[5, q], fuel[6, q], fuel[7, q], fuel[8, q]
        kc = fuel[2 * which, q]
        ks_c = kc * share
        if fuel[4, q] != alpha:
            alpha = fuel[4, q]
            tafel = np.exp(alpha * f * eta)
        ks_e = fuel[2 * which + 1, q] * tafel / (z * FARADAY * c)
        ks_f, b, dks_f, db_e = (
            couples[ev, 0, q],
            couples[ev, 1, q],
            couples[ev, 2, q],
            couples[ev, 3, q],
        )
        dks_e = fuel[4, q] * f * ks_e
        if off:
            ks_e, dks_e = 0.0, 0.0
        total = kmq + ks_c + ks_e + ks_f + 1e-300
        inv = 1.0 / total
        xq = x[1 + q, j]
        x_w = (kmq * xq + b) * inv
        zfc, nfc = z * FARADAY * c, fuel[14, q] * FARADAY * c
        if not current_only:
            t0, t1 = kmq * (total - kmq) * inv, kmq * b * inv
            t2, t3 = ks_c * kmq * inv, ks_c * b * inv
            total_q = (t0 * xq - t1) * ac_j
            cat_q = (t2 * xq + t3) * ac_j
            vals[ev, 1 + q] = total_q
            vals[ev, 0] += f6 * cat_q
            vals[ev, n_sp] += f7 * cat_q + f8 * (total_q - cat_q)
        current += zfc * ks_e * x_w + nfc * (ks_f * x_w - b)
        if not slopes:
            continue
        # chain rule through the wall mole fraction: x_w = (k_m x + b)/T, consumption
        # a c k_m (x - x_w), catalytic part a c k_c x_w, current zFc k_e x_w + nFc (k_f x_w - b);
        # d_xw = (k_m dx + db - x_w (dk_c + dk_e + dk_f))/T. Per unit of d_xw:
        w_total, w_cat, w_cur = -ac_j * kmq, ac_j * ks_c, (zfc * ks_e + nfc * ks_f) * a_j
        # own mole fraction (direct and through x_w)
        dxw = kmq * inv
        if not current_only:
            d_total, d_cat = ac_j * kmq + w_total * dxw, w_cat * dxw
            jacs[ev, 1 + q, 1 + q] += d_total
            jacs[ev, 0, 1 + q] += f6 * d_cat
            jacs[ev, n_sp, 1 + q] += f7 * d_cat + f8 * (d_total - d_cat)
        jacs[ev, cur, 1 + q] += w_cur * dxw
        # x_O2 (the electrochemical rate constant through eta) and E (all three rate constants)
        for col in (0, ve):
            d_kse = dks_e * (deta_x if col == 0 else deta_e)
            d_ksf, d_b = (0.0, 0.0) if col == 0 else (dks_f, db_e)
            dxw = (d_b - x_w * (d_kse + d_ksf)) * inv
            if not current_only:
                d_total, d_cat = w_total * dxw, w_cat * dxw
                jacs[ev, 1 + q, col] += d_total
                jacs[ev, 0, col] += f6 * d_cat
                jacs[ev, n_sp, col] += f7 * d_cat + f8 * (d_total - d_cat)
            jacs[ev, cur, col] += (
                w_cur * dxw + (zfc * d_kse * x_w + nfc * (d_ksf * x_w - d_b)) * a_j
            )
        # the catalytic share (x_O2 and every fuel): per unit of the share
        dxw = -x_w * kc * inv
        if not current_only:
            d_total, d_cat = w_total * dxw, ac_j * kc * x_w + w_cat * dxw
            for v in range(1 + k):
                jacs[ev, 1 + q, v] += d_total * dshare[v]
            share_o2 += f6 * d_cat
            share_moles += f7 * d_cat + f8 * (d_total - d_cat)
        share_cur += w_cur * dxw
    for v in range(1 + k if slopes else 0):
        if not current_only:
            jacs[ev, 0, v] += share_o2 * dshare[v]
            jacs[ev, n_sp, v] += share_moles * dshare[v]
        jacs[ev, cur, v] += share_cur * dshare[v]
    return current * a_j, i_o2 * a_j


@numba.njit(**_JIT)
def _reactive_span(area: Array) -> tuple[int, int]:
    """First and one past the last cell with electrode area: the cells the Newton solves.

    The reaction-free cells before them (the barrier) and after them (the electrode-free rim)
    are condensed out exactly (:func:`_barrier_chain`, :func:`_fill_condensed`); without any
    electrode area nothing is condensed.
    """
    j0, j1 = 0, 0
    for j in range(area.size):
        if area[j] != 0.0:
            if j1 == 0:
                j0 = j
            j1 = j + 1
    return (j0, j1) if j1 > 0 else (0, area.size)


@numba.njit(**_JIT, inline="always")
def _sg_face(
    gc: float, beta: float, n_tot: float, stefan: bool, slopes: bool
) -> tuple[float, float, float, float]:
    """Scharfetter-Gummel face coefficients: flux = a x_left - b x_right, and da/dN, db/dN.

    a = G c (B(z) + z), b = G c B(z), z = beta N/(G c) (B(-z) = B(z) + z: one exponential);
    da/dN = beta (B'(z) + 1), db/dN = beta B'(z), with ``slopes`` and Stefan flow (else 0).
    """
    pe = beta * n_tot / gc if stefan else 0.0
    bp = _bernoulli(pe)
    if not (stefan and slopes):
        return gc * (bp + pe), gc * bp, 0.0, 0.0
    slope = _bernoulli_slope(pe, bp)
    return gc * (bp + pe), gc * bp, beta * (slope + 1.0), beta * slope


@numba.njit(**_JIT, inline="always")
def _in_series(big_a: float, big_b: float, a: float, b: float) -> tuple[float, float, float]:
    """Append a face (a, b) to a chain of faces (A, B), eliminating the cell between them.

    From A x_e - B x_m = a x_m - b x_r: x_m = (A x_e + b x_r)/(B + a), and the chain
    A' = a A/(B + a), B' = B b/(B + a). Returns A', B' and 1/(B + a).
    """
    inv = 1.0 / (big_b + a)
    return a * big_a * inv, big_b * b * inv, inv


@numba.njit(**_JIT, inline="always")
def _barrier_chain(
    conductance: Array, beta: Array, sp: int, last: int, n_tot: float, c: float, stefan: bool,
    slopes: bool,
) -> tuple[float, float, float, float]:  # fmt: skip
    """Faces 0..``last`` in series, their cells eliminated: flux = A x_exhaust - B x_last.

    In a reaction-free cell the flux in equals the flux out (and the net molar flow N is the
    same through all these faces), so each cell can be eliminated between the chain so far
    and the next face (:func:`_in_series`; exact: the same discrete equations, solved for the
    eliminated cells). Returns A, B [mol/s] and, with ``slopes``, their derivatives with
    respect to N (quotient rule through the recursion) [-] (else 0).
    """
    big_a, big_b, d_a, d_b = _sg_face(conductance[sp, 0] * c, beta[sp, 0], n_tot, stefan, slopes)
    for k in range(1, last + 1):
        a, b, da, db = _sg_face(conductance[sp, k] * c, beta[sp, k], n_tot, stefan, slopes)
        new_a, new_b, inv = _in_series(big_a, big_b, a, b)
        if slopes:
            d_inv = -(d_b + da) * inv * inv
            d_a = (da * big_a + a * d_a) * inv + a * big_a * d_inv
            d_b = (d_b * b + big_b * db) * inv + big_b * b * d_inv
        big_a, big_b = new_a, new_b
    return big_a, big_b, d_a, d_b


@numba.njit(**_NO_REFCOUNT)
def _fill_condensed(
    x: Array, n_tot: Array, coeffs: Any, j0: int, j1: int, inflow: Array, chain: Array
) -> None:
    """Fill the condensed cells of a state from its solved cells ``j0``..``j1 - 1``.

    Before ``j0`` (the barrier): the net molar flow of face ``j0`` through every face, and
    x_k = (A_k x_e + b_{k+1} x_{k+1})/(B_k + a_{k+1}) from cell ``j0`` outwards, with (A_k, B_k)
    the faces up to k in series (the recursion of :func:`_barrier_chain`, kept per face in one
    pass). From ``j1`` on (no reactions up to the closed rim): no net molar flow, hence no flux
    through any face, and the gas of cell ``j1 - 1``. ``inflow`` gets the state's face-0 fluxes,
    A x_e - B x_j0 with the barrier in series (as :func:`_assemble` computes them) [mol/s].
    ``chain`` (4, >= j0 + 1) is scratch for A_k, B_k, a_k and b_k.
    """
    conductance, beta, _ = coeffs[0]
    exhaust, c, stefan = coeffs[2], coeffs[4][0], coeffs[4][11] != 0.0
    n_sp, n = x.shape
    for j in range(j0):
        n_tot[j] = n_tot[j0]
    for j in range(j1, n):
        n_tot[j] = 0.0
    for sp in range(n_sp):
        for k in range(j0 + 1):
            gc = conductance[sp, k] * c
            a, b, _, _ = _sg_face(gc, beta[sp, k], n_tot[j0], stefan, False)
            chain[2, k], chain[3, k] = a, b
            if k == 0:
                chain[0, k], chain[1, k] = a, b
            else:
                chain[0, k], chain[1, k], _ = _in_series(chain[0, k - 1], chain[1, k - 1], a, b)
        inflow[sp] = chain[0, j0] * exhaust[sp] - chain[1, j0] * x[sp, j0]
        for k in range(j0 - 1, -1, -1):
            x[sp, k] = (chain[0, k] * exhaust[sp] + chain[3, k + 1] * x[sp, k + 1]) / (
                chain[1, k] + chain[2, k + 1]
            )
        for j in range(j1, n):
            x[sp, j] = x[sp, j1 - 1]


@numba.njit(**_JIT)
def _bernoulli_slope(z: float, b: float) -> float:
    """B'(z) of the Bernoulli function B(z) = z/(e^z - 1) [-], given b = B(z).

    Below |z| = :data:`~mixpot.sensor.kernel.BERNOULLI_SERIES` the derivative of the series of
    :func:`mixpot.sensor.kernel._bernoulli`, -1/2 + sum_k 2k B_2k z^(2k-1)/(2k)! (no division,
    and no cancellation in 1 - B(z) as z -> 0), else B(z) ((1 - B(z))/z - 1).
    """
    if abs(z) < BERNOULLI_SERIES:
        return -0.5 + z * _series(z * z, BERNOULLI_SLOPE_TERMS)
    return b * ((1.0 - b) / z - 1.0)


@numba.njit(**_JIT)
def _scratch(n_sp: int) -> tuple[Array, Array, Array, Array]:
    """Work arrays of :func:`_assemble` for ``n_sp`` species (O2 and K fuels).

    Couple factors (3, 4, K), scratch of the catalytic share's derivatives (2 + K), and cell
    values (3, 2 + K) and derivatives (3, 3 + K, 2 + K) of the pump electrode, the measuring
    electrode and the pump electrode at the setpoint (in the order of the returned tuple; of
    the last only the current row of the derivatives is written, :func:`_half_cell_slopes`).
    """
    return (
        np.zeros((3, 4, n_sp - 1)),
        np.zeros(n_sp + 1),
        np.zeros((3, n_sp + 1)),
        np.zeros((3, n_sp + 2, n_sp + 1)),
    )


@numba.njit(**_JIT)
def _workspace(n_sp: int, n: int, j0: int) -> tuple[Any, ...]:
    """Work arrays of :func:`_solve_point` for ``n_sp`` species in ``n`` solved cells from ``j0``.

    The blocks of :func:`_assemble` (res, diag, lower, upper, cols, rows, corner, border), the
    forward sweep's blocks, update and potential update of :func:`_newton_step`, its row
    interchanges and Schur complement, the balance terms of :func:`_assemble`,
    :func:`_scratch` and the scratch of :func:`_fill_condensed`; allocated once per call, not
    per point (the iteration allocates nothing, so it runs without reference counting).
    ``lower``, ``upper``, ``cols`` and ``rows`` start at zero: :func:`_assemble` overwrites
    only their nonzero pattern.
    """
    m = n_sp + 1
    return (
        np.empty((n, m)),
        np.empty((n, m, m)),
        np.zeros((n, m)),
        np.zeros((n, m, m)),
        np.zeros((n, m, 2)),
        np.zeros((2, n, m)),
        np.empty((2, 2)),
        np.empty(2),
        np.empty((n, m, m + 3)),
        np.empty((n, m)),
        np.empty(2),
        np.zeros((n, m), np.int64),
        np.empty(4),
        np.empty(3),
        _scratch(n_sp),
        np.empty((4, j0 + 1)),
    )


@numba.njit(**_NO_REFCOUNT)
def _assemble(
    x: Array,
    n_tot: Array,
    e_ipe: float,
    e_me: float,
    e_set: float,
    mode: int,
    coeffs: Any,
    scratch: Any,
    slopes: bool,
    pump_only: bool,
    j0: int,
    res: Array,
    diag: Array,
    lower: Array,
    upper: Array,
    cols: Array,
    rows: Array,
    corner: Array,
    border: Array,
    stats: Array,
    inflow: Array,
) -> None:
    """Residuals, balance terms and (``slopes``) Jacobian blocks of the steady equations.

    Per solved cell ``j = j0 + r`` (block ``r``; unknowns ``y_j`` = O2, fuels, net molar flow of
    face j; the first face is the condensed barrier, :func:`_barrier_chain`, and no flow leaves
    the last block): ``res[r]`` holds the species balances F_j - F_{j+1} - consumption and
    N_j - N_{j+1} + moles; ``diag[r]``, ``lower[r]`` (diagonal, species only) and ``upper[r]``
    their derivatives with respect to ``y_j``, ``y_{j-1}`` and ``y_{j+1}``; ``cols[r]`` with
    respect to (E_ipe, E_me). ``border``
    holds the potential equations (net current of the measuring electrode; open-circuit: net
    current of the pump electrode at the setpoint, under-current: E_ipe held), ``rows`` and
    ``corner`` their derivatives with respect to the cells' unknowns and the potentials.
    Without ``slopes`` the derivative arrays are left as they are (a simplified Newton step
    reuses them). ``stats`` gets the terms of the balance check (:func:`_balance`): the pump
    electrode's current, the magnitudes of the measuring electrode's O2 and fuel currents and of
    the O2 current of the pump electrode at the setpoint [A]; ``inflow`` the face-0 fluxes
    [mol/s]. ``scratch`` is :func:`_scratch` with the couple factors at the setpoint filled in.
    With ``pump_only`` (and not ``slopes``) only the pump electrode's current is evaluated, into
    ``stats[0]`` (the pump current of a state, reversed), the rest left at zero or as it is.
    """
    species, cells, exhaust, _, s = coeffs
    conductance, beta, _ = species
    area = cells[0]
    n_sp, n = x.shape[0], res.shape[0]
    m = n_sp + 1
    c, stefan = s[0], s[11] != 0.0
    open_circuit, ipe_free = mode == OPEN_CIRCUIT, mode != UNDER_CURRENT
    couple, dshare, val, jac = scratch
    res[:, :] = 0.0
    border[:] = 0.0
    stats[:] = 0.0
    if slopes:  # lower, upper, cols, rows: zero from _workspace, their pattern overwritten
        diag[:, :, :] = 0.0
        corner[:, :] = 0.0
    if not pump_only:
        # transport: Scharfetter-Gummel face fluxes (block r is cell j0 + r; face j0 is the
        # condensed barrier, faces 0..j0 in series)
        for sp in range(n_sp):
            for r in range(n):
                j = j0 + r
                if r == 0:
                    a, b, da, db = _barrier_chain(
                        conductance, beta, sp, j0, n_tot[j0], c, stefan, slopes
                    )
                    left = exhaust[sp]
                else:
                    gc = conductance[sp, j] * c
                    a, b, da, db = _sg_face(gc, beta[sp, j], n_tot[j], stefan, slopes)
                    left = x[sp, j - 1]
                flux = a * left - b * x[sp, j]
                # face j enters cell j and leaves cell j - 1
                res[r, sp] += flux
                if r > 0:
                    res[r - 1, sp] -= flux
                else:
                    inflow[sp] = flux
                if not slopes:
                    continue
                d_flux = da * left - db * x[sp, j]
                diag[r, sp, sp] -= b
                diag[r, sp, m - 1] += d_flux
                if r > 0:
                    lower[r, sp] = a
                    diag[r - 1, sp, sp] -= a
                    upper[r - 1, sp, sp] = b
                    upper[r - 1, sp, m - 1] = -d_flux
        for r in range(n):
            j = j0 + r
            res[r, m - 1] = n_tot[j] - (n_tot[j + 1] if r + 1 < n else 0.0)
            if slopes:
                diag[r, m - 1, m - 1] = 1.0
                if r + 1 < n:
                    upper[r, m - 1, m - 1] = -1.0
    # reactions, cell by cell, with their analytic derivatives (0: pump electrode, 1: measuring
    # electrode, 2: pump electrode at the setpoint)
    _couple_factors(e_ipe, 0, coeffs, couple[0])
    if not pump_only:
        _couple_factors(e_me, 1, coeffs, couple[1])
    val_i, val_m, jac_i, jac_m, jac_o = val[0], val[1], jac[0], jac[1], jac[2]
    potentials = (e_ipe, e_me, e_set)
    for i in range(n):
        j = j0 + i
        if area[j] == 0.0:
            continue
        # one call site, inlined: the pump electrode, the measuring electrode (its current in
        # border 0) and, in open-circuit control, the pump electrode at the setpoint (border 1)
        ln_o2, o2_power = _o2_log_power(x[0, j], s)
        for ev in range(1 if pump_only else 3 if open_circuit else 2):
            which = 1 if ev == 1 else 0
            current, o2 = _half_cell_slopes(
                potentials[ev], x, j, which, coeffs, ev, couple, dshare, val, jac, slopes,
                ln_o2, o2_power, ev == 2,
            )  # fmt: skip
            if ev == 0:
                stats[0] += current
            elif ev == 1:
                border[0] += current
                stats[1] += abs(o2) + abs(current - o2)
            else:
                border[1] += current
                stats[2] += abs(o2)
        for r in range(n_sp):
            res[i, r] -= val_i[r] + val_m[r]
        res[i, m - 1] += val_i[n_sp] + val_m[n_sp]
        if not slopes:
            continue
        for r in range(n_sp):
            for q in range(n_sp):
                diag[i, r, q] -= jac_i[r, q] + jac_m[r, q]
            cols[i, r, 0] = -jac_i[r, n_sp] if ipe_free else 0.0
            cols[i, r, 1] = -jac_m[r, n_sp]
        for q in range(n_sp):
            diag[i, m - 1, q] += jac_i[n_sp, q] + jac_m[n_sp, q]
            rows[0, i, q] = jac_m[m, q]
            rows[1, i, q] = jac_o[m, q] if open_circuit else 0.0
        cols[i, m - 1, 0] = jac_i[n_sp, n_sp] if ipe_free else 0.0
        cols[i, m - 1, 1] = jac_m[n_sp, n_sp]
        corner[0, 1] += jac_m[m, n_sp]
    if not slopes:
        return
    if mode == UNDER_CURRENT:
        corner[1, 0] = 1.0  # E_ipe is held: its update is zero
    elif mode == MEASURING_ELECTRODE:
        corner[1, 1] = 1.0  # E_me is held: its update is zero


@numba.njit(**_JIT, inline="always")
def _potential_update(
    schur: Array, g0: float, g1: float, work: Array, step: Array, d_e: Array
) -> bool:
    """Solve the Schur complement for the potentials' update, then y = z0 - Z dE for the cells.

    ``schur`` holds E - B Z (row-major), (g0, g1) = -g - B z0, ``work[j, :, m:m + 3]`` holds
    [z0 | Z]. False if the Schur complement is singular.
    """
    n, m = work.shape[0], work.shape[1]
    s00, s01, s10, s11 = schur[0], schur[1], schur[2], schur[3]
    det = s00 * s11 - s01 * s10
    if det == 0.0 or not np.isfinite(det):
        return False
    d_e[0] = (g0 * s11 - s01 * g1) / det
    d_e[1] = (s00 * g1 - s10 * g0) / det
    for j in range(n):
        for t in range(m):
            step[j, t] = work[j, t, m] - work[j, t, m + 1] * d_e[0] - work[j, t, m + 2] * d_e[1]
    return True


@numba.njit(**_NO_REFCOUNT)
def _newton_step(
    res: Array,
    diag: Array,
    lower: Array,
    upper: Array,
    cols: Array,
    rows: Array,
    corner: Array,
    border: Array,
    work: Array,
    piv: NDArray[np.int64],
    schur: Array,
    step: Array,
    d_e: Array,
) -> bool:
    """Solve the bordered block-tridiagonal Newton system; False if it is singular.

    ``work[j]`` (m x (m + 3)) holds, after the forward sweep, D'_j^{-1} [U_j | -r_j | C_j]
    (Gaussian elimination with partial pivoting of D'_j applied to the augmented block, then
    back substitution; Golub & Van Loan 2013, Alg. 3.4.1); the block back substitution gives
    y = z0 - Z dE, and the potentials' Schur complement dE. The factors stay for
    :func:`_chord_step`: the multipliers below the diagonal of ``diag[j]``, U above it and the
    reciprocals of U's diagonal on it, the interchanges in ``piv[j]``, G_j and Z in ``work``
    and the Schur complement in ``schur``. The blocks are indexed in place (a view per block
    costs an atomic reference count).
    """
    n, m = res.shape
    w = m + 3
    for j in range(n):
        for r in range(m):
            for col in range(m):
                work[j, r, col] = upper[j, r, col]
            work[j, r, m] = -res[j, r]
            work[j, r, m + 1] = cols[j, r, 0]
            work[j, r, m + 2] = cols[j, r, 1]
        if j > 0:
            # D'_j = D_j - L_j G_{j-1}, rhs'_j = rhs_j - L_j H_{j-1} (L_j diagonal on species)
            for r in range(m - 1):
                lj = lower[j, r]
                if lj != 0.0:
                    for col in range(m):
                        diag[j, r, col] -= lj * work[j - 1, r, col]
                    for col in range(m, w):
                        work[j, r, col] -= lj * work[j - 1, r, col]
        # Gaussian elimination with partial pivoting on [D'_j | U_j | -r_j | C_j]
        for k in range(m):
            p = k
            big = abs(diag[j, k, k])
            for i in range(k + 1, m):
                if abs(diag[j, i, k]) > big:
                    big, p = abs(diag[j, i, k]), i
            if big == 0.0 or not np.isfinite(big):
                return False
            piv[j, k] = p
            if p != k:
                for col in range(k, m):
                    diag[j, k, col], diag[j, p, col] = diag[j, p, col], diag[j, k, col]
                for col in range(w):
                    work[j, k, col], work[j, p, col] = work[j, p, col], work[j, k, col]
            inv = 1.0 / diag[j, k, k]
            for i in range(k + 1, m):
                f = diag[j, i, k] * inv
                diag[j, i, k] = f
                if f != 0.0:
                    for col in range(k + 1, m):
                        diag[j, i, col] -= f * diag[j, k, col]
                    for col in range(w):
                        work[j, i, col] -= f * work[j, k, col]
        for i in range(m - 1, -1, -1):
            for r in range(i + 1, m):
                f = diag[j, i, r]
                if f != 0.0:
                    for col in range(w):
                        work[j, i, col] -= f * work[j, r, col]
            inv = 1.0 / diag[j, i, i]
            diag[j, i, i] = inv  # kept as its reciprocal for _chord_step
            for col in range(w):
                work[j, i, col] *= inv
    # back substitution: Y_j = H_j - G_j Y_{j+1}; Y = [z0 | Z] stored in work[j, :, m:]
    for j in range(n - 2, -1, -1):
        for r in range(m):
            for col in range(m, m + 3):
                acc = 0.0
                for t in range(m):
                    acc += work[j, r, t] * work[j + 1, t, col]
                work[j, r, col] -= acc
    # Schur complement of the potentials: (E - B Z) dE = -g - B z0
    s00, s01, s10, s11 = corner[0, 0], corner[0, 1], corner[1, 0], corner[1, 1]
    g0, g1 = -border[0], -border[1]
    for j in range(n):
        for t in range(m):
            b0, b1 = rows[0, j, t], rows[1, j, t]
            z0, z1, z2 = work[j, t, m], work[j, t, m + 1], work[j, t, m + 2]
            s00 -= b0 * z1
            s01 -= b0 * z2
            s10 -= b1 * z1
            s11 -= b1 * z2
            g0 -= b0 * z0
            g1 -= b1 * z0
    schur[0], schur[1], schur[2], schur[3] = s00, s01, s10, s11
    return _potential_update(schur, g0, g1, work, step, d_e)


@numba.njit(**_NO_REFCOUNT)
def _chord_step(
    res: Array,
    diag: Array,
    lower: Array,
    rows: Array,
    border: Array,
    work: Array,
    piv: NDArray[np.int64],
    schur: Array,
    step: Array,
    d_e: Array,
) -> bool:
    """Simplified Newton step: a new residual through the last :func:`_newton_step`'s factors.

    The forward sweep and back substitution of the residual column alone (the factors of D'_j,
    G_j, Z and the Schur complement as the last Newton step left them; Deuflhard 2004,
    Sect. 2.1.4, simplified Newton method); False if the Schur complement is singular.
    """
    n, m = res.shape
    for j in range(n):
        for r in range(m):
            work[j, r, m] = -res[j, r]
        if j > 0:
            for r in range(m - 1):
                work[j, r, m] -= lower[j, r] * work[j - 1, r, m]
        # the interchanges and multipliers in the order of the elimination, then the triangle
        for k in range(m):
            p = piv[j, k]
            if p != k:
                work[j, k, m], work[j, p, m] = work[j, p, m], work[j, k, m]
            h = work[j, k, m]
            for i in range(k + 1, m):
                work[j, i, m] -= diag[j, i, k] * h
        for i in range(m - 1, -1, -1):
            acc = work[j, i, m]
            for r in range(i + 1, m):
                acc -= diag[j, i, r] * work[j, r, m]
            work[j, i, m] = acc * diag[j, i, i]  # the reciprocal of U's diagonal
    g0, g1 = -border[0], -border[1]
    for j in range(n - 1, -1, -1):
        for r in range(m):
            if j < n - 1:
                acc = 0.0
                for t in range(m):
                    acc += work[j, r, t] * work[j + 1, t, m]
                work[j, r, m] -= acc
            g0 -= rows[0, j, r] * work[j, r, m]
            g1 -= rows[1, j, r] * work[j, r, m]
    return _potential_update(schur, g0, g1, work, step, d_e)


@numba.njit(**_NO_REFCOUNT)
def _solve_point(
    x: Array,
    n_tot: Array,
    e: Array,
    e_set: float,
    mode: int,
    coeffs: Any,
    max_iter: int,
    space: Any,
    inflow: Array,
    reuse: bool,
) -> tuple[int, float, float]:
    """Damped Newton at one point from the state in ``x``, ``n_tot``, ``e`` (updated in place).

    Full Newton steps until an update falls below :data:`LOCAL_STEP`, then simplified Newton
    steps (:func:`_chord_step`, the last factorisation with fresh residuals, which contract at
    a rate of about the last Newton update) while they contract by at least
    :data:`CONTRACTION` per step, else full steps again (the slow step itself is applied). A
    point has converged when a simplified step at its state is below :data:`TOLERANCE`
    (scaled) and the balance check of the residuals just evaluated there passes
    (:func:`_balance`): that state is returned, unchanged; or when the state corrected by
    that step is estimated within a quarter of the tolerance (2 |step|^2 / |previous step|,
    with |step| < CONTRACTION |previous step|) and the balance check before the correction
    passes: the corrected state is returned with its pump current (:func:`_assemble`,
    ``pump_only``), its inflow and that balance residual; otherwise the step is applied and
    the iteration goes on. A point that ends otherwise is checked at its last state. Every
    returned state has its condensed cells filled (:func:`_fill_condensed`). ``space`` is
    :func:`_workspace` for the solved cells (shared by the points of a call). With ``reuse``
    (``space`` holds the last factorisation of a neighbouring point) the first step is a
    simplified step on it: applied if below :data:`STALE_STEP` and followed by simplified steps
    if below :data:`LOCAL_STEP`; else dropped (it counts as a step), and a full step follows
    from the same state. Steps on that factorisation end the iteration only by the first way
    (their update below the tolerance), Deuflhard's termination only after a full step of the
    point's own. Returns the
    number of steps (full and simplified; negative when the point did not converge), the
    relative balance residual and the pump current [A]; ``inflow`` gets the face-0 fluxes
    [mol/s].
    """
    exhaust = coeffs[2]
    n_sp, n = x.shape[0], space[0].shape[0]
    j0 = _reactive_span(coeffs[1][0])[0]
    m = n_sp + 1
    res, diag, lower, upper, cols, rows, corner, border, work, step, d_e = space[:11]
    piv, schur, stats, scratch, chain = space[11:]
    _couple_factors(e_set, 0, coeffs, scratch[0][2])
    flow_floor = _path_capacity(coeffs)
    # a first step on the previous point's factorisation goes on with simplified steps below
    # LOCAL_STEP, as a full step would; Deuflhard's termination waits for a full step of the
    # point's own (``own``): on the previous point's factorisation the first update is mostly
    # the change between the points, and the ratio of the next to it underestimates the
    # contraction (when it was allowed from the second step on, a review measured errors up
    # to 3.3 tolerances along slow random walks and 2.6 on the WLTC trace)
    last, chord, it = (LOCAL_STEP / CONTRACTION if reuse else np.inf), reuse, 0
    stale, own = reuse, not reuse
    final = it < 0  # False, typed bool: a literal False compiles _assemble once more (~7 s)
    residual = np.nan
    while it < max_iter or final:
        # the Newton's passes and, after a final correction, the pump current's
        _assemble(
            x, n_tot, e[0], e[1], e_set, mode, coeffs, scratch, not chord, final, j0,
            res, diag, lower, upper, cols, rows, corner, border, stats, inflow,
        )  # fmt: skip
        if final:  # the corrected state's pump current (its inflow from the fill)
            return it, residual, -stats[0]
        it += 1
        if chord:
            solved = _chord_step(res, diag, lower, rows, border, work, piv, schur, step, d_e)
        else:
            solved = _newton_step(
                res, diag, lower, upper, cols, rows, corner, border, work, piv, schur, step, d_e
            )
            own = True
        if not solved:
            _fill_condensed(x, n_tot, coeffs, j0, j0 + n, inflow, chain)
            residual, pump_current = _balance(res, border, stats, inflow, mode, coeffs)
            return -it, residual, pump_current
        # the scaled update: potentials in volts, O2 relative to its value, fuels relative to
        # the larger of their value, their exhaust level and 1 ppb, net flows to the largest
        # one or, where all are smaller, the path's capacity (near zero net flow, as at an
        # exhaust O2 at the setpoint, their rounding alone stays above the tolerance)
        n_scale = flow_floor
        for i in range(n):
            n_scale = max(n_scale, abs(n_tot[j0 + i]))
        norm = max(abs(d_e[0]), abs(d_e[1]))
        for i in range(n):
            j = j0 + i
            norm = max(norm, abs(step[i, 0] / x[0, j]))
            for sp in range(1, n_sp):
                norm = max(norm, abs(step[i, sp]) / max(x[sp, j], exhaust[sp], FUEL_FLOOR))
            norm = max(norm, abs(step[i, m - 1]) / (n_scale + 1e-300))
        if stale and not norm < STALE_STEP:  # dropped: a full step from the same state
            last, chord, stale = np.inf, False, False
            continue
        if not np.isfinite(norm):
            _fill_condensed(x, n_tot, coeffs, j0, j0 + n, inflow, chain)
            residual, pump_current = _balance(res, border, stats, inflow, mode, coeffs)
            return -it, residual, pump_current
        if chord and norm < TOLERANCE:
            # converged if its balances pass too (a fuel-free measuring electrode's currents
            # can be so small that a 1e-12 V error in its potential leaves 1e-4 of them)
            residual, pump_current = _balance(res, border, stats, inflow, mode, coeffs)
            if residual < RESIDUAL_TOLERANCE:
                _fill_condensed(x, n_tot, coeffs, j0, j0 + n, inflow, chain)
                return it, residual, pump_current
        # or the corrected state has: simplified steps contract by about 2 norm / last (the
        # error after a Newton step is about half the Lipschitz constant times its square),
        # so the corrected state's error is about 2 norm^2 / last (Deuflhard 2004, Sect.
        # 2.1.4), here held below a quarter of the tolerance (with the estimate itself at the
        # tolerance, 1 of 300 random points came back 2.4 tolerances from the solution)
        # (a state whose own update is below the tolerance failed the same balance check above)
        final = (
            chord
            and own
            and TOLERANCE <= norm < CONTRACTION * last
            and 8.0 * norm * norm < TOLERANCE * last
        )
        if final:
            residual, _ = _balance(res, border, stats, inflow, mode, coeffs)
            final = residual < RESIDUAL_TOLERANCE
        # potentials: each step clipped; O2: a rise taken as it is, a fall in the logarithm (at
        # most a factor e^2); fuels: projected onto positive values
        for i in range(n):
            j = j0 + i
            old = x[0, j]
            rel = step[i, 0] / old
            x[0, j] = min(old + step[i, 0], 1.0) if rel > 0.0 else old * np.exp(max(rel, -2.0))
            for sp in range(1, n_sp):
                old = x[sp, j]
                x[sp, j] = old + step[i, sp] if old + step[i, sp] > 0.0 else 0.1 * old
            n_tot[j] += step[i, m - 1]
        for i in range(2):
            e[i] += min(max(d_e[i], -MAX_POTENTIAL_STEP), MAX_POTENTIAL_STEP)
        if final:  # returned with its own pump current (next pass) and inflow
            _fill_condensed(x, n_tot, coeffs, j0, j0 + n, inflow, chain)
        # simplified steps once in the local phase, while they contract fast enough
        chord = norm < last * CONTRACTION if chord else norm < LOCAL_STEP
        last = norm
        stale = False
    _fill_condensed(x, n_tot, coeffs, j0, j0 + n, inflow, chain)
    residual, pump_current = _balance_at(x, n_tot, e[0], e[1], e_set, mode, coeffs, inflow, space)
    return -it, residual, pump_current


@numba.njit(**_JIT)
def _max_nan(a: float, b: float) -> float:
    """Larger of ``a`` and ``b``, NaN if either is NaN (as ``np.maximum``)."""
    if np.isnan(a) or np.isnan(b):
        return np.nan
    return a if a > b else b


@numba.njit(**_JIT)
def _path_capacity(coeffs: Any) -> float:
    """Sum over the tracked species of the radial path's capacity G_s c x_exhaust [mol/s].

    G_s is the series conductance of all faces for species s: the flow that would enter with
    the species' exhaust level against zero in the compartment. A flow scale of the point that
    stays when the net inflow and the net molar (Stefan) flow vanish, as at an exhaust O2 at
    the setpoint.
    """
    conductance, exhaust, c = coeffs[0][0], coeffs[2], coeffs[4][0]
    capacity = 0.0
    for sp in range(conductance.shape[0]):
        resistance = 0.0
        for j in range(conductance.shape[1]):
            resistance += 1.0 / conductance[sp, j]
        capacity += c * exhaust[sp] / resistance
    return capacity


@numba.njit(**_JIT)
def _balance(
    res: Array, border: Array, stats: Array, inflow: Array, mode: int, coeffs: Any
) -> tuple[float, float]:
    """Balance check of one state from its residuals: (relative residual [-], pump current [A]).

    ``res``, ``border``, ``stats`` and ``inflow`` are what :func:`_assemble` left at the state.
    The steady-state case of :func:`mixpot.sensor.solver._finish` (tested equal):
    :meth:`~mixpot.sensor.model.SensorModel.balance_residual` (species balances relative to
    the inflow of tracked species plus the radial path's capacity and the pump's O2 flow; net
    current of the measuring electrode relative to the magnitudes of its O2 and fuel currents)
    and, in open-circuit control, the net current of the pump electrode at the setpoint
    relative to its O2 current plus the pump current.
    """
    n, n_sp = res.shape[0], res.shape[1] - 1
    species_res, inflow_scale = 0.0, _path_capacity(coeffs)
    for sp in range(n_sp):
        for j in range(n):
            species_res = _max_nan(species_res, abs(res[j, sp]))
        inflow_scale += abs(inflow[sp])
    pump_current = -stats[0]
    pump_o2 = abs(stats[0]) / (4.0 * FARADAY)
    residual = _max_nan(
        species_res / (inflow_scale + pump_o2 + 1e-30), abs(border[0]) / (stats[1] + 1e-18)
    )
    if mode == OPEN_CIRCUIT:
        residual = _max_nan(residual, abs(border[1]) / (stats[2] + abs(pump_current) + 1e-15))
    return residual, pump_current


@numba.njit(**_NO_REFCOUNT)
def _balance_at(
    x: Array,
    n_tot: Array,
    e_ipe: float,
    e_me: float,
    e_set: float,
    mode: int,
    coeffs: Any,
    inflow: Array,
    space: Any,
) -> tuple[float, float]:
    """:func:`_balance` of one state, its residuals evaluated in ``space`` (:func:`_workspace`).

    Fills ``inflow``. Only the residuals are evaluated: a factorisation in ``space`` stays.
    """
    j0 = _reactive_span(coeffs[1][0])[0]
    res, diag, lower, upper, cols, rows, corner, border = space[:8]
    stats, scratch = space[13], space[14]
    _couple_factors(e_set, 0, coeffs, scratch[0][2])
    no = j0 < 0  # False, typed bool: the Newton's compiled _assemble, not one more (~4 s)
    _assemble(
        x, n_tot, e_ipe, e_me, e_set, mode, coeffs, scratch, no, no, j0,
        res, diag, lower, upper, cols, rows, corner, border, stats, inflow,
    )  # fmt: skip
    return _balance(res, border, stats, inflow, mode, coeffs)


@numba.njit(**_JIT)
def _warm_start(
    x: Array, n_tot: Array, e: Array, e_set: Array, exhaust: Array, p: int, warm: int
) -> None:
    """Start point ``p`` from the converged state of point ``warm`` (arrays point axis first).

    ``x[p]`` holds the cold start on entry. The O2 profile and the net molar flows as they
    are; each fuel's profile scaled by the ratio of the exhaust levels (first order: its
    consumption is linear in it), the cold start's where the fuel is in the exhaust of ``p``
    only, and copied where it is in neither (made in the element); potentials relative to the
    setpoint, so that a potential held at the setpoint stays there. Element by element: called
    from code compiled without Numba's runtime (which its callees inherit), where a row
    assignment (``n_tot[p] = n_tot[warm]``) does not compile (it may allocate a temporary).
    """
    for j in range(n_tot.shape[1]):
        n_tot[p, j] = n_tot[warm, j]
    for sp in range(x.shape[1]):
        here, there = exhaust[p, sp], exhaust[warm, sp]
        if sp > 0 and here > 0.0 and there == 0.0:
            continue  # the cold start's exhaust level
        ratio = here / there if sp > 0 and there > 0.0 else 1.0
        for j in range(x.shape[2]):
            x[p, sp, j] = x[warm, sp, j] * ratio
    for i in range(2):
        e[p, i] = e[warm, i] - e_set[warm] + e_set[p]


@numba.njit(**_JIT)
def _copy_state(x: Array, n_tot: Array, e: Array, to_x: Array, to_n: Array, to_e: Array) -> None:
    """Copy a point's state (``x``, ``n_tot``, ``e``) into ``to_x``, ``to_n``, ``to_e``.

    Element by element: Numba compiles an array-to-array assignment (``a[:] = b``) with the
    string formatting of its shape check, about 2.5 s of the cold compile of its caller
    (measured); this compiles in a fraction of a second.
    """
    for sp in range(x.shape[0]):
        for j in range(x.shape[1]):
            to_x[sp, j] = x[sp, j]
    for j in range(n_tot.size):
        to_n[j] = n_tot[j]
    for i in range(e.size):
        to_e[i] = e[i]


@numba.njit(**_JIT)
def _solve_points(
    conductance: Array,
    beta: Array,
    mass_transfer: Array,
    area: Array,
    volume: Array,
    exhaust: Array,
    fuel: Array,
    scalars: Array,
    e_set: Array,
    mode: int,
    max_iter: int,
    order: NDArray[np.int64],
    x: Array,
    n_tot: Array,
    e: Array,
    iterations: NDArray[np.int64],
    residual: Array,
    pump_current: Array,
    inflow: Array,
) -> None:
    """Newton solve and balance check of every point (results in the last seven arrays).

    The points are taken in ``order``; each starts from the state of the last point that
    passed its balance check (:func:`_warm_start`), with a first step on the factorisation in
    the workspace when that point was the one just solved (:func:`_solve_point`, ``reuse``: its
    last factorisation, or an older point's when it converged on such steps alone), and
    from the cold start in ``x``, ``n_tot``, ``e`` when it does not pass from there or no point
    has passed yet. ``iterations`` counts both attempts.
    """
    j0, j1 = _reactive_span(area)
    _solve_in_order(
        (conductance, beta, mass_transfer, area, volume, exhaust, fuel, scalars, e_set),
        mode, max_iter, order, (x, n_tot, e, iterations, residual, pump_current, inflow),
        _workspace(x.shape[1], j1 - j0, j0),
        (np.empty_like(x[0]), np.empty_like(n_tot[0]), np.empty(2)),
    )  # fmt: skip


@numba.njit(**_NO_REFCOUNT)
def _solve_in_order(
    points: tuple[Array, ...],
    mode: int,
    max_iter: int,
    order: NDArray[np.int64],
    outputs: tuple[Array, ...],
    space: Any,
    cold: tuple[Array, Array, Array],
) -> None:
    """Solve the points of :func:`_solve_points` in ``order``, in the work arrays it allocated.

    ``points`` are its arguments from ``conductance`` to ``e_set``, ``outputs`` those from
    ``x`` to ``inflow``; ``space`` is :func:`_workspace`, ``cold`` room for a point's cold
    start. Without reference counting (it allocates nothing): a point's coefficients are
    views, which would otherwise cost an atomic reference count each.
    """
    conductance, beta, mass_transfer, area, volume, exhaust, fuel, scalars, e_set = points
    x, n_tot, e, iterations, residual, pump_current, inflow = outputs
    cold_x, cold_n, cold_e = cold
    warm, reuse = -1, False
    for p in order:
        coeffs = (
            (conductance[p], beta[p], mass_transfer[p]),
            (area, volume),
            exhaust[p],
            fuel[p],
            scalars[p],
        )
        from_warm = warm >= 0
        if from_warm:
            _copy_state(x[p], n_tot[p], e[p], cold_x, cold_n, cold_e)
            _warm_start(x, n_tot, e, e_set, exhaust, p, warm)
        total = 0
        while True:
            it, residual[p], pump_current[p] = _solve_point(
                x[p], n_tot[p], e[p], e_set[p], mode, coeffs, max_iter, space, inflow[p],
                reuse and from_warm,
            )  # fmt: skip
            total += abs(it)
            passed = it > 0 and residual[p] < RESIDUAL_TOLERANCE
            if passed or not from_warm:
                break
            _copy_state(cold_x, cold_n, cold_e, x[p], n_tot[p], e[p])
            from_warm = False
        iterations[p] = total if it > 0 else -total
        reuse = passed
        if passed:
            warm = p


def _similar_order(model: SensorModel) -> NDArray[np.int64]:
    """Order of the points in which neighbours are similar (the sequence of warm starts).

    Boustrophedon ("snake") order: the points fall into about sqrt(P) bands of about equal size
    (equal values together), in
    temperature and then, within each temperature band, in ln(pressure) (as many bands of
    each, of those two that vary over the points: :func:`_snake_bands`), and are taken within
    a band by the exhaust's O2 excess over the fuels' demand, rising and falling in turn, so
    that consecutive points are close in the quantities that shape the profiles and potentials
    most. The points' own order is kept instead when its path is not longer
    (:func:`_path_length`), as for a grid or a sweep given in its natural order.

    Measured (Newton steps per point, full and simplified, the benchmark's workloads of the
    patent design, before :func:`_solve_point` returned corrected states, which saves about
    half a step more): 2,000 random points with 3 fuels 5.00 (5.11 with P^(1/3) bands of
    temperature alone); the issue's 10,000 random points with 6 fuels 5.30 (5.67); a WLTC
    exhaust trace at the design's temperature 3.15 (3.80 in its time order, which bands of
    temperature alone kept: sorted by the O2 excess within narrow pressure bands, its points
    are closer neighbours than its samples a tenth of a second apart); a 40 x 50 grid of O2
    and C3H6 in its own order 3.23 either way. sqrt(P) bands were the middle of P^0.4 bands
    (5.02, 5.43, 3.10) and P^0.6 bands (5.14, 5.28, 3.30).
    """
    t = model.temperature
    own = np.arange(t.size)
    if t.size < 3:  # any other order is the reverse, as long
        return own
    excess = model.x_exhaust[0] - model.o2_demand[:, 0, 0] @ model.x_exhaust[1:]
    keys = [key for key in (t, np.log(model.pressure)) if np.ptp(key) > 0.0]
    band = np.zeros(t.size, np.int64)
    for key in keys:
        band = _snake_bands(band, key, max(1, round(t.size ** (0.5 / len(keys)))))
    band = _renumber(band)[0]
    # by band, then by the excess rising or falling: one sort of the band number plus the
    # excess scaled into [-1/4, 1/4] (a quarter of lexsort's time; excesses closer than about
    # 1e-16 of the band count times their range tie, and keep the points' order)
    signed = np.where(band % 2 == 0, excess, -excess)
    scale = 4.0 * float(np.abs(signed).max()) or 1.0
    snake = np.argsort(band + signed / scale, kind="stable")
    return own if _path_length(model, own) <= _path_length(model, snake) else snake


def _snake_bands(band: NDArray[np.int64], key: Array, bins: int) -> NDArray[np.int64]:
    """Split every band into ``bins`` bands of about equal size by ``key``, in snake order.

    Bands are numbered as they are to be taken: within band b the new ones rise in ``key``
    when b (renumbered consecutively) is even and fall when it is odd. Points with equal keys
    stay in one band (as a trace at a few set temperatures needs). Returns the new band of
    every point.
    """
    band, sizes = _renumber(band)
    order = np.lexsort((key, band))
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)  # of its band, in the sorted points
    new = np.ones(band.size, bool)  # a new key (or band) in the sorted points
    new[1:] = (np.diff(band[order]) != 0) | (np.diff(key[order]) != 0)
    tie = np.maximum.accumulate(np.where(new, np.arange(band.size), 0))  # its first point
    rank = np.empty(band.size, np.int64)  # of each point within its band, by key
    rank[order] = tie - first
    sub = rank * bins // sizes[band]
    return band * bins + np.where(band % 2 == 0, sub, bins - 1 - sub)


def _renumber(band: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Band numbers (>= 0) made consecutive from 0 in their order, and each band's size.

    ``np.unique(band, return_inverse=True, return_counts=True)[1:]`` without its sort: the
    numbers are at most about the number of points, so a table of those in use serves.
    """
    used = np.zeros(int(band.max()) + 1, bool)
    used[band] = True
    new = (np.cumsum(used) - 1)[band]
    return new, np.bincount(new)


def _path_length(model: SensorModel, order: NDArray[np.int64]) -> float:
    """Length of the path through the points in ``order`` [-].

    Sum of the steps between consecutive points in temperature, ln(pressure), ln(exhaust O2)
    and every fuel's exhaust mole fraction, each relative to its range over the points (L1).
    """
    keys = np.concatenate(
        [
            model.temperature[None],
            np.log(model.pressure)[None],
            np.log(np.maximum(model.x_exhaust[:1], 1e-12)),
            model.x_exhaust[1:],
        ]
    )
    steps = np.abs(np.diff(np.take(keys, order, axis=1), axis=1))
    length = 0.0
    for step, span in zip(steps, np.ptp(keys, axis=1), strict=True):
        if span > 0.0:
            length += float(step.sum() / span)
    return length


def check_threads(threads: object) -> None:
    """Raise a ValueError naming ``threads`` unless it is an integer >= 1."""
    if isinstance(threads, bool) or not (isinstance(threads, int | np.integer) and threads >= 1):
        raise ValueError(f"threads = {threads!r}: must be an integer >= 1")


def steady_element(
    model: SensorModel,
    e_set: Array,
    control: str,
    *,
    max_iter: int = MAX_ITER,
    threads: int = 1,
) -> dict[str, Any]:
    """Steady state of the element at every point by the compiled Newton solver.

    Parameters
    ----------
    model : SensorModel
        The equations for P points.
    e_set : numpy.ndarray
        Setpoint of the pump-electrode potential vs the reference (P,) [V].
    control : {"open-circuit", "under-current", "measuring-electrode"}
        Which electrode condition the pump loop settles (see :mod:`mixpot.sensor.solver`).
    max_iter : int
        Newton steps (full and simplified) per point.
    threads : int
        Threads that solve the points at once (the compiled solver releases the GIL): the
        points, in their similar order, fall into ``threads`` contiguous runs, each solved by
        one thread with its own warm starts (a run's first point starts cold). The results do
        not depend on it beyond the Newton tolerance (tested). More threads than the CPUs the
        process may use warn (RuntimeWarning): they only share them.

    Returns
    -------
    dict
        As :func:`mixpot.sensor.solver.solve_element` (``x``, ``e_ipe``, ``e_me``,
        ``pump_current``, ``inflow``, ``n_tot``, ``converged``, ``reason``, ``residual``), plus
        ``iterations`` (Newton steps per point, full and simplified, negative where it did not
        converge).
        ``converged`` is the block solver's balance check on the Newton result; for a point
        returned as the state its last simplified step corrected, ``residual`` is that of the
        state before the correction (a first-order bound of its own; :func:`_solve_point`).
    """
    if control not in MODES:
        raise ValueError(f"control = {control!r} is not one of {', '.join(MODES)}")
    check_threads(threads)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if cores and threads > cores:
        warnings.warn(
            f"threads = {threads} is more than the {cores} CPUs this process may use: the runs "
            f"share them and each starts cold, so this is slower than threads = {cores}",
            RuntimeWarning,
            stacklevel=3,
        )
    x0, e_ipe0, e_me0 = _initial_state(model, e_set, control)
    x = np.ascontiguousarray(np.moveaxis(x0, 1, 0))
    n_pts, n_cells = model.temperature.size, model.grid.n_cells
    n_tot = np.zeros((n_pts, n_cells))
    e = np.ascontiguousarray(np.stack([e_ipe0, e_me0], axis=1))
    iterations = np.zeros(n_pts, np.int64)
    residual, pump_current = np.empty(n_pts), np.empty(n_pts)
    inflow = np.empty((n_pts, len(model.fuels) + 1))
    solve = partial(
        _solve_points,
        *pack_points(model),
        np.ascontiguousarray(e_set, dtype=np.float64),
        MODES[control],
        max_iter,
    )
    outputs = (x, n_tot, e, iterations, residual, pump_current, inflow)
    runs = np.array_split(_similar_order(model), max(1, min(threads, n_pts)))
    if len(runs) == 1:
        solve(runs[0], *outputs)
    else:  # each thread writes only its own points
        with ThreadPoolExecutor(len(runs)) as pool:
            for done in [pool.submit(solve, run, *outputs) for run in runs]:
                done.result()
    x = np.moveaxis(x, 0, 1)
    finite = np.isfinite(e[:, 1]) & np.all(np.isfinite(x), axis=(0, 2)) & np.isfinite(pump_current)
    reason = _verdict(iterations > 0, residual, e[:, 1], e_set, finite, max_iter)
    sol = {
        "x": x,
        "e_me": e[:, 1],
        "e_ipe": e[:, 0],
        "pump_current": pump_current,
        "inflow": inflow.T,
        "n_tot": n_tot,
        "converged": reason == "",
        "reason": reason,
        "residual": residual,
    }
    sol["iterations"] = iterations
    return sol


@numba.njit(**_JIT)
def _couples_current(
    eta: float, i0: Array, alpha_a: Array, alpha_c: Array, f: float
) -> tuple[float, float]:
    """Sum of Butler-Volmer currents of couples sharing one equilibrium potential, and d/deta.

    ``i = sum_r i0_r (exp(alpha_a,r f eta) - exp(-alpha_c,r f eta))`` (no mass-transfer limit,
    exponents capped at 700) [A/m^2], as :func:`mixpot.electrode.kinetics.butler_volmer` with
    ``k_a = k_c = i0`` and infinite limiting currents.
    """
    i, di = 0.0, 0.0
    for r in range(i0.size):
        ua, uc = min(alpha_a[r] * f * eta, 700.0), min(-alpha_c[r] * f * eta, 700.0)
        a, c = i0[r] * np.exp(ua), i0[r] * np.exp(uc)
        i += a - c
        di += f * (alpha_a[r] * a + alpha_c[r] * c)
    return i, di


@numba.njit(**_JIT)
def _couples_net(
    eta: float, i0: Array, alpha_a: Array, alpha_c: Array, f: float, target: float
) -> tuple[float, float]:
    """:func:`_couples_current` minus ``target`` [A/m^2], and d/deta."""
    i, di = _couples_current(eta, i0, alpha_a, alpha_c, f)
    return i - target, di


_couples_root = compiled_rtsafe_bracketed(_couples_net)
"""Compiled root of :func:`_couples_net` in a bracket whose ends the caller has evaluated
(:func:`mixpot._numerics.compiled_rtsafe_bracketed`)."""


@numba.njit(**_JIT)
def _couples_overpotential(
    i0: Array, alpha_a: Array, alpha_c: Array, f: float, target: float
) -> float:
    """Overpotential at which :func:`_couples_current` equals ``target`` [V]; NaN if not found.

    Safeguarded Newton in a bracket (:func:`mixpot._numerics.compiled_rtsafe_bracketed`, with
    the bracket of :func:`mixpot.electrode.solve_mixed_potential`: 1 V doubled up to 12 times,
    tolerance 1e-12 V; the search's values at the bracket's ends go to the iteration), started
    at the root of one symmetric couple with the summed exchange current and the i0-weighted
    mean transfer coefficient, ``asinh(target/(2 i0))/(alpha f)``. When every couple has
    alpha_a = alpha_c = alpha (the built-in O2, H2/H2O and CO/CO2 couples of a Pt electrode:
    all 1), that is the root, returned without iteration (the currents sum to
    2 sum(i0) sinh(alpha f eta); tested against the general solve).
    """
    if not (np.isfinite(target) and np.isfinite(f)):
        return np.nan
    total, weighted, symmetric = 0.0, 0.0, True
    for r in range(i0.size):
        total += i0[r]
        weighted += i0[r] * 0.5 * (alpha_a[r] + alpha_c[r])
        symmetric = symmetric and alpha_a[r] == alpha_c[r] == alpha_a[0]
    if symmetric and total > 0.0 and alpha_a[0] > 0.0:
        # sum_r i0_r 2 sinh(alpha f eta) = target: the start below is the root (beyond the
        # exponents' cap of 700 the capped currents' search decides, as for any couples)
        u = np.arcsinh(target / (2.0 * total))
        if abs(u) <= 700.0:
            return u / (alpha_a[0] * f)
    lo, hi, step = -1.0, 1.0, 1.0
    for _ in range(13):
        g_lo = _couples_current(lo, i0, alpha_a, alpha_c, f)[0] - target
        g_hi = _couples_current(hi, i0, alpha_a, alpha_c, f)[0] - target
        if g_lo < 0.0 < g_hi:
            break
        step *= 2.0
        if g_lo >= 0.0:
            lo -= step
        if g_hi <= 0.0:
            hi += step
    else:
        return np.nan
    eta = np.arcsinh(target / (2.0 * total)) * total / (weighted * f) if weighted > 0.0 else 0.0
    args = (i0, alpha_a, alpha_c, f, target)
    root, ok = _couples_root(args, lo, hi, g_lo, g_hi, eta, 1e-12, 0.0, 200)
    return root if ok else np.nan


@numba.njit(**_JIT)
def _overpotentials(
    i0: Array, alpha_a: Array, alpha_c: Array, f: Array, target: Array, out: Array
) -> None:
    for p in range(out.size):
        out[p] = _couples_overpotential(i0[:, p], alpha_a, alpha_c, f[p], target[p])


def couples_overpotential(
    i0: Array, alpha_a: Array, alpha_c: Array, temperature_K: Array, target: Array
) -> Array:
    """Overpotential of an electrode whose couples share one equilibrium potential [V].

    The potential, relative to that equilibrium potential, at which the couples' Butler-Volmer
    currents (no mass-transfer limit) sum to ``target``: the mixed-potential problem of
    :func:`mixpot.electrode.solve_mixed_potential` with ``k_a = k_c = i0`` and a common
    reference potential, solved per point in compiled code (tested equal).

    Parameters
    ----------
    i0 : numpy.ndarray
        Exchange current densities (R, P) [A/m^2].
    alpha_a, alpha_c : numpy.ndarray
        Anodic and cathodic transfer coefficients (R,) [-].
    temperature_K : numpy.ndarray
        Temperature (P,) [K].
    target : numpy.ndarray
        Net current density the electrode carries (P,) [A/m^2], anodic positive.

    Returns
    -------
    numpy.ndarray
        Overpotential (P,) [V]; NaN where no root was found (bracket or iterations exhausted,
        non-finite input).

    References
    ----------
    .. [1] A. J. Bard, L. R. Faulkner, *Electrochemical Methods*, 2nd ed., Wiley (2001),
       Eq. 3.4.11 (Butler-Volmer); W. H. Press et al., *Numerical Recipes*, 3rd ed. (2007),
       Sect. 9.4 (rtsafe).
    """
    t = np.asarray(temperature_K, dtype=np.float64)
    out = np.empty(t.size)
    _overpotentials(
        np.ascontiguousarray(i0, dtype=np.float64),
        np.ascontiguousarray(alpha_a, dtype=np.float64),
        np.ascontiguousarray(alpha_c, dtype=np.float64),
        np.ascontiguousarray(FARADAY / (GAS_CONSTANT * t)),
        np.ascontiguousarray(np.broadcast_to(target, t.shape), dtype=np.float64),
        out,
    )
    return out
