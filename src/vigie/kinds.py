"""What every kind and every health mention means: ONE table, read by every other place.

Every column and free-text span of a leak gets one **kind** (DESIGN.md, "Kinds and
categories"); free-text health findings carry **mentions**. What a kind or a mention means
is written here once, and nowhere else:

- `category`: the Vigie category (identity, contact, national_id...) the reports group by;
- `edpb`: its value in field 70 ("type of personal data") of the EDPB common notification
  template that the CNIL form follows (research note breach-response.md §1, requirement 7);
  `art9` (GDPR art. 9 special category) follows from it;
- `enisa`: its role in the ENISA 2013 data-processing-context score (vigie.assess.severity);
- `identifies` (kinds): its role in the ENISA ease of identification;
- `masker` (kinds): how vigie.mask shows an example of it;
- `label` / `neutral`: its French name for a patient ("votre nom") and for a regulator or a
  doctor ("nom"), in the art. 34 messages and the CNIL, ARS and doctors' drafts;
- `advice`: the advice blocks of vigie/notify/advice.json a patient gets when it leaked.

The English reports name a kind by its `name`. The schema's vocabulary enums are written
from this table (scripts/write_schema_vocabulary.py), and tests/test_kinds_table.py fails
when a kind or a mention lacks a property or holds a value outside its closed list.

Adding a kind: one line in KIND_TABLE (and a masker in vigie.mask, an advice block in
advice.json, if it needs new ones), then run scripts/write_schema_vocabulary.py. Adding a
mention: one line in MENTION_TABLE, and the words that disclose it in
vigie.detect.lexicons.mentions.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass


@dataclass(frozen=True, kw_only=True)
class Category:
    """A group of kinds: how the DESIGN contract, the SMS and the doctors' notices group them."""

    name: str
    notice: str | None      # French heading in a doctor's notice
    sms: str | None         # the SMS names categories only (GSM-7 text, no value)
    identifying: bool       # its kinds make the persons identifiable (the art. 34 presumption)


@dataclass(frozen=True, kw_only=True)
class EdpbType:
    """A value of the EDPB template's field 70 (a closed list), as the form words it."""

    key: str
    wording: str            # the template's English wording (assessment report)
    french: str             # the CNIL and ARS drafts
    art9: bool              # a special category of data (GDPR art. 9(1))


@dataclass(frozen=True, kw_only=True)
class Meaning:
    """What a kind or a mention means (the properties every exposed name has)."""

    name: str
    category: str
    edpb: str | None        # key of EDPB_TYPES; None for what says nothing about a person
    enisa: str | None       # key of ENISA_ROLES; None likewise
    label: str | None       # French, for the patient it is about
    neutral: str | None     # French, for a regulator or a doctor
    advice: tuple[str, ...] = ()   # advice block ids (vigie/notify/advice.json)

    @property
    def art9(self) -> bool:
        return self.edpb is not None and EDPB_TYPES[self.edpb].art9

    @property
    def personal(self) -> bool:
        return self.category != "none"


@dataclass(frozen=True, kw_only=True)
class Kind(Meaning):
    """A column or span kind."""

    masker: str             # name of a masker in vigie.mask.MASKERS
    identifies: str | None  # key of IDENTIFICATION_ROLES


@dataclass(frozen=True, kw_only=True)
class Mention(Meaning):
    """A health finding in text, counted whatever its polarity ("sérologie VIH négative")."""

    category: str = "health"
    edpb: str | None = "health_data"
    enisa: str | None = "sensitive"
    advice: tuple[str, ...] = ("health",)


