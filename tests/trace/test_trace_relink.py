"""A leak whose identity fields all carry typos: the exact keys lose every row, the
registry linkage (vigie trace --registry) re-identifies them and names the export."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from vigie.trace import trace_leak
from vigie.trace.relink import RegistryRef

from .conftest import read_any


def _slip(name: str, rng: np.random.Generator) -> str:
    """One letter in the middle replaced by another."""
    i = len(name) // 2
    letters = [c for c in "BCDFGKMPRTVZ" if c != name[i].upper()]
    return name[:i] + letters[int(rng.integers(len(letters)))] + name[i + 1:]


def _typo_leak(simulation, path) -> None:
    """300 rows of export 0 without ids, NIR or e-mail; every surname (usage and birth)
    with a typo, dates of birth rewritten dd/mm/yyyy."""
    rng = np.random.default_rng(11)
    exported = read_any(simulation.files[0]).slice(200, 300)
    leak = exported.drop_columns(["patient_id", "nir", "email"])
    for column in ("last_name", "birth_name"):
        leak = leak.set_column(leak.column_names.index(column), column, pa.array(
            [_slip(v, rng) if v else v for v in leak.column(column).to_pylist()]))
    dates = ["/".join(reversed(v.split("-"))) if v else v
             for v in leak.column("date_of_birth").to_pylist()]
    leak = leak.set_column(leak.column_names.index("date_of_birth"), "date_of_birth",
                           pa.array(dates))
    pacsv.write_csv(leak, path)


def test_exact_keys_lose_a_typo_leak_and_the_registry_linkage_recovers_it(simulation,
                                                                          tmp_path):
    _typo_leak(simulation, tmp_path / "typos.csv")
    exact = trace_leak(str(tmp_path / "typos.csv"))
    assert exact.attributions == []
    assert sum(exact.reading.linked_rows.values()) == 0

    linked = trace_leak(str(tmp_path / "typos.csv"),
                        registry=RegistryRef(str(simulation.registry_path), "patient_id"))
    [named] = linked.attributions
    assert named.export_id == simulation.exports[0].export_id
    assert "marks" in named.layers(linked.alpha) and named.p_false <= 1e-6
    assert linked.reading.linked_by_registry >= 280          # canaries are not in the registry
    assert named.agreements == named.observations >= 500
    assert linked.to_dict()["leak"]["linked_by_registry"] == linked.reading.linked_by_registry


def test_trace_command_with_registry(simulation, tmp_path, run):
    _typo_leak(simulation, tmp_path / "typos.csv")
    done = run(["trace", str(tmp_path / "typos.csv"), "--registry",
                str(simulation.registry_path), "--registry-id", "patient_id",
                "--out", str(tmp_path / "out")], simulation.home)
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "out" / "trace.json").read_text())
    assert [a["export_id"] for a in data["attributions"]] == [simulation.exports[0].export_id]
    assert "by registry linkage" in done.stdout
    missing_id = run(["trace", str(tmp_path / "typos.csv"), "--registry",
                      str(simulation.registry_path), "--out", str(tmp_path / "o")],
                     simulation.home)
    assert missing_id.returncode == 2 and "--registry-id" in missing_id.stderr
