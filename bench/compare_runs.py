"""Two databases a job ran on (kept copies, `jobs.py --keep`), compared table by table, row by row in id order:
every column but the times a run stamps (`timestamp` columns) and the random `message_id` of a mail.

    python bench/compare_runs.py URL_BEFORE URL_AFTER

Prints, per table, the rows compared and the first differences; exits 1 when any differ.
"""
from __future__ import annotations

import sys

from sqlalchemy import DateTime, MetaData, create_engine, select

SKIPPED = {"message_id"}


def rows(url: str, table_name: str) -> list[tuple]:
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine, only=[table_name])
    table = metadata.tables[table_name]
    columns = [c for c in table.columns if not isinstance(c.type, DateTime) and c.name not in SKIPPED]
    order = [c for c in table.primary_key.columns] or columns
    with engine.connect() as connection:
        found = [(tuple(c.name for c in columns),)] + [tuple(row) for row in
                                                       connection.execute(select(*columns).order_by(*order))]
    engine.dispose()
    return found


def main() -> None:
    before, after = sys.argv[1:3]
    metadata = MetaData()
    engine = create_engine(before)
    metadata.reflect(engine)
    engine.dispose()
    differ = False
    for name in sorted(metadata.tables):
        old, new = rows(before, name), rows(after, name)
        wrong = [(n, a, b) for n, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
        if len(old) != len(new) or wrong:
            differ = True
            print(f"{name}: {len(old) - 1} rows before, {len(new) - 1} after, {len(wrong)} differ")
            for n, a, b in wrong[:3]:
                print(f"  row {n}:\n    before {a!r:.600}\n    after  {b!r:.600}")
        else:
            print(f"{name}: {len(old) - 1} rows, same")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
