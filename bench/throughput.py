"""Requests per second under gunicorn (deploy/gunicorn.conf.py, 5 sync workers) for a static file, the officer's
dossier list and the registry search, with a small load generator (threads, one keep-alive `http.client`
connection each).

    python bench/throughput.py --database-url postgresql+psycopg://…/ocop_bench_100k [--seconds 20] [--clients 10]

The server runs from this checkout with `OCOP_DATABASE_URL` set; the officer (the busy commune's, as in
pages.py) signs in through the login form once and every client sends that session cookie.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from national_world import PASSWORD

URLS = (("static file", "/static/app.css", False), ("officer list", "/", True),
        ("registry search", "/registry?q=che", False), ("registry", "/registry", False))
OFFICER = "officer.p01-d01-c01"


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/static/app.css")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


def _sign_in(port: int) -> str:
    """The session cookie of the officer, through the login form (its CSRF token included)."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    body = urllib.parse.urlencode({"username": OFFICER, "password": PASSWORD,
                                   "csrf_token": token.group(1) if token else ""})
    connection.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"sign-in answered {response.status}")
    return "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or []) or cookie


def _load(port: int, path: str, cookie: str | None, clients: int, seconds: float):
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            with lock:
                if ok:
                    timings.append((time.perf_counter() - start) * 1000)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--port", type=int, default=8713)
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "OCOP_DATABASE_URL": args.database_url, "OCOP_SECRET_KEY": "bench-throughput",
           "GUNICORN_WORKERS": str(args.workers), "GUNICORN_BIND": f"127.0.0.1:{args.port}",
           "OCOP_LOG_LEVEL": "WARNING"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "-c", str(HERE.parent / "deploy" / "gunicorn.conf.py")], env=env,
                              cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(args.port)
        cookie = _sign_in(args.port)
        print(f"gunicorn, {args.workers} sync workers; {args.clients} clients for {args.seconds:.0f} s per page")
        for name, path, signed_in in URLS:
            timings, errors = _load(args.port, path, cookie if signed_in else None, args.clients, args.seconds)
            timings.sort()
            p50 = statistics.median(timings) if timings else float("nan")
            p95 = timings[max(0, round(len(timings) * 0.95) - 1)] if timings else float("nan")
            print(f"  {name:<16} {path:<18} {len(timings) / args.seconds:8.1f} req/s  p50 {p50:7.1f} ms  "
                  f"p95 {p95:7.1f} ms  errors {errors}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
