"""Per-patient art. 34 messages: e-mail (text + HTML in one .eml), SMS and postal letter,
each naming ONLY the kinds that leaked about that patient, with the advice blocks for
those kinds, the contact point, likely consequences, measures and the anti-phishing line.

Contacts come from the registry (streamed through vigie.sources: a CSV, Parquet, Excel or
SQLite file, or a database URL); the register only knows HMACs, so each
registry id is hashed with the master key and looked up among the incident's affected
persons. File names are sequence numbers, never identifiers. DIR/patients/manifest.csv
lists registry_id,channel,file,kinds.
"""

from __future__ import annotations

import csv
import io
import json
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from pathlib import Path

import phonenumbers
from sqlalchemy import select

from vigie.errors import InputError, UsageError
from vigie.incidents.keys import master_key, person_key
from vigie.incidents.register import formula_safe, load_incident, record_event
from vigie.incidents.tables import affected
from vigie.kinds import CATEGORY
from vigie.notify import advice
from vigie.notify.documents import TEMPLATES, private_dir
from vigie.notify.facts import PARIS
from vigie.notify.sms import MAX_SEGMENTS, segments, to_gsm7
from vigie.paths import write_private
from vigie.sources import open_source

TEMPLATE_REVISION = "t2"
MANIFEST_COLUMNS = ("registry_id", "channel", "file", "kinds")
# The registry's identifier column: Vigie's name first, then `vigie synth registry`'s.
ID_COLUMNS = ("registry_id", "patient_id", "id")
ID_COLUMN = "registry_id"
# Columns that reach a patient, any one group is enough (the manifest's three channels).
CONTACT_COLUMNS = (("email",), ("phone",), ("address", "postcode", "city"))
NATURE_TEXT = {
    "confidentiality": "un accès non autorisé à des données, qui ont pu être copiées et diffusées",
    "integrity": "une modification non autorisée de données",
    "availability": "une indisponibilité de nos systèmes",
}
REQUIRED_FACTS = {"measures": "measures", "dpo_name": "dpo_name", "dpo_contact": "dpo_contact",
                  "contact_point": "contact_point", "organisation": "organisation"}


def template_version() -> str:
    """Identifies the message wording: advice library version + template revision."""
    return f"{advice.version()}+{TEMPLATE_REVISION}"


def _affected_persons(engine, incident_id: int) -> dict[str, list[str]]:
    """{person key: exposed kinds in vocabulary order} for the incident."""
    with engine.connect() as conn:
        rows = conn.execute(select(affected.c.person_key, affected.c.kinds)
                            .where(affected.c.incident_id == incident_id))
        return {r.person_key: sorted(filter(None, r.kinds.split("|")), key=advice.kind_order)
                for r in rows}


def _phone(raw: str) -> str | None:
    """E.164 number, or None when the registry value is not a valid phone number."""
    if not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sms_text(base: dict, kinds: list[str]) -> str:
    """The SMS, in GSM-7 and at most two segments (categories, never values)."""
    cats = list(dict.fromkeys(sms for k in kinds
                              if (sms := CATEGORY[advice.category(k)].sms)))
    for categories in (", ".join(cats), "certaines donnees"):
        text = to_gsm7(TEMPLATES.get_template("patient_sms.txt.j2")
                       .render(categories=categories, **base).strip())
        if segments(text) <= MAX_SEGMENTS:
            return text
    raise UsageError("the SMS does not fit two segments: shorten organisation or contact_point")


