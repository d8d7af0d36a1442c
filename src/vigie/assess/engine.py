"""`assess(paths) -> Assessment`: what a leak exposes, about how many people, how severe.

The pipeline, every step in DuckDB over one copy of the leak (workspace.py: bounded
memory, spilling to a private temp folder), so time and memory hold on millions of rows:

1. open each path (`vigie.sources.open_source`) and copy every table into the workspace,
   from the source's DuckDB expression when it has one, else from its record batches;
2. per column, draw a sample of non-null values (reservoir sampling across the whole
   copy, so a source's own `sample_rows` is not needed) and classify it
   (`vigie.detect.registry.classify_column`), then read together (`vigie.detect.tables`:
   the value and unit columns of a results table);
3. full-column counts in SQL: non-null values, and validated values through the
   recogniser's `sql_valid` (once per distinct value when values repeat), or, without one,
   its Python validator once per distinct value when there are few enough of them;
4. person keys per row (`person_keys.py`: name keys only where a row without a NIR may
   need them), rows of key-less tables tied through their foreign keys (`links.py`),
   distinct persons across all tables (`persons.py`);
5. health mentions in text columns (`mentions.py`, helper F's vectorised scanner): health
   kinds everywhere, other text columns where rows belong to persons;
6. exposure: per personal kind and per mention, the distinct persons concerned, and per
   EDPB data type; then the ENISA severity proposal (`severity.py`).

Examples in the report are masked with `vigie.mask.mask` before they enter the model.
No step logs or reports a raw value.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from vigie.assess.links import LinkTable, find_links
from vigie.assess.mentions import HEALTH_TEXT_KINDS, scan_table, scans
from vigie.assess.model import (Assessment, Column, DataType, Exposure, Persons, RunnerUp,
                                TableReport)
from vigie.assess.person_keys import KEY_COLUMNS, IdentityColumns, create_keys_tables
from vigie.assess.persons import resolve_persons
from vigie.assess.severity import Circumstances, assess_severity
from vigie.assess.workspace import Workspace
from vigie.kinds import EDPB_TYPES, KIND_CATEGORY, MENTIONS, edpb_data_type, is_art9, is_personal

# progress(what, done, total): `what` names a step and a table, never a value; total 0
# while the number of steps is not known yet (reading).
Progress = Callable[[str, int, int], None]
# inspect(con, tables): the open workspace and its loaded tables (kinds per column, the
# persons and mentions tables), e.g. vigie.notify.physicians grouping patients by doctor.
Inspect = Callable[[object, list["_Loaded"]], None]

SAMPLE_SIZE = 2000
EXAMPLES = 3
MAX_DISTINCT_FOR_PYTHON_VALIDATION = 200_000
SAMPLE_SEED = 7
SAMPLE_ROWS = 10 * SAMPLE_SIZE   # drawn once per table; a sparser column draws its own
_LETTER = re.compile(r"[^\W\d_]")   # a text column has letters in its sample


@dataclass
class _Loaded:
    """A table copied into the workspace, and what was learnt about it."""

    name: str
    sql_name: str
    names: list[str]
    header: bool
    rows: int
    columns: list[Column] = field(default_factory=list)
    valid_sql: list[str | None] = field(default_factory=list)   # per column, from detect
    text: list[bool] = field(default_factory=list)        # per column: letters in its sample
    identity: IdentityColumns | None = None
    keys_table: str | None = None
    persons_table: str | None = None
    mentions_table: str | None = None
    person_key: str | None = None


def assess(paths: list[str], *, progress: Progress | None = None,
           circumstances: Circumstances | None = None,
           health_context: bool = True, inspect: Inspect | None = None,
           keep_row_order: bool = False) -> Assessment:
    """Assess the leak made of `paths` (files, folders, archives, database URLs).

    All paths form one leak: persons are counted once across them. Raises InputError for
    an input that cannot be read. `inspect(con, tables)` runs before the workspace
    closes, for callers that need row-level answers the report never keeps;
    `keep_row_order` makes each table's rowid its data row number - 1 there.
    """
    from vigie.sources import open_source

    started = time.perf_counter()
    report = progress or (lambda what, done, total: None)
    # Not a daemon, and joined on every way out: a thread still loading the lists (inside
    # pyarrow or gzip) when the interpreter exits after a refused file made the process
    # hang or abort ("terminate called without an active exception").
    # A refusal sets `stop`, so the thread ends after the list it is loading.
    stop = threading.Event()
    warm_up = threading.Thread(target=_load_reference_data, args=(stop,),
                               name="vigie-reference-data")
    warm_up.start()
    with contextlib.ExitStack() as stack:
        stack.callback(warm_up.join)
        stack.callback(stop.set)
        ws = stack.enter_context(Workspace(keep_row_order=keep_row_order))
        infos: list[dict] = []
        loaded: list[_Loaded] = []
        for path in paths:
            source = stack.enter_context(open_source(path))
            infos.append(source.info.to_dict())
            for table in source.tables():
                report(f"reading {table.name[:40]}", len(loaded), 0)
                sql_name = f"t{len(loaded)}"
                rows = ws.load(table, sql_name)
                loaded.append(_Loaded(table.name, sql_name, list(table.columns),
                                      source.info.header is not False, rows))
        warm_up.join()
        total = 3 * len(loaded) + 2
        step = 0
        for t in loaded:
            report(f"classifying {t.name[:40]}", step, total)
            _classify(ws.con, t)
            step += 1
            report(f"counting {t.name[:40]}", step, total)
            _count(ws.con, t)
            step += 1
        report("counting persons", step, total)
        distinct, method = _persons(ws.con, loaded)
        step += 1
        # After persons: which tables' rows belong to persons decides what else is scanned.
        for t in loaded:
            report(f"scanning texts of {t.name[:40]}", step, total)
            _scan_mentions(ws.con, t)
            step += 1
        report("counting exposure", step, total)
        exposure, data_types = _exposure(ws.con, loaded)
        if inspect is not None:
            inspect(ws.con, loaded)
        report("done", total, total)

    kinds = set(exposure)
    severity = assess_severity(kinds, distinct, circumstances, health_context=health_context)
    source_info = infos[0] if len(infos) == 1 else {
        "path": ", ".join(i["path"] for i in infos), "format": "multiple",
        "members": [i["path"] for i in infos]}
    return Assessment(
        source=source_info,
        tables=[TableReport(t.name, t.rows, t.columns, t.person_key) for t in loaded],
        persons=Persons(distinct, method), exposure=exposure, severity=severity,
        elapsed_s=time.perf_counter() - started, data_types=data_types,
        sources=infos if len(infos) > 1 else [])


def _load_reference_data(stop: threading.Event) -> None:
    """A head start on the reference lists while DuckDB reads the leak (its threads leave
    the GIL free), until `stop` is set. Any failure is left to the classification, which
    loads them again and reports it there."""
    try:
        from vigie.detect.registry import load_reference_data

        load_reference_data(stop)
    except Exception:  # noqa: BLE001 - only a head start, see above
        pass


def _row_hash(t: _Loaded) -> str:
    """A hash of a row's content: the sample order, the same on every run. (DuckDB's
    reservoir sample follows the parallel load order, so two runs on one file showed
    different examples and evidence figures.)"""
    return f"hash({', '.join(f'c{i}' for i in range(len(t.names)))}, {SAMPLE_SEED})"


def _draw_sample_rows(con, t: _Loaded) -> str:
    """The SAMPLE_ROWS rows of smallest row hash, drawn once per table; its name."""
    sample = f"{t.sql_name}_sample"
    # The row ids first, then their rows: a top-N carrying whole rows took 4.6 s against
    # 0.9 s on the 1 M-patient export.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {sample} AS
        SELECT t.*, s.h FROM {t.sql_name} t
        JOIN (SELECT rowid AS r, {_row_hash(t)} AS h FROM {t.sql_name}
              ORDER BY h LIMIT {SAMPLE_ROWS}) s ON t.rowid = s.r""")
    return sample


