import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from mixpot.cli import app
from mixpot.scenarios.config import load_scenario

SCENARIO = """
design = "patent-preferred"
[trace]
generator = "steps"
options = { species = "C3H6", levels = [0.0, 500e-6], step_duration_s = 0.1 }
[simulation]
seed = 2
output_rate_hz = 50.0
[output]
directory = "out"
"""


def test_scenario_builds_trace_and_cli_writes_report(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(SCENARIO)
    sc = load_scenario(f)
    trace = sc.build_trace()
    assert trace["time_s"].iloc[-1] == pytest.approx(0.2, abs=0.02)
    result = CliRunner().invoke(app, ["simulate", str(f)])
    assert result.exit_code == 0, result.output
    for name in ("results.nc", "signals.png", "report.html"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert "seed 2" in (tmp_path / "out" / "report.html").read_text()


def test_trace_file_and_duration(tmp_path):
    from mixpot.scenarios import steps, write_trace

    write_trace(steps(step_duration_s=1.0), tmp_path / "t.csv")
    f = tmp_path / "s.toml"
    f.write_text('[trace]\nfile = "t.csv"\nduration_s = 0.5\n')
    assert load_scenario(f).build_trace()["time_s"].iloc[-1] <= 0.5


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ('[trace]\ngenerator = "steps"\nfile = "x.csv"\n', "exactly one of 'file' or 'generator'"),
        ('[trace]\ngenerator = "nope"\n', "generator"),
        ('[trace]\ngenerator = "steps"\n[simulation]\noutput_rate_hz = -1\n', "output_rate_hz"),
        ('[trace]\ngenerator = "steps"\n[simulatoin]\n', "simulatoin"),
    ],
)
def test_bad_scenarios_name_the_field(tmp_path, text, pattern):
    f = tmp_path / "s.toml"
    f.write_text(text)
    with pytest.raises(ValidationError, match=pattern):
        load_scenario(f)


def test_cli_reports_invalid_scenario(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[trace]\ngenerator = "nope"\n')
    result = CliRunner().invoke(app, ["simulate", str(f)])
    assert result.exit_code == 1
    assert "invalid scenario" in result.output
