"""The compiled steady-state Newton solves the same equations as the block solver."""

import numpy as np
import pytest

import mixpot
from mixpot.sensor import kernel, steady_kernel
from mixpot.sensor.solver import solve_element
from mixpot.steady import nernst_setpoint

GASES = [
    {"O2": 0.05, "H2O": 0.1, "CO2": 0.1, "CO": 5e-4, "C3H6": 5e-4, "H2": 5e-4},
    {"O2": 1e-3, "H2O": 0.1, "CO2": 0.1, "CO": 2e-2, "C3H6": 5e-4, "H2": 1e-2},
]


def _grid(n, seed):
    """Random lean and rich operating points (as the no-false-convergence test builds them)."""
    rng = np.random.default_rng(seed)
    gas = mixpot.gas.combustion_exhaust(rng.uniform(0.8, 1.6, n)).as_dict(nonzero=True)
    del gas["N2"]  # N2 is the balance
    gas["C3H6"] = rng.uniform(0.0, 1000e-6, n)
    return gas, rng.uniform(850.0, 1200.0, n), rng.uniform(0.5e5, 3e5, n)


@pytest.mark.parametrize("gas", GASES)
def test_pack_points_rows_are_the_kernels_pack(gas):
    r = mixpot.steady_state(mixpot.designs.load("patent-preferred"), {**gas, "O2": [0.02, 0.1]})
    model = r.profiles["model"]
    batch = steady_kernel.pack_points(model)
    for p in range(2):
        pm = kernel.pack(model, p)
        one = (*pm.species, *pm.cells, pm.exhaust, pm.fuel, pm.scalars)
        for b, a in zip(batch, one, strict=True):
            row = b if b.ndim == 1 and b.shape == a.shape else b[p]
            np.testing.assert_allclose(row, a, rtol=1e-14)


@pytest.mark.parametrize("gas", GASES)
@pytest.mark.parametrize("which", [0, 1])
def test_cell_slopes_equal_finite_differences(gas, which):
    r = mixpot.steady_state(mixpot.designs.load("lsu49-like"), gas)
    coeffs = kernel.pack(r.profiles["model"]).coeffs
    x = r.profiles["x"][:, 0] * 1.3
    n_sp = x.shape[0]
    terms, base, pert = np.empty((4, n_sp - 1)), np.empty(n_sp + 1), np.empty(n_sp + 1)
    jac = np.empty((n_sp + 2, n_sp + 1))
    j = int(np.flatnonzero(r.profiles["grid"].electrode_area)[2])
    for e in (-0.3, 0.02):
        steady_kernel._half_cell_slopes(e, x, j, which, coeffs, jac)
        i0 = steady_kernel._half_cell(e, x, j, which, coeffs, terms, base)
        fd = np.empty_like(jac)
        for v in range(n_sp + 1):
            xp, ep = x.copy(), e
            h = 1e-6 * (max(x[v, j], 1e-9) if v < n_sp else 1.0)
            if v < n_sp:
                xp[v, j] += h
            else:
                ep += h
            i1 = steady_kernel._half_cell(ep, xp, j, which, coeffs, terms, pert)
            fd[:-1, v], fd[-1, v] = (pert - base) / h, (i1 - i0) / h
        scale = np.abs(fd).max(axis=1, keepdims=True) + 1e-300
        np.testing.assert_array_less(np.abs(jac - fd) / scale, 1e-4)


@pytest.mark.parametrize("name", ["patent-preferred", "lsu49-like"])
def test_compiled_equals_block_solver_in_lean_and_rich_exhaust(name):
    design = mixpot.designs.load(name)
    gas, t, p = _grid(300, 7)
    r = mixpot.steady_state(design, gas, t, p)
    model, n = r.profiles["model"], t.size
    e_set = np.full(n, -nernst_setpoint(design))
    control = design.operation.nernst_measurement
    fast = steady_kernel.steady_element(model, e_set, control)
    block = solve_element(model, e_set, control)
    assert fast["converged"].mean() >= 0.99
    both = fast["converged"] & block["converged"]
    assert both.mean() >= 0.98
    np.testing.assert_allclose(fast["e_me"][both], block["e_me"][both], rtol=0, atol=1e-6)
    np.testing.assert_allclose(
        fast["pump_current"][both], block["pump_current"][both], rtol=1e-6, atol=0
    )
    # not converged means it says why, and never a silent number
    assert np.all(fast["converged"] | (fast["reason"] != ""))
    assert np.all((fast["iterations"] > 0) | ~fast["converged"])


def test_points_the_newton_cannot_converge_are_reported():
    design = mixpot.designs.load("patent-preferred")
    gas, t, p = _grid(20, 3)
    model = mixpot.steady_state(design, gas, t, p).profiles["model"]
    e_set = np.full(t.size, -nernst_setpoint(design))
    sol = steady_kernel.steady_element(model, e_set, "open-circuit", max_iter=2)
    assert not sol["converged"].any()
    assert np.all(sol["reason"] == "not converged in 2 iterations")
    with pytest.raises(ValueError, match="charge"):
        steady_kernel.steady_element(model, e_set, "charge")
