"""mixpot: virtual twin of a pumped mixed-potential exhaust gas sensor.

The package is organised in three layers (see ``docs/index.md``):

1. physics functions, one subpackage or module per domain: :mod:`mixpot.gas`,
   :mod:`mixpot.transport`, :mod:`mixpot.electrolyte`, :mod:`mixpot.electrode`;
2. parameter objects (pydantic) that hold and validate designs and operating points;
3. orchestrators that combine them (steady state, transient simulation, studies).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mixpot")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

from mixpot import designs
from mixpot.evaluation import Calibration, calibrate, evaluate
from mixpot.steady import SteadyState, steady_state
from mixpot.transient import simulate

__all__ = [
    "Calibration",
    "SteadyState",
    "__version__",
    "calibrate",
    "designs",
    "evaluate",
    "simulate",
    "steady_state",
]
