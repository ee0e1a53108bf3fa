import numpy as np
import pytest

from mixpot.gas import composition, element_totals


def test_n2_is_the_balance_and_arrays_broadcast():
    c = composition({"O2": [0.05, 0.10], "C3H6": 500e-6})
    np.testing.assert_allclose(c["N2"], [1 - 0.05 - 500e-6, 1 - 0.10 - 500e-6])
    np.testing.assert_allclose(c.mole_fractions.sum(axis=0), 1.0)
    assert c.shape == (2,)


def test_explicit_n2_must_close_the_sum():
    assert composition({"O2": 0.21, "N2": 0.79})["N2"] == pytest.approx(0.79)
    with pytest.raises(ValueError, match=r"sum to 0\.9"):
        composition({"O2": 0.1, "N2": 0.8})


@pytest.mark.parametrize(
    ("gas", "pattern"),
    [
        ({"XeF2": 0.1}, "unknown species 'XeF2'"),
        ({"O2": -0.01}, "mole fraction of O2 = -0.01 is outside"),
        ({"CO": float("nan")}, "mole fraction of CO is NaN"),
        ({"H2": float("inf")}, "mole fraction of H2 = inf"),
        ({"CO": [0.1, float("nan"), 0.2]}, "mole fraction of CO is NaN"),
        ({"O2": [[0.1, 1.5, -1.0]]}, "mole fraction of O2 = 1.5 is outside"),
        ({"O2": 0.6, "H2O": 0.5}, r"sum to 1.1 > 1 \(O2=0.6, H2O=0.5\)"),
        ({"O2": [0.1, 0.2], "CO": [0.1, 0.2, 0.3]}, "do not broadcast"),
    ],
)
def test_bad_compositions_name_species_and_value(gas, pattern):
    with pytest.raises(ValueError, match=pattern):
        composition(gas)


def test_element_totals_conserve_atoms():
    e = element_totals({"C3H6": 0.001, "NH3": 0.002, "NO": 0.003})
    assert e["C"] == pytest.approx(0.003)
    assert e["H"] == pytest.approx(0.006 + 0.006)
    assert e["O"] == pytest.approx(0.003)
    assert e["N"] == pytest.approx(0.002 + 0.003 + 2 * (1 - 0.006))
