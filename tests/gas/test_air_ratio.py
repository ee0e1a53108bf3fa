import numpy as np
import pytest

from mixpot.gas import (
    combustion_exhaust,
    lambda_brettschneider,
    lambda_element_balance,
    lambda_from_o2_fraction,
    o2_fraction_at_lambda,
)

LAMBDAS = [0.7, 0.8, 0.9, 0.97, 1.0, 1.05, 1.3, 2.0, 5.0]


@pytest.mark.parametrize("h_to_c", [1.85, 2.0, 4.0])
def test_lambda_of_complete_combustion_exhaust_is_the_lambda_it_was_made_at(h_to_c):
    ex = combustion_exhaust(LAMBDAS, h_to_c=h_to_c)
    # Brettschneider assumes the same water-gas constant (3.5) the rich exhaust was made with
    np.testing.assert_allclose(lambda_brettschneider(ex, h_to_c=h_to_c), LAMBDAS, rtol=1e-12)
    np.testing.assert_allclose(lambda_element_balance(ex), LAMBDAS, rtol=1e-12)


def test_oxygenated_fuel():
    ex = combustion_exhaust([0.85, 1.4], h_to_c=2.0, o_to_c=0.5)  # ethanol-like C H2 O0.5
    np.testing.assert_allclose(lambda_brettschneider(ex, 2.0, 0.5), [0.85, 1.4], rtol=1e-12)
    np.testing.assert_allclose(lambda_element_balance(ex, 0.5), [0.85, 1.4], rtol=1e-12)


def test_lsu_datasheet_formula_for_o2_in_n2():
    # Bosch LSU 4.9: lambda = (x/3 + 1)/(1 - 4.77 x) for H/C = 2 (4.77 = 1/0.2095 rounded)
    x = np.array([0.0, 0.01, 0.0459, 0.10, 0.15])
    lsu = (x / 3 + 1) / (1 - 4.77 * x)
    np.testing.assert_allclose(lambda_from_o2_fraction(x, h_to_c=2.0), lsu, rtol=2e-3)
    assert lambda_from_o2_fraction(0.0459, h_to_c=2.0) == pytest.approx(1.30, abs=0.005)
    assert np.isinf(lambda_from_o2_fraction(0.2095))


def test_o2_fraction_round_trip_and_monotone():
    lam = np.array([1.0, 1.1, 1.3, 2.0, 10.0, np.inf])
    x = o2_fraction_at_lambda(lam)
    assert np.all(np.diff(x) > 0)
    assert x[0] == 0.0
    assert x[-1] == pytest.approx(0.2095)
    np.testing.assert_allclose(lambda_from_o2_fraction(x[:-1]), lam[:-1], rtol=1e-12)
    # and it equals the O2 of the complete-combustion exhaust
    np.testing.assert_allclose(combustion_exhaust(lam[:-1])["O2"], x[:-1], rtol=1e-12)


def test_no_fuel_means_infinite_lambda():
    assert np.isinf(lambda_brettschneider({"O2": 0.2095}))
    assert np.isnan(lambda_brettschneider({}))


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: o2_fraction_at_lambda(0.9), r"lambda = 0.9 is outside the allowed range \[1"),
        (lambda: lambda_from_o2_fraction(0.3), "O2 mole fraction = 0.3 is outside"),
        (lambda: combustion_exhaust(0.2), "lambda = 0.2 is outside"),
        (lambda: lambda_brettschneider({"O2": 0.1}, h_to_c=-1), "fuel_h_to_c = -1"),
        (lambda: lambda_element_balance({"O2": 0.1}, o_to_c=3), "fuel_o_to_c = 3"),
        (lambda: o2_fraction_at_lambda(float("nan")), "lambda contains NaN"),
    ],
)
def test_errors(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()
