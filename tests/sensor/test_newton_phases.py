"""The compiled Newton's phases: full steps, simplified steps, and the hand-back between them."""

import itertools

import numpy as np

import mixpot
from mixpot.sensor import kernel, steady_kernel
from mixpot.steady import nernst_setpoint


def test_slowly_contracting_simplified_steps_hand_back_to_full_steps(monkeypatch):
    """Simplified steps that contract by less than CONTRACTION give way to full Newton steps.

    The iteration runs uncompiled (``py_func``) around the compiled parts, simplified steps
    begin after any full update below 0.5 (not LOCAL_STEP), and every simplified step is
    halved: those steps then contract by about 0.5 per step, so the iteration must hand back
    to full steps, and still reach the solution of the untouched solver.
    """
    design = mixpot.designs.load("patent-preferred")
    gas = {"O2": 0.05, "H2O": 0.1, "CO2": 0.1, "C3H6": 5e-4}
    model = mixpot.steady_state(design, gas).profiles["model"]
    e_set = -nernst_setpoint(design)
    reference = steady_kernel.steady_element(model, np.full(1, e_set), "open-circuit")

    phases = []
    newton, chord = steady_kernel._newton_step, steady_kernel._chord_step

    def full(*args):
        phases.append("full")
        return newton(*args)

    def halved(*args):
        phases.append("simplified")
        solved = chord(*args)
        step, d_e = args[-2], args[-1]
        step *= 0.5
        d_e *= 0.5
        return solved

    monkeypatch.setattr(steady_kernel, "_newton_step", full)
    monkeypatch.setattr(steady_kernel, "_chord_step", halved)
    monkeypatch.setattr(steady_kernel, "LOCAL_STEP", 0.5)  # simplified steps from far out
    x, _, _ = steady_kernel._initial_state(model, np.full(1, e_set), "open-circuit")
    x = np.ascontiguousarray(x[:, 0])
    n_tot = np.zeros(model.grid.n_cells)
    e = np.array([reference["e_ipe"][0] - 0.02, reference["e_me"][0] + 0.02])
    inflow = np.empty(x.shape[0])
    j0, j1 = steady_kernel._reactive_span(model.grid.electrode_area)
    space = steady_kernel._workspace(x.shape[0], j1 - j0)
    steps, residual, _ = steady_kernel._solve_point.py_func(
        x, n_tot, e, e_set, steady_kernel.OPEN_CIRCUIT, kernel.pack(model, 0).coeffs,
        steady_kernel.MAX_ITER, space, inflow,
    )  # fmt: skip
    assert steps > 0
    assert ("simplified", "full") in set(itertools.pairwise(phases))
    assert residual < steady_kernel.RESIDUAL_TOLERANCE
    np.testing.assert_allclose(e, [reference["e_ipe"][0], reference["e_me"][0]], atol=1e-9)
