"""`vigie incident verify`: the chronology's hash chain, and the incident row and the
affected persons against what the chronology sealed (awareness time, nature and
assessment hash at opening; the digest of the affected-person rows at opening, or at the
last attached assessment that replaced them)."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, select

from vigie.errors import UsageError
from vigie.incidents import chronology
from vigie.incidents.register import affected_line
from vigie.incidents.tables import affected, incidents


def verify_incident(engine: Engine, incident_id: int) -> tuple[list[str], str]:
    """(problems, head hash). The head hash is worth writing down outside Vigie: it also
    proves later that no entry was cut from the end of the chain."""
    with engine.connect() as conn:
        row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).first()
        if row is None:
            raise UsageError(f"no incident {incident_id} in this register")
        problems = chronology.verify_chain(conn, incident_id)
        entries = chronology.entries(conn, incident_id)
        sealed = hashlib.sha256()
        persons = conn.execute(select(affected).where(affected.c.incident_id == incident_id)
                               .order_by(affected.c.id)).mappings()
        for person in persons:
            sealed.update(affected_line(person))
        head = conn.execute(select(chronology.chronology.c.hash)
                            .where(chronology.chronology.c.incident_id == incident_id)
                            .order_by(chronology.chronology.c.seq.desc()).limit(1)).scalar()
    opened = next((e.payload for e in entries if e.kind == "opened"), None)
    if opened is None:
        problems.append("no opening entry")
        return problems, head or ""
    stored = hashlib.sha256(row.assessment_json.encode("utf-8")).hexdigest()
    sealed_json = opened.get("assessment_json_sha256")
    if opened["aware_at"] != row.aware_at:
        problems.append("incident row: awareness time differs from the opening entry")
    if "|".join(opened["nature"]) != row.nature:
        problems.append("incident row: nature differs from the opening entry")
    if opened["assessment_sha256"] != row.assessment_sha256:
        problems.append("incident row: assessment hash differs from the opening entry")
    if sealed_json != stored:
        problems.append("incident row: stored assessment differs from the opening entry")
    seal = [e.payload for e in entries
            if e.kind in ("opened", "assessment_attached") and "affected_sha256" in e.payload][-1]
    if seal.get("affected_sha256") != sealed.hexdigest():
        problems.append("affected persons differ from those sealed at opening"
                        if seal is opened else
                        "affected persons differ from those sealed by the last attached assessment")
    if opened["reference"] != row.reference:
        problems.append("incident row: reference differs from the opening entry")
    return problems, head or ""
