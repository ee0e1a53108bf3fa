"""The radial grids of the built-in designs resolve the steady state to within the accuracy the
signal chain can see (discretisation error against a grid eight times finer)."""

import numpy as np
import pytest

import mixpot

ADC_LSB_V = 5.0 / 2**12  # 12-bit converter over 5 V (mixpot.electronics.quantize)
LSU_LAMBDA_BAND = (1.70, 0.05)  # lambda, +- (LSU 4.9 accuracy band, public_data.toml)


def _points(seed):
    rng = np.random.default_rng(seed)
    n = 12
    lean = {"O2": rng.uniform(0.005, 0.2, n), "H2O": 0.1, "CO2": 0.1}
    for s in ("CO", "C3H6", "H2"):
        lean[s] = rng.uniform(0.0, 2000e-6, n)
    rich = mixpot.gas.combustion_exhaust(rng.uniform(0.7, 0.98, n)).as_dict(nonzero=True)
    del rich["N2"]
    rich["C3H6"] = rng.uniform(0.0, 2000e-6, n)
    return [(lean, rng.uniform(900.0, 1150.0, n), rng.uniform(0.5e5, 2.5e5, n)),
            (rich, rng.uniform(900.0, 1150.0, n), rng.uniform(0.5e5, 2.5e5, n))]  # fmt: skip


@pytest.mark.parametrize("name", ["patent-preferred", "lsu49-like"])
def test_default_grid_is_converged(name):
    design = mixpot.designs.load(name)
    geo = design.geometry
    fine = mixpot.designs.load(
        name,
        {
            "geometry.radial_cells_barrier": 8 * geo.radial_cells_barrier,
            "geometry.radial_cells_chamber": 8 * geo.radial_cells_chamber,
        },
    )
    # a tenth of the band at lambda 1.7, in pump current: I_p ~ (1 - 1/lambda) (limiting
    # current of the O2 excess), so dI/I = d_lambda / (lambda (lambda - 1))
    lam, band = LSU_LAMBDA_BAND
    rel_current = 0.1 * band / (lam * (lam - 1.0))
    for gas, t, p in _points(3):
        coarse, ref = mixpot.steady_state(design, gas, t, p), mixpot.steady_state(fine, gas, t, p)
        assert coarse.converged.all()
        assert ref.converged.all()
        np.testing.assert_allclose(
            coarse.measuring_voltage_V, ref.measuring_voltage_V, rtol=0, atol=0.1 * ADC_LSB_V
        )
        big = np.abs(ref.pump_current_A) > 1e-4  # relative where the current is not ~0
        np.testing.assert_allclose(
            coarse.pump_current_A[big], ref.pump_current_A[big], rtol=rel_current
        )
