"""The Assessment: what `vigie assess` found, mirroring assessment.json version 1.

The JSON contract lives in /work/shared/DESIGN.md and is published as
schemas/assessment.schema.json. `Assessment.to_dict()` writes the contract's fields first,
in the contract's order, then the allowed additions: per column the runner-up kinds, the
EDPB data type and the art. 9 flag; per exposure entry the same two; a `data_types` summary
that fills the EDPB template's field 70 (type of data, with persons per type); the ENISA
components of the severity. Nothing here holds a raw personal value: examples are masked
before they reach the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REPORT_VERSION = 1


@dataclass
class RunnerUp:
    """A kind the classifier also considered for a column, with its confidence."""

    kind: str
    confidence: float

    def to_dict(self) -> dict:
        return {"kind": self.kind, "confidence": round(self.confidence, 3)}


@dataclass
class Column:
    """One column of a table: its kind, full-column counts and masked examples."""

    name: str
    position: int
    kind: str
    category: str
    confidence: float
    non_null: int
    valid: int
    evidence: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    runners_up: list[RunnerUp] = field(default_factory=list)
    edpb_data_type: str | None = None
    art9: bool = False
    validated: bool = False          # `valid` comes from a validator (else it equals non_null)
    free_text: bool = False
    mentions: dict[str, int] = field(default_factory=dict)   # mention -> rows mentioning it

    def to_dict(self) -> dict:
        return {
            "name": self.name, "position": self.position, "kind": self.kind,
            "category": self.category, "confidence": round(self.confidence, 3),
            "non_null": self.non_null, "valid": self.valid,
            "evidence": list(self.evidence), "examples": list(self.examples),
            "runners_up": [r.to_dict() for r in self.runners_up],
            "edpb_data_type": self.edpb_data_type, "art9": self.art9,
            "validated": self.validated, "free_text": self.free_text,
            "mentions": dict(self.mentions),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Column":
        return cls(
            name=d["name"], position=d["position"], kind=d["kind"], category=d["category"],
            confidence=d["confidence"], non_null=d["non_null"], valid=d["valid"],
            evidence=list(d.get("evidence", [])), examples=list(d.get("examples", [])),
            runners_up=[RunnerUp(r["kind"], r["confidence"]) for r in d.get("runners_up", [])],
            edpb_data_type=d.get("edpb_data_type"), art9=d.get("art9", False),
            validated=d.get("validated", False), free_text=d.get("free_text", False),
            mentions=dict(d.get("mentions", {})))


@dataclass
class TableReport:
    """One table of the source (a file, a sheet, a dump or database table)."""

    name: str
    rows: int
    columns: list[Column] = field(default_factory=list)
    person_key: str | None = None    # how rows of this table were tied to persons, if at all

    def to_dict(self) -> dict:
        return {"name": self.name, "rows": self.rows,
                "columns": [c.to_dict() for c in self.columns],
                "person_key": self.person_key}

    @classmethod
    def from_dict(cls, d: dict) -> "TableReport":
        return cls(d["name"], d["rows"], [Column.from_dict(c) for c in d["columns"]],
                   d.get("person_key"))


@dataclass
class Persons:
    """Distinct people across all tables, and how they were told apart."""

    distinct: int
    method: str

    def to_dict(self) -> dict:
        return {"distinct": self.distinct, "method": self.method}


@dataclass
class Exposure:
    """Distinct persons for whom one kind (or free-text mention) is exposed."""

    persons: int
    edpb_data_type: str | None = None
    art9: bool = False

    def to_dict(self) -> dict:
        return {"persons": self.persons, "edpb_data_type": self.edpb_data_type,
                "art9": self.art9}


@dataclass
class DataType:
    """One EDPB field-70 data type present in the leak (what the CNIL form asks)."""

    label: str
    art9: bool
    kinds: list[str]
    persons: int

    def to_dict(self) -> dict:
        return {"label": self.label, "art9": self.art9, "kinds": list(self.kinds),
                "persons": self.persons}


@dataclass
class Severity:
    """The ENISA 2013 score, proposed to the DPO with its reasons (never a final decision)."""

    method: str
    score: float
    level: str
    reasons: list[str]
    dpc: float
    ei: float
    cb: float
    edpb_severity: str               # field 87 of the EDPB template: Minor / Moderate / Severe

    def to_dict(self) -> dict:
        return {"method": self.method, "score": round(self.score, 2), "level": self.level,
                "reasons": list(self.reasons), "dpc": self.dpc, "ei": self.ei,
                "cb": self.cb, "edpb_severity": self.edpb_severity, "status": "proposal"}

    @classmethod
    def from_dict(cls, d: dict) -> "Severity":
        return cls(d["method"], d["score"], d["level"], list(d["reasons"]), d["dpc"], d["ei"],
                   d["cb"], d["edpb_severity"])


@dataclass
class Assessment:
    """Everything `vigie assess` reports about one leak (one or several paths)."""

    source: dict
    tables: list[TableReport]
    persons: Persons
    exposure: dict[str, Exposure]
    severity: Severity
    elapsed_s: float
    data_types: dict[str, DataType] = field(default_factory=dict)
    sources: list[dict] = field(default_factory=list)   # each path's info, when several
    registry: dict | None = None   # `vigie assess --registry`: vigie.link's counts (issue 4)
    trace: dict | None = None      # which recorded export the leak came from (vigie.trace)

    def to_dict(self) -> dict:
        out = {
            "vigie_report": REPORT_VERSION,
            "source": dict(self.source),
            "tables": [t.to_dict() for t in self.tables],
            "persons": self.persons.to_dict(),
            "exposure": {k: e.to_dict() for k, e in self.exposure.items()},
            "severity": self.severity.to_dict(),
            "elapsed_s": round(self.elapsed_s, 2),
            "data_types": {k: t.to_dict() for k, t in self.data_types.items()},
        }
        if self.sources:
            out["sources"] = [dict(s) for s in self.sources]
        if self.registry is not None:
            out["registry"] = dict(self.registry)
        if self.trace is not None:
            out["trace"] = dict(self.trace)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Assessment":
        return cls(
            source=dict(d["source"]),
            tables=[TableReport.from_dict(t) for t in d["tables"]],
            persons=Persons(**d["persons"]),
            exposure={k: Exposure(e["persons"], e.get("edpb_data_type"), e.get("art9", False))
                      for k, e in d["exposure"].items()},
            severity=Severity.from_dict(d["severity"]),
            elapsed_s=d["elapsed_s"],
            data_types={k: DataType(t["label"], t["art9"], list(t["kinds"]), t["persons"])
                        for k, t in d.get("data_types", {}).items()},
            sources=[dict(s) for s in d.get("sources", [])],
            registry=dict(d["registry"]) if "registry" in d else None,
            trace=dict(d["trace"]) if "trace" in d else None)
