"""The column-name dictionary: French, English and the abbreviations real exports use.

A header is normalised (accents stripped, lower-cased, camelCase / snake_case / dots /
brackets split into words, glued words like "datenaissance" segmented with the dictionary's
own vocabulary) and matched on whole words: "pass" never matches "compass", "nom" never
matches "nombre" or "nomenclature". For nested JSON names (`contact.email`,
`appointments[].reason`) the last path segment decides; its parent only counts when a
phrase spans both ("medecin.nom" is a physician, "patient.nom" a last name).

`HEADER_WORDS[kind]` lists the phrases naming a kind (recognisers declare them as their
`header_words`); `FREE_TEXT_WORDS` name comment / note columns, which have no kind of
their own. A phrase may name several kinds: the values decide between them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "nir": ("nir", "nss", "ins", "nia", "num secu", "numero secu", "no secu", "n secu", "secu",
            "numero securite sociale", "num securite sociale", "securite sociale",
            "n securite sociale", "no securite sociale",
            "no ss", "num ss", "n ss", "ss", "matricule ins", "ins nir", "matricule",
            "numero insee", "no insee", "n insee", "carte vitale", "immatriculation",
            "ssn", "social security", "social security number", "national id",
            "identifiant national sante", "national health id"),
    "iban": ("iban", "rib", "compte bancaire", "numero compte", "num compte",
             "coordonnees bancaires", "bank account", "account number"),
    "payment_card": ("cb", "carte bancaire", "numero carte", "num carte", "no carte",
                     "card number", "credit card", "card", "pan", "cc", "ccn"),
    "phone": ("tel", "telephone", "tel fixe", "fixe", "portable", "mobile", "gsm", "fax",
              "num tel", "numero tel", "numero telephone", "no tel", "phone", "phone number",
              "cell", "cellphone", "mobile phone", "contact tel", "telephone portable",
              "tel portable", "telephone fixe", "tel dom", "tel domicile", "telephone domicile"),
    "email": ("mail", "email", "e mail", "courriel", "mel", "adresse mail", "adresse email",
              "adresse electronique", "email address", "mail address"),
    "blood_group": ("grp", "groupe", "groupe sanguin", "gs", "grp sang", "grp sanguin",
                    "gpe sanguin", "gr sanguin", "groupage",
                    "rhesus", "rh", "abo", "blood group", "blood type"),
    "postcode": ("cp", "c p", "code postal", "code post", "zip", "zipcode", "zip code",
                 "postal code", "postcode"),
    "city": ("ville", "commune", "localite", "city", "town", "ville residence"),
    "address": ("adresse", "adr", "addr", "address", "street address", "rue", "voie",
                "adresse postale", "complement adresse", "complement d adresse",
                "domicile", "street", "ligne adresse", "address line", "lieu dit"),
    "first_name": ("prenom", "prenoms", "pnom", "first name", "given name", "forename"),
    "last_name": ("nom", "nom usage", "nom d usage", "nom marital", "nom epouse", "nom d epouse", "nom famille",
                  "nom de famille", "last name", "surname", "family name"),
    "birth_name": ("nom jf", "nom jeune fille", "jeune fille", "nom naiss", "nom naissance",
                   "nom de naissance", "nom patronymique", "patronyme", "nee", "birth name",
                   "maiden", "maiden name"),
    "full_name": ("nom prenom", "prenom nom", "nom et prenom", "nom complet", "identite",
                  "name", "full name", "display name", "patient name", "titulaire",
                  "account holder", "holder name", "cardholder"),
    "sex": ("sexe", "sex", "genre", "gender", "civilite", "title", "sexe m f", "sexe f m",
            "sexe h f", "sexe f h", "sexe 1 2"),
    "date_of_birth": ("ddn", "dn", "dt nais", "dt naiss", "date nais", "date naiss",
                      "date naissance", "date de naissance", "naissance", "ne le", "dnais",
                      "dob", "birth date", "date of birth", "birthday", "bdate", "born"),
    "age": ("age", "age ans", "ages"),
    "place_of_birth": ("lieu naissance", "lieu nais", "lieu de naissance", "ville naissance",
                       "commune naissance", "pays naissance", "dep naissance",
                       "departement naissance", "place of birth", "birthplace",
                       "birth place", "city of birth", "country of birth"),
    "insurer": ("mutuelle", "amc", "complementaire", "organisme", "organisme complementaire",
                "assureur", "caisse", "regime", "nom mutuelle", "mutuelle nom", "insurer", "insurance",
                "insurance company", "health insurance", "insurance provider"),
    "insurance_number": ("num adh", "num adherent", "numero adherent", "no adherent",
                         "id mutuelle", "no mutuelle", "n mutuelle",
                         "n adherent", "adherent", "id adherent", "num mutuelle",
                         "numero mutuelle", "no contrat", "num contrat", "numero contrat",
                         "contrat", "police", "numero police", "matricule mutuelle",
                         "policy number", "member id", "member number", "membership number",
                         "insurance number"),
    "password_hash": ("hash", "password hash", "pwd hash", "mdp hash", "hash mdp",
                      "password digest", "encrypted password", "crypted password",
                      "hashed password", "passwd hash", "pass hash"),
    "password": ("password", "passwd", "pwd", "pass", "mdp", "mot de passe", "secret"),
    "username": ("login", "username", "user name", "user", "pseudo", "identifiant",
                 "identifiant connexion", "compte", "account", "nom utilisateur",
                 "utilisateur", "handle", "screen name"),
    "ip_address": ("ip", "adresse ip", "ip address", "ip addr", "remote addr", "client ip",
                   "ipv4", "ipv6", "source ip", "src ip", "last ip"),
    "physician": ("medecin", "medecin traitant", "nom medecin", "prenom medecin", "medecin nom",
                  "medecin prenom", "medecin name", "doctor name", "physician name",
                  "medecin prescripteur",
                  "prescripteur", "docteur", "dr", "praticien", "medecin referent",
                  "rpps", "num rpps", "numero rpps", "adeli", "physician", "doctor", "gp",
                  "prescriber", "practitioner", "referring physician"),
    "identity_document": ("cni", "num cni", "numero cni", "carte identite",
                          "carte d identite", "piece identite", "num piece identite",
                          "passeport", "num passeport", "no passeport", "passport",
                          "passport number", "id card", "titre sejour", "permis conduire",
                          "driving licence", "driver license", "national id"),
    "record_id": ("id", "ident", "ref", "reference", "code", "num", "numero", "no", "n",
                  "uuid", "guid", "key", "pk", "pid", "ipp", "nda", "iep", "dossier",
                  "siret", "siren", "finess", "n siret", "no siret", "num siret", "n siren",
                  "n finess", "no finess", "num finess",
                  "num dossier", "numero dossier", "user id", "patient id", "id patient",
                  "num patient", "order id", "num commande", "sample id", "num echantillon",
                  "barcode", "code barre", "identifiant", "index", "row", "line"),
    "event_date": ("date", "dt", "date prelev", "date prelevement", "date rdv",
                   "date rendez vous", "date visite", "date consultation", "date examen",
                   "date creation", "date modification", "date maj", "date saisie",
                   "date resultat", "date entree", "date sortie", "date admission",
                   "date commande", "date facture", "created", "created at", "updated",
                   "updated at", "modified at", "last login", "timestamp", "datetime",
                   "horodatage", "visit date", "sample date", "derniere connexion",
                   "last connection", "last seen"),
    "lab_test": ("analyses", "analyse", "examens", "examen", "exam", "bilan", "test",
                 "tests", "acte", "actes", "code analyse", "libelle analyse", "lab test",
                 "panel", "parametre", "serologie", "serologies", "test name", "analyte"),
    "lab_result": ("resultats", "resultat", "result", "results", "res",
                   "interpretation", "resultat analyse", "lab result", "lab results",
                   "serologie", "serologies", "test result", "test results"),
    "diagnosis": ("diagnostic", "diag", "dg", "pathologie", "cim10", "cim 10", "code cim",
                  "antecedents", "atcd", "maladie", "affection", "ald", "diagnosis",
                  "diagnosis code", "condition"),
    "medication": ("traitement", "traitements", "medicament", "medicaments", "ttt",
                   "prescription", "ordonnance", "posologie", "molecule", "dci", "atc",
                   "medication", "drug", "drugs", "treatment", "prescribed drugs"),
}

FREE_TEXT_WORDS: tuple[str, ...] = (
    "commentaire", "commentaires", "comment", "comments", "obs", "observation",
    "observations", "note", "notes", "remarque", "remarques", "texte", "compte rendu", "cr",
    "motif", "description", "anamnese", "conclusion", "message", "details", "info",
    "informations", "clinical notes", "notes medicales", "text", "body",
    # why a patient came: a visit's reason is health data even in short stock phrases
    "reason", "raison", "visit reason", "reason for visit", "chief complaint", "complaint")

# Parts of a long results table (one measure per row), read together by
# `vigie.detect.tables`: the value alone ("13,2") and its unit ("g/dL").
VALUE_WORDS: tuple[str, ...] = (
    "valeur", "valeurs", "value", "values", "val", "resultat", "resultats", "result",
    "results", "res", "mesure", "measure", "taux", "dosage", "valeur numerique",
    "numeric value", "resultat numerique", "numeric result")
UNIT_WORDS: tuple[str, ...] = ("unite", "unites", "unit", "units", "uom", "unite mesure",
                               "unit of measure", "unite de mesure")

# Words that qualify a header without changing what it names ("nom_patient" is a last
# name). They count as covered when scoring how fully a header is explained.
NEUTRAL_WORDS = frozenset(("patient", "pat", "client", "cli", "personne", "person", "du", "de",
                           "des", "d", "la", "le", "l", "the", "of", "a", "en", "et", "and",
                           "principal", "actuel", "current", "primary", "usuel", "contact",
                           "home", "work", "perso", "pro", "personnel", "private", "secondaire",
                           "secondary", "autre", "other"))

# Two-letter abbreviations that may be glued to another word ("nomjf", "dtnais", "numss").
_SHORT_PIECES = frozenset(("jf", "cp", "dt", "ss", "ip", "rh", "id", "de"))

FREE_TEXT = "free_text"   # pseudo-kind returned by `match_header` for comment columns


@dataclass(frozen=True)
class HeaderMatch:
    """How strongly a header names a kind: `strength` is the share of the header's words
    the winning phrases explain (1.0 = the whole name), `phrase` the best phrase."""

    kind: str
    strength: float
    phrase: str


def strip_accents(text: str) -> str:
    """'Prénom' -> 'Prenom' (NFKD, combining marks dropped)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_INCLUSIVE = re.compile(r"\((?:e|s|es|ne)\)|[·.](?:e|es)\b", re.IGNORECASE)   # "Né(e)", "né·e"


