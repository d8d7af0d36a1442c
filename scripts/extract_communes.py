"""Rebuild src/vigie/refdata/communes.csv.gz and departements.csv.gz from the Etalab package.

Run once by a maintainer when a new millésime is wanted (the outputs are committed, so
Vigie never touches the network at run time):

    python scripts/extract_communes.py [--version 6.0.0]

It runs `npm pack @etalab/decoupage-administratif@VERSION` in a temporary folder, reads
`package/data/communes.json` and `departements.json`, and keeps the current communes plus the
municipal arrondissements of Paris, Lyon and Marseille (a NIR born there carries the
arrondissement code, and their postcodes are per arrondissement).
Data licence: Licence Ouverte / Etalab (see src/vigie/refdata/SOURCES.md).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "vigie" / "refdata"
KEPT_TYPES = {"commune-actuelle": "commune", "arrondissement-municipal": "arrondissement"}
COMMUNE_COLUMNS = ("code", "nom", "departement", "region", "codesPostaux", "population",
                   "type", "zone", "parent")
DEPARTEMENT_COLUMNS = ("code", "nom", "region", "zone")


def fetch_package(version: str, workdir: Path) -> Path:
    """npm-pack the package into workdir and return the unpacked data folder."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    (tarball,) = workdir.glob("*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package" / "data"


def commune_rows(communes: list[dict]) -> list[dict]:
    """Trimmed rows for current communes and municipal arrondissements, sorted by code."""
    rows = []
    for entry in communes:
        kind = KEPT_TYPES.get(entry["type"])
        if kind is None:
            continue
        rows.append({
            "code": entry["code"],
            "nom": entry["nom"],
            "departement": entry["departement"],
            "region": entry["region"],
            "codesPostaux": "|".join(entry.get("codesPostaux", [])),
            "population": entry.get("population", ""),
            "type": kind,
            "zone": entry.get("zone", ""),
            "parent": entry.get("commune", ""),
        })
    return sorted(rows, key=lambda row: row["code"])


def write_csv_gz(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Write a gzip CSV with a fixed mtime so rebuilding the same data gives the same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        with io.TextIOWrapper(gz, encoding="utf-8", newline="") as text:
            writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore",
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="6.0.0")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = fetch_package(args.version, Path(tmp))
        communes = json.loads((data / "communes.json").read_text("utf-8"))
        departements = json.loads((data / "departements.json").read_text("utf-8"))
    rows = commune_rows(communes)
    write_csv_gz(OUT_DIR / "communes.csv.gz", COMMUNE_COLUMNS, rows)
    write_csv_gz(OUT_DIR / "departements.csv.gz", DEPARTEMENT_COLUMNS,
                 sorted(departements, key=lambda d: d["code"]))
    print(f"communes: {len(rows)} rows; departements: {len(departements)} rows -> {OUT_DIR}")


if __name__ == "__main__":
    main()
