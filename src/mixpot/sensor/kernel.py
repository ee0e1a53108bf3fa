"""Compiled single-point kernel of the element equations: right-hand side and implicit steps.

The transient simulation advances one operating point through hundreds of thousands of
backward-Euler steps (500 Hz pump loop). With NumPy every step costs tens of array calls on
arrays of a dozen cells, which is call overhead, not arithmetic; this module evaluates the same
equations as :meth:`mixpot.sensor.model.SensorModel.rhs` for one point in Numba-compiled loops
(coefficients are taken from a built :class:`~mixpot.sensor.model.SensorModel`, so every
physical parameter still comes from the vectorised physics layer).

* :func:`pack` extracts the per-point coefficients of a model into a :class:`PointModel`;
* :func:`rhs` returns ``(dx/dt, dE_ipe/dt, dE_me/dt)`` (tested equal to the NumPy model);
* :func:`implicit_step` solves ``u - u_old - dt f(u) = 0`` by Newton's method with a
  finite-difference Jacobian that is reused across steps while Newton converges fast (chord
  method), the same backward-Euler step as :func:`mixpot.sensor.solver.solve_element` with
  ``control="charge"``;
* :func:`open_circuit_potential` is the zero-current potential of an electrode (safeguarded
  Newton on the monotone net current).

Method choices: Newton on the full coupled system (species in every cell and both electrode
potentials), unknowns scaled by their magnitudes, convergence when the scaled residual and the
error left after the update (the update itself, or theta/(1 - theta) times it once the
contraction rate theta is known) are below :data:`TOLERANCE` (fuels floored at
:data:`FUEL_FLOOR`); a mole
fraction that an update would make negative drops to a tenth instead (projected Newton); the
Jacobian (finite differences, LU-factorised) is refreshed only when the frozen one contracts
poorly (ratio above 0.25, or 8 iterations); its difference step is 1e-7 times the unknown's
scale, or times the O2 mole fraction's own value where that is smaller (the O2 of a rich chamber,
1e-27 and less, sits far below the scale's floor: a step of the floor would change it by many
times its value and leave Newton with a wrong Jacobian). Between refreshes the frozen Jacobian
follows the electrode kinetics, which change exponentially with the potentials: each
electrode's potential row and column are scaled by the ratio of its current slope (analytic,
from the residual evaluation) now to the one at the refresh, a rank-4 change of the frozen
Jacobian solved with its LU factors by the Woodbury identity [3]_ (the stiff charge balances
then converge as fast as the gas, about one iteration per step fewer than the plain chord
method); a
step that cannot converge in ``max_iter`` iterations reports failure (the caller then falls
back to the block solver).

References
----------
.. [1] E. Hairer, G. Wanner, *Solving Ordinary Differential Equations II*, 2nd ed., Springer
   (1996), Sect. IV.8 (simplified Newton iterations with a frozen Jacobian).
.. [2] S. K. Lam, A. Pitrou, S. Seibert, "Numba: a LLVM-based Python JIT compiler", Proc.
   LLVM-HPC (2015).
.. [3] G. H. Golub, C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins (2013),
   Sect. 2.1.4 (Sherman-Morrison-Woodbury formula).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import factorial

import numba
import numpy as np
from numpy.typing import NDArray

from mixpot.constants import FARADAY
from mixpot.electrode import double_layer_capacitance
from mixpot.sensor.model import O2_FLOOR, SensorModel

__all__ = ["PointModel", "implicit_step", "open_circuit_potential", "pack", "rhs"]

Array = NDArray[np.float64]

TOLERANCE = 1e-7
"""Largest scaled Newton update and scaled residual of a converged step [-] (O2 relative to its
value, fuels relative to the larger of their value, exhaust level and 1 ppb, potentials in
volts): the block solver's tolerance for time steps."""

FUEL_FLOOR = 1e-9
"""Smallest scale of a fuel mole fraction in the convergence test [-] (1 ppb)."""

Coefficients = tuple[tuple[Array, Array, Array], tuple[Array, Array], Array, Array, Array]
"""``(species, cells, exhaust, fuel, scalars)`` of a :class:`PointModel`."""

Update = tuple[Array, Array, Array]
"""Rescaling data of the frozen step Jacobian kept with its LU factors (:class:`StepCache`)."""

_JIT = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}


@dataclass(frozen=True)
class PointModel:
    """Coefficients of the element equations at one operating point (from :func:`pack`).

    ``species`` holds the per-species/per-cell arrays, ``fuel`` the per-fuel ones and
    ``scalars`` the rest, in the order the compiled functions expect.
    """

    species: tuple[Array, Array, Array]  # conductance, beta, mass transfer, (1+K, N)
    cells: tuple[Array, Array]  # electrode area, volume, (N,)
    exhaust: Array  # exhaust mole fractions of O2 and the fuels, (1+K,)
    fuel: Array  # rows: cat_ipe, ec_ipe, cat_me, ec_me, alpha, z, demand, moles_cat, moles_ec,
    #              couple_ipe, couple_me, couple_e0, couple_product, couple_alpha, couple_n
    scalars: Array  # c, p, f, p_ref_o2, i0f_ipe, i0f_me, m, p_ref_kin, aa, ac, cap, stefan,
    #                 ipe_ox, o2_cat_ipe, o2_cat_me

    @property
    def coeffs(self) -> Coefficients:
        """All arrays as one tuple, the form the compiled functions take."""
        return (self.species, self.cells, self.exhaust, self.fuel, self.scalars)


