"""The doctors named in a leak, how many of their patients it holds, and what leaked
about those patients.

The register keeps no leaked value, so the doctors come from reading the leak again at
draft time: `vigie.assess.assess` re-runs on it (same sources, classifier, persons and
mentions as the incident's assessment) and, while its workspace is open, the columns of
kind `physician` are grouped in DuckDB:

- a physician column whose values are 11-digit numbers is an RPPS column; the others
  hold names ("Dr Prénom NOM", or plain names under a physician header). Several
  one-word name columns in a table ("nom medecin", "prenom medecin") are one name;
- in a row with one RPPS column and one name, the name is that RPPS's doctor. A name
  seen without an RPPS joins the RPPS whose rows carry the same name when there is
  exactly one such RPPS; otherwise names are grouped by their normalised form (title
  dropped; accents, case and word order ignored);
- per doctor: distinct patients (the assessment's persons) and, per exposed kind or
  health mention, how many of those patients it concerns.

Only the doctors' own names and RPPS numbers and counts leave DuckDB: no patient value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vigie.assess.engine import assess, person_exposure
from vigie.notify import advice

RPPS = r"[0-9]{11}"
RPPS_SHARE = 0.9           # an RPPS column: at least this share of its values are RPPS
ONE_WORD_SHARE = 0.9       # a name-part column: at least this share of one-word values
TITLE = r"^\s*(dr|docteur|doctor|pr|professeur|prof)\.?\s+"
MACRO = (f"CREATE OR REPLACE MACRO vigie_doctor_name(v) AS "
         f"vigie_sorted_name(regexp_replace(v, '{TITLE}', '', 'i'))")


@dataclass
class Doctor:
    """One doctor: the name as the leak most often writes it ('' when only an RPPS is
    known), the RPPS ('' when unknown), distinct patients, and per exposed kind or
    mention, and per category of them, the number of those patients concerned (the
    physician kind left out)."""

    name: str
    rpps: str
    patients: int
    kinds: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)   # patients per category


class DoctorFinder:
    """The `inspect` callback of `assess`: fills `doctors` from the open workspace."""

    def __init__(self) -> None:
        self.doctors: list[Doctor] = []

    def __call__(self, con, loaded) -> None:
        refs = [select for t in loaded if t.persons_table for select in _references(con, t)]
        if not refs:
            return
        con.execute(MACRO)
        con.execute("CREATE OR REPLACE TEMP TABLE vigie_doctor_refs AS "
                    "SELECT person, rpps, raw, vigie_doctor_name(raw) AS norm FROM ("
                    + " UNION ALL ".join(refs) + ")")
        # A name joins an RPPS when exactly one RPPS is seen with it.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE vigie_doctor_of AS
            SELECT coalesce(r.rpps, n.rpps, 'name:' || r.norm) AS doctor, r.person, r.raw
            FROM vigie_doctor_refs r LEFT JOIN (
                SELECT norm, min(rpps) AS rpps FROM vigie_doctor_refs
                WHERE rpps IS NOT NULL AND norm IS NOT NULL
                GROUP BY norm HAVING count(DISTINCT rpps) = 1) n USING (norm)
            WHERE coalesce(r.rpps, r.norm) IS NOT NULL""")
        exposed, per_person = person_exposure(loaded)
        kinds = [k for k in dict.fromkeys(exposed) if k != "physician"]
        categories: dict[str, list[str]] = {}
        for kind in kinds:
            categories.setdefault(advice.category(kind), []).append(kind)
        counts = "".join(f', count(DISTINCT d.person) FILTER (WHERE f."{k}")' for k in kinds)
        counts += "".join(", count(DISTINCT d.person) FILTER (WHERE "
                          + " OR ".join(f'f."{k}"' for k in members) + ")"
                          for members in categories.values())
        joined = f"LEFT JOIN ({per_person}) f USING (person)" if kinds and per_person else ""
        # The name shown: the doctor's most frequent spelling (ties: the first in order).
        rows = con.execute(f"""
            WITH spellings AS (
                SELECT doctor, raw, count(*) AS n FROM vigie_doctor_of
                WHERE raw IS NOT NULL GROUP BY doctor, raw),
            shown AS (
                SELECT doctor, first(raw ORDER BY n DESC, raw) AS raw FROM spellings
                GROUP BY doctor)
            SELECT d.doctor, s.raw, count(DISTINCT d.person){counts if joined else ''}
            FROM vigie_doctor_of d LEFT JOIN shown s USING (doctor) {joined}
            GROUP BY d.doctor, s.raw ORDER BY 3 DESC, 1""").fetchall()
        for doctor, raw, patients, *per_name in rows:
            per_category = per_name[len(kinds):]
            self.doctors.append(Doctor(
                name=raw or "", rpps="" if doctor.startswith("name:") else doctor,
                patients=int(patients),
                kinds={k: int(n) for k, n in zip(kinds, per_name) if n},
                categories={c: int(n) for c, n in zip(categories, per_category) if n}))
        for name in ("vigie_doctor_refs", "vigie_doctor_of"):
            con.execute(f"DROP TABLE {name}")


def _references(con, t) -> list[str]:
    """SELECTs of (person, rpps, raw name) for the physician columns of one table."""
    columns = [i for i, c in enumerate(t.columns) if c.kind == "physician"]
    if not columns:
        return []
    rpps_cols, complete, parts = [], [], []
    for i in columns:
        rpps_share, one_word = con.execute(f"""
            SELECT avg(CASE WHEN regexp_full_match(replace(c{i}, ' ', ''), '{RPPS}')
                       THEN 1 ELSE 0 END),
                   avg(CASE WHEN NOT contains(trim(c{i}), ' ') THEN 1 ELSE 0 END)
            FROM {t.sql_name} WHERE c{i} IS NOT NULL""").fetchone()
        if rpps_share is None:
            continue                                   # an empty column names nobody
        if rpps_share >= RPPS_SHARE:
            rpps_cols.append(i)
        elif one_word >= ONE_WORD_SHARE:
            parts.append(i)
        else:
            complete.append(i)
    names = [f"t.c{i}" for i in complete]
    if len(parts) >= 2:
        names.append("nullif(concat_ws(' ', " + ", ".join(f"t.c{i}" for i in parts) + "), '')")
    else:
        names += [f"t.c{i}" for i in parts]
    source = f"FROM {t.sql_name} t JOIN {t.persons_table} p ON p.r = t.rowid"

    def rpps(i: int) -> str:
        return (f"CASE WHEN regexp_full_match(replace(t.c{i}, ' ', ''), '{RPPS}') "
                f"THEN replace(t.c{i}, ' ', '') END")

    if len(rpps_cols) == 1 and len(names) == 1:        # the row's RPPS is its doctor's
        return [f"SELECT p.person, {rpps(rpps_cols[0])} AS rpps, {names[0]} AS raw {source}"]
    return ([f"SELECT p.person, {rpps(i)} AS rpps, NULL::VARCHAR AS raw {source}"
             for i in rpps_cols]
            + [f"SELECT p.person, NULL::VARCHAR AS rpps, {name} AS raw {source}"
               for name in names])


def find_doctors(paths: list[str]) -> tuple[list[Doctor], dict]:
    """(doctors, the re-run's assessment as a dict) for the leak made of `paths`."""
    finder = DoctorFinder()
    assessment = assess(paths, inspect=finder)
    return finder.doctors, assessment.to_dict()
