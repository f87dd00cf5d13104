"""SQLite under load: writer threads firing transitions through the one door while an administrator downloads the
full dossier CSV in a loop, on a scratch copy of a bench SQLite file.

    python bench/sqlite_writers.py --database-url sqlite:////path/bench.sqlite3 [--writers 4] [--seconds 30]
                                   [--rate 2] [--processes] [--split]

First one writer alone (the baseline), then `--writers` writers and the download together. Each writer takes its
own dossiers (no two writers race for one: a stale version would be a real conflict, not a lock) and moves each
back and forth: `return` by the commune's officer, `resubmit` by its producer, each committed on its own. Prints
the transitions, errors by kind (target 0), write p50/p95/max, the share of the time the write lock was held
(from BEGIN IMMEDIATE's answer to the COMMIT), and the downloads finished. `--processes`: writers and the download
in processes of their own (threads share one GIL, so the download's Python slows the writers too).

Without `--rate` the writers never pause (a closed loop: the lock is saturated, each write waits for the others').
`--rate R`: each writer fires R transitions a second at random (Poisson) instants, as people do (an open loop); a
write's time counts from the instant it was due, so a writer that falls behind shows it. `--split`: also one
writer beside the download, to tell what the download costs a write (CPU, and the GIL with threads) from what the
other writers cost it (their turns at the lock).
"""
from __future__ import annotations

import argparse
import collections
import logging
import multiprocessing
import random
import statistics
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import event

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from jobs import drop_copy, scratch_copy
from national_world import PASSWORD

from ocop_tracker import create_app
from ocop_tracker.accounts.models import AdministrativeUnit, User
from ocop_tracker.clock import today as clock_today
from ocop_tracker.database import reads_only
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import apply_event
from ocop_tracker.extensions import db
from ocop_tracker.products.models import Product


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.writes: list[float] = []
        self.errors: collections.Counter[str] = collections.Counter()
        self.downloads = 0
        self.held = 0.0  # seconds the write lock was held, all writers

    def error(self, error: BaseException, after: float | None = None) -> None:
        """Counted by kind and statement; `after`: how long the write had run (a lock error after the busy
        timeout waited, or at once)."""
        with self.lock:
            lines = str(error).splitlines()
            sql = next((line[:60] for line in lines if line.startswith("[SQL:")), "")
            waited = f" after {after:.1f} s" if after is not None else ""
            self.errors[f"{type(error).__name__}: {lines[0][:80]} {sql}{waited}"] += 1


def _files(app) -> list[tuple[int, int, int]]:
    """(dossier, commune officer, producer) for dossiers in their first-level check whose producer signs in."""
    producer = db.select(db.func.min(User.id)).where(User.organisation_id == Product.organisation_id,
                                                     User.role == "producer", User.active.is_(True)).scalar_subquery()
    officer = db.select(db.func.min(User.id)).where(User.unit_id == Dossier.review_unit_id, User.role == "officer",
                                                    User.active.is_(True)).scalar_subquery()
    with app.app_context():
        rows = db.session.execute(db.select(Dossier.id, officer, producer).join(Product)
                                  .join(AdministrativeUnit, AdministrativeUnit.id == Dossier.review_unit_id)
                                  .where(Dossier.state == "district_review", AdministrativeUnit.level == "commune")
                                  .order_by(Dossier.id)).all()
        return [tuple(row) for row in rows if row[1] and row[2]]


