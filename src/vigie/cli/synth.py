"""vigie synth — synthetic French patients and realistic leaks with their ground truth.

`vigie synth registry` writes a population's patients table (an organisation's patient
registry, with patient_id); `vigie synth leak --shape S` writes one leak of that same
population (same --patients and --seed give the same people) plus `truth.json`, the
answer `vigie assess` is scored against. `vigie synth shapes` lists the shapes. Output
names files and counts only, never a value.
"""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import typer

from vigie.cli.console import console, err_console

synth_app = typer.Typer(
    help="Synthetic French patient data and realistic leaks, with ground truth.",
    no_args_is_help=True, rich_markup_mode=None)


class RegistryFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"


PATIENTS = typer.Option(..., "--patients", min=1, help="Number of synthetic patients.")
SEED = typer.Option(0, "--seed", help="Random seed: same seed, same people, same files.")
OUT = typer.Option(..., "--out", file_okay=False, help="Output folder (created if missing).")


def _population(patients: int, seed: int):
    from vigie.synth.population import generate_population

    started = time.monotonic()
    err_console.print(f"generating {patients:,} synthetic patients (seed {seed})...",
                      markup=False)
    pop = generate_population(patients, seed)
    err_console.print(f"  {pop.patients.num_rows:,} patients, {pop.visits.num_rows:,} visits "
                      f"in {time.monotonic() - started:.1f} s", markup=False)
    return pop


def _shape_names() -> list[str]:
    from vigie.synth.leaks import SHAPES

    return sorted(SHAPES)


def _print_shapes() -> None:
    from vigie.synth.leaks import SHAPES

    width = max(len(name) for name in SHAPES)
    for name in sorted(SHAPES):
        console.print(f"{name:<{width}}  {SHAPES[name].description}", markup=False,
                      soft_wrap=True)


def registry_table(patients: pa.Table, fmt: RegistryFormat) -> pa.Table:
    """The patients table as written: lists joined by '|' and dates ISO for CSV."""
    if fmt is RegistryFormat.parquet:
        return patients
    columns = []
    for column in patients.columns:
        if pa.types.is_list(column.type):
            column = pc.binary_join(column, "|")
        columns.append(pc.cast(column, pa.string()))
    return pa.table(columns, names=patients.column_names)


@synth_app.command("registry")
def registry(patients: int = PATIENTS, seed: int = SEED, out: Path = OUT,
             fmt: RegistryFormat = typer.Option(RegistryFormat.csv, "--format",
                                                help="csv or parquet.")) -> None:
    """Write the patient registry (the population's patients table, with patient_id)."""
    from vigie.synth.leaks.textfiles import write_delimited

    pop = _population(patients, seed)
    out.mkdir(parents=True, exist_ok=True)
    table = registry_table(pop.patients, fmt)
    path = out / f"registry.{fmt.value}"
    if fmt is RegistryFormat.parquet:
        pq.write_table(table, path)
    else:
        write_delimited(path, table.schema, iter(table.to_batches(65_536)), delimiter=",")
    console.print(f"wrote {path} ({table.num_rows:,} patients, {table.num_columns} columns)",
                  markup=False)


@synth_app.command("leak")
def leak(shape: str = typer.Option(None, "--shape", help="Leak shape (see --shapes)."),
         patients: int = typer.Option(None, "--patients", min=1,
                                      help="Number of synthetic patients."),
         seed: int = SEED,
         out: Path = typer.Option(None, "--out", file_okay=False,
                                  help="Output folder (created if missing)."),
         list_shapes: bool = typer.Option(False, "--shapes", help="List the shapes and exit.")
         ) -> None:
    """Write one realistic leak of the population and its ground truth (truth.json)."""
    if list_shapes:
        _print_shapes()
        return
    names = _shape_names()
    if shape is None:
        raise typer.BadParameter(f"missing; one of: {', '.join(names)}", param_hint="--shape")
    if shape not in names:
        raise typer.BadParameter(f"unknown shape {shape!r}; one of: {', '.join(names)}",
                                 param_hint="--shape")
    if patients is None:
        raise typer.BadParameter("missing", param_hint="--patients")
    if out is None:
        raise typer.BadParameter("missing", param_hint="--out")
    from vigie.synth.leaks import write_leak

    pop = _population(patients, seed)
    started = time.monotonic()
    written = write_leak(shape, pop, out, seed)
    for path in written.files:
        console.print(f"wrote {path} ({path.stat().st_size:,} bytes)", markup=False)
    for table in written.truth["tables"]:
        console.print(f"  table {table['name']}: {table['rows']:,} rows, "
                      f"{len(table['columns'])} columns", markup=False)
    console.print(f"  persons: {written.truth['persons']['distinct']:,}", markup=False)
    console.print(f"truth {written.truth_path}", markup=False)
    err_console.print(f"leak written in {time.monotonic() - started:.1f} s", markup=False)


@synth_app.command("shapes")
def shapes() -> None:
    """List the leak shapes."""
    _print_shapes()


def register(app: typer.Typer) -> None:
    app.add_typer(synth_app, name="synth")
