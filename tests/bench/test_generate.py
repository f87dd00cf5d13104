"""The national-scale generator (bench/generate.py) on a fresh SQLite file: consistent rows, pages that answer."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import cast

import pytest
from flask_migrate import upgrade
from sqlalchemy import Table, func, or_

from ocop_tracker import create_app
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.producer_province import province_of_producer
from ocop_tracker.extensions import db

BENCH = Path(__file__).resolve().parents[2] / "bench"
CHEAP_HASH = "pbkdf2:sha256:1000"
# A user of each role: the administrator, the busy commune's officer, the provincial office, the provincial
# council's chair, and the producer with the most products.
ROLES = {"admin": "admin", "commune officer": "officer.p01-d01-c01", "provincial officer": "officer.p01.1",
         "council member": "council.p01.1", "producer": "producer.1", "former district officer": "officer.p01-d01"}
# The dashboard is a 404 for the others.
REPORTS = {"admin", "commune officer", "provincial officer", "former district officer"}


def _generator():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _app(url: str, folder: Path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                       "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": CHEAP_HASH}, instance_path=str(folder))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """60 dossiers written by the generator into a database the migrations built."""
    folder = tmp_path_factory.mktemp("bench")
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    with _app(url, folder).app_context():
        upgrade()
        db.engine.dispose()
    counts = _generator().generate(url, 60, seed=7, password_method=CHEAP_HASH, quiet=True)
    return url, folder, counts, _app(url, folder)


def _scalar(app, sql: str):
    with app.app_context():
        return db.session.execute(db.text(sql)).scalar()


def test_generate_writes_every_table_of_a_dossier(generated):
    counts = generated[2]
    assert counts["dossiers"] == 60
    for table in ("transition_history", "documents", "scores", "certificates", "recognition_decisions",
                  "decision_items", "deadlines", "outbox_mails", "evaluation_rounds", "organisations", "users"):
        assert counts[table] > 0, table


def test_generate_stores_each_dossier_s_producer_province(generated):
    """As dossiers/producer_province.py keeps it: the province the producer's unit lies in."""
    app = generated[3]
    with app.app_context():
        expected = province_of_producer(cast(Table, Dossier.__table__))
        wrong = db.select(func.count()).select_from(Dossier).where(
            or_(Dossier.producer_province_id.is_(None), Dossier.producer_province_id != expected))
        assert db.session.scalar(wrong) == 0


def test_generate_history_leads_to_each_state(generated):
    app = generated[3]
    assert _scalar(app, """SELECT count(*) FROM dossiers d WHERE d.state <> coalesce(
        (SELECT h.to_state FROM transition_history h WHERE h.dossier_id = d.id ORDER BY h.id DESC LIMIT 1),
        'draft')""") == 0
    # A certified dossier holds a valid certificate that cites a decision listing it.
    assert _scalar(app, """SELECT count(*) FROM dossiers d WHERE d.state = 'certified' AND NOT EXISTS (
        SELECT 1 FROM certificates c JOIN decision_items i ON i.round_id = c.round_id
        WHERE c.dossier_id = d.id AND c.status = 'valid' AND c.decision_id = i.decision_id)""") == 0
    # Open deadlines only where the state runs one.
    assert _scalar(app, """SELECT count(*) FROM deadlines t JOIN dossiers d ON d.id = t.dossier_id
        WHERE t.met_on IS NULL AND d.state IN ('draft', 'withdrawn', 'revoked', 'expired', 'not_recognised')""") == 0
    assert _scalar(app, "SELECT count(DISTINCT state) FROM dossiers") >= 10


def test_generate_is_deterministic_with_a_seed(generated, tmp_path):
    _url, _folder, counts, app = generated
    other = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    with _app(other, tmp_path).app_context():
        upgrade()
        db.engine.dispose()
    assert _generator().generate(other, 60, seed=7, password_method=CHEAP_HASH, quiet=True) == counts
    query = "SELECT group_concat(state || search_text, '|') FROM (SELECT * FROM dossiers ORDER BY id)"
    assert _scalar(_app(other, tmp_path), query) == _scalar(app, query)


@pytest.mark.parametrize("role", ROLES)
def test_generated_pages_answer_for_every_role(generated, role):
    app = generated[3]
    client = app.test_client()
    response = client.post("/login", data={"username": ROLES[role], "password": _generator().PASSWORD})
    assert response.status_code == 302, role
    listing = client.get("/")
    assert listing.status_code == 200
    code = _scalar(app, "SELECT code FROM certificates WHERE status = 'valid' ORDER BY id LIMIT 1")
    pages = ["/registry", "/registry?q=che", f"/registry/{code}", "/summaries/me", "/summaries/me/html", "/decisions"]
    pages += ["/reports"] if role in REPORTS else []
    linked = sorted(set(re.findall(r'href="/dossiers/(\d+)"', listing.get_data(as_text=True))))
    assert linked, f"{role} sees no dossier"
    for dossier_id in linked[:3]:
        pages += [f"/dossiers/{dossier_id}", f"/dossiers/{dossier_id}/documents"]
    for page in pages:
        assert client.get(page).status_code == 200, (role, page)
