"""seed-demo: the contract's accounts, dossiers in many states, idempotent, refuses foreign users."""
from ocop_tracker.accounts.models import User
from ocop_tracker.demo import DEMO_PASSWORD
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db

CONTRACT_ACCOUNTS = {
    "admin": "admin", "coop.viba": "producer", "coop.mytan": "producer", "coop.nhungvan": "producer",
    "officer.luongson": "officer", "officer.lacson": "officer", "council.luongson1": "council_member",
    "council.luongson2": "council_member", "council.luongson3": "council_member",
}


def test_seed_demo_creates_the_contract_accounts_and_dossiers(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for username, role in CONTRACT_ACCOUNTS.items():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        assert user.role == role and user.check_password(DEMO_PASSWORD)
        assert username in result.output
    states = set(db.session.scalars(db.select(Dossier.state)))
    assert {"draft", "vietgap", "district_review", "returned", "star_rating", "certified",
            "not_recognised"} <= states
    viba = db.session.scalar(db.select(User).filter_by(username="coop.viba")).organisation
    assert viba.unit.name == "Liên Sơn" and viba.unit.parent.name == "Lương Sơn"


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
