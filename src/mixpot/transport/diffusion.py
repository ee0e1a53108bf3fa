"""Molecular diffusion coefficients of gases: Chapman-Enskog binary and mixture-averaged values.

The binary coefficients are Cantera's Chapman-Enskog values for the vendored species set
(GRI-Mech 3.0 Lennard-Jones data, Stockmayer corrections for polar pairs; propene from the
Sandia TRANFIT database). Cantera fits, once per species pair, the product ``D_ij P`` as

    D_ij(T, P) = T**1.5 * sum_{n=0}^{4} a_n (ln T)**n / P            [m^2/s, T in K, P in Pa]

over the temperature range of the phase (300-3500 K for the vendored set) and evaluates that
polynomial in :attr:`cantera.Transport.binary_diff_coeffs`. This module reads the same
coefficients (:meth:`cantera.Transport.get_binary_diff_coeffs_polynomial`) and evaluates the
polynomial with NumPy, so it returns Cantera's numbers for whole arrays of temperature and
pressure without touching a Cantera state.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from numpy.typing import ArrayLike

from mixpot._validation import check_range
from mixpot.gas._cantera import shared_solution
from mixpot.gas.species import SPECIES
from mixpot.transport._common import FloatArray, FloatOrArray, as_output

__all__ = [
    "TEMPERATURE_RANGE_K",
    "binary_diffusion_coefficient",
    "binary_diffusion_matrix",
    "mixture_diffusion_coefficients",
]

TEMPERATURE_RANGE_K: tuple[float, float] = (200.0, 5000.0)
"""Temperatures accepted by the diffusion functions [K].

Cantera fits the polynomials over 300-3500 K (the temperature range of the vendored species
set). Checked against an independent Chapman-Enskog evaluation (Neufeld collision integral,
Poling et al. eq. 11-3.2) the fit stays within 0.3 % for non-polar pairs in N2 down to 200 K
(1 % for C3H6/C3H8-N2) and up to 5000 K, so this slightly wider range is accepted.
"""

_MIN_MOLE_FRACTION = 1e-20
"""Floor applied to mole fractions in the mixture-averaged sum, as Cantera does (``Tiny``)."""

_SUM_TOLERANCE = 1e-6
"""Allowed deviation of the sum of mole fractions from 1 [-]."""


def _known_species() -> tuple[str, ...]:
    return tuple(shared_solution().species_names)


def _check_species(names: Sequence[str], field: str) -> tuple[str, ...]:
    if isinstance(names, str):
        names = (names,)
    known = _known_species()
    for name in names:
        if name not in known:
            raise ValueError(
                f"{field}: unknown species {name!r}; known species: {', '.join(known)}"
            )
    return tuple(names)


@cache
def _coefficient_matrix(names: tuple[str, ...]) -> FloatArray:
    """Return Cantera's fit coefficients for all pairs of ``names``, shape (n, n, degree + 1)."""
    sol = shared_solution()
    idx = [sol.species_index(n) for n in names]
    coeffs = np.array(
        [[sol.get_binary_diff_coeffs_polynomial(i, j) for j in idx] for i in idx],
        dtype=np.float64,
    )
    coeffs.setflags(write=False)
    return coeffs


def _evaluate(coeffs: FloatArray, temperature: FloatArray, pressure: FloatArray) -> FloatArray:
    """Evaluate ``T**1.5 * poly(ln T) / P`` for coefficient array ``(..., degree + 1)``.

    Horner's scheme in place in one output array: a new array per operation made this six
    times slower for the matrices of many points (a fresh temporary of the whole matrix per
    operation; measured 6.4 -> 1.0 ms for 4 x 7 pairs at 18,001 points, bitwise the same
    values).
    """
    shape = np.broadcast_shapes(temperature.shape, pressure.shape)
    lead = coeffs.shape[:-1]
    log_t = np.log(temperature)
    extra = (1,) * len(shape)
    acc = np.empty(lead + shape)
    acc[...] = coeffs[..., -1].reshape(lead + extra)
    for k in range(coeffs.shape[-1] - 2, -1, -1):
        acc *= log_t
        acc += coeffs[..., k].reshape(lead + extra)
    acc *= temperature**1.5
    acc /= pressure
    return acc


def _check_state(temperature_K: ArrayLike, pressure_Pa: ArrayLike) -> tuple[FloatArray, FloatArray]:
    low, high = TEMPERATURE_RANGE_K
    temperature = check_range(
        temperature_K, "temperature_K", low=low, high=high, unit="K", allow_nan=True
    )
    pressure = check_range(
        pressure_Pa, "pressure_Pa", low=0.0, low_inclusive=False, unit="Pa", allow_nan=True
    )
    return temperature, pressure


