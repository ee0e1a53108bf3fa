"""Gas transport through the sensor's access hole, porous barrier and compartment.

Layer-1 physics functions (pure, vectorised, SI units):

- :mod:`~mixpot.transport.diffusion`: Chapman-Enskog binary and mixture-averaged diffusion
  coefficients (Cantera's fits, evaluated with NumPy);
- :mod:`~mixpot.transport.porous`: Knudsen diffusion, Bosanquet interpolation, effective
  coefficients and barrier geometry factors (slab, radial ring);
- :mod:`~mixpot.transport.stefan`: isobaric dusty-gas flux of one species through a stagnant
  background (Stefan flow);
- :mod:`~mixpot.transport.limiting_current`: Faraday's law for O2 and the diffusion-limited
  current of a pump cell.
"""

from mixpot.transport.diffusion import (
    TEMPERATURE_RANGE_K,
    binary_diffusion_coefficient,
    binary_diffusion_matrix,
    mixture_diffusion_coefficients,
)
from mixpot.transport.limiting_current import (
    ELECTRONS_PER_O2,
    current_from_o2_flow,
    limiting_current,
    o2_flow_from_current,
    oxygen_limiting_current,
)
from mixpot.transport.porous import (
    bosanquet_diffusion_coefficient,
    effective_diffusion_coefficient,
    geometry_factor,
    knudsen_diffusion_coefficient,
    ring_geometry_factor,
)
from mixpot.transport.stefan import stefan_flux, stefan_molar_flow

__all__ = [
    "ELECTRONS_PER_O2",
    "TEMPERATURE_RANGE_K",
    "binary_diffusion_coefficient",
    "binary_diffusion_matrix",
    "bosanquet_diffusion_coefficient",
    "current_from_o2_flow",
    "effective_diffusion_coefficient",
    "geometry_factor",
    "knudsen_diffusion_coefficient",
    "limiting_current",
    "mixture_diffusion_coefficients",
    "o2_flow_from_current",
    "oxygen_limiting_current",
    "ring_geometry_factor",
    "stefan_flux",
    "stefan_molar_flow",
]
