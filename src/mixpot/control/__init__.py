"""Controllers of the sensor electronics (layer-1/2 building blocks, no sensor physics).

Discrete-time, vectorised over points, functional ``step(params, state, input) -> (state, out)``
style for the transient closed-loop simulation (see ``docs/workflows/controllers.md``):

* :mod:`mixpot.control.pid`: generic PI controller with integrator clamp and conditional
  integration (rusEFI / mck1117 wideband firmware ``pid.cpp``);
* :mod:`mixpot.control.pump`: CJ125-like pump-current controller on the Nernst-voltage error;
* :mod:`mixpot.control.heater`: heater warm-up state machine and PI on the internal resistance.
"""

from mixpot.control.heater import (
    BATTERY_VOLTAGE_V,
    CONDENSATION_MAX_V,
    HEATER_RAMP_MAX_V_PER_S,
    HEATER_START_MAX_V,
    HEATER_TARGET_RI_OHM,
    HeaterOutput,
    HeaterParams,
    HeaterPhase,
    HeaterState,
    heater_init,
    heater_step,
    pwm_duty,
)
from mixpot.control.pid import PIParams, PIState, pi_init, pi_step
from mixpot.control.pump import (
    NERNST_TARGET_V,
    PUMP_CURRENT_LEAN_MAX_A,
    PUMP_CURRENT_RICH_MAX_A,
    PUMP_INTEGRATOR_CLAMP_A,
    PUMP_KI_A_PER_V_S,
    PUMP_KP_A_PER_V,
    PUMP_LOOP_HZ,
    PumpControllerParams,
    nernst_error,
    pump_init,
    pump_step,
)

__all__ = [
    "BATTERY_VOLTAGE_V",
    "CONDENSATION_MAX_V",
    "HEATER_RAMP_MAX_V_PER_S",
    "HEATER_START_MAX_V",
    "HEATER_TARGET_RI_OHM",
    "NERNST_TARGET_V",
    "PUMP_CURRENT_LEAN_MAX_A",
    "PUMP_CURRENT_RICH_MAX_A",
    "PUMP_INTEGRATOR_CLAMP_A",
    "PUMP_KI_A_PER_V_S",
    "PUMP_KP_A_PER_V",
    "PUMP_LOOP_HZ",
    "HeaterOutput",
    "HeaterParams",
    "HeaterPhase",
    "HeaterState",
    "PIParams",
    "PIState",
    "PumpControllerParams",
    "heater_init",
    "heater_step",
    "nernst_error",
    "pi_init",
    "pi_step",
    "pump_init",
    "pump_step",
    "pwm_duty",
]
