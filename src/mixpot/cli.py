"""Command-line interface: a thin layer over the public Python API (Typer + Rich)."""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mixpot import designs
from mixpot.design import ClaimWarning, Design, check_claims
from mixpot.gas import OXIDIZABLE, composition

app = typer.Typer(help="mixpot: virtual twin of a pumped mixed-potential exhaust gas sensor.")
design_app = typer.Typer(help="Inspect and check sensor designs.")
app.add_typer(design_app, name="design")
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # messages unwrapped: copyable


def _fail(what: str, exc: Exception) -> NoReturn:
    """Print ``what: exc`` on stderr and exit with code 1.

    The exception text is printed literally: Rich would take pydantic's ``[type=...,
    input_value=...]`` for markup and drop it.
    """
    err_console.print(f"[red]{what}[/red]: {escape(str(exc))}")
    raise typer.Exit(code=1)


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Show each warning of the block (e.g. a ClaimWarning) as one ``warning: ...`` line."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        err_console.print(f"[yellow]warning[/yellow]: {escape(str(w.message))}")


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)


@app.command("designs")
def list_designs() -> None:
    """List the built-in designs."""
    table = Table("name", "description")
    for name in designs.names():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ClaimWarning)
            table.add_row(name, designs.load(name).description)
    console.print(table)


@design_app.command("show")
def design_show(name: str) -> None:
    """Print a built-in design as TOML (all fields, defaults included)."""
    try:
        design = designs.load(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="NAME") from None
    typer.echo(designs.to_toml(design))


@design_app.command("check")
def design_check(path: Path) -> None:
    """Validate a design TOML file and list which patent claims it satisfies."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClaimWarning)
        try:
            design = designs.load(path)
        except (ValidationError, ValueError, OSError) as exc:
            _fail(f"invalid design {escape(str(path))}", exc)
    table = Table("claim", "requirement", "satisfied", "design")
    for claim in check_claims(design):
        mark = "[green]yes[/green]" if claim.satisfied else "[yellow]no[/yellow]"
        table.add_row(claim.number, claim.text, mark, claim.detail)
    console.print(f"[green]valid[/green] design {escape(repr(design.name))} ({escape(str(path))})")
    console.print(table)


_UNITS = {"%": 1e-2, "ppm": 1e-6, "ppb": 1e-9}
"""Units of ``--gas`` values (case-sensitive, like the species names); none: a mole fraction."""
_UNIT_TEXT = f"{', '.join(list(_UNITS)[:-1])} or {list(_UNITS)[-1]}"


def parse_fraction(text: str) -> tuple[str, float]:
    """Parse ``SPECIES=VALUE[%|ppm|ppb]`` into (species, mole fraction).

    The unit is case-sensitive; a value without unit is a mole fraction. Range checks are
    left to :func:`mixpot.gas.composition`.
    """
    name, sep, value = (part.strip() for part in text.partition("="))
    if not sep or not name:
        raise typer.BadParameter(
            f"expected SPECIES=VALUE (e.g. O2=5%), got {text!r}", param_hint="--gas"
        )
    number, factor = value, 1.0
    for unit, unit_factor in _UNITS.items():
        if value.endswith(unit):
            number, factor = value[: -len(unit)], unit_factor
            break
    try:
        return name, float(number) * factor
    except ValueError:
        several = " (give one species per --gas)" if "=" in value else ""
        raise typer.BadParameter(
            f"{text!r}: {value!r} is not a number with an optional unit {_UNIT_TEXT}{several}",
            param_hint="--gas",
        ) from None


def parse_setting(text: str) -> tuple[str, object]:
    """Parse ``KEY=VALUE`` with VALUE read as a TOML value (number, bool or string)."""
    import tomllib

    key, sep, value = text.partition("=")
    if not sep or not key:
        raise typer.BadParameter(f"expected KEY=VALUE, got {text!r}", param_hint="--set")
    try:
        return key.strip(), tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return key.strip(), value


T = TypeVar("T")


def _unique(pairs: Iterable[tuple[str, T]], param_hint: str) -> dict[str, T]:
    """Collect (key, value) pairs of a repeated option; a key given twice is an error."""
    out: dict[str, T] = {}
    for key, value in pairs:
        if key in out:
            raise typer.BadParameter(f"{key} is given more than once", param_hint=param_hint)
        out[key] = value
    return out


def _finite_or_none(value: float) -> float | None:
    """Return ``value``, or None where it is not defined (NaN, e.g. no pump cell): valid JSON."""
    return value if math.isfinite(value) else None


def _load(design: str, settings: list[str]) -> Design:
    try:
        overrides = _unique((parse_setting(s) for s in settings), "--set")
        with _warnings_to_stderr():
            return designs.load(design, overrides)
    except (ValidationError, ValueError, OSError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--design/--set") from None


@app.command()
def point(
    design: Annotated[str, typer.Option(help="design name or TOML file")] = designs.DEFAULT,
    gas: Annotated[
        list[str],
        typer.Option(
            help=f"SPECIES=VALUE, one species per option, e.g. --gas O2=5% --gas C3H6=500ppm; "
            f"VALUE a mole fraction or a number with unit {_UNIT_TEXT} (case-sensitive)"
        ),
    ] = [],  # noqa: B006
    set_: Annotated[list[str], typer.Option("--set", help="design override KEY=VALUE")] = [],  # noqa: B006
    temperature_k: Annotated[float | None, typer.Option("--temperature-K")] = None,
    pressure_pa: Annotated[float, typer.Option("--pressure-Pa")] = 101325.0,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Steady state of a design at one operating point."""
    import json

    from mixpot.steady import steady_state

    d = _load(design, set_)
    exhaust = _unique((parse_fraction(g) for g in gas), "--gas")
    try:
        composition(exhaust)  # the API's checks of species and fractions, attributed to --gas
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--gas") from None
    try:
        r = steady_state(d, exhaust, temperature_k, pressure_pa)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    out: dict[str, Any] = {
        k: _finite_or_none(float(getattr(r, k)))
        for k in (
            "pump_current_A",
            "pump_voltage_V",
            "nernst_voltage_V",
            "measuring_voltage_V",
            "internal_resistance_ohm",
            "lambda_exhaust",
        )
    }
    out["chamber"] = {k: float(v) for k, v in r.chamber.items()}
    out["converged"] = bool(r.converged)
    out["reason"] = str(r.reason)
    if as_json:
        typer.echo(json.dumps(out, indent=2, allow_nan=False))
        return
    table = Table("quantity", "value")
    for k, v in out.items():
        table.add_row(k, f"{v:.6g}" if isinstance(v, float) else str(v))  # None: not defined
    console.print(table)


