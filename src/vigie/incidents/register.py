"""The incident register's operations: open an incident from an assessment, record facts,
decisions and filings (each a chronology entry), read an incident back, export the
art. 33(5) register.

An incident's current state is derived from its chronology (the last fact of each field
wins), so corrections are new entries and the history stays complete.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, select

from vigie.errors import InputError, UsageError
from vigie.incidents import chronology
from vigie.incidents.affected import read_affected
from vigie.incidents.db import from_utc_text, to_utc_text, utc_now
from vigie.incidents.keys import master_key
from vigie.incidents.obligations import load_regimes, regimes_version
from vigie.incidents.risk import OUTCOMES, is_downgrade, propose
from vigie.incidents.tables import affected, incidents, outbox

NATURES = ("confidentiality", "integrity", "availability")
ROLES = ("controller", "processor")
SEVERITY_LEVELS = ("low", "medium", "high", "very high")
# Free-text facts the DPO records; the documents read them by these names.
FACT_FIELDS = ("organisation", "siren", "dpo_name", "dpo_contact", "contact_point",
               "description", "discovery", "systems", "consequences", "measures",
               "prevention", "causes", "delay_reasons", "declarant", "care_status", "impacts")
BATCH = 1000


@dataclass
class Incident:
    """One incident as the documents and the status command see it."""

    id: int
    reference: str
    created_at: datetime
    aware_at: datetime
    nature: tuple[str, ...]
    malicious: bool
    role: str
    assessment: dict
    assessment_sha256: str
    health_establishment: bool = True
    opt_in: tuple[str, ...] = ()
    facts: dict[str, str] = field(default_factory=dict)
    risk: dict = field(default_factory=dict)          # outcome, proposal, reason, author
    severity: dict = field(default_factory=dict)      # level, score, method, override reason
    filings: list[dict] = field(default_factory=list)
    drafts: list[dict] = field(default_factory=list)
    affected_count: int = 0
    # One entry per replacement of the affected-person set (attach): at, previous and
    # new figures (persons, per kind, per group), persons added / removed / kept.
    affected_history: list[dict] = field(default_factory=list)
    chain_length: int = 0


def parse_aware_at(text: str) -> datetime:
    """ISO 8601 time; a time without zone is read as Europe/Paris (what a DPO types)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError("--aware-at: expected an ISO 8601 time, e.g. 2026-11-25T09:30+01:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Paris"))
    if moment > datetime.now(timezone.utc):
        raise UsageError("--aware-at: the awareness time cannot be in the future")
    return moment.astimezone(timezone.utc)


def load_assessment(folder: Path) -> tuple[dict, str]:
    """(assessment, sha256 of its bytes) from DIR/assessment.json."""
    path = Path(folder) / "assessment.json"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(path, "not valid JSON", line=getattr(exc, "lineno", None)) from None
    if not isinstance(data, dict) or data.get("vigie_report") != 1:
        raise InputError(path, "not a Vigie assessment (vigie_report 1 expected)")
    for key in ("persons", "exposure", "severity"):
        if not isinstance(data.get(key), dict):
            raise InputError(path, f"'{key}' is missing or not an object")
    distinct = data["persons"].get("distinct")
    if not isinstance(distinct, int) or isinstance(distinct, bool) or distinct < 0:
        raise InputError(path, "persons.distinct is not a non-negative integer")
    if not isinstance(data.get("tables", []), list) or not all(
            isinstance(t, dict) and isinstance(t.get("rows", 0), int) for t in data.get("tables", [])):
        raise InputError(path, "'tables' is not a list of tables with integer rows")
    return data, hashlib.sha256(raw).hexdigest()


