"""`vigie trace LEAK`: which export(s) a leaked file came from, with p_false for each."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

from vigie.trace.attribution import DEFAULT_ALPHA, ExportEvidence, LeakReading, read_leak, \
    weigh_exports
from vigie.trace.keys import master_key
from vigie.trace.manifest import count_exports, open_manifest
from vigie.trace.relink import RegistryRef


@dataclass
class TraceResult:
    leak: str
    reading: LeakReading
    evidence: list[ExportEvidence]
    checked_exports: int
    alpha: float
    elapsed_s: float

    @property
    def attributions(self) -> list[ExportEvidence]:
        """Exports named: p_false ≤ alpha, strongest first."""
        limit = math.log10(self.alpha)
        named = [e for e in self.evidence if e.log10_p_false <= limit]
        return sorted(named, key=lambda e: (e.log10_p_false, -e.rows_in_export))

    def to_dict(self) -> dict:
        named = {e.export_id for e in self.attributions}
        leads = [e for e in self.evidence if e.export_id not in named and e.rows_in_export]
        leads.sort(key=lambda e: -e.rows_explained)
        return {
            "attributions": [e.to_dict(self.alpha) for e in self.attributions],
            "checked_exports": self.checked_exports,
            "alpha": self.alpha,
            "leak": {"path": Path(self.leak).name, "rows": self.reading.rows,
                     "linked_rows": sum(self.reading.linked_rows.values()),
                     "linked_persons": len(self.reading.linked_rows),
                     "linked_by_registry": self.reading.linked_by_registry,
                     "tables": self.reading.tables},
            "leads": [e.to_dict(self.alpha) for e in leads],
            "method": ("canaries (beacon 2^-40, identity 1e-6 per canary), keyed marks "
                       "(binomial tail, p=1/2), each Bonferroni over checked_exports; "
                       "p_false = 2 layers x min; row set reported, not tested"),
            "elapsed_s": round(self.elapsed_s, 3),
        }

    def summary(self) -> list[str]:
        data = self.to_dict()
        by_registry = (f" ({self.reading.linked_by_registry} by registry linkage)"
                       if self.reading.linked_by_registry else "")
        lines = [f"Leak: {data['leak']['rows']} rows, {data['leak']['linked_rows']} "
                 f"re-identified{by_registry}; {self.checked_exports} exports checked "
                 f"(alpha {self.alpha:g})."]
        if not self.attributions:
            lines.append("No export named: no export's evidence reaches p_false <= alpha.")
        for e in self.attributions:
            lines.append(
                f"NAMED {e.export_id} ({e.recipient}, {e.exported_at[:10]}): p_false "
                f"{_power(e.log10_p_false)}; layers {', '.join(e.layers(self.alpha)) or '-'}; canaries "
                f"{e.canaries_found} ({e.canary_beacons} beacons); marks {e.agreements}/"
                f"{e.observations}; rows explained {e.rows_explained:.1%}")
        for lead in data["leads"][:5]:
            lines.append(f"lead (not a proof) {lead['export_id']} ({lead['recipient']}): holds "
                         f"{lead['rows_explained']:.1%} of the re-identified rows, p_false "
                         f"{_power(lead['log10_p_false'])}")
        return lines


def _power(log10_p: float) -> str:
    """'1.2e-181' even below the smallest float."""
    if log10_p == -math.inf:
        return "0"
    exponent = math.floor(log10_p)
    return f"{10 ** (log10_p - exponent):.1f}e{exponent}"


def trace_leak(leak: str, *, alpha: float = DEFAULT_ALPHA, db_url: str | None = None,
               registry: RegistryRef | None = None) -> TraceResult:
    """Weigh every export of the manifest against `leak` (rows no exact key names are
    linked to `registry` when one is given)."""
    started = time.perf_counter()
    engine = open_manifest(db_url)
    master = master_key()
    reading = read_leak(leak, engine, master, registry)
    evidence, checked = weigh_exports(reading, engine, master)
    return TraceResult(leak, reading, evidence, checked, alpha, time.perf_counter() - started)


def trace_section(leak: str, *, db_url: str | None = None,
                  registry: RegistryRef | None = None) -> dict | None:
    """For `vigie assess`: the trace.json content when exports exist, else None."""
    if count_exports(open_manifest(db_url)) == 0:
        return None
    return trace_leak(leak, db_url=db_url, registry=registry).to_dict()


def write_trace(result: TraceResult, out_dir: Path) -> Path:
    """DIR/trace.json and DIR/summary.txt (no raw personal value in either)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "trace.json"
    path.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    (out_dir / "summary.txt").write_text("\n".join(result.summary()) + "\n")
    return path
