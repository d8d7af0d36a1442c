"""An independent French leak generator, for tests only.

Vigie is judged on leaks made by a generator it has never seen. This module deliberately
shares nothing with `vigie.synth`: names come from Faker's fr_FR provider, communes and
clinical phrasings from small lists written here, and the habits differ on purpose
(other header spellings, NIRs with spaces or dots, "+33 (0)6" phones, "12 mars 1984"
dates, upper-cased accent-free names, comma decimals, CRLF, openpyxl workbooks...).

Each writer returns a `Leak`: the file written and its ground truth, computed here from the
generated people (column kinds, distinct persons, persons exposed per kind and for the
hiv / pregnancy mentions).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import sqlite3
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from faker import Faker
from openpyxl import Workbook

# Real communes (postcode, name, INSEE department) -- our own short list.
COMMUNES = (("75011", "Paris", "75"), ("13005", "Marseille", "13"), ("69003", "Lyon", "69"),
            ("31000", "Toulouse", "31"), ("06000", "Nice", "06"), ("44000", "Nantes", "44"),
            ("67000", "Strasbourg", "67"), ("34000", "Montpellier", "34"),
            ("33000", "Bordeaux", "33"), ("59000", "Lille", "59"), ("35000", "Rennes", "35"),
            ("51100", "Reims", "51"), ("20000", "Ajaccio", "2A"), ("20200", "Bastia", "2B"),
            ("97200", "Fort-de-France", "972"), ("97400", "Saint-Denis", "974"),
            ("21000", "Dijon", "21"), ("37000", "Tours", "37"), ("87000", "Limoges", "87"),
            ("29200", "Brest", "29"), ("63000", "Clermont-Ferrand", "63"),
            ("80000", "Amiens", "80"), ("25000", "Besançon", "25"), ("64000", "Pau", "64"))

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre")

HIV_NOTES = ("séropo VIH connue, suivi au CHU", "test VIH négatif", "sérologie VIH à contrôler",
             "VIH+ sous trithérapie, charge virale indétectable", "dépistage VIH demandé par la patiente",
             "infection à VIH diagnostiquée en 2012", "séropo connu, suivi en infectiologie")
PREGNANCY_NOTES = ("patiente enceinte de {n} mois", "grossesse gémellaire, suivi rapproché",
                   "grossesse en cours ({n} mois)", "test de grossesse positif",
                   "nausées du premier trimestre de grossesse")
PLAIN_NOTES = ("RAS", "contrôle tension artérielle", "renouvellement ordonnance",
               "douleurs lombaires depuis 2 semaines", "vaccin grippe fait",
               "bilan annuel sans particularité", "entorse cheville droite",
               "rhinopharyngite, repos conseillé", "", "à revoir dans 3 mois")
BLOOD = ("A Rh+", "A Rh-", "B Rh+", "O Rh+", "O Rh-", "AB Rh+", "B Rh-", "AB Rh-", "O pos",
         "A nég", "O+", "A+")
MUTUELLES = ("MGEN", "Harmonie Mutuelle", "Malakoff Humanis", "AG2R La Mondiale", "MAAF Santé",
             "Mutuelle Générale", "Groupama", "Swiss Life", "Apivia", "MACIF")
TESTS = ("Glycémie à jeun", "NFS", "Ferritine", "TSH", "Créatinine", "Cholestérol total")
PRODUCTS = ("Gants nitrile taille M", "Tube EDTA 5 ml", "Compresses stériles 10x10",
            "Aiguille 21G", "Seringue 10 ml", "Pipette pasteur", "Lames de microscope",
            "Flacon hémoculture", "Écouvillon viral", "Masque FFP2")


@dataclass
class Person:
    sex: int
    first: str
    last: str
    birth_last: str
    dob: date
    nir: str
    phone: str          # 10 digits, national format without separators
    landline: bool
    email: str | None
    street: str
    postcode: str
    city: str
    blood: str
    insurer: str | None
    member_no: str | None
    doctor: str
    note: str
    hiv: bool
    pregnant: bool


@dataclass
class Leak:
    """A written leak and its ground truth."""

    path: Path
    tables: dict[str, dict]          # name -> {"rows": int, "columns": {name: kind}}
    persons: int
    exposure: dict[str, int] = field(default_factory=dict)   # kind or mention -> persons


def nir_key(first13: str) -> int:
    """97 - n mod 97, Corsica's 2A / 2B counted as 19 / 18."""
    digits = first13.replace("2A", "19").replace("2B", "18")
    return 97 - int(digits) % 97


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Population:
    """People with valid, distinct NIRs, phones and e-mails."""

    def __init__(self, count: int, seed: int):
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self._seen: dict[str, set] = {"nir": set(), "phone": set(), "email": set(), "id": set()}
        self.people = [self._person() for _ in range(count)]

    @staticmethod
    def _unique(seen: set, make):
        """A value from `make` not drawn before (the truth counts one person per NIR,
        phone, e-mail and name + date of birth)."""
        while (value := make()) in seen:
            pass
        seen.add(value)
        return value

    def _person(self) -> Person:
        rng, fake = self.rng, self.fake
        seen = self._seen
        sex = rng.choice((1, 2))
        first = fake.first_name_male() if sex == 1 else fake.first_name_female()
        while True:
            last = fake.last_name()
            dob = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 33000))
            if (first, last, dob) not in seen["id"]:
                seen["id"].add((first, last, dob))
                break
        birth_last = fake.last_name() if sex == 2 and rng.random() < 0.35 else last
        postcode, city, dept = rng.choice(COMMUNES)
        if dept in ("2A", "2B") and dob.year < 1976:
            dept = rng.choice(("13", "75"))   # 2A / 2B exist only for births from 1976
        nir = self._unique(seen["nir"], lambda: self._nir(sex, dob, dept))
        landline = rng.random() < 0.2
        phone = self._unique(seen["phone"], lambda: rng.choice("12345" if landline else "67")
                             + "".join(rng.choice("0123456789") for _ in range(8)))
        email = None
        if rng.random() < 0.8:
            local = strip_accents(f"{first}.{last}").lower().replace(" ", "").replace("'", "")
            email = self._unique(seen["email"], lambda: f"{local}{rng.randrange(1, 999)}@"
                                 f"{rng.choice(('orange.fr', 'free.fr', 'gmail.com', 'laposte.net'))}")
        age = (date(2025, 1, 1) - dob).days // 365
        hiv = rng.random() < 0.12
        pregnant = sex == 2 and 16 <= age <= 44 and rng.random() < 0.3
        parts = []
        if hiv:
            parts.append(rng.choice(HIV_NOTES))
        if pregnant:
            parts.append(rng.choice(PREGNANCY_NOTES).format(n=rng.randint(2, 8)))
        parts.append(rng.choice(PLAIN_NOTES))
        note = ". ".join(p for p in parts if p)
        insured = rng.random() < 0.85
        return Person(sex, first, last, birth_last, dob, nir, "0" + phone, landline, email,
                      fake.street_address(), postcode, city, rng.choice(BLOOD),
                      rng.choice(MUTUELLES) if insured else None,
                      f"{rng.randint(10**7, 10**9 - 1)}" if insured else None,
                      f"Dr {fake.last_name()}", note, hiv, pregnant)

    def _nir(self, sex: int, dob: date, dept: str) -> str:
        rng = self.rng
        commune = f"{rng.randint(1, 90):02d}" if len(dept) == 3 else f"{rng.randint(1, 400):03d}"
        first13 = f"{sex}{dob.year % 100:02d}{dob.month:02d}{dept}{commune}{rng.randint(1, 999):03d}"
        return f"{first13}{nir_key(first13):02d}"


