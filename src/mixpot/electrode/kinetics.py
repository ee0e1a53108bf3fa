"""Electrode kinetics: Arrhenius exchange currents and generalised Butler-Volmer with mass transfer.

The current of one electrode reaction at potential ``E`` is (Bard & Faulkner [1]_, Sect. 3.4,
eq. 3.4.10 written with the limiting currents of both directions)

    i = (A - C) / (1 + A / i_lim,a + C / i_lim,c),
    A = k_a exp(+alpha_a f eta),   C = k_c exp(-alpha_c f eta),
    eta = E - E_ref,               f = F / (R T),

with the anodic (oxidation) current counted positive. For a reversible couple whose
equilibrium potential is ``E_ref`` one sets ``k_a = k_c = i0`` (the exchange current); for an
irreversible oxidation ``k_c = 0`` and ``k_a`` is the anodic current at ``E = E_ref``. Limiting
currents may be ``inf`` (no mass-transfer limit) and 0 (no supply: the reaction is blocked,
which is the limit of the formula).

The evaluation is done in log space: with ``s = max(0, ln(A/i_lim,a), ln(C/i_lim,c))`` all three
terms of the denominator and the numerator are scaled by ``exp(-s)``, so the result is exact for
any overpotential and no exponent can overflow unless the true current exceeds the floating-point
range (then ``±inf`` is returned, the exact limit, without a warning). The potential derivative
is analytic,

    di/dE = f [alpha_a A + alpha_c C + (alpha_a + alpha_c) A C (1/i_lim,a + 1/i_lim,c)] / D^2,

which is non-negative: the current is monotone increasing in ``E``.

References
----------
.. [1] A. J. Bard, L. R. Faulkner, *Electrochemical Methods: Fundamentals and Applications*,
   2nd ed., Wiley (2001), Sect. 3.4 (eqs. 3.4.10-3.4.13) and Sect. 3.5 (Tafel behaviour).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import check_range
from mixpot.constants import FARADAY, GAS_CONSTANT

__all__ = ["arrhenius", "butler_volmer", "faradaic_rate", "o2_couple_current"]

Array = NDArray[np.float64]


def arrhenius(
    value_ref: ArrayLike,
    activation_energy_J_per_mol: ArrayLike,
    temperature_K: ArrayLike,
    reference_temperature_K: ArrayLike,
) -> Array:
    """Scale a rate quantity (e.g. an exchange current density) with the Arrhenius law.

    ``value(T) = value_ref exp(-Ea / R (1/T - 1/T_ref))``.

    Parameters
    ----------
    value_ref : array_like
        Value at the reference temperature [any unit, e.g. A/m^2], >= 0.
    activation_energy_J_per_mol : array_like
        Activation energy Ea [J/mol], >= 0 (1 eV per molecule = 96485 J/mol).
    temperature_K : array_like
        Temperature [K], > 0.
    reference_temperature_K : array_like
        Reference temperature T_ref [K], > 0.

    Returns
    -------
    numpy.ndarray
        Value at ``temperature_K`` [same unit as ``value_ref``].

    References
    ----------
    .. [1] P. Atkins, J. de Paula, *Physical Chemistry*, 8th ed., Oxford (2006), Sect. 22.5.

    Examples
    --------
    >>> round(float(arrhenius(50.0, 1.6 * 96485.33212, 873.15, 973.15)), 2)
    5.62
    """
    v = check_range(value_ref, "value_ref", low=0.0, allow_nan=True)
    ea = check_range(
        activation_energy_J_per_mol,
        "activation_energy_J_per_mol",
        low=0.0,
        unit="J/mol",
        allow_nan=True,
    )
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    t_ref = check_range(
        reference_temperature_K,
        "reference_temperature_K",
        low=0.0,
        low_inclusive=False,
        unit="K",
        allow_nan=True,
    )
    with np.errstate(over="ignore"):
        return v * np.exp(-ea / GAS_CONSTANT * (1.0 / t - 1.0 / t_ref))


def _scaled_term(k: Array, u: Array, log_term: Array, s: Array) -> Array:
    """Return ``k exp(u - s)`` accurately: direct product unless the exponent would overflow."""
    direct = k * np.exp(np.minimum(u - s, 700.0))
    return np.where(u - s <= 700.0, direct, np.exp(log_term - s))


def _butler_volmer_kernel(
    potential: Array,
    k_a: Array,
    k_c: Array,
    alpha_a: Array,
    alpha_c: Array,
    e_ref: Array,
    f: Array,
    i_lim_a: Array,
    i_lim_c: Array,
) -> tuple[Array, Array]:
    """Evaluate the generalised Butler-Volmer current and dI/dE without input checks.

    Arguments as in :func:`butler_volmer`, with ``f = F/(R T)`` [1/V] instead of temperature.
    See the module docstring for the log-space scaling. Near equilibrium of a couple with
    ``k_a == k_c`` the numerator is evaluated as ``k e^{-alpha_c x} expm1((alpha_a+alpha_c) x)``
    so that the current keeps full relative accuracy for tiny overpotentials.
    """
    x = f * (potential - e_ref)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        ua = alpha_a * x
        uc = -alpha_c * x
        la = np.log(k_a) + ua  # ln A; -inf when k_a = 0, NaN propagates
        lc = np.log(k_c) + uc  # ln C
        lla = np.log(i_lim_a)
        llc = np.log(i_lim_c)
        ta = np.where(k_a == 0.0, -np.inf, la - lla)  # ln(A / i_lim,a)
        tc = np.where(k_c == 0.0, -np.inf, lc - llc)  # ln(C / i_lim,c)
        s = np.maximum(0.0, np.maximum(ta, tc))
        blocked = s == np.inf  # i_lim = 0 with a non-zero rate: the reaction cannot run
        s = np.where(blocked, 0.0, s)
        d = np.exp(-s) + np.exp(ta - s) + np.exp(tc - s)  # D e^{-s}, between 1 and 3
        a_s = _scaled_term(k_a, ua, la, s)  # A e^{-s}
        c_s = _scaled_term(k_c, uc, lc, s)  # C e^{-s}
        near = (k_a == k_c) & (np.abs(ua - uc) < 1.0)
        num_near = k_c * np.exp(uc - s) * np.expm1(np.where(near, ua - uc, 0.0))
        current = np.where(near, num_near, a_s - c_s) / d
        both = (k_a > 0.0) & (k_c > 0.0)
        cross = np.where(
            both,
            (alpha_a + alpha_c)
            * (np.exp(la + lc - lla - 2.0 * s) + np.exp(la + lc - llc - 2.0 * s)),
            0.0,
        )
        num = alpha_a * np.exp(la - 2.0 * s) + alpha_c * np.exp(lc - 2.0 * s) + cross
        deriv = f * num / (d * d)
    current = np.where(blocked, 0.0, current)
    deriv = np.where(blocked, 0.0, deriv)
    deriv = np.where(np.isnan(current), np.nan, deriv)
    return current, deriv


def butler_volmer(
    potential_V: ArrayLike,
    k_a: ArrayLike,
    k_c: ArrayLike,
    alpha_a: ArrayLike,
    alpha_c: ArrayLike,
    e_ref_V: ArrayLike,
    temperature_K: ArrayLike,
    i_lim_a: ArrayLike = np.inf,
    i_lim_c: ArrayLike = np.inf,
) -> tuple[Array, Array]:
    """Return the current of one electrode reaction and its potential derivative.

    Generalised Butler-Volmer equation with mass-transfer limits (anodic current positive):
    ``i = (A - C) / (1 + A/i_lim,a + C/i_lim,c)``, ``A = k_a exp(alpha_a f eta)``,
    ``C = k_c exp(-alpha_c f eta)``, ``eta = E - E_ref``, ``f = F/(R T)``. Evaluated in log
    space: safe for any overpotential (e.g. |eta| = 5 V or 5000 V) without overflow warnings.

    Parameters
    ----------
    potential_V : array_like
        Electrode potential E [V] (any fixed reference, the same as ``e_ref_V``).
    k_a : array_like
        Anodic rate coefficient [A/m^2 or A], >= 0: the exchange current i0 of a reversible
        couple, or the anodic current at ``E = e_ref_V`` of an irreversible oxidation.
    k_c : array_like
        Cathodic rate coefficient [same unit], >= 0 (0 for an irreversible oxidation).
    alpha_a : array_like
        Anodic apparent charge-transfer coefficient [-], >= 0.
    alpha_c : array_like
        Cathodic apparent charge-transfer coefficient [-], >= 0.
    e_ref_V : array_like
        Potential at which the overpotential is zero [V] (equilibrium potential of the couple,
        or of the O2 couple for fuel oxidations).
    temperature_K : array_like
        Temperature [K], > 0.
    i_lim_a : array_like
        Anodic limiting current [same unit as k_a], >= 0; ``inf`` for no limit, 0 blocks the
        reaction.
    i_lim_c : array_like
        Cathodic limiting current (a positive magnitude) [same unit], >= 0; ``inf`` for none.

    Returns
    -------
    current : numpy.ndarray
        Reaction current [same unit as k_a], anodic positive.
    dcurrent_dpotential : numpy.ndarray
        ``di/dE`` [unit of k_a per V], >= 0.

    Raises
    ------
    ValueError
        For negative rate coefficients, coefficients or limiting currents, or T <= 0.

    References
    ----------
    .. [1] A. J. Bard, L. R. Faulkner, *Electrochemical Methods*, 2nd ed., Wiley (2001),
       Sect. 3.4.

    Examples
    --------
    Linear regime of a symmetric couple, i = i0 (alpha_a + alpha_c) f eta:

    >>> i, didE = butler_volmer(0.001, 10.0, 10.0, 0.5, 0.5, 0.0, 1000.0)
    >>> round(float(i), 4), round(float(didE), 1)
    (0.116, 116.0)

    Far anodic, the current approaches the limiting current:

    >>> i, _ = butler_volmer(5.0, 10.0, 10.0, 0.5, 0.5, 0.0, 1000.0, i_lim_a=2.0)
    >>> round(float(i), 6)
    2.0
    """
    e = check_range(potential_V, "potential_V", unit="V", allow_nan=True)
    ka = check_range(k_a, "k_a", low=0.0, allow_nan=True)
    kc = check_range(k_c, "k_c", low=0.0, allow_nan=True)
    aa = check_range(alpha_a, "alpha_a", low=0.0, allow_nan=True)
    ac = check_range(alpha_c, "alpha_c", low=0.0, allow_nan=True)
    er = check_range(e_ref_V, "e_ref_V", unit="V", allow_nan=True)
    t = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    la = check_range(i_lim_a, "i_lim_a", low=0.0, allow_nan=True)
    lc = check_range(i_lim_c, "i_lim_c", low=0.0, allow_nan=True)
    f = FARADAY / (GAS_CONSTANT * t)
    return _butler_volmer_kernel(e, ka, kc, aa, ac, er, f, la, lc)


def o2_couple_current(
    potential_V: Array,
    i0: Array,
    alpha_a: float,
    alpha_c: float,
    e_eq_V: Array,
    f: Array,
    i_lim_c: Array,
) -> tuple[Array, Array]:
    """Return the O2-couple current with the O2 at the electrode surface solved exactly [A/m^2].

    With ``i0 ~ pO2^(1/4)`` and ``alpha_a = alpha_c = 1`` (the defaults of
    :class:`~mixpot.electrode.material.O2ExchangeKinetics`), the anodic term of Butler-Volmer
    (O2 evolution) does not depend on the O2 pressure and the cathodic term is of order 1/2 in
    it. With the surface mole fraction ``x_s = x (1 + i/i_lim,c)`` (transverse transport to the
    electrode, ``i_lim,c = 4 F k_m c x``; Bard & Faulkner [1]_, Sect. 3.4) the current solves

        i = A - C s,    s^2 = x_s/x = 1 + i/i_lim,c,

    a quadratic in ``s`` with the root ``s = 2 (L + A) / (C + sqrt(C^2 + 4 L (L + A)))``,
    ``L = i_lim,c``. Limits: ``i -> A - C`` for ``L -> inf``, ``i -> -L`` far cathodic, and a
    finite O2-evolution current as ``x -> 0`` (the evolved O2 sets its own surface pressure).
    The current is evaluated as ``L (s + 1)(s - 1)`` with ``s - 1 = 2 (A - C)/(C + R + 2 L)``
    (``R`` the root, ``A - C`` by ``expm1``), equal to ``A - C s`` on the root but without its
    cancellations: where ``A`` and ``C s`` both exceed the net current by many orders (an
    O2-starved rich chamber) ``A - C s`` is roundoff, and where ``L`` far exceeds it so is
    ``s - 1`` (relative error below 1e-13 against 60-digit arithmetic over 24 decades of
    ``L``, tested).
    The first-order form ``(A - C)/(1 + C/L)`` of :func:`butler_volmer` would instead let
    O2 evolution vanish as ``sqrt(x)`` in an O2-free gas, which is wrong for a pump electrode
    supplying a rich chamber.

    Parameters
    ----------
    potential_V : numpy.ndarray
        Electrode potential [V].
    i0 : numpy.ndarray
        Exchange current density at the gas-phase O2 [A/m^2], >= 0.
    alpha_a, alpha_c : float
        Transfer coefficients [-]; ``pressure order + alpha_c/4`` must be 1/2 and
        ``pressure order - alpha_a/4`` 0 (checked by the caller's parameter object).
    e_eq_V : numpy.ndarray
        O2 equilibrium potential of the gas-phase O2 [V].
    f : numpy.ndarray
        F/(RT) [1/V].
    i_lim_c : numpy.ndarray
        Cathodic limiting current density 4 F k_m c x [A/m^2], >= 0.

    Returns
    -------
    current, dcurrent_dE : numpy.ndarray
        [A/m^2] (anodic positive) and [A/(m^2 V)] (> 0).

    References
    ----------
    .. [1] A. J. Bard, L. R. Faulkner, *Electrochemical Methods*, 2nd ed., Wiley (2001),
       Sect. 3.4 (current-overpotential equation with surface concentrations).

    Examples
    --------
    Without a transport limit it is Butler-Volmer, i0 (e^{f eta} - e^{-f eta}):

    >>> i, _ = o2_couple_current(np.array(0.01), np.array(1.0), 1.0, 1.0, np.array(0.0),
    ...                          np.array(10.0), np.array(np.inf))
    >>> round(float(i), 4)
    0.2003
    """
    u = f * (potential_V - e_eq_V)
    a = i0 * np.exp(np.minimum(alpha_a * u, 700.0))
    c = i0 * np.exp(np.minimum(-alpha_c * u, 700.0))
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = i0 * (
            np.expm1(np.minimum(alpha_a * u, 700.0)) - np.expm1(np.minimum(-alpha_c * u, 700.0))
        )
        big = np.isinf(i_lim_c)
        lim = np.where(big, 1.0, i_lim_c)
        # sqrt(C^2 + 4 L (L + A)) without overflow at extreme overpotentials
        root = np.hypot(c, 2.0 * np.sqrt(lim) * np.sqrt(lim + a))
        s = np.where(big, 1.0, 2.0 * (lim + a) / (c + root))
        da, dc = alpha_a * f * a, -alpha_c * f * c
        d_root = (c / root) * dc + (2.0 * lim / root) * da
        ds = np.where(big, 0.0, (2.0 * da - s * (dc + d_root)) / (c + root))
        # i = L (s + 1)(s - 1), the transport side of the balance, with s - 1 =
        # 2 (A - C)/(C + R + 2 L), R the root (multiply out with R^2 = C^2 + 4 L (L + A)):
        # free of the cancellations of A - C s (O2-starved chamber, A and C s far above the
        # net current) and of s - 1 (large L, net current far below it)
        excess = 2.0 * diff / (c + root + 2.0 * lim)
        # no transport (L = 0): no net current
        current = np.where(big, diff, np.where(lim > 0.0, lim * (s + 1.0) * excess, 0.0))
        deriv = np.where(big, da - dc, np.where(lim > 0.0, 2.0 * lim * s * ds, 0.0))
    none = i0 == 0.0
    return np.where(none, 0.0, current), np.where(none, 0.0, deriv)


def faradaic_rate(current: ArrayLike, electrons: ArrayLike) -> Array:
    """Convert an electrode-reaction current into the molar reaction rate (Faraday's law).

    ``r = i / (z F)``: e.g. the O2 pumped by a current (z = 4) or the fuel consumed by its
    oxidation current (z = electrons per molecule, ``mixpot.gas.species.get(name).electrons``).

    Parameters
    ----------
    current : array_like
        Current [A] or current density [A/m^2]; the sign is kept (anodic positive).
    electrons : array_like
        Electrons transferred per molecule z [-], > 0.

    Returns
    -------
    numpy.ndarray
        Molar rate [mol/s] or [mol/(m^2 s)].

    References
    ----------
    .. [1] A. J. Bard, L. R. Faulkner, *Electrochemical Methods*, 2nd ed., Wiley (2001),
       Sect. 1.3.

    Examples
    --------
    >>> round(float(faradaic_rate(1e-3, 4)) * 1e9, 4)   # 1 mA of O2 pump current [nmol/s]
    2.5911
    """
    i = check_range(current, "current", allow_nan=True)
    z = check_range(electrons, "electrons", low=0.0, low_inclusive=False, allow_nan=True)
    return i / (z * FARADAY)
