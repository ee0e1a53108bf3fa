"""Physical constants and reference states used throughout mixpot (SI units).

References
----------
.. [1] E. Tiesinga et al., "CODATA recommended values of the fundamental physical
   constants: 2018", Rev. Mod. Phys. 93 (2021) 025010.
"""

from typing import Final

GAS_CONSTANT: Final = 8.314462618
"""Molar gas constant R [J/(mol K)], CODATA 2018 [1]_."""

FARADAY: Final = 96485.33212
"""Faraday constant F [C/mol], CODATA 2018 [1]_."""

BOLTZMANN: Final = 1.380649e-23
"""Boltzmann constant k_B [J/K], exact since the 2019 SI redefinition [1]_."""

AVOGADRO: Final = 6.02214076e23
"""Avogadro constant N_A [1/mol], exact since the 2019 SI redefinition [1]_."""

STANDARD_PRESSURE: Final = 1.0e5
"""Standard-state pressure p° [Pa] of the thermodynamic data (IUPAC, 1 bar)."""

ATMOSPHERE: Final = 101325.0
"""Standard atmosphere [Pa]."""

CELSIUS_OFFSET: Final = 273.15
"""Offset between degrees Celsius and kelvin [K]."""

AIR_O2_FRACTION: Final = 0.2095
"""O2 mole fraction of dry air [-] (U.S. Standard Atmosphere 1976: 20.946 %).

Argon and the other minor components are lumped with N2, as the Bosch LSU data sheet does when
it writes lambda = (x/3 + 1)/(1 - 4.77 x) for O2 in N2 (4.77 = 1/0.2095 = 1 + 3.77).
"""