def _sample(con, t: _Loaded, sample: str, i: int) -> list[str]:
    """Up to SAMPLE_SIZE non-null values of column i, drawn across the whole table in row
    hash order: from the table's sample rows, or for a sparse column from the table."""
    def draw(source: str, order: str) -> list[str]:
        return [r[0] for r in con.execute(
            f"SELECT c{i} FROM {source} WHERE c{i} IS NOT NULL ORDER BY {order} "
            f"LIMIT {SAMPLE_SIZE}").fetchall()]

    values = draw(sample, "h")
    if len(values) < SAMPLE_SIZE and t.rows > SAMPLE_ROWS:
        values = draw(t.sql_name, _row_hash(t))
    return values


def _classify(con, t: _Loaded) -> None:
    """Kind, evidence and masked examples of every column, from a sample."""
    from vigie.detect.registry import classify_column
    from vigie.detect.tables import read_as_table
    from vigie.mask import mask

    if not t.names:
        return
    sample = _draw_sample_rows(con, t)
    names = [name if t.header else None for name in t.names]
    samples = [_sample(con, t, sample, i) for i in range(len(t.names))]
    verdicts = read_as_table(names, samples, [classify_column(name, values)
                                              for name, values in zip(names, samples)])
    for i, (name, values, verdict) in enumerate(zip(t.names, samples, verdicts)):
        t.text.append(any(_LETTER.search(str(v)) for v in values))
        examples = []
        for value in dict.fromkeys(values):
            examples.append(mask(verdict.kind, value))
            if len(examples) == EXAMPLES:
                break
        column = Column(
            name=name, position=i, kind=verdict.kind, category=KIND_CATEGORY[verdict.kind],
            confidence=float(verdict.confidence), non_null=0, valid=0,
            evidence=list(verdict.evidence), examples=examples,
            runners_up=[RunnerUp(k, float(c)) for k, c in verdict.runners_up],
            edpb_data_type=edpb_data_type(verdict.kind), art9=is_art9(verdict.kind),
            free_text=verdict.free_text)
        t.columns.append(column)
        t.valid_sql.append(verdict.valid_sql)
    con.execute(f"DROP TABLE {sample}")


