"""Checks of the Pt-Au material model, O2/fuel kinetics parameters and double layer."""

import math

import numpy as np
import pytest

from mixpot.electrode import (
    FUEL_OXIDATION_KINETICS,
    FuelOxidationKinetics,
    O2ExchangeKinetics,
    PtAuModel,
    catalytic_activity,
    double_layer_capacitance,
    fuel_oxidation_rate_constant,
    gold_atomic_fraction,
    o2_exchange_activity,
    o2_exchange_current_density,
    oxidation_activity,
    surface_gold_fraction,
)
from mixpot.gas.species import OXIDIZABLE

W = np.array([0.0, 0.05, 0.1, 0.3, 0.5, 0.8, 1.0, 3.0, 10.0, 20.0, 50.0, 100.0])


def test_atomic_fraction_independent():
    # IUPAC atomic weights
    m_au, m_pt = 196.966570, 195.084
    w = 10.0
    expected = (w / m_au) / (w / m_au + (100 - w) / m_pt)
    assert float(gold_atomic_fraction(w)) == pytest.approx(expected, rel=1e-12)
    assert float(gold_atomic_fraction(0.0)) == 0.0
    assert float(gold_atomic_fraction(100.0)) == 1.0
    # nearly equal molar masses: atomic and weight fractions almost equal
    assert float(gold_atomic_fraction(50.0)) == pytest.approx(0.5, abs=0.003)


def test_segregation_enriches_surface_and_reduces_to_bulk_without_driving_force():
    x = gold_atomic_fraction(W)
    theta = surface_gold_fraction(W)
    assert np.all(theta >= x)
    assert theta[0] == 0.0
    assert theta[-1] == 1.0
    np.testing.assert_allclose(
        surface_gold_fraction(W, PtAuModel(segregation_energy=0.0)), x, rtol=1e-12
    )
    # Langmuir-McLean: theta/(1-theta) = x/(1-x) exp(-dG/RT)
    m = PtAuModel()
    i = 4
    lhs = theta[i] / (1 - theta[i])
    rhs = (
        x[i]
        / (1 - x[i])
        * math.exp(-m.segregation_energy / (8.314462618 * m.segregation_temperature))
    )
    assert lhs == pytest.approx(rhs, rel=1e-12)


@pytest.mark.parametrize("func", [catalytic_activity, o2_exchange_activity])
def test_pure_pt_is_one_and_activity_decreases(func):
    a = func(W)
    assert a[0] == 1.0
    assert np.all(np.diff(a) <= 0.0)
    assert np.all(a > 0.0)


def test_oxidation_activity_bounds():
    for sp in OXIDIZABLE:
        a = oxidation_activity(W, sp)
        assert a[0] == 1.0
        assert np.all(np.diff(a) <= 0.0)
        assert np.all((a > 0.0) & (a <= 1.0))


def test_patent_ordering_of_catalytic_activity():
    """Patent claims: 0.1-3 wt% Au makes Pt not fully catalytic, 10 wt% is far less so."""
    w = [0.1, 0.3, 0.5, 3.0, 10.0]
    a = dict(zip(w, catalytic_activity(w), strict=True))
    assert a[0.1] < 0.9  # already not fully catalytic
    # the preferred pump electrode burns orders of magnitude less than Pt (the chamber's
    # diffusion supply needs < ~1e-5 of Pt's propene burning, material module docstring)
    assert a[0.5] < 1e-4
    assert a[0.1] > a[0.3] > a[0.5] > a[3.0] >= a[10.0]
    # a 10 wt% surface is essentially gold-like (within a factor 2 of the gold residual)
    assert a[10.0] < 2.0 * PtAuModel().gold_catalytic_activity


def test_pump_electrode_keeps_o2_exchange_while_catalysis_drops():
    """Preferred pump electrode 0.3-0.8 wt%: O2 pumping stays, burning of analyte falls."""
    w = np.array([0.3, 0.5, 0.8])
    a_o2 = o2_exchange_activity(w)
    a_cat = catalytic_activity(w)
    assert np.all(a_o2 > 0.05)  # still an O2 electrode (i0 of several A/m^2)
    assert np.all(a_o2 / a_cat > 100.0)  # selectively so


def test_gold_lowers_o2_reduction_activity():
    # Zhang et al. 2017: Au and Pt-Au far less O2-reduction activity than Pt
    assert float(o2_exchange_activity(10.0)) < 0.1
    assert float(o2_exchange_activity(100.0)) == pytest.approx(PtAuModel().gold_o2_activity)


def test_gold_content_validation():
    for bad in (-0.1, 100.5):
        with pytest.raises(ValueError, match="gold_wt_percent"):
            catalytic_activity(bad)
    out = catalytic_activity(np.array([0.0, np.nan]))
    assert out[0] == 1.0
    assert np.isnan(out[1])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"segregation_temperature": 0.0}, "segregation_temperature"),
        ({"catalytic_ensemble_size": -1.0}, "catalytic_ensemble_size"),
        ({"gold_catalytic_activity": 1.5}, "gold_catalytic_activity"),
        ({"gold_o2_activity": -0.1}, "gold_o2_activity"),
        ({"segregation_energy": -1e7}, "segregation_energy"),
        ({"gold_oxidation_activity": {"CO": 2.0}}, "gold_oxidation_activity"),
    ],
)
def test_model_validation(kwargs, field):
    with pytest.raises(ValueError, match=field):
        PtAuModel(**kwargs)


