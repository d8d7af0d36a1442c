"""Turn any table of people into the standardised person frame the linkage model reads.

Leaks and registries never agree on column names, case, accents, date or phone notation.
Both sides go through the same normalisation, in DuckDB SQL so that millions of rows are
handled without a Python loop per cell:

    unique_id      registry id (registry) or 1-based data row number (leak), VARCHAR
    nir            NIR/NIA body: the first 13 characters of [0-9AB] (key dropped, so a
                   keyless NIR still matches); shorter national ids are kept as they are
    first_name     upper-case ASCII letters only ("Jean-Pierre" -> "JEANPIERRE"), particles
                   dropped as for surnames (in case the leak swapped the columns)
    last_name      idem, leading particles removed ("de la Fontaine" -> "FONTAINE")
    birth_name     idem (nom de naissance)
    date_of_birth  DATE, from any common notation (ISO, dd/mm/yyyy, yyyymmdd, 2-digit years...)
    postcode       5 digits (a 4-digit value read as a number regains its leading 0)
    phone          10-digit national form ("+33 6 12..." -> "0612...", DOM prefixes too)
    email          lower-case, trimmed, shape-checked
    grp            the --registry-group value (NULL when none)
    exposed_kinds  the personal kinds this row discloses (non-empty mapped columns), plus
                   those of `kinds_column` when given: what the assessment found about the
                   row's person anywhere in the leak (other tables, health mentions)

Values that do not normalise become NULL (never an error: a leak is hostile input, and a
DuckDB cast error could echo the raw value).
"""

from __future__ import annotations

from typing import Iterator, Mapping

import duckdb
import pyarrow as pa

from vigie.errors import UsageError
from vigie.kinds import KIND_CATEGORY, is_personal

ROW_COLUMN = "__vigie_row"
STANDARD_COLUMNS = ("unique_id", "nir", "first_name", "last_name", "birth_name",
                    "date_of_birth", "postcode", "phone", "email", "grp", "exposed_kinds")

# Surname particles dropped at the start of a name ("DE LA FONTAINE", "D'ARTAGNAN", "LE GALL"),
# so that a leak that dropped or kept them still agrees with the registry.
_PARTICLES = r"^((DE|DU|DES|DE LA|LE|LA|LES|D|L|VAN|VON|DA|DI|DEL|DELLA|DOS|DAS)[ '’-]+)+"

