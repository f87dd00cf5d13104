"""(Not `transitions.py`: bench/ is on sys.path and that name would hide the `transitions` library.)
A transition through the one door (`dossiers.services.apply_event`) against a bare conditional UPDATE of the
dossier and an INSERT of its history row, on a scratch copy of a bench database.

    python bench/transition_cost.py --database-url URL [--runs 200] [--show] [--profile N [--sort tottime]]

All fire `return` (district_review → returned, with a comment, by the reviewing commune's officer) on dossiers
the generator left in their first-level check, each committed on its own, from the dossier's id and version in
hand (so the door's time includes loading the dossier and what its guards read), one of each line in turn:
- `apply_event`: the dossier read bare (the door reads its unit, product, producer and product set itself);
- `apply_event, read as posted`: the dossier read with `EVENT_READS`, as a page or the API reads it to fire an event;
- `bare UPDATE + INSERT`: the conditional UPDATE and the history row alone;
- `floor`: what the door must read and write, in raw SQL, no ORM and no rendering (a mail's text the door wrote).
`--show` prints the statements of one transition of each door line; `--profile` the "read as posted" line's profile.
"""
from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import statistics
import sys
import time
import uuid
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
from ocop_tracker.dossiers.services import EVENT_READS, apply_event
from ocop_tracker.extensions import db

BARE_UPDATE = text("UPDATE dossiers SET state = 'returned', returned_from = 'district_review', "
                   "version = version + 1, updated_at = :now WHERE id = :id AND version = :version "
                   "AND state = 'district_review'")
BARE_HISTORY = text("INSERT INTO transition_history (dossier_id, round_number, event, from_state, to_state, actor_id, "
                    "actor_name, at, comment) VALUES (:id, :round, 'return', 'district_review', 'returned', :actor, "
                    ":name, :now, 'Thiếu giấy phép')")
# The floor reads in one statement what the door's checks and mail read: the dossier with its reviewing unit,
# product, producer and product set, the actor, the producers who read mails per event (one row each), and how
# many documents an officer flagged (the mail lists them).
FLOOR_READ = text("SELECT d.state, d.version, d.round_number, d.rule_set, u.level, u.parent_id, p.name, o.name, "
                  "ps.number, a.role, a.unit_id, a.active, r.id, r.email, r.locale, "
                  "(SELECT count(*) FROM documents doc JOIN document_checks c ON c.document_id = doc.id "
                  " WHERE doc.dossier_id = d.id AND c.outcome = 'needs_supplement') "
                  "FROM dossiers d JOIN administrative_units u ON u.id = d.review_unit_id "
                  "JOIN products p ON p.id = d.product_id JOIN organisations o ON o.id = p.organisation_id "
                  "JOIN product_sets ps ON ps.id = p.product_set_id JOIN users a ON a.id = :actor "
                  "LEFT JOIN users r ON r.organisation_id = p.organisation_id AND r.role = 'producer' "
                  "AND r.active AND r.email IS NOT NULL AND r.mail_preference = 'immediate' WHERE d.id = :id")
FLOOR_DEADLINE = text("UPDATE deadlines SET met_on = :day WHERE dossier_id = :id AND kind = 'first_level_check' "
                      "AND met_on IS NULL")
FLOOR_MAIL = text("INSERT INTO outbox_mails (message_id, kind, recipient_id, to_address, subject, body_text, body_html, "
                  "dossier_id, status, attempts, created_at) VALUES (:message_id, 'event.return', :recipient, :address, "
                  ":subject, :text, :html, :id, 'pending', 0, :now)")


WARM_UP = 20  # transitions through the door before the timed ones (not counted)


def _candidates(runs: int) -> list[tuple[int, int, int, int]]:
    """(dossier id, version, round, officer id) of dossiers in their first-level check whose commune has an officer."""
    rows = db.session.execute(db.select(Dossier.id, Dossier.version, Dossier.round_number, db.func.min(User.id))
                              .join(User, (User.unit_id == Dossier.review_unit_id) & (User.role == "officer"))
                              .join(AdministrativeUnit, AdministrativeUnit.id == Dossier.review_unit_id)
                              .where(Dossier.state == "district_review", User.active.is_(True),
                                     AdministrativeUnit.level == "commune")
                              .group_by(Dossier.id, Dossier.version, Dossier.round_number)
                              .order_by(Dossier.id).limit(4 * runs + WARM_UP)).all()
    return [tuple(row) for row in rows]


def _percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, round(len(timings) * 0.95) - 1)]


