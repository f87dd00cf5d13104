"""(Not `transitions.py`: bench/ is on sys.path and that name would hide the `transitions` library.)
A transition through the one door (`dossiers.services.apply_event`) against a bare conditional UPDATE of the
dossier and an INSERT of its history row, on a scratch copy of a bench database.

    python bench/transition_cost.py --database-url URL [--runs 200] [--show]

Both fire `return` (district_review → returned, with a comment, by the reviewing commune's officer) on dossiers
the generator left in their first-level check, each committed on its own, from the dossier's id and version in
hand (so the door's time includes loading the dossier and what its guards read). `--show` prints the
statements of one transition through the door.
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from jobs import drop_copy, scratch_copy
from sqlalchemy import event, text

from ocop_tracker import create_app
from ocop_tracker.accounts.models import AdministrativeUnit, User
from ocop_tracker.clock import today as clock_today
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import apply_event
from ocop_tracker.extensions import db

BARE_UPDATE = text("UPDATE dossiers SET state = 'returned', returned_from = 'district_review', "
                   "version = version + 1, updated_at = :now WHERE id = :id AND version = :version "
                   "AND state = 'district_review'")
BARE_HISTORY = text("INSERT INTO transition_history (dossier_id, round_number, event, from_state, to_state, actor_id, "
                    "actor_name, at, comment) VALUES (:id, :round, 'return', 'district_review', 'returned', :actor, "
                    ":name, :now, 'Thiếu giấy phép')")


def _candidates(runs: int) -> list[tuple[int, int, int, int]]:
    """(dossier id, version, round, officer id) of dossiers in their first-level check whose commune has an officer."""
    rows = db.session.execute(db.select(Dossier.id, Dossier.version, Dossier.round_number, db.func.min(User.id))
                              .join(User, (User.unit_id == Dossier.review_unit_id) & (User.role == "officer"))
                              .join(AdministrativeUnit, AdministrativeUnit.id == Dossier.review_unit_id)
                              .where(Dossier.state == "district_review", User.active.is_(True),
                                     AdministrativeUnit.level == "commune")
                              .group_by(Dossier.id, Dossier.version, Dossier.round_number)
                              .order_by(Dossier.id).limit(2 * runs)).all()
    return [tuple(row) for row in rows]


def _percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, round(len(timings) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--show", action="store_true", help="print the statements of one transition through the door")
    args = parser.parse_args()
    url = scratch_copy(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    logging.getLogger("ocop_tracker").setLevel(logging.WARNING)
    seen: list[str] = []
    try:
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda _c, _k, statement, *_a: seen.append(statement))
            day = clock_today()
            rows = _candidates(args.runs)
            door, bare = rows[0::2], rows[1::2]
            db.session.rollback()
            timings: dict[str, list[float]] = {"apply_event": [], "bare UPDATE + INSERT": []}
            cpu: dict[str, list[float]] = {name: [] for name in timings}  # this process's CPU: moves less with load
            statements: dict[str, int] = {}
            for n, (dossier_id, version, _round, officer_id) in enumerate(door):
                before, start, cpu_start = len(seen), time.perf_counter(), time.process_time()
                dossier = db.session.get(Dossier, dossier_id)
                apply_event(dossier, "return", actor=db.session.get(User, officer_id), version=version,
                            comment="Thiếu giấy phép", today=day)
                db.session.commit()
                timings["apply_event"].append((time.perf_counter() - start) * 1000)
                cpu["apply_event"].append((time.process_time() - cpu_start) * 1000)
                statements["apply_event"] = len(seen) - before
                if args.show and n == 1:  # the second: the first also reads the calendar and the rule sets
                    for statement in seen[before:]:
                        print("   ", " ".join(statement.split())[:150])
                db.session.expunge_all()  # as a new request would: nothing from the previous transition
            for dossier_id, version, round_number, officer_id in bare:
                before, start, cpu_start = len(seen), time.perf_counter(), time.process_time()
                now = datetime.now(UTC)
                if db.session.execute(BARE_UPDATE, {"id": dossier_id, "version": version, "now": now}).rowcount:
                    db.session.execute(BARE_HISTORY, {"id": dossier_id, "round": round_number, "actor": officer_id,
                                                      "name": "bench", "now": now})
                db.session.commit()
                timings["bare UPDATE + INSERT"].append((time.perf_counter() - start) * 1000)
                cpu["bare UPDATE + INSERT"].append((time.process_time() - cpu_start) * 1000)
                statements["bare UPDATE + INSERT"] = len(seen) - before
            db.session.remove()
            db.engine.dispose()
        backend = url.split(":")[0]
        print(f"{backend}: {len(door)} transitions each way ('return', committed one by one)")
        bare_p50 = _percentiles(timings["bare UPDATE + INSERT"])[0]
        for name, values in timings.items():
            p50, p95 = _percentiles(values)
            print(f"  {name:<22} {statements[name]:>3} statements  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  "
                  f"× bare {p50 / bare_p50:4.1f}  (CPU p50 {statistics.median(cpu[name]):5.2f} ms)")
    finally:
        drop_copy(url)


if __name__ == "__main__":
    main()
