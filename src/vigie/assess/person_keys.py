"""SQL that turns a row's identity columns into person keys, run inside DuckDB.

A person is told apart by, in order of strength: the NIR (first 13 characters, so the
keyed and keyless forms agree); else the full name with the date of birth; else the full
name with an e-mail or a phone number; in a table without names, the e-mail or the phone
alone. Each key is a 64-bit hash of a tagged, normalised value, so keys of different types
never collide and memory per person stays small.

Hand-written because no library normalises French identity fields in SQL: the recognisers'
`normalise` methods are Python, and a Python call per cell over millions of rows is what
the assess engine must never do. The macros below mirror them for the fields a person key
needs: names (accents, case, hyphens, order of words), dates of birth in every common
notation (dd/mm/yyyy, yyyy-mm-dd, dd-mm-yy, yyyymmdd, with or without time), phones (the
last 9 digits: +33, 0033 and 0 prefixes agree), e-mails (case), NIR (spaces, dots, 2a/2b;
structure and key checked, so a mistyped NIR does not make a second person: the row then
joins its person through the name and date of birth).
"""

from __future__ import annotations

from dataclasses import dataclass

from vigie.detect.base import deleted_sql

# Key columns of every keys table, strongest first; `persons.py` links rows sharing any key.
KEY_COLUMNS = ("k_nir", "k_name_dob", "k_name_email", "k_name_phone", "k_email", "k_phone")

MACROS = r"""
CREATE OR REPLACE MACRO vigie_key(tag, v) AS
    CASE WHEN v IS NULL OR v = '' THEN NULL ELSE hash(tag || ':' || v) END;
CREATE OR REPLACE MACRO vigie_name_part(v) AS
    trim(regexp_replace(upper(strip_accents(v)), '[^A-Z]+', ' ', 'g'));
CREATE OR REPLACE MACRO vigie_sorted_words(v) AS
    nullif(array_to_string(list_sort(string_split(v, ' ')), ' '), '');
CREATE OR REPLACE MACRO vigie_sorted_name(v) AS vigie_sorted_words(vigie_name_part(v));
CREATE OR REPLACE MACRO vigie_name_pair(a, b) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL     -- least/greatest skip NULLs
         WHEN contains(a, ' ') OR contains(b, ' ') THEN vigie_sorted_words(trim(a || ' ' || b))
         ELSE nullif(trim(least(a, b) || ' ' || greatest(a, b)), '') END;
CREATE OR REPLACE MACRO vigie_two_words_of(part) AS
    CASE WHEN contains(part, ' ') THEN vigie_sorted_words(part) END;
CREATE OR REPLACE MACRO vigie_dob_date(v) AS
    CASE WHEN regexp_full_match(v, '\d{1,2}\D\d{1,2}\D\d{2}')
         THEN try_strptime(regexp_replace(v, '\D', '/', 'g'), '%d/%m/%y')
         ELSE try_strptime(left(vigie_french_month(v), 10),
                           ['%d/%m/%Y', '%Y-%m-%d', '%d-%m-%Y', '%d.%m.%Y', '%Y/%m/%d', '%Y%m%d'])
    END::DATE;
CREATE OR REPLACE MACRO vigie_dob(v) AS
    CASE WHEN vigie_dob_date(trim(v)) > current_date
         THEN vigie_dob_date(trim(v)) - INTERVAL 100 YEAR
         ELSE vigie_dob_date(trim(v)) END::DATE::VARCHAR;
CREATE OR REPLACE MACRO vigie_phone_of(digits) AS
    CASE WHEN regexp_full_match(digits, '\d{9,15}') THEN right(digits, 9) END;
CREATE OR REPLACE MACRO vigie_email(v) AS
    CASE WHEN contains(v, '@') THEN lower(trim(v)) END;
CREATE OR REPLACE MACRO vigie_nir_of(n) AS
    CASE WHEN regexp_full_match(n, '[1-478]\d{4}(\d{2}|2A|2B)\d{6}(\d{2})?')
          AND (length(n) = 13
               OR TRY_CAST(right(n, 2) AS INTEGER) = 97 - TRY_CAST(replace(replace(
                      left(n, 13), '2A', '19'), '2B', '18') AS BIGINT) % 97)
         THEN left(n, 13) END;
"""


# "12 mars 1984", "1er févr. 1984" -> "12/03/1984": dates written out in French.
FRENCH_MONTHS = ("janv(?:ier)?", "fevr?(?:ier)?", "mars", "avr(?:il)?", "mai", "juin",
                 "juil(?:let)?", "aout", "sept(?:embre)?", "oct(?:obre)?", "nov(?:embre)?",
                 "dec(?:embre)?")


