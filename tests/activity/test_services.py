"""Every service that changes something a person did writes one activity entry: its action, actor, dossier,
object and what changed — never a password or a token."""
from __future__ import annotations

import json
from datetime import date

import pytest

from ocop_tracker.accounts.models import AdministrativeUnit, Organisation
from ocop_tracker.accounts.services import (
    add_user,
    change_password,
    edit_user,
    reset_password,
    set_user_active,
    update_profile,
)
from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.admin.services import (
    add_council_member,
    create_council,
    remove_council_member,
    save_organisation,
    save_unit,
    set_council_chair,
)
from ocop_tracker.api.tokens import issue_api_token, revoke_api_token
from ocop_tracker.batches.services import close_batch, open_batch
from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.deadlines.services import extend_deadline
from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.decisions.services import attach_decision_file
from ocop_tracker.documents.services import current_documents, record_document_check, record_vietgap
from ocop_tracker.extensions import db
from ocop_tracker.labels import ACTIVITY_LABELS
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.reviews.models import Council, Score
from ocop_tracker.rules.models import CalendarDay, CalendarYear
from ocop_tracker.rules.services import add_calendar_day, add_calendar_year, remove_calendar_day, set_calendar_source

from ..factories import BANANA, DAY0, PASSWORD, PDF, TEA, dossier_in_state, new_dossier, self_assess

NEW_PASSWORD = "another-secret-pass-2"
SECRETS: list[str] = [PASSWORD, NEW_PASSWORD]  # raw API tokens are added as they are issued


def _document_check(world):
    dossier = dossier_in_state(world, "district_review")
    document = current_documents(dossier)["registration_form"]
    record_document_check(document, actor=world["officer"], outcome="needs_supplement", note="Thiếu chữ ký")
    return "officer", dossier, document, {"kind": "registration_form", "outcome": "needs_supplement",
                                          "note": "Thiếu chữ ký"}


def _vietgap(world):
    dossier = new_dossier(world, set_number=BANANA)
    record = record_vietgap(dossier, actor=world["producer"], certificate_no="VG-9", issuer="VIETCERT",
                            issued_on=date(2026, 1, 5), valid_until=date(2028, 1, 4))
    return "producer", dossier, record, {"certificate_no": "VG-9", "valid_until": "2028-01-04"}


def _score(world):
    dossier = dossier_in_state(world, "star_rating")  # the three members scored through score_dossier
    score = db.session.scalar(db.select(Score).filter_by(member_id=world["member3"].id))
    # Not on the dossier's page: who scored stays hidden from members who have not scored yet.
    return "member3", None, score, {"dossier_id": dossier.id, "changes": {
        "part_a": [None, "26"], "part_b": [None, "17"], "part_c": [None, "19"]}}


def _self_assessment(world):
    dossier = new_dossier(world)
    evaluation = self_assess(dossier, actor=world["producer"], parts={"A": 30, "B": 20, "C": 25})
    return "producer", dossier, evaluation, {"changes": {"self_part_a": [None, "30"], "self_part_b": [None, "20"],
                                                         "self_part_c": [None, "25"]}}


def _extension(world):
    dossier = dossier_in_state(world, "district_review")
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind="first_level_check"))
    extend_deadline(deadline, actor=world["officer"], new_due_on=date(2026, 4, 3), reason="Chờ kiểm nghiệm",
                    today=DAY0)
    return "officer", dossier, deadline, {"from": "2026-03-23", "to": "2026-04-03", "reason": "Chờ kiểm nghiệm"}


def _decision(world):
    dossier = dossier_in_state(world, "certified")  # decided through record_decision
    decision = db.session.scalar(db.select(RecognitionDecision))
    return "province_officer", None, decision, {"number": f"{dossier.id}/QĐ-UBND", "lines": [
        {"dossier_id": dossier.id, "outcome": "recognise"}]}


def _decision_file(world):
    _decision(world)
    decision = db.session.scalar(db.select(RecognitionDecision))
    attach_decision_file(decision, actor=world["province_officer"], filename="qd.pdf", data=PDF)
    return "province_officer", None, decision, {"file_name": "qd.pdf", "replaced": None}


def _batch(world, close: bool = False):
    batch = open_batch(actor=world["province_officer"], unit=world.province, name="Đợt 1 năm 2027",
                       filing_cutoff=date(2027, 4, 30), decision_due=date(2027, 6, 30))
    if close:
        close_batch(batch, actor=world["province_officer"], today=DAY0)
        return "province_officer", None, batch, {"closed_on": DAY0.isoformat()}
    return "province_officer", None, batch, {"name": "Đợt 1 năm 2027", "decision_due": "2027-06-30"}