_MACROS = rf"""
CREATE OR REPLACE MACRO vigie_ascii_upper(x) AS
    upper(strip_accents(replace(replace(replace(replace(lower(trim(CAST(x AS VARCHAR))),
        'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss'), chr(160), ' ')));
CREATE OR REPLACE MACRO vigie_letters(x) AS
    nullif(regexp_replace(vigie_ascii_upper(x), '[^A-Z]', '', 'g'), '');
CREATE OR REPLACE MACRO vigie_surname(x) AS
    coalesce(nullif(regexp_replace(regexp_replace(
        regexp_replace(vigie_ascii_upper(x), '\s+', ' ', 'g'), '{_PARTICLES.replace("'", "''")}', ''),
        '[^A-Z]', '', 'g'), ''), vigie_letters(x));
CREATE OR REPLACE MACRO vigie_nir_of(v) AS
    CASE WHEN regexp_full_match(v, '0+') THEN NULL
         WHEN length(v) >= 13 THEN substr(v, 1, 13)
         WHEN length(v) >= 5 THEN v END;
CREATE OR REPLACE MACRO vigie_nir(x) AS
    vigie_nir_of(regexp_replace(upper(CAST(x AS VARCHAR)), '[^0-9AB]', '', 'g'));
CREATE OR REPLACE MACRO vigie_date_text(x) AS
    regexp_replace(regexp_replace(trim(CAST(x AS VARCHAR)), '[T ]\d{{1,2}}:\d{{2}}.*$', ''),
                   '[./ -]+', '/', 'g');
CREATE OR REPLACE MACRO vigie_date_parse(v) AS CAST(CASE
    WHEN regexp_full_match(v, '\d{{4}}/\d{{1,2}}/\d{{1,2}}') THEN try_strptime(v, '%Y/%m/%d')
    WHEN regexp_full_match(v, '\d{{1,2}}/\d{{1,2}}/\d{{4}}') THEN try_strptime(v, ['%d/%m/%Y', '%m/%d/%Y'])
    WHEN regexp_full_match(v, '\d{{1,2}}/\d{{1,2}}/\d{{2}}') THEN try_strptime(v, '%d/%m/%y')
    WHEN regexp_full_match(v, '\d{{8}}') THEN try_strptime(v, ['%Y%m%d', '%d%m%Y'])
    END AS DATE);
CREATE OR REPLACE MACRO vigie_date_of(d) AS
    CASE WHEN d > current_date THEN CAST(d - INTERVAL 100 YEAR AS DATE)
         WHEN year(d) < 1880 THEN NULL ELSE d END;
CREATE OR REPLACE MACRO vigie_date(x) AS vigie_date_of(vigie_date_parse(vigie_date_text(x)));
CREATE OR REPLACE MACRO vigie_postcode_of(v) AS
    CASE WHEN length(v) = 5 THEN v WHEN length(v) = 4 THEN '0' || v END;
CREATE OR REPLACE MACRO vigie_postcode(x) AS
    vigie_postcode_of(regexp_replace(CAST(x AS VARCHAR), '\.0+$|\D', '', 'g'));
CREATE OR REPLACE MACRO vigie_phone_digits(x) AS
    regexp_replace(regexp_replace(regexp_replace(CAST(x AS VARCHAR), '\(0\)', ''), '\D', '', 'g'),
                   '^00', '');
CREATE OR REPLACE MACRO vigie_phone_national(d) AS CASE
    WHEN length(d) = 11 AND d LIKE '33%' THEN '0' || substr(d, 3)
    WHEN length(d) = 12 AND substr(d, 1, 3) IN ('590', '594', '596', '262', '269', '508')
        THEN '0' || substr(d, 4)
    WHEN length(d) = 9 AND d NOT LIKE '0%' THEN '0' || d
    ELSE d END;
CREATE OR REPLACE MACRO vigie_phone_of(d) AS
    CASE WHEN length(d) = 10 AND length(list_distinct(string_split(substr(d, 2), ''))) > 1 THEN d END;
CREATE OR REPLACE MACRO vigie_phone(x) AS vigie_phone_of(vigie_phone_national(vigie_phone_digits(x)));
CREATE OR REPLACE MACRO vigie_email_of(v) AS
    CASE WHEN regexp_full_match(v, '[^@\s]+@[^@\s]+\.[a-z]{{2,}}') THEN v END;
CREATE OR REPLACE MACRO vigie_email(x) AS vigie_email_of(lower(trim(CAST(x AS VARCHAR))));
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the normalisation macros on a connection (idempotent)."""
    con.execute(_MACROS)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _numbered(reader: pa.RecordBatchReader) -> pa.RecordBatchReader:
    """Add a 1-based row number to a stream, batch by batch (DuckDB's row_number() over a
    parallel scan is not guaranteed to follow the input order)."""
    schema = reader.schema.append(pa.field(ROW_COLUMN, pa.int64()))

    def batches() -> Iterator[pa.RecordBatch]:
        start = 1
        for batch in reader:
            rows = pa.array(range(start, start + batch.num_rows), pa.int64())
            start += batch.num_rows
            yield pa.RecordBatch.from_arrays([*batch.columns, rows], schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())


def as_reader(data) -> pa.RecordBatchReader:
    """A record-batch stream over a pyarrow table or reader, a DuckDB relation or a source Table."""
    if isinstance(data, pa.RecordBatchReader):
        return data
    if isinstance(data, pa.Table):
        return pa.RecordBatchReader.from_batches(data.schema, data.to_batches())
    if isinstance(data, duckdb.DuckDBPyRelation):
        return data.to_arrow_reader()
    if callable(getattr(data, "reader", None)):   # a vigie.sources Table
        return data.reader()
    raise TypeError(f"cannot read a {type(data).__name__} as a table")


