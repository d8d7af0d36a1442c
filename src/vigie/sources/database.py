"""Live databases by URL: postgresql://, mysql:// or mariadb://, sqlite:///path.

Every table is read in batches through a server-side cursor (a psycopg named cursor, a
pymysql SSCursor), so memory stays bounded whatever the table size; values come back as
text (PostgreSQL casts each column to text with DateStyle ISO; MariaDB sends dates as
ISO text when pymysql's decoders are switched off). `rows` is count(*). `sample_rows(n)`
draws rows across the whole table without a full scan: TABLESAMPLE on PostgreSQL,
primary-key ranges on MariaDB (never ORDER BY RAND(), which sorts the whole table).
Errors name the URL with its password masked, and never carry table data.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pyarrow as pa
import psycopg
import pymysql
import pymysql.converters
from psycopg import sql
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from vigie.errors import InputError
from vigie.sources.base import BATCH_ROWS, Source, SourceInfo, Table, single_row

CONNECT_TIMEOUT_S = 10
_SAMPLE_SEED = 20240601
# Below this many rows BERNOULLI (row-level, exact share) is cheap enough; above it
# SYSTEM samples whole pages and stays fast on very large tables.
_BERNOULLI_MAX_ROWS = 200_000


def open_database(url: str) -> Source:
    """Open a database URL as a Source of its tables (PostgreSQL: every non-system schema,
    `public.x` named `x`; MariaDB: the URL's database)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InputError(_mask_raw(url), "not a database URL") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return _PostgresSource(parsed)
    if backend in ("mysql", "mariadb"):
        return _MariaDBSource(parsed)
    if backend == "sqlite":
        from vigie.sources.sqlite import open_sqlite
        if not parsed.database or not Path(parsed.database).is_file():
            raise InputError(url, "no such SQLite file")
        return open_sqlite(Path(parsed.database), parsed.database)
    raise InputError(parsed.render_as_string(hide_password=True),
                     f"unsupported database scheme '{backend}' (postgresql, mysql, mariadb, "
                     "sqlite)")


def _mask_raw(url: str) -> str:
    """Mask a password in a URL that did not even parse."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if sep and at and ":" in userinfo:
        return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"
    return url


def _strings(columns: list[str], rows: Sequence[tuple]) -> pa.RecordBatch:
    """Rows of a cursor to a batch of strings (bytes that are not UTF-8 shown as hex)."""
    arrays = []
    for values in (zip(*rows) if rows else [()] * len(columns)):
        try:
            arrays.append(pa.array(values, pa.string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays.append(pa.array([_text(v) for v in values], pa.string()))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(
        [pa.field(c, pa.string()) for c in columns]))


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return "0x" + bytes(value).hex().upper()
    return str(value)


class _DatabaseSource(Source):
    """Common shell: the masked URL as the source path, tables listed once."""

    format = ""

    def __init__(self, url: URL):
        self.url = url
        self.label = url.render_as_string(hide_password=True)
        self._listed: list[Table] | None = None
        super().__init__(SourceInfo(path=self.label, format=self.format), self._tables_once)
        self._check()

    def _check(self) -> None:
        """Connect once now, so a wrong URL fails at open time, not mid-report."""
        self._connect().close()

    def _tables_once(self) -> Iterator[Table]:
        if self._listed is None:
            self._listed = self._list_tables()
        return iter(self._listed)

    def _connect(self) -> psycopg.Connection | pymysql.connections.Connection:
        raise NotImplementedError

    def _list_tables(self) -> list[Table]:
        raise NotImplementedError

    def _failed(self, what: str, exc: Exception) -> InputError:
        """`what` failed, naming only the error type: a server's message can quote data."""
        return InputError(self.label, f"{what} failed ({type(exc).__name__})")

    def _table(self, name: str, columns: list[str], rows: int,
               read: Callable[[], Iterator[pa.RecordBatch]],
               sample: Callable[[int], pa.Table]) -> Table:
        return Table(name=name, columns=columns, rows=rows, origin=f"{self.label} {name}",
                     batches=read, sample_rows=sample)


class _PostgresSource(_DatabaseSource):
    format = "postgresql"

    def _connect(self) -> psycopg.Connection:
        u = self.url
        params: dict[str, Any] = {k: v for k, v in u.query.items() if isinstance(v, str)}
        try:
            conn = psycopg.connect(host=u.host or None, port=u.port or None, user=u.username,
                                   password=u.password, dbname=u.database,
                                   connect_timeout=CONNECT_TIMEOUT_S, **params)
        except psycopg.Error as exc:
            raise InputError(self.label, _pg_reason(exc)) from None
        conn.read_only = True
        conn.execute("SET DateStyle = ISO, YMD")
        return conn

    def _list_tables(self) -> list[Table]:
        with self._connect() as conn:
            listing = conn.execute(
                "SELECT c.table_schema, c.table_name, "
                "       array_agg(c.column_name::text ORDER BY c.ordinal_position) "
                "FROM information_schema.columns c JOIN information_schema.tables t "
                "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                "WHERE t.table_type = 'BASE TABLE' "
                "  AND c.table_schema NOT IN ('pg_catalog', 'information_schema') "
                "  AND c.table_schema NOT LIKE 'pg\\_%' "
                "GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
            tables = []
            for schema, name, columns in listing:
                ident = sql.Identifier(schema, name)
                rows = single_row(conn.execute(sql.SQL("SELECT count(*) FROM {}").format(ident)).fetchone())[0]
                shown = name if schema == "public" else f"{schema}.{name}"
                select = sql.SQL("SELECT {} FROM {}").format(
                    sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c))
                                       for c in columns), ident)
                tables.append(self._table(shown, list(columns), rows,
                                          self._reader(select, list(columns), shown),
                                          self._sampler(select, list(columns), rows, shown)))
            return tables

    def _reader(self, select: sql.Composed, columns: list[str], name: str):
        def batches() -> Iterator[pa.RecordBatch]:
            with self._connect() as conn, conn.cursor(name="vigie_read") as cur:
                try:
                    cur.itersize = BATCH_ROWS
                    cur.execute(select)
                    while rows := cur.fetchmany(BATCH_ROWS):
                        yield _strings(columns, rows)
                except psycopg.Error as exc:
                    raise self._failed(f"reading table {name}", exc) from None
        return batches

    def _sampler(self, select: sql.Composed, columns: list[str], rows: int, name: str):
        def sample(n: int) -> pa.Table:
            if rows <= n:
                query = sql.SQL("{} LIMIT {}").format(select, sql.Literal(n))
            else:
                method = "BERNOULLI" if rows <= _BERNOULLI_MAX_ROWS else "SYSTEM"
                percent = min(100.0, 100.0 * n * 1.5 / rows)
                query = sql.SQL("{} TABLESAMPLE {} ({}) REPEATABLE ({}) LIMIT {}").format(
                    select, sql.SQL(method), sql.Literal(percent), sql.Literal(_SAMPLE_SEED),
                    sql.Literal(n))
            with self._connect() as conn:
                try:
                    got = conn.execute(query).fetchall()
                except psycopg.Error as exc:
                    raise self._failed(f"sampling table {name}", exc) from None
            return pa.Table.from_batches([_strings(columns, got)])
        return sample