# ---------------------------------------------------------------- notations

def nir_spaced(nir: str) -> str:
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def nir_dotted(nir: str) -> str:
    return f"{nir[0]}.{nir[1:3]}.{nir[3:5]}.{nir[5:7]}.{nir[7:10]}.{nir[10:13]}.{nir[13:]}"


def phone_intl(phone: str) -> str:
    p = phone[1:]
    return f"+33 (0){p[0]} {p[1:3]} {p[3:5]} {p[5:7]} {p[7:9]}"


def phone_dotted(phone: str) -> str:
    return ".".join(phone[i:i + 2] for i in range(0, 10, 2))


def date_french_words(d: date) -> str:
    return f"{d.day} {MOIS[d.month - 1]} {d.year}"


def mention_exposure(people: list[Person]) -> dict[str, int]:
    return {"hiv": sum(p.hiv for p in people), "pregnancy": sum(p.pregnant for p in people)}


def _write_csv(path: Path, header: list[str] | None, rows: list[list], *, delimiter: str,
               encoding: str, newline: str, quoting: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


# ---------------------------------------------------------------- leak writers

def write_dossiers_csv(out: Path, pop: Population) -> Leak:
    """',' UTF-8, LF, every field quoted, long French headers, NIR with spaces,
    '+33 (0)6' phones, 'dd mois yyyy' birth dates."""
    people = pop.people
    columns = {"Civilité": "sex", "Nom de naissance": "birth_name", "Nom d'usage": "last_name",
               "Prénom": "first_name",
               "Date de naissance": "date_of_birth", "Âge": "age", "N° Sécu": "nir",
               "Téléphone portable": "phone", "E-mail": "email", "Adresse": "address",
               "Code postal": "postcode", "Ville": "city", "Mutuelle": "insurer",
               "N° adhérent": "insurance_number", "Commentaire": "medical_free_text"}
    rows = [["M." if p.sex == 1 else "Mme", p.birth_last, p.last, p.first,
             date_french_words(p.dob), (date(2025, 6, 1) - p.dob).days // 365, nir_spaced(p.nir), phone_intl(p.phone), p.email or "",
             p.street, p.postcode, p.city, p.insurer or "", p.member_no or "", p.note]
            for p in people]
    path = out / "dossiers_patients.csv"
    _write_csv(path, list(columns), rows, delimiter=",", encoding="utf-8", newline="\n",
               quoting=csv.QUOTE_ALL)
    exposure = {"nir": len(people), "date_of_birth": len(people), "phone": len(people),
                "email": sum(p.email is not None for p in people), "postcode": len(people),
                "sex": len(people), "insurer": sum(p.insurer is not None for p in people),
                "insurance_number": sum(p.member_no is not None for p in people),
                **mention_exposure(people)}
    return Leak(path, {"dossiers_patients": {"rows": len(rows), "columns": columns}},
                len(people), exposure)


def write_visits_txt(out: Path, pop: Population) -> Leak:
    """';' cp1252, CRLF, one row per visit, snake_case headers, dotted NIR, ISO datetime
    birth dates, comma-decimal amounts, upper-cased names."""
    rng = pop.rng
    columns = {"nom_usage": "last_name", "prenom": "first_name", "dt_naissance": "date_of_birth",
               "numero_ss": "nir", "date_visite": "event_date", "motif": "medical_free_text",
               "montant_regle": "none"}
    rows = []
    without_nir = {id(p) for p in pop.people if rng.random() < 0.1}
    for p in pop.people:
        for visit in range(rng.randint(1, 4)):
            note = p.note if visit == 0 else rng.choice(PLAIN_NOTES)
            when = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
            spelled = rng.choice((p.last.upper(), strip_accents(p.last).upper(), p.last))
            born = rng.choice((p.dob.isoformat() + "T00:00:00", p.dob.strftime("%d/%m/%Y")))
            rows.append([spelled, rng.choice((p.first, strip_accents(p.first))), born,
                         "" if id(p) in without_nir else nir_dotted(p.nir),
                         when.strftime("%d/%m/%Y"), note,
                         f"{rng.choice((25, 30, 50, 60))},{rng.choice(('00', '50'))}"])
    path = out / "visites.txt"
    _write_csv(path, list(columns), rows, delimiter=";", encoding="cp1252", newline="\r\n",
               quoting=csv.QUOTE_MINIMAL)
    exposure = {"nir": len(pop.people) - len(without_nir), "date_of_birth": len(pop.people),
                **mention_exposure(pop.people)}
    return Leak(path, {"visites": {"rows": len(rows), "columns": columns}}, len(pop.people),
                exposure)


def write_jsonl(out: Path, pop: Population) -> Leak:
    """NDJSON with nested objects and arrays, English keys (dob, ssn, zip)."""
    rng = pop.rng
    path = out / "export_api.jsonl"
    columns = {"patient.name.family": "last_name", "patient.name.given": "first_name",
               "patient.dob": "date_of_birth", "patient.ssn": "nir",
               "patient.contact.email": "email", "patient.contact.phones[]": "phone",
               "patient.address.line": "address", "patient.address.zip": "postcode",
               "patient.address.city": "city", "visits[].date": "event_date",
               "visits[].note": "medical_free_text"}
    with path.open("w", encoding="utf-8") as handle:
        for p in pop.people:
            visits = [{"date": (date(2024, 1, 1) + timedelta(days=rng.randrange(300))).isoformat(),
                       "note": p.note}]
            visits += [{"date": "2024-11-02", "note": rng.choice(PLAIN_NOTES)}
                       for _ in range(rng.randint(0, 2))]
            record = {"patient": {"name": {"family": p.last, "given": p.first},
                                  "dob": p.dob.isoformat(), "ssn": p.nir,
                                  "contact": {"email": p.email, "phones": [phone_dotted(p.phone)]},
                                  "address": {"line": p.street, "zip": p.postcode,
                                              "city": p.city}},
                      "visits": visits}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    people = pop.people
    exposure = {"nir": len(people), "date_of_birth": len(people), "phone": len(people),
                "email": sum(p.email is not None for p in people), **mention_exposure(people)}
    return Leak(path, {"export_api": {"rows": len(people), "columns": columns}}, len(people),
                exposure)


def write_xlsx(out: Path, pop: Population) -> Leak:
    """openpyxl workbook: a Patients sheet (English headers, date cells) and an Analyses
    sheet (several rows per patient, keyed by ssn)."""
    rng = pop.rng
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Patients"
    patient_cols = {"last_name": "last_name", "first_name": "first_name", "dob": "date_of_birth",
                    "ssn": "nir", "zip": "postcode", "city": "city", "phone": "phone",
                    "blood_type": "blood_group"}
    sheet.append(["Extraction patients du 02/09/2024 (confidentiel)"])   # a title above the header
    sheet.append([])
    sheet.append(list(patient_cols))
    for p in pop.people:
        # Typed by hand into Excel: NIR, postcode and phone become numbers (leading 0 lost).
        sheet.append([strip_accents(p.last).upper(), p.first,
                      datetime(p.dob.year, p.dob.month, p.dob.day),
                      int(p.nir) if p.nir.isdigit() else p.nir, int(p.postcode), p.city,
                      int(p.phone), p.blood])
    results = wb.create_sheet("Analyses")
    result_cols = {"ssn": "nir", "patient": "full_name", "test": "lab_test", "value": "lab_result",
                   "sampled_on": "event_date"}
    results.append(list(result_cols))
    result_rows = 0
    for p in pop.people:
        for _ in range(rng.randint(1, 3)):
            results.append([p.nir, f"{p.last.upper()} {p.first}", rng.choice(TESTS), f"{rng.uniform(0.5, 9.0):.2f}".replace(".", ",")
                            + " mmol/L", datetime(2024, rng.randint(1, 12), rng.randint(1, 28))])
            result_rows += 1
    path = out / "extraction.xlsx"
    wb.save(path)
    people = pop.people
    return Leak(path, {"Patients": {"rows": len(people), "columns": patient_cols},
                       "Analyses": {"rows": result_rows, "columns": result_cols}},
                len(people), {"nir": len(people), "date_of_birth": len(people),
                              "phone": len(people), "blood_group": len(people),
                              "full_name": len(people)})


def write_sqlite(out: Path, pop: Population) -> Leak:
    """SQLite: patient + consultation (patient_id foreign key), notes in consultations."""
    rng = pop.rng
    path = out / "cabinet.db"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE patient (id INTEGER PRIMARY KEY, nom TEXT, prenom TEXT, "
                "date_naissance TEXT, nir TEXT, portable TEXT, courriel TEXT)")
    con.execute("CREATE TABLE consultation (id INTEGER PRIMARY KEY, patient_id INTEGER "
                "REFERENCES patient(id), date_consultation TEXT, medecin TEXT, observations TEXT)")
    visits = 0
    for index, p in enumerate(pop.people, start=1):
        con.execute("INSERT INTO patient VALUES (?,?,?,?,?,?,?)",
                    (index, p.last, p.first, p.dob.strftime("%d/%m/%Y"), p.nir,
                     phone_dotted(p.phone), p.email))
        notes = [p.note] + [rng.choice(PLAIN_NOTES) for _ in range(rng.randint(0, 2))]
        for note in notes:
            visits += 1
            con.execute("INSERT INTO consultation VALUES (?,?,?,?,?)",
                        (visits, index, f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                         p.doctor, note))
    con.commit()
    con.close()
    people = pop.people
    return Leak(path, {
        "patient": {"rows": len(people), "columns": {
            "id": "record_id", "nom": "last_name", "prenom": "first_name",
            "date_naissance": "date_of_birth", "nir": "nir", "portable": "phone",
            "courriel": "email"}},
        "consultation": {"rows": visits, "columns": {
            "id": "record_id", "patient_id": "record_id", "date_consultation": "event_date",
            "medecin": "physician", "observations": "medical_free_text"}}},
        len(people), {"nir": len(people), "phone": len(people), "physician": len(people),
                      "email": sum(p.email is not None for p in people),
                      **mention_exposure(people)})


def write_zip(out: Path, pop: Population) -> Leak:
    """A zip holding a headerless '|' cp1252 file (upper-case, accent-free names, notes) and a
    tab-separated latin-1 contacts file with CRLF and a header, sharing some people."""
    # The two members overlap by a quarter of the people: the same person, once with a
    # NIR, once only by name and date of birth (in another spelling).
    half, quarter = len(pop.people) // 2, len(pop.people) // 4
    first, second = pop.people[:half], pop.people[quarter:]
    headerless = [[strip_accents(p.last).upper(), strip_accents(p.first).upper(),
                   p.dob.strftime("%d/%m/%Y"), p.nir, p.phone, p.postcode, p.note] for p in first]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="|", lineterminator="\n").writerows(headerless)
    contacts = io.StringIO()
    writer = csv.writer(contacts, delimiter="\t", lineterminator="\r\n")
    writer.writerow(["Nom", "Prénom", "Né(e) le", "Téléphone", "Code postal", "Ville"])
    writer.writerows([[p.last, p.first, p.dob.strftime("%d/%m/%Y"), phone_dotted(p.phone),
                       p.postcode, p.city] for p in second])
    path = out / "fuite.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("extrait/patients_sans_entete.txt", buffer.getvalue().encode("cp1252"))
        archive.writestr("contacts.tsv", contacts.getvalue().encode("latin-1"))
    return Leak(path, {
        "patients_sans_entete": {"rows": len(first), "columns": {
            "column_1": "last_name", "column_2": "first_name", "column_3": "date_of_birth",
            "column_4": "nir", "column_5": "phone", "column_6": "postcode",
            "column_7": "medical_free_text"}},
        "contacts": {"rows": len(second), "columns": {
            "Nom": "last_name", "Prénom": "first_name", "Né(e) le": "date_of_birth",
            "Téléphone": "phone", "Code postal": "postcode", "Ville": "city"}}},
        len(pop.people), {"nir": len(first), "phone": len(pop.people),
                          "date_of_birth": len(pop.people), **mention_exposure(first)})


