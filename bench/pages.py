"""Statements per request and p50/p95 of the main pages for each role, on a database the generator filled.

    python bench/pages.py --database-url URL [--runs 15] [--page /summaries/me ...] [--role admin ...]

Downloads count as pages (`--page /reports/dossiers.csv`): every body is read to its end, and its size printed.

Each page is compared with a bare route that runs one indexed query (a dossier by id) in the same app, so the
ratio says what the page costs beyond Flask, the session and one round trip to the database.
"""
from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from national_world import PASSWORD
from sqlalchemy import event

from ocop_tracker import create_app
from ocop_tracker.accounts.views import PUBLIC_ENDPOINTS
from ocop_tracker.extensions import db

# The generator's accounts: the busy commune's officer, the first province's office and council chair, the
# producer with a hundred products; "anonymous" signs in as no one (the public pages: the registry).
ROLES = {"admin": "admin", "commune officer": "officer.p01-d01-c01", "provincial officer": "officer.p01.1",
         "council chair": "council.p01.1", "producer": "producer.1", "anonymous": None}


def signed_in(client, username: str | None) -> bool:
    """Whether `client` is now signed in as `username` (always, for no one)."""
    return username is None or client.post("/login", data={"username": username,
                                                           "password": PASSWORD}).status_code == 302
PAGES = ("/", "{dossier}", "{dossier}/documents", "/reports", "/registry", "/registry?q=che", "/summaries/me",
         "/decisions")


class StatementCounter:
    """Counts the statements the engine runs (every connection of the pool)."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def _bare_route(app) -> None:
    def bare():
        row = db.session.execute(db.text("SELECT id, state FROM dossiers WHERE id = 1")).first()
        return f"{row[0] if row else '-'} {row[1] if row else '-'}"
    app.add_url_rule("/_bench/bare", "bench_bare", bare)
    PUBLIC_ENDPOINTS.add("bench_bare")  # the anonymous visitor's bare route too (this process only)


def _get(client, url: str):
    """(status, body size in bytes): the body read to its end, so a streamed download is timed and counted whole.
    A page that sends the visitor to sign in answers 403 here: it is not for this role."""
    response = client.get(url)
    if response.status_code == 302 and "/login" in (response.location or ""):
        return 403, 0
    return response.status_code, len(response.get_data())


def _measure(client, counter: StatementCounter, url: str, runs: int
             ) -> tuple[int, int, float, float, int, float] | None:
    """(status, statements of one request, p50 ms, p95 ms, bytes, p50 of this process's CPU ms: the app's own work,
    which the machine's load changes less than the wall clock), or None when the page is not for this role."""
    before = counter.count
    status, size = _get(client, url)
    statements = counter.count - before
    if status in (403, 404):
        return None
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        _get(client, url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    timings.sort()
    return (status, statements, statistics.median(timings), timings[max(0, round(len(timings) * 0.95) - 1)], size,
            statistics.median(cpu))


def _first_dossier(client) -> str | None:
    found = re.search(r'href="(/dossiers/\d+)"', client.get("/").get_data(as_text=True))
    return found.group(1) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--page", action="append", help="measure only this page (repeat it); all pages without it")
    parser.add_argument("--role", action="append", choices=ROLES, help="only this role (repeat it); all without it")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    logging.getLogger("ocop_tracker").setLevel(logging.WARNING)  # no access line per request in the figures
    _bare_route(app)
    with app.app_context():
        counter = StatementCounter(db.engine)
        dossiers = db.session.scalar(db.text("SELECT count(*) FROM dossiers"))
        db.session.remove()
    print(f"{dossiers:,} dossiers on {args.database_url.split(':')[0]}, {args.runs} runs per page")
    print(f"{'role':<20} {'page':<28} {'status':>6} {'stmts':>6} {'p50 ms':>8} {'p95 ms':>8} {'× bare':>7} {'KB':>8} "
          f"{'cpu ms':>7}")
    for role, username in ROLES.items():
        if args.role and role not in args.role:
            continue
        client = app.test_client()
        if not signed_in(client, username):
            print(f"{role:<20} cannot sign in as {username}")
            continue
        bare = _measure(client, counter, "/_bench/bare", args.runs)
        dossier = _first_dossier(client)
        for page in args.page or PAGES:
            if "{dossier}" in page and dossier is None:
                continue
            url = page.format(dossier=dossier)
            result = _measure(client, counter, url, args.runs)
            if result is None:
                continue
            status, statements, p50, p95, size, cpu = result
            shown = re.sub(r"/dossiers/\d+", "/dossiers/<id>", url)
            print(f"{role:<20} {shown:<28} {status:>6} {statements:>6} {p50:>8.1f} {p95:>8.1f} "
                  f"{p50 / bare[2]:>7.1f} {size / 1000:>8.0f} {cpu:>7.1f}")
        print(f"{role:<20} {'bare route':<28} {bare[0]:>6} {bare[1]:>6} {bare[2]:>8.1f} {bare[3]:>8.1f}")


if __name__ == "__main__":
    main()