def pack(model: SensorModel, point: int = 0) -> PointModel:
    """Extract the coefficients of one point of a built model.

    Parameters
    ----------
    model : SensorModel
        The element equations (any number of points).
    point : int
        Index of the point.

    Returns
    -------
    PointModel
        Contiguous float64 arrays for the compiled functions.
    """
    p = point
    k = len(model.fuels)
    area = model.grid.electrode_area
    fuel = np.zeros((15, k))
    if k:
        fuel[0] = model.ipe.catalytic[:, p]
        fuel[1] = model.ipe.ec_unit[:, p]
        fuel[2] = model.me.catalytic[:, p]
        fuel[3] = model.me.ec_unit[:, p]
        fuel[4] = model.ipe.ec_alpha[:, 0]
        fuel[5] = model.electrons[:, 0, 0]
        fuel[6] = model.o2_demand[:, 0, 0]
        fuel[7] = model.moles_cat[:, 0, 0]
        fuel[8] = model.moles_ec[:, 0, 0]
        fuel[9] = model.ipe.couple[:, p]
        fuel[10] = model.me.couple[:, p]
        fuel[11] = model.couple_e0[:, p]
        fuel[12] = model.couple_product[:, p]
        fuel[13] = model.couple_alpha[:, 0, 0]
        fuel[14] = model.couple_electrons[:, 0, 0]
    kin = model.o2_kinetics
    capacitance = float(double_layer_capacitance(model.temperature[p])) * float(area.sum())
    scalars = np.array(
        [
            model.concentration[p],
            model.pressure[p],
            model.f[p],
            model.reference_p_o2[p],
            model.ipe.o2_i0_factor[p],
            model.me.o2_i0_factor[p],
            kin.pressure_order,
            kin.reference_pressure,
            kin.alpha_a,
            kin.alpha_c,
            capacitance,
            float(model.options.stefan_flow),
            float(model.options.pump_electrode_fuel_oxidation),
            model.ipe.o2_catalytic[p],
            model.me.o2_catalytic[p],
        ]
    )

    def c(a: Array) -> Array:
        return np.ascontiguousarray(a, dtype=np.float64)

    return PointModel(
        species=(
            c(model.conductance[:, p, :]),
            c(model.beta[:, p, :]),
            c(model.mass_transfer[:, p, :]),
        ),
        cells=(c(area), c(model.grid.volume)),
        exhaust=c(model.x_exhaust[:, p]),
        fuel=c(fuel),
        scalars=scalars,
    )


BERNOULLI_SERIES = 0.25
"""Largest |z| at which the Bernoulli function and its slope are taken from their Taylor
series (:func:`_bernoulli`) [-]; the Scharfetter-Gummel faces are at |z| < 0.12 at the
solution on every benchmark workload."""

BERNOULLI_NUMBERS = tuple(
    Fraction(b) for b in ("1/6", "-1/30", "1/42", "-1/30", "5/66", "-691/2730")
)
"""The Bernoulli numbers B_2 .. B_12 [-] (Abramowitz & Stegun 1964, Table 23.2)."""

BERNOULLI_TERMS = tuple(float(b / factorial(2 * k + 2)) for k, b in enumerate(BERNOULLI_NUMBERS))
"""B_2k/(2k)! for k = 1..6 [-], each correctly rounded: the coefficients of z^2k in the
Taylor series of z/(e^z - 1) (Abramowitz & Stegun 1964, 23.1.1)."""

BERNOULLI_SLOPE_TERMS = tuple(
    float(2 * (k + 1) * b / factorial(2 * k + 2)) for k, b in enumerate(BERNOULLI_NUMBERS)
)
"""2k B_2k/(2k)! for k = 1..6 [-], each correctly rounded: the coefficients of z^(2k-1) in
the series of the slope B'(z)."""


@numba.njit(**_JIT, inline="always")
def _series(w: float, c: tuple[float, ...]) -> float:
    """Return c_0 + c_1 w + ... + c_5 w^5 (Estrin-like: pairs nested in w^2, a short chain)."""
    w2 = w * w
    return (c[0] + c[1] * w) + w2 * ((c[2] + c[3] * w) + w2 * (c[4] + c[5] * w))