CATEGORY_TABLE: tuple[Category, ...] = (
    Category(name="identity", notice="données de base (état civil)", sms="identite",
             identifying=True),
    Category(name="contact", notice="coordonnées", sms="coordonnees", identifying=True),
    Category(name="national_id", notice="données d'identification (numéro national : NIR)",
             sms="n° secu", identifying=True),
    Category(name="insurance", notice="données d'assurance maladie complémentaire",
             sms="mutuelle", identifying=True),
    Category(name="financial", notice="données économiques et financières",
             sms="donnees bancaires", identifying=False),
    Category(name="credentials", notice="identifiants de connexion", sms="identifiants",
             identifying=False),
    Category(name="technical", notice="données techniques de connexion",
             sms="donnees techniques", identifying=False),
    Category(name="health", notice="données de santé (art. 9 RGPD)", sms="donnees de sante",
             identifying=False),
    Category(name="none", notice=None, sms=None, identifying=False),
)

# The values of field 70 that Vigie's kinds take (the template lists more: biometric,
# genetic, criminal...; add them here with the first kind that needs one).
EDPB_TABLE: tuple[EdpbType, ...] = (
    EdpbType(key="basic_data", wording="Basic personal data (name, date of birth, sex)",
             french="données de base (état civil)", art9=False),
    EdpbType(key="contact_details", wording="Contact details", french="coordonnées",
             art9=False),
    EdpbType(key="identification_data", wording="Identification data (national ID number)",
             french="données d'identification (numéro d'identification national)", art9=False),
    EdpbType(key="economic_financial", wording="Economic and financial data",
             french="données économiques et financières", art9=False),
    EdpbType(key="payment_methods", wording="Payment methods", french="moyens de paiement",
             art9=False),
    EdpbType(key="user_credentials", wording="User credentials",
             french="identifiants de connexion", art9=False),
    EdpbType(key="location", wording="Location data", french="données de localisation",
             art9=False),
    EdpbType(key="health_data", wording="Health data (medical records, test results)",
             french="données de santé (art. 9 RGPD)", art9=True),
)

# ENISA 2013 data-processing context: the basic score of each data type, highest wins.
ENISA_ROLES: dict[str, str] = {
    "simple": "simple data, basic score 1 (identity, contact details, identifiers)",
    "behavioural": "behavioural data, basic score 2 (location, traffic)",
    "financial": "financial data, basic score 3",
    "sensitive": "sensitive data, basic score 4 (GDPR art. 9 health data)",
    "care_context": "reveals a care relationship only: simple data + 1 (GDPR recital 35)",
    "credentials": "scored by the data they open, which the file does not show: no score "
                   "of its own",
}

# ENISA ease of identification (EI).
IDENTIFICATION_ROLES: dict[str, str] = {
    "alone": "identifies each person directly (EI 1)",
    "surname": "with a given name makes a full name",
    "given_name": "with a surname makes a full name",
    "full_name": "a full name: EI 0.75, or 1 with a date of birth or an address",
    "locator": "makes a full name identify directly (EI 1); alone, partial",
    "direct": "a direct identifier (EI 0.75)",
    "partial": "a partial identifier (EI 0.5)",
}


def _k(name, category, edpb, enisa, identifies, masker, label, neutral, advice=()) -> Kind:
    return Kind(name=name, category=category, edpb=edpb, enisa=enisa, identifies=identifies,
                masker=masker, label=label, neutral=neutral, advice=tuple(advice))