def _count(con, t: _Loaded) -> None:
    """Non-null and validated values of every column, over the full table.

    One pass gives the non-null counts (and distinct estimates where a Python validator
    needs a bound). A SQL validator then runs once per distinct value, counts summed: a
    patient's NIR repeats on each of his visits, and even at 1.65 M distinct NIRs among
    2.5 M rows (1 M-patient export) this costs less CPU than validating every row (1.4 s
    against 1.7 s; dates of birth: 0.12 s against 2.3 s). A Python validator runs once per
    distinct value, when there are few enough of them.
    """
    from vigie.detect.registry import recogniser_for

    if not t.columns:
        return
    checked = [i for i, column in enumerate(t.columns) if is_personal(column.kind)]
    by_python = [i for i in checked if t.valid_sql[i] is None
                 and t.columns[i].kind not in HEALTH_TEXT_KINDS]   # texts: mentions say more
    aggregates = [f"count(c{i})" for i in range(len(t.columns))]
    aggregates += [f"approx_count_distinct(c{i})" for i in by_python]
    stats = con.execute(f"SELECT {', '.join(aggregates)} FROM {t.sql_name}").fetchall()[0]
    distinct = dict(zip(by_python, stats[len(t.columns):]))
    for i, column in enumerate(t.columns):
        column.non_null = column.valid = int(stats[i])
        if i not in checked or not column.non_null:
            continue
        valid_sql = t.valid_sql[i]
        if valid_sql is not None:
            check = f"coalesce({valid_sql.replace('{col}', 'v')}, false)"
            column.valid = int(con.execute(f"""
                SELECT coalesce(sum(n) FILTER (WHERE {check}), 0)
                FROM (SELECT c{i} AS v, count(*) AS n FROM {t.sql_name}
                      WHERE c{i} IS NOT NULL GROUP BY 1)""").fetchall()[0][0])
            column.validated = True
        elif i in distinct:
            rec = recogniser_for(column.kind)
            valid = _valid_by_distinct_values(con, t, i, rec, int(distinct[i] or 0)) if rec else None
            if valid is not None:
                column.valid, column.validated = valid, True


