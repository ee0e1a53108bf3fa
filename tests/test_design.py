import tomllib
import warnings

import pytest
from pydantic import ValidationError

from mixpot import designs
from mixpot.design import ClaimWarning, Design, check_claims


def test_builtin_names():
    assert {"patent-preferred", "unpumped-prior-art", "lsu49-like"} <= set(designs.names())


@pytest.mark.parametrize("name", designs.names())
def test_builtin_designs_load_without_claim_warnings_and_round_trip(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ClaimWarning)
        d = designs.load(name)
    assert d.name == name
    assert Design.model_validate(tomllib.loads(designs.to_toml(d))) == d


def test_patent_preferred_satisfies_all_claims():
    d = designs.load("patent-preferred")
    assert d.measuring_electrode.gold_wt_percent == 10.0
    assert d.inner_pump_electrode.gold_wt_percent == 0.5
    assert d.operation.chamber_lambda_setpoint == 1.3
    assert all(c.satisfied for c in check_claims(d))


def test_overrides_and_claim_warning_names_the_claim():
    with pytest.warns(ClaimWarning, match=r"claim 6 .*30 wt% Au"):
        d = designs.load("patent-preferred", {"measuring_electrode.gold_wt_percent": 30.0})
    assert d.measuring_electrode.gold_wt_percent == 30.0
    with pytest.warns(ClaimWarning, match="claim 3"):
        designs.load("patent-preferred", {"operation.chamber_lambda_setpoint": 1.1})
    with pytest.warns(ClaimWarning, match="claim 8"):
        designs.load("patent-preferred", {"inner_pump_electrode.gold_wt_percent": 5.0})


@pytest.mark.parametrize(
    ("key", "value", "pattern"),
    [
        ("geometry.barrier_porosity", 1.5, r"barrier_porosity = 1.5 is outside the allowed"),
        ("measuring_electrode.gold_wt_percent", -1.0, "gold_wt_percent"),
        ("operation.temperature_K", 200.0, "temperature_K"),
        ("geometry.barrier_outer_radius_m", 0.1e-3, "barrier_outer_radius_m = 0.0001 m must be"),
        ("geometry.chamber_heigth_m", 1e-5, "chamber_heigth_m\n.*Extra inputs"),
    ],
)
def test_impossible_designs_are_rejected_with_field_and_value(key, value, pattern):
    with pytest.raises(ValidationError, match=pattern):
        designs.load("patent-preferred", {key: value})


def test_unknown_design_and_file_errors(tmp_path):
    with pytest.raises(ValueError, match="built-in designs: lsu49-like"):
        designs.load("no-such-design")
    f = tmp_path / "mine.toml"
    f.write_text(designs.source_text("patent-preferred").replace("10.0", "12.0", 1))
    assert designs.load(f).measuring_electrode.gold_wt_percent == 12.0


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "measuring_electrode.gold_wt_percent",
            150,
            "measuring_electrode.gold_wt_percent = 150 is outside the allowed range "
            "0 <= value <= 100",
        ),
        (
            "geometry.barrier_porosity",
            0.0,
            "geometry.barrier_porosity = 0.0 is outside the allowed range 0 < value <= 1",
        ),
        (
            "operation.nernst_setpoint_V",
            -1.0,
            "operation.nernst_setpoint_V = -1.0 is outside the allowed range 0 <= value <= 1.2",
        ),
        (
            "operation.temperature_K",
            float("nan"),
            "operation.temperature_K = nan is not a finite number "
            "(allowed range 600 <= value <= 1400)",
        ),
        (
            "geometry.chamber_height_m",
            float("inf"),
            "geometry.chamber_height_m = inf is not a finite number "
            "(allowed range 0 < value < 0.1)",
        ),
    ],
)
def test_range_errors_name_field_value_and_whole_allowed_range(key, value, message):
    with pytest.raises(ValidationError) as info:
        designs.load("patent-preferred", {key: value})
    (error,) = info.value.errors()
    assert error["msg"] == message
    assert error["loc"] == tuple(key.split("."))
    assert error["input"] is value  # the offending value itself, not a copy or a bound
    assert message in str(info.value)


def test_other_validation_errors_are_kept_as_pydantic_words_them():
    overrides = {"operation.reference": "vacuum", "geometry.radial_cells_barrier": 2.5}
    with pytest.raises(ValidationError) as info:
        designs.load("patent-preferred", overrides)
    data = tomllib.loads(designs.source_text("patent-preferred"))
    data["operation"]["reference"] = "vacuum"
    data["geometry"] = {**data.get("geometry", {}), "radial_cells_barrier": 2.5}
    with pytest.raises(ValidationError) as direct:
        Design.model_validate(data)
    assert info.value.errors() == direct.value.errors()


def test_unpumped_design_claims_name_the_missing_pump_cell_as_the_reason():
    with pytest.warns(ClaimWarning) as record:
        d = designs.load("patent-preferred", {"pumped": False})
    unsatisfied = [c for c in check_claims(d) if not c.satisfied]
    assert {c.number for c in unsatisfied} == {"1-2", "3", "7", "8"}  # the pump-cell claims
    for claim in unsatisfied:
        assert claim.detail.startswith("no pump cell")
    assert len(record) == len(unsatisfied)
    assert all(": no pump cell" in str(w.message) for w in record)
