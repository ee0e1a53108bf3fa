"""Species registry: molar mass, oxidation stoichiometry and transport data of exhaust species.

Molar masses, thermodynamic and transport data come from the vendored Cantera species set
(GRI-Mech 3.0 plus propene, see ``mixpot/data/mixpot-gas.yaml``). Oxidation stoichiometry is
that of complete oxidation to CO2, H2O and N2:

    C_c H_h O_o N_n + (c + h/4 - o/2) O2 -> c CO2 + h/2 H2O + n/2 N2,

so the O2 demand is ``c + h/4 - o/2`` [mol O2/mol] and the electrochemical oxidation with
oxide ions, ``C_c H_h O_o N_n + (2c + h/2 - o) O^2- -> ... + z e-``, releases ``z = 4(c + h/4 -
o/2)`` electrons per molecule (e.g. 18 for C3H6, 2 for CO and H2, 3 for NH3 to N2).
Oxidants have a negative demand (O2: -1, NO: -1/2 when it ends as N2 + O2).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from mixpot.constants import BOLTZMANN
from mixpot.gas._cantera import shared_solution

SPECIES: tuple[str, ...] = (
    "N2",
    "O2",
    "H2O",
    "CO2",
    "CO",
    "H2",
    "C3H6",
    "C3H8",
    "CH4",
    "NH3",
    "NO",
)
"""Species accepted in exhaust compositions, in mixpot's canonical order (N2 first)."""

OXIDIZABLE: tuple[str, ...] = ("CO", "H2", "C3H6", "C3H8", "CH4", "NH3")
"""Species that the measuring electrode responds to (positive O2 demand)."""

HYDROCARBONS: tuple[str, ...] = ("C3H6", "C3H8", "CH4")
"""Hydrocarbon species (for HC totals and the Brettschneider formula)."""


@dataclass(frozen=True)
class Species:
    """Data of one gas species (SI units).

    Attributes
    ----------
    name : str
        Formula as used in compositions, e.g. ``"C3H6"``.
    elements : Mapping[str, int]
        Atoms per molecule, keys ``"C"``, ``"H"``, ``"O"``, ``"N"``.
    molar_mass : float
        Molar mass [kg/mol] (IUPAC atomic weights as used by Cantera).
    o2_demand : float
        O2 needed for complete oxidation to CO2, H2O and N2 [mol O2/mol]; negative for oxidants.
    well_depth : float
        Lennard-Jones well depth epsilon/k_B [K] (GRI-Mech 3.0 transport data; C3H6 from the
        Sandia TRANFIT database).
    diameter : float
        Lennard-Jones collision diameter [m] (same sources).
    """

    name: str
    elements: MappingProxyType[str, int]
    molar_mass: float
    o2_demand: float
    well_depth: float
    diameter: float

    @property
    def electrons(self) -> float:
        """Electrons released per molecule on complete electrochemical oxidation [-]."""
        return 4.0 * self.o2_demand

    @property
    def oxidizable(self) -> bool:
        """Whether the species consumes O2 on complete oxidation."""
        return self.o2_demand > 0.0


@cache
def get(name: str) -> Species:
    """Return the registry entry of a species.

    Parameters
    ----------
    name : str
        Species formula, one of :data:`SPECIES`.

    Returns
    -------
    Species
        Its data.

    Raises
    ------
    KeyError
        For an unknown species; the message lists the known ones.

    Examples
    --------
    >>> get("C3H6").electrons
    18.0
    >>> round(get("O2").molar_mass, 6)
    0.031998
    """
    if name not in SPECIES:
        raise KeyError(f"unknown species {name!r}; known species: {', '.join(SPECIES)}")
    sol = shared_solution()
    sp = sol.species(name)
    elements = {e: round(sp.composition.get(e, 0.0)) for e in ("C", "H", "O", "N")}
    demand = elements["C"] + elements["H"] / 4.0 - elements["O"] / 2.0
    tr = sp.transport
    return Species(
        name=name,
        elements=MappingProxyType(elements),
        molar_mass=float(sol.molecular_weights[sol.species_index(name)]) * 1e-3,
        o2_demand=demand,
        well_depth=float(tr.well_depth) / BOLTZMANN,
        diameter=float(tr.diameter),
    )
