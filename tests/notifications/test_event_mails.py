"""Event mails: who gets which mail, in their own language, with the facts of the event and a link back."""
from __future__ import annotations

import re
from datetime import UTC, date, timedelta
from decimal import Decimal
from html import unescape

from ocop_tracker.accounts.services import create_user
from ocop_tracker.decisions.services import recognise_nationally
from ocop_tracker.documents.services import current_documents, record_document_check, upload_document
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.registry.services import current_certificate

from ..factories import (
    DAY0,
    PASSWORD,
    PDF,
    decide,
    dossier_in_state,
    expiry_day,
    fire,
    new_dossier,
    score_all,
    upload_required_documents,
)

COUNCIL = {"chair@test.local", "member@test.local", "member3@test.local"}  # the provincial council
PROVINCE = "province_officer@test.local"  # the provincial OCOP office
# Letters Vietnamese has and English has not: an English mail shows them only inside names and quoted text.
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")


def mails(event: str, to: str | None = None) -> list[OutboxMail]:
    statement = db.select(OutboxMail).filter_by(kind=f"event.{event}").order_by(OutboxMail.id)
    found = list(db.session.scalars(statement))
    return [m for m in found if to is None or m.to_address == f"{to}@test.local"]


def only(event: str, to: str) -> OutboxMail:
    found = mails(event, to)
    assert len(found) == 1, [(m.to_address, m.subject) for m in mails(event)]
    return found[0]


def html_text(mail: OutboxMail) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", mail.body_html)))


def in_both_parts(mail: OutboxMail, *phrases: str) -> bool:
    return all(p in mail.body_text and p in html_text(mail) for p in phrases)


def _flag(world, dossier: Dossier, kind: str, note: str) -> None:
    record_document_check(current_documents(dossier)[kind], actor=world["officer"], outcome="needs_supplement",
                          note=note)


