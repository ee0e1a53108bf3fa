import tomllib

import xarray as xr
from typer.testing import CliRunner

from mixpot import designs
from mixpot.cli import app

runner = CliRunner()


def test_designs_lists_builtin_names():
    result = runner.invoke(app, ["designs"])
    assert result.exit_code == 0
    for name in ("patent-preferred", "unpumped-prior-art", "lsu49-like"):
        assert name in result.output


def test_design_show_prints_loadable_toml():
    result = runner.invoke(app, ["design", "show", "lsu49-like"])
    assert result.exit_code == 0
    data = tomllib.loads(result.output)
    assert data["operation"]["nernst_setpoint_V"] == 0.45
    assert runner.invoke(app, ["design", "show", "nope"]).exit_code != 0


def test_design_check_reports_claims_and_errors(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(designs.source_text("patent-preferred"))
    result = runner.invoke(app, ["design", "check", str(good)])
    assert result.exit_code == 0
    assert "valid" in result.output
    assert "0.5-20 wt% Au" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(designs.source_text("patent-preferred").replace("10.0", "-3.0", 1))
    result = runner.invoke(app, ["design", "check", str(bad)])
    assert result.exit_code == 1
    assert "gold_wt_percent" in result.output


def test_demo_writes_outputs_and_says_where(tmp_path):
    result = runner.invoke(app, ["demo", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    nc = tmp_path / "foundation" / "curves.nc"
    assert str(nc) in result.output.replace("\n", "")
    with xr.open_dataset(nc) as ds:
        # physics of the written curves: Nernst jump at lambda = 1, Stefan flow above Fick
        u = ds["nernst_voltage_V"]
        assert float(u.sel({"lambda": 0.9}, method="nearest")) > 0.6
        assert float(u.sel({"lambda": 1.1}, method="nearest")) < 0.1
        assert bool((ds["o2_limiting_current_A"] >= ds["o2_limiting_current_no_stefan_A"]).all())
        assert ds.attrs["design"] == "patent-preferred"
    assert (tmp_path / "foundation" / "curves.png").stat().st_size > 0
