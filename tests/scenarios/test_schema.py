import numpy as np
import pandas as pd
import pytest

from mixpot.scenarios import (
    COLUMNS,
    DEFAULTS,
    SPECIES_COLUMNS,
    trace_composition,
    validate_trace,
)


def _trace(**columns):
    base = {"time_s": [0.0, 1.0, 2.0], "O2": [0.05, 0.05, 0.05]}
    base.update(columns)
    return pd.DataFrame(base)


def test_defaults_filled_and_normalised():
    raw = pd.DataFrame({"O2": [0.05, 0.06], "time_s": [0, 1]}, index=[7, 3])
    t = validate_trace(raw)
    assert list(t.columns) == list(COLUMNS)
    assert (t.dtypes == np.float64).all()
    assert list(t.index) == [0, 1]
    for name, value in DEFAULTS.items():
        assert (t[name] == value).all()
    assert DEFAULTS["gas_temperature_K"] == 573.15
    assert DEFAULTS["pressure_Pa"] == 101325.0
    assert DEFAULTS["gas_velocity_m_s"] == 10.0
    assert (t[[n for n in SPECIES_COLUMNS if n != "O2"]] == 0.0).all().all()
    assert t["O2"].tolist() == [0.05, 0.06]
    # the input is not modified
    assert list(raw.columns) == ["O2", "time_s"]


def test_given_state_columns_are_kept():
    t = validate_trace(_trace(gas_temperature_K=[700.0, 710.0, 720.0]))
    assert t["gas_temperature_K"].tolist() == [700.0, 710.0, 720.0]


def test_single_row_is_valid():
    assert len(validate_trace(pd.DataFrame({"time_s": [0.0]}))) == 1


@pytest.mark.parametrize(
    ("frame", "pattern"),
    [
        (pd.DataFrame({"O2": [0.1]}), r"no 'time_s' column.*columns given: O2"),
        (
            _trace(XeF2=[0.0, 0.0, 0.0]),
            r"unknown column\(s\) in exhaust trace: XeF2; allowed columns: time_s, O2, H2O",
        ),
        (_trace(N2=[0.95, 0.95, 0.95]), r"unknown column.*N2 is the balance"),
        (_trace(O2=[0.05, np.nan, 0.05]), r"column 'O2' .* nan at row 1 \(time_s = 1 s\)"),
        (_trace(CO=[0.0, 0.0, np.inf]), r"column 'CO' .* inf at row 2 \(time_s = 2 s\)"),
        (_trace(time_s=[0.0, np.nan, 2.0]), r"column 'time_s' .* nan at row 1"),
        (_trace(C3H6=[0.0, -1e-6, 0.0]), r"column 'C3H6' .* -1e-06 \[mol/mol\] at row 1"),
        (_trace(pressure_Pa=[1e5, 1e5, 0.0]), r"column 'pressure_Pa' .* 0 \[Pa\] at row 2.*> 0"),
        (
            _trace(H2O=[0.5, 0.5, 0.5], CO2=[0.1, 0.1, 0.46]),
            r"sum to 1.01 > 1 at row 2 \(time_s = 2 s\) \(O2=0.05, H2O=0.5, CO2=0.46\)",
        ),
        (_trace(time_s=[0.0, 1.0, 1.0]), r"'time_s' .* repeats at row 2: 1 s after 1 s"),
        (_trace(time_s=[0.0, 2.0, 1.0]), r"'time_s' .* decreases at row 2: 1 s after 2 s"),
        (pd.DataFrame({"time_s": [], "O2": []}), "exhaust trace is empty"),
        (_trace(O2=["a", "b", "c"]), "column 'O2' of exhaust trace is not numeric"),
    ],
)
def test_errors_name_column_row_and_value(frame, pattern):
    with pytest.raises(ValueError, match=pattern):
        validate_trace(frame)


def test_duplicate_columns_and_wrong_type():
    frame = pd.DataFrame([[0.0, 0.1, 0.1]], columns=["time_s", "O2", "O2"])
    with pytest.raises(ValueError, match="duplicate columns: O2"):
        validate_trace(frame)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        validate_trace({"time_s": [0.0]})


def test_nothing_clipped_at_the_sum_limit():
    t = validate_trace(_trace(O2=[0.2095, 0.2095, 1.0]))
    assert t["O2"].tolist() == [0.2095, 0.2095, 1.0]


def test_trace_composition_has_n2_balance():
    c = trace_composition(_trace(CO2=[0.1, 0.12, 0.14]))
    assert c.shape == (3,)
    np.testing.assert_allclose(c["N2"], [0.85, 0.83, 0.81])