@numba.njit(**_JIT)
def _bernoulli(z: float) -> float:
    """Bernoulli function B(z) = z/(e^z - 1) [-], the Scharfetter-Gummel weight; B(0) = 1.

    Below |z| = :data:`BERNOULLI_SERIES` its Taylor series, the generating function of the
    Bernoulli numbers: B(z) = 1 - z/2 + sum_k B_2k z^2k/(2k)! (:data:`BERNOULLI_TERMS`), to
    z^12 (the next term is below 1e-19 there), in w = z^2 (:func:`_series`): no exponential
    and no division (the compiled steady state 3-8 % faster than with expm1). Relative error
    below 2.3e-16 (about 1 ulp), as z/expm1(z) (tested against 50-digit decimal
    arithmetic). Above: z/expm1(z), 0 beyond z = 700.
    """
    if abs(z) < BERNOULLI_SERIES:
        w = z * z
        return 1.0 - 0.5 * z + w * _series(w, BERNOULLI_TERMS)
    if z > 700.0:
        return 0.0
    return z / np.expm1(z)


@numba.njit(**_JIT)
def _face_flux(
    gc: float, beta: float, n_tot: float, stefan: bool, left: float, right: float
) -> float:
    """Molar flux through a face [mol/s], as SensorModel.face_fluxes (Scharfetter-Gummel form).

    ``gc`` is G c [mol/s], ``n_tot`` the net molar flow through the face [mol/s]; with
    B(-z) = B(z) + z one exponential per face.
    """
    pe = beta * n_tot / gc if stefan else 0.0
    b = _bernoulli(pe)
    return gc * ((b + pe) * left - b * right)


@numba.njit(**_JIT)
def _butler_volmer_terms(i0: float, aa: float, ac: float, u: float) -> tuple[float, float, float]:
    """Anodic and cathodic terms of a Butler-Volmer current and their difference [A/m^2].

    a = i0 exp(aa u), b = i0 exp(-ac u) (exponents clipped at 700) and a - b without
    cancellation (expm1). A symmetric couple (aa = ac) takes one exponential of |aa u|, so that
    neither term is the reciprocal of a rounded tiny number.
    """
    if aa == ac and abs(aa * u) < 700.0:
        em = np.expm1(abs(aa * u))
        big, small = i0 * (1.0 + em), i0 / (1.0 + em)
        gap = i0 * em * (2.0 + em) / (1.0 + em)  # big - small without cancellation
        return (big, small, gap) if u >= 0.0 else (small, big, -gap)
    a = i0 * np.exp(min(aa * u, 700.0))
    b = i0 * np.exp(min(-ac * u, 700.0))
    return a, b, i0 * (np.expm1(min(aa * u, 700.0)) - np.expm1(min(-ac * u, 700.0)))


@numba.njit(**_JIT)
def _o2_current(e: float, x_o2: float, i0f: float, km: float, s: Array) -> tuple[float, float]:
    """O2 couple: (current density [A/m^2], d/dE) as SensorModel.o2_current, one cell."""
    c, p, f, p_ref, m, p_kin, aa, ac = s[0], s[1], s[2], s[3], s[6], s[7], s[8], s[9]
    x_o2 = max(x_o2, O2_FLOOR)  # O2 evolution stays finite in an O2-free gas
    p_o2 = x_o2 * p
    i0 = i0f * (p_o2 / p_kin) ** m
    if i0 == 0.0:
        return 0.0, 0.0
    e_eq = np.log(p_o2 / p_ref) / (4.0 * f)
    lim = 4.0 * FARADAY * km * c * x_o2
    if lim == 0.0:  # no transport to the electrode: no net current
        return 0.0, 0.0
    u = f * (e - e_eq)
    a, b, diff = _butler_volmer_terms(i0, aa, ac, u)
    # surface O2 solved exactly, the current in its cancellation-free form lim (sq^2 - 1)
    # (mixpot.electrode.kinetics.o2_couple_current)
    root = np.hypot(b, 2.0 * np.sqrt(lim) * np.sqrt(lim + a))  # no overflow
    sq = 2.0 * (lim + a) / (b + root)
    excess = 2.0 * diff / (b + root + 2.0 * lim)  # sq - 1
    da, db = aa * f * a, -ac * f * b
    dsq = (2.0 * da - sq * (db + (b / root) * db + (2.0 * lim / root) * da)) / (b + root)
    return lim * (sq + 1.0) * excess, 2.0 * lim * sq * dsq