def binary_diffusion_coefficient(
    species_a: str, species_b: str, temperature_K: ArrayLike, pressure_Pa: ArrayLike
) -> FloatOrArray:
    r"""Binary diffusion coefficient of a gas pair by Chapman-Enskog theory (vectorised).

    Evaluates Cantera's fit of the first Chapman-Enskog approximation,

    .. math:: D_{ab} = \frac{T^{3/2}}{P} \sum_{n=0}^{4} a_n (\ln T)^n,

    with NumPy for arrays of temperature and pressure (same numbers as
    :attr:`cantera.Transport.binary_diff_coeffs`, which evaluates the same polynomial). The
    underlying theory is :math:`D_{ab} = \tfrac{3}{16}\sqrt{2\pi k_B^3 T^3/m_{ab}}/(P \pi
    \sigma_{ab}^2 \Omega^{(1,1)*})` with Lennard-Jones (Stockmayer for polar pairs) collision
    integrals.

    Parameters
    ----------
    species_a, species_b : str
        Species names of the vendored Cantera set (e.g. ``"O2"``, ``"N2"``, ``"C3H6"``).
    temperature_K : array_like
        Temperature [K], within :data:`TEMPERATURE_RANGE_K`. NaN propagates.
    pressure_Pa : array_like
        Total pressure [Pa], > 0. NaN propagates. Broadcast against ``temperature_K``.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Binary diffusion coefficient [m^2/s], shape of the broadcast inputs.

    Raises
    ------
    ValueError
        For an unknown species, a temperature outside :data:`TEMPERATURE_RANGE_K` or a
        non-positive pressure.

    References
    ----------
    .. [1] B. E. Poling, J. M. Prausnitz, J. P. O'Connell, *The Properties of Gases and
       Liquids*, 5th ed., McGraw-Hill (2001), Sect. 11-3.
    .. [2] D. G. Goodwin et al., *Cantera: An object-oriented software toolkit for chemical
       kinetics, thermodynamics, and transport processes*, version 3.2 (2025),
       https://www.cantera.org (``GasTransport::fitDiffCoeffs``).
    .. [3] G. P. Smith et al., *GRI-Mech 3.0* transport data (1999).

    Examples
    --------
    >>> d = binary_diffusion_coefficient("O2", "N2", 1073.15, 101325.0)
    >>> round(float(d) * 1e4, 3)  # cm^2/s
    1.833
    >>> binary_diffusion_coefficient("O2", "N2", [873.15, 1073.15], 101325.0).round(7)
    array([0.0001299, 0.0001833])
    """
    names = _check_species((species_a, species_b), "species")
    temperature, pressure = _check_state(temperature_K, pressure_Pa)
    coeffs = _coefficient_matrix(names)[0, 1]
    return as_output(_evaluate(coeffs, temperature, pressure))


def binary_diffusion_matrix(
    species: Sequence[str],
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
    *,
    rows: Sequence[str] | None = None,
) -> FloatArray:
    """Matrix of binary diffusion coefficients of several species (vectorised).

    Parameters
    ----------
    species : sequence of str
        Species names of the vendored Cantera set, length ``n``.
    temperature_K : array_like
        Temperature [K], within :data:`TEMPERATURE_RANGE_K`. NaN propagates.
    pressure_Pa : array_like
        Total pressure [Pa], > 0. NaN propagates. Broadcast against ``temperature_K``.
    rows : sequence of str, optional
        Species of the first index, some of ``species`` (length ``m``); default all of them.
        Only these rows are evaluated (the coefficients of a few species in a mixture).

    Returns
    -------
    numpy.ndarray
        ``D[i, j, ...]`` [m^2/s], shape ``(m, n) + broadcast(temperature_K, pressure_Pa)``;
        for all rows symmetric in ``i, j`` with the self-diffusion coefficients on the
        diagonal.

    Raises
    ------
    ValueError
        For an unknown species, a row not in ``species``, or out-of-range temperature or
        pressure.

    References
    ----------
    .. [1] B. E. Poling, J. M. Prausnitz, J. P. O'Connell, *The Properties of Gases and
       Liquids*, 5th ed., McGraw-Hill (2001), Sect. 11-3.
    .. [2] D. G. Goodwin et al., *Cantera*, version 3.2 (2025), https://www.cantera.org.

    Examples
    --------
    >>> d = binary_diffusion_matrix(["N2", "O2", "H2"], 1000.0, 101325.0)
    >>> d.shape
    (3, 3)
    >>> round(float(d[0, 1] / d[1, 0]), 12)
    1.0
    >>> binary_diffusion_matrix(["N2", "O2", "H2"], 1000.0, 101325.0, rows=["O2"]).shape
    (1, 3)
    """
    names = _check_species(species, "species")
    if len(names) == 0:
        raise ValueError("species must contain at least one species name")
    coeffs = _coefficient_matrix(names)
    if rows is not None:
        first = _check_species(rows, "rows")
        missing = [r for r in first if r not in names]
        if missing:
            raise ValueError(f"rows: {', '.join(missing)} not in species {', '.join(names)}")
        coeffs = coeffs[[names.index(r) for r in first]]
    temperature, pressure = _check_state(temperature_K, pressure_Pa)
    return _evaluate(coeffs, temperature, pressure)


