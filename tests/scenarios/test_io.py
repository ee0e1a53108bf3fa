import numpy as np
import pandas as pd
import pytest

from mixpot.scenarios import read_trace, steps, validate_trace, write_trace


@pytest.fixture
def trace():
    rng = np.random.default_rng(1)
    n = 50
    return validate_trace(
        pd.DataFrame(
            {
                "time_s": np.cumsum(rng.uniform(0.01, 0.1, n)),
                "O2": rng.uniform(0.0, 0.1, n),
                "CO": rng.uniform(0.0, 0.01, n),
                "C3H6": rng.uniform(0.0, 1e-3, n) * np.pi,
                "gas_temperature_K": rng.uniform(500.0, 900.0, n),
            }
        )
    )


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".mf4"])
def test_round_trip(tmp_path, trace, suffix):
    path = tmp_path / "sub" / f"trace{suffix}"
    assert write_trace(trace, path) == path
    back = read_trace(path)
    pd.testing.assert_frame_equal(back, trace, check_exact=True)
    # written atomically: no temporary files left behind
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".mf4"])
def test_overwrite_and_str_path(tmp_path, suffix):
    path = tmp_path / f"t{suffix}"
    write_trace(steps(step_duration_s=1.0, sample_rate_hz=2.0), str(path))
    second = steps(levels=(0.0, 1e-3), step_duration_s=1.0, sample_rate_hz=4.0)
    write_trace(second, str(path))
    pd.testing.assert_frame_equal(read_trace(str(path)), second, check_exact=True)


def test_mf4_has_units_and_time_master(tmp_path, trace):
    from asammdf import MDF

    path = write_trace(trace, tmp_path / "t.mf4")
    with MDF(path) as mdf:
        signals = {s.name: s for s in mdf.iter_channels()}
        np.testing.assert_array_equal(mdf.get_master(0), trace["time_s"].to_numpy())
        master_names = [ch.name for ch in mdf.groups[0].channels]
    assert master_names[0] == "time_s"
    assert signals["O2"].unit == "mol/mol"
    assert signals["gas_temperature_K"].unit == "K"
    assert signals["pressure_Pa"].unit == "Pa"
    assert signals["gas_velocity_m_s"].unit == "m/s"


def test_csv_comments_and_partial_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("# measured at the test bench\ntime_s,O2\n0,0.05\n1,0.06\n")
    t = read_trace(path)
    assert t["O2"].tolist() == [0.05, 0.06]
    assert t["pressure_Pa"].tolist() == [101325.0, 101325.0]


def test_invalid_file_content_is_reported(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("time_s,O2\n0,0.05\n0,0.06\n")
    with pytest.raises(ValueError, match="repeats at row 1"):
        read_trace(path)


@pytest.mark.parametrize("name", ["t.xlsx", "t", "t.mdf"])
def test_unknown_extension(tmp_path, trace, name):
    with pytest.raises(ValueError, match=r"unknown exhaust-trace file format.*\.csv, \.parquet"):
        write_trace(trace, tmp_path / name)
    with pytest.raises(ValueError, match="unknown exhaust-trace file format"):
        read_trace(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_trace(tmp_path / "none.parquet")


def test_invalid_trace_is_not_written(tmp_path):
    with pytest.raises(ValueError, match="time_s"):
        write_trace(pd.DataFrame({"O2": [0.1]}), tmp_path / "t.csv")
    assert list(tmp_path.iterdir()) == []