def _valid_by_distinct_values(con, t: _Loaded, i: int, rec, distinct: int) -> int | None:
    """Validated values counted by running the Python validator once per distinct value.

    Bounded: None (not validated) when the column has too many distinct values.
    """
    if distinct > MAX_DISTINCT_FOR_PYTHON_VALIDATION:
        return None
    valid = 0
    reader = con.sql(f"SELECT c{i}, count(*) FROM {t.sql_name} WHERE c{i} IS NOT NULL "
                     f"GROUP BY c{i}").to_arrow_reader(50_000)
    for batch in reader:
        for value, n in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()):
            if rec.matches(value):
                valid += n
    return valid


def _scan_mentions(con, t: _Loaded) -> None:
    """Health mentions in the table's text columns (lab tests, results, notes, and any
    text column not confidently of a non-health kind, see `mentions.scans`)."""
    scanned = [f"c{i}" for i, c in enumerate(t.columns)
               if scans(c.kind, c.confidence, t.text[i], t.persons_table is not None)]
    t.mentions_table, counts = scan_table(con, t.sql_name, scanned)
    for i, column in enumerate(t.columns):
        column.mentions = counts.get(f"c{i}", {})


def _identity(t: _Loaded) -> IdentityColumns:
    """The first column of each identity kind (validated NIR only) in a table."""
    ids = IdentityColumns()
    targets = {"nir": "nir", "last_name": "last", "first_name": "first", "full_name": "full",
               "date_of_birth": "dob", "email": "email", "phone": "phone"}
    for i, column in enumerate(t.columns):
        attr = targets.get(column.kind)
        if attr and getattr(ids, attr) is None:
            setattr(ids, attr, f"c{i}")
    if ids.last is None:
        birth = next((i for i, c in enumerate(t.columns) if c.kind == "birth_name"), None)
        if birth is not None:
            ids.last = f"c{birth}"
    return ids


def _persons(con, loaded: list[_Loaded]) -> tuple[int, str]:
    """Create each table's keys and persons tables; distinct persons and the method."""
    identities: dict[str, IdentityColumns] = {}
    for t in loaded:
        t.identity = identities[t.sql_name] = _identity(t)
    keys_tables = create_keys_tables(con, identities)
    for t in loaded:
        if t.sql_name in keys_tables:
            t.keys_table = keys_tables[t.sql_name]
            t.person_key = identities[t.sql_name].describe()
    link_tables = [LinkTable(t.name, t.sql_name, t.names, [c.kind for c in t.columns],
                             t.keys_table is not None) for t in loaded]
    by_sql = {t.sql_name: t for t in loaded}
    links = find_links(con, link_tables)
    for link in links:
        child, parent = by_sql[link.child], by_sql[link.parent]
        any_keys = ", ".join(f"any_value(k.{k}) AS {k}" for k in KEY_COLUMNS)
        child.keys_table = f"{child.sql_name}_keys"
        con.execute(f"""
            CREATE TABLE {child.keys_table} AS
            SELECT c.rowid AS r, {', '.join('p.' + k for k in KEY_COLUMNS)}
            FROM {child.sql_name} c
            JOIN (SELECT t.{link.parent_column} AS id, {any_keys}
                  FROM {parent.sql_name} t JOIN {parent.keys_table} k ON t.rowid = k.r
                  GROUP BY t.{link.parent_column}) p
              ON c.{link.child_column} = p.id""")
        child.person_key = f"link {link.description}"
    keyed = {t.keys_table: f"{t.sql_name}_persons" for t in loaded if t.keys_table}
    distinct = resolve_persons(con, keyed)
    for t in loaded:
        if t.keys_table:
            t.persons_table = keyed[t.keys_table]
    return distinct, _method(loaded, links)


def _method(loaded: list[_Loaded], links) -> str:
    """How persons were told apart, in words for the report."""
    own = sorted({t.identity.describe() for t in loaded
                  if t.identity is not None and t.identity.has_key()})
    if not own:
        return "no identifying columns: no person could be counted"
    text = "; ".join(own)
    text += ("; a row without a valid NIR joins the person it shares a key with; "
             "two different NIRs are never merged")
    if links:
        text += "; linked tables: " + ", ".join(link.description for link in links)
    return text


