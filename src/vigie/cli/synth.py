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


def _say(text: str, *, to_stderr: bool = False) -> None:
    """One plain line (no markup, no wrapping: paths stay copy-pastable)."""
    (err_console if to_stderr else console).print(text, markup=False, soft_wrap=True)


def _output_folder(out: Path) -> Path:
    """Create the output folder up front, so a bad --out fails before any generation."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise typer.BadParameter(f"cannot create the folder ({exc.strerror})",
                                 param_hint="--out") from None
    return out


def _population(patients: int, seed: int):
    from vigie.synth.population import generate_population

    started = time.monotonic()
    _say(f"generating {patients:,} synthetic patients (seed {seed})...", to_stderr=True)
    pop = generate_population(patients, seed)
    _say(f"  {pop.patients.num_rows:,} patients, {pop.visits.num_rows:,} visits "
         f"in {time.monotonic() - started:.1f} s", to_stderr=True)
    return pop


def _shape_names() -> list[str]:
    from vigie.synth.leaks import SHAPES

    return sorted(SHAPES)


def _print_shapes() -> None:
    from vigie.synth.leaks import SHAPES

    width = max(len(name) for name in SHAPES)
    for name in sorted(SHAPES):
        _say(f"{name:<{width}}  {SHAPES[name].description}")


@synth_app.command("registry")
def registry(patients: int = PATIENTS, seed: int = SEED, out: Path = OUT,
             fmt: RegistryFormat = typer.Option(RegistryFormat.csv, "--format",
                                                help="csv or parquet.")) -> None:
    """Write the patient registry (the population's patients table, with patient_id)."""
    from vigie.synth.leaks.registry import write_registry

    out = _output_folder(out)
    pop = _population(patients, seed)
    path = write_registry(pop, out, fmt.value)
    _say(f"wrote {path} ({pop.patients.num_rows:,} patients, "
         f"{pop.patients.num_columns} columns)")


# With --shapes the other options are not needed: they are checked in the command.
SHAPE = typer.Option(None, "--shape", help="Leak shape (see --shapes).")
LEAK_PATIENTS = typer.Option(None, "--patients", min=1, help="Number of synthetic patients.")
LEAK_OUT = typer.Option(None, "--out", file_okay=False, help="Output folder (created if missing).")
LIST_SHAPES = typer.Option(False, "--shapes", help="List the shapes and exit.")


@synth_app.command("leak")
def leak(shape: str = SHAPE, patients: int = LEAK_PATIENTS, seed: int = SEED,
         out: Path = LEAK_OUT, list_shapes: bool = LIST_SHAPES) -> None:
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

    out = _output_folder(out)
    pop = _population(patients, seed)
    started = time.monotonic()
    written = write_leak(shape, pop, out, seed)
    for path in written.files:
        _say(f"wrote {path} ({path.stat().st_size:,} bytes)")
    for table in written.truth["tables"]:
        _say(f"  table {table['name']}: {table['rows']:,} rows, "
             f"{len(table['columns'])} columns")
    _say(f"  persons: {written.truth['persons']['distinct']:,}")
    _say(f"truth {written.truth_path}")
    _say(f"leak written in {time.monotonic() - started:.1f} s", to_stderr=True)


@synth_app.command("linkage")
def linkage(registry_size: int = typer.Option(..., "--registry", min=1,
                                              help="Patients in the registry."),
            leak_persons: int = typer.Option(..., "--leak-persons", min=1,
                                             help="People in the leak (10 % strangers)."),
            seed: int = SEED, out: Path = OUT) -> None:
    """Write a registry and a damaged leak of some of its patients (plus strangers),
    with the truth of which leak row is which registry patient (linkage-truth.json)."""
    import json

    import pyarrow.csv as pacsv

    from vigie.paths import write_private
    from vigie.synth.damage import make_linkage_pair

    out = _output_folder(out)
    strangers = round(leak_persons * 0.1)
    pop = _population(registry_size + strangers, seed)
    pair = make_linkage_pair(pop.patients, registry_size=registry_size,
                             leak_persons=leak_persons, seed=seed)
    pacsv.write_csv(pair.registry, out / "registry.csv")
    pacsv.write_csv(pair.leak, out / "leak.csv")
    write_private(out / "linkage-truth.json", json.dumps(
        {"registry_id": "patient_id", "registry_group": "site",
         "leak_rows": {str(row): pid for row, pid in pair.truth.items()}}))
    _say(f"wrote {out / 'registry.csv'} ({pair.registry.num_rows:,} patients)")
    _say(f"wrote {out / 'leak.csv'} ({pair.leak.num_rows:,} rows)")
    _say(f"truth {out / 'linkage-truth.json'}")


@synth_app.command("shapes")
def shapes() -> None:
    """List the leak shapes."""
    _print_shapes()


def register(app: typer.Typer) -> None:
    app.add_typer(synth_app, name="synth")
