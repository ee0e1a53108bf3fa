"""Transient closed-loop simulation of the sensor element (layer-3 orchestrator)."""

from mixpot.transient.simulate import open_circuit_potential, response_time, simulate

__all__ = ["open_circuit_potential", "response_time", "simulate"]
