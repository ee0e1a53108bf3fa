"""Physics checks of Knudsen diffusion, Bosanquet interpolation and barrier geometry factors."""

import math

import numpy as np
import pytest

from mixpot.gas import species
from mixpot.transport import (
    bosanquet_diffusion_coefficient,
    effective_diffusion_coefficient,
    geometry_factor,
    knudsen_diffusion_coefficient,
    ring_geometry_factor,
)

M_O2 = 2 * 15.999e-3  # kg/mol, IUPAC standard atomic weight of O


def test_knudsen_o2_value_by_hand():
    # O2 at 1000 K in 0.5 um pores:
    # mean speed = sqrt(8 R T / (pi M)) = sqrt(8 * 8.314462618 * 1000 / (pi * 0.031998))
    #            = sqrt(66515.70 / 0.1005247) = sqrt(661685.0) = 813.44 m/s
    # D_K = d/3 * speed = 0.5e-6 / 3 * 813.44 = 1.3557e-4 m^2/s (1.3557 cm^2/s)
    d_k = knudsen_diffusion_coefficient(0.5e-6, 1000.0, M_O2)
    assert d_k == pytest.approx(1.3557e-4, rel=1e-4)
    assert knudsen_diffusion_coefficient(
        0.5e-6, 1000.0, species.get("O2").molar_mass
    ) == pytest.approx(1.3557e-4, rel=2e-4)


def test_knudsen_scaling_laws():
    base = knudsen_diffusion_coefficient(1e-7, 900.0, M_O2)
    assert knudsen_diffusion_coefficient(2e-7, 900.0, M_O2) / base == pytest.approx(2.0)
    assert knudsen_diffusion_coefficient(1e-7, 3600.0, M_O2) / base == pytest.approx(2.0)
    # Graham's law: D_K ~ 1/sqrt(M)
    m_h2 = species.get("H2").molar_mass
    ratio = knudsen_diffusion_coefficient(1e-7, 900.0, m_h2) / base
    assert ratio == pytest.approx(math.sqrt(M_O2 / m_h2), rel=1e-12)


def test_knudsen_vectorised_and_nan():
    d = knudsen_diffusion_coefficient([[1e-7], [2e-7]], [800.0, 900.0, np.nan], M_O2)
    assert d.shape == (2, 3)
    assert np.isnan(d[:, 2]).all()
    assert isinstance(knudsen_diffusion_coefficient(1e-7, 900.0, M_O2), np.float64)
    assert np.isinf(knudsen_diffusion_coefficient(np.inf, 900.0, M_O2))


def test_bosanquet_limits():
    d_m = 1.8e-4
    assert bosanquet_diffusion_coefficient(d_m, np.inf) == pytest.approx(d_m, rel=1e-15)
    assert bosanquet_diffusion_coefficient(d_m, d_m) == pytest.approx(d_m / 2)
    # Knudsen-controlled: D_K << D_m gives D_K
    assert bosanquet_diffusion_coefficient(d_m, 1e-9) == pytest.approx(1e-9, rel=1e-5)
    # always below both
    d = bosanquet_diffusion_coefficient(d_m, [1e-5, 1e-4, 1e-3])
    assert (d < d_m).all()
    assert (d < [1e-5, 1e-4, 1e-3]).all()


def test_effective_coefficient_scales_with_porosity_over_tortuosity():
    free = bosanquet_diffusion_coefficient(1.8e-4, 1.0e-4)
    assert effective_diffusion_coefficient(1.8e-4, 1.0e-4, 1.0, 1.0) == pytest.approx(free)
    eff = effective_diffusion_coefficient(1.8e-4, 1.0e-4, 0.3, 2.5)
    assert eff == pytest.approx(0.3 / 2.5 * free, rel=1e-14)
    # the defining formula: 1/D_eff = (tau/eps)(1/D_m + 1/D_K)
    assert 1 / eff == pytest.approx(2.5 / 0.3 * (1 / 1.8e-4 + 1 / 1.0e-4), rel=1e-14)


def test_nan_propagates_through_bosanquet_and_effective():
    assert np.isnan(bosanquet_diffusion_coefficient(np.nan, 1e-4))
    assert np.isnan(effective_diffusion_coefficient(1e-4, 1e-4, np.nan, 2.0))