def _first_of(columns: list[str], expression: str) -> str:
    """Expression applied to each column of a kind, first non-null wins."""
    if not columns:
        return "NULL"
    parts = [expression.format(c=_quote(c)) for c in columns]
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def _select_sql(columns: list[str], mapping: Mapping[str, str], id_column: str | None,
                group_column: str | None, kinds_column: str | None = None) -> str:
    for column, kind in mapping.items():
        if column not in columns:
            raise UsageError(f"mapped column '{column}' is not in the table")
        if kind not in KIND_CATEGORY:
            raise UsageError(f"unknown kind '{kind}' for column '{column}'")
    for named in (id_column, group_column, kinds_column):
        if named is not None and named not in columns:
            raise UsageError(f"column '{named}' is not in the table")
    by_kind: dict[str, list[str]] = {}
    for column in columns:
        mapped = mapping.get(column)
        if mapped:
            by_kind.setdefault(mapped, []).append(column)

    # First names go through the surname cleaning too: a leak that swapped the two columns
    # then still agrees with the registry ("LE SAOUT" -> "SAOUT" on both sides).
    first = _first_of(by_kind.get("first_name", []), "vigie_surname({c})")
    last = _first_of(by_kind.get("last_name", []), "vigie_surname({c})")
    full = by_kind.get("full_name", [])
    if full and "last_name" not in by_kind and "first_name" not in by_kind:
        # French exports write "NOM Prénom"; the model's swapped-names level covers the
        # other order, so the first word is taken as the surname.
        words = f"string_split(trim(regexp_replace(CAST({_quote(full[0])} AS VARCHAR), '\\s+', ' ', 'g')), ' ')"
        last = f"vigie_surname({words}[1])"
        first = f"vigie_surname(array_to_string({words}[2:], ' '))"
    exposed = [f"CASE WHEN nullif(trim(CAST({_quote(c)} AS VARCHAR)), '') IS NOT NULL "
               f"THEN '{k}' END" for c, k in mapping.items() if is_personal(k)]
    exposed_sql = (f"list_filter([{', '.join(exposed)}], lambda k: k IS NOT NULL)"
                   if exposed else "CAST([] AS VARCHAR[])")
    if kinds_column:
        exposed_sql = (f"list_concat({exposed_sql}, "
                       f"coalesce(CAST({_quote(kinds_column)} AS VARCHAR[]), []))")
    exposed_sql = f"list_sort(list_distinct({exposed_sql}))"
    unique_id = (f"CAST({_quote(id_column)} AS VARCHAR)" if id_column
                 else f"CAST({ROW_COLUMN} AS VARCHAR)")
    group = f"CAST({_quote(group_column)} AS VARCHAR)" if group_column else "CAST(NULL AS VARCHAR)"
    return f"""
        SELECT {unique_id} AS unique_id,
               {_first_of(by_kind.get('nir', []), 'vigie_nir({c})')} AS nir,
               {first} AS first_name,
               {last} AS last_name,
               {_first_of(by_kind.get('birth_name', []), 'vigie_surname({c})')} AS birth_name,
               {_first_of(by_kind.get('date_of_birth', []), 'vigie_date({c})')} AS date_of_birth,
               {_first_of(by_kind.get('postcode', []), 'vigie_postcode({c})')} AS postcode,
               {_first_of(by_kind.get('phone', []), 'vigie_phone({c})')} AS phone,
               {_first_of(by_kind.get('email', []), 'vigie_email({c})')} AS email,
               {group} AS grp,
               {exposed_sql} AS exposed_kinds
        FROM __vigie_standardise_input
    """


def standardise(data, mapping: Mapping[str, str], *, id_column: str | None = None,
                group_column: str | None = None, kinds_column: str | None = None,
                con: duckdb.DuckDBPyConnection | None = None,
                table_name: str = "standardised") -> duckdb.DuckDBPyRelation:
    """Standardise a table of people described by a {column: kind} mapping.

    `data` is a pyarrow Table or RecordBatchReader, a DuckDB relation or a
    `vigie.sources.Table`; it is streamed once into the DuckDB table `table_name` on `con`
    (a new in-memory connection when None), which is returned as a relation. Without
    `id_column` each row's id is its 1-based data row number. Columns mapped to kinds that
    the model does not compare still count in `exposed_kinds`; `kinds_column` (a list of
    kinds per row) adds what is known about the row's person from elsewhere.
    """
    con = con if con is not None else duckdb.connect()
    install_macros(con)
    reader = _numbered(as_reader(data))
    columns = [f.name for f in reader.schema if f.name != ROW_COLUMN]
    sql = _select_sql(columns, mapping, id_column, group_column, kinds_column)
    con.register("__vigie_standardise_input", reader)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {_quote(table_name)} AS {sql}")
    finally:
        con.unregister("__vigie_standardise_input")
    return con.table(table_name)
