"""Input checks: the fast path for valid input and the error messages for invalid input."""

import numpy as np
import pytest

from mixpot._validation import check_range


@pytest.mark.parametrize("value", [5.0, [5.0], [[1.0, 10.0]], np.linspace(1.0, 10.0, 7), []])
def test_valid_input_passes_as_float_array(value):
    out = check_range(value, "x", low=1.0, high=10.0)
    np.testing.assert_array_equal(out, np.asarray(value, dtype=float))
    assert out.dtype == np.float64


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ([2.0, 0.5, 11.0], {}, r"x = 0.5 K is outside the allowed range \[1, 10\] K"),
        ([[11.0]], {}, r"x = 11 K is outside"),
        ([1.0, 2.0], {"low_inclusive": False}, r"x = 1 K is outside the allowed range \(1, 10\]"),
        ([2.0, 10.0], {"high_inclusive": False}, r"x = 10 K is outside .*\[1, 10\)"),
        ([2.0, np.nan], {}, "x contains NaN"),
        ([np.nan], {}, "x contains NaN"),
        ([np.nan, 0.0], {"allow_nan": True}, r"x = 0 K is outside"),
    ],
)
def test_invalid_input_names_field_value_and_range(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_range(value, "x", low=1.0, high=10.0, unit="K", **kwargs)


def test_nan_passes_where_allowed():
    out = check_range([np.nan, 2.0], "x", low=1.0, allow_nan=True)
    assert np.isnan(out[0])
    assert np.isnan(check_range([[np.nan]], "x", low=1.0, allow_nan=True)).all()
    assert check_range(np.inf, "x", low=0.0) == np.inf