def _french_month_macro() -> str:
    expression = "lower(strip_accents(trim(v)))"
    for number, month in enumerate(FRENCH_MONTHS, start=1):
        expression = (f"regexp_replace({expression}, "
                      f"'^(\\d{{1,2}})(?:er)?\\s+{month}\\.?\\s+(\\d{{4}})$', "
                      f"'\\1/{number:02d}/\\2')")
    return ("CREATE OR REPLACE MACRO vigie_french_month(v) AS "
            f"CASE WHEN regexp_matches(v, '[A-Za-z]') THEN {expression} ELSE v END;")


# Separators dropped from phones and NIRs, by replace chains (see detect.base.deleted_sql).
SEPARATOR_MACROS = (
    f"CREATE OR REPLACE MACRO vigie_digits(v) AS {deleted_sql('v', ' .-/()+' + chr(0xA0))};"
    f"CREATE OR REPLACE MACRO vigie_nir_chars(v) AS upper({deleted_sql('v', ' .-/_' + chr(0xA0))});")


def install_macros(con) -> None:
    """Create the normalisation macros in a DuckDB connection."""
    con.execute(_french_month_macro())
    con.execute(SEPARATOR_MACROS)
    con.execute(MACROS)


@dataclass
class IdentityColumns:
    """The SQL column names (in a loaded table) that hold each identity kind, if any."""

    nir: str | None = None
    last: str | None = None
    first: str | None = None
    full: str | None = None
    dob: str | None = None
    email: str | None = None
    phone: str | None = None

    def has_key(self) -> bool:
        """True when rows of the table can be tied to a person on their own."""
        return any(sql != "NULL::UBIGINT" for sql in self._keys().values())

    def _prepared(self) -> dict[str, str]:
        """Per-row cleaning, each raw column read once (alias -> SQL over `t`). Dates of
        birth come from `dob_map`, normalised once per distinct value: a few tens of
        thousands among millions of rows, and the date parsing is the costly part."""
        fields = {"p_nir": f"vigie_nir_chars(t.{self.nir})" if self.nir else None,
                  "p_dob": "dob_map.d" if self.dob else None,
                  "p_email": f"vigie_email(t.{self.email})" if self.email else None,
                  "p_phone": f"vigie_digits(t.{self.phone})" if self.phone else None}
        if self.last and self.first:
            fields["p_last"] = f"vigie_name_part(t.{self.last})"
            fields["p_first"] = f"vigie_name_part(t.{self.first})"
        elif self.full:
            fields["p_full"] = f"vigie_name_part(t.{self.full})"
        return {alias: sql for alias, sql in fields.items() if sql}

    def _name(self) -> str | None:
        if self.last and self.first:
            return "vigie_name_pair(p_last, p_first)"
        if self.full:
            return "vigie_two_words_of(p_full)"
        return None

    def _normalised(self) -> dict[str, str]:
        """Normalised identity fields over the prepared ones (alias -> SQL)."""
        fields = {"n_nir": "vigie_nir_of(p_nir)" if self.nir else None,
                  "n_name": self._name(),
                  "n_dob": "p_dob" if self.dob else None,
                  "n_email": "p_email" if self.email else None,
                  "n_phone": "vigie_phone_of(p_phone)" if self.phone else None}
        return {alias: sql for alias, sql in fields.items() if sql}

    def _keys(self) -> dict[str, str]:
        """SQL per key column over the normalised aliases (NULL where not available)."""
        have = self._normalised()
        keys = {k: "NULL::UBIGINT" for k in KEY_COLUMNS}
        if "n_nir" in have:
            keys["k_nir"] = "vigie_key('nir', n_nir)"
        for other, key in (("n_dob", "k_name_dob"), ("n_email", "k_name_email"),
                           ("n_phone", "k_name_phone")):
            if "n_name" in have and other in have:
                keys[key] = f"vigie_key('{key}', n_name || '|' || {other})"
            elif "n_name" not in have and other in ("n_email", "n_phone") and other in have:
                alone = "k_email" if other == "n_email" else "k_phone"
                keys[alone] = f"vigie_key('{alone}', {other})"
        return keys

    def _source(self, table_sql: str) -> str:
        """The table as `t`, with `dob_map` (its dates of birth, normalised once each)."""
        source = f"{table_sql} t"
        if self.dob:
            source += (f" LEFT JOIN (SELECT v, vigie_dob(v) AS d FROM (SELECT DISTINCT "
                       f"{self.dob} AS v FROM {table_sql})) dob_map ON t.{self.dob} = dob_map.v")
        return source

    def probe_fields(self) -> list[str]:
        """The normalised fields that go into a secondary key with a name or alone."""
        return [alias for alias in ("n_dob", "n_email", "n_phone") if alias in self._normalised()]

    def _normalised_select(self, table_sql: str, *, names: bool = True,
                           where: str = "") -> str:
        """SELECT r and the normalised fields (without the name ones unless `names`), in
        two layers, so that each macro's argument is a column and not a re-expanded
        expression: raw columns -> prepared (cleaned once) -> normalised."""
        def listed(fields: dict[str, str]) -> str:
            return "".join(f", {sql} AS {alias}" for alias, sql in fields.items()
                           if names or alias not in ("p_last", "p_first", "p_full", "n_name"))

        return (f"SELECT r{listed(self._normalised())} FROM (SELECT t.rowid AS r"
                f"{listed(self._prepared())} FROM {self._source(table_sql)}{where})")

    def fields_select(self, table_sql: str) -> str:
        """SELECT r, n_nir and the probe fields of every row: the cheap part of the keys,
        without the names."""
        return self._normalised_select(table_sql, names=False)

    def keys_select(self, table_sql: str, *, only_rows: str | None = None,
                    with_fields: bool = False) -> str:
        """SELECT r (the rowid) and every key column, for a keys table over `table_sql`;
        only the rows whose rowid is in `only_rows(r)` when given; the probe fields too
        with `with_fields`."""
        keys = ", ".join(f"{sql} AS {k}" for k, sql in self._keys().items())
        if with_fields:
            keys += "".join(f", {alias}" for alias in self.probe_fields())
        where = f" WHERE t.rowid IN (SELECT r FROM {only_rows})" if only_rows else ""
        return f"SELECT r, {keys} FROM ({self._normalised_select(table_sql, where=where)})"

    def describe(self) -> str:
        """The keys this table's rows are told apart by, in words."""
        parts = []
        if self.nir:
            parts.append("NIR")
        if self._name():
            extras = [w for w, c in (("date of birth", self.dob), ("e-mail", self.email),
                                     ("phone", self.phone)) if c]
            if extras:
                parts.append("name + " + " / ".join(extras))
        else:
            parts += [w for w, c in (("e-mail", self.email), ("phone", self.phone)) if c]
        return ", else ".join(parts) if parts else "none"