def _time_the_lock(app, tally: Tally):
    """Adds how long each write transaction held the lock to the tally (listeners after configure_sqlite's, so the
    "begin" one runs once BEGIN IMMEDIATE has answered; "commit" and "rollback" fire before the statement). Returns
    what takes the listeners away."""
    with app.app_context():
        engine = db.engine

    def locked(connection):
        if not reads_only():
            connection.info["locked_at"] = time.perf_counter()

    def unlocked(connection):
        locked_at = connection.info.pop("locked_at", None)
        if locked_at is not None:
            with tally.lock:
                tally.held += time.perf_counter() - locked_at

    listeners = [("begin", locked), ("commit", unlocked), ("rollback", unlocked)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    return lambda: [event.remove(engine, name, listener) for name, listener in listeners]


def _writer(app, files, stop: threading.Event, tally: Tally, rate: float | None = None) -> None:
    with app.app_context():
        day = clock_today()
        n = 0
        due = time.perf_counter()
        while not stop.is_set():
            dossier_id, officer_id, producer_id = files[n % len(files)]
            n += 1
            if rate:  # the next write is due after a random gap (Poisson arrivals), late or not
                due += random.expovariate(rate)
                if stop.wait(max(0.0, due - time.perf_counter())):
                    break
            start = due if rate else time.perf_counter()
            try:
                dossier = db.session.get(Dossier, dossier_id)
                if dossier.state == "district_review":
                    apply_event(dossier, "return", actor=db.session.get(User, officer_id), version=dossier.version,
                                comment="Thiếu giấy phép", today=day)
                else:
                    apply_event(dossier, "resubmit", actor=db.session.get(User, producer_id),
                                version=dossier.version, today=day)
                db.session.commit()
            except Exception as error:  # noqa: BLE001  counted, never fatal: the figure is how many
                db.session.rollback()
                tally.error(error, after=time.perf_counter() - start)
            else:
                with tally.lock:
                    tally.writes.append((time.perf_counter() - start) * 1000)
            db.session.expunge_all()


def _downloader(app, stop: threading.Event, tally: Tally) -> None:
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    while not stop.is_set():
        response = client.get("/reports/dossiers.csv")
        response.get_data()
        if response.status_code == 200:
            with tally.lock:
                tally.downloads += 1
        else:
            tally.error(RuntimeError(f"download answered {response.status_code}"))


def _in_process(url: str, role: str, files, seconds: float, rate: float | None, results) -> None:
    """One writer (or the download loop) in a process of its own, as under gunicorn: its own app and GIL."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    logging.getLogger("ocop_tracker").setLevel(logging.ERROR)
    tally, stop = Tally(), threading.Event()
    _time_the_lock(app, tally)
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    if role == "writer":
        _writer(app, files, stop, tally, rate)
    else:
        _downloader(app, stop, tally)
    results.put((tally.writes, dict(tally.errors), tally.downloads, tally.held if role == "writer" else 0.0))


def _run_processes(url: str, files, writers: int, seconds: float, download: bool, rate: float | None) -> Tally:
    context = multiprocessing.get_context("spawn")  # nothing of this process's engine crosses over
    results = context.Queue()
    share = [files[k::writers] for k in range(writers)]
    roles = [("writer", share[k]) for k in range(writers)] + ([("download", [])] if download else [])
    processes = [context.Process(target=_in_process, args=(url, role, mine, seconds, rate, results))
                 for role, mine in roles]
    for process in processes:
        process.start()
    tally = Tally()
    for _ in processes:
        writes, errors, downloads, held = results.get()
        tally.writes += writes
        tally.errors.update(errors)
        tally.downloads += downloads
        tally.held += held
    for process in processes:
        process.join()
    return tally


def _run(app, files, writers: int, seconds: float, download: bool, rate: float | None) -> Tally:
    tally, stop = Tally(), threading.Event()
    share = [files[k::writers] for k in range(writers)]
    threads = [threading.Thread(target=_writer, args=(app, share[k], stop, tally, rate)) for k in range(writers)]
    threads += [threading.Thread(target=_downloader, args=(app, stop, tally))] if download else []
    untime = _time_the_lock(app, tally)
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    untime()
    return tally


def _report(name: str, tally: Tally, seconds: float) -> float:
    writes = sorted(tally.writes)
    p50 = statistics.median(writes) if writes else float("nan")
    p95 = writes[max(0, round(len(writes) * 0.95) - 1)] if writes else float("nan")
    print(f"{name:<34} {len(writes):>6} transitions ({len(writes) / seconds:5.1f}/s)  write p50 {p50:7.1f} ms  "
          f"p95 {p95:7.1f} ms  max {writes[-1] if writes else float('nan'):7.1f} ms  lock held "
          f"{tally.held / seconds:4.0%}  errors {sum(tally.errors.values())}  downloads {tally.downloads}")
    for error, count in tally.errors.most_common():
        print(f"    {count:>5} × {error}")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--processes", action="store_true",
                        help="each writer and the download in a process of its own (as gunicorn's workers), "
                             "not threads sharing one GIL")
    parser.add_argument("--split", action="store_true",
                        help="also one writer beside the download: what the download costs a write, apart from the "
                             "other writers")
    parser.add_argument("--rate", type=float,
                        help="transitions a second per writer, at random instants (open loop); none: no pause")
    parser.add_argument("--switch-interval", type=float,
                        help="the GIL's switch interval in ms for the threads (Python's default: 5)")
    args = parser.parse_args()
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)
    url = scratch_copy(args.database_url)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
        logging.getLogger("ocop_tracker").setLevel(logging.ERROR)
        files = _files(app)
        pace = f"{args.rate:g}/s per writer, at random" if args.rate else "no pause"
        print(f"{len(files)} dossiers to move back and forth, {args.seconds:.0f} s per run, writers: {pace}")
        run = _run if not args.processes else lambda _app, *rest, **kw: _run_processes(url, *rest, **kw)
        how = "processes" if args.processes else "threads"
        alone = _report("1 writer alone", run(app, files, 1, args.seconds, download=False, rate=args.rate),
                        args.seconds)
        if args.split:
            beside = _report("1 writer + CSV download loop",
                             run(app, files, 1, args.seconds, download=True, rate=args.rate), args.seconds)
        loaded = _report(f"{args.writers} writer {how} + CSV download loop",
                         run(app, files, args.writers, args.seconds, download=True, rate=args.rate), args.seconds)
        print(f"write p95 under load / alone: {loaded / alone:.1f}×")
        if args.split:
            print(f"  the download's share: {beside / alone:.1f}×, the other writers' (the lock's): {loaded / beside:.1f}×")
        with app.app_context():
            db.engine.dispose()
    finally:
        drop_copy(url)


if __name__ == "__main__":
    main()