@numba.njit(**_JIT)
def _fuel_cell(
    e: float, x: Array, j: int, which: int, coeffs: Coefficients, terms: Array
) -> tuple[float, float]:
    """Fuel reactions of one electrode in cell ``j`` as SensorModel.fuel_terms.

    Fills ``terms`` (4, K) with consumption, production, catalytic and catalytic-source
    coefficients and returns the electrode's fuel current density and its E-derivative.
    """
    species, _, _, fuel, s = coeffs
    km = species[2]
    c, p, f, p_ref = s[0], s[1], s[2], s[3]
    k = x.shape[0] - 1
    off = which == 0 and s[12] == 0.0
    x_o2 = x[0, j]
    eta = min(max(e - np.log(max(x_o2, 1e-300) * p / p_ref) / (4.0 * f), -5.0), 5.0)
    demand = 0.0
    for q in range(k):
        kc, kmq = fuel[2 * which, q], km[1 + q, j]
        demand += fuel[6, q] * kc * kmq / (kc + kmq + 1e-300) * x[1 + q, j]
    ko, km0 = s[13 + which], km[0, j]
    supply = ko * km0 / (ko + km0 + 1e-300) * max(x_o2, 0.0)
    share = supply / (supply + demand) if demand > 0.0 else 1.0
    cur = 0.0
    dcur = 0.0
    boost = np.exp(f * eta)  # exp(alpha f eta) for alpha = 1, the default of every fuel
    for q in range(k):
        kmq, z, al, n = km[1 + q, j], fuel[5, q], fuel[13, q], fuel[14, q]
        ks_c = fuel[2 * which, q] * share
        ks_e = fuel[2 * which + 1, q]
        if ks_e != 0.0:
            ks_e *= (boost if fuel[4, q] == 1.0 else np.exp(fuel[4, q] * f * eta)) / (
                z * FARADAY * c
            )
        ks_f = fuel[9 + which, q]
        b = 0.0
        if ks_f != 0.0:  # the fuel has a couple on this electrode
            u = min(max(n * f * (e - fuel[11, q]), -700.0), 700.0)
            up = np.exp(al * u)
            down = 1.0 / up if al == 0.5 else np.exp(-(1.0 - al) * u)
            b = ks_f * fuel[12, q] * down
            ks_f *= up
        if off:
            ks_e, ks_f, b = 0.0, 0.0, 0.0
        total = kmq + ks_c + ks_e + ks_f + 1e-300
        terms[0, q] = kmq * (total - kmq) / total
        terms[1, q] = kmq * b / total
        terms[2, q] = ks_c * kmq / total
        terms[3, q] = ks_c * b / total
        dks_e = fuel[4, q] * f * ks_e
        dks_f = al * n * f * ks_f
        db = -(1.0 - al) * n * f * b
        x_w = (kmq * x[1 + q, j] + b) / total
        dx_w = (db - x_w * (dks_e + dks_f)) / total
        zfc, nfc = z * FARADAY * c, n * FARADAY * c
        cur += zfc * ks_e * x_w + nfc * (ks_f * x_w - b)
        dcur += zfc * (dks_e * x_w + ks_e * dx_w) + nfc * (dks_f * x_w + ks_f * dx_w - db)
    return cur, dcur


@numba.njit(**_JIT)
def _rhs(
    x: Array,
    e_ipe: float,
    e_me: float,
    pump_current: float,
    coeffs: Coefficients,
    dx: Array,
) -> tuple[float, float, float, float]:
    """Fill ``dx`` with dx/dt (1+K, N) and return (dE_ipe/dt, dE_me/dt); see SensorModel.rhs.

    Also returns the slopes d(dE_ipe/dt)/dE_ipe and d(dE_me/dt)/dE_me at fixed gas (minus each
    electrode's current slope over the capacitance, from the cell functions' E-derivatives).
    """
    species, cells, exhaust, fuel, s = coeffs
    conductance, beta, km = species
    area, volume = cells
    n_sp, n = x.shape
    k = n_sp - 1
    c, cap, stefan = s[0], s[10], s[11]
    consumption = np.zeros((n_sp, n))
    moles = np.zeros(n)
    t_i = np.empty((4, k))
    t_m = np.empty((4, k))
    q_ipe = 0.0
    q_me = 0.0
    dq_ipe = 0.0
    dq_me = 0.0
    for j in range(n):
        a_j = area[j]
        if a_j == 0.0:
            continue
        i_i, di_i = _o2_current(e_ipe, x[0, j], s[4], km[0, j], s)
        i_m, di_m = _o2_current(e_me, x[0, j], s[5], km[0, j], s)
        consumption[0, j] = -(i_i + i_m) * a_j / (4.0 * FARADAY)
        moles[j] = (i_i + i_m) * a_j / (4.0 * FARADAY)
        cur_i, cur_m = i_i, i_m
        if k:
            fi, dfi = _fuel_cell(e_ipe, x, j, 0, coeffs, t_i)
            fm, dfm = _fuel_cell(e_me, x, j, 1, coeffs, t_m)
            cur_i += fi
            cur_m += fm
            di_i += dfi
            di_m += dfm
        for q in range(k):
            xq, ac = x[1 + q, j], a_j * c
            total = ((t_i[0, q] + t_m[0, q]) * xq - t_i[1, q] - t_m[1, q]) * ac
            cat = ((t_i[2, q] + t_m[2, q]) * xq + t_i[3, q] + t_m[3, q]) * ac
            consumption[1 + q, j] = total
            consumption[0, j] += fuel[6, q] * cat
            moles[j] += fuel[7, q] * cat + fuel[8, q] * (total - cat)
        q_ipe += cur_i * a_j
        q_me += cur_m * a_j
        dq_ipe += di_i * a_j
        dq_me += di_m * a_j
    # net molar flow through face j: minus the sources of cells j..N-1
    n_tot = np.zeros(n)
    acc = 0.0
    for j in range(n - 1, -1, -1):
        acc += moles[j]
        n_tot[j] = -acc
    for sp in range(n_sp):
        flux_next = 0.0
        for j in range(n - 1, -1, -1):
            left = exhaust[sp] if j == 0 else x[sp, j - 1]
            flux = _face_flux(conductance[sp, j] * c, beta[sp, j], n_tot[j], stefan != 0.0,
                              left, x[sp, j])  # fmt: skip
            dx[sp, j] = (flux - flux_next - consumption[sp, j]) / (c * volume[j])
            flux_next = flux
    return -(q_ipe + pump_current) / cap, -q_me / cap, -dq_ipe / cap, -dq_me / cap


