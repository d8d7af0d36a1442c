"""Independent leaks where health data is a minority or sparse, for tests only (issue 11).

Like `othergen` (whose people it reuses: Faker fr_FR, valid distinct NIRs), this module
shares nothing with `vigie.synth`. Its habits are its own on purpose: a HeidiSQL-style
MariaDB dump of a lab's bookings, a MongoDB export of a medical practice's patients with
their appointments in an array, an openpyxl workbook of lab requests with a serology column
empty on most rows, a hand-written PostgreSQL dump of a long results table (one analyte per
row: label, value, unit, reference range, flag) with English headers.

The HIV and pregnancy truth counts only what a cell STATES ("Suivi de grossesse",
"VIH : positif", "Sérologie VIH"): a toxoplasmosis or rubella immunity, which only suggests
a pregnancy, is written in the files but never counted as one.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).parent))
import othergen  # noqa: E402  (the other independent generator's people, beside this file)
from othergen import Leak, Population, nir_spaced, phone_dotted  # noqa: E402

# What a lab's patients book: routine acts, then the ones stating a condition.
LAB_BOOKINGS = ("Prise de sang", "prise de sang à jeun", "Analyses d'urines", "ECBU",
                "Test PCR Covid-19", "Bilan sanguin", "Glycémie à jeun", "Test antigénique",
                "Prise de sang (NFS, glycémie)")
HIV_BOOKINGS = ("Contrôle charge virale VIH", "Dépistage VIH", "Suivi VIH (bilan semestriel)")
PREGNANCY_BOOKINGS = ("Bilan de grossesse (T1)", "Suivi grossesse - prise de sang",
                      "Grossesse : bilan du 6e mois")
# Why a patient sees a general practitioner.
PRACTICE_REASONS = ("Consultation", "Renouvellement d'ordonnance", "Certificat de sport",
                    "Vaccin grippe", "Douleurs dorsales", "Fièvre depuis 3 jours",
                    "Contrôle tension", "Consultation de suivi")
HIV_REASONS = ("Suivi VIH", "Résultats sérologie VIH")
PREGNANCY_REASONS = ("Suivi de grossesse", "Grossesse : échographie T2",
                     "Déclaration de grossesse")
# Lab requests and a serology column.
ROUTINE_REQUESTS = (("Glycémie à jeun", "mmol/L", 4.1, 7.9), ("Hémoglobine", "g/dL", 10.5, 17.0),
                    ("Cholestérol total", "g/L", 1.4, 2.9), ("TSH", "mUI/L", 0.3, 5.5),
                    ("Créatinine", "µmol/L", 50, 130), ("Ferritine", "µg/L", 10, 400))
HIV_SEROLOGY = ("HIV 1+2 : négatif", "VIH : positif", "Sérologie VIH négative")
OTHER_SEROLOGY = ("Toxoplasmose IgG+ (immunisée)", "Rubéole non immune", "Toxo : non immunisée",
                  "Hépatite B : Ac anti-HBs positifs")
# A long results table: analyte, unit, range, value decimals.
ANALYTES = (("Hémoglobine", "g/dL", (12.0, 16.0), 1), ("Plaquettes", "G/L", (150, 400), 0),
            ("Leucocytes", "G/L", (4.0, 10.0), 1), ("Glycémie à jeun", "mmol/L", (4.1, 6.1), 2),
            ("Créatinine", "µmol/L", (45, 110), 0), ("Potassium", "mmol/L", (3.5, 5.1), 1),
            ("Sodium", "mmol/L", (136, 145), 0), ("CRP", "mg/L", (0, 5), 1),
            ("HbA1c", "%", (4.0, 6.0), 1), ("TSH", "mUI/L", (0.4, 4.0), 2),
            ("Gamma-GT", "UI/L", (8, 61), 0), ("Ferritine", "µg/L", (20, 300), 0))


def _sql(value) -> str:
    return othergen._sql_quote(value, quote="''")          # HeidiSQL doubles quotes


def write_lab_bookings_sql(out: Path, pop: Population) -> Leak:
    """A HeidiSQL export of a lab's booking database: `patient` and `rdv`, tab-indented
    tuples, '' escapes, spaced NIRs; `rdv.motif_rdv` holds mostly routine acts and, for
    some patients, the one stating a condition."""
    rng = pop.rng
    lines = ["-- --------------------------------------------------------",
             "-- Hôte:                         192.168.1.20", "-- Version du serveur:           10.11.6-MariaDB",
             "-- HeidiSQL Version:             12.6.0.6765",
             "-- --------------------------------------------------------", "",
             "/*!40101 SET NAMES utf8 */;", "/*!50503 SET NAMES utf8mb4 */;", "",
             "CREATE TABLE IF NOT EXISTS `patient` (",
             "  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,", "  `nom` varchar(60) NOT NULL,",
             "  `prenom` varchar(60) NOT NULL,", "  `naissance` date DEFAULT NULL,",
             "  `num_ss` varchar(21) DEFAULT NULL,", "  `tel` varchar(14) DEFAULT NULL,",
             "  PRIMARY KEY (`id`)", ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", "",
             "CREATE TABLE IF NOT EXISTS `rdv` (",
             "  `id_rdv` int(10) unsigned NOT NULL AUTO_INCREMENT,",
             "  `id_patient` int(10) unsigned NOT NULL,", "  `debut` datetime NOT NULL,",
             "  `motif_rdv` varchar(120) DEFAULT NULL,", "  `statut` varchar(12) DEFAULT NULL,",
             "  PRIMARY KEY (`id_rdv`)", ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", ""]
    people = pop.people
    lines.append("INSERT INTO `patient` (`id`, `nom`, `prenom`, `naissance`, `num_ss`, `tel`) VALUES")
    lines.append(",\n".join(f"\t({i}, {_sql(p.last.upper())}, {_sql(p.first)}, {_sql(p.dob.isoformat())}, "
                            f"{_sql(nir_spaced(p.nir))}, {_sql(phone_dotted(p.phone))})"
                            for i, p in enumerate(people, start=1)) + ";")
    bookings, hiv, pregnant = [], set(), set()
    for i, p in enumerate(people, start=1):
        for n in range(rng.randint(1, 3)):
            reason = rng.choice(LAB_BOOKINGS)
            if n == 0 and p.hiv and rng.random() < 0.7:
                reason = rng.choice(HIV_BOOKINGS)
                hiv.add(i)
            elif n == 0 and p.pregnant and rng.random() < 0.8:
                reason = rng.choice(PREGNANCY_BOOKINGS)
                pregnant.add(i)
            when = datetime(2024, rng.randint(1, 12), rng.randint(1, 28), rng.randint(7, 11),
                            rng.choice((0, 15, 30, 45)))
            bookings.append((len(bookings) + 1, i, when.strftime("%Y-%m-%d %H:%M:%S"), reason,
                             rng.choice(("honoré", "honoré", "honoré", "annulé", "absent"))))
    lines.append("INSERT INTO `rdv` (`id_rdv`, `id_patient`, `debut`, `motif_rdv`, `statut`) VALUES")
    lines.append(",\n".join("\t(" + ", ".join(_sql(v) for v in row) + ")" for row in bookings) + ";")
    path = out / "labo_rdv.sql"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Leak(path, {
        "patient": {"rows": len(people), "columns": {
            "id": "record_id", "nom": "last_name", "prenom": "first_name",
            "naissance": "date_of_birth", "num_ss": "nir", "tel": "phone"}},
        "rdv": {"rows": len(bookings), "columns": {
            "id_rdv": "record_id", "id_patient": "record_id", "debut": "event_date",
            "motif_rdv": "lab_test", "statut": "none"}}},
        len(people), {"nir": len(people), "phone": len(people), "date_of_birth": len(people),
                      "lab_test": len(people), "hiv": len(hiv), "pregnancy": len(pregnant)})


def write_practice_mongo(out: Path, pop: Population) -> Leak:
    """mongoexport of a practice's `patients` collection: one document per patient, its
    appointments in `rendezVous[]` ({"le": {"$date"}, "motif"}), reasons of a general
    practice where few state a condition."""
    rng = pop.rng
    path = out / "patients_cabinet.json"
    hiv = pregnant = 0
    with path.open("w", encoding="utf-8") as handle:
        for p in pop.people:
            reasons = [rng.choice(PRACTICE_REASONS) for _ in range(rng.randint(1, 4))]
            if p.hiv and rng.random() < 0.6:
                reasons[0] = rng.choice(HIV_REASONS)
                hiv += 1
            elif p.pregnant and rng.random() < 0.8:
                reasons[-1] = rng.choice(PREGNANCY_REASONS)
                pregnant += 1
            record = {"_id": {"$oid": f"{rng.getrandbits(96):024x}"}, "nomUsage": p.last,
                      "prenom": p.first,
                      "dateNaissance": {"$date": f"{p.dob.isoformat()}T00:00:00Z"},
                      "nss": p.nir, "email": p.email,
                      "rendezVous": [{"le": {"$date": f"2024-{rng.randint(1, 12):02d}-"
                                                      f"{rng.randint(1, 28):02d}T10:00:00Z"},
                                      "motif": reason} for reason in reasons]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    people = pop.people
    return Leak(path, {"patients_cabinet": {"rows": len(people), "columns": {
        "_id.$oid": "record_id", "nomUsage": "last_name", "prenom": "first_name",
        "dateNaissance.$date": "date_of_birth", "nss": "nir", "email": "email",
        "rendezVous[].le.$date": "event_date", "rendezVous[].motif": "medical_free_text"}}},
        len(people), {"nir": len(people), "date_of_birth": len(people),
                      "email": sum(p.email is not None for p in people),
                      "medical_free_text": len(people), "hiv": hiv, "pregnancy": pregnant})


def write_requests_workbook(out: Path, pop: Population) -> Leak:
    """openpyxl workbook of lab requests, one row per request with the patient's identity:
    a "Résultat sérologique" column empty on most rows (an HIV result, a toxoplasmosis or
    rubella immunity on the others)."""
    rng = pop.rng
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Demandes"
    columns = {"IPP": "record_id", "NOM": "last_name", "Prénom": "first_name",
               "Né(e) le": "date_of_birth", "Prélevé le": "event_date",
               "Analyse demandée": "lab_test", "Résultat": "lab_result",
               "Résultat sérologique": "lab_result"}
    sheet.append(list(columns))
    rows, hiv, serologies = 0, set(), 0
    for index, p in enumerate(pop.people):
        ipp = f"80{index + 100001:08d}"
        for n in range(rng.randint(1, 3)):
            name, unit, low, high = rng.choice(ROUTINE_REQUESTS)
            value = f"{rng.uniform(low, high):.1f}".replace(".", ",") + f" {unit}"
            serology = None
            if n == 0 and p.hiv and rng.random() < 0.8:
                serology = rng.choice(HIV_SEROLOGY)
                hiv.add(index)
            elif n == 0 and rng.random() < 0.04:
                serology = rng.choice(OTHER_SEROLOGY)
            serologies += serology is not None
            sheet.append([ipp, othergen.strip_accents(p.last).upper(), p.first,
                          datetime(p.dob.year, p.dob.month, p.dob.day),
                          datetime(2024, rng.randint(1, 12), rng.randint(1, 28)),
                          name, value, serology])
            rows += 1
    path = out / "demandes_labo.xlsx"
    wb.save(path)
    people = pop.people
    return Leak(path, {"Demandes": {"rows": rows, "columns": columns}}, len(people),
                {"date_of_birth": len(people), "lab_test": len(people), "lab_result": len(people),
                 "hiv": len(hiv), "pregnancy": 0})


def write_long_results_pg(out: Path, pop: Population) -> Leak:
    """A hand-written PostgreSQL dump of a lab system with English headers: `patients`
    and a long `results` table (one analyte per row: label, value alone with a decimal
    comma or '<', unit, reference range, H/L/N flag), keyed by a 'PR-000123' reference."""
    rng = pop.rng
    lines = ["--", "-- PostgreSQL database dump", "--", "SET client_encoding = 'UTF8';", "",
             "CREATE TABLE biology.patients (", "    patient_ref character varying(12) NOT NULL,",
             "    last_name text,", "    first_name text,", "    birth_date date,",
             "    ssn character varying(15)", ");", "",
             "CREATE TABLE biology.results (", "    result_id bigint NOT NULL,",
             "    patient_ref character varying(12),", "    collected_at timestamp without time zone,",
             "    test_label text,", "    value text,", "    unit text,", "    ref_range text,",
             "    flag character(1)", ");", "",
             "COPY biology.patients (patient_ref, last_name, first_name, birth_date, ssn) FROM stdin;"]
    refs = [f"PR-{i:06d}" for i in range(1, len(pop.people) + 1)]
    for ref, p in zip(refs, pop.people):
        lines.append("\t".join((ref, p.last, p.first, p.dob.isoformat(), p.nir)))
    lines += ["\\.", "", "COPY biology.results (result_id, patient_ref, collected_at, test_label, "
              "value, unit, ref_range, flag) FROM stdin;"]
    results, hiv = 0, set()
    for index, (ref, p) in enumerate(zip(refs, pop.people)):
        panel = rng.sample(ANALYTES, rng.randint(3, 7))
        rows = []
        for label, unit, (low, high), decimals in panel:
            value = rng.uniform(low * 0.7, high * 1.3)
            written = f"{value:.{decimals}f}".replace(".", ",")
            if label == "CRP" and value < 0.5:
                written = "<0,5"
            flag = "H" if value > high else "L" if value < low else "N"
            rows.append((label, written, unit, f"{low}-{high}".replace(".", ","), flag))
        if p.hiv and rng.random() < 0.8:
            rows.append((rng.choice(("Sérologie VIH", "Charge virale VIH")),
                         rng.choice(("positif", "indétectable", "1 250")), "\\N", "\\N", "\\N"))
            hiv.add(index)
        elif rng.random() < 0.1:
            rows.append(("Sérologie VIH", "négatif", "\\N", "\\N", "N"))
            hiv.add(index)
        when = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 08:{rng.randint(10, 59)}:00"
        for row in rows:
            results += 1
            lines.append("\t".join((str(results), ref, when, *row)))
    lines += ["\\.", "", "--", "-- PostgreSQL database dump complete", "--", ""]
    path = out / "biology.sql"
    path.write_text("\n".join(lines), encoding="utf-8")
    people = pop.people
    return Leak(path, {
        "biology.patients": {"rows": len(people), "columns": {
            "patient_ref": "record_id", "last_name": "last_name", "first_name": "first_name",
            "birth_date": "date_of_birth", "ssn": "nir"}},
        "biology.results": {"rows": results, "columns": {
            "result_id": "record_id", "patient_ref": "record_id", "collected_at": "event_date",
            "test_label": "lab_test", "value": "lab_result", "unit": "lab_result",
            "ref_range": "none", "flag": "none"}}},
        len(people), {"nir": len(people), "date_of_birth": len(people), "lab_test": len(people),
                      "lab_result": len(people), "hiv": len(hiv), "pregnancy": 0})


WRITERS = {
    "lab-bookings-sql": write_lab_bookings_sql,
    "practice-mongo": write_practice_mongo,
    "requests-xlsx": write_requests_workbook,
    "long-results-pg": write_long_results_pg,
}


def write_leak(shape: str, out: Path, persons: int, seed: int) -> Leak:
    """Write one leak of `shape` (a WRITERS key) into `out`."""
    return othergen.write_leak(shape, out, persons, seed, writers=WRITERS)
