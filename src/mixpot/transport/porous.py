"""Diffusion in porous media: Knudsen diffusion, Bosanquet interpolation, barrier geometry.

A porous diffusion barrier of porosity ``ε`` and tortuosity ``τ`` scales every diffusion
coefficient by ``ε/τ`` (superficial flux per unit geometric area). Its geometry enters the
molar flow through a *geometry factor* ``G = ε A / (τ L)`` [m] (planar slab) or
``G = 2π h ε / (τ ln(r2/r1))`` (radial ring), so that for Fickian diffusion the molar flow is
``ṅ = G · D · (P/RT) · Δx``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from mixpot._validation import check_range
from mixpot.constants import GAS_CONSTANT
from mixpot.transport._common import FloatArray, FloatOrArray, as_output

__all__ = [
    "bosanquet_diffusion_coefficient",
    "effective_diffusion_coefficient",
    "geometry_factor",
    "knudsen_diffusion_coefficient",
    "ring_geometry_factor",
]


def _positive(value: ArrayLike, name: str, unit: str) -> FloatArray:
    return check_range(value, name, low=0.0, low_inclusive=False, unit=unit, allow_nan=True)


def _porosity(value: ArrayLike) -> FloatArray:
    return check_range(
        value, "porosity", low=0.0, high=1.0, low_inclusive=False, unit="-", allow_nan=True
    )


def _tortuosity(value: ArrayLike) -> FloatArray:
    return check_range(value, "tortuosity", low=1.0, unit="-", allow_nan=True)


def knudsen_diffusion_coefficient(
    pore_diameter_m: ArrayLike, temperature_K: ArrayLike, molar_mass_kg_per_mol: ArrayLike
) -> FloatOrArray:
    r"""Knudsen diffusion coefficient of a gas in a cylindrical pore.

    .. math:: D_K = \frac{d_p}{3} \sqrt{\frac{8 R T}{\pi M}}

    (one third of the pore diameter times the mean molecular speed). Valid when the mean free
    path is large compared with the pore; combine with the molecular coefficient by
    :func:`bosanquet_diffusion_coefficient` in the transition regime.

    Parameters
    ----------
    pore_diameter_m : array_like
        Mean pore diameter [m], > 0; ``inf`` gives ``inf`` (no wall collisions). NaN
        propagates.
    temperature_K : array_like
        Temperature [K], > 0. NaN propagates.
    molar_mass_kg_per_mol : array_like
        Molar mass of the diffusing gas [kg/mol], > 0 (e.g.
        ``mixpot.gas.species.get("O2").molar_mass``). NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Knudsen diffusion coefficient [m^2/s] (free pore, not yet scaled by porosity and
        tortuosity), shape of the broadcast inputs.

    Raises
    ------
    ValueError
        For a non-positive pore diameter, temperature or molar mass.

    References
    ----------
    .. [1] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983), Ch. 2.
    .. [2] R. E. Cunningham, R. J. J. Williams, *Diffusion in Gases and Porous Media*, Plenum
       (1980), Ch. 2.

    Examples
    --------
    >>> d = knudsen_diffusion_coefficient(0.5e-6, 1000.0, 0.031998)  # O2, 0.5 um pores
    >>> round(float(d) * 1e4, 4)  # cm^2/s
    1.3557
    """
    diameter = _positive(pore_diameter_m, "pore_diameter_m", "m")
    temperature = _positive(temperature_K, "temperature_K", "K")
    molar_mass = _positive(molar_mass_kg_per_mol, "molar_mass_kg_per_mol", "kg/mol")
    mean_speed = np.sqrt(8.0 * GAS_CONSTANT * temperature / (np.pi * molar_mass))
    return as_output(diameter / 3.0 * mean_speed)


def bosanquet_diffusion_coefficient(
    molecular_m2_per_s: ArrayLike, knudsen_m2_per_s: ArrayLike
) -> FloatOrArray:
    r"""Bosanquet interpolation between molecular and Knudsen diffusion (free pore).

    .. math:: \frac{1}{D_B} = \frac{1}{D_m} + \frac{1}{D_K}

    It is the dusty-gas result for a trace species (or for equimolar counter-diffusion); for
    one species diffusing through a stagnant background use
    :func:`mixpot.transport.stefan_flux`, which adds Stefan flow.

    Parameters
    ----------
    molecular_m2_per_s : array_like
        Molecular (binary or mixture-averaged) diffusion coefficient [m^2/s], > 0. NaN
        propagates.
    knudsen_m2_per_s : array_like
        Knudsen diffusion coefficient [m^2/s], > 0; ``inf`` gives the molecular limit. NaN
        propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Combined diffusion coefficient [m^2/s].

    Raises
    ------
    ValueError
        For non-positive coefficients.

    References
    ----------
    .. [1] W. G. Pollard, R. D. Present, "On gaseous self-diffusion in long capillary tubes",
       Phys. Rev. 73 (1948) 762 (Bosanquet's formula).
    .. [2] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983).

    Examples
    --------
    >>> float(bosanquet_diffusion_coefficient(2e-4, 2e-4))
    0.0001
    """
    molecular = _positive(molecular_m2_per_s, "molecular_m2_per_s", "m^2/s")
    knudsen = _positive(knudsen_m2_per_s, "knudsen_m2_per_s", "m^2/s")
    return as_output(1.0 / (1.0 / molecular + 1.0 / knudsen))


def effective_diffusion_coefficient(
    molecular_m2_per_s: ArrayLike,
    knudsen_m2_per_s: ArrayLike,
    porosity: ArrayLike,
    tortuosity: ArrayLike,
) -> FloatOrArray:
    r"""Effective diffusion coefficient in a porous medium (Bosanquet, porosity, tortuosity).

    .. math:: \frac{1}{D_\mathrm{eff}} = \frac{\tau}{\varepsilon}
              \left(\frac{1}{D_m} + \frac{1}{D_K}\right)

    ``D_eff`` relates the superficial flux (per unit geometric cross-section) to the
    concentration gradient.

    Parameters
    ----------
    molecular_m2_per_s : array_like
        Molecular diffusion coefficient [m^2/s], > 0. NaN propagates.
    knudsen_m2_per_s : array_like
        Free-pore Knudsen diffusion coefficient [m^2/s], > 0 (``inf`` allowed). NaN
        propagates.
    porosity : array_like
        Porosity ε [-], in (0, 1]. NaN propagates.
    tortuosity : array_like
        Tortuosity τ [-], >= 1. NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Effective diffusion coefficient [m^2/s].

    Raises
    ------
    ValueError
        For non-positive coefficients, porosity outside (0, 1] or tortuosity < 1.

    References
    ----------
    .. [1] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983).
    .. [2] R. E. Cunningham, R. J. J. Williams, *Diffusion in Gases and Porous Media*, Plenum
       (1980).

    Examples
    --------
    >>> d = effective_diffusion_coefficient(2e-4, 2e-4, porosity=0.3, tortuosity=3.0)
    >>> round(float(d), 12)  # m^2/s
    1e-05
    """
    eps = _porosity(porosity)
    tau = _tortuosity(tortuosity)
    return as_output(
        eps / tau * bosanquet_diffusion_coefficient(molecular_m2_per_s, knudsen_m2_per_s)
    )


def geometry_factor(
    area_m2: ArrayLike,
    length_m: ArrayLike,
    porosity: ArrayLike = 1.0,
    tortuosity: ArrayLike = 1.0,
) -> FloatOrArray:
    r"""Geometry factor of a planar (slab) diffusion barrier, :math:`G = \varepsilon A/(\tau L)`.

    With it the Fickian molar flow through the barrier is ``ṅ = G · D · (P/RT) · Δx`` where
    ``D`` is the free-pore coefficient.

    Parameters
    ----------
    area_m2 : array_like
        Cross-section normal to the flux [m^2], > 0. NaN propagates.
    length_m : array_like
        Length of the diffusion path [m], > 0. NaN propagates.
    porosity : array_like
        Porosity ε [-], in (0, 1]; 1 for an open hole. NaN propagates.
    tortuosity : array_like
        Tortuosity τ [-], >= 1; 1 for an open hole. NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Geometry factor [m].

    Raises
    ------
    ValueError
        For non-positive area or length, porosity outside (0, 1] or tortuosity < 1.

    References
    ----------
    .. [1] H. Dietz, "Gas-diffusion-controlled solid-electrolyte oxygen sensors", Solid State
       Ionics 6 (1982) 175.
    .. [2] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983).

    Examples
    --------
    >>> g = geometry_factor(area_m2=1e-6, length_m=1e-3, porosity=0.3, tortuosity=3.0)
    >>> round(float(g), 12)  # m
    0.0001
    """
    area = _positive(area_m2, "area_m2", "m^2")
    length = _positive(length_m, "length_m", "m")
    eps = _porosity(porosity)
    tau = _tortuosity(tortuosity)
    return as_output(eps * area / (tau * length))


def ring_geometry_factor(
    inner_radius_m: ArrayLike,
    outer_radius_m: ArrayLike,
    height_m: ArrayLike,
    porosity: ArrayLike = 1.0,
    tortuosity: ArrayLike = 1.0,
) -> FloatOrArray:
    r"""Geometry factor of a radial ring barrier, :math:`G = 2\pi h\varepsilon/(\tau\ln(r_2/r_1))`.

    Steady radial diffusion through an annulus (height ``h``, radii ``r1 < r2``) carries a
    constant molar flow ``ṅ = -2π r h (ε/τ) c D dx/dr``; integrating from ``r1`` to ``r2``
    replaces ``A/L`` of the slab by ``2π h / ln(r2/r1)``. For a thin ring (``r2 - r1 << r1``)
    it reduces to the slab value with ``A = 2π r1 h`` and ``L = r2 - r1``. The same factor
    holds for the Stefan-flow law (:func:`mixpot.transport.stefan_molar_flow`), whose
    integrand does not depend on the coordinate.

    Parameters
    ----------
    inner_radius_m : array_like
        Inner radius r1 [m], > 0. NaN propagates.
    outer_radius_m : array_like
        Outer radius r2 [m], > r1. NaN propagates.
    height_m : array_like
        Height of the ring (thickness of the barrier layer) [m], > 0. NaN propagates.
    porosity : array_like
        Porosity ε [-], in (0, 1]. NaN propagates.
    tortuosity : array_like
        Tortuosity τ [-], >= 1. NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Geometry factor [m].

    Raises
    ------
    ValueError
        For non-positive radii or height, ``outer_radius_m <= inner_radius_m``, porosity
        outside (0, 1] or tortuosity < 1.

    References
    ----------
    .. [1] J. Crank, *The Mathematics of Diffusion*, 2nd ed., Oxford (1975), Sect. 5.3
       (steady state in a hollow cylinder).

    Examples
    --------
    >>> g = ring_geometry_factor(0.3e-3, 1.0e-3, 20e-6, porosity=0.3, tortuosity=3.0)
    >>> round(float(g) * 1e6, 4)  # um
    10.4374
    """
    r1 = _positive(inner_radius_m, "inner_radius_m", "m")
    r2 = _positive(outer_radius_m, "outer_radius_m", "m")
    height = _positive(height_m, "height_m", "m")
    eps = _porosity(porosity)
    tau = _tortuosity(tortuosity)
    ratio = check_range(
        r2 / r1, "outer_radius_m / inner_radius_m", low=1.0, low_inclusive=False, allow_nan=True
    )
    return as_output(2.0 * np.pi * height * eps / (tau * np.log(ratio)))
