"""The CNIL notification and the ARS / CERT Santé declaration, as Markdown and PDF,
written from the incident's facts (Jinja2 templates in French).

The CNIL draft is refused as "complete" while an art. 33(3) item is empty, and refused
altogether after the 72 h deadline until the reasons for the delay are recorded. Each
draft is logged in the chronology with its text, so a complementary notification shows
what changed since the previous one (DIR/cnil.diff).
"""

from __future__ import annotations

import difflib
import os
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from vigie.errors import UsageError
from vigie.incidents.db import from_utc_text
from vigie.incidents.obligations import now_utc
from vigie.incidents.register import load_incident, record_event, sending_counts
from vigie.notify import advice
from vigie.notify.facts import ART33_ITEMS_EN, context, neutral_label, paris
from vigie.notify.pdf import write_pdf
from vigie.paths import write_private

CHANNEL_LABELS = {"email": "courriel", "sms": "SMS", "letter": "courrier postal"}
# Channels whose provider reports delivery (DSN, SMS gateway receipts): "delivered" is
# shown for them even at 0, so the reader sees how many deliveries are confirmed.
RECEIPT_CHANNELS = ("email", "sms")
# HTML templates are escaped (a DPO's text or an organisation name cannot inject markup);
# Markdown and plain-text ones are not.
TEMPLATES = Environment(loader=PackageLoader("vigie.notify", "templates"),
                        undefined=StrictUndefined,
                        autoescape=select_autoescape(enabled_extensions=("html.j2",),
                                                     default=False),
                        keep_trailing_newline=True, trim_blocks=False)


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def draft_cnil(engine, incident_id: int, out: Path, *, phase: str = "initial",
               complete: bool = False, author: str = "dpo",
               now: datetime | None = None) -> list[Path]:
    """Write out/cnil.md and out/cnil.pdf (and out/cnil.diff for a complementary one)."""
    if phase not in ("initial", "complementary"):
        raise UsageError("--phase: choose initial or complementary")
    incident = load_incident(engine, incident_id)
    ctx = context(incident, now or now_utc())
    if ctx["late"] and not incident.facts.get("delay_reasons", "").strip():
        raise UsageError("the 72-hour deadline has passed: record the reasons for the delay "
                         f"first (vigie incident fact {incident_id} delay_reasons=...)")
    if complete and ctx["missing_keys"]:
        raise UsageError("cannot call the notification complete; missing: "
                         + "; ".join(ART33_ITEMS_EN[k] for k in ctx["missing_keys"]))
    previous = [d for d in incident.drafts if d.get("document") == "cnil"]
    filings = [f for f in incident.filings if f["regime"] == "gdpr-33-cnil"]
    if phase == "complementary" and not filings:
        raise UsageError("a complementary notification needs the initial one filed first "
                         f"(vigie incident file {incident_id} --regime gdpr-33-cnil --reference ...)")
    complementary = phase == "complementary"
    ctx.update(phase=phase, complete=complete,
               previous_reference=filings[-1]["reference"] if complementary else "",
               sending=sending_lines(sending_counts(engine, incident_id)),
               registry_changes=registry_changes(incident, filings[-1]["at"])
               if complementary else None)
    text = TEMPLATES.get_template("cnil.md.j2").render(**ctx)
    out = private_dir(Path(out))
    written = [out / "cnil.md", out / "cnil.pdf"]
    write_private(written[0], text)
    write_pdf(written[1], text)
    if previous:
        diff = "".join(difflib.unified_diff(previous[-1]["text"].splitlines(True),
                                            text.splitlines(True), "précédente", "nouvelle"))
        write_private(out / "cnil.diff", diff)
        written.append(out / "cnil.diff")
    record_event(engine, incident_id, "draft", author,
                 {"document": "cnil", "phase": phase, "complete": complete, "text": text})
    return written


def sending_lines(counts: dict[str, dict[str, int]]) -> list[str]:
    """The sending ledger in French, one line per channel then the totals: sent (the
    provider took it; delivered ones included), delivered (receipt received), bounced
    (permanent refusal: the next channel was tried), in progress, temporary failure."""
    if not counts:
        return []
    lines, totals = [], {"accepted": 0, "delivered": 0, "bounced": 0}
    for channel, by_status in sorted(counts.items()):
        accepted = by_status.get("sent", 0) + by_status.get("delivered", 0)
        delivered, bounced = by_status.get("delivered", 0), by_status.get("bounced", 0)
        parts = [_count(accepted, "envoyé")
                 + (f" dont {_count(delivered, 'distribué')} (accusé de réception)"
                    if channel in RECEIPT_CHANNELS else "")]
        if bounced:
            parts.append(f"{_count(bounced, 'rejeté')} (autre canal essayé)")
        for status, label in (("pending", "en cours"), ("failed", "en échec temporaire")):
            if by_status.get(status):
                parts.append(f"{by_status[status]} {label}")
        lines.append(f"{CHANNEL_LABELS.get(channel, channel)} : {', '.join(parts)}")
        totals["accepted"] += accepted
        totals["delivered"] += delivered
        totals["bounced"] += bounced
    lines.append(f"total : {_count(totals['accepted'], 'envoyé')}, "
                 f"{_count(totals['delivered'], 'distribué')} (accusé de réception), "
                 f"{_count(totals['bounced'], 'rejeté')}")
    return lines


def _count(n: int, participle: str) -> str:
    """'1 envoyé', '0 envoyé', '3 envoyés' (French: plural from 2)."""
    return f"{n} {participle}{'s' if n >= 2 else ''}"


def registry_changes(incident, since: str) -> dict | None:
    """How the affected-person set changed after `since` (the previous CNIL filing):
    registry patients then and now, each replacement's added / removed, and the kinds
    whose count moved. None when no newer assessment replaced the set."""
    changes = [h for h in incident.affected_history if h["at"] > since]
    if not changes:
        return None
    before, after = changes[0]["previous"], changes[-1]["current"]
    kinds = [f"{neutral_label(k)} : {after['kinds'].get(k, 0)} patients (précédemment "
             f"{before['kinds'].get(k, 0)})"
             for k in sorted(set(before["kinds"]) | set(after["kinds"]), key=advice.kind_order)
             if before["kinds"].get(k, 0) != after["kinds"].get(k, 0)]
    return {"before": before["persons"], "after": after["persons"], "kinds": kinds,
            "revisions": [{"at": paris(from_utc_text(h["at"])), "added": h["persons_added"],
                           "removed": h["persons_removed"]} for h in changes]}


def draft_ars(engine, incident_id: int, out: Path, *, author: str = "dpo",
              now: datetime | None = None) -> list[Path]:
    """Write out/ars.md and out/ars.pdf along the 2017 arrêté's four blocks."""
    incident = load_incident(engine, incident_id)
    if not incident.health_establishment:
        raise UsageError("this incident is not under CSP L.1111-8-2 (opened with "
                         "--no-health-establishment)")
    text = TEMPLATES.get_template("ars.md.j2").render(**context(incident, now or now_utc()))
    out = private_dir(Path(out))
    written = [out / "ars.md", out / "ars.pdf"]
    write_private(written[0], text)
    write_pdf(written[1], text)
    record_event(engine, incident_id, "draft", author, {"document": "ars"})
    return written
