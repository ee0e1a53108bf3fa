r"""Solid electrolyte (yttria-stabilised zirconia): ionic conductivity and cell resistance.

The oxide-ion conductivity of 8YSZ follows an Arrhenius law :math:`\sigma = A\exp(-B/T)`; the
ohmic resistance of a cell is :math:`R = K/\sigma` with the cell constant ``K = L/A`` [1/m] of
its current path. The internal resistance that sensor electronics measure with a 1-4 kHz AC
signal is essentially this electrolyte resistance (bulk plus grain boundary); electrode
polarisation appears at lower frequencies and is not part of it (docs/physics/electrolyte.md).
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from mixpot._validation import check_range

__all__ = [
    "YSZ_ACTIVATION_TEMPERATURE_K",
    "YSZ_PRE_EXPONENTIAL_S_PER_M",
    "cell_constant_from_resistance",
    "cell_resistance",
    "planar_cell_constant",
    "ysz_conductivity",
]

FloatOrArray: TypeAlias = np.float64 | NDArray[np.float64]

YSZ_PRE_EXPONENTIAL_S_PER_M: float = 3.34e4
"""Pre-exponential factor A of the 8YSZ conductivity correlation [S/m] (Bossel 1992;
Ferguson, Fiard, Herbin, J. Power Sources 58 (1996) 109)."""

YSZ_ACTIVATION_TEMPERATURE_K: float = 10300.0
"""Activation temperature B = E_a/R of the 8YSZ correlation [K] (E_a = 85.6 kJ/mol, 0.89 eV;
same sources as :data:`YSZ_PRE_EXPONENTIAL_S_PER_M`)."""


def _temperature(value: ArrayLike) -> NDArray[np.float64]:
    return check_range(
        value, "temperature_K", low=0.0, low_inclusive=False, unit="K", allow_nan=True
    )


def _arrhenius(temperature_K: Any, pre_exponential: Any, activation_temperature_K: Any) -> Any:
    """Return ``A exp(-B/T)`` without validation (NumPy arrays here, floats compiled)."""
    return pre_exponential * np.exp(-activation_temperature_K / temperature_K)


_arrhenius_point = numba.njit(cache=True, nogil=True)(_arrhenius)
""":func:`_arrhenius` compiled for floats (the same source)."""


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _cell_resistance_point(
    cell_constant_per_m: float,
    temperature_K: float,
    pre_exponential_S_per_m: float,
    activation_temperature_K: float,
) -> float:  # pragma: no cover - compiled
    """Compiled scalar :func:`cell_resistance` (no validation) for loops over time.

    The same conductivity law (:func:`_arrhenius`, compiled); ``inf`` where it underflows.
    """
    sigma = _arrhenius_point(temperature_K, pre_exponential_S_per_m, activation_temperature_K)
    return cell_constant_per_m / sigma


def ysz_conductivity(
    temperature_K: ArrayLike,
    pre_exponential_S_per_m: ArrayLike = YSZ_PRE_EXPONENTIAL_S_PER_M,
    activation_temperature_K: ArrayLike = YSZ_ACTIVATION_TEMPERATURE_K,
) -> FloatOrArray:
    r"""Oxide-ion conductivity of yttria-stabilised zirconia, :math:`\sigma = A\exp(-B/T)`.

    The default parameters are the 8YSZ correlation used in public SOFC models,
    ``A = 3.34e4 S/m``, ``B = 10300 K`` (apparent activation energy 85.6 kJ/mol). Doped
    zirconia shows two Arrhenius regimes: above roughly 900 K the apparent activation energy
    drops to 59-79 kJ/mol (0.61-0.82 eV, B = 7100-9500 K), below it is 109-125 kJ/mol
    (Kaneko et al. 1993). Sensor elements run in the high-temperature regime; override ``A``
    and ``B`` to use another material or branch.

    Parameters
    ----------
    temperature_K : array_like
        Electrolyte temperature [K], > 0. NaN propagates.
    pre_exponential_S_per_m : array_like
        Pre-exponential factor A [S/m], > 0.
    activation_temperature_K : array_like
        Activation temperature B = E_a/R [K], >= 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Ionic conductivity [S/m], shape of the broadcast inputs.

    Raises
    ------
    ValueError
        For a non-positive temperature or pre-exponential factor, or a negative activation
        temperature.

    References
    ----------
    .. [1] U. Bossel, *Facts and Figures*, IEA Programme on SOFC, Final Report of Task II,
       Swiss Federal Office of Energy (1992).
    .. [2] J. R. Ferguson, J. M. Fiard, R. Herbin, "Three-dimensional numerical simulation
       for various geometries of solid oxide fuel cells", J. Power Sources 58 (1996) 109.
    .. [3] H. Kaneko, H. Jin, H. Taimatsu, "Electrical conductivity of doped zirconia",
       J. Am. Ceram. Soc. 76 (1993) 793.

    Examples
    --------
    >>> round(float(ysz_conductivity(1053.15)), 4)  # S/m at 780 degC
    1.8892
    """
    temperature = _temperature(temperature_K)
    a = check_range(
        pre_exponential_S_per_m,
        "pre_exponential_S_per_m",
        low=0.0,
        low_inclusive=False,
        unit="S/m",
        allow_nan=True,
    )
    b = check_range(
        activation_temperature_K, "activation_temperature_K", low=0.0, unit="K", allow_nan=True
    )
    return _arrhenius(temperature, a, b)[()]


def planar_cell_constant(thickness_m: ArrayLike, area_m2: ArrayLike) -> FloatOrArray:
    """Cell constant ``K = L/A`` of a planar electrolyte between two electrodes.

    Assumes a uniform current path of length ``L`` (electrolyte thickness) through the
    electrode area ``A`` (no spreading resistance).

    Parameters
    ----------
    thickness_m : array_like
        Electrolyte thickness between the electrodes [m], > 0. NaN propagates.
    area_m2 : array_like
        Electrode (overlap) area [m^2], > 0. NaN propagates.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Cell constant [1/m].

    Raises
    ------
    ValueError
        For non-positive thickness or area.

    References
    ----------
    .. [1] J. Fleig, "Solid oxide fuel cell cathodes: polarization mechanisms and modeling of
       the electrochemical performance", Annu. Rev. Mater. Res. 33 (2003) 361 (ohmic
       resistance of a planar cell).

    Examples
    --------
    >>> float(planar_cell_constant(150e-6, 0.5e-6))  # 150 um thick, 0.5 mm^2
    300.0
    """
    thickness = check_range(
        thickness_m, "thickness_m", low=0.0, low_inclusive=False, unit="m", allow_nan=True
    )
    area = check_range(area_m2, "area_m2", low=0.0, low_inclusive=False, unit="m^2", allow_nan=True)
    return (thickness / area)[()]


def cell_resistance(
    cell_constant_per_m: ArrayLike,
    temperature_K: ArrayLike,
    pre_exponential_S_per_m: ArrayLike = YSZ_PRE_EXPONENTIAL_S_PER_M,
    activation_temperature_K: ArrayLike = YSZ_ACTIVATION_TEMPERATURE_K,
) -> FloatOrArray:
    r"""Ohmic (electrolyte) resistance of a zirconia cell, :math:`R = K/\sigma(T)`.

    This is the internal resistance R_i that sensor electronics measure with a small AC
    signal at 1-4 kHz: at these frequencies the impedance of the cell is essentially that of
    the electrolyte (bulk plus grain boundary); electrode polarisation shows at lower
    frequencies and is not included.

    Parameters
    ----------
    cell_constant_per_m : array_like
        Cell constant ``K = L/A`` [1/m], > 0 (see :func:`planar_cell_constant`). NaN
        propagates.
    temperature_K : array_like
        Electrolyte temperature [K], > 0. NaN propagates.
    pre_exponential_S_per_m : array_like
        Conductivity pre-exponential factor A [S/m], > 0.
    activation_temperature_K : array_like
        Conductivity activation temperature B [K], >= 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Resistance [Ω]; ``inf`` where the conductivity underflows to 0 (T of a few K).

    Raises
    ------
    ValueError
        For out-of-range inputs.

    Notes
    -----
    The transient simulation's compiled heater period uses the scalar mirror
    ``_cell_resistance_point`` (the same conductivity law compiled, no validation; tested
    equal to this function).

    References
    ----------
    .. [1] J. R. Ferguson, J. M. Fiard, R. Herbin, J. Power Sources 58 (1996) 109.
    .. [2] Bosch, *Lambda sensor LSU 4.9*, Technical Product Information Y 258 E00 015e (2005)
       (R_i measured with 1-4 kHz AC).

    Examples
    --------
    >>> round(float(cell_resistance(566.7, 1053.15)), 1)  # ohm at 780 degC
    300.0
    """
    k = check_range(
        cell_constant_per_m,
        "cell_constant_per_m",
        low=0.0,
        low_inclusive=False,
        unit="1/m",
        allow_nan=True,
    )
    sigma = ysz_conductivity(temperature_K, pre_exponential_S_per_m, activation_temperature_K)
    with np.errstate(divide="ignore"):
        return (k / np.asarray(sigma))[()]


def cell_constant_from_resistance(
    resistance_ohm: ArrayLike,
    temperature_K: ArrayLike,
    pre_exponential_S_per_m: ArrayLike = YSZ_PRE_EXPONENTIAL_S_PER_M,
    activation_temperature_K: ArrayLike = YSZ_ACTIVATION_TEMPERATURE_K,
) -> FloatOrArray:
    r"""Cell constant that gives a measured resistance at a temperature, :math:`K = R\sigma(T)`.

    Used to calibrate a design to a data-sheet internal resistance, e.g. the Bosch LSU 4.9
    Nernst cell: 300 Ω at 780 °C (1-4 kHz AC).

    Parameters
    ----------
    resistance_ohm : array_like
        Measured (AC, electrolyte) resistance [Ω], > 0. NaN propagates.
    temperature_K : array_like
        Temperature at which it was measured [K], > 0. NaN propagates.
    pre_exponential_S_per_m : array_like
        Conductivity pre-exponential factor A [S/m], > 0.
    activation_temperature_K : array_like
        Conductivity activation temperature B [K], >= 0.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        Cell constant ``L/A`` [1/m].

    Raises
    ------
    ValueError
        For out-of-range inputs.

    References
    ----------
    .. [1] Bosch, *Lambda sensor LSU 4.9*, Technical Product Information Y 258 E00 015e
       (2005).
    .. [2] J. R. Ferguson, J. M. Fiard, R. Herbin, J. Power Sources 58 (1996) 109.

    Examples
    --------
    >>> round(float(cell_constant_from_resistance(300.0, 1053.15)), 1)  # 1/m
    566.7
    """
    r = check_range(
        resistance_ohm,
        "resistance_ohm",
        low=0.0,
        low_inclusive=False,
        unit="ohm",
        allow_nan=True,
    )
    sigma = ysz_conductivity(temperature_K, pre_exponential_S_per_m, activation_temperature_K)
    return (r * np.asarray(sigma))[()]