def header_words(name: str) -> list[list[str]]:
    """Normalised words of each path segment of a header: 'contact.eMail[]' ->
    [['contact'], ['e', 'mail']]. Digits stay words of their own (ignored later)."""
    name = _INCLUSIVE.sub("", strip_accents(name))
    segments = [s for s in re.split(r"\.|\[\]|\[\d*\]|/", name) if s.strip()]
    out = []
    for segment in segments:
        spaced = _CAMEL.sub(" ", segment).lower()
        spaced = _LETTER_DIGIT.sub(" ", spaced)
        words = [w for w in _NON_WORD.split(spaced) if w]
        if words:
            out.append(words)
    return out


class HeaderIndex:
    """Phrase index over a kind -> phrases mapping; `match` explains a header."""

    def __init__(self, phrases_by_kind: Mapping[str, Iterable[str]]):
        self._phrases: dict[tuple[str, ...], set[str]] = {}
        for kind, phrases in phrases_by_kind.items():
            for phrase in phrases:
                key = tuple(_meaningful(phrase.split())) or tuple(phrase.split())
                self._phrases.setdefault(key, set()).add(kind)
        self._longest = max((len(p) for p in self._phrases), default=1)
        self._vocabulary = frozenset(w for p in self._phrases for w in p if len(w) >= 3)

    def _segment(self, word: str) -> list[str]:
        """Split a glued word ('datenaissance', 'nomjf', 'nompatient') into dictionary words
        when the pieces, neutral words aside, make one known phrase; else keep it whole, so
        'compass', 'passage' or 'nombre' never split."""
        if (word,) in self._phrases or len(word) < 5:
            return [word]
        best: list[list[str] | None] = [None] * (len(word) + 1)
        best[0] = []
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 24), end):
                piece = word[start:end]
                prefix = best[start]
                if prefix is None:
                    continue
                if piece in self._vocabulary or piece in _SHORT_PIECES or piece in NEUTRAL_WORDS:
                    candidate = prefix + [piece]
                    current = best[end]
                    if current is None or len(candidate) < len(current):
                        best[end] = candidate
        pieces = best[-1]
        if not pieces or len(pieces) < 2:
            return [word]
        meaningful = tuple(p for p in pieces if p not in NEUTRAL_WORDS)
        return pieces if meaningful in self._phrases else [word]

    def match(self, name: str | None) -> dict[str, HeaderMatch]:
        """Kinds a header names, with strength; {} for no header or no known word.

        Neutral words and digits are dropped before matching, so "Numéro de téléphone"
        meets the phrase "numero telephone" and "adresse1" the word "adresse"."""
        if not name:
            return {}
        segments = header_words(name)
        if not segments:
            return {}
        last = [w for raw in segments[-1] for w in self._segment(raw)]
        parent = [w for raw in segments[-2] for w in self._segment(raw)] if len(segments) > 1 else []
        parent, last = _meaningful(parent), _meaningful(last)
        words = parent + last
        first_own = len(parent)
        spans = []   # (start, end, phrase, kinds)
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + self._longest) + 1):
                phrase = tuple(words[start:end])
                kinds = self._phrases.get(phrase)
                if kinds and end > first_own:
                    spans.append((start, end, phrase, kinds))
        # A phrase inside a longer matched phrase is dominated ("nom" in "nom jf").
        kept = [s for s in spans
                if not any(o is not s and o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
                           for o in spans)]
        result: dict[str, HeaderMatch] = {}
        for start, end, phrase, kinds in kept:
            covered = sum(1 for i in range(max(start, first_own), end))
            strength = covered / len(last) if last else 1.0
            for kind in kinds:
                previous = result.get(kind)
                if previous is None or strength > previous.strength:
                    result[kind] = HeaderMatch(kind, round(strength, 3), " ".join(phrase))
        return result


def _meaningful(words: list[str]) -> list[str]:
    return [w for w in words if w not in NEUTRAL_WORDS and not w.isdigit()]


@lru_cache(maxsize=1)
def default_index() -> HeaderIndex:
    """The index over HEADER_WORDS plus the free-text words (kind FREE_TEXT)."""
    return HeaderIndex({**HEADER_WORDS, FREE_TEXT: FREE_TEXT_WORDS})


def match_header(name: str | None) -> dict[str, HeaderMatch]:
    """Kinds (and FREE_TEXT) that a column name names, by the default dictionary."""
    return default_index().match(name)
