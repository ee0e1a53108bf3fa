"""Command-line interface: a thin layer over the public Python API (Typer + Rich)."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from mixpot import designs
from mixpot.design import ClaimWarning, check_claims

app = typer.Typer(help="mixpot: virtual twin of a pumped mixed-potential exhaust gas sensor.")
design_app = typer.Typer(help="Inspect and check sensor designs.")
app.add_typer(design_app, name="design")
console = Console()


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
        except (ValidationError, ValueError) as exc:
            console.print(f"[red]invalid design[/red] {path}:\n{exc}")
            raise typer.Exit(code=1) from None
    table = Table("claim", "requirement", "satisfied", "design")
    for claim in check_claims(design):
        mark = "[green]yes[/green]" if claim.satisfied else "[yellow]no[/yellow]"
        table.add_row(claim.number, claim.text, mark, claim.detail)
    console.print(f"[green]valid[/green] design {design.name!r} ({path})")
    console.print(table)


@app.command()
def demo(
    output_dir: Annotated[Path, typer.Option(help="where to write the outputs")] = Path(
        "mixpot-output"
    ),
) -> None:
    """Run the demo computation and write its outputs."""
    from mixpot.demo import run_demo

    written = run_demo(output_dir)
    console.print("[bold]mixpot demo[/bold] finished. Outputs:")
    for path in written:
        console.print(f"  {path.resolve()}")