def test_submit_mails_the_unit_officers_and_a_receipt_to_the_producer(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer")
    officer = only("submit", "officer")
    assert officer.subject == "[OCOP] Hồ sơ cần thẩm định: Chè Mỹ Tân"
    assert in_both_parts(officer, "HTX Chuối Viba đã nộp hồ sơ Chè Mỹ Tân ngày 02/03/2026.",
                         "Hạn kiểm tra hồ sơ: 23/03/2026.")
    receipt = only("submit", "producer")
    assert receipt.subject == "[OCOP] Đã tiếp nhận hồ sơ Chè Mỹ Tân" and receipt.dossier_id == dossier.id
    assert in_both_parts(receipt, "đã được tiếp nhận ngày 02/03/2026",
                         "Cơ quan thẩm định (Liên Sơn) sẽ kiểm tra hồ sơ chậm nhất đến ngày 23/03/2026.")
    assert {m.to_address for m in mails("submit")} == {"officer@test.local", "producer@test.local"}


def test_english_reader_gets_english_subject_and_body(world):
    world["producer"].locale = "en"
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer")
    receipt = only("submit", "producer")
    assert receipt.subject == "[OCOP] Your dossier for Chè Mỹ Tân was received"
    assert in_both_parts(receipt, "Your dossier for Chè Mỹ Tân was received on 2 Mar 2026.",
                         "will check it by 23 Mar 2026 at the latest", "Open the dossier")
    assert only("submit", "officer").subject.startswith("[OCOP] Hồ sơ cần thẩm định")


def test_summary_preference_inactive_and_addressless_users_get_no_event_mail(world):
    # Officers of the commune that checks the dossier: they would get the mail but for their settings.
    quiet = create_user(username="officer_summary", password=PASSWORD, role="officer", unit=world.commune,
                        email="officer_summary@test.local")
    quiet.mail_preference = "summary"
    gone = create_user(username="officer_gone", password=PASSWORD, role="officer", unit=world.commune,
                       email="officer_gone@test.local")
    gone.active = False
    create_user(username="officer_no_mail", password=PASSWORD, role="officer", unit=world.commune)
    fire(world, new_dossier(world), "submit", "producer")
    assert [m.to_address for m in mails("submit") if "officer" in m.to_address] == ["officer@test.local"]


def test_return_carries_the_reasons_and_the_flagged_documents(world):
    dossier = dossier_in_state(world, "district_review")
    _flag(world, dossier, "business_licence", "Bản chụp mờ, cần bản rõ")
    fire(world, dossier, "return", "officer", comment="Thiếu giấy phép rõ ràng")
    mail = only("return", "producer")
    assert mail.subject == "[OCOP] Hồ sơ Chè Mỹ Tân cần bổ sung"
    assert in_both_parts(mail, "Lý do:", "Thiếu giấy phép rõ ràng", "Tài liệu cần bổ sung:",
                         "Giấy chứng nhận đăng ký doanh nghiệp/hợp tác xã/hộ kinh doanh: Bản chụp mờ, cần bản rõ")
    assert "officer@test.local" not in {m.to_address for m in mails("return")}


def test_resubmit_tells_officers_it_came_back(world):
    dossier = dossier_in_state(world, "returned")
    fire(world, dossier, "resubmit", "producer", day=DAY0 + timedelta(days=2))
    assert "đã nộp lại hồ sơ Chè Mỹ Tân sau khi bổ sung, ngày 04/03/2026" in only("resubmit", "officer").body_text
    assert "đã được tiếp nhận ngày 04/03/2026" in only("resubmit", "producer").body_text


def test_forward_mails_the_provincial_office_and_tells_the_producer_it_went_up(world):
    dossier = dossier_in_state(world, "district_review")
    fire(world, dossier, "forward", "officer")
    assert {m.to_address for m in mails("forward")} == {PROVINCE, "producer@test.local"}  # no council yet
    office = only("forward", "province_officer")
    assert office.subject == "[OCOP] Hồ sơ chờ kiểm tra cấp tỉnh: Chè Mỹ Tân"
    assert in_both_parts(office, "Hồ sơ Chè Mỹ Tân của HTX Chuối Viba chờ cơ quan OCOP cấp tỉnh kiểm tra",
                         "02/03/2026")
    producer = only("forward", "producer")
    assert producer.subject == "[OCOP] Hồ sơ Chè Mỹ Tân đã được chuyển lên cấp tỉnh"
    assert in_both_parts(producer, "được chuyển lên cơ quan OCOP cấp tỉnh ngày 02/03/2026")


def test_forward_from_a_unit_placed_under_no_province_still_tells_the_producer(world):
    """A unit left without a province above it has no provincial office to mail: the forward is not refused for it
    (it failed with an AttributeError when the mail looked for that province's officers)."""
    dossier = dossier_in_state(world, "district_review")
    world.district.parent = None  # the commune's chain now ends at its district
    fire(world, dossier, "forward", "officer")
    assert dossier.state == "provincial_review"
    assert {m.to_address for m in mails("forward")} == {"producer@test.local"}


def test_admit_mails_the_producer_and_the_council_members(world):
    dossier = dossier_in_state(world, "provincial_review")
    fire(world, dossier, "admit", "province_officer")
    assert {m.to_address for m in mails("admit")} == COUNCIL | {"producer@test.local"}
    assert "được chuyển đến Hội đồng OCOP tỉnh Phú Thọ" in only("admit", "producer").body_text
    chair = only("admit", "chair")
    assert chair.subject == "[OCOP] Hồ sơ chờ chấm điểm: Chè Mỹ Tân"
    assert in_both_parts(chair, "Mời bạn chấm điểm các phần A, B, C")


def test_rating_within_the_provinces_authority_mails_it_to_decide_and_the_producer_the_score(world):
    dossier = dossier_in_state(world, "star_rating")
    fire(world, dossier, "close_rating", "chair")
    assert dossier.state == "awaiting_decision" and current_certificate(dossier) is None
    assert {m.to_address for m in mails("close_rating")} == {PROVINCE, "producer@test.local"}
    office = only("close_rating", "province_officer")
    assert office.subject == "[OCOP] Hồ sơ chờ quyết định công nhận: Chè Mỹ Tân"
    assert in_both_parts(office, "62,00", "3 sao", "chờ quyết định công nhận")
    producer = only("close_rating", "producer")
    assert producer.subject == "[OCOP] Kết quả chấm điểm hồ sơ Chè Mỹ Tân"
    assert in_both_parts(producer, "Điểm Hội đồng", "62,00", "3 sao")
    assert "được công nhận" not in producer.subject  # nothing is recognised before the chairman's decision


def test_recognition_decision_mails_the_producer_the_certificate_from_its_signing_day(world):
    dossier = dossier_in_state(world, "awaiting_decision")
    signed_on = DAY0 + timedelta(days=10)
    decide(world, dossier, day=signed_on)
    certificate = current_certificate(dossier)
    assert certificate.issued_on == signed_on and certificate.decision_id is not None
    assert {m.to_address for m in mails("decide")} == {"producer@test.local"}
    producer = only("decide", "producer")
    assert producer.subject == "[OCOP] Chè Mỹ Tân được công nhận sản phẩm OCOP 3 sao"
    assert in_both_parts(producer, certificate.code, "Ngày cấp", "12/03/2026", "Có hiệu lực đến hết ngày",
                         "12/03/2029", "Cấp công nhận", "UBND tỉnh", "62,00")


def test_decision_not_recognising_the_product_says_not_recognised(world):
    dossier = dossier_in_state(world, "awaiting_decision")
    decide(world, dossier, outcome="not_recognise")
    assert dossier.state == "not_recognised" and current_certificate(dossier) is None
    mail = only("decide", "producer")
    assert mail.subject == "[OCOP] Hồ sơ Chè Mỹ Tân chưa đạt hạng OCOP"
    assert in_both_parts(mail, "mở lại hồ sơ")


def test_rating_below_three_stars_says_not_recognised(world):
    dossier_in_state(world, "not_recognised")
    mail = only("close_rating", "producer")
    assert mail.subject == "[OCOP] Hồ sơ Chè Mỹ Tân chưa đạt hạng OCOP"
    assert in_both_parts(mail, "được 35,00 điểm", "mở lại hồ sơ")


def test_upgrade_that_keeps_the_held_star_tells_the_producer_the_result_not_a_new_certificate(world):
    dossier = dossier_in_state(world, "upgrade")
    held = current_certificate(dossier)
    db.session.execute(db.delete(OutboxMail))  # the first round's mails; only the upgrade's are looked at
    upload_required_documents(dossier, world["producer"])
    for event, who in (("submit", "producer"), ("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who, day=DAY0 + timedelta(days=7))
    score_all(world, dossier)  # 62 again: 3★, no higher than the certificate it holds
    fire(world, dossier, "close_rating", "chair", day=DAY0 + timedelta(days=7))
    assert dossier.state == "certified" and current_certificate(dossier).id == held.id
    mail = only("close_rating", "producer")
    assert mail.subject == "[OCOP] Kết quả chấm điểm hồ sơ Chè Mỹ Tân"
    assert in_both_parts(mail, "62,00", "3 sao")
    assert {m.to_address for m in mails("close_rating")} == {"producer@test.local"}


def test_national_recognition_mails_the_certificate_with_the_national_score(world):
    dossier = dossier_in_state(world, "central_review")
    assert "Hội đồng Trung ương" in only("close_rating", "producer").body_text
    recognise_nationally(dossier, actor=world["province_officer"], version=dossier.version, score=Decimal("93.5"),
                         number="99/QĐ-BNNMT", signed_on=DAY0 + timedelta(days=20), signer="Bộ trưởng",
                         today=DAY0 + timedelta(days=20))
    mail = only("recognise", "producer")
    assert mail.subject == "[OCOP] Chè Mỹ Tân được công nhận sản phẩm OCOP 5 sao"
    assert in_both_parts(mail, "Điểm Hội đồng Trung ương: 93,50", current_certificate(dossier).code, "22/03/2026",
                         "Bộ Nông nghiệp và Môi trường")


def test_revoke_carries_the_grounds(world):
    dossier = dossier_in_state(world, "certified")
    fire(world, dossier, "revoke", "province_officer", grounds="Nhãn sai quy định")
    mail = only("revoke", "producer")
    assert mail.subject == "[OCOP] Chứng nhận OCOP của Chè Mỹ Tân đã bị thu hồi"
    assert in_both_parts(mail, "Căn cứ thu hồi:", "Nhãn sai quy định", current_certificate(dossier).code)


def test_expiry_mails_the_producer(world):
    dossier = dossier_in_state(world, "expired")
    mail = only("expire", "producer")
    assert mail.subject == "[OCOP] Chứng nhận OCOP của Chè Mỹ Tân đã hết hạn"
    assert expiry_day(dossier) == date(2029, 3, 2)  # signed 02/03/2026: valid through that day, expired after it
    assert in_both_parts(mail, "đã hết hiệu lực", "có hiệu lực đến hết ngày 02/03/2029")


def test_links_point_back_to_the_dossier_under_base_url(app, world):
    app.config["BASE_URL"] = "https://ocop.hoabinh.example/"
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer")
    mail = only("submit", "officer")
    link = f"https://ocop.hoabinh.example/dossiers/{dossier.id}"
    assert f"Xem hồ sơ: {link}" in mail.body_text and f'href="{link}"' in mail.body_html
    assert 'href="https://ocop.hoabinh.example/profile"' in mail.body_html


def test_every_event_mail_reads_in_english_for_english_readers(world):
    for user in world.users.values():
        user.locale = "en"
    dossier = dossier_in_state(world, "district_review")
    _flag(world, dossier, "test_report", "Thiếu mã vạch")
    fire(world, dossier, "return", "officer", comment="Bổ sung nhãn")
    upload_document(dossier, actor=world["producer"], kind="test_report", filename="test_report.pdf", data=PDF)
    fire(world, dossier, "resubmit", "producer")
    fire(world, dossier, "forward", "officer")  # the flagged report replaced: nothing holds the forward back
    fire(world, dossier, "admit", "province_officer")
    score_all(world, dossier)
    fire(world, dossier, "close_rating", "chair")
    decide(world, dossier, number="7/QĐ-UBND")
    fire(world, dossier, "expire", "system", day=expiry_day(dossier) + timedelta(days=1))
    names = ("Chè Mỹ Tân", "HTX Chuối Viba", "Hội đồng OCOP tỉnh Phú Thọ", "Phú Thọ", "Liên Sơn", "Thiếu mã vạch",
             "Bổ sung nhãn", "7/QĐ-UBND", "Nguyễn Văn A")
    all_mails = list(db.session.scalars(db.select(OutboxMail)))
    assert {m.kind for m in all_mails} >= {"event.submit", "event.return", "event.resubmit", "event.forward",
                                           "event.admit", "event.close_rating", "event.decide", "event.expire"}
    vietnamese = []  # (mail, the line still in Vietnamese once the names are taken out)
    for mail in all_mails:
        for part in (mail.subject, mail.body_text, html_text(mail)):
            for name in names:
                part = part.replace(name, "")
            vietnamese += [(mail.kind, mail.to_address, line) for line in part.splitlines()
                           if VIETNAMESE_LETTERS.search(line)]
    assert not vietnamese


def test_an_event_after_midnight_in_vietnam_is_mailed_with_its_vietnamese_day(world):
    """00:30 on 3/3 in Hà Nội is 17:30 UTC on 2/3: the mail (and its deadline) take the Vietnamese day."""
    from datetime import datetime

    from ocop_tracker.dossiers.models import TransitionRecord
    from ocop_tracker.notifications.mails import event_context

    dossier = new_dossier(world)
    record: TransitionRecord = fire(world, dossier, "submit", "producer")
    db.session.commit()
    db.session.refresh(record)
    db.session.expunge(record)  # history rows are immutable: the stored time is moved on a detached copy
    record.at = datetime(2026, 3, 2, 17, 30)  # as SQLite hands it back: UTC without its zone
    assert event_context("submitted", dossier, record)["day"] == date(2026, 3, 3)
    record.at = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)  # as PostgreSQL does
    assert event_context("submitted", dossier, record)["day"] == date(2026, 3, 3)
