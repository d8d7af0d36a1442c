"""The column types of an export's source, so that a Parquet export keeps them.

vigie.sources hands every database value over as text (it reads hostile leaks, where text
is the safe common ground), and Parquet files typed. For an export the source is the
organisation's own registry, whose types the recipient would get without Vigie: they are
taken from the Parquet schema, or from the SQLite / PostgreSQL / MariaDB declarations read
by SQLAlchemy's reflection. A type is kept only when pyarrow casts text back to it exactly
(integers, floats, fixed-precision decimals, booleans, dates, timestamps); any other
column is written as text, as before.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from sqlalchemy import create_engine, inspect
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import URL

from vigie.sources import Source

DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg",
           "mysql": "mysql+pymysql", "mariadb": "mysql+pymysql"}


def castable(arrow_type: pa.DataType) -> bool:
    """True when pyarrow's text -> type cast round-trips the type's text form exactly."""
    return (pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type)
            or pa.types.is_decimal(arrow_type) or pa.types.is_boolean(arrow_type)
            or pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type))


def column_types(source: Source, table_name: str, schema: pa.Schema,
                 columns: list[str]) -> dict[str, pa.DataType]:
    """{column: type} for `columns` (pa.string() where the source has no usable type).
    `schema` is the schema of the table's batches (typed for Parquet)."""
    types = {c: schema.field(c).type for c in columns}
    declared = _declared(source, table_name)
    for column in columns:
        if column in declared:
            types[column] = declared[column]
    return {c: t if castable(t) else pa.string() for c, t in types.items()}


def _url(source: Source) -> URL | None:
    url = getattr(source, "url", None)          # a database source keeps its parsed URL
    if isinstance(url, URL):
        driver = DRIVERS.get(url.get_backend_name())
        return url.set(drivername=driver) if driver else None
    if source.info.format == "sqlite" and Path(source.info.path).is_file():
        return URL.create("sqlite", database=str(Path(source.info.path).resolve()))
    return None


def _declared(source: Source, table_name: str) -> dict[str, pa.DataType]:
    """Declared column types of a database table, as Arrow types ({} for files)."""
    url = _url(source)
    if url is None:
        return {}
    schema, name = None, table_name
    if url.get_backend_name() == "postgresql":       # vigie.sources names them schema.table
        schema, _, name = table_name.rpartition(".")
    engine = create_engine(url)
    try:
        found = inspect(engine).get_columns(name, schema=schema or None)
    finally:
        engine.dispose()
    return {column["name"]: _arrow(column["type"]) for column in found}


def _arrow(declared: sqltypes.TypeEngine) -> pa.DataType:
    """An Arrow type for a reflected SQL type (text when there is no exact one)."""
    if isinstance(declared, sqltypes.Boolean):
        return pa.bool_()
    if isinstance(declared, sqltypes.Integer):
        return pa.int64()
    if isinstance(declared, sqltypes.Float):
        return pa.float64()
    if isinstance(declared, sqltypes.Numeric):
        precision, scale = declared.precision, declared.scale
        if precision and precision <= 38 and scale is not None:
            return pa.decimal128(precision, scale)
        return pa.string()                  # unbounded NUMERIC: text keeps every digit
    if isinstance(declared, sqltypes.DateTime):
        return pa.timestamp("us", tz="UTC" if declared.timezone else None)
    if isinstance(declared, sqltypes.Date):
        return pa.date32()
    return pa.string()