def mixture_diffusion_coefficients(
    mole_fractions: ArrayLike,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
    species: Sequence[str] = SPECIES,
) -> FloatArray:
    r"""Mixture-averaged diffusion coefficients of every species in a gas mixture (vectorised).

    Uses the same formula as Cantera's ``mix_diff_coeffs`` (mixture-averaged transport),

    .. math:: D_{k,m} = \frac{1 - Y_k}{\sum_{j \ne k} X_j / D_{kj}},

    with mass fraction :math:`Y_k = X_k M_k / \bar M`. As in Cantera, mole fractions in the
    sum are floored at 1e-20, so a species in a pure gas of itself gets :math:`D_{k,m} = 0`
    (the limit for :math:`X_k \to 1` depends on which trace species remain; use
    :func:`binary_diffusion_coefficient` there). For a single-species list the
    self-diffusion coefficient is returned, as in Cantera.

    Parameters
    ----------
    mole_fractions : array_like
        Mole fractions [-], shape ``(n_species, ...)`` in the order of ``species``; each in
        [0, 1], summing to 1 within 1e-6 along the first axis (the sum is then normalised to
        exactly 1, as Cantera does). NaN propagates to every species of that point.
    temperature_K : array_like
        Temperature [K], within :data:`TEMPERATURE_RANGE_K`. NaN propagates.
    pressure_Pa : array_like
        Total pressure [Pa], > 0. NaN propagates.
    species : sequence of str
        Species names, default :data:`mixpot.gas.species.SPECIES` (N2 first).

    Returns
    -------
    numpy.ndarray
        Mixture-averaged diffusion coefficients [m^2/s], shape ``(n_species,) +
        broadcast(mole_fractions.shape[1:], temperature_K, pressure_Pa)``.

    Raises
    ------
    ValueError
        If the first axis does not match ``species``, a species is repeated or unknown, a mole
        fraction is outside [0, 1], the fractions do not sum to 1, or temperature/pressure are
        out of range.

    References
    ----------
    .. [1] R. J. Kee, M. E. Coltrin, P. Glarborg, *Chemically Reacting Flow*, Wiley (2003),
       Sect. 12.7 (mixture-averaged diffusion coefficients).
    .. [2] R. B. Bird, W. E. Stewart, E. N. Lightfoot, *Transport Phenomena*, 2nd ed., Wiley
       (2002), eq. 17.9-13.
    .. [3] D. G. Goodwin et al., *Cantera*, version 3.2 (2025), https://www.cantera.org
       (``MixTransport::getMixDiffCoeffs``).

    Examples
    --------
    >>> x = [0.7905, 0.2095]  # dry air as O2 in N2
    >>> d = mixture_diffusion_coefficients(x, 1053.15, 101325.0, species=["N2", "O2"])
    >>> (d * 1e4).round(3)  # cm^2/s: N2 and O2 in air
    array([1.97 , 1.725])
    """
    names = _check_species(species, "species")
    n = len(names)
    if n == 0:
        raise ValueError("species must contain at least one species name")
    if len(set(names)) != n:
        raise ValueError(f"species must not repeat a name, got {', '.join(names)}")
    x = check_range(mole_fractions, "mole_fractions", low=0.0, high=1.0, allow_nan=True)
    if x.ndim == 0 or x.shape[0] != n:
        raise ValueError(
            f"mole_fractions must have shape (n_species, ...) with n_species = {n} "
            f"(species {', '.join(names)}), got shape {x.shape}"
        )
    total = x.sum(axis=0)
    with np.errstate(invalid="ignore"):
        bad = np.abs(total - 1.0) > _SUM_TOLERANCE
    if bad.any():
        first = np.asarray(total)[bad].flat[0]
        raise ValueError(
            f"mole_fractions sum to {first:.9g} along the species axis; they must sum to 1 "
            f"(tolerance {_SUM_TOLERANCE:g})"
        )
    x = x / total
    temperature, pressure = _check_state(temperature_K, pressure_Pa)
    shape = np.broadcast_shapes(x.shape[1:], temperature.shape, pressure.shape)
    x = np.broadcast_to(x, (n, *shape))
    temperature = np.broadcast_to(temperature, shape)
    pressure = np.broadcast_to(pressure, shape)
    d = _evaluate(_coefficient_matrix(names), temperature, pressure)
    if n == 1:
        return d[0].copy() + 0.0 * x
    sol = shared_solution()
    molar_mass = np.array([sol.molecular_weights[sol.species_index(s)] for s in names])
    molar_mass = molar_mass.reshape((n,) + (1,) * len(shape))
    mean_mass = (x * molar_mass).sum(axis=0)
    not_k = (1.0 - np.eye(n)).reshape((n, n) + (1,) * len(shape))
    x_floor = np.maximum(x, _MIN_MOLE_FRACTION)
    denominator = (not_k * x_floor[np.newaxis, :] / d).sum(axis=1)
    return (mean_mass - x * molar_mass) / (mean_mass * denominator)
