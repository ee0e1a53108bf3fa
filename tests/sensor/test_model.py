"""The element equations' coefficients: updates equal a rebuild."""

import dataclasses

import numpy as np

import mixpot
from mixpot.gas import composition
from mixpot.sensor.model import build_model, with_exhaust


def test_with_exhaust_equals_a_rebuild_for_the_new_exhaust():
    d = mixpot.designs.load("patent-preferred")
    t, p, p_ref, x_set = [1050.0, 990.0], [1.2e5, 0.9e5], [21227.0, 21227.0], [0.046, 0.046]
    t, p, p_ref, x_set = (np.array(v) for v in (t, p, p_ref, x_set))
    fuels = ("CO", "H2", "C3H6")
    a = composition({"O2": 0.05, "H2O": 0.1, "CO2": 0.1, "CO": 1e-3, "H2": 3e-4, "C3H6": 5e-4})
    b = composition(
        {"O2": [0.12, 0.01], "H2O": 0.07, "CO2": 0.06, "CO": [2e-3, 0], "H2": 1e-4, "C3H6": 1e-4}
    )
    a = composition({s: np.broadcast_to(v, (2,)) for s, v in a.as_dict().items()})
    rebuilt = build_model(d, b, t, p, p_ref, x_set, fuels=fuels)
    updated = with_exhaust(build_model(d, a, t, p, p_ref, x_set, fuels=fuels), b)
    for f in dataclasses.fields(rebuilt):
        old, new = getattr(rebuilt, f.name), getattr(updated, f.name)
        if isinstance(old, np.ndarray):
            np.testing.assert_array_equal(new, old, err_msg=f.name)


def test_transport_coefficients_are_their_numpy_expressions():
    # the compiled face loop (in resistances) against the formulas written with NumPy
    from mixpot.gas.species import get
    from mixpot.sensor.grid import radial_grid
    from mixpot.sensor.model import GAP_SHERWOOD, _transport, molar_mixture_diffusion
    from mixpot.transport import knudsen_diffusion_coefficient

    rng = np.random.default_rng(7)
    n = 50
    gas = composition({"O2": rng.uniform(0.0, 0.2, n), "CO": 1e-3, "C3H6": 5e-4, "H2O": 0.1})
    x = np.broadcast_to(gas.mole_fractions, (gas.mole_fractions.shape[0], n))
    t, p = rng.uniform(700.0, 1300.0, n), rng.uniform(0.5e5, 3e5, n)
    tracked = ("O2", "CO", "C3H6")
    for name in ("patent-preferred", "lsu49-like"):
        grid = radial_grid(mixpot.designs.load(name).geometry)
        d_m = molar_mixture_diffusion(x, tracked, t, p)[:, :, None]
        masses = np.array([get(s).molar_mass for s in tracked])[:, None, None]
        d_k = knudsen_diffusion_coefficient(grid.pore_diameter, t[None, :, None], masses)
        d_eff = 1.0 / (1.0 / d_m + 1.0 / d_k)
        hl, hr = grid.half_left, grid.half_right
        g = np.concatenate(
            [
                hl[:1] * d_eff[..., :1],
                1.0 / (1.0 / (hr[:-1] * d_eff[..., :-1]) + 1.0 / (hl[1:] * d_eff[..., 1:])),
            ],
            -1,
        )
        g_m = np.concatenate(
            [hl[:1] * d_m, 1.0 / (1.0 / (hr[:-1] * d_m) + 1.0 / (hl[1:] * d_m))], -1
        )
        km = np.where(grid.electrode_area > 0.0, GAP_SHERWOOD * d_eff / grid.height, 0.0)
        for got, want in zip(_transport(grid, x, tracked, t, p), (g, g / g_m, km), strict=True):
            np.testing.assert_allclose(got, want, rtol=4e-15, atol=0.0)


def test_mixture_diffusion_is_wilkes_sum_over_all_species():
    # species absent everywhere and the j = k term drop out of the sum as exact zeros
    from mixpot.gas.species import SPECIES
    from mixpot.sensor.model import molar_mixture_diffusion
    from mixpot.transport import binary_diffusion_matrix

    rng = np.random.default_rng(8)
    n = 40
    x = composition({"O2": rng.uniform(0.0, 0.2, n), "CO": 1e-3, "H2O": 0.1}).mole_fractions
    t, p = rng.uniform(700.0, 1300.0, n), rng.uniform(0.5e5, 3e5, n)
    tracked = ("O2", "CO", "H2", "C3H6")  # H2 and C3H6 absent
    d = binary_diffusion_matrix(SPECIES, t, p)
    want = []
    for name in tracked:
        k = SPECIES.index(name)
        others = np.arange(len(SPECIES)) != k
        want.append((1.0 - x[k]) / np.sum(x[others] / d[k, others], axis=0))
    np.testing.assert_array_equal(molar_mixture_diffusion(x, tracked, t, p), np.array(want))