def draft_patients(engine, incident_id: int, registry: str | Path, out: Path, *,
                   sender: str = "", author: str = "dpo") -> Path:
    """Write out/patients/ (messages + manifest.csv); returns the manifest's path."""
    incident = load_incident(engine, incident_id)
    missing = [name for name, fact in REQUIRED_FACTS.items()
               if not incident.facts.get(fact, "").strip()]
    if missing:
        raise UsageError("art. 34(2) needs these facts first: " + ", ".join(missing)
                         + f" (vigie incident fact {incident_id} FIELD=...)")
    persons = _affected_persons(engine, incident_id)
    if not persons:
        raise UsageError("no affected persons in this incident (open it with affected.csv)")
    key = master_key()
    folder = private_dir(Path(out) / "patients")
    facts = incident.facts
    base = {"organisation": facts["organisation"], "contact_point": facts["contact_point"],
            "dpo_name": facts["dpo_name"], "dpo_contact": facts["dpo_contact"],
            "measures": facts["measures"], "reference": incident.reference,
            "anti_phishing": advice.library()["anti_phishing_line"],
            "aware_date": incident.aware_at.astimezone(PARIS).strftime("%d/%m/%Y"),
            "nature_text": " et ".join(NATURE_TEXT[n] for n in incident.nature)}
    sender = sender or facts.get("dpo_contact", "")
    subject = f"{facts['organisation']} : incident de sécurité concernant vos données"
    base["subject"] = subject
    headers = {"Subject": Header(subject, "utf-8").encode(),
               "From": formataddr((facts["organisation"], sender), charset="utf-8"),
               "X-Vigie-Template": template_version()}
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    wording = _Wording(base, headers)
    seen: set[str] = set()
    count = 0
    for row in _registry_rows(str(registry)):
        registry_id = row[ID_COLUMN].strip()
        pkey = person_key(key, registry_id)
        if pkey not in persons or pkey in seen:
            continue
        seen.add(pkey)
        count += 1
        kinds = persons[pkey]
        stem = f"p{count:06d}"
        text, email_body, sms = wording.for_kinds(tuple(kinds))
        kinds_text = "|".join(kinds)
        email = row.get("email", "").strip()
        if "@" in email and email.isascii() and not any(c.isspace() or ord(c) < 32
                                                        for c in email):
            write_private(folder / f"{stem}.email.eml", f"To: {email}\n".encode() + email_body)
            writer.writerow([formula_safe(registry_id), "email", f"{stem}.email.eml", kinds_text])
        phone = _phone(row.get("phone", ""))
        if phone:
            write_private(folder / f"{stem}.sms.json",
                          json.dumps({"to": phone, "text": sms}, ensure_ascii=False))
            writer.writerow([formula_safe(registry_id), "sms", f"{stem}.sms.json", kinds_text])
        address = [row.get(c, "").strip() for c in ("address", "postcode", "city")]
        if address[0] and address[1] and address[2]:
            name = f"{row.get('first_name', '').strip()} {row.get('last_name', '').strip()}".strip()
            letter = "\n".join([name, address[0], f"{address[1]} {address[2]}", "",
                                f"# {subject}", "", text])
            write_private(folder / f"{stem}.letter.md", letter)
            writer.writerow([formula_safe(registry_id), "letter", f"{stem}.letter.md", kinds_text])
    manifest_path = folder / "manifest.csv"
    write_private(manifest_path, manifest.getvalue())
    record_event(engine, incident_id, "draft", author, {
        "document": "patients", "out": str(folder.resolve()), "patients": count,
        "not_in_registry": len(persons) - count, "template_version": template_version()})
    return manifest_path


class _Wording:
    """The message texts depend only on the set of exposed kinds (no name in the body),
    so each distinct set is rendered once: text, e-mail without its To header, SMS."""

    def __init__(self, base: dict, headers: dict[str, str]):
        self.base, self.headers = base, headers
        self.cache: dict[tuple[str, ...], tuple[str, bytes, str]] = {}

    def for_kinds(self, kinds: tuple[str, ...]) -> tuple[str, bytes, str]:
        if kinds not in self.cache:
            ctx = {**self.base, "greeting": "Madame, Monsieur",
                   "labels": [advice.label(k) for k in kinds],
                   "consequences": advice.consequences_for(list(kinds)),
                   "blocks": advice.blocks_for(list(kinds))}
            text = TEMPLATES.get_template("patient.txt.j2").render(**ctx)
            message = MIMEMultipart("alternative")
            for name, value in self.headers.items():
                message[name] = value
            message.attach(MIMEText(text, "plain", "utf-8"))
            message.attach(MIMEText(TEMPLATES.get_template("patient.html.j2").render(**ctx),
                                    "html", "utf-8"))
            self.cache[kinds] = (text, message.as_bytes(), sms_text(self.base, list(kinds)))
        return self.cache[kinds]


def _registry_rows(location: str):
    """Stream the registry as dicts of strings (its identifier under ID_COLUMN, whichever
    of ID_COLUMNS it has). Any input vigie.sources reads: CSV, Parquet, Excel, SQLite, a
    database URL; typed values become text ('' for null, 12.0 from a sheet is '12')."""
    with open_source(location) as source:
        table = _registry_table(source)
        id_column = next(c for c in ID_COLUMNS if c in table.columns)
        for batch in table.batches():
            for record in batch.to_pylist():
                row = {name: _text(value) for name, value in record.items()}
                row[ID_COLUMN] = row[id_column]
                yield row


def _registry_table(source):
    """The one table with an identifier column and at least one way to reach the patient."""
    label = source.info.path
    tables = [t for t in source.tables() if any(c in t.columns for c in ID_COLUMNS)]
    if not tables:
        raise InputError(label, f"no identifier column ({', '.join(ID_COLUMNS)})")
    if len(tables) > 1:
        raise InputError(label, "several tables have an identifier column ("
                         + ", ".join(t.name for t in tables) + "): point --registry at one")
    table = tables[0]
    if not any(set(contact) <= set(table.columns) for contact in CONTACT_COLUMNS):
        raise InputError(table.origin or label, "no contact column: need email, phone, or "
                                                "address + postcode + city")
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
