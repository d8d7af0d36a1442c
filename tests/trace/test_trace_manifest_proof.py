"""The manifest's hash chain, its tamper detection, and the evidence bundle's recomputation."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import stat
import subprocess
import sys

from sqlalchemy import update

from vigie.trace import open_manifest, prove, verify_manifest
from vigie.trace.manifest import exports, load_exports
from vigie.trace.stats import log10_binomial_tail

from .conftest import read_any


def test_manifest_entries_chain_and_record_the_export(simulation):
    engine = open_manifest()
    entries = load_exports(engine)
    assert [e.export_id for e in entries] == [x.export_id for x in simulation.exports]
    for entry, result in zip(entries, simulation.exports):
        assert entry.entry["file_sha256"] == result.file_sha256
        assert entry.entry["key_id"] == result.key_id
        assert entry.entry["persons"] == 1500 and entry.entry["canaries"] >= 20
        assert set(entry.entry) >= {"recipient", "purpose", "created_at", "columns"}
    assert entries[1].prev_hash == entries[0].hash
    problems, head = verify_manifest(engine)
    assert problems == [] and head == entries[-1].hash


def test_editing_an_entry_is_detected(simulation, tmp_path):
    import shutil
    from vigie.trace.manifest import open_manifest as open_copy
    copy = tmp_path / "copy.sqlite"
    shutil.copy(simulation.home / "register.sqlite", copy)
    engine = open_copy(f"sqlite:///{copy}")
    [first, *_] = load_exports(engine)
    forged = json.dumps(dict(first.entry, recipient="Someone else"), sort_keys=True,
                        separators=(",", ":"))
    with engine.begin() as conn:
        conn.execute(update(exports).where(exports.c.seq == first.seq)
                     .values(entry_json=forged))
    problems, _ = verify_manifest(engine)
    assert problems == ["entry 1: content differs from its hash"]


def test_evidence_bundle_lets_a_third_party_recompute_the_p_value(simulation, tmp_path):
    leak = tmp_path / "leak.csv"
    import pyarrow.csv as pacsv
    pacsv.write_csv(read_any(simulation.files[3]).slice(0, 400), leak)
    target = simulation.exports[3].export_id
    path = prove(target, str(leak), tmp_path / "proof")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    bundle = json.loads(path.read_text())
    assert bundle["manifest"]["entry"]["export_id"] == target
    assert bundle["manifest"]["chain_problems"] == []
    key = bytes.fromhex(bundle["export_key_hex"])
    observations = bundle["marks"]["observations"]
    agreements = sum((hmac.new(key, f"{o['person']}|{o['channel']}".encode(),
                               hashlib.sha256).digest()[-1] & 1) == o["observed"]
                     for o in observations)
    assert agreements == bundle["marks"]["agreements"] and len(observations) == bundle["marks"]["m"]
    recomputed = log10_binomial_tail(agreements, len(observations)) + math.log10(5)
    assert math.isclose(recomputed, bundle["marks"]["log10_p"], abs_tol=1e-9)
    assert bundle["log10_p_false"] < -6
    # the standalone script, standard library only, says the same
    shown = subprocess.run([sys.executable, str(tmp_path / "proof" / "verify.py"), str(path)],
                           capture_output=True, text=True, check=True).stdout
    assert f"agreements {agreements}/{len(observations)}" in shown
    # no other export's key is in the bundle
    others = [x.key_id for x in simulation.exports if x.export_id != target]
    assert hashlib.sha256(key).hexdigest()[:16] == simulation.exports[3].key_id
    assert not any(other in path.read_text() for other in others)