# One line per kind, in the vocabulary's order (documents list kinds in this order).
# insurer: which complementary insurer covers a person is a contract, economic and
# financial data in field 70 (not an identification number: the member number is); the
# assessment, the CNIL draft and the doctors' notices all say so since this table.
KIND_TABLE: tuple[Kind, ...] = (
    # name, category, EDPB field 70, ENISA role, identifies, masker, patient label, neutral label, advice
    _k("last_name", "identity", "basic_data", "simple", "surname", "words",
       "votre nom", "nom"),
    _k("first_name", "identity", "basic_data", "simple", "given_name", "words",
       "votre prénom", "prénom"),
    _k("birth_name", "identity", "basic_data", "simple", "surname", "words",
       "votre nom de naissance", "nom de naissance"),
    _k("full_name", "identity", "basic_data", "simple", "full_name", "words",
       "votre nom complet", "nom complet"),
    _k("sex", "identity", "basic_data", "simple", None, "one_star",
       "votre sexe", "sexe"),
    _k("date_of_birth", "identity", "basic_data", "simple", "locator", "date",
       "votre date de naissance", "date de naissance", ["identity_theft"]),
    _k("age", "identity", "basic_data", "simple", None, "two_stars",
       "votre âge", "âge"),
    _k("place_of_birth", "identity", "basic_data", "simple", None, "words",
       "votre lieu de naissance", "lieu de naissance", ["identity_theft"]),
    _k("address", "contact", "contact_details", "simple", "locator", "address",
       "votre adresse postale", "adresse postale", ["contact"]),
    _k("postcode", "contact", "contact_details", "simple", None, "postcode",
       "votre code postal", "code postal"),
    _k("city", "contact", "contact_details", "simple", None, "words",
       "votre commune", "commune"),
    _k("phone", "contact", "contact_details", "simple", "direct", "phone",
       "votre numéro de téléphone", "numéro de téléphone", ["contact"]),
    _k("email", "contact", "contact_details", "simple", "direct", "email",
       "votre adresse e-mail", "adresse e-mail", ["contact"]),
    _k("nir", "national_id", "identification_data", "simple", "alone", "nir",
       "votre numéro de sécurité sociale (NIR)", "numéro de sécurité sociale (NIR)",
       ["nir", "identity_theft"]),
    _k("identity_document", "national_id", "identification_data", "simple", "direct", "generic",
       "les références de votre pièce d'identité", "les références de la pièce d'identité",
       ["identity_theft"]),
    _k("insurer", "insurance", "economic_financial", "simple", None, "words",
       "le nom de votre mutuelle ou assurance santé", "le nom de la mutuelle ou assurance santé",
       ["nir"]),
    _k("insurance_number", "insurance", "identification_data", "simple", "direct", "generic",
       "votre numéro d'adhérent à votre mutuelle", "le numéro d'adhérent à la mutuelle",
       ["nir"]),
    _k("iban", "financial", "economic_financial", "financial", "direct", "iban",
       "vos coordonnées bancaires (IBAN)", "coordonnées bancaires (IBAN)", ["iban"]),
    _k("payment_card", "financial", "payment_methods", "financial", "direct", "payment_card",
       "votre numéro de carte bancaire", "numéro de carte bancaire", ["payment_card"]),
    _k("username", "credentials", "user_credentials", "credentials", "partial", "words",
       "votre identifiant de connexion", "identifiant de connexion", ["credentials"]),
    _k("password_hash", "credentials", "user_credentials", "credentials", None, "secret",
       "une forme chiffrée de votre mot de passe", "une forme chiffrée du mot de passe",
       ["credentials"]),
    _k("password", "credentials", "user_credentials", "credentials", None, "secret",
       "votre mot de passe", "mot de passe", ["credentials"]),
    # an IP address locates a device and its user
    _k("ip_address", "technical", "location", "behavioural", "partial", "ip_address",
       "une adresse IP de connexion", "une adresse IP de connexion"),
    _k("blood_group", "health", "health_data", "sensitive", None, "two_stars",
       "votre groupe sanguin", "groupe sanguin", ["health"]),
    # a treating physician reveals a care relationship, not a finding
    _k("physician", "health", "health_data", "care_context", None, "words",
       "le nom de votre médecin", "le nom du médecin"),
    _k("lab_test", "health", "health_data", "sensitive", None, "generic",
       "le nom d'analyses médicales vous concernant",
       "la liste des analyses médicales prescrites", ["health"]),
    _k("lab_result", "health", "health_data", "sensitive", None, "generic",
       "des résultats d'analyses médicales", "des résultats d'analyses médicales", ["health"]),
    _k("diagnosis", "health", "health_data", "sensitive", None, "generic",
       "un diagnostic médical", "un diagnostic médical", ["health"]),
    _k("medication", "health", "health_data", "sensitive", None, "generic",
       "des informations sur un traitement", "des informations sur un traitement", ["health"]),
    _k("medical_free_text", "health", "health_data", "sensitive", None, "generic",
       "des commentaires médicaux", "des commentaires médicaux", ["health"]),
    # say nothing about a person: never exposed, never told
    _k("record_id", "none", None, None, None, "generic", None, None),
    _k("event_date", "none", None, None, None, "date", None, None),
    _k("none", "none", None, None, None, "generic", None, None),
)