class Sides:
    """Each side's wall-clock and CPU time per transition (CPU: this process's, it moves less with the load) and
    the most statements one of its transitions sent."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen
        self.timings: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}
        self.statements: dict[str, int] = {}
        self.mailed: dict[str, list[float]] = {}  # the CPU of the transitions that queued a mail

    def timed(self, name: str, transition, *args) -> list[str]:
        before, start, cpu_start = len(self.seen), time.perf_counter(), time.process_time()
        transition(*args)
        db.session.commit()
        self.timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        self.cpu.setdefault(name, []).append((time.process_time() - cpu_start) * 1000)
        self.statements[name] = max(self.statements.get(name, 0), len(self.seen) - before)
        if any(statement.startswith("INSERT INTO outbox_mails") for statement in self.seen[before:]):
            self.mailed.setdefault(name, []).append(self.cpu[name][-1])
        return self.seen[before:]

    def report(self) -> None:
        bare_p50 = _percentiles(self.timings["bare UPDATE + INSERT"])[0]
        for name, values in self.timings.items():
            p50, p95 = _percentiles(values)
            print(f"  {name:<26} {self.statements[name]:>3} statements  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  "
                  f"× bare {p50 / bare_p50:4.1f}  (CPU p50 {statistics.median(self.cpu[name]):5.2f} ms)")
            if name in self.mailed:
                print(f"    {len(self.mailed[name])} of them with a mail: CPU p50 "
                      f"{statistics.median(self.mailed[name]):5.2f} ms")


def _through_the_door(dossier_id: int, version: int, officer_id: int, day, loaded: tuple = ()) -> None:
    """`loaded`: the options the caller reads the dossier with (a posted event: EVENT_READS, see dossiers/views.py)."""
    dossier = db.session.get(Dossier, dossier_id, options=loaded)
    apply_event(dossier, "return", actor=db.session.get(User, officer_id), version=version,
                comment="Thiếu giấy phép", today=day)


def _bare(dossier_id: int, version: int, round_number: int, officer_id: int) -> None:
    now = datetime.now(UTC)
    if db.session.execute(BARE_UPDATE, {"id": dossier_id, "version": version, "now": now}).rowcount:
        db.session.execute(BARE_HISTORY, {"id": dossier_id, "round": round_number, "actor": officer_id,
                                          "name": "bench", "now": now})


def _floor(dossier_id: int, version: int, round_number: int, officer_id: int, day, mail: tuple[str, str, str]) -> None:
    """What the door must do for a `return`, by hand: read, check, write state, history, deadline and mails."""
    now = datetime.now(UTC)
    rows = db.session.execute(FLOOR_READ, {"id": dossier_id, "actor": officer_id}).all()
    first = rows[0]
    if first.state != "district_review" or first.version != version or first.role != "officer":
        raise RuntimeError(f"dossier {dossier_id} is not a bench candidate")
    if not db.session.execute(BARE_UPDATE, {"id": dossier_id, "version": version, "now": now}).rowcount:
        raise RuntimeError(f"dossier {dossier_id} moved meanwhile")
    db.session.execute(BARE_HISTORY, {"id": dossier_id, "round": round_number, "actor": officer_id,
                                      "name": "bench", "now": now})
    db.session.execute(FLOOR_DEADLINE, {"id": dossier_id, "day": day})
    subject, body, html = mail
    for row in rows:
        if row.id is not None:
            db.session.execute(FLOOR_MAIL, {"message_id": f"<{uuid.uuid4().hex}@ocop-tracker>", "recipient": row.id,
                                            "address": row.email, "subject": subject, "text": body, "html": html,
                                            "id": dossier_id, "now": now})


def _a_return_mail() -> tuple[str, str, str]:
    """The text of a return mail the door wrote (the floor writes mails already rendered)."""
    row = db.session.execute(text("SELECT subject, body_text, body_html FROM outbox_mails WHERE kind = 'event.return' "
                                  "ORDER BY id DESC LIMIT 1")).first()
    return tuple(row) if row else ("[OCOP] Hồ sơ cần bổ sung", "Kính gửi …", "<p>Kính gửi …</p>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--show", action="store_true", help="print the statements of one transition through the door")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the door's N most expensive functions (cProfile)")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative or tottime")
    args = parser.parse_args()
    url = scratch_copy(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    logging.getLogger("ocop_tracker").setLevel(logging.WARNING)
    seen: list[str] = []
    sides = Sides(seen)
    profile = cProfile.Profile() if args.profile else None
    try:
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda _c, _k, statement, *_a: seen.append(statement))
            day = clock_today()
            rows = _candidates(args.runs)
            warm_up, rows = rows[:WARM_UP], rows[WARM_UP:]
            for dossier_id, version, _round, officer_id in warm_up:  # caches filled and a return mail to copy
                _through_the_door(dossier_id, version, officer_id, day)
                db.session.commit()
            mail = _a_return_mail()
            db.session.expunge_all()
            # One of each side in turn, so that the machine's changing load weighs on every line alike.
            for n in range(len(rows) // 4):
                door, posted, bare, floor = rows[4 * n:4 * n + 4]
                for name, (dossier_id, version, _round, officer_id), loaded in (
                        ("apply_event", door, ()), ("apply_event, read as posted", posted, EVENT_READS)):
                    if profile and loaded:
                        profile.enable()
                    sent = sides.timed(name, _through_the_door, dossier_id, version, officer_id, day, loaded)
                    if profile:
                        profile.disable()
                    if args.show and n == 0:
                        print(f"  {name}:")
                        for statement in sent:
                            print("   ", " ".join(statement.split())[:150])
                    db.session.expunge_all()  # as a new request would: nothing from the previous transition
                sides.timed("bare UPDATE + INSERT", _bare, *bare)
                sides.timed("floor: the door's SQL", _floor, *floor, day, mail)
            db.session.remove()
            db.engine.dispose()
        print(f"{url.split(':')[0]}: {len(rows) // 4} transitions each way ('return', committed one by one)")
        sides.report()
        if profile:
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.profile)
    finally:
        drop_copy(url)


if __name__ == "__main__":
    main()