def open_incident(engine: Engine, assessment_dir: Path, aware_at: datetime, *,
                  nature: tuple[str, ...] = ("confidentiality",), malicious: bool = True,
                  role: str = "controller", health_establishment: bool = True,
                  opt_in: tuple[str, ...] = (), affected_csv: Path | None = None,
                  author: str = "vigie") -> int:
    """Create the incident, store its assessment and affected persons (HMAC + kinds), and
    write the opening entry and the risk proposal into the chronology. Returns its id."""
    bad = [n for n in nature if n not in NATURES]
    if bad or not nature:
        raise UsageError(f"--nature: choose among {', '.join(NATURES)}")
    if role not in ROLES:
        raise UsageError(f"--role: choose among {', '.join(ROLES)}")
    assessment, digest = load_assessment(assessment_dir)
    affected_csv = affected_csv or Path(assessment_dir) / "affected.csv"
    key = master_key() if affected_csv.exists() else b""
    now = utc_now()
    stored_json = json.dumps(assessment, ensure_ascii=False)
    with engine.begin() as conn:
        inserted = conn.execute(insert(incidents).values(
            reference="pending-" + secrets.token_hex(16), created_at=now,
            aware_at=to_utc_text(aware_at), nature="|".join(nature), malicious=int(malicious),
            role=role, assessment_json=stored_json,
            assessment_sha256=digest)).inserted_primary_key
        if inserted is None:
            raise RuntimeError("the register did not return the new incident's id")
        incident_id = inserted[0]
        reference = f"VIGIE-{aware_at.year}-{incident_id:04d}"
        conn.execute(incidents.update().where(incidents.c.id == incident_id)
                     .values(reference=reference))
        persons, sealed = (_store_affected(conn, incident_id, affected_csv, key)
                           if affected_csv.exists() else (0, hashlib.sha256().hexdigest()))
        chronology.append(conn, incident_id, "opened", author, {
            "reference": reference, "aware_at": to_utc_text(aware_at), "nature": list(nature),
            "malicious": malicious, "role": role, "health_establishment": health_establishment,
            "opt_in": sorted(opt_in), "assessment_sha256": digest,
            "assessment_json_sha256": hashlib.sha256(stored_json.encode("utf-8")).hexdigest(),
            "affected_persons": persons, "affected_sha256": sealed,
            "obligations_version": regimes_version()})
        outcome, why, why_en = propose(assessment, tuple(nature))
        chronology.append(conn, incident_id, "risk_proposal", "vigie",
                          {"outcome": outcome, "reason": why, "reason_en": why_en})
    return incident_id


def affected_line(row) -> bytes:
    """One affected person as sealed in the opening entry (verify recomputes it)."""
    return (f"{row['person_key']}|{row['kinds']}|{float(row['match_probability']):.6f}|"
            f"{row['grp']}\n").encode("utf-8")


def _store_affected(conn, incident_id: int, path: Path, key: bytes) -> tuple[int, str]:
    """Insert the persons of an affected.csv; (count, digest sealed in the chronology)."""
    persons = 0
    sealed = hashlib.sha256()
    batch: list[dict] = []
    for row in read_affected(path, key):
        sealed.update(affected_line(row))
        batch.append({"incident_id": incident_id, **row})
        if len(batch) >= BATCH:
            persons += _insert_affected(conn, batch, path)
            batch = []
    persons += _insert_affected(conn, batch, path)
    return persons, sealed.hexdigest()


def affected_figures(conn, incident_id: int) -> dict:
    """Counts of the current affected-person set: persons, per exposed kind, per
    controller group (what a complementary notification compares; no person key)."""
    persons = 0
    kinds: dict[str, int] = {}
    groups: dict[str, int] = {}
    rows = conn.execute(select(affected.c.kinds, affected.c.grp)
                        .where(affected.c.incident_id == incident_id))
    for joined, group in rows:
        persons += 1
        for kind in filter(None, joined.split("|")):
            kinds[kind] = kinds.get(kind, 0) + 1
        if group:
            groups[group] = groups.get(group, 0) + 1
    return {"persons": persons, "kinds": dict(sorted(kinds.items())),
            "groups": dict(sorted(groups.items()))}


def _short_keys(conn, incident_id: int) -> set[int]:
    """The incident's person keys as 64-bit integers (a third of the memory of the hex
    strings; a collision would only shift a count by one in 2**64)."""
    rows = conn.execute(select(affected.c.person_key)
                        .where(affected.c.incident_id == incident_id))
    return {int(k[:16], 16) for k in rows.scalars()}


def _insert_affected(conn, batch: list[dict], path: Path) -> int:
    """Insert one batch; a person listed twice in affected.csv is a bad input."""
    if not batch:
        return 0
    keys = [r["person_key"] for r in batch]
    if len(set(keys)) != len(keys) or conn.execute(
            select(func.count()).select_from(affected).where(
                affected.c.incident_id == batch[0]["incident_id"],
                affected.c.person_key.in_(keys))).scalar_one():
        raise InputError(path, "the same registry_id appears twice")
    conn.execute(insert(affected), batch)
    return len(batch)