def _pg_reason(exc: psycopg.Error) -> str:
    text = str(exc)
    if "password authentication failed" in text or "no password supplied" in text:
        return "authentication failed"
    if "does not exist" in text and "database" in text:
        return "no such database"
    return "cannot connect (server unreachable or refused the connection)"


# pymysql without its type decoders: text and dates arrive as text, binary as bytes.
_ENCODERS_ONLY: dict[int | type[Any], Callable[[Any], str] | Callable[[str], Any]] = {k: v for k, v in pymysql.converters.conversions.items()
                  if not isinstance(k, int)}


class _MariaDBSource(_DatabaseSource):
    format = "mariadb"

    def _check(self) -> None:
        if not self.url.database:
            raise InputError(self.label, "the URL names no database (mysql://host/DB)")
        super()._check()

    def _connect(self, streaming: bool = False) -> pymysql.connections.Connection:
        u = self.url
        try:
            return pymysql.connect(
                host=u.host or "localhost", port=u.port or 3306, user=u.username or "",
                password=u.password or "", database=u.database, charset="utf8mb4",
                conv=_ENCODERS_ONLY, connect_timeout=CONNECT_TIMEOUT_S,
                cursorclass=pymysql.cursors.SSCursor if streaming else pymysql.cursors.Cursor)
        except pymysql.MySQLError as exc:
            raise InputError(self.label, _mysql_reason(exc)) from None

    def _list_tables(self) -> list[Table]:
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT c.table_name, c.column_name, c.column_key, c.data_type "
                    "FROM information_schema.columns c JOIN information_schema.tables t "
                    "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                    "WHERE c.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' "
                    "ORDER BY c.table_name, c.ordinal_position")
                listing: dict[str, list[tuple]] = {}
                for table, column, key, data_type in cur.fetchall():
                    listing.setdefault(table, []).append((column, key, data_type))
                tables = []
                for name, cols in listing.items():
                    columns = [c for c, _, _ in cols]
                    cur.execute(f"SELECT count(*) FROM {_quote(name)}")
                    rows = int(single_row(cur.fetchone())[0])
                    keys = [(c, t) for c, k, t in cols if k == "PRI"]
                    select = (f"SELECT {', '.join(_quote(c) for c in columns)} "
                              f"FROM {_quote(name)}")
                    tables.append(self._table(name, columns, rows,
                                              self._reader(select, columns, name),
                                              self._sampler(select, columns, rows, keys, name)))
                return tables
        except pymysql.MySQLError as exc:
            raise InputError(self.label, f"cannot list tables ({type(exc).__name__})") from None
        finally:
            conn.close()

    def _reader(self, select: str, columns: list[str], name: str):
        def batches() -> Iterator[pa.RecordBatch]:
            conn = self._connect(streaming=True)
            try:
                # No cursor context manager: closing an SSCursor drains the rest of the
                # result, whereas closing the connection just stops a reader that quits early.
                cur = conn.cursor()
                cur.execute(select)
                while rows := cur.fetchmany(BATCH_ROWS):
                    yield _strings(columns, rows)
            except (pymysql.MySQLError, UnicodeDecodeError) as exc:
                raise self._failed(f"reading table {name}", exc) from None
            finally:
                conn.close()
        return batches

    def _sampler(self, select: str, columns: list[str], rows: int,
                 keys: list[tuple[str, str]], name: str):
        """Up to n rows as a few contiguous primary-key ranges spread over the table
        (an index range scan each); without a single integer key, LIMIT/OFFSET ranges."""
        def sample(n: int) -> pa.Table:
            conn = self._connect()
            got: list[tuple] = []
            try:
                with conn.cursor() as cur:
                    if rows <= n:
                        cur.execute(f"{select} LIMIT {int(n)}")
                        got = list(cur.fetchall())
                    else:
                        got = _key_ranges(cur, name, select, keys, rows, n)
            except pymysql.MySQLError as exc:
                raise self._failed(f"sampling table {name}", exc) from None
            finally:
                conn.close()
            return pa.Table.from_batches([_strings(columns, got)])
        return sample