def person_exposure(loaded: list[_Loaded]) -> tuple[list[str], str | None]:
    """(exposed kinds then mentions, the SQL of a table with one row per person and one
    boolean per exposed name: did it leak about that person, in any row of any table).
    The SQL is None when no table ties its rows to persons. The report's counts, the
    doctors' notices and the linkage rows all read what leaked about whom from it.

    A kind filled on every row of a table leaked about every person of that table: such
    kinds are read from which tables a person appears in (one flag per table) rather than
    aggregated row by row (19 flags down to 6 on the 1 M-patient lab export)."""
    names = sorted({c.kind for t in loaded for c in t.columns if is_personal(c.kind)})
    mentions_present = [m for m in MENTIONS
                        if any(c.mentions.get(m) for t in loaded for c in t.columns)]
    exposed = names + mentions_present
    keyed = [t for t in loaded if t.persons_table]
    if not exposed or not keyed:
        return exposed, None

    def columns_of(t: _Loaded, name: str) -> list[int]:
        return [i for i, c in enumerate(t.columns) if c.kind == name]

    def on_every_row(t: _Loaded, name: str) -> bool:
        return any(t.columns[i].non_null == t.rows for i in columns_of(t, name))

    by_table = {name: [j for j, t in enumerate(keyed) if on_every_row(t, name)] for name in names}
    by_row = [name for name in names
              if any(columns_of(t, name) and not on_every_row(t, name) for t in keyed)]
    tables = sorted({j for name in names if name not in by_row for j in by_table[name]})
    selects: list[str] = []
    for j, t in enumerate(keyed):
        flags = [f"{str(i == j).lower()} AS in_t{i}" for i in tables]
        for name in by_row:
            cols = [f"t.c{i} IS NOT NULL" for i in columns_of(t, name)]
            flags.append(f"({' OR '.join(cols) if cols else 'false'}) AS {name}")
        for m in mentions_present:
            flags.append(f"coalesce(m.{m}, false) AS {m}" if t.mentions_table else f"false AS {m}")
        joins = ""
        if t.mentions_table and mentions_present:
            joins = f"LEFT JOIN {t.mentions_table} m ON m.r = t.rowid"
        selects.append(f"SELECT p.person{''.join(', ' + f for f in flags)} FROM {t.sql_name} t "
                       f"JOIN {t.persons_table} p ON p.r = t.rowid {joins}")
    grouped = [f"in_t{i}" for i in tables] + by_row + mentions_present
    aggregates = "".join(f", bool_or({g}) AS {g}" for g in grouped)
    outer = []
    for name in exposed:
        if name in by_row or name in mentions_present:
            outer.append(name)
        else:
            outer.append(f"({' OR '.join(f'in_t{j}' for j in by_table[name]) or 'false'}) AS {name}")
    return exposed, (f"SELECT person, {', '.join(outer)} FROM (SELECT person{aggregates} "
                     f"FROM ({' UNION ALL '.join(selects)}) GROUP BY person)")


def _exposure(con, loaded: list[_Loaded]) -> tuple[dict[str, Exposure], dict[str, DataType]]:
    """Distinct persons per personal kind, per mention and per EDPB data type."""
    exposed, per_person = person_exposure(loaded)
    if not exposed:
        return {}, {}
    if per_person is None:
        return ({k: Exposure(0, edpb_data_type(k), is_art9(k)) for k in exposed}, {})
    groups: dict[str, list[str]] = {}
    for k in exposed:
        key = edpb_data_type(k)
        if key:
            groups.setdefault(key, []).append(k)
    counts = [f"count_if({k})" for k in exposed]
    counts += [f"count_if({' OR '.join(ks)})" for ks in groups.values()]
    row = con.execute(f"SELECT {', '.join(counts)} FROM ({per_person})").fetchall()[0]
    exposure = {k: Exposure(int(row[j]), edpb_data_type(k), is_art9(k)) for j, k in enumerate(exposed)}
    data_types = {}
    for j, (key, ks) in enumerate(groups.items(), start=len(exposed)):
        data_types[key] = DataType(EDPB_TYPES[key].wording, any(is_art9(k) for k in ks), ks, int(row[j]))
    return exposure, dict(sorted(data_types.items(), key=lambda kv: -kv[1].persons))