@app.command()
def curve(
    design: Annotated[str, typer.Option(help="design name or TOML file")] = designs.DEFAULT,
    species: Annotated[
        str, typer.Option(help=f"oxidizable species varied: {', '.join(OXIDIZABLE)}")
    ] = "C3H6",
    set_: Annotated[list[str], typer.Option("--set", help="design override KEY=VALUE")] = [],  # noqa: B006
    output_dir: Annotated[
        Path, typer.Option(file_okay=False, help="where to write CSV and PNG")
    ] = Path("mixpot-output"),
) -> None:
    """Write characteristic curves: measuring voltage vs gas and O2, pump current vs lambda."""
    from mixpot.report.curves import write_characteristic_curves

    if species not in OXIDIZABLE:
        raise typer.BadParameter(
            f"{species!r} is not an oxidizable species; choose one of {', '.join(OXIDIZABLE)} "
            "(case-sensitive)",
            param_hint="--species",
        )
    d = _load(design, set_)
    try:
        written = write_characteristic_curves(d, output_dir / "curves", species)
    except OSError as exc:
        _fail("cannot write the curves", exc)
    for path in written:
        console.print(f"  {path.resolve()}", markup=False)


@app.command()
def simulate(
    scenario: Annotated[Path, typer.Argument(help="scenario TOML (design, trace, options)")],
) -> None:
    """Simulate a scenario in closed loop; write NetCDF, plots and an HTML report."""
    from mixpot.report.simulation import write_simulation_report
    from mixpot.scenarios.config import load_scenario
    from mixpot.transient import simulate as run

    try:
        sc = load_scenario(scenario)
        with _warnings_to_stderr():
            design = designs.load(sc.design, sc.design_overrides)
        trace = sc.build_trace()
    except (ValidationError, ValueError, OSError) as exc:
        _fail(f"invalid scenario {escape(str(scenario))}", exc)
    ds = run(
        design,
        trace,
        initial=sc.simulation.initial,
        seed=sc.simulation.seed,
        output_rate_hz=sc.simulation.output_rate_hz,
        progress=True,
    )
    out = Path(sc.output.directory)
    out = out if out.is_absolute() else Path(sc.base_dir) / out
    for path in write_simulation_report(ds, out, f"mixpot simulation: {scenario.name}"):
        console.print(f"  {path.resolve()}", markup=False)


@app.command()
def calibrate(
    output: Annotated[Path, typer.Option(help="calibration file to write (JSON)")] = Path(
        "calibration.json"
    ),
    design: Annotated[str, typer.Option(help="design name or TOML file")] = designs.DEFAULT,
    set_: Annotated[list[str], typer.Option("--set", help="design override KEY=VALUE")] = [],  # noqa: B006
    seed: Annotated[int, typer.Option(help="root seed of the bench noise")] = 0,
) -> None:
    """Calibrate a design on the simulator with the built-in bench protocol."""
    from mixpot.evaluation import calibrate as run

    d = _load(design, set_)
    try:
        cal = run(d, seed=seed)
    except ValueError as exc:
        _fail("calibration failed", exc)
    path = cal.save(output)
    table = Table("uncertainty (validation points)", "value")
    for k, v in cal.uncertainty.items():
        table.add_row(k, f"{v:.4g}")
    console.print(table)
    console.print(f"Calibration: {path.resolve()}", markup=False)