_INTEGER_TYPES = ("tinyint", "smallint", "mediumint", "int", "bigint")


def _key_ranges(cur, table: str, select: str, keys: list[tuple[str, str]], rows: int, n: int) -> list[tuple]:
    ranges = max(1, min(20, n // 50))
    per_range = -(-n // ranges)
    rng = random.Random(_SAMPLE_SEED)
    got: list[tuple] = []
    if len(keys) == 1 and keys[0][1] in _INTEGER_TYPES:
        key = _quote(keys[0][0])
        cur.execute(f"SELECT min({key}), max({key}) FROM {_quote(table)}")
        low, high = (int(v) for v in cur.fetchone())
        width = (high - low + 1) / ranges
        for i in range(ranges):
            start = low + int(width * (i + rng.random() * 0.5))
            cur.execute(f"{select} WHERE {key} >= %s ORDER BY {key} LIMIT %s", (start, per_range))
            got.extend(cur.fetchall())
    else:
        step = rows // ranges
        for i in range(ranges):
            offset = i * step + rng.randrange(max(1, step - per_range))
            cur.execute(f"{select} LIMIT %s OFFSET %s", (per_range, offset))
            got.extend(cur.fetchall())
    return got[:n]


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _mysql_reason(exc: pymysql.MySQLError) -> str:
    code = exc.args[0] if exc.args else 0
    if code in (1045, 1698):
        return "authentication failed"
    if code == 1049:
        return "no such database"
    if code == 1044:
        return "access to this database denied"
    return "cannot connect (server unreachable or refused the connection)"
