"""Studies: definition and sampling, execution on every executor, failures, kill and resume."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
import zarr
from pydantic import ValidationError

from mixpot.studies import BUILTIN, Study, builtin, load_study, run_study
from mixpot.studies.store import DONE, FAILED, PENDING

GRID = {
    "name": "grid",
    "parameters": [
        {"key": "measuring_electrode.gold_wt_percent", "values": [2.0, 10.0, 20.0]},
        {"key": "inner_pump_electrode.gold_wt_percent", "values": [0.3, 0.8]},
    ],
    "metrics": ["signal_mV", "o2_cross_sensitivity_mV", "analyte_loss"],
}


def test_grid_and_sampled_definitions():
    st = Study.model_validate(GRID)
    table = st.sample_table()
    assert len(table["measuring_electrode.gold_wt_percent"]) == 6  # full factorial
    sob = Study.model_validate(
        {
            "name": "s",
            "sampler": "sobol",
            "samples": 256,
            "seed": 3,
            "metrics": ["signal_mV"],
            "parameters": [
                {"key": "operation.temperature_K", "low": 1000.0, "high": 1100.0},
                {
                    "key": "geometry.barrier_porosity",
                    "distribution": "normal",
                    "mean": 0.3,
                    "std": 0.01,
                },
            ],
        }
    )
    t = sob.sample_table()
    assert np.all((t["operation.temperature_K"] > 1000) & (t["operation.temperature_K"] < 1100))
    # a normal tolerance: sample moments close to the distribution's (256 Sobol points)
    assert np.mean(t["geometry.barrier_porosity"]) == pytest.approx(0.3, abs=1e-3)
    assert np.std(t["geometry.barrier_porosity"]) == pytest.approx(0.01, rel=0.05)
    np.testing.assert_array_equal(
        sob.sample_table()["operation.temperature_K"], t["operation.temperature_K"]
    )
    seeds = sob.sample_seeds(10)
    assert len(set(seeds.tolist())) == 10  # spawned, independent per sample


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"metrics": ["nonsense"]}, "unknown metric"),
        ({"sampler": "lhs"}, "draws from distributions"),
        ({"parameters": [{"key": "x", "low": 2.0, "high": 1.0}]}, "low < high"),
        ({"name": "has space"}, "name"),
        ({"parameters": [{"key": "geometry.nonexistent", "values": [1.0]}]}, "not a field"),
        ({"parameters": [{"key": "operation", "values": [1.0]}]}, "does not name a number"),
        (
            {
                "sampler": "lhs",
                "parameters": [
                    {
                        "key": "operation.temperature_K",
                        "distribution": "normal",
                        "mean": 1e3,
                        "std": 5.0,
                        "low": 900.0,
                    }
                ],
            },
            "do not apply",
        ),
        (
            {
                "sampler": "sobol",
                "samples": 100,
                "parameters": [{"key": "operation.temperature_K", "low": 1e3, "high": 1.1e3}],
            },
            "power of 2",
        ),
        ({"parameters": [{"key": "operation.temperature_K", "values": [float("nan")]}]}, "finite"),
    ],
)
def test_bad_definitions_are_rejected(change, pattern):
    with pytest.raises(ValidationError, match=pattern):
        Study.model_validate({**GRID, **change})


def test_builtin_studies_load():
    assert set(BUILTIN) == {"claims", "tolerances"}
    claims = builtin("claims")
    assert len(claims.sample_table()["operation.temperature_K"]) == 768
    assert builtin("tolerances", samples=4).samples == 4
    with pytest.raises(ValueError, match="not built in"):
        builtin("nope")


def test_serial_run_records_failures_without_stopping(tmp_path):
    st = Study.model_validate(
        {
            **GRID,
            "name": "fails",
            "parameters": [
                # 150 wt% gold is physically impossible: that sample fails, the others run
                {"key": "measuring_electrode.gold_wt_percent", "values": [10.0, 150.0, 20.0]}
            ],
        }
    )
    store = run_study(st, tmp_path, workers=1)
    s = store.summary()
    assert list(s["status"]) == [DONE, FAILED, DONE]
    assert "gold_wt_percent" in s["reason"][1]
    assert np.isnan(s["signal_mV"][1])
    assert (tmp_path / "fails_summary.parquet").is_file()
    assert len(pd.read_parquet(tmp_path / "fails_summary.parquet")) == 3
    with pytest.raises(ValueError, match="exists"):
        run_study(st, tmp_path, workers=1)
    # physics: more gold on the measuring electrode, a larger (more negative) signal
    assert s["signal_mV"][2] < s["signal_mV"][0] < 0


def test_processes_and_dask_give_the_serial_results(tmp_path):
    from distributed import LocalCluster

    st = Study.model_validate(GRID)
    ref = run_study(st, tmp_path / "serial", workers=1).summary()
    par = run_study(st, tmp_path / "procs", workers=2).summary()
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert len(cluster.workers) == 2
        dask = run_study(st, tmp_path / "dask", scheduler=cluster.scheduler_address).summary()
    for other in (par, dask):
        pd.testing.assert_frame_equal(other, ref)


SCRIPT = textwrap.dedent(
    """
    import sys
    from mixpot.studies import Study, run_study
    st = Study.model_validate_json(sys.argv[1])
    run_study(st, sys.argv[2], workers=1, resume=len(sys.argv) > 3)
    """
)


def test_killed_study_resumes_with_nothing_lost_or_duplicated(tmp_path):
    st = Study.model_validate(
        {
            **GRID,
            "name": "killed",
            "parameters": [
                {
                    "key": "measuring_electrode.gold_wt_percent",
                    "values": list(np.linspace(2, 20, 40)),
                },
                {
                    "key": "inner_pump_electrode.gold_wt_percent",
                    "values": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
                },
            ],
        }
    )
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, st.model_dump_json(), str(out)], start_new_session=True
    )
    store = out / "killed.zarr"
    done = 0
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.05)
        try:
            done = int((zarr.open_group(str(store), mode="r")["status"][:] == DONE).sum())
        except (FileNotFoundError, KeyError, ValueError):
            continue
        if done >= 8:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    status = zarr.open_group(str(store), mode="r")["status"][:]
    before = int((status == DONE).sum())
    # killed midway (240 samples: far more than finish while the poll notices the first 8)
    assert 8 <= before < 240, before
    assert (status == PENDING).any()
    first = run_study(st, out, workers=1, resume=True).summary()
    assert (first["status"] == DONE).all()
    # nothing that finished was recomputed: those samples keep run 1, the rest are run 2
    assert int((first["run"] == 1).sum()) == before
    assert int((first["run"] == 2).sum()) == 240 - before
    # nothing lost or duplicated: the same values as an uninterrupted run
    ref = run_study(st, tmp_path / "ref", workers=1).summary()
    pd.testing.assert_frame_equal(first.drop(columns="run"), ref.drop(columns="run"))


def test_cli_study_and_report(tmp_path):
    from typer.testing import CliRunner

    from mixpot.cli import app

    path = tmp_path / "s.toml"
    path.write_text(
        'name = "cli"\nmetrics = ["signal_mV"]\n[[parameters]]\n'
        'key = "measuring_electrode.gold_wt_percent"\nvalues = [5.0, 10.0]\n'
    )
    assert load_study(path).name == "cli"
    runner = CliRunner()
    res = runner.invoke(
        app, ["study", str(path), "--workers", "1", "--output", str(tmp_path / "o")]
    )
    assert res.exit_code == 0, res.output
    assert "2 done, 0 failed" in res.output
    res = runner.invoke(app, ["study", "report", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "cli_signal_mV.png").stat().st_size > 0
    assert "2 of 2 samples done" in (tmp_path / "o" / "cli_report.md").read_text()
    res = runner.invoke(app, ["study", str(tmp_path / "missing.toml")])
    assert res.exit_code == 1


def test_drive_cycle_deviation_is_zero_for_the_nominal_sensor():
    # the metric compares a sample's reading with the nominal sensor's reading of the same
    # drive cycle (same calibration): the nominal design itself deviates by exactly nothing
    import mixpot
    from mixpot.studies import compute_metrics

    nominal = mixpot.designs.load("patent-preferred")
    out = compute_metrics(nominal, ["drive_cycle_deviation_rms_ppm"], 0, "patent-preferred")
    assert out["drive_cycle_deviation_rms_ppm"] == 0.0


def test_a_sample_never_raises_and_bad_options_write_nothing(tmp_path, monkeypatch):
    import mixpot.studies.run as run_module
    from mixpot.studies import run_sample

    def broken(*args, **kwargs):
        raise KeyError("something unforeseen")

    monkeypatch.setattr(run_module, "compute_metrics", broken)
    index, values, reason = run_sample((3, "patent-preferred", {}, {}, ["signal_mV"], 0))
    assert (index, values) == (3, None)
    assert reason.startswith("KeyError")
    st = Study.model_validate(GRID)
    with pytest.raises(ValueError, match="workers"):
        run_study(st, tmp_path, workers=-1)
    assert not (tmp_path / "grid.zarr").exists()


def test_an_interrupted_store_creation_is_reported_on_resume(tmp_path):
    st = Study.model_validate(GRID)
    zarr.open_group(str(tmp_path / "grid.zarr"), mode="w-")  # created, never completed
    with pytest.raises(ValueError, match="incomplete"):
        run_study(st, tmp_path, workers=1, resume=True)