def rhs(
    pm: PointModel, x: Array, e_ipe: float, e_me: float, pump_current: float
) -> tuple[Array, float, float]:
    """Time derivatives of the element state at one point (compiled).

    Parameters
    ----------
    pm : PointModel
        Coefficients from :func:`pack`.
    x : numpy.ndarray
        Mole fractions of O2 and the fuels per cell, shape (1+K, N) [-].
    e_ipe, e_me : float
        Electrode potentials vs the reference [V].
    pump_current : float
        Pump current [A], positive when O2 is pumped out.

    Returns
    -------
    dx_dt : numpy.ndarray
        [1/s], shape (1+K, N).
    de_ipe_dt, de_me_dt : float
        [V/s].
    """
    dx = np.empty_like(x)
    de_i, de_m, _, _ = _rhs(
        np.ascontiguousarray(x, dtype=np.float64),
        float(e_ipe),
        float(e_me),
        float(pump_current),
        pm.coeffs,
        dx,
    )
    return dx, de_i, de_m


@numba.njit(**_JIT)
def _implicit_residual(
    u: Array,
    u_old: Array,
    dt: float,
    pump_current: float,
    n_sp: int,
    n: int,
    coeffs: Coefficients,
    out: Array,
) -> tuple[float, float]:
    """Fill ``out`` with the backward-Euler residual ``u - u_old - dt f(u)``.

    Returns the electrode kinetics' part of the step Jacobian's potential diagonal,
    ``-dt d(dE/dt)/dE`` of the pump and the measuring electrode (analytic, at fixed gas): the
    stiff charge balances, whose slope follows the exponential kinetics.
    """
    m = n_sp * n
    x = u[:m].reshape((n_sp, n))
    dx = np.empty((n_sp, n))
    de_i, de_m, slope_i, slope_m = _rhs(x, u[m], u[m + 1], pump_current, coeffs, dx)
    flat = dx.reshape(m)
    for i in range(m):
        out[i] = u[i] - u_old[i] - dt * flat[i]
    out[m] = u[m] - u_old[m] - dt * de_i
    out[m + 1] = u[m + 1] - u_old[m + 1] - dt * de_m
    return -dt * slope_i, -dt * slope_m


@numba.njit(**_JIT)
def _jacobian(
    u: Array,
    u_old: Array,
    dt: float,
    pump_current: float,
    n_sp: int,
    n: int,
    scale: Array,
    coeffs: Coefficients,
    r0: Array,
) -> Array:
    size = u.size
    jac = np.empty((size, size))
    r1 = np.empty(size)
    up = u.copy()
    for i in range(size):
        h = 1e-7 * min(scale[i], abs(u[i])) if i < n and u[i] != 0.0 else 1e-7 * scale[i]
        up[i] = u[i] + h
        _implicit_residual(up, u_old, dt, pump_current, n_sp, n, coeffs, r1)
        for r in range(size):
            jac[r, i] = (r1[r] - r0[r]) / h
        up[i] = u[i]
    return jac


@numba.njit(**_JIT)
def _lu_factor(a: Array, piv: NDArray[np.int64]) -> bool:
    """LU factorisation with partial pivoting in place (Golub & Van Loan, Alg. 3.4.1)."""
    n = a.shape[0]
    for k in range(n):
        p = k
        big = abs(a[k, k])
        for i in range(k + 1, n):
            if abs(a[i, k]) > big:
                big, p = abs(a[i, k]), i
        if big == 0.0 or not np.isfinite(big):
            return False
        piv[k] = p
        if p != k:
            for j in range(n):
                a[k, j], a[p, j] = a[p, j], a[k, j]
        inv = 1.0 / a[k, k]
        for i in range(k + 1, n):
            a[i, k] *= inv
            f = a[i, k]
            if f != 0.0:
                for j in range(k + 1, n):
                    a[i, j] -= f * a[k, j]
    return True


