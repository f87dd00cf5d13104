"""The database out and back: SQLite's online backup API, PostgreSQL's pg_dump and pg_restore."""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL

from ..storage.sweep import REFERENCE_COLUMNS

# Tables a fresh `flask db upgrade` or `load-reference-data` fills: rows there do not make a target "in use".
REFERENCE_TABLES = frozenset({"alembic_version", "calendar_years", "calendar_days", "product_groups", "product_sets"})
# Every column that names a stored file, as (table, column): the storage sweep's list.
FILE_COLUMNS = tuple((column.table.name, column.name) for column in REFERENCE_COLUMNS)
PG_TIMEOUT_SECONDS = 6 * 3600


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Facts:
    """What one consistent view of the database holds."""

    revision: str | None = None
    tables: dict[str, int] = field(default_factory=dict)
    referenced: set[str] = field(default_factory=set)


def read_facts(connection: Connection) -> Facts:
    """Row counts, the Alembic revision and the referenced file names, all from the connection's snapshot."""
    names = sorted(inspect(connection).get_table_names())
    quote = connection.dialect.identifier_preparer.quote
    facts = Facts(tables={name: connection.scalar(text(f"SELECT count(*) FROM {quote(name)}")) for name in names})
    if "alembic_version" in names:
        facts.revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    for table, column in FILE_COLUMNS:
        if table in names:
            rows = connection.execute(text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"))
            facts.referenced.update(row[0] for row in rows)
    return facts


def tables_in_use(engine: Engine) -> list[str]:
    """The tables outside the reference data that hold rows (a target that is not empty)."""
    with engine.connect() as connection:
        counts = read_facts(connection).tables
    return [name for name, count in counts.items() if count and name not in REFERENCE_TABLES]


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return read_facts(connection).tables


# --- SQLite -------------------------------------------------------------------------------------------------------

def sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"the SQLite database {database!r} is not a plain file: nothing to back up or restore")
    return Path(database)


def dump_sqlite(engine: Engine, dest: Path) -> Facts:
    """Copy the live database in one backup step: one read snapshot, writers carry on under WAL."""
    source = sqlite3.connect(sqlite_file(engine), timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()
    copy = create_engine(f"sqlite:///{dest}")
    try:
        with copy.connect() as connection:
            return read_facts(connection)
    finally:
        copy.dispose()


def restore_sqlite(engine: Engine, dump: Path) -> None:
    """Overwrite the target through the backup API: it takes the write lock and handles the target's WAL."""
    engine.dispose()
    path = sqlite_file(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(path, timeout=30)
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"could not write {path}: {error}") from error
    finally:
        target.close()
        source.close()


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq keyword/value connection string (no password) and an environment carrying the password.

    The password never goes on argv (`ps` shows argv to every user); keyword/value quoting survives any name.
    """
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database, **url.query}
    return " ".join(f"{key}={_quoted(value)}" for key, value in parts.items() if value is not None), env


def _quoted(value: object) -> str:
    text_value = value[-1] if isinstance(value, tuple) else str(value)  # a repeated query key: the last wins
    return "'" + text_value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def find_tool(name: str, server_major: int, bin_dir: str = "") -> str:
    """pg_dump/pg_restore at least as new as the server: BACKUP_PG_BIN_DIR, the server's version, then PATH."""
    candidates = [Path(bin_dir) / name] if bin_dir else []
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin") / name)
    found = next((str(path) for path in candidates if path.is_file()), None) or shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL {server_major} client tools "
                          "(postgresql-client) or set OCOP_BACKUP_PG_BIN_DIR")
    version = _run([found, "--version"], dict(os.environ), name)
    found_major = re.search(r"\)\s*(\d+)", version)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
    major = int(found_major.group(1)) if found_major else 0
    if major < server_major:
        raise BackupError(f"{found} is version {major}, older than the PostgreSQL {server_major} server: install "
                          f"postgresql-client-{server_major} or set OCOP_BACKUP_PG_BIN_DIR")
    return found


def _run(args: list[str], env: dict[str, str], name: str) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS,
                              check=False)  # a failure is reported below with the tool's own words
    except FileNotFoundError as error:
        raise BackupError(f"{name} not found at {args[0]}") from error
    if done.returncode != 0:
        raise BackupError(f"{name} failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def _server_major(connection: Connection) -> int:
    info = connection.dialect.server_version_info
    assert info is not None  # the dialect reads the server's version when it opens its first connection
    return int(info[0])


def dump_postgresql(engine: Engine, dest: Path, bin_dir: str = "") -> Facts:
    """pg_dump the snapshot our own transaction exports, so the counts and file names match the dump exactly."""
    conninfo, env = libpq_target(engine.url)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            pg_dump = find_tool("pg_dump", _server_major(connection), bin_dir)
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            facts = read_facts(connection)
            _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={dest}", f"--dbname={conninfo}"], env, "pg_dump")
    return facts


def restore_postgresql(engine: Engine, dump: Path, tables: Iterable[str], bin_dir: str = "") -> None:
    """Drop the tables the archive does not know, then pg_restore --clean in one transaction (all or nothing)."""
    conninfo, env = libpq_target(engine.url)
    keep = set(tables)
    with engine.begin() as connection:
        pg_restore = find_tool("pg_restore", _server_major(connection), bin_dir)
        quote = connection.dialect.identifier_preparer.quote
        for name in inspect(connection).get_table_names():
            if name not in keep:  # a newer schema's table would confuse the next `db upgrade`
                connection.execute(text(f"DROP TABLE IF EXISTS {quote(name)} CASCADE"))
    engine.dispose()
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={conninfo}", str(dump)], env, "pg_restore")
