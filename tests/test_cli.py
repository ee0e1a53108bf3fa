import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import xarray as xr
from typer.testing import CliRunner

import mixpot
from mixpot import designs
from mixpot.cli import app

runner = CliRunner()


def _text(result) -> str:
    """The command's output (stdout and stderr) without Rich's box drawing and line wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


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


def test_design_check_prints_the_error_text_literally(tmp_path):
    # pydantic's "[type=..., input_value=...]" and a path with brackets are not Rich markup
    bad = tmp_path / "[bold]bad.toml"
    bad.write_text("[measuring_electrode]\ngold_wt_percent = 150\n")
    result = runner.invoke(app, ["design", "check", str(bad)])
    assert result.exit_code == 1
    assert "input_value=150" in result.stderr
    assert "gold_wt_percent = 150 is outside the allowed range 0 <= value <= 100" in result.stderr
    assert "[bold]bad.toml" in result.stderr
    assert "Traceback" not in result.output


def test_design_check_of_an_unreadable_file_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.toml"
    path.write_text(designs.source_text("patent-preferred"))

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "read_text", refuse)  # as root, chmod would not stop the read
    result = runner.invoke(app, ["design", "check", str(path)])
    assert result.exit_code == 1
    assert "Permission denied" in result.stderr
    assert "Traceback" not in result.output


def test_study_output_that_is_a_file_is_a_clear_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("")
    result = runner.invoke(app, ["study", "claims", "--output", str(afile)])
    assert result.exit_code == 2
    assert "is a file" in _text(result)


def test_demo_writes_outputs_and_says_where(tmp_path):
    result = runner.invoke(app, ["demo", "--output-dir", str(tmp_path), "--drive-cycle-s", "15"])
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
    report = tmp_path / "cold-start" / "report.html"
    assert report.stat().st_size > 0
    # the closed-loop accuracy of the evaluation is part of the demo report
    import pandas as pd

    accuracy = pd.read_csv(tmp_path / "cold-start" / "accuracy.csv")
    assert len(accuracy) >= 19
    assert accuracy["within"].all()
    assert "Accuracy in settled stationary segments" in report.read_text()
    assert result.output.replace("\n", "").rstrip().endswith(str(report))


def test_point_accepts_units_and_prints_json():
    import json

    args = ["point", "--gas", "O2=5%", "--gas", "C3H6=500ppm", "--gas", "CO2=10%"]
    result = runner.invoke(app, [*args, "--set", "operation.temperature_K=1053.15", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["converged"] is True
    assert set(out["chamber"]) == {"O2", "C3H6"}
    assert out["nernst_voltage_V"] > 0


def test_point_errors_are_clear():
    result = runner.invoke(app, ["point", "--gas", "O2=5%", "--gas", "XY=1ppm"])
    assert result.exit_code != 0
    assert "XY" in result.output
    result = runner.invoke(app, ["point", "--set", "geometry.barrier_porosity=2"])
    assert result.exit_code != 0
    assert "barrier_porosity = 2 is outside the allowed range 0 < value <= 1" in _text(result)
    result = runner.invoke(app, ["point", "--set", "operation.temperature_K=nan"])
    assert result.exit_code == 2
    assert "temperature_K = nan is not a finite number" in _text(result)


def test_curve_writes_csv_and_png(tmp_path):
    result = runner.invoke(app, ["curve", "--design", "lsu49-like", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "curves"
    assert (folder / "pump_current_vs_lambda.csv").stat().st_size > 0
    assert (folder / "measuring_voltage_vs_C3H6.png").stat().st_size > 0


def test_point_json_is_strict_json_for_the_unpumped_design():
    import json

    result = runner.invoke(
        app, ["point", "--design", "unpumped-prior-art", "--gas", "O2=5%", "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)  # strict: no NaN tokens
    assert out["pump_voltage_V"] is None
    assert out["pump_current_A"] == 0.0


@pytest.mark.parametrize("module", ["mixpot", "mixpot.cli"])
def test_python_dash_m_runs_the_cli(module):
    src = str(Path(mixpot.__file__).parents[1])  # this source tree, whatever is installed
    path = os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    result = subprocess.run(
        [sys.executable, "-m", module, "--help"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: mixpot" in result.stdout
    assert "designs" in result.stdout


@pytest.mark.parametrize("species", ["XYZ", "c3h6", "O2", "N2", "H2O"])
def test_curve_rejects_species_that_are_not_oxidizable(species, tmp_path):
    from mixpot.gas import OXIDIZABLE

    result = runner.invoke(app, ["curve", "--species", species, "--output-dir", str(tmp_path)])
    assert result.exit_code == 2  # usage error
    text = _text(result)
    assert f"Invalid value for --species: {species!r}" in text
    assert ", ".join(OXIDIZABLE) in text
    assert not list(tmp_path.iterdir())  # nothing written


def test_curve_output_dir_that_is_a_file_is_a_clear_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("")
    result = runner.invoke(app, ["curve", "--output-dir", str(afile)])
    assert result.exit_code == 2
    assert "--output-dir" in _text(result)
    assert "is a file" in _text(result)
    # a file where the curves folder goes: found when writing, still no traceback
    (tmp_path / "curves").write_text("")
    result = runner.invoke(app, ["curve", "--design", "lsu49-like", "--output-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "cannot write the curves" in result.stderr
    assert str(tmp_path / "curves") in result.stderr


@pytest.mark.parametrize("text", ["O2=5%%", "O2=5ppmx", "O2=5PPM", "O2=abc", "O2=5%,C3H6=500ppm"])
def test_point_gas_values_that_are_not_numbers_name_the_option_and_units(text):
    result = runner.invoke(app, ["point", "--gas", text])
    assert result.exit_code == 2
    value = text.partition("=")[2]
    assert f"Invalid value for --gas: {text!r}: {value!r} is not a number" in _text(result)
    assert "%, ppm or ppb" in _text(result)


def test_point_gas_range_errors_and_repeated_species_are_attributed_to_gas():
    result = runner.invoke(app, ["point", "--gas", "O2=-5%"])
    assert result.exit_code == 2
    assert "Invalid value for --gas: mole fraction of O2 = -0.05" in _text(result)
    result = runner.invoke(app, ["point", "--gas", "O2=5%", "--gas", "O2=15%"])
    assert result.exit_code == 2
    assert "Invalid value for --gas: O2 is given more than once" in _text(result)
    result = runner.invoke(app, ["point", "--set", "pumped=false", "--set", "pumped=true"])
    assert result.exit_code == 2
    assert "Invalid value for --set: pumped is given more than once" in _text(result)


def test_claim_warnings_are_one_clean_line_each_on_stderr():
    import json

    args = ["point", "--gas", "O2=5%", "--json", "--set", "measuring_electrode.gold_wt_percent=30"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the warning does not spoil the output
    (line,) = result.stderr.splitlines()  # one line, no source file or code line
    assert line.startswith("warning: design 'patent-preferred' is outside claim 6 ")
    assert line.endswith(": 30 wt% Au (preferably 10)")