def test_unknown_species():
    with pytest.raises(ValueError, match="XYZ"):
        oxidation_activity(1.0, "XYZ")
    with pytest.raises(ValueError, match="N2"):
        fuel_oxidation_rate_constant("N2", 1.0, 900.0)


def test_o2_exchange_current():
    kin = O2ExchangeKinetics()
    assert float(
        o2_exchange_current_density(kin.reference_temperature, kin.reference_pressure)
    ) == (pytest.approx(kin.i0_ref))
    # pO2 order 1/4: 16x pressure -> 2x current
    r = o2_exchange_current_density(973.15, np.array([1000.0, 16000.0]))
    assert r[1] / r[0] == pytest.approx(2.0, rel=1e-12)
    # activation energy 1.6 eV (Opitz et al. 2011)
    kb_ev = 8.617333262e-5
    r = o2_exchange_current_density(np.array([823.15, 973.15]), 21000.0)
    assert math.log(r[1] / r[0]) == pytest.approx(1.6 / kb_ev * (1 / 823.15 - 1 / 973.15), rel=1e-8)
    # polarisation resistance of pure Pt at 700 C in air within 1-10 Ohm cm^2
    f = 96485.33212 / (8.314462618 * 973.15)
    rp_ohm_cm2 = 1.0 / (kin.i0_ref * (kin.alpha_a + kin.alpha_c) * f) * 1e4
    assert 1.0 <= rp_ohm_cm2 <= 10.0
    # gold content scales it by a_O2
    assert float(
        o2_exchange_current_density(973.15, 21000.0, 10.0)
        / o2_exchange_current_density(973.15, 21000.0)
    ) == (pytest.approx(float(o2_exchange_activity(10.0))))
    with pytest.raises(ValueError, match="p_o2_Pa"):
        o2_exchange_current_density(973.15, -1.0)
    with pytest.raises(ValueError, match="i0_ref"):
        O2ExchangeKinetics(i0_ref=-1.0)
    # the element model's closed form needs orders 0 and 1/2 in pO2 (numpy.isclose tolerance)
    O2ExchangeKinetics(pressure_order=0.125, alpha_a=0.5, alpha_c=1.5)
    O2ExchangeKinetics(pressure_order=0.25 + 5e-9, alpha_a=1.0, alpha_c=1.0)
    for kwargs in ({"pressure_order": 0.5}, {"alpha_c": 1.1}, {"alpha_a": 1.0 + 1e-6}):
        with pytest.raises(ValueError, match="pressure_order = alpha_a/4"):
            O2ExchangeKinetics(**kwargs)


def test_fuel_rate_constants_order_and_ranking():
    # first order in partial pressure
    k = fuel_oxidation_rate_constant("CO", np.array([10.0, 100.0]), 973.15)
    assert k[1] / k[0] == pytest.approx(10.0, rel=1e-12)
    # Mukundan et al. (2000): H2 > CO ~ C3H6 > C3H8 > CH4 (~0) at equal concentration
    kk = {sp: float(fuel_oxidation_rate_constant(sp, 50.0, 973.15)) for sp in OXIDIZABLE}
    assert kk["H2"] > kk["CO"] > kk["C3H8"] > kk["CH4"]
    assert kk["C3H6"] == pytest.approx(kk["CO"], rel=0.5)
    assert kk["CH4"] < 1e-3 * kk["C3H6"]
    assert set(FUEL_OXIDATION_KINETICS) == set(OXIDIZABLE)
    with pytest.raises(ValueError, match="order"):
        FuelOxidationKinetics(k_ref=1.0, order=-1.0)
    with pytest.raises(ValueError, match="partial_pressure_Pa"):
        fuel_oxidation_rate_constant("CO", -1.0, 973.15)


def test_double_layer_capacitance():
    # Robertson & Michaels (1991): 0.2 uF/cm^2 at 555 C, 1.3 uF/cm^2 at 695 C
    c = double_layer_capacitance(np.array([555.0, 695.0]) + 273.15)
    np.testing.assert_allclose(c, [2.0e-3, 1.3e-2], rtol=1e-12)
    # log-linear: the midpoint is the geometric mean
    mid = float(double_layer_capacitance(625.0 + 273.15))
    assert mid == pytest.approx(math.sqrt(2.0e-3 * 1.3e-2), rel=1e-12)
    assert np.all(np.diff(double_layer_capacitance(np.linspace(700, 1200, 11))) > 0)
    with pytest.raises(ValueError, match="temperature_K"):
        double_layer_capacitance(0.0)
