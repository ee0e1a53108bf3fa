"""Gas domain: species, validated compositions, air ratio, thermochemistry and equilibrium.

All functions are vectorised: compositions may hold arrays of mole fractions, and temperature
and pressure arrays broadcast against them.
"""

from mixpot.gas.air_ratio import (
    DEFAULT_H_TO_C,
    combustion_exhaust,
    lambda_brettschneider,
    lambda_element_balance,
    lambda_from_o2_excess,
    lambda_from_o2_fraction,
    o2_excess,
    o2_fraction_at_lambda,
    stoichiometric_o2_demand,
)
from mixpot.gas.equilibrium import Equilibrium, equilibrium, equilibrium_o2_partial_pressure
from mixpot.gas.mixture import Composition, composition, element_totals, species_index
from mixpot.gas.species import HYDROCARBONS, OXIDIZABLE, SPECIES, Species, get
from mixpot.gas.thermo import ln_equilibrium_constant, reference_pressure, standard_gibbs_rt

__all__ = [
    "DEFAULT_H_TO_C",
    "HYDROCARBONS",
    "OXIDIZABLE",
    "SPECIES",
    "Composition",
    "Equilibrium",
    "Species",
    "combustion_exhaust",
    "composition",
    "element_totals",
    "equilibrium",
    "equilibrium_o2_partial_pressure",
    "get",
    "lambda_brettschneider",
    "lambda_element_balance",
    "lambda_from_o2_excess",
    "lambda_from_o2_fraction",
    "ln_equilibrium_constant",
    "o2_excess",
    "o2_fraction_at_lambda",
    "reference_pressure",
    "species_index",
    "standard_gibbs_rt",
    "stoichiometric_o2_demand",
]