def create_keys_tables(con, tables: dict[str, IdentityColumns]) -> dict[str, str]:
    """Create a keys table `<table>_keys` for every table whose rows have an identity key;
    return {table: keys table}.

    A row with a valid NIR is that NIR's person whatever else it holds (persons.py), so
    its secondary keys (name + date of birth, name + e-mail...) only serve to attach rows
    without a NIR to it, and can only do so where that row has the same date of birth,
    e-mail or phone. So a table with a NIR column is keyed in two passes: the NIR and
    those cheap fields for every row, then the name keys only for the rows without a NIR
    and the rows sharing one of those fields with a row without a NIR anywhere in the
    leak (the probes). Names are the costly part of the keys: on the 1 M-patient lab
    export, where every row has a NIR, the keys take half the time.
    """
    keys = {name: f"{name}_keys" for name, ids in tables.items() if ids.has_key()}
    two_pass = [name for name in keys if tables[name].nir]
    probes = []
    for name in keys:
        ids = tables[name]
        if name in two_pass:
            con.execute(f"CREATE OR REPLACE TABLE {name}_fields AS {ids.fields_select(name)}")
            source, where = f"{name}_fields", " WHERE n_nir IS NULL"
        else:
            con.execute(f"CREATE TABLE {keys[name]} AS {ids.keys_select(name, with_fields=True)}")
            source, where = keys[name], ""
        probes += [f"SELECT '{field}' AS field, {field} AS v FROM {source}{where}"
                   for field in ids.probe_fields()]
    con.execute("CREATE OR REPLACE TEMP TABLE vigie_probes (field VARCHAR, v VARCHAR)")
    if probes:
        con.execute(f"INSERT INTO vigie_probes SELECT DISTINCT field, v FROM "
                    f"({' UNION ALL '.join(probes)}) WHERE v IS NOT NULL")
    no_secondary = ", ".join(f"NULL::UBIGINT AS {k}" for k in KEY_COLUMNS[1:])
    for name in two_pass:
        shared = "".join(f" OR {field} IN (SELECT v FROM vigie_probes WHERE field = '{field}')"
                         for field in tables[name].probe_fields())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_probed AS "
                    f"SELECT r FROM {name}_fields WHERE n_nir IS NULL{shared}")
        con.execute(f"""
            CREATE TABLE {keys[name]} AS
            SELECT r, vigie_key('nir', n_nir) AS k_nir, {no_secondary}
            FROM {name}_fields ANTI JOIN {name}_probed USING (r)
            UNION ALL
            {tables[name].keys_select(name, only_rows=f"{name}_probed")}""")
        con.execute(f"DROP TABLE {name}_fields")
        con.execute(f"DROP TABLE {name}_probed")
    con.execute("DROP TABLE vigie_probes")
    return keys
