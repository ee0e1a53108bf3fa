"""Radial finite-volume grid of the measuring gas compartment (access hole -> barrier -> chamber).

The compartment lies in one layer plane (claim 11). Gas enters at the rim of the gas access
hole (radius r_h), crosses the porous barrier ring (r_h -> r_b), and reaches the chamber
(r_b -> r_c), where the inner pump electrode (top) and the measuring electrode (bottom) face
each other (claim 4) between r_b and the electrode outer radius r_e. Cells: ``n_barrier``
equal-width cells in the barrier, ``n_chamber`` equal-width electrode cells, and one
electrode-free cell from r_e to r_c.

Transport between cell centres uses the exact radial conductance of an annulus,
g = 2 pi h (eps/tau) / ln(r_out/r_in) [m] per half cell, combined in series at each face
(Patankar, *Numerical Heat Transfer and Fluid Flow* (1980), Sect. 4.2: harmonic interface
conductance).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from mixpot.design import Geometry
from mixpot.transport import ring_geometry_factor

Array = NDArray[np.float64]


@dataclass(frozen=True)
class RadialGrid:
    """Cells and faces of the compartment (all SI).

    Attributes
    ----------
    faces : numpy.ndarray
        Face radii [m], shape (n + 1,); face 0 is the access-hole rim (exhaust side).
    centres : numpy.ndarray
        Cell-centre radii [m], shape (n,) (midpoints).
    height : numpy.ndarray
        Gas-layer height of each cell [m].
    porosity, tortuosity : numpy.ndarray
        Of each cell [-] (1 in the open chamber).
    pore_diameter : numpy.ndarray
        Pore diameter for Knudsen diffusion [m]: the barrier's pores, or the chamber height.
    electrode_area : numpy.ndarray
        Electrode area of each cell on one face of the chamber [m^2] (0 outside electrodes).
    volume : numpy.ndarray
        Gas volume of each cell [m^3].
    half_left, half_right : numpy.ndarray
        Geometric conductance 2 pi h eps/(tau ln(r_out/r_in)) [m] from the left face to the
        centre and from the centre to the right face.
    """

    faces: Array
    centres: Array
    height: Array
    porosity: Array
    tortuosity: Array
    pore_diameter: Array
    electrode_area: Array
    volume: Array
    half_left: Array
    half_right: Array

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.centres.size


def radial_grid(geometry: Geometry) -> RadialGrid:
    """Build the finite-volume grid of a design's geometry.

    Built once per geometry (a pure function of it, cached); every call returns its own copy
    of the arrays, so that a caller who modifies them changes no other model.

    Parameters
    ----------
    geometry : mixpot.design.Geometry
        The design geometry (radii, heights, barrier properties, cell counts).

    Returns
    -------
    RadialGrid
        Cells and faces.

    References
    ----------
    .. [1] S. V. Patankar, *Numerical Heat Transfer and Fluid Flow*, Hemisphere (1980), Ch. 4.

    Examples
    --------
    >>> from mixpot.design import Geometry
    >>> radial_grid(Geometry()).n_cells
    11
    """
    grid = _radial_grid(geometry)
    return RadialGrid(**{f.name: getattr(grid, f.name).copy() for f in fields(grid)})


@lru_cache(maxsize=64)
def _radial_grid(geometry: Geometry) -> RadialGrid:
    """:func:`radial_grid`, built and cached (shared: not to be handed out)."""
    g = geometry
    nb, nc = g.radial_cells_barrier, g.radial_cells_chamber
    faces = np.concatenate(
        [
            np.linspace(g.access_hole_radius_m, g.barrier_outer_radius_m, nb + 1),
            np.linspace(g.barrier_outer_radius_m, g.electrode_outer_radius_m, nc + 1)[1:],
            [g.chamber_outer_radius_m],
        ]
    )
    n = faces.size - 1
    barrier = np.arange(n) < nb
    electrode = (~barrier) & (np.arange(n) < nb + nc)
    centres = 0.5 * (faces[:-1] + faces[1:])
    height = np.where(barrier, g.barrier_height_m, g.chamber_height_m)
    porosity = np.where(barrier, g.barrier_porosity, 1.0)
    tortuosity = np.where(barrier, g.barrier_tortuosity, 1.0)
    pore = np.where(barrier, g.barrier_pore_diameter_m, g.chamber_height_m)
    ring = np.pi * (faces[1:] ** 2 - faces[:-1] ** 2)
    factor = 2.0 * np.pi * height * porosity / tortuosity
    return RadialGrid(
        faces=faces,
        centres=centres,
        height=height,
        porosity=porosity,
        tortuosity=tortuosity,
        pore_diameter=pore,
        electrode_area=np.where(electrode, ring, 0.0),
        volume=ring * height * porosity,
        half_left=factor / np.log(centres / faces[:-1]),
        half_right=factor / np.log(faces[1:] / centres),
    )


def barrier_geometry_factor(geometry: Geometry) -> float:
    """Geometry factor eps A/(tau L) of the barrier ring, 2 pi h eps/(tau ln(r_b/r_h)) [m].

    Parameters
    ----------
    geometry : mixpot.design.Geometry
        The design geometry.

    Returns
    -------
    float
        Geometry factor [m], for :func:`mixpot.transport.oxygen_limiting_current`.

    References
    ----------
    .. [1] E. A. Mason, A. P. Malinauskas, *Gas Transport in Porous Media: The Dusty-Gas
       Model*, Elsevier (1983).

    Examples
    --------
    >>> round(barrier_geometry_factor(Geometry()) * 1e6, 2)  # um
    19.1
    """
    g = geometry
    return float(
        ring_geometry_factor(
            g.access_hole_radius_m,
            g.barrier_outer_radius_m,
            g.barrier_height_m,
            g.barrier_porosity,
            g.barrier_tortuosity,
        )
    )
