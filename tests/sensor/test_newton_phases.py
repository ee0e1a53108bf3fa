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
    space = steady_kernel._workspace(x.shape[0], j1 - j0, j0)
    steps, residual, _ = steady_kernel._solve_point.py_func(
        x, n_tot, e, e_set, steady_kernel.OPEN_CIRCUIT, kernel.pack(model, 0).coeffs,
        steady_kernel.MAX_ITER, space, inflow, False,
    )  # fmt: skip
    assert steps > 0
    assert ("simplified", "full") in set(itertools.pairwise(phases))
    assert residual < steady_kernel.RESIDUAL_TOLERANCE
    np.testing.assert_allclose(e, [reference["e_ipe"][0], reference["e_me"][0]], atol=1e-9)


def _repeated(n, seed):
    """n random operating points, each twice in a row (3 fuels)."""
    rng = np.random.default_rng(seed)
    gas = {"O2": np.repeat(rng.uniform(0.005, 0.2, n), 2), "H2O": 0.1, "CO2": 0.1}
    gas |= {s: np.repeat(rng.uniform(0.0, 2000e-6, n), 2) for s in ("CO", "C3H6", "H2")}
    return (
        gas,
        np.repeat(rng.uniform(900.0, 1150.0, n), 2),
        np.repeat(rng.uniform(5e4, 2.5e5, n), 2),
    )


def test_a_repeated_point_converges_in_one_step_on_the_factorisation_before():
    """A point equal to the one solved just before starts at its solution, and its first step,
    a simplified step on that point's last factorisation, is already below the tolerance (a
    full step first, as without that reuse, makes two steps), in every control."""
    gas, t, p = _repeated(20, 5)
    for name, control in [
        ("patent-preferred", "open-circuit"),
        ("patent-preferred", "under-current"),
        ("lsu49-like", "measuring-electrode"),
    ]:
        design = mixpot.designs.load(name, {"operation.nernst_measurement": control})
        model = mixpot.steady_state(design, gas, t, p).profiles["model"]
        sol = steady_kernel.steady_element(
            model, np.full(t.size, -nernst_setpoint(design)), control
        )
        order = steady_kernel._similar_order(model)
        first = np.zeros(t.size // 2, bool)
        for q in order:  # each pair's second point in the solving order
            if first[q // 2]:
                assert sol["iterations"][q] == 1
            first[q // 2] = True
        for key in ("e_me", "pump_current"):
            np.testing.assert_allclose(sol[key][0::2], sol[key][1::2], rtol=1e-9, atol=1e-12)


def test_a_dropped_first_step_leaves_the_iteration_of_a_start_without_it(monkeypatch):
    """A first step on the previous point's factorisation above STALE_STEP is not applied: the
    point is solved exactly as without that first step (bitwise), one step later."""
    design = mixpot.designs.load("patent-preferred")
    gas, t, p = _repeated(2, 8)
    model = mixpot.steady_state(design, gas, t, p).profiles["model"]
    e_set = -nernst_setpoint(design)
    x0, e_ipe0, e_me0 = steady_kernel._initial_state(model, np.full(t.size, e_set), "open-circuit")
    j0, j1 = steady_kernel._reactive_span(model.grid.electrode_area)
    space = steady_kernel._workspace(x0.shape[0], j1 - j0, j0)
    inflow = np.empty(x0.shape[0])

    def solve(i, reuse, solve_point):
        x = np.ascontiguousarray(x0[:, i])
        n_tot, e = np.zeros(model.grid.n_cells), np.array([e_ipe0[i], e_me0[i]])
        coeffs = kernel.pack(model, i).coeffs
        steps, residual, ip = solve_point(
            x, n_tot, e, e_set, steady_kernel.OPEN_CIRCUIT, coeffs, steady_kernel.MAX_ITER,
            space, inflow, reuse,
        )  # fmt: skip
        return steps, residual, ip, x, n_tot, e

    monkeypatch.setattr(steady_kernel, "STALE_STEP", 0.0)  # every such step dropped
    solve(0, False, steady_kernel._solve_point)  # the factorisation of another point in space
    reused = solve(2, True, steady_kernel._solve_point.py_func)
    fresh = solve(2, False, steady_kernel._solve_point.py_func)
    assert reused[0] == fresh[0] + 1 > 1
    for a, b in zip(reused[1:], fresh[1:], strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_far_off_first_step_is_dropped_on_a_sweep_whose_rows_restart():
    """An 8 x 10 sweep of O2 x C3H6 in its own order: each row of C3H6 starts 2000 ppm away
    from the end of the row before, where a first step on that point's factorisation is far
    off (above STALE_STEP) and dropped. Applied (no such limit), it sent one point through 18
    steps; dropped, no point takes more than 8 (measured), asserted with a margin of 2."""
    design = mixpot.designs.load("patent-preferred")
    o2, c3h6 = np.meshgrid(np.linspace(0.02, 0.2, 8), np.linspace(0.0, 2e-3, 10), indexing="ij")
    gas = {"O2": o2.ravel(), "H2O": 0.1, "CO2": 0.1, "C3H6": c3h6.ravel()}
    model = mixpot.steady_state(design, gas).profiles["model"]
    e_set = np.full(o2.size, -nernst_setpoint(design))
    sol = steady_kernel.steady_element(model, e_set, "open-circuit")
    np.testing.assert_array_equal(steady_kernel._similar_order(model), np.arange(o2.size))
    assert sol["converged"].all()
    assert np.abs(sol["iterations"]).max() <= 10