def attach_assessment(engine: Engine, incident_id: int, assessment_dir: Path,
                      author: str = "dpo", affected_csv: Path | None = None) -> dict:
    """Attach a newer assessment (a re-run on the full file, a second file...): it becomes
    the source of the figures from now on, the earlier ones stay in the chronology.

    When the new run was linked to the registry (its affected.csv, or `affected_csv`), its
    persons REPLACE the incident's affected-person set: the entry keeps the figures of
    the set it replaces and how many persons were added, removed or kept (counts only),
    and seals the new set for `verify`. Returns the entry's payload without the assessment.
    """
    assessment, digest = load_assessment(assessment_dir)
    affected_csv = affected_csv or Path(assessment_dir) / "affected.csv"
    with engine.begin() as conn:
        _require(conn, incident_id)
        payload: dict = {"assessment_sha256": digest}
        if affected_csv.exists():
            before = affected_figures(conn, incident_id)
            old_keys = _short_keys(conn, incident_id)
            conn.execute(affected.delete().where(affected.c.incident_id == incident_id))
            persons, sealed = _store_affected(conn, incident_id, affected_csv, master_key())
            kept = len(old_keys & _short_keys(conn, incident_id))
            payload.update(affected_persons=persons, affected_sha256=sealed,
                           affected_figures=affected_figures(conn, incident_id),
                           previous_affected_figures=before, persons_added=persons - kept,
                           persons_removed=before["persons"] - kept, persons_kept=kept)
        chronology.append(conn, incident_id, "assessment_attached", author,
                          {**payload, "assessment": assessment})
    return payload


def record_facts(engine: Engine, incident_id: int, values: dict[str, str], author: str) -> None:
    """Record DPO facts (a correction is simply a newer fact for the same field)."""
    unknown = [k for k in values if k not in FACT_FIELDS]
    if unknown:
        raise UsageError(f"unknown fact(s): {', '.join(unknown)}")
    with engine.begin() as conn:
        _require(conn, incident_id)
        chronology.append(conn, incident_id, "fact", author, dict(values))


def decide_risk(engine: Engine, incident_id: int, outcome: str, author: str,
                reason: str = "") -> None:
    """The DPO's risk decision; below the proposal it needs a written reason."""
    if outcome not in OUTCOMES:
        raise UsageError(f"--risk: choose among {', '.join(OUTCOMES)}")
    incident = load_incident(engine, incident_id)
    proposal = incident.risk["proposal"]
    if is_downgrade(proposal, outcome) and not reason.strip():
        raise UsageError(f"the proposal is '{proposal}': a lower risk needs --reason")
    with engine.begin() as conn:
        chronology.append(conn, incident_id, "risk_decision", author,
                          {"outcome": outcome, "proposal": proposal, "reason": reason.strip()})


def override_severity(engine: Engine, incident_id: int, level: str, author: str,
                      reason: str) -> None:
    """Replace the assessment's ENISA level; always with a written reason."""
    if level not in SEVERITY_LEVELS:
        raise UsageError(f"--severity: choose among {', '.join(SEVERITY_LEVELS)}")
    if not reason.strip():
        raise UsageError("overriding the severity needs --reason")
    with engine.begin() as conn:
        _require(conn, incident_id)
        chronology.append(conn, incident_id, "severity_override", author,
                          {"level": level, "reason": reason.strip()})


def record_filing(engine: Engine, incident_id: int, regime: str, author: str,
                  reference: str = "", phase: str = "initial") -> None:
    """A filing made (CNIL receipt, ARS portal, processor notice sent...)."""
    if regime not in {r["id"] for r in load_regimes()}:
        raise UsageError("--regime: unknown regime (see `vigie incident status`)")
    with engine.begin() as conn:
        _require(conn, incident_id)
        chronology.append(conn, incident_id, "filing", author,
                          {"regime": regime, "reference": reference, "phase": phase})


def record_event(engine: Engine, incident_id: int, kind: str, author: str, payload: dict) -> None:
    """Any other chronology event (drafts written, sending runs)."""
    with engine.begin() as conn:
        _require(conn, incident_id)
        chronology.append(conn, incident_id, kind, author, payload)


def _require(conn, incident_id: int):
    row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).first()
    if row is None:
        raise UsageError(f"no incident {incident_id} in this register")
    return row


