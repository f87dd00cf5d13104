"""The cron jobs at national scale: `send-summaries` for every recipient and `daily`, on a scratch copy of a bench
database (both write outbox rows, so each run starts again from the generator's rows).

    python bench/jobs.py --database-url postgresql+psycopg://…/ocop_bench_100k --job summaries [--period weekly]
    python bench/jobs.py --database-url … --job daily [--today 2026-12-05]
    python bench/jobs.py --database-url … --job aggregates   # the raw SQL counts a summary run is compared with

PostgreSQL: the database named in the URL is the template; the run happens in `<name>_jobrun<pid>`, created from it
(`CREATE DATABASE … TEMPLATE`) and dropped after. SQLite: the file is copied. Prints wall time, statements, peak
resident memory, and what the job reports.
"""
from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from pages import StatementCounter
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ocop_tracker import create_app
from ocop_tracker.clock import today as clock_today
from ocop_tracker.extensions import db


def scratch_copy(url: str) -> str:
    """A fresh copy of the database to run a writing job on; its URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        copy = f"{parsed.database}.jobrun{os.getpid()}"
        shutil.copyfile(parsed.database, copy)
        return str(parsed.set(database=copy))
    copy = f"{parsed.database}_jobrun{os.getpid()}"  # runs side by side never share a copy
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{copy}"'))
        connection.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{parsed.database}"'))
    admin.dispose()
    return parsed.set(database=copy).render_as_string(hide_password=False)


def drop_copy(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


# What a summary run is compared with: per recipient scope, the counts its sections show, as plain aggregates.
AGGREGATES = {
    "dossiers per state per reviewing unit": "SELECT review_unit_id, state, count(*) FROM dossiers GROUP BY 1, 2",
    "dossiers per state per organisation": "SELECT p.organisation_id, d.state, count(*) FROM dossiers d "
                                           "JOIN products p ON p.id = d.product_id GROUP BY 1, 2",
    "open deadlines overdue / due in 7 days per unit": "SELECT d.review_unit_id, sum(CASE WHEN l.due_on < :today "
                                                       "THEN 1 ELSE 0 END), sum(CASE WHEN l.due_on >= :today THEN 1 "
                                                       "ELSE 0 END) FROM deadlines l JOIN dossiers d ON d.id = "
                                                       "l.dossier_id WHERE l.met_on IS NULL AND l.due_on <= :today + 7 "
                                                       "GROUP BY 1",
    "arrivals of the day per unit": "SELECT d.review_unit_id, count(*) FROM transition_history h JOIN dossiers d "
                                    "ON d.id = h.dossier_id WHERE h.event IN ('submit', 'resubmit') AND h.at >= "
                                    ":today - 1 GROUP BY 1",
    "certificates expiring in 180 days per unit": "SELECT d.review_unit_id, count(*) FROM certificates c JOIN "
                                                  "dossiers d ON d.id = c.dossier_id WHERE c.status = 'valid' AND "
                                                  "c.expires_on BETWEEN :today AND :today + 180 GROUP BY 1",
    "dossiers to score per council member": "SELECT m.user_id, count(*) FROM council_members m JOIN dossiers d ON "
                                            "d.rating_council_id = m.council_id WHERE d.state = 'star_rating' "
                                            "GROUP BY 1",
}


def run_aggregates(url: str, today: date) -> None:
    engine = create_engine(url)
    total = 0.0
    with engine.connect() as connection:
        for name, sql in AGGREGATES.items():
            statement = text(sql.replace(":today + 7", "CAST(:today AS date) + 7")
                             .replace(":today + 180", "CAST(:today AS date) + 180")
                             .replace(":today - 1", "CAST(:today AS date) - 1"))
            start = time.perf_counter()
            rows = connection.execute(statement, {"today": today}).all()
            took = time.perf_counter() - start
            total += took
            print(f"  {name:<52} {len(rows):>7,} rows {took * 1000:>8.0f} ms")
    print(f"aggregates: {total:.2f} s in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--job", choices=("summaries", "daily", "aggregates"), required=True)
    parser.add_argument("--period", choices=("daily", "weekly"), default="daily")
    parser.add_argument("--today", type=date.fromisoformat, help="run as of this day (default: today in Vietnam)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy (to look at what was written)")
    args = parser.parse_args()
    if args.job == "aggregates":
        run_aggregates(args.database_url, args.today or date.today())
        return
    url = scratch_copy(args.database_url)
    # --today later than the real day (to expire certificates the generator left valid) pins the app's clock there
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "TODAY": args.today.isoformat() if args.today else None})
    logging.getLogger("ocop_tracker").setLevel(logging.WARNING)
    from ocop_tracker.notifications import schedule_cli

    try:
        with app.app_context():
            counter = StatementCounter(db.engine)
            day = args.today or clock_today()
            memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start, cpu_start = time.perf_counter(), time.process_time()
            if args.job == "summaries":
                run = schedule_cli.send_summaries(args.period, day)
                said = f"{run.queued} queued, {run.quiet} quiet, {run.already} already, {run.failed} failed"
            else:
                expired, failures = schedule_cli.expire_due_certificates(day)
                reminders = schedule_cli.queue_reminders(day)
                db.session.commit()
                said = f"{expired} expired ({len(failures)} failures), {reminders} reminders"
            took, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"{args.job} {args.period if args.job == 'summaries' else ''} as of {day}: {said}")
            print(f"wall {took:.1f} s (this process's CPU {cpu:.1f} s: less bound to the machine's load), "
                  f"{counter.count:,} statements, peak RSS {peak / 1024:.0f} MiB "
                  f"(+{(peak - memory_before) / 1024:.0f} MiB during the run)")
            db.session.remove()
            db.engine.dispose()
    finally:
        if not args.keep:
            drop_copy(url)


if __name__ == "__main__":
    main()