def _product(world):
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    product = create_product(actor=world["producer"], name="Chè Shan", product_set=product_set)
    return "producer", None, product, {"name": "Chè Shan"}


def _new_user(world):
    user = add_user(actor=world["admin"], username="newcomer", password=PASSWORD, role="officer", unit=world.commune)
    return "admin", None, user, {"username": "newcomer", "changes": {
        "role": [None, "officer"], "unit_id": [None, world.commune.id], "locale": [None, "vi"]}}


def _edited_user(world):
    user = world["officer"]
    edit_user(user, actor=world["admin"], full_name="Lê Văn Cán", email=user.email, role="officer",
              organisation=None, unit=world.other_commune, locale="en")
    return "admin", None, user, {"changes": {"full_name": ["", "Lê Văn Cán"], "locale": ["vi", "en"],
                                             "unit_id": [world.commune.id, world.other_commune.id]}}


def _password_reset(world):
    reset_password(world["officer"], actor=world["admin"], password=NEW_PASSWORD)
    return "admin", None, world["officer"], {"username": "officer"}


def _active(world, active: bool):
    set_user_active(world["officer"], False, actor=world["admin"])
    if active:
        set_user_active(world["officer"], True, actor=world["admin"])
    return "admin", None, world["officer"], {"changes": {"active": [not active, active]}}


def _unit(world, update: bool = False):
    unit = save_unit(None, actor=world["admin"], code="P-C9", name="Xã Mới", level="commune", parent=world.province)
    if update:
        save_unit(unit, actor=world["admin"], code="P-C9", name="Xã Mới Hợp Nhất", level="commune",
                  parent=world.province)
        return "admin", None, unit, {"changes": {"name": ["Xã Mới", "Xã Mới Hợp Nhất"]}}
    return "admin", None, unit, {"changes": {"code": [None, "P-C9"], "name": [None, "Xã Mới"],
                                             "level": [None, "commune"], "parent_id": [None, world.province.id]}}


def _organisation(world, update: bool = False):
    organisation = world["producer"].organisation
    if update:
        save_organisation(organisation, actor=world["admin"], name=organisation.name, kind="enterprise",
                          unit=organisation.unit, phone="0912 345 678")
        return "admin", None, organisation, {"changes": {"kind": ["cooperative", "enterprise"],
                                                         "phone": [None, "0912 345 678"]}}
    created = save_organisation(None, actor=world["admin"], name="HTX Mới", kind="cooperative", unit=world.commune)
    return "admin", None, created, {"changes": {"name": [None, "HTX Mới"], "kind": [None, "cooperative"],
                                                "unit_id": [None, world.commune.id], "contact_public": [None, False]}}


def _council(world, step: str = "create"):
    council = create_council(world.commune, actor=world["admin"], name="Hội đồng xã")
    if step == "create":
        return "admin", None, council, {"name": "Hội đồng xã", "unit_id": world.commune.id}
    first = add_council_member(council, world["member"], actor=world["admin"])
    second = add_council_member(council, world["member3"], actor=world["admin"])
    seat = {"add_member": second, "set_chair": second, "remove_member": first}[step]
    if step == "set_chair":
        set_council_chair(second, actor=world["admin"])
    if step == "remove_member":
        set_council_chair(second, actor=world["admin"])
        remove_council_member(first, actor=world["admin"])
    return "admin", None, council, {"user_id": seat.user_id, "username": seat.user.username}


def _calendar(world, step: str):
    calendar_year = add_calendar_year(actor=world["admin"], year=2099, source="Dự kiến")
    if step == "add_year":
        return "admin", None, None, {"year": 2099, "source": "Dự kiến"}
    if step == "set_source":
        set_calendar_source(calendar_year, actor=world["admin"], source="Thông báo 1/2099")
        return "admin", None, None, {"year": 2099, "changes": {"source": ["Dự kiến", "Thông báo 1/2099"]}}
    day = add_calendar_day(actor=world["admin"], day=date(2099, 3, 3), kind="holiday", name_vi="Nghỉ lễ")
    if step == "remove_day":
        remove_calendar_day(day, actor=world["admin"])
    return "admin", None, None, {"day": "2099-03-03", "kind": "holiday", "name_vi": "Nghỉ lễ"}


def _profile(world):
    user = world["producer"]
    update_profile(user, actor=user, full_name="Nguyễn Thị Hoa", email="hoa@test.local", locale="en")
    return "producer", None, user, {"changes": {"full_name": ["", "Nguyễn Thị Hoa"], "locale": ["vi", "en"],
                                                "email": ["producer@test.local", "hoa@test.local"]}}


def _own_password(world):
    user = world["producer"]
    change_password(user, actor=user, current_password=PASSWORD, new_password=NEW_PASSWORD, keep_token=None)
    return "producer", None, user, {}


