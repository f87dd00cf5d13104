"""The attack surface as a test walks it: every rule of the app with real ids filled in, and a client per role."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from ocop_tracker.api.tokens import issue_api_token
from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.documents.services import current_documents
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reports.dashboard import FIGURES
from ocop_tracker.reviews.models import Council, CouncilMember, EvaluationBatch
from ocop_tracker.rules.models import CalendarDay

from ..factories import World, dossier_in_state

# Signed-in roles a walk tries (None: an anonymous visitor); "chair" sits on the provincial council.
ROLES = (None, "producer", "officer", "province_officer", "chair", "admin")


@dataclass
class Surface:
    """A certified dossier (documents, deadlines, decision, certificate) and the ids every rule needs."""

    world: World
    dossier: Dossier
    values: dict[str, object]
    tokens: dict[str, str] = field(default_factory=dict)

    def path(self, rule: Rule, **override) -> str | None:
        """The rule's address with real ids (None when a value is missing)."""
        defaults = rule.defaults or {}
        values = {name: defaults.get(name, override.get(name, self.values.get(name))) for name in rule.arguments}
        if any(value is None for value in values.values()):
            return None
        return rule.build(values, append_unknown=False)[1]

    def api_headers(self, role: str | None) -> dict:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}


def build_surface(world: World) -> Surface:
    dossier = dossier_in_state(world, "certified")
    council = db.session.scalar(db.select(Council).filter_by(unit_id=world.province.id))

    def first(model, **where):
        return db.session.scalar(db.select(model.id).filter_by(**where).order_by(model.id))

    values = {
        "dossier_id": dossier.id, "document_id": current_documents(dossier)["registration_form"].id,
        "deadline_id": first(Deadline, dossier_id=dossier.id), "decision_id": first(RecognitionDecision),
        "council_id": council.id, "seat_id": first(CouncilMember, council_id=council.id),
        "user_id": world["producer"].id, "unit_id": world.commune.id,
        "organisation_id": world["producer"].organisation_id, "batch_id": first(EvaluationBatch),
        "mail_id": first(OutboxMail), "year": 2026, "day_id": first(CalendarDay, year=2026),
        "code": current_certificate(dossier).code, "token": "not-a-real-reset-token", "key": next(iter(FIGURES)),
        "fmt": "csv", "filename": "app.css", "event": "request_upgrade",
    }
    tokens = {role: issue_api_token(world[role], actor=world[role])[0] for role in ROLES if role}
    db.session.commit()
    return Surface(world, dossier, values, tokens)


def web_clients(app: Flask, browser) -> dict[str | None, FlaskClient]:
    return {role: browser(role) if role else app.test_client() for role in ROLES}


def is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/v1/")


def rules(app: Flask, method: str | None = None) -> list[Rule]:
    """Every rule of the app (taking `method`), in a stable order."""
    found = [rule for rule in app.url_map.iter_rules() if method is None or method in rule.methods]
    return sorted(found, key=lambda rule: (rule.rule, rule.endpoint))


def fetch(client: FlaskClient, method: str, path: str, **kwargs):
    """One request, its body read and closed (a streamed export must not outlive the test's context)."""
    response = client.open(path, method=method, **kwargs)
    response.get_data()
    response.close()
    return response


# Written by any request (sign-in bookkeeping, a token's last use), refused or not.
BOOKKEEPING = {"sign_in_attempts", "sign_in_sessions", "api_tokens"}


def fingerprint(app: Flask) -> tuple:
    """Every row of every table but the bookkeeping, and the files under the instance folder."""
    db.session.expire_all()
    rows = tuple((table.name, tuple(tuple(row) for row in db.session.execute(
        table.select().order_by(*table.primary_key.columns)))) for table in db.metadata.sorted_tables
        if table.name not in BOOKKEEPING)
    files = tuple(sorted(str(path) for path in Path(app.instance_path).rglob("*") if path.is_file()))
    return rows, files