def test_geometry_factor_by_hand():
    # 0.4 mm x 0.05 mm cross-section, 0.5 mm long, eps 0.3, tau 3: 0.3*2e-8/(3*5e-4) = 4e-6 m
    assert geometry_factor(0.4e-3 * 0.05e-3, 0.5e-3, 0.3, 3.0) == pytest.approx(4e-6, rel=1e-12)
    assert geometry_factor(1e-6, 1e-3) == pytest.approx(1e-3)


def test_ring_geometry_factor_by_hand_and_thin_ring_limit():
    # 2 pi h / ln(r2/r1) with h = 20 um, r1 = 0.3 mm, r2 = 1.0 mm
    expected = 2 * math.pi * 20e-6 / math.log(1.0 / 0.3)
    assert ring_geometry_factor(0.3e-3, 1.0e-3, 20e-6) == pytest.approx(expected, rel=1e-12)
    assert ring_geometry_factor(0.3e-3, 1.0e-3, 20e-6, 0.25, 2.0) == pytest.approx(
        expected * 0.25 / 2.0, rel=1e-12
    )
    # thin ring: A = 2 pi r1 h, L = r2 - r1, slab value to first order in L/r1
    r1, width, h = 1.0e-3, 1.0e-6, 20e-6
    slab = geometry_factor(2 * math.pi * r1 * h, width)
    assert ring_geometry_factor(r1, r1 + width, h) == pytest.approx(slab, rel=1e-3)


def test_geometry_broadcast_and_nan():
    g = ring_geometry_factor(np.array([0.1e-3, 0.2e-3, np.nan]), 1.0e-3, [[10e-6], [20e-6]])
    assert g.shape == (2, 3)
    assert np.isnan(g[:, 2]).all()
    assert np.isnan(geometry_factor(np.nan, 1e-3))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"porosity": 0.0}, "porosity"),
        ({"porosity": 1.2}, "porosity"),
        ({"porosity": -0.1}, "porosity"),
        ({"tortuosity": 0.9}, "tortuosity"),
        ({"area_m2": 0.0}, "area_m2"),
        ({"length_m": -1e-3}, "length_m"),
    ],
)
def test_geometry_factor_errors(kwargs, match):
    args = {"area_m2": 1e-6, "length_m": 1e-3, "porosity": 0.3, "tortuosity": 2.0} | kwargs
    with pytest.raises(ValueError, match=match):
        geometry_factor(**args)


def test_ring_errors():
    with pytest.raises(ValueError, match="outer_radius_m / inner_radius_m"):
        ring_geometry_factor(1e-3, 1e-3, 1e-5)
    with pytest.raises(ValueError, match="outer_radius_m / inner_radius_m"):
        ring_geometry_factor(1e-3, 0.5e-3, 1e-5)
    with pytest.raises(ValueError, match="inner_radius_m"):
        ring_geometry_factor(0.0, 1e-3, 1e-5)
    with pytest.raises(ValueError, match="height_m"):
        ring_geometry_factor(0.1e-3, 1e-3, -1e-5)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0.0, 1000.0, M_O2), "pore_diameter_m"),
        ((1e-7, -1000.0, M_O2), "temperature_K"),
        ((1e-7, 1000.0, 0.0), "molar_mass_kg_per_mol"),
    ],
)
def test_knudsen_errors(args, match):
    with pytest.raises(ValueError, match=match):
        knudsen_diffusion_coefficient(*args)


def test_diffusion_coefficient_errors():
    with pytest.raises(ValueError, match="molecular_m2_per_s"):
        bosanquet_diffusion_coefficient(0.0, 1e-4)
    with pytest.raises(ValueError, match="knudsen_m2_per_s"):
        bosanquet_diffusion_coefficient(1e-4, -1e-4)
    with pytest.raises(ValueError, match=r"tortuosity = 0\.5"):
        effective_diffusion_coefficient(1e-4, 1e-4, 0.3, 0.5)
    with pytest.raises(ValueError, match="porosity"):
        effective_diffusion_coefficient(1e-4, 1e-4, 1.5, 2.0)
