"""The radial grids of the built-in designs resolve the steady state to within a tenth of what
the signal chain resolves (discretisation error against a grid eight times finer, 900-1150 K,
0.5-2.5 bar, lean and rich)."""

import numpy as np
import pytest

import mixpot

ADC_LSB_V = 5.0 / 2**12  # 12-bit converter over 5 V (mixpot.electronics.quantize)
LSU_LAMBDA_BAND = (1.70, 0.05)  # lambda, +- (LSU 4.9 accuracy bands, public_data.toml)
LSU_LAMBDA_BAND_1 = (1.016, 0.007)


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
    # pump current: a tenth of the LSU 4.9 bands, relative at lambda 1.7 (I_p ~ 1 - 1/lambda,
    # so dI/I = d_lambda/(lambda (lambda - 1))) and absolute near lambda 1 (dI/d_lambda ~ I_air
    # there: a tenth of +-0.007 at 1.016 is 7e-4 I_air)
    (lam, band), (_, band_1) = LSU_LAMBDA_BAND, LSU_LAMBDA_BAND_1
    rel_current = 0.1 * band / (lam * (lam - 1.0))
    air = mixpot.steady_state(fine, {"O2": 0.2095 * 0.99, "H2O": 0.01})  # ambient, 1 % H2O
    abs_current = 0.1 * band_1 * abs(float(air.pump_current_A))
    for gas, t, p in _points(3):
        coarse, ref = mixpot.steady_state(design, gas, t, p), mixpot.steady_state(fine, gas, t, p)
        assert coarse.converged.all()
        assert ref.converged.all()
        np.testing.assert_allclose(
            coarse.measuring_voltage_V, ref.measuring_voltage_V, rtol=0, atol=0.1 * ADC_LSB_V
        )
        np.testing.assert_allclose(
            coarse.pump_current_A, ref.pump_current_A, rtol=rel_current, atol=abs_current
        )
