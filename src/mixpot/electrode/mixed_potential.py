"""Mixed potential of an electrode carrying several electrode reactions at once.

The electrode takes the potential ``E`` at which the sum of the reaction currents equals the
externally drawn current (0 at open circuit)::

    sum_r i_r(E) = I_target,

with each ``i_r`` a generalised Butler-Volmer current (:func:`mixpot.electrode.kinetics.
butler_volmer`). Every ``i_r`` is non-decreasing in ``E`` and the total is strictly increasing
when at least one reaction has a non-zero rate, so the root is unique when it exists; it exists
only if ``-sum(i_lim,c) < I_target < sum(i_lim,a)`` (over reactions with non-zero rates).

The solver brackets the root starting from ``[min(E_ref) - 1 V, max(E_ref) + 1 V]`` and widens
the bracket geometrically (up to about 4 kV, far beyond anything physical) and then runs the
vectorised safeguarded Newton/bisection :func:`mixpot._numerics.solve_monotone`. Points without
a bracket or without convergence are never returned silently: ``strict=True`` raises
:class:`~mixpot._numerics.ConvergenceError`, otherwise they come back as NaN with
``converged = False`` and a :class:`ConvergenceWarning`. Points whose inputs contain NaN give
NaN and ``converged = False`` without a warning (NaN propagation).

For the measuring electrode, :func:`measuring_electrode_potential` builds the reactions: the
O2 couple (reversible, exchange current :func:`~mixpot.electrode.material.
o2_exchange_current_density`) and the irreversible oxidation of each fuel (rate coefficient
:func:`~mixpot.electrode.material.fuel_oxidation_rate_constant`), all referred to the O2
equilibrium potential of the local gas, on the scale of a reference electrode in air.

References
----------
.. [1] C. Wagner, W. Traud, Z. Elektrochem. 44 (1938) 391 (mixed potential theory).
.. [2] F. H. Garzon, R. Mukundan, E. L. Brosha, Solid State Ionics 136-137 (2000) 633.
.. [3] N. Miura, G. Lu, N. Yamazoe, Solid State Ionics 136-137 (2000) 533.
.. [4] A. J. Bard, L. R. Faulkner, *Electrochemical Methods*, 2nd ed., Wiley (2001), Sect. 3.4.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._numerics import ConvergenceError, solve_monotone
from mixpot._validation import check_range
from mixpot.constants import ATMOSPHERE, FARADAY, GAS_CONSTANT
from mixpot.electrode.kinetics import _butler_volmer_kernel
from mixpot.electrode.material import (
    FUEL_OXIDATION_KINETICS,
    FuelOxidationKinetics,
    O2ExchangeKinetics,
    PtAuModel,
    fuel_oxidation_rate_constant,
    o2_exchange_current_density,
)
from mixpot.electrode.nernst import AIR_REFERENCE_O2_PRESSURE, o2_equilibrium_potential
from mixpot.gas.species import OXIDIZABLE

__all__ = [
    "ConvergenceWarning",
    "MixedPotentialResult",
    "measuring_electrode_potential",
    "solve_mixed_potential",
]

Array = NDArray[np.float64]

_INITIAL_MARGIN = 1.0
"""Initial bracket margin around the reference potentials [V]."""

_MAX_EXPANSIONS = 12
"""Bracket doublings; 1 V doubled 12 times reaches about 4 kV beyond the reference potentials."""


class ConvergenceWarning(RuntimeWarning):
    """The mixed-potential solve failed at some points (returned as NaN)."""


@dataclass(frozen=True, eq=False)
class MixedPotentialResult:
    """Result of a mixed-potential solve.

    Attributes
    ----------
    potential : numpy.ndarray
        Mixed potential E [V] on the scale of the reference potentials, shape of the points;
        NaN where not converged.
    currents : numpy.ndarray
        Current of each reaction at E [A/m^2 or A, the unit of the rate coefficients], shape
        ``(n_reactions, *points)``; anodic positive.
    converged : numpy.ndarray of bool
        Whether the solve converged at each point.
    labels : tuple of str
        Names of the reactions along axis 0 of ``currents`` (may be empty).
    """

    potential: Array
    currents: Array
    converged: NDArray[np.bool_]
    labels: tuple[str, ...] = ()

    @property
    def net_current(self) -> Array:
        """Sum of the reaction currents at the mixed potential [A/m^2 or A]."""
        return self.currents.sum(axis=0)

    def current(self, label: str) -> Array:
        """Return the current of the reaction named ``label`` [A/m^2 or A].

        Parameters
        ----------
        label : str
            Reaction name, one of :attr:`labels`.

        Returns
        -------
        numpy.ndarray
            Reaction current, anodic positive.
        """
        if label not in self.labels:
            raise KeyError(f"no reaction {label!r}; reactions: {', '.join(self.labels)}")
        return self.currents[self.labels.index(label)]


def _as_reactions(value: ArrayLike, name: str, **kwargs: object) -> Array:
    arr = check_range(value, name, allow_nan=True, **kwargs)  # type: ignore[arg-type]
    if arr.ndim == 0:
        raise ValueError(f"{name} must have a reaction axis 0 (got a scalar)")
    return arr


def solve_mixed_potential(
    k_a: ArrayLike,
    k_c: ArrayLike,
    alpha_a: ArrayLike,
    alpha_c: ArrayLike,
    e_ref_V: ArrayLike,
    temperature_K: ArrayLike,
    i_lim_a: ArrayLike = np.inf,
    i_lim_c: ArrayLike = np.inf,
    *,
    target_current: ArrayLike = 0.0,
    strict: bool = True,
    xtol: float = 1e-12,
    max_iter: int = 200,
    labels: tuple[str, ...] = (),
) -> MixedPotentialResult:
    """Solve ``sum_r i_r(E) = I_target`` for the mixed potential E, vectorised over points.

    Reaction parameters are stacked on axis 0 (one row per reaction; size 1 broadcasts to all
    reactions); their remaining axes are point axes, aligned from the right with
    ``temperature_K`` and ``target_current`` (NumPy broadcasting). A 1-D array of length n is
    therefore one value per reaction, the same at every point.

    Parameters
    ----------
    k_a : array_like
        Anodic rate coefficients [A/m^2 or A], >= 0, shape ``(n_reactions, ...)``.
    k_c : array_like
        Cathodic rate coefficients [same unit], >= 0.
    alpha_a : array_like
        Anodic apparent charge-transfer coefficients [-], >= 0.
    alpha_c : array_like
        Cathodic apparent charge-transfer coefficients [-], >= 0.
    e_ref_V : array_like
        Reference (zero-overpotential) potential of each reaction [V].
    temperature_K : array_like
        Electrode temperature [K], > 0, shape of the points.
    i_lim_a : array_like
        Anodic limiting currents [same unit], >= 0 (``inf``: none).
    i_lim_c : array_like
        Cathodic limiting currents (magnitudes) [same unit], >= 0 (``inf``: none).
    target_current : array_like
        Net current the electrode must carry [same unit], anodic positive; default 0 (open
        circuit).
    strict : bool
        Raise :class:`~mixpot._numerics.ConvergenceError` if any point (with finite inputs)
        fails; if false, such points are NaN with ``converged = False`` and a
        :class:`ConvergenceWarning` is issued.
    xtol : float
        Tolerance on the potential [V].
    max_iter : int
        Iteration limit of the root solve.
    labels : tuple of str
        Optional reaction names stored in the result.

    Returns
    -------
    MixedPotentialResult
        Potential [V], per-reaction currents and convergence flags.

    Raises
    ------
    ValueError
        For out-of-range inputs, a missing reaction axis or a wrong number of labels.
    ConvergenceError
        In strict mode, when a point has no solution (target current outside the attainable
        range, or no reaction with a non-zero rate) or does not converge.

    References
    ----------
    .. [1] C. Wagner, W. Traud, Z. Elektrochem. 44 (1938) 391.
    .. [2] W. H. Press et al., *Numerical Recipes*, 3rd ed. (2007), Sect. 9.4.

    Examples
    --------
    O2 couple (i0 = 1 A/m^2) and an irreversible oxidation (k = 10 A/m^2) at 1000 K:

    >>> res = solve_mixed_potential(
    ...     k_a=[1.0, 10.0], k_c=[1.0, 0.0], alpha_a=[1.0, 1.0], alpha_c=[1.0, 0.0],
    ...     e_ref_V=[0.0, 0.0], temperature_K=1000.0)
    >>> round(float(res.potential), 4), bool(res.converged)
    (-0.1033, True)
    """
    ka = _as_reactions(k_a, "k_a", low=0.0)
    kc = _as_reactions(k_c, "k_c", low=0.0)
    aa = _as_reactions(alpha_a, "alpha_a", low=0.0)
    ac = _as_reactions(alpha_c, "alpha_c", low=0.0)
    er = _as_reactions(e_ref_V, "e_ref_V", unit="V")
    la = check_range(i_lim_a, "i_lim_a", low=0.0, allow_nan=True)
    lc = check_range(i_lim_c, "i_lim_c", low=0.0, allow_nan=True)
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    target = check_range(target_current, "target_current", allow_nan=True)
    # a scalar limiting current applies to every reaction (size-1 reaction axis)
    la = la.reshape(1) if la.ndim == 0 else la
    lc = lc.reshape(1) if lc.ndim == 0 else lc
    arrays = (ka, kc, aa, ac, er, la, lc)
    try:
        n = int(np.broadcast_shapes(*((a.shape[0],) for a in arrays))[0])
        pshape = np.broadcast_shapes(*(a.shape[1:] for a in arrays), t.shape, target.shape)
    except ValueError as exc:
        raise ValueError(
            f"reaction arrays (axis 0 = reactions) and point arrays do not broadcast: {exc}"
        ) from exc
    if labels and len(labels) != n:
        raise ValueError(f"labels has {len(labels)} names for {n} reactions")
    full = (n, *pshape)

    def expand(a: Array) -> Array:
        # axis 0 is the reaction axis; the remaining axes align with the point axes from the right
        pts = a.shape[1:]
        return np.broadcast_to(
            a.reshape((a.shape[0],) + (1,) * (len(pshape) - len(pts)) + pts), full
        )

    ka, kc, aa, ac, er, la, lc = (expand(a) for a in arrays)
    t = np.broadcast_to(t, pshape)
    target = np.broadcast_to(target, pshape)
    f = FARADAY / (GAS_CONSTANT * t)

    nan_in = np.isnan(t) | np.isnan(target)
    for a in (ka, kc, aa, ac, er, la, lc):
        nan_in = nan_in | np.isnan(a).any(axis=0)
    with np.errstate(invalid="ignore"):
        for k, alpha, name in ((ka, aa, "alpha_a"), (kc, ac, "alpha_c")):
            flat = (k > 0.0) & (alpha == 0.0)
            if flat.any():
                raise ValueError(
                    f"{name} = 0 for a reaction with a non-zero rate coefficient: its current "
                    f"would not depend on the potential; use {name} > 0"
                )
        active = ((ka > 0.0) | (kc > 0.0)).any(axis=0)
        # attainable net current: the open interval (-sum i_lim,c, +sum i_lim,a) over reactions
        # that can run in that direction (a zero limiting current blocks the whole reaction)
        blocked = ((ka > 0.0) & (la == 0.0)) | ((kc > 0.0) & (lc == 0.0))
        i_max = np.where((ka > 0.0) & ~blocked, la, 0.0).sum(axis=0)
        i_min = -np.where((kc > 0.0) & ~blocked, lc, 0.0).sum(axis=0)
        attainable = (target > i_min) & (target < i_max)

    # benign stand-ins at NaN points so that the vectorised solve stays clean
    def clean(a: Array, fill: float) -> Array:
        return np.where(nan_in, fill, a)

    ka_s, kc_s, aa_s, ac_s, er_s = (
        clean(a, v) for a, v in ((ka, 0.0), (kc, 0.0), (aa, 1.0), (ac, 1.0), (er, 0.0))
    )
    la_s, lc_s = clean(la, np.inf), clean(lc, np.inf)
    f_s = np.where(nan_in, 1.0, f)
    target_s = np.where(nan_in, 0.0, target)

    def residual(e: Array) -> tuple[Array, Array]:
        i, di = _butler_volmer_kernel(e[None], ka_s, kc_s, aa_s, ac_s, er_s, f_s[None], la_s, lc_s)
        return i.sum(axis=0) - target_s, di.sum(axis=0)

    def ends_ok(lo: Array, hi: Array) -> tuple[Array, Array]:
        # a zero residual only counts where the function is not flat (no underflow plateau)
        r_lo, d_lo = residual(lo)
        r_hi, d_hi = residual(hi)
        return (r_lo < 0.0) | ((r_lo == 0.0) & (d_lo > 0.0)), (r_hi > 0.0) | (
            (r_hi == 0.0) & (d_hi > 0.0)
        )

    solvable = attainable & active & ~nan_in
    lo = er_s.min(axis=0) - _INITIAL_MARGIN
    hi = er_s.max(axis=0) + _INITIAL_MARGIN
    step = np.full(pshape, _INITIAL_MARGIN)
    for _ in range(_MAX_EXPANSIONS):
        ok_lo, ok_hi = ends_ok(lo, hi)
        need_lo, need_hi = ~ok_lo & solvable, ~ok_hi & solvable
        if not (need_lo | need_hi).any():
            break
        step = 2.0 * step
        lo = np.where(need_lo, lo - step, lo)
        hi = np.where(need_hi, hi + step, hi)
    ok_lo, ok_hi = ends_ok(lo, hi)
    bracketed = ok_lo & ok_hi & solvable
    lo = np.where(bracketed, lo, np.nan)
    hi = np.where(bracketed, hi, np.nan)

    e, converged = solve_monotone(residual, lo, hi, xtol=xtol, max_iter=max_iter)
    converged = np.asarray(converged & bracketed, dtype=bool)
    e = np.where(converged, e, np.nan)
    currents, _d = _butler_volmer_kernel(e[None], ka, kc, aa, ac, er, f[None], la, lc)

    failed = ~converged & ~nan_in
    if failed.any():
        idx = tuple(int(i) for i in np.argwhere(failed)[0]) if failed.ndim else ()
        why = []
        if (~active & failed).any():
            why.append("no reaction has a non-zero rate coefficient")
        if (active & ~attainable & failed).any():
            why.append("target current outside the attainable range (-sum i_lim,c, sum i_lim,a)")
        if (solvable & ~bracketed & failed).any():
            why.append("no sign change within about 4 kV of the reference potentials")
        if (bracketed & failed).any():
            why.append(f"root solve did not converge within {max_iter} iterations")
        msg = (
            f"mixed-potential solve failed at {int(failed.sum())} of {failed.size} points "
            f"(first at index {idx}): {'; '.join(why)}"
        )
        if strict:
            raise ConvergenceError(msg)
        warnings.warn(msg + "; returned NaN", ConvergenceWarning, stacklevel=2)
    return MixedPotentialResult(
        potential=np.asarray(e, dtype=float),
        currents=np.asarray(currents, dtype=float),
        converged=converged,
        labels=tuple(labels),
    )


def measuring_electrode_potential(
    mole_fractions: Mapping[str, ArrayLike],
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike = ATMOSPHERE,
    gold_wt_percent: ArrayLike = 10.0,
    *,
    current_density_A_per_m2: ArrayLike = 0.0,
    limiting_current_density_A_per_m2: Mapping[str, ArrayLike] | None = None,
    reference_p_o2_Pa: ArrayLike = AIR_REFERENCE_O2_PRESSURE,
    o2_kinetics: O2ExchangeKinetics | None = None,
    fuel_kinetics: Mapping[str, FuelOxidationKinetics] | None = None,
    model: PtAuModel | None = None,
    strict: bool = True,
) -> MixedPotentialResult:
    """Return the mixed potential of a Pt-Au measuring electrode vs an air reference.

    Reactions: the O2 couple ``O2 + 4e- <=> 2 O2-`` (reversible, exchange current
    ``i0_O2(T, pO2) a_O2(w)``, alpha_a/alpha_c from ``o2_kinetics``) and, for every fuel in
    ``mole_fractions``, its irreversible oxidation with oxide ions (``k_a =
    k_fuel(T, p_fuel) a_ox(w)``, ``k_c = 0``). All overpotentials are taken against the O2
    equilibrium potential of the local gas ``E_O2,eq = (RT/4F) ln(pO2/pO2_ref)``, so the result
    is ``phi_measuring - phi_reference``; ``potential - E_O2,eq`` is the mixed-potential
    signal. The mole fractions are those at the electrode (after transport and catalytic
    consumption, which the caller applies).

    Parameters
    ----------
    mole_fractions : Mapping[str, array_like]
        Local mole fractions [-], 0-1; must contain ``"O2"`` (> 0); other keys from
        ``mixpot.gas.species.OXIDIZABLE``. Arrays broadcast over points.
    temperature_K : array_like
        Electrode temperature [K], > 0.
    pressure_Pa : array_like
        Total pressure [Pa], > 0; default 101325 Pa.
    gold_wt_percent : array_like
        Gold content of the electrode [wt%], 0-100; default 10 (patent's preferred value).
    current_density_A_per_m2 : array_like
        Net current density drawn through the electrode [A/m^2], anodic positive; default 0.
    limiting_current_density_A_per_m2 : Mapping[str, array_like], optional
        Mass-transfer limiting current densities [A/m^2], >= 0: for a fuel the anodic limit,
        for ``"O2"`` the cathodic limit. Missing keys: no limit.
    reference_p_o2_Pa : array_like
        O2 partial pressure at the reference electrode [Pa], > 0; default dry air.
    o2_kinetics : O2ExchangeKinetics, optional
        O2-couple parameters; default :class:`~mixpot.electrode.material.O2ExchangeKinetics()`.
    fuel_kinetics : Mapping[str, FuelOxidationKinetics], optional
        Fuel parameters; default :data:`~mixpot.electrode.material.FUEL_OXIDATION_KINETICS`.
    model : PtAuModel, optional
        Pt-Au material model.
    strict : bool
        See :func:`solve_mixed_potential`.

    Returns
    -------
    MixedPotentialResult
        ``potential`` vs the reference electrode [V]; ``currents`` [A/m^2] with labels
        ``("O2", fuel, ...)``.

    Raises
    ------
    ValueError
        For a missing ``"O2"`` entry, unknown species or out-of-range inputs.
    ConvergenceError
        In strict mode, when no mixed potential exists (e.g. the requested current exceeds
        the sum of limiting currents).

    References
    ----------
    .. [1] F. H. Garzon, R. Mukundan, E. L. Brosha, Solid State Ionics 136-137 (2000) 633.
    .. [2] Bosch, US 6,890,422 (pumped mixed-potential sensor, Pt-Au measuring electrode).

    Examples
    --------
    500 ppm propene at lambda 1.3 (4.59 % O2), 700 °C, 10 wt% Au:

    >>> res = measuring_electrode_potential({"O2": 0.0459, "C3H6": 500e-6}, 973.15)
    >>> e_eq = o2_equilibrium_potential(0.0459 * 101325.0, 973.15)
    >>> round(float(res.potential - e_eq), 3)
    -0.069
    """
    if "O2" not in mole_fractions:
        raise ValueError("mole_fractions must contain 'O2' (the local O2 mole fraction)")
    unknown = [k for k in mole_fractions if k != "O2" and k not in OXIDIZABLE]
    if unknown:
        raise ValueError(f"unknown species {unknown}; allowed: 'O2' and {', '.join(OXIDIZABLE)}")
    limits = (
        {} if limiting_current_density_A_per_m2 is None else dict(limiting_current_density_A_per_m2)
    )
    bad = [k for k in limits if k not in mole_fractions]
    if bad:
        raise ValueError(
            f"limiting_current_density_A_per_m2 has species {bad} not in mole_fractions"
        )
    kin = O2ExchangeKinetics() if o2_kinetics is None else o2_kinetics
    p = check_range(
        pressure_Pa, "pressure_Pa", low=0.0, low_inclusive=False, unit="Pa", allow_nan=True
    )
    x_o2 = check_range(
        mole_fractions["O2"],
        "mole_fractions['O2']",
        low=0.0,
        high=1.0,
        low_inclusive=False,
        allow_nan=True,
    )
    p_o2 = x_o2 * p
    e_eq = o2_equilibrium_potential(p_o2, temperature_K, reference_p_o2_Pa)

    labels = ["O2"]
    i0 = o2_exchange_current_density(temperature_K, p_o2, gold_wt_percent, kin, model)
    rows_ka, rows_kc = [i0], [i0]
    rows_aa, rows_ac = [np.asarray(kin.alpha_a)], [np.asarray(kin.alpha_c)]
    rows_la = [np.asarray(np.inf)]
    rows_lc = [
        check_range(
            limits.get("O2", np.inf),
            "limiting_current_density_A_per_m2['O2']",
            low=0.0,
            unit="A/m^2",
            allow_nan=True,
        )
    ]
    table = FUEL_OXIDATION_KINETICS if fuel_kinetics is None else fuel_kinetics
    for sp, x in mole_fractions.items():
        if sp == "O2":
            continue
        xs = check_range(x, f"mole_fractions[{sp!r}]", low=0.0, high=1.0, allow_nan=True)
        k = fuel_oxidation_rate_constant(sp, xs * p, temperature_K, gold_wt_percent, table, model)
        alpha = table[sp].alpha_a
        labels.append(sp)
        rows_ka.append(k)
        rows_kc.append(np.zeros_like(k))
        rows_aa.append(np.asarray(alpha))
        rows_ac.append(np.asarray(0.0))
        rows_la.append(
            check_range(
                limits.get(sp, np.inf),
                f"limiting_current_density_A_per_m2[{sp!r}]",
                low=0.0,
                unit="A/m^2",
                allow_nan=True,
            )
        )
        rows_lc.append(np.asarray(np.inf))

    def stack(rows: list[Array]) -> Array:
        arrs = np.broadcast_arrays(*rows)
        return np.stack(arrs, axis=0)

    pts = np.broadcast_shapes(*(np.shape(r) for r in rows_ka + rows_la + rows_lc), np.shape(e_eq))
    rows_e = [e_eq] * len(labels)
    ka, kc, aa, ac, er, la, lc = (
        stack([np.broadcast_to(r, pts) for r in rows])
        for rows in (rows_ka, rows_kc, rows_aa, rows_ac, rows_e, rows_la, rows_lc)
    )
    return solve_mixed_potential(
        ka,
        kc,
        aa,
        ac,
        er,
        np.broadcast_to(
            check_range(
                temperature_K,
                "temperature_K",
                low=0.0,
                low_inclusive=False,
                unit="K",
                allow_nan=True,
            ),
            pts,
        ),
        la,
        lc,
        target_current=current_density_A_per_m2,
        strict=strict,
        labels=tuple(labels),
    )
