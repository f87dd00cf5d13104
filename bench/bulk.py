"""Bulk inserts for the generator: rows buffered per table, written in chunks in the schema's foreign-key order."""
from __future__ import annotations

import time
from collections import Counter, defaultdict

from sqlalchemy import Connection, func, select, text

from ocop_tracker.extensions import db

CHUNK = 5000


class Writer:
    """Ids are given here (so rows can refer to each other before they are written); one executemany per chunk."""

    def __init__(self, connection: Connection, chunk: int = CHUNK):
        self.connection, self.chunk = connection, chunk
        self.buffers: dict[str, list[dict]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self.ids: dict[str, int] = {}
        self.order = [table.name for table in db.metadata.sorted_tables]  # parents before children

    def next_id(self, table: str) -> int:
        if table not in self.ids:
            self.ids[table] = self.connection.scalar(select(func.coalesce(func.max(db.metadata.tables[table].c.id), 0)))
        self.ids[table] += 1
        return self.ids[table]

    def add(self, table: str, row: dict) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush_all()  # every table, parents first: a child row may refer to a parent still buffered

    def flush_all(self) -> None:
        for name in self.order:
            rows = self.buffers.pop(name, None)
            if rows:
                self.connection.execute(db.metadata.tables[name].insert(), rows)
                self.counts[name] += len(rows)

    def reset_sequences(self) -> None:
        """PostgreSQL: the serial sequences start after the ids written here."""
        if self.connection.dialect.name != "postgresql":
            return
        for name in self.counts:
            self.connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))

    def report(self, started: float) -> None:
        for name in self.order:
            if self.counts[name]:
                print(f"  {name}: {self.counts[name]:,} rows")
        print(f"{sum(self.counts.values()):,} rows in {time.perf_counter() - started:.1f} s")
