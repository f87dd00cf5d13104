"""seed-demo: the contract's accounts, dossiers in many states, idempotent, refuses foreign users."""
from datetime import date

from ocop_tracker.accounts.models import User
from ocop_tracker.clock import today as clock_today
from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.demo import DEMO_PASSWORD
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.permissions import can_fire
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import EvaluationBatch, EvaluationRound
from ocop_tracker.workflow import STATES

CONTRACT_ACCOUNTS = {
    "admin": "admin", "officer.phutho": "officer", "council.phutho1": "council_member",
    "council.phutho2": "council_member", "council.phutho3": "council_member", "officer.caoduong": "officer",
    "officer.lienson": "officer", "coop.viba": "producer", "coop.mytan": "producer", "coop.nhungvan": "producer",
    "officer.luongson": "officer", "officer.lacson": "officer", "council.luongson1": "council_member",
    "council.luongson2": "council_member", "council.luongson3": "council_member",
}


def test_seed_demo_creates_the_contract_accounts_and_every_state(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for username, role in CONTRACT_ACCOUNTS.items():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        assert user.role == role and user.check_password(DEMO_PASSWORD)
        assert username in result.output
    assert set(db.session.scalars(db.select(Dossier.state))) == set(STATES)
    viba = db.session.scalar(db.select(User).filter_by(username="coop.viba")).organisation
    assert viba.unit.name == "Liên Sơn" and viba.unit.parent.name == "Lương Sơn"
    assert viba.unit.ancestor_at("province").name == "Phú Thọ" and viba.unit.parent.abolished_on == date(2025, 7, 1)


def test_demo_keeps_the_district_era_history_and_waits_for_a_decision(app):
    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    rule_sets = set(db.session.scalars(db.select(EvaluationRound.rule_set).where(EvaluationRound.rule_set.is_not(None))))
    assert {"qd1048-2019-district", "qd148-2023-district", "qd1489-2025-commune", "qd26-2026-commune"} <= rule_sets
    bodies = set(db.session.scalars(db.select(RecognitionDecision.body)))
    assert {"UBND tỉnh Hòa Bình", "UBND huyện Lương Sơn", "UBND tỉnh Phú Thọ"} <= bodies
    waiting = db.session.scalars(db.select(Dossier).filter_by(state="awaiting_decision")).all()
    assert len(waiting) >= 2 and {d.level for d in waiting} == {"province"}
    batch = db.session.scalar(db.select(EvaluationBatch).where(EvaluationBatch.filing_cutoff >= clock_today()))
    assert batch is not None and batch.closed_on is None  # an open batch takes the provincial review's files
    phutho = db.session.scalar(db.select(User).filter_by(username="officer.phutho"))
    assert all(can_fire(phutho, dossier, "decide") for dossier in waiting)


def test_seed_demo_twice_changes_nothing(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo", "--quiet"])
    count = db.session.scalar(db.select(db.func.count(Dossier.id)))
    result = runner.invoke(args=["seed-demo", "--quiet"])
    assert "already present" in result.output
    assert db.session.scalar(db.select(db.func.count(Dossier.id))) == count


def test_seed_demo_refuses_a_database_with_other_users(app, world):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "other users" in result.output
    assert db.session.scalar(db.select(User.id).filter_by(username="coop.viba")) is None


def test_demo_returned_dossier_has_reasons_beside_its_documents(app):
    from ocop_tracker.documents.models import DocumentCheck

    app.test_cli_runner().invoke(args=["seed-demo", "--quiet"])
    flagged = db.session.scalars(db.select(DocumentCheck).filter_by(outcome="needs_supplement")).all()
    assert {check.document.kind for check in flagged} == {"business_licence", "self_assessment"}
    assert all(db.session.get(Dossier, check.document.dossier_id).state == "returned" for check in flagged)
