"""The steps of deploy/smoke-test.sh that speak HTTP, S3 or SQL, run by the fresh venv's Python.

`python smoke_steps.py STEP ARGS…`; each step prints one line (JSON or a figure) and exits non-zero on failure.
Only the standard library, boto3 (a dependency) and the installed package: nothing from the checkout.
"""
from __future__ import annotations

import hashlib
import http.cookiejar
import json
import re
import secrets
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect comes back as it is (HTTPError with its 3xx status), not followed."""

    def redirect_request(self, *args, **kwargs):
        return None


class Http:
    """A tiny browser: cookies, forms with their CSRF token, JSON with a bearer token."""

    def __init__(self, base: str, token: str | None = None, jar: http.cookiejar.CookieJar | None = None,
                 redirects: bool = True):
        self.base, self.token, self.jar = base.rstrip("/"), token, jar or http.cookiejar.CookieJar()
        # The smoke test's nginx has a self-signed certificate.
        handlers = [urllib.request.HTTPCookieProcessor(self.jar),
                    urllib.request.HTTPSHandler(context=ssl._create_unverified_context())]
        handlers += [] if redirects else [NoRedirect()]
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, path: str, data: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def json(self, method: str, path: str, body: dict | None = None, expect: int = 200):
        data = json.dumps(body).encode() if body is not None else None
        status, raw, _ = self.request(method, path, data, {"Content-Type": "application/json"})
        if status != expect:
            fail(f"{method} {path}: {status}, expected {expect}: {raw[:500]!r}")
        return json.loads(raw) if raw else None

    def form(self, path: str, fields: dict, expect: int = 200) -> str:
        """GET the page, POST its form with the CSRF token; redirects are followed."""
        status, page, _ = self.request("GET", path)
        found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        if status != 200 or not found:
            fail(f"GET {path}: {status}, no form with a CSRF token")
        body = urllib.parse.urlencode({"csrf_token": found.group(1).decode(), **fields}).encode()
        status, raw, _ = self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != expect:
            fail(f"POST {path}: {status}, expected {expect}: {raw[:500]!r}")
        return raw.decode()

    def upload(self, path: str, fields: dict, filename: str, content: bytes, mimetype: str, expect: int = 201):
        boundary = secrets.token_hex(12)
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f"Content-Type: {mimetype}\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        status, raw, _ = self.request("POST", path, b"".join(parts),
                                      {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status != expect:
            fail(f"POST {path}: {status}, expected {expect}: {raw[:500]!r}")
        return json.loads(raw)


def fail(message: str) -> None:
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def api_token(base: str, username: str, password: str) -> Http:
    answer = Http(base).json("POST", "/api/v1/auth/token", {"username": username, "password": password}, 201)
    return Http(base, answer["token"])


def wait(url: str, seconds: str = "60") -> None:
    """Until the URL answers 200 (the app starting, a server coming up)."""
    deadline, last = time.monotonic() + float(seconds), "no answer"
    while time.monotonic() < deadline:
        try:
            code, raw, _ = Http(url).request("GET", "")
            if code == 200:
                print(code)
                return
            last = f"{code}: {raw[:300]!r}"
        except OSError as error:
            last = str(error)
        time.sleep(0.3)
    fail(f"{url} did not answer 200 in {seconds} s (last: {last})")


def status(url: str, expected: str) -> None:
    """The URL answers exactly this status (no redirect followed)."""
    code, _, _ = Http(url, redirects=False).request("GET", "")
    if code != int(expected):
        fail(f"{url}: {code}, expected {expected}")
    print(code)


def organisation(base: str, admin: str, password: str) -> None:
    """The administrator: an API token that says admin, then the web admin's form creates an organisation in
    the deepest unit of the map (a commune); prints its id."""
    me = api_token(base, admin, password).json("GET", "/api/v1/me")
    if me["role"] != "admin":
        fail(f"{admin} is {me['role']}, not admin")
    web = Http(base)
    web.form("/login", {"username": admin, "password": password})
    _, page, _ = web.request("GET", "/admin/organisations/new")
    select = re.search(rb'<select[^>]*name="unit".*?</select>', page, re.S)
    options = re.findall(rb'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', select.group(0) if select else b"")
    units = [(text.count("·".encode()), int(value)) for value, text in options if int(value)]
    if not units:
        fail("the organisation form offers no unit: was the map imported?")
    name = f"HTX Kiểm thử {secrets.token_hex(3)}"
    web.form("/admin/organisations/new", {"name": name, "kind": "cooperative", "unit": max(units)[1]})
    _, listing, _ = web.request("GET", "/admin/organisations?" + urllib.parse.urlencode({"q": name}))
    found = re.search(rb'/admin/organisations/(\d+)', listing)
    if not found:
        fail("the new organisation is not listed")
    print(int(found.group(1)))


def forgot(base: str, identifier: str) -> None:
    """A password reset request queues one mail, for send-mail to deliver."""
    Http(base).form("/password/forgot", {"identifier": identifier})
    print("queued")


def round_trip(base: str, producer: str, password: str, out: str) -> None:
    """The producer opens a dossier and uploads a real PDF through the API, then downloads it: same bytes."""
    from ocop_tracker.documents.samples import minimal_pdf

    api = api_token(base, producer, password)
    product = api.json("POST", "/api/v1/products", {"name": "Chè kiểm thử", "product_set": "set-11"}, 201)
    dossier = api.json("POST", "/api/v1/dossiers", {"product_id": product["id"]}, 201)
    kind = dossier["missing_documents"][0]
    content = minimal_pdf(f"smoke {secrets.token_hex(8)}")
    document = api.upload(f"/api/v1/dossiers/{dossier['id']}/documents", {"kind": kind}, "mau-01.pdf",
                          content, "application/pdf")
    status_code, back, headers = api.request("GET", f"/api/v1/dossiers/{dossier['id']}/documents/{document['id']}/file")
    if status_code != 200 or back != content:
        fail(f"download: {status_code}, {len(back)} bytes back for {len(content)} sent")
    if "attachment" not in headers.get("Content-Disposition", ""):
        fail("the document is not served as an attachment")
    record = {"dossier": dossier["id"], "document": document["id"], "sha256": hashlib.sha256(content).hexdigest()}
    with open(out, "w") as handle:
        json.dump(record, handle)
    print(json.dumps(record))


def bucket(endpoint: str, name: str, action: str = "create") -> None:
    """Create the bucket, or count its objects."""
    import boto3

    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="smoke", aws_secret_access_key="smoke",
                      region_name="us-east-1")
    if action == "create":
        s3.create_bucket(Bucket=name)
        print("created")
    else:
        print(sum(page.get("KeyCount", 0) for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name)))


def counts() -> None:
    """Rows of every table of the database OCOP_DATABASE_URL (or the instance's SQLite) names, as JSON."""
    from ocop_tracker import create_app
    from ocop_tracker.extensions import db

    app = create_app()
    with app.app_context():
        tables = sorted(db.inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            result = {name: connection.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar() for name in tables}
    print(json.dumps(result, sort_keys=True))


def local_download(record_file: str, producer: str, password: str) -> None:
    """The restored instance (no server: the app in this process) serves the smoke document, same bytes."""
    from ocop_tracker import create_app

    record = json.load(open(record_file))
    client = create_app().test_client()
    token = client.post("/api/v1/auth/token", json={"username": producer, "password": password}).get_json()["token"]
    response = client.get(f"/api/v1/dossiers/{record['dossier']}/documents/{record['document']}/file",
                          headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200 or hashlib.sha256(response.data).hexdigest() != record["sha256"]:
        fail(f"the restored instance answers {response.status_code} for the smoke document, or other bytes")
    print("same bytes")


def json_logs(log_file: str, base: str) -> None:
    """A request's X-Request-ID comes back in a JSON line of the app's log (OCOP_LOG_FORMAT=json)."""
    _, _, headers = Http(base).request("GET", "/login")
    request_id = headers.get("X-Request-ID")
    if not request_id:
        fail("no X-Request-ID header on the answer")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        objects = []
        for line in open(log_file, encoding="utf-8", errors="replace"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                objects.append(value)
        if any(request_id in json.dumps(value) for value in objects):
            print(f"{len(objects)} JSON lines, request {request_id} among them")
            return
        time.sleep(0.2)
    fail(f"no JSON log line in {log_file} holds the request id {request_id} ({len(objects)} JSON lines)")


def behind_nginx(base: str, producer: str, password: str, access_log: str) -> None:
    """Through deploy/nginx: static files from nginx itself with HSTS, the app's request id in nginx's log, and a
    document just over the app's limit reaching the app (its JSON 413), not stopped by nginx's body limit."""
    from ocop_tracker.config import Defaults

    web = Http(base)
    status_code, _, headers = web.request("GET", "/static/app.css")
    if status_code != 200 or "max-age" not in headers.get("Strict-Transport-Security", ""):
        fail(f"/static/app.css through nginx: {status_code}, HSTS {headers.get('Strict-Transport-Security')!r}")
    if headers.get("X-Request-ID"):
        fail("/static/app.css was answered by the app, not by nginx")
    status_code, _, headers = web.request("GET", "/readyz")
    request_id = headers.get("X-Request-ID", "")
    if status_code != 200 or not re.fullmatch(r"[0-9a-f]{32}", request_id):
        fail(f"/readyz through nginx: {status_code}, request id {request_id!r}")
    deadline = time.monotonic() + 5
    while f"id={request_id}" not in open(access_log).read():
        if time.monotonic() > deadline:
            fail(f"nginx's access log does not hold the request id {request_id} the app answered with")
        time.sleep(0.2)
    api = api_token(base, producer, password)
    product = api.json("POST", "/api/v1/products", {"name": "Chè qua nginx", "product_set": "set-11"}, 201)
    dossier = api.json("POST", "/api/v1/dossiers", {"product_id": product["id"]}, 201)
    refused = api.upload(f"/api/v1/dossiers/{dossier['id']}/documents", {"kind": dossier["missing_documents"][0]},
                         "lon.pdf", b"%PDF-1.4\n" + b"0" * Defaults.DOCUMENT_MAX_BYTES, "application/pdf", 413)
    if "error" not in refused:
        fail(f"a document over the limit through nginx: {refused!r}, expected the app's JSON error")
    print("static files and HSTS from nginx, one request id in both logs, the app's own 413 for 20 MB + 1")


if __name__ == "__main__":
    step, *arguments = sys.argv[1:]
    {"wait": wait, "status": status, "organisation": organisation, "forgot": forgot, "round-trip": round_trip,
     "bucket": bucket, "counts": counts, "local-download": local_download, "json-logs": json_logs,
     "behind-nginx": behind_nginx}[step](*arguments)