@app.command()
def evaluate(
    signals: Annotated[Path, typer.Argument(help="recorded signals: CSV, Parquet, MF4 or NetCDF")],
    calibration: Annotated[Path, typer.Option(help="calibration file (JSON)")] = Path(
        "calibration.json"
    ),
    output: Annotated[Path | None, typer.Option(help="results file (.nc or .csv)")] = None,
) -> None:
    """Evaluate recorded raw signals: oxidizable gas, O2, lambda and a status per sample."""
    import numpy as np
    import xarray as xr

    from mixpot.evaluation import Calibration, Status
    from mixpot.evaluation import evaluate as run
    from mixpot.report.files import atomic_write
    from mixpot.scenarios import read_table

    try:
        cal = Calibration.load(calibration)
        data = (
            xr.load_dataset(signals) if signals.suffix == ".nc" else read_table(signals, "signal")
        )
        ds = run(data, cal)
    except (ValueError, OSError, ValidationError) as exc:
        _fail("evaluation failed", exc)
    out = output if output is not None else signals.with_name(signals.stem + "_evaluated.nc")
    if out.suffix == ".csv":
        atomic_write(out, ds.to_dataframe().to_csv)
    else:
        atomic_write(out, ds.to_netcdf)
    table = Table("status", "samples")
    for s in Status:
        table.add_row(s.name.lower(), str(int(np.sum(ds["status"].values == s))))
    console.print(table)
    console.print(f"Results: {out.resolve()}", markup=False)


@app.command()
def study(
    target: Annotated[
        str,
        typer.Argument(help="study TOML file, a built-in study (claims, tolerances) or 'report'"),
    ],
    folder: Annotated[
        Path | None, typer.Argument(help="with 'report': the study's output folder")
    ] = None,
    output: Annotated[Path, typer.Option(file_okay=False, help="output folder")] = Path(
        "mixpot-studies"
    ),
    workers: Annotated[int | None, typer.Option(min=1, help="local worker processes")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address")] = None,
    resume: Annotated[bool, typer.Option(help="continue an interrupted study")] = False,
) -> None:
    """Run a study (sweep or Monte Carlo), or `mixpot study report FOLDER` for its plots."""
    from mixpot.studies import ResultStore, builtin, load_study, run_study
    from mixpot.studies.report import write_study_report

    if target == "report":
        if folder is None:
            raise typer.BadParameter("give the study's output folder", param_hint="FOLDER")
        stores = sorted(folder.glob("*.zarr"))
        if not stores:
            err_console.print(f"[red]no study store (*.zarr) in[/red] {escape(str(folder))}")
            raise typer.Exit(code=1)
        import zarr

        from mixpot.studies import Study

        for path in stores:
            attrs = zarr.open_group(str(path), mode="r").attrs
            if "study" not in attrs:
                err_console.print(f"[yellow]skipped incomplete store[/yellow] {escape(str(path))}")
                continue
            st = Study.model_validate_json(str(attrs["study"]))
            store = ResultStore.open(path, st)
            for written in write_study_report(st, store.summary(), folder):
                console.print(f"  {written.resolve()}", markup=False)
        return
    if folder is not None:
        raise typer.BadParameter(f"unexpected argument {folder} (only 'report' takes a folder)")
    if scheduler is not None and workers is not None:
        raise typer.BadParameter("--workers and --scheduler exclude each other")
    try:
        st = load_study(target) if Path(target).is_file() else builtin(target)
        store = run_study(
            st, output, workers=workers, scheduler=scheduler, resume=resume, progress=True
        )
    except (ValidationError, ValueError, OSError) as exc:
        _fail("study failed", exc)
    status = store.status()
    console.print(
        f"study {escape(st.name)}: {int((status == 1).sum())} done, "
        f"{int((status == 2).sum())} failed, {int((status == 0).sum())} pending"
    )
    console.print(f"Results: {store.path.resolve()}", markup=False)
    console.print(f"Summary: {(output / f'{st.name}_summary.parquet').resolve()}", markup=False)


@app.command()
def demo(
    output_dir: Annotated[
        Path, typer.Option(file_okay=False, help="where to write the outputs")
    ] = Path("mixpot-output"),
    drive_cycle_s: Annotated[
        float, typer.Option(min=1.0, max=1800.0, help="length of the cold-start drive cycle [s]")
    ] = 1800.0,
) -> None:
    """Run the demo computation and write its outputs."""
    from mixpot.demo import run_demo

    written = run_demo(output_dir, drive_cycle_s)
    console.print("[bold]mixpot demo[/bold] finished. Outputs:")
    for path in written:
        console.print(f"  {path.resolve()}", markup=False)
    reports = [p for p in written if p.name == "report.html"]
    if reports:
        console.print(f"[bold]Report:[/bold] {escape(str(reports[0].resolve()))}")


if __name__ == "__main__":
    app(prog_name="mixpot")
