"""Read-only access to the warehouse: a connection factory per destination and one query helper.

Every query opens its own connection and closes it before returning. DuckDB lets one process write
a file or several read it, never both; a connection held between reruns would make a scheduled
`lac run` fail, so none is ever kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

ConnectionFactory = Callable[[], AbstractContextManager[Any]]
"""Opens a DB-API connection for one query and closes it on exit."""

DESTINATIONS = ("duckdb", "postgres")


class WarehouseUnavailable(Exception):
    """The warehouse cannot be opened (missing file, refused connection, bad credentials)."""


class WarehouseBusy(WarehouseUnavailable):
    """A writer (a running `lac run`) holds the DuckDB file; reading works again when it finishes."""


@dataclass(frozen=True)
class Warehouse:
    """A dataset (schema) in a warehouse, read through `connect`.

    `key` names the warehouse for caches (never holds a password); `paramstyle` is the driver's
    placeholder style: queries are written with `%(name)s` placeholders and translated for DuckDB.
    """

    connect: ConnectionFactory = field(compare=False)
    dataset: str
    key: str
    paramstyle: str = "pyformat"

    def relation(self, name: str) -> str:
        """The quoted, schema-qualified name of a table or view of the dataset."""
        return f"{_quote(self.dataset)}.{_quote(name)}"

    def frame(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run one query; DECIMAL columns stay `decimal.Decimal` (object dtype), never float."""
        params = dict(params or {})
        if self.paramstyle == "dollar":
            sql = re.sub(r"%\((\w+)\)s", r"$\1", sql)
        with self.connect() as con:
            cur = con.cursor()
            try:
                cur.execute(sql, params)
                columns = [d[0] for d in cur.description]
                rows = cur.fetchall()
            finally:
                cur.close()
        return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)


def duckdb_warehouse(path: str | Path, dataset: str) -> Warehouse:
    """A DuckDB file opened read-only for each query."""
    import duckdb

    path = str(path)

    @contextmanager
    def connect() -> Iterator[Any]:
        if not Path(path).is_file():
            raise WarehouseUnavailable(
                f"DuckDB file {path} does not exist: run `lac run` or `lac demo` first"
            )
        try:
            con = duckdb.connect(path, read_only=True)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WarehouseBusy(f"A sync is writing {path}") from None
            raise WarehouseUnavailable(f"cannot open DuckDB file {path}: {exc}") from None
        try:
            yield con
        finally:
            con.close()

    return Warehouse(connect, dataset, key=f"duckdb:{Path(path).resolve()}:{dataset}", paramstyle="dollar")


def postgres_warehouse(dsn: str, dataset: str) -> Warehouse:
    """A PostgreSQL schema read in read-only autocommit sessions, one per query."""
    import psycopg2

    @contextmanager
    def connect() -> Iterator[Any]:
        try:
            con = psycopg2.connect(dsn, connect_timeout=10)
        except psycopg2.Error as exc:
            raise WarehouseUnavailable(
                f"cannot connect to PostgreSQL at {safe_location(dsn)}: {redact(_first_line(exc), dsn)}"
            ) from None
        try:
            con.set_session(readonly=True, autocommit=True)
            yield con
        finally:
            con.close()

    return Warehouse(connect, dataset, key=f"postgres:{safe_location(dsn)}:{dataset}")


def open_warehouse(destination: str, credentials: str, dataset: str) -> Warehouse:
    """The warehouse for a destination name as `lac run` spells it (`duckdb` or `postgres`)."""
    if destination == "duckdb":
        return duckdb_warehouse(credentials, dataset)
    if destination == "postgres":
        return postgres_warehouse(credentials, dataset)
    raise WarehouseUnavailable(
        f"the dashboard reads {' or '.join(DESTINATIONS)} warehouses, not {destination!r}"
    )


def safe_location(dsn: str) -> str:
    """`host:port/database` of a PostgreSQL URL or key=value DSN, without user or password."""
    if "://" in dsn:
        parts = urlsplit(dsn)
        return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or ''}"
    fields = dict(re.findall(r"(\w+)\s*=\s*('(?:[^']*)'|\S+)", dsn))
    return f"{fields.get('host', 'localhost')}:{fields.get('port', 5432)}/{fields.get('dbname', '')}"


def redact(text: str, dsn: str) -> str:
    """`text` with the DSN's password (if any) replaced by `***`."""
    password = urlsplit(dsn).password if "://" in dsn else None
    if password is None:
        match = re.search(r"password\s*=\s*('(?:[^']*)'|\S+)", dsn)
        password = match.group(1).strip("'") if match else None
    return text.replace(password, "***") if password else text


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
