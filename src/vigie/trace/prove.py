"""`vigie trace prove EXPORT_ID --leak LEAK`: the evidence bundle for a court or the CNIL.

Holds that export's key only (HKDF-derived: it reveals neither the master key nor any
other export's key), the manifest entry with its place in the hash chain, the canary rows
(fabricated persons) found in the leak, and every mark observation: person key, channel,
variant read in the leak, keyed bit. A third party recomputes each bit as
HMAC-SHA256(key, person + '|' + channel) last bit, counts agreements, and the tail
P(Bin(m, 1/2) >= a) times the number of exports checked; verify.py beside the bundle does
exactly that with the standard library only.
The bundle holds a secret (the export key): it is written 0600.
"""

from __future__ import annotations

import json
from pathlib import Path

from vigie.errors import UsageError
from vigie.paths import write_private
from vigie.trace.attribution import BEACON_COINCIDENCE, IDENTITY_COINCIDENCE, LAYERS_TESTED, \
    read_leak, weigh_exports
from vigie.trace.keys import export_key, master_key
from vigie.trace.manifest import find_export, load_canaries, open_manifest, verify_manifest
from vigie.trace.relink import RegistryRef

VERIFY_SCRIPT = '''"""Recompute the mark evidence of evidence.json with the Python standard library."""
import hashlib, hmac, json, math, sys

bundle = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "evidence.json"))
key = bytes.fromhex(bundle["export_key_hex"])
agree = 0
for obs in bundle["marks"]["observations"]:
    digest = hmac.new(key, (obs["person"] + "|" + obs["channel"]).encode(), hashlib.sha256)
    agree += (digest.digest()[-1] & 1) == obs["observed"]
m = len(bundle["marks"]["observations"])
logs = [math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) - m * math.log(2)
        for k in range(agree, m + 1)] if agree else [0.0]
top = max(logs)
log10_tail = min(0.0, (top + math.log(sum(math.exp(t - top) for t in logs))) / math.log(10))
print(f"agreements {agree}/{m}; log10 P(Bin(m,1/2) >= a) = {log10_tail:.3f}; "
      f"x {bundle['checked_exports']} exports: {log10_tail + math.log10(bundle['checked_exports']):.3f}")
'''


def prove(export_id: str, leak: str, out_dir: Path, db_url: str | None = None,
          registry: RegistryRef | None = None) -> Path:
    """Write DIR/evidence.json (0600) and DIR/verify.py; returns the bundle's path.
    `registry`: as for trace_leak, so the bundle holds the same observations."""
    engine = open_manifest(db_url)
    entry = find_export(engine, export_id)
    if entry is None:
        raise UsageError(f"no export {export_id} in the manifest")
    master = master_key()
    reading = read_leak(leak, engine, master, registry)
    [evidence], checked = weigh_exports(reading, engine, master, only=export_id)
    problems, head = verify_manifest(engine)
    canary_rows = load_canaries(engine, entry.seq)
    key = export_key(master, export_id)
    bundle = {
        "vigie_evidence": 1,
        "export_id": export_id,
        "export_key_hex": key.hex(),
        "key_derivation": "HKDF-SHA256(master key, salt 'vigie-export-v1', info export id)",
        "manifest": {"seq": entry.seq, "entry": entry.entry, "prev_hash": entry.prev_hash,
                     "hash": entry.hash, "chain_head": head, "chain_problems": problems,
                     "hash_rule": "sha256(prev_hash + canonical JSON of entry)"},
        "leak": {"path": Path(leak).name, "rows": reading.rows,
                 "linked_rows": evidence.linked_rows,
                 "linked_by_registry": reading.linked_by_registry},
        "checked_exports": checked,
        "canaries": {"found": [dict(canary_rows[k], person=k) for k in evidence.canary_keys],
                     "beacons": evidence.canary_beacons,
                     "per_canary_bound": {"beacon": BEACON_COINCIDENCE,
                                          "identity": IDENTITY_COINCIDENCE},
                     "log10_p": evidence.log10_p_canaries},
        "marks": {"agreements": evidence.agreements, "m": evidence.observations,
                  "log10_p": evidence.log10_p_marks,
                  "bit_rule": "HMAC-SHA256(export key, person + '|' + channel), last bit",
                  "observations": [{"person": p, "channel": c, "observed": seen,
                                    "expected": bit} for p, c, seen, bit in evidence.marks]},
        "row_set": {"rows_in_export": evidence.rows_in_export,
                    "linked_rows": evidence.linked_rows},
        "layers_tested": LAYERS_TESTED,
        "p_false": evidence.p_false,
        "log10_p_false": evidence.log10_p_false,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "evidence.json"
    write_private(path, json.dumps(bundle, indent=1, ensure_ascii=False) + "\n")
    (out_dir / "verify.py").write_text(VERIFY_SCRIPT)
    return path
