"""EXPLAIN of the main pages' statements on PostgreSQL: which plans read a big table whole (a Seq Scan on dossiers,
documents, transition_history or certificates), and how long each statement takes.

    python bench/plans.py --database-url postgresql+psycopg://…/ocop_bench_100k [--page /reports ...]
        [--role admin ...] [--summary] [--analyze]

Every statement a page runs (captured with an SQLAlchemy event) is explained once, with its own parameters, on a
second connection; `--analyze` runs them (EXPLAIN ANALYZE: actual times). `--summary` also explains the statements
of each role's status summary as `send-summaries` builds it. Prints one line per statement: its time (with
--analyze), the big tables read by a Seq Scan, and the statement's start; then the totals.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from pages import ROLES, signed_in
from sqlalchemy import create_engine, event

from ocop_tracker import create_app, models  # noqa: F401  (models: every mapper, before summaries)
from ocop_tracker.accounts.models import User
from ocop_tracker.clock import today as clock_today
from ocop_tracker.extensions import db
from ocop_tracker.summaries.services import build_summary, period_bounds

BIG_TABLES = ("dossiers", "documents", "transition_history", "certificates")
PAGES = ("/", "/?due=awaiting", "/reports", "/reports/expiring", "/registry", "/registry?q=che", "/decisions",
         "/reports/dossiers.csv", "/reports/certificates.csv", "/api/v1/dossiers")
SEQ_SCAN = re.compile(r"(?:Parallel )?Seq Scan on (\w+)")
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
BUFFERS = re.compile(r"Buffers: shared((?: \w+=\d+)+)")  # the first one in a plan is the top node's: the whole


class Captured:
    """The statements (and their parameters) the app's engine runs while `on` is set."""

    def __init__(self, engine):
        self.on = False
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, _executemany) -> None:
        if self.on and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))

    def take(self) -> list[tuple[str, object]]:
        taken, self.statements = self.statements, []
        return taken


def explain(raw, statement: str, parameters, analyze: bool, show: int | None = None
            ) -> tuple[list[str], float | None, int | None]:
    """The big tables the plan reads whole, and when analysed the execution time (ms) and the 8 kB pages the
    statement touched (shared buffers hit or read: a measure that does not depend on how loaded the machine is)."""
    cursor = raw.cursor()
    cursor.execute(f"EXPLAIN {'(ANALYZE, BUFFERS) ' if analyze else ''}{statement}", parameters)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    raw.rollback()
    if show is not None and (EXECUTION.search(plan) is None or _pages(plan) >= show):
        print(f"\n{statement}\n{parameters}\n{plan}\n")
    scanned = sorted({table for table in SEQ_SCAN.findall(plan) if table in BIG_TABLES})
    timed, buffers = EXECUTION.search(plan), BUFFERS.search(plan)
    pages = _pages(plan) if buffers else (0 if timed else None)
    return scanned, float(timed.group(1)) if timed else None, pages


def _pages(plan: str) -> int:
    buffers = BUFFERS.search(plan)
    return sum(int(part.split("=")[1]) for part in buffers.group(1).split()
               if part.startswith(("hit", "read"))) if buffers else 0


def report(title: str, captured: list[tuple[str, object]], raw, analyze: bool, show: int | None = None) -> list[str]:
    """One line per statement; the big tables any of them reads whole."""
    print(f"{title}: {len(captured)} statements")
    found: set[str] = set()
    for statement, parameters in captured:
        scanned, took, pages = explain(raw, statement, parameters, analyze, show)
        found.update(scanned)
        timing = f"{took:8.1f} ms {pages:>6} pages" if took is not None else ""
        shown = " ".join(statement.split())[:90]
        print(f"    {timing} {('SEQ SCAN ' + ','.join(scanned)) if scanned else '':<34} {shown}")
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--page", action="append", help="only this page (repeat it); the main pages without it")
    parser.add_argument("--role", action="append", choices=ROLES, help="only this role (repeat it)")
    parser.add_argument("--summary", action="store_true", help="also each role's status summary")
    parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE (runs each statement once more)")
    parser.add_argument("--user", action="append", default=[], help="also this account (a username; repeat it)")
    parser.add_argument("--show", type=int, metavar="PAGES",
                        help="print the statement and its plan when it touches at least PAGES pages (0: every one)")
    args = parser.parse_args()
    roles = {**{role: name for role, name in ROLES.items() if not args.role or role in args.role},
             **{name: name for name in args.user}}
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})
    logging.getLogger("ocop_tracker").setLevel(logging.WARNING)
    raw = create_engine(args.database_url).raw_connection()
    with app.app_context():
        captured = Captured(db.engine)
        db.session.remove()
    seq: dict[str, list[str]] = {}
    for role, username in roles.items():
        client = app.test_client()
        signed_in(client, username)
        for page in args.page or PAGES:
            captured.on = True
            response = client.get(page)
            status = 403 if "/login" in (response.location or "") else response.status_code
            captured.on = False
            statements = captured.take()
            if status in (403, 404):
                continue
            seq[f"{role} {page}"] = report(f"{role} {page} ({status})", statements, raw, args.analyze,
                                              args.show)
        if args.summary and username is not None:
            with app.app_context():
                user = db.session.scalar(db.select(User).filter_by(username=username))
                today = clock_today()
                captured.on = True
                build_summary(user, today, period_bounds("daily", today)[1], "daily")
                captured.on = False
                seq[f"{role} summary"] = report(f"{role} summary", captured.take(), raw, args.analyze, args.show)
    print("\nSeq Scan on dossiers, documents, transition_history or certificates:")
    for name, tables in seq.items():
        print(f"  {name:<44} {', '.join(tables) if tables else 'none'}")
    raw.close()


if __name__ == "__main__":
    main()