def luhn_complete(body: str) -> str:
    """`body` with its Luhn check digit appended (SIREN / SIRET, like payment cards)."""
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def ean13(rng: random.Random) -> str:
    body = "3" + "".join(rng.choice("0123456789") for _ in range(11))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def write_catalogue(out: Path, count: int, seed: int) -> Leak:
    """Product catalogue, no personal data: 15-digit references, EAN-13, 5-digit codes,
    comma-decimal prices, dates; ';' UTF-8 unquoted."""
    rng = random.Random(seed)
    columns = {"reference": "record_id", "ean": "record_id", "code_produit": "record_id",
               "siret_fournisseur": "record_id",
               "designation": "none", "fournisseur": "none", "prix_ht": "none",
               "date_maj": "event_date"}
    suppliers = ("Medisupply SAS", "Labo Fournitures SARL", "Biolab Distribution",
                 "Comptoir Médical de l'Ouest", "Hospidis", "Sanofrance Matériel")
    sirets = [luhn_complete(luhn_complete("".join(rng.choice("0123456789") for _ in range(8)))
                            + f"{rng.randint(1, 99):04d}") for _ in range(25)]
    rows = [["".join(rng.choice("0123456789") for _ in range(15)), ean13(rng),
             f"{rng.randint(10000, 99999)}", rng.choice(sirets),
             f"{rng.choice(PRODUCTS)} (lot {n % 40})",
             rng.choice(suppliers),
             f"{rng.uniform(0.2, 300):.2f}".replace(".", ","),
             (date(2022, 1, 1) + timedelta(days=rng.randrange(900))).isoformat()]
            for n in range(count)]
    path = out / "catalogue_produits.csv"
    _write_csv(path, list(columns), rows, delimiter=";", encoding="utf-8", newline="\n",
               quoting=csv.QUOTE_MINIMAL)
    return Leak(path, {"catalogue_produits": {"rows": count, "columns": columns}}, 0, {})