KIND: dict[str, Kind] = {k.name: k for k in KIND_TABLE}


def _mention_like_kind(name: str) -> Mention:
    """A mention that is also a kind (a drug named in a note is what a medication column
    holds): the same meaning, so exposure can merge them under one name."""
    kind = KIND[name]
    return Mention(name=name, category=kind.category, edpb=kind.edpb, enisa=kind.enisa,
                   label=kind.label, neutral=kind.neutral, advice=kind.advice)


def _m(name: str, label: str, **more) -> Mention:
    """A mention whose patient and neutral labels are the same words."""
    return Mention(name=name, label=label, neutral=label, **more)


# One line per mention, in the vocabulary's order.
MENTION_TABLE: tuple[Mention, ...] = (
    _m("hiv", "une information relative à un test ou un suivi VIH"),
    _m("pregnancy", "une information relative à une grossesse"),
    _m("hepatitis", "une information relative à une hépatite"),
    _m("diabetes", "une information relative au diabète"),
    _m("cancer", "une information relative à un cancer"),
    _m("mental_health", "une information relative à la santé mentale"),
    _mention_like_kind("medication"),
    _m("sti", "une information relative à une infection sexuellement transmissible"),
    _m("addiction", "une information relative à une addiction"),
    _m("disability", "une information relative à un handicap"),
)

MENTION: dict[str, Mention] = {m.name: m for m in MENTION_TABLE}
CATEGORY: dict[str, Category] = {c.name: c for c in CATEGORY_TABLE}
EDPB_TYPES: dict[str, EdpbType] = {t.key: t for t in EDPB_TABLE}

# Views of the table for the code that only needs names.
KINDS: tuple[str, ...] = tuple(KIND)
MENTIONS: tuple[str, ...] = tuple(MENTION)
KIND_CATEGORY: dict[str, str] = {k.name: k.category for k in KIND_TABLE}
CATEGORIES: dict[str, tuple[str, ...]] = {
    c.name: tuple(k.name for k in KIND_TABLE if k.category == c.name) for c in CATEGORY_TABLE}
# Names an exposure entry can have: kinds, then mentions (a shared name once).
EXPOSED_NAMES: tuple[str, ...] = tuple(dict.fromkeys(KINDS + MENTIONS))


def meaning(name: str) -> Meaning:
    """The meaning of a kind or a mention (a kind when both share the name); KeyError
    outside the vocabulary."""
    found = KIND.get(name) or MENTION.get(name)
    if found is None:
        raise KeyError(name)
    return found


def category_of(kind: str) -> str:
    """Category of a kind; raises KeyError on a kind outside the vocabulary."""
    return KIND[kind].category


def is_personal(kind: str) -> bool:
    """True when the kind says something about a person (anything outside 'none')."""
    return KIND[kind].personal


def is_art9(name: str) -> bool:
    """Special-category data (GDPR art. 9) for a kind or a mention; False for a name
    outside the vocabulary (a report from another version)."""
    found = KIND.get(name) or MENTION.get(name)
    return found is not None and found.art9


def edpb_data_type(name: str) -> str | None:
    """EDPB field-70 key of a kind or a mention; None for non-personal kinds."""
    return meaning(name).edpb


def wording_digest() -> str:
    """A short digest of everything this table says to a patient or an authority (labels,
    advice keys, headings): part of the notify template version, so a changed label
    changes which text the ledger says a patient received."""
    rows = [asdict(m) for m in KIND_TABLE + MENTION_TABLE] + [asdict(c) for c in CATEGORY_TABLE]
    rows += [asdict(t) for t in EDPB_TABLE]
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:8]