@numba.njit(**{**_JIT, "fastmath": {"reassoc", "contract"}})
def _lu_solve(lu: Array, piv: NDArray[np.int64], b: Array) -> Array:
    # the dot products may be reassociated (vectorised): a Newton step's accuracy does not
    # depend on the summation order
    n = lu.shape[0]
    x = b.copy()
    for k in range(n):
        p = piv[k]
        if p != k:
            x[k], x[p] = x[p], x[k]
    for i in range(n):
        acc = x[i]
        for j in range(i):
            acc -= lu[i, j] * x[j]
        x[i] = acc
    for i in range(n - 1, -1, -1):
        acc = x[i]
        for j in range(i + 1, n):
            acc -= lu[i, j] * x[j]
        x[i] = acc / lu[i, i]
    return x


@numba.njit(**_JIT)
def _scaled_max(v: Array, scale: Array) -> float:
    """Largest |v_i|/scale_i; NaN if any entry is NaN (``max`` would drop it in Numba)."""
    out = 0.0
    for i in range(v.size):
        a = abs(v[i]) / scale[i]
        if not a <= out:  # true for a > out and for NaN
            out = a
            if np.isnan(a):
                return a
    return out


@numba.njit(**_JIT)
def _refresh(
    u: Array,
    u_old: Array,
    dt: float,
    pump_current: float,
    n_sp: int,
    n: int,
    scale: Array,
    coeffs: Coefficients,
    r: Array,
    kinetics: tuple[float, float],
    lu: Array,
    piv: NDArray[np.int64],
    update: Update,
) -> bool:
    """Factorise the step Jacobian ``J0`` at ``u`` (residual ``r``); False if it is singular.

    Fills ``lu``/``piv`` with the LU factors of the finite-difference Jacobian and ``update``
    (see :class:`StepCache`) with what :func:`_rescale_step` needs: the potential rows of
    ``J0`` without the identity (``R``), ``W = J0^-1 U`` for ``U = [e_ipe, e_me, C_ipe,
    C_me]`` (unit vectors of the potentials, potential columns of ``J0`` on the species rows),
    ``V^T W`` for ``V = [R_ipe, R_me, e_ipe, e_me]``, and the kinetics' part of the potential
    diagonal at ``u`` (``kinetics``, from :func:`_implicit_residual`).
    """
    border, coupling, diagonal = update
    size, m = u.size, n_sp * n
    lu[:, :] = _jacobian(u, u_old, dt, pump_current, n_sp, n, scale, coeffs, r)
    u_cols = np.zeros((4, size))
    for a in range(2):
        for i in range(size):
            border[4 + a, i] = lu[m + a, i] - (1.0 if i == m + a else 0.0)
        u_cols[a, m + a] = 1.0
        for i in range(m):
            u_cols[2 + a, i] = lu[i, m + a]
        diagonal[a] = kinetics[a]
    if not _lu_factor(lu, piv):
        return False
    for b in range(4):
        border[b, :] = _lu_solve(lu, piv, u_cols[b])
        for a in range(2):
            acc = 0.0
            for i in range(size):
                acc += border[4 + a, i] * border[b, i]
            coupling[a, b] = acc
            coupling[2 + a, b] = border[b, m + a]
    return True


@numba.njit(**_JIT)
def _rescale_step(step: Array, m: int, kinetics: tuple[float, float], update: Update) -> None:
    """Turn the chord step ``J0^-1 b`` in place into the step of the rescaled Jacobian.

    The electrode kinetics change exponentially with the potentials, far faster than the rest
    of the Jacobian between refreshes: the potential row and the potential column (species
    rows) of each electrode are scaled by ``s_a = k_a / k0_a``, the ratio of the kinetics' part
    of the potential diagonal now (``kinetics``) to the one at ``J0``. With ``U``, ``V`` and
    ``W`` of :func:`_refresh` and ``S = diag(s - 1, s - 1)`` the rescaled Jacobian is
    ``J0 + U S V^T``, a rank-4 change, solved by the Woodbury identity (Golub & Van Loan,
    Sect. 2.1.4): ``step -= W z`` with ``(I + S V^T W) z = S V^T step``.
    """
    border, coupling, diagonal = update
    size = step.size
    factor = np.zeros(4)
    for a in range(2):
        if diagonal[a] != 0.0:
            factor[a] = factor[2 + a] = kinetics[a] / diagonal[a] - 1.0
    if factor[0] == 0.0 and factor[1] == 0.0:
        return
    system = np.empty((4, 4))
    z = np.empty(4)
    for a in range(4):
        if a < 2:
            acc = 0.0
            for i in range(size):
                acc += border[4 + a, i] * step[i]
        else:
            acc = step[m + a - 2]
        z[a] = factor[a] * acc
        for b in range(4):
            system[a, b] = (1.0 if a == b else 0.0) + factor[a] * coupling[a, b]
    piv = np.empty(4, np.int64)
    if not _lu_factor(system, piv):
        return  # a singular rescaling: the plain chord step
    z = _lu_solve(system, piv, z)
    for i in range(size):
        acc = 0.0
        for b in range(4):
            acc += border[b, i] * z[b]
        step[i] -= acc