def _token(world, revoke: bool = False):
    user = world["producer"]
    raw, token = issue_api_token(user, actor=user, name="Máy trạm")
    SECRETS.append(raw)
    if revoke:
        revoke_api_token(token, actor=world["admin"])
        return "admin", None, user, {"token_id": token.id, "name": "Máy trạm"}
    return "producer", None, user, {"token_id": token.id, "name": "Máy trạm"}


CASES = {
    "documents.check": _document_check,
    "documents.vietgap": _vietgap,
    "reviews.score": _score,
    "reviews.self_assessment": _self_assessment,
    "deadlines.extend": _extension,
    "decisions.record": _decision,
    "decisions.attach_file": _decision_file,
    "batches.open": _batch,
    "batches.close": lambda world: _batch(world, close=True),
    "product.create": _product,
    "admin.user.create": _new_user,
    "admin.user.update": _edited_user,
    "admin.user.reset_password": _password_reset,
    "admin.user.deactivate": lambda world: _active(world, False),
    "admin.user.reactivate": lambda world: _active(world, True),
    "admin.unit.create": _unit,
    "admin.unit.update": lambda world: _unit(world, update=True),
    "admin.organisation.create": _organisation,
    "admin.organisation.update": lambda world: _organisation(world, update=True),
    "admin.council.create": _council,
    "admin.council.add_member": lambda world: _council(world, "add_member"),
    "admin.council.set_chair": lambda world: _council(world, "set_chair"),
    "admin.council.remove_member": lambda world: _council(world, "remove_member"),
    "admin.calendar.add_year": lambda world: _calendar(world, "add_year"),
    "admin.calendar.set_source": lambda world: _calendar(world, "set_source"),
    "admin.calendar.add_day": lambda world: _calendar(world, "add_day"),
    "admin.calendar.remove_day": lambda world: _calendar(world, "remove_day"),
    "account.update_profile": _profile,
    "account.change_password": _own_password,
    "account.issue_token": _token,
    "account.revoke_token": lambda world: _token(world, revoke=True),
}


@pytest.mark.parametrize("action", CASES)
def test_the_service_logs_what_it_changed(world, action):
    actor, dossier, obj, expected = CASES[action](world)
    db.session.commit()
    entry = db.session.scalars(db.select(ActivityRecord).filter_by(action=action)
                               .order_by(ActivityRecord.id.desc())).first()
    assert entry is not None, f"{action} wrote no activity entry"
    assert (entry.actor_name, entry.dossier_id) == (actor, getattr(dossier, "id", None))
    assert (entry.object_type, entry.object_id) == ((type(obj).__name__, obj.id) if obj is not None else ("", None))
    assert {key: entry.data.get(key) for key in expected} == expected
    stored = json.dumps([row.data for row in db.session.scalars(db.select(ActivityRecord))], ensure_ascii=False)
    assert not [secret for secret in SECRETS if secret in stored]
    assert action in ACTIVITY_LABELS  # the dossier page and the admin log name it in words


def test_a_council_change_is_listed_on_the_council_not_the_seat(world):
    _council(world, "remove_member")
    db.session.commit()
    council = db.session.scalar(db.select(Council).filter_by(unit_id=world.commune.id))
    logged = db.session.scalars(db.select(ActivityRecord.action).filter_by(object_type="Council",
                                                                            object_id=council.id)).all()
    assert logged == ["admin.council.create", "admin.council.add_member", "admin.council.add_member",
                      "admin.council.set_chair", "admin.council.remove_member"]


def test_a_whole_review_is_one_entry_not_one_per_document(world):
    from ocop_tracker.documents.services import review_documents

    dossier = dossier_in_state(world, "district_review")
    verdicts = {doc.id: ("accepted", "") for doc in current_documents(dossier).values()}
    review_documents(dossier, actor=world["officer"], verdicts=verdicts)
    db.session.commit()
    actions = db.session.scalars(db.select(ActivityRecord.action).filter_by(dossier_id=dossier.id)
                                 .where(ActivityRecord.action.like("documents.%"))).all()
    assert actions.count("documents.review") == 1 and "documents.check" not in actions


def test_a_refused_change_logs_nothing(world):
    with pytest.raises(Exception):  # noqa: B017 - whichever refusal the rule gives, nothing may be logged
        save_unit(None, actor=world["admin"], code="P", name="Trùng mã", level="commune", parent=world.province)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(ActivityRecord.id)).where(
        ActivityRecord.action.like("admin.%"))) == 0
    assert db.session.get(AdministrativeUnit, world.province.id) is not None
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 2
    assert db.session.get(CalendarYear, 2099) is None and db.session.scalar(
        db.select(CalendarDay.id).filter_by(year=2099)) is None
