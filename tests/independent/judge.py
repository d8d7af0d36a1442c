"""Running the real CLI on an independent generator's leak, for the tests beside this file:
`vigie inspect` and `vigie assess` in a subprocess with its own VIGIE_HOME, and the check
that every table, column and row count is read as written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

VIGIE = Path(sys.executable).with_name("vigie")


def vigie(*args: str, home: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    """The command, which must succeed."""
    result = subprocess.run([str(VIGIE), *args], capture_output=True, text=True,
                            env={"VIGIE_HOME": str(home), "PATH": "/usr/bin:/bin"}, timeout=timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def inspect_and_assess(leak, out: Path) -> tuple[dict, dict]:
    """`vigie inspect --json` and the assessment.json of `vigie assess` on the leak."""
    inspected = json.loads(vigie("inspect", str(leak.path), "--json", home=out).stdout)
    vigie("assess", str(leak.path), "--out", str(out / "report"), "--format", "json", home=out)
    return inspected, json.loads((out / "report" / "assessment.json").read_text())


def assert_tables_as_written(leak, inspected: dict) -> None:
    """Tables, their rows and their columns in order, as the generator wrote them."""
    got = {t["name"]: t for t in inspected["tables"]}
    assert set(got) == set(leak.tables)
    for name, truth in leak.tables.items():
        assert got[name]["rows"] == truth["rows"], name
        assert [c["name"] for c in got[name]["columns"]] == list(truth["columns"]), name


def kinds(leak, assessment: dict) -> tuple[dict, dict]:
    """(reported kind, truth kind) by (table, column), for every column of the truth."""
    got = {(t["name"], c["name"]): c["kind"] for t in assessment["tables"] for c in t["columns"]}
    truth = {(table, column): kind for table, spec in leak.tables.items()
             for column, kind in spec["columns"].items()}
    return {key: got.get(key) for key in truth}, truth


def wrong_kinds(leak, assessment: dict) -> dict:
    """(reported, truth) for the columns whose kind is wrong."""
    got, truth = kinds(leak, assessment)
    return {key: (got[key], kind) for key, kind in truth.items() if got[key] != kind}


NON_PERSONAL = frozenset({"record_id", "event_date", "none"})


def reported_personal(leak, assessment: dict) -> set:
    """Columns the truth calls non-personal that the report calls personal."""
    got, truth = kinds(leak, assessment)
    return {key for key, kind in truth.items() if kind in NON_PERSONAL and got[key] not in NON_PERSONAL}


MENTIONS = ("hiv", "pregnancy")


def exposure_misses(leak, assessment: dict, mention_share: float, floor: int = 0) -> dict:
    """(truth, reported) persons for each exposed kind the report gets wrong: structured
    kinds exactly, HIV and pregnancy within `mention_share` of max(truth, floor)."""
    exposure = {kind: value["persons"] for kind, value in assessment["exposure"].items()}
    misses = {}
    for kind, persons in leak.exposure.items():
        got = exposure.get(kind, 0 if kind in MENTIONS else None)
        if kind in MENTIONS:
            if abs(got - persons) > mention_share * max(persons, floor):
                misses[kind] = (persons, got)
        elif got != persons:
            misses[kind] = (persons, got)
    return misses