def _sql_quote(value, quote: str = "\\'") -> str:
    """A MySQL literal; `quote` is how the tool escapes a quote (phpMyAdmin \\', HeidiSQL '')."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", quote) + "'"


def write_phpmyadmin_sql(out: Path, pop: Population) -> Leak:
    """A phpMyAdmin-style MySQL export (not the real mysqldump): column lists in every
    INSERT, one tuple per line, backslash escapes, a rendez_vous table keyed by patient_id."""
    rng = pop.rng
    lines = ["-- phpMyAdmin SQL Dump", "-- version 5.2.1", "SET NAMES utf8mb4;", "",
             "CREATE TABLE `patients` (", "  `id_patient` int(11) NOT NULL,",
             "  `nom` varchar(80) NOT NULL,", "  `prenom` varchar(80) NOT NULL,",
             "  `date_naissance` date DEFAULT NULL,", "  `num_secu` char(15) DEFAULT NULL,",
             "  `telephone` varchar(20) DEFAULT NULL,", "  `adresse` varchar(200) DEFAULT NULL,",
             "  `cp` char(5) DEFAULT NULL,", "  `ville` varchar(80) DEFAULT NULL",
             ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", "",
             "CREATE TABLE `rendez_vous` (", "  `id` int(11) NOT NULL,",
             "  `id_patient` int(11) NOT NULL,", "  `date_rdv` datetime NOT NULL,",
             "  `motif` text", ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", ""]
    patients = [(i, p.last, p.first, p.dob.isoformat(), p.nir, phone_dotted(p.phone), p.street,
                 p.postcode, p.city) for i, p in enumerate(pop.people, start=1)]
    visits = []
    for i, p in enumerate(pop.people, start=1):
        for n in range(rng.randint(1, 3)):
            when = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(8, 18):02d}:30:00"
            visits.append((len(visits) + 1, i, when, p.note if n == 0 else rng.choice(PLAIN_NOTES)))
    columns_of = {"patients": "`id_patient`, `nom`, `prenom`, `date_naissance`, `num_secu`, "
                              "`telephone`, `adresse`, `cp`, `ville`",
                  "rendez_vous": "`id`, `id_patient`, `date_rdv`, `motif`"}
    for table, rows in (("patients", patients), ("rendez_vous", visits)):
        for start in range(0, len(rows), 250):
            chunk = rows[start:start + 250]
            lines.append(f"INSERT INTO `{table}` ({columns_of[table]}) VALUES")
            lines.append(",\n".join("(" + ", ".join(_sql_quote(v) for v in row) + ")"
                                    for row in chunk) + ";")
        lines.append("")
    path = out / "rdv_export.sql"
    path.write_text("\n".join(lines), encoding="utf-8")
    people = pop.people
    return Leak(path, {
        "patients": {"rows": len(patients), "columns": {
            "id_patient": "record_id", "nom": "last_name", "prenom": "first_name",
            "date_naissance": "date_of_birth", "num_secu": "nir", "telephone": "phone",
            "adresse": "address", "cp": "postcode", "ville": "city"}},
        "rendez_vous": {"rows": len(visits), "columns": {
            "id": "record_id", "id_patient": "record_id", "date_rdv": "event_date",
            "motif": "medical_free_text"}}},
        len(people), {"nir": len(people), "phone": len(people), "date_of_birth": len(people),
                      "address": len(people), **mention_exposure(people)})


def write_pg_copy_sql(out: Path, pop: Population) -> Leak:
    """A hand-written PostgreSQL plain dump: schema-qualified COPY blocks, \\N nulls,
    e-mails missing for some, analysis results in a second table."""
    rng = pop.rng
    lines = ["SET client_encoding = 'UTF8';", "",
             "CREATE TABLE labo.patient (", "    pid integer NOT NULL,", "    nom_usuel text,",
             "    prenoms text,", "    naissance date,", "    sexe character(1),",
             "    nir character varying(15),", "    mail text", ");", "",
             "CREATE TABLE labo.resultat (", "    rid integer NOT NULL,", "    pid integer,",
             "    libelle_examen text,", "    valeur text,", "    preleve_le timestamp", ");", "",
             "COPY labo.patient (pid, nom_usuel, prenoms, naissance, sexe, nir, mail) FROM stdin;"]
    for i, p in enumerate(pop.people, start=1):
        lines.append("\t".join((str(i), p.last, p.first, p.dob.isoformat(), "MF"[p.sex - 1],
                                p.nir, p.email or "\\N")))
    lines += ["\\.", "",
              "COPY labo.resultat (rid, pid, libelle_examen, valeur, preleve_le) FROM stdin;"]
    results = 0
    for i in range(1, len(pop.people) + 1):
        for _ in range(rng.randint(1, 3)):
            results += 1
            lines.append(f"{results}\t{i}\t{rng.choice(TESTS)}\t{rng.uniform(0.5, 9):.2f} g/L\t"
                         f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 08:1{rng.randint(0, 9)}:00")
    lines += ["\\.", ""]
    path = out / "labo.sql"
    path.write_text("\n".join(lines), encoding="utf-8")
    people = pop.people
    return Leak(path, {
        # Outside the public schema a dump's table keeps its schema name.
        "labo.patient": {"rows": len(people), "columns": {
            "pid": "record_id", "nom_usuel": "last_name", "prenoms": "first_name",
            "naissance": "date_of_birth", "sexe": "sex", "nir": "nir", "mail": "email"}},
        "labo.resultat": {"rows": results, "columns": {
            "rid": "record_id", "pid": "record_id", "libelle_examen": "lab_test",
            "valeur": "lab_result", "preleve_le": "event_date"}}},
        len(people), {"nir": len(people), "sex": len(people), "date_of_birth": len(people),
                      "email": sum(p.email is not None for p in people),
                      "lab_test": len(people), "lab_result": len(people)})


def write_gzip_json_array(out: Path, pop: Population) -> Leak:
    """A gzipped JSON array (one document), camel-case keys, phones as a list of objects."""
    records = [{"patientId": f"P{i:06d}", "lastName": p.last, "firstName": p.first,
                "birthDate": p.dob.strftime("%d/%m/%Y"), "gender": "female" if p.sex == 2 else "male",
                "phones": [{"type": "mobile", "number": phone_intl(p.phone)}],
                "insurance": {"name": p.insurer, "memberNumber": p.member_no}}
               for i, p in enumerate(pop.people, start=1)]
    path = out / "patients.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(records, handle, ensure_ascii=False, indent=1)
    people = pop.people
    return Leak(path, {"patients": {"rows": len(people), "columns": {
        "patientId": "record_id", "lastName": "last_name", "firstName": "first_name",
        "birthDate": "date_of_birth", "gender": "sex", "phones[].type": "none",
        "phones[].number": "phone", "insurance.name": "insurer",
        "insurance.memberNumber": "insurance_number"}}},
        len(people), {"phone": len(people), "date_of_birth": len(people), "sex": len(people),
                      "insurer": sum(p.insurer is not None for p in people),
                      "insurance_number": sum(p.member_no is not None for p in people)})


def write_mongo_extended_json(out: Path, pop: Population) -> Leak:
    """mongoexport's extended JSON: one document per appointment, `{"$oid"}` ids and
    `{"$date"}` dates, camelCase French keys, the patient embedded in every document."""
    rng = pop.rng
    path = out / "rendezvous.json"
    documents = 0
    with path.open("w", encoding="utf-8") as handle:
        for p in pop.people:
            for visit in range(rng.randint(1, 3)):
                documents += 1
                record = {"_id": {"$oid": f"{rng.getrandbits(96):024x}"},
                          "patient": {"nom": p.last, "prenom": p.first,
                                      "dateNaissance": {"$date": f"{p.dob.isoformat()}T00:00:00.000Z"},
                                      "numeroSecu": p.nir, "telephones": [phone_intl(p.phone)]},
                          "creneau": {"$date": f"2024-06-{rng.randint(1, 28):02d}T09:30:00.000Z"},
                          "motifConsultation": p.note if visit == 0 else rng.choice(PLAIN_NOTES),
                          "tags": ["rdv", "web"]}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    people = pop.people
    return Leak(path, {"rendezvous": {"rows": documents, "columns": {
        "_id.$oid": "record_id", "patient.nom": "last_name", "patient.prenom": "first_name",
        "patient.dateNaissance.$date": "date_of_birth", "patient.numeroSecu": "nir",
        "patient.telephones[]": "phone", "creneau.$date": "event_date",
        "motifConsultation": "medical_free_text", "tags[]": "none"}}},
        len(people), {"nir": len(people), "phone": len(people), "date_of_birth": len(people),
                      **mention_exposure(people)})


WRITERS = {
    "mongo-extjson": write_mongo_extended_json,
    "phpmyadmin-sql": write_phpmyadmin_sql,
    "pg-copy-sql": write_pg_copy_sql,
    "gzip-json": write_gzip_json_array,
    "dossiers-csv": write_dossiers_csv,
    "visits-txt": write_visits_txt,
    "jsonl": write_jsonl,
    "xlsx": write_xlsx,
    "sqlite": write_sqlite,
    "zip": write_zip,
}


def write_leak(shape: str, out: Path, persons: int, seed: int, writers: dict | None = None) -> Leak:
    """Write one leak of `shape` (a key of `writers`, by default WRITERS, or "catalogue")
    into `out`, made of `persons` people."""
    out.mkdir(parents=True, exist_ok=True)
    if shape == "catalogue":
        return write_catalogue(out, persons, seed)
    return (writers or WRITERS)[shape](out, Population(persons, seed))
