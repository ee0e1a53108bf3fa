r"""Stefan flow: one species diffusing through a stagnant background in a porous barrier.

Isobaric dusty-gas model without viscous flux for species A with molar flux ``N_A`` and a
stagnant background B (``N_B = 0``), free-pore coefficients ``D_m`` (A-B) and ``D_K`` (A):

.. math:: -\frac{P}{RT}\frac{dx}{dz} = N_A \left[\frac{1}{D_K} + \frac{1 - x}{D_m}\right].

In a porous medium both coefficients are multiplied by ``ε/τ`` (superficial flux). With
:math:`\alpha = 1 + D_m/D_K` the right-hand side is :math:`N_A (\alpha - x)/D_m`; separating
and integrating over the barrier from the outer face (``z = 0``, ``x_out``) to the inner face
(``z = L``, ``x_in``) at constant ``N_A``:

.. math:: N_A = \frac{\varepsilon}{\tau}\frac{P D_m}{R T L}
          \ln\frac{\alpha - x_\mathrm{in}}{\alpha - x_\mathrm{out}},

positive from the outer to the inner face when ``x_out > x_in``. Limits: ``D_K -> inf``
(``α -> 1``) gives the Stefan law ``ln((1 - x_in)/(1 - x_out))``; ``D_K -> 0`` gives Fick's
law with ``D_K``; small ``x`` gives Fick's law with the Bosanquet coefficient.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from mixpot._validation import check_range
from mixpot.constants import GAS_CONSTANT
from mixpot.transport._common import FloatArray, FloatOrArray, as_output

__all__ = ["stefan_flux", "stefan_molar_flow"]


def _stefan_term(
    x_outer: ArrayLike,
    x_inner: ArrayLike,
    molecular_m2_per_s: ArrayLike,
    knudsen_m2_per_s: ArrayLike,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
) -> FloatArray:
    """Return ``(P D_m/(R T)) ln((α - x_in)/(α - x_out))`` [mol/(m s)], validated inputs."""
    x_out = check_range(x_outer, "x_outer", low=0.0, high=1.0, unit="-", allow_nan=True)
    x_in = check_range(x_inner, "x_inner", low=0.0, high=1.0, unit="-", allow_nan=True)
    d_m = check_range(
        molecular_m2_per_s,
        "molecular_m2_per_s",
        low=0.0,
        low_inclusive=False,
        unit="m^2/s",
        allow_nan=True,
    )
    d_k = check_range(
        knudsen_m2_per_s,
        "knudsen_m2_per_s",
        low=0.0,
        low_inclusive=False,
        unit="m^2/s",
        allow_nan=True,
    )
    temperature = check_range(
        temperature_K, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )
    pressure = check_range(
        pressure_Pa, "pressure_Pa", low=0.0, low_inclusive=False, unit="Pa", allow_nan=True
    )
    delta = x_out - x_in
    # ln((α - x_in)/(α - x_out)) = log1p(Δx/(α - x_out)); accurate for small Δx and large α.
    # α - x_out = 0 only for x_out = 1 without Knudsen resistance: infinite flux (Δx > 0) or
    # no flux (Δx = 0).
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = 1.0 + d_m / d_k - x_out
        ratio = np.where(delta == 0.0, 0.0, delta / gap)
        log_term = np.log1p(ratio)
    return pressure * d_m / (GAS_CONSTANT * temperature) * log_term


def stefan_flux(
    x_outer: ArrayLike,
    x_inner: ArrayLike,
    molecular_m2_per_s: ArrayLike,
    knudsen_m2_per_s: ArrayLike,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
    length_m: ArrayLike,
    porosity: ArrayLike = 1.0,
    tortuosity: ArrayLike = 1.0,
) -> FloatOrArray:
    r"""Molar flux of one species through a stagnant background across a porous layer.

    Isobaric dusty-gas model without viscous flux, background flux ``N_B = 0``:

    .. math:: N_A = \frac{\varepsilon}{\tau}\frac{P D_m}{R T L}
              \ln\frac{\alpha - x_\mathrm{in}}{\alpha - x_\mathrm{out}},
              \qquad \alpha = 1 + \frac{D_m}{D_K}.

    Parameters
    ----------
    x_outer : array_like
        Mole fraction of the diffusing species at the outer face (gas side) [-], in [0, 1].
        NaN propagates.
    x_inner : array_like
        Mole fraction at the inner face (compartment side) [-], in [0, 1]. NaN propagates.
    molecular_m2_per_s : array_like
        Free-gas binary diffusion coefficient of the species in the background [m^2/s], > 0.
        NaN propagates.
    knudsen_m2_per_s : array_like
        Free-pore Knudsen coefficient of the species [m^2/s], > 0; ``inf`` for no Knudsen
        resistance (open hole). NaN propagates.
    temperature_K : array_like
        Temperature of the gas in the layer [K], > 0. NaN propagates.
    pressure_Pa : array_like
        Total pressure [Pa], > 0 (uniform: isobaric). NaN propagates.
    length_m : array_like
        Thickness of the layer along the flux [m], > 0. NaN propagates.
    porosity : array_like
        Porosity ε [-], in (0, 1]. NaN propagates.
    tortuosity : array_like
        Tortuosity τ [-], >= 1. NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Superficial molar flux [mol/(m^2 s)] per unit geometric cross-section, positive from
        the outer to the inner face. ``inf`` for ``x_outer = 1 > x_inner`` without Knudsen
        resistance (pure species pushing into a vacuum of itself: the isobaric model breaks
        down there).

    Raises
    ------
    ValueError
        For mole fractions outside [0, 1], non-positive coefficients, temperature, pressure
        or length, porosity outside (0, 1] or tortuosity < 1.

    References
    ----------
    .. [1] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983), Ch. 3 and 5.
    .. [2] R. E. Cunningham, R. J. J. Williams, *Diffusion in Gases and Porous Media*, Plenum
       (1980).
    .. [3] H. Dietz, "Gas-diffusion-controlled solid-electrolyte oxygen sensors", Solid State
       Ionics 6 (1982) 175.

    Examples
    --------
    Air (20.95 % O2) on one side, no O2 on the other, molecular diffusion only:

    >>> n = stefan_flux(0.2095, 0.0, 1.8e-4, float("inf"), 1053.15, 101325.0, 1e-3)
    >>> round(float(n), 4)  # mol/(m^2 s)
    0.4897
    """
    term = _stefan_term(
        x_outer, x_inner, molecular_m2_per_s, knudsen_m2_per_s, temperature_K, pressure_Pa
    )
    length = check_range(
        length_m, "length_m", low=0.0, low_inclusive=False, unit="m", allow_nan=True
    )
    eps = check_range(
        porosity, "porosity", low=0.0, high=1.0, low_inclusive=False, unit="-", allow_nan=True
    )
    tau = check_range(tortuosity, "tortuosity", low=1.0, unit="-", allow_nan=True)
    return as_output(eps / tau * term / length)


def stefan_molar_flow(
    x_outer: ArrayLike,
    x_inner: ArrayLike,
    molecular_m2_per_s: ArrayLike,
    knudsen_m2_per_s: ArrayLike,
    temperature_K: ArrayLike,
    pressure_Pa: ArrayLike,
    geometry_factor_m: ArrayLike,
) -> FloatOrArray:
    r"""Molar flow of one species through a stagnant background across a diffusion barrier.

    .. math:: \dot n_A = G \frac{P D_m}{R T}
              \ln\frac{\alpha - x_\mathrm{in}}{\alpha - x_\mathrm{out}},
              \qquad \alpha = 1 + \frac{D_m}{D_K},

    with the geometry factor ``G`` [m] of :func:`mixpot.transport.geometry_factor`
    (``ε A/(τ L)``) or :func:`mixpot.transport.ring_geometry_factor`
    (``2π h ε/(τ ln(r2/r1))``).

    Parameters
    ----------
    x_outer : array_like
        Mole fraction at the outer face [-], in [0, 1]. NaN propagates.
    x_inner : array_like
        Mole fraction at the inner face [-], in [0, 1]. NaN propagates.
    molecular_m2_per_s : array_like
        Free-gas binary diffusion coefficient [m^2/s], > 0. NaN propagates.
    knudsen_m2_per_s : array_like
        Free-pore Knudsen coefficient [m^2/s], > 0 (``inf`` allowed). NaN propagates.
    temperature_K : array_like
        Temperature [K], > 0. NaN propagates.
    pressure_Pa : array_like
        Total pressure [Pa], > 0. NaN propagates.
    geometry_factor_m : array_like
        Geometry factor of the barrier [m], > 0 (porosity and tortuosity included). NaN
        propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Molar flow [mol/s], positive from the outer to the inner face.

    Raises
    ------
    ValueError
        For out-of-range inputs (see :func:`stefan_flux`).

    References
    ----------
    .. [1] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983).
    .. [2] H. Dietz, "Gas-diffusion-controlled solid-electrolyte oxygen sensors", Solid State
       Ionics 6 (1982) 175.

    Examples
    --------
    >>> from mixpot.transport import geometry_factor
    >>> g = geometry_factor(1e-6, 1e-3)  # open 1 mm^2 hole, 1 mm long
    >>> n = stefan_molar_flow(0.2095, 0.0, 1.8e-4, float("inf"), 1053.15, 101325.0, g)
    >>> round(float(n) * 1e9, 2)  # nmol/s
    489.66
    """
    term = _stefan_term(
        x_outer, x_inner, molecular_m2_per_s, knudsen_m2_per_s, temperature_K, pressure_Pa
    )
    g = check_range(
        geometry_factor_m,
        "geometry_factor_m",
        low=0.0,
        low_inclusive=False,
        unit="m",
        allow_nan=True,
    )
    return as_output(g * term)