@numba.njit(**_JIT)
def _newton(
    u_old: Array,
    guess: Array,
    dt: float,
    pump_current: float,
    n_sp: int,
    n: int,
    coeffs: Coefficients,
    lu: Array,
    piv: NDArray[np.int64],
    update: Update,
    have_jac: bool,
    max_iter: int,
    stats: NDArray[np.int64],
) -> tuple[Array, bool]:
    size = u_old.size
    m = n_sp * n
    exhaust = coeffs[2]
    # unknown scales: O2 relative to its value (the Nernst voltage is its logarithm); a fuel
    # relative to the larger of its value, its exhaust level and 1 ppb (a fuel burned in the
    # chamber, or decaying after it left the exhaust, needs no more digits); potentials in V
    scale = np.empty(size)
    for sp in range(n_sp):
        floor = 1e-14 if sp == 0 else max(exhaust[sp], FUEL_FLOOR)
        for j in range(n):
            scale[sp * n + j] = max(abs(u_old[sp * n + j]), floor)
    scale[m] = 1.0
    scale[m + 1] = 1.0
    u = guess.copy()
    r = np.empty(size)
    kinetics = _implicit_residual(u, u_old, dt, pump_current, n_sp, n, coeffs, r)
    if not have_jac:
        stats[1] += 1
        if not _refresh(
            u, u_old, dt, pump_current, n_sp, n, scale, coeffs, r, kinetics, lu, piv, update
        ):
            return u, False
    last, since = np.inf, 0
    for _ in range(max_iter):
        stats[0] += 1
        step = _lu_solve(lu, piv, -r)
        _rescale_step(step, m, kinetics, update)
        norm = _scaled_max(step, scale)
        if not np.isfinite(norm):
            return u, False  # NaN or inf (non-finite input or state): not converged
        if since > 0 and (norm > 0.25 * last or since >= 8):
            # the frozen Jacobian no longer contracts: refresh it at the current iterate (a
            # refresh costs as much as ~30 chord iterations)
            stats[1] += 1
            if not _refresh(
                u, u_old, dt, pump_current, n_sp, n, scale, coeffs, r, kinetics, lu, piv, update
            ):
                return u, False
            last, since = np.inf, 0
            continue
        # keep mole fractions positive: a component that would cross zero drops to a tenth of
        # its value instead (projected Newton; the fuel balances are linear, so a negative
        # update only means that the solution is far below the current value)
        for i in range(size):
            if i < m and u[i] + step[i] <= 0.0:
                u[i] *= 0.1
            else:
                u[i] += step[i]
        kinetics = _implicit_residual(u, u_old, dt, pump_current, n_sp, n, coeffs, r)
        res = _scaled_max(r, scale)
        # the error left after this update: the update itself, or, once the contraction
        # rate theta of the chord iteration is known, theta/(1 - theta) times it (Hairer &
        # Wanner, Sect. IV.8, eq. 8.12)
        theta = norm / last if since > 0 else 1.0
        left = norm if theta >= 1.0 else min(norm, theta / (1.0 - theta) * norm)
        if left < TOLERANCE and res < TOLERANCE:
            return u, True
        last, since = norm, since + 1
    return u, False


@dataclass
class StepCache:
    """LU factors of the step Jacobian kept between implicit steps of one point.

    Reused while Newton converges fast; ``valid`` is False until the first factorisation and
    after a failed step. ``update`` holds what the rescaling of the electrodes' rows and columns
    needs (:func:`_refresh`): ``W`` and ``R`` (6, size), ``V^T W`` (4, 4) and the kinetics' part
    of the potential diagonal where the Jacobian was taken (2,).
    """

    lu: Array | None = None
    pivots: NDArray[np.int64] | None = None
    update: Update | None = None
    valid: bool = False
    stats: NDArray[np.int64] = field(default_factory=lambda: np.zeros(2, np.int64))
    """Newton iterations and Jacobian evaluations so far (diagnostics)."""

    def arrays(self, size: int) -> tuple[Array, NDArray[np.int64], Update, bool]:
        """Return (LU, pivots, update, valid) for ``size`` unknowns (new if the size changed)."""
        if (
            self.lu is None
            or self.pivots is None
            or self.update is None
            or self.lu.shape[0] != size
        ):
            self.lu, self.pivots = np.empty((size, size)), np.zeros(size, np.int64)
            self.update = (np.empty((6, size)), np.empty((4, 4)), np.empty(2))
            self.valid = False
        return self.lu, self.pivots, self.update, self.valid


