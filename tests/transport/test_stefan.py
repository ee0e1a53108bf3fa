"""Physics checks of the isobaric dusty-gas (Stefan-flow) flux through a stagnant background."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from mixpot.constants import GAS_CONSTANT
from mixpot.transport import (
    bosanquet_diffusion_coefficient,
    geometry_factor,
    stefan_flux,
    stefan_molar_flow,
)

T = 1053.15
P = 101325.0
C = P / (GAS_CONSTANT * T)  # total molar concentration [mol/m^3]
D_M = 1.8e-4
L = 1e-3
INF = math.inf


def test_molecular_limit_is_stefan_law():
    # D_K -> inf: N = c D_m / L * ln((1 - x_in)/(1 - x_out))
    for x_out, x_in in [(0.2095, 0.0), (0.5, 0.1), (0.9, 0.3)]:
        expected = C * D_M / L * math.log((1 - x_in) / (1 - x_out))
        assert stefan_flux(x_out, x_in, D_M, INF, T, P, L) == pytest.approx(expected, rel=1e-13)


def test_air_enhancement_over_fick():
    # Stefan flow raises the O2 flux in air above the linear (Fick) value by ln(1/(1-x))/x:
    # ln(1/0.7905)/0.2095 = 0.2350883 / 0.2095 = 1.12215 (1.1198 would be x = 0.206, humid air)
    ratio = stefan_flux(0.2095, 0.0, D_M, INF, T, P, L) / (C * D_M * 0.2095 / L)
    assert ratio == pytest.approx(1.12215, abs=1e-5)
    ratio_humid = stefan_flux(0.206, 0.0, D_M, INF, T, P, L) / (C * D_M * 0.206 / L)
    assert ratio_humid == pytest.approx(1.1198, abs=1e-4)


def test_small_fraction_gives_fick_with_bosanquet_coefficient():
    d_k = 0.7e-4
    x = 1e-7
    d_b = bosanquet_diffusion_coefficient(D_M, d_k)
    assert stefan_flux(x, 0.0, D_M, d_k, T, P, L) == pytest.approx(C * d_b * x / L, rel=1e-6)


def test_knudsen_limit_is_linear_fick_law():
    # D_K << D_m: N -> c D_K (x_out - x_in) / L, no Stefan enhancement at any x
    d_k = 1e-12
    for x_out, x_in in [(0.2095, 0.0), (0.9, 0.2)]:
        n = stefan_flux(x_out, x_in, D_M, d_k, T, P, L)
        assert n == pytest.approx(C * d_k * (x_out - x_in) / L, rel=1e-7)


def test_closed_form_solves_the_dusty_gas_equation():
    # integrate -c dx/dz = N [1/D_K + (1 - x)/D_m] from the outer face with the returned N:
    # the profile must arrive at x_in at z = L
    d_k, x_out, x_in = 0.9e-4, 0.6, 0.05
    n = stefan_flux(x_out, x_in, D_M, d_k, T, P, L)

    def rhs(_z, x):
        return -n * (1 / d_k + (1 - x) / D_M) / C

    sol = solve_ivp(rhs, (0.0, L), [x_out], rtol=1e-11, atol=1e-13)
    assert sol.y[0, -1] == pytest.approx(x_in, abs=1e-9)


def test_direction_and_antisymmetry():
    n = stefan_flux(0.3, 0.1, D_M, 1e-4, T, P, L)
    assert n > 0
    assert stefan_flux(0.1, 0.3, D_M, 1e-4, T, P, L) == pytest.approx(-n, rel=1e-14)
    assert stefan_flux(0.2, 0.2, D_M, 1e-4, T, P, L) == 0.0
    assert stefan_flux(1.0, 1.0, D_M, INF, T, P, L) == 0.0


def test_pure_species_without_knudsen_resistance_is_infinite():
    assert np.isinf(stefan_flux(1.0, 0.5, D_M, INF, T, P, L))
    assert np.isfinite(stefan_flux(1.0, 0.5, D_M, 1e-4, T, P, L))


def test_porosity_tortuosity_and_geometry_factor():
    free = stefan_flux(0.2095, 0.0, D_M, 1e-4, T, P, L)
    porous = stefan_flux(0.2095, 0.0, D_M, 1e-4, T, P, L, porosity=0.3, tortuosity=3.0)
    assert porous == pytest.approx(0.1 * free, rel=1e-14)
    area = 2e-7
    g = geometry_factor(area, L, 0.3, 3.0)
    flow = stefan_molar_flow(0.2095, 0.0, D_M, 1e-4, T, P, g)
    assert flow == pytest.approx(area * porous, rel=1e-14)


def test_vectorised_broadcast_and_nan():
    x_out = np.array([[0.05], [0.2095], [np.nan]])
    d_k = np.array([1e-5, 1e-4, INF])
    n = stefan_flux(x_out, 0.0, D_M, d_k, T, P, L)
    assert n.shape == (3, 3)
    assert np.isnan(n[2]).all()
    assert np.isfinite(n[:2]).all()
    # flux grows with D_K
    assert (np.diff(n[:2], axis=1) > 0).all()
    assert isinstance(stefan_flux(0.1, 0.0, D_M, 1e-4, T, P, L), np.float64)
    assert np.isnan(stefan_molar_flow(0.1, 0.0, D_M, 1e-4, np.nan, P, 1e-6))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x_outer": 1.1}, "x_outer"),
        ({"x_inner": -0.1}, "x_inner"),
        ({"molecular_m2_per_s": 0.0}, "molecular_m2_per_s"),
        ({"knudsen_m2_per_s": 0.0}, "knudsen_m2_per_s"),
        ({"temperature_K": -5.0}, "temperature_K"),
        ({"pressure_Pa": 0.0}, "pressure_Pa"),
        ({"length_m": 0.0}, "length_m"),
        ({"porosity": 0.0}, "porosity"),
        ({"porosity": 1.01}, "porosity"),
        ({"tortuosity": 0.99}, "tortuosity"),
    ],
)
def test_flux_errors(kwargs, match):
    args = {
        "x_outer": 0.2,
        "x_inner": 0.0,
        "molecular_m2_per_s": D_M,
        "knudsen_m2_per_s": 1e-4,
        "temperature_K": T,
        "pressure_Pa": P,
        "length_m": L,
        "porosity": 0.3,
        "tortuosity": 2.0,
    } | kwargs
    with pytest.raises(ValueError, match=match):
        stefan_flux(**args)


def test_molar_flow_rejects_bad_geometry_factor():
    with pytest.raises(ValueError, match="geometry_factor_m"):
        stefan_molar_flow(0.2, 0.0, D_M, 1e-4, T, P, 0.0)