def load_incident(engine: Engine, incident_id: int) -> Incident:
    """The incident with its state folded from the chronology."""
    with engine.connect() as conn:
        row = _require(conn, incident_id)
        events = chronology.entries(conn, incident_id)
        persons = conn.execute(select(func.count()).select_from(affected)
                               .where(affected.c.incident_id == incident_id)).scalar_one()
    assessment = json.loads(row.assessment_json)
    sev = assessment.get("severity") or {}
    incident = Incident(
        id=row.id, reference=row.reference, created_at=from_utc_text(row.created_at),
        aware_at=from_utc_text(row.aware_at), nature=tuple(row.nature.split("|")),
        malicious=bool(row.malicious), role=row.role, assessment=assessment,
        assessment_sha256=row.assessment_sha256, affected_count=persons,
        chain_length=len(events),
        severity={"level": sev.get("level", "unknown"), "score": sev.get("score"),
                  "method": sev.get("method", ""), "reasons": sev.get("reasons", []),
                  "override_reason": ""})
    for event in events:
        payload = event.payload
        if event.kind == "opened":
            incident.health_establishment = bool(payload.get("health_establishment", True))
            incident.opt_in = tuple(payload.get("opt_in", ()))
        elif event.kind == "assessment_attached":
            incident.assessment = payload["assessment"]
            incident.assessment_sha256 = payload["assessment_sha256"]
            sev = incident.assessment.get("severity") or {}
            incident.severity.update(level=sev.get("level", "unknown"), score=sev.get("score"),
                                     method=sev.get("method", ""), reasons=sev.get("reasons", []))
            if "affected_figures" in payload:
                incident.affected_history.append({
                    "at": event.at, "previous": payload["previous_affected_figures"],
                    "current": payload["affected_figures"],
                    **{k: payload[k] for k in ("persons_added", "persons_removed",
                                               "persons_kept")}})
        elif event.kind == "fact":
            incident.facts.update({k: str(v) for k, v in payload.items()})
        elif event.kind == "risk_proposal":
            incident.risk = {"proposal": payload["outcome"], "outcome": payload["outcome"],
                             "proposal_reason": payload["reason"],
                             "proposal_reason_en": payload.get("reason_en", payload["reason"]),
                             "reason": "",
                             "author": "", "decided": False}
        elif event.kind == "risk_decision":
            incident.risk.update(outcome=payload["outcome"], reason=payload["reason"],
                                 author=event.author, decided=True)
        elif event.kind == "severity_override":
            incident.severity.update(level=payload["level"], override_reason=payload["reason"],
                                     override_author=event.author)
        elif event.kind == "filing":
            incident.filings.append({**payload, "at": event.at, "author": event.author})
        elif event.kind == "draft":
            incident.drafts.append({**payload, "at": event.at})
    return incident


def list_incident_ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(select(incidents.c.id).order_by(incidents.c.id)).scalars())


def sending_counts(engine: Engine, incident_id: int) -> dict[str, dict[str, int]]:
    """{channel: {status: count}} from the outbox (feeds the complementary notification)."""
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.channel, outbox.c.status, func.count())
                            .where(outbox.c.incident_id == incident_id)
                            .group_by(outbox.c.channel, outbox.c.status))
        counts: dict[str, dict[str, int]] = {}
        for channel, status, n in rows:
            counts.setdefault(channel, {})[status] = n
    return counts


REGISTER_COLUMNS = ("reference", "aware_at_utc", "nature", "malicious", "role", "persons",
                    "affected_in_registry", "exposed_kinds", "severity", "risk_proposal",
                    "risk_decision", "risk_reason", "consequences", "measures",
                    "filings", "assessment_sha256", "chronology_entries")


def register_rows(engine: Engine) -> list[dict]:
    """The art. 33(5) register: every breach, notified or not, one row each."""
    from vigie.incidents.risk import exposed_kinds
    rows = []
    for incident_id in list_incident_ids(engine):
        inc = load_incident(engine, incident_id)
        rows.append({
            "reference": inc.reference, "aware_at_utc": to_utc_text(inc.aware_at),
            "nature": "|".join(inc.nature), "malicious": inc.malicious, "role": inc.role,
            "persons": inc.assessment["persons"].get("distinct", 0),
            "affected_in_registry": inc.affected_count,
            "exposed_kinds": "|".join(sorted(exposed_kinds(inc.assessment))),
            "severity": inc.severity["level"], "risk_proposal": inc.risk.get("proposal", ""),
            "risk_decision": inc.risk.get("outcome", "") if inc.risk.get("decided") else "",
            "risk_reason": inc.risk.get("reason", ""),
            "consequences": inc.facts.get("consequences", ""),
            "measures": inc.facts.get("measures", ""),
            "filings": "|".join(f"{f['regime']}:{f['phase']}:{f['at']}" for f in inc.filings),
            "assessment_sha256": inc.assessment_sha256,
            "chronology_entries": inc.chain_length})
    return rows


def export_register(engine: Engine, fmt: str) -> str:
    """The register as CSV (formula-safe cells) or JSON text."""
    rows = register_rows(engine)
    if fmt == "json":
        return json.dumps({"register": rows}, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise UsageError("--export: choose csv or json")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: formula_safe(v) for k, v in row.items()})
    return buffer.getvalue()


def formula_safe(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (a quote before = + - @)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