def implicit_step(
    pm: PointModel,
    x: Array,
    e_ipe: float,
    e_me: float,
    pump_current: float,
    dt: float,
    cache: StepCache | None = None,
    max_iter: int = 40,
) -> tuple[Array, float, float, bool]:
    """One backward-Euler step of the element at one point (compiled Newton).

    Solves ``x - x_old = dt dx/dt(x, E)``, ``E - E_old = dt dE/dt(x, E)`` for both electrode
    potentials with the pump current imposed (as :func:`mixpot.sensor.solver.solve_element`
    with ``control="charge"``).

    Parameters
    ----------
    pm : PointModel
        Coefficients from :func:`pack`.
    x : numpy.ndarray
        Mole fractions at the start of the step (1+K, N) [-].
    e_ipe, e_me : float
        Potentials at the start of the step [V].
    pump_current : float
        Imposed pump current over the step [A].
    dt : float
        Step [s].
    cache : StepCache, optional
        Jacobian reuse between calls for the same ``pm`` (reset it when ``pm`` changes).
    max_iter : int
        Newton iterations before the step reports failure.

    Returns
    -------
    x, e_ipe, e_me
        State at the end of the step.
    converged : bool
        False when Newton did not converge (the state is then not a solution).
    """
    n_sp, n = x.shape
    size = n_sp * n + 2
    u_old = np.empty(size)
    u_old[: n_sp * n] = x.reshape(-1)
    u_old[-2], u_old[-1] = e_ipe, e_me
    cache = cache if cache is not None else StepCache()
    lu, piv, update, have = cache.arrays(size)
    u, ok = _newton(
        u_old,
        u_old,
        float(dt),
        float(pump_current),
        n_sp,
        n,
        pm.coeffs,
        lu,
        piv,
        update,
        have,
        max_iter,
        cache.stats,
    )
    cache.valid = ok
    return u[: n_sp * n].reshape(n_sp, n).copy(), float(u[-2]), float(u[-1]), bool(ok)


@numba.njit(**_JIT)
def _electrode_net(e: float, x: Array, which: int, coeffs: Coefficients) -> tuple[float, float]:
    species, cells, _, _, s = coeffs
    km = species[2]
    area = cells[0]
    n_sp, n = x.shape
    terms = np.empty((4, n_sp - 1))
    total = 0.0
    deriv = 0.0
    for j in range(n):
        if area[j] == 0.0:
            continue
        i, di = _o2_current(e, x[0, j], s[4 + which], km[0, j], s)
        if n_sp > 1:
            fi, dfi = _fuel_cell(e, x, j, which, coeffs, terms)
            i += fi
            di += dfi
        total += i * area[j]
        deriv += di * area[j]
    return total, deriv


@numba.njit(**_JIT)
def _open_circuit(x: Array, which: int, guess: float, coeffs: Coefficients) -> float:
    # Newton from the guess (two or three evaluations from the last reading); accepted only
    # when a small step lands inside [-2, 1.5] V on a finite, rising current, which then has
    # its zero there. Anything else (no current, NaN, a step leaving the interval) goes to the
    # bracketed search, which returns NaN when the current has no zero in the interval.
    e = guess if -2.0 < guess < 1.5 else -0.25
    for _ in range(8):
        val, der = _electrode_net(e, x, which, coeffs)
        if not (np.isfinite(val) and der > 0.0):
            break
        new = e - val / der
        if not -2.0 < new < 1.5:
            break
        if abs(new - e) < 1e-10:
            return new
        e = new
    return _open_circuit_bracketed(x, which, guess, coeffs)


@numba.njit(**_JIT)
def _open_circuit_bracketed(x: Array, which: int, guess: float, coeffs: Coefficients) -> float:
    lo, hi = -2.0, 1.5
    f_lo, _ = _electrode_net(lo, x, which, coeffs)
    f_hi, _ = _electrode_net(hi, x, which, coeffs)
    if not (f_lo < 0.0 < f_hi):
        return np.nan
    e = guess if lo < guess < hi else 0.5 * (lo + hi)
    for _ in range(200):
        val, der = _electrode_net(e, x, which, coeffs)
        if val == 0.0:
            return e
        if val > 0.0:
            hi = e
        else:
            lo = e
        new = e - val / der if der > 0.0 else 0.5 * (lo + hi)
        if not (lo < new < hi):
            new = 0.5 * (lo + hi)
        if abs(new - e) < 1e-10 or hi - lo < 1e-10:
            return new
        e = new
    return np.nan


def open_circuit_potential(
    pm: PointModel, x: Array, electrode: str = "ipe", guess: float = 0.0
) -> float:
    """Zero-current (mixed) potential of an electrode at one point [V] (compiled).

    Same definition as :func:`mixpot.transient.open_circuit_potential`: the potential at which
    the electrode's O2-couple and fuel currents cancel; NaN where no zero exists in
    [-2, 1.5] V.

    Parameters
    ----------
    pm : PointModel
        Coefficients from :func:`pack`.
    x : numpy.ndarray
        Mole fractions (1+K, N) [-].
    electrode : {"ipe", "me"}
        Inner pump (default) or measuring electrode.
    guess : float
        Start of the Newton iteration [V] (e.g. the previous step's value).

    Returns
    -------
    float
        Potential vs the reference electrode [V].
    """
    which = {"ipe": 0, "me": 1}[electrode]
    return float(
        _open_circuit(
            np.ascontiguousarray(x, dtype=np.float64),
            which,
            float(guess),
            pm.coeffs,
        )
    )
