"""Event mails are rendered without Flask's per-render work (context processors, signals, Babel's look-ups per
word): every mail of every notifying event must stay byte for byte what Flask's `render_template` under the
reader's locale gives, in Vietnamese and in English (issue 13)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from flask import current_app, render_template
from flask_babel import force_locale

from ocop_tracker.decisions.services import recognise_nationally
from ocop_tracker.documents.services import current_documents, record_document_check, upload_document
from ocop_tracker.dossiers.models import TransitionRecord
from ocop_tracker.extensions import db
from ocop_tracker.notifications.mails import SUBJECT_PREFIX, SUBJECTS, event_context, tidy
from ocop_tracker.notifications.models import SUBJECT_LENGTH, OutboxMail
from ocop_tracker.notifications.services import event_mails
from ocop_tracker.text_rules import header_value

from ..factories import (
    CENTRAL_TOTALS,
    DAY0,
    DISTRICT_ERA_DAY,
    PDF,
    decide,
    expiry_day,
    fire,
    new_dossier,
    score_all,
)


def rendered_by_flask(template: str, person, context: dict) -> tuple[str, str, str]:
    """The mail as Flask renders a page: `render_template` under `force_locale` (the renderer before issue 13)."""
    language = person.locale if person.locale in current_app.config["BABEL_SUPPORTED_LOCALES"] else "vi"
    with force_locale(language):
        subject = SUBJECT_PREFIX + str(SUBJECTS[template]) % context
        values = context | {"recipient": person, "language": language, "subject": subject}
        text = render_template(f"emails/event_{template}.txt", **values)
        html = render_template(f"emails/event_{template}.html", **values)
    return header_value(subject, limit=SUBJECT_LENGTH), tidy(text), html.strip() + "\n"


class Checked:
    """After each step, every mail its events queued is compared with Flask's rendering of the same mail."""

    def __init__(self) -> None:
        self.last_record = self.last_mail = 0
        self.templates: set[str] = set()

    def __call__(self, step, *args, **kwargs) -> None:
        step(*args, **kwargs)
        db.session.flush()
        records = db.session.scalars(db.select(TransitionRecord).where(TransitionRecord.id > self.last_record)
                                     .order_by(TransitionRecord.id)).all()
        queued = db.session.scalars(db.select(OutboxMail).where(OutboxMail.id > self.last_mail)
                                    .order_by(OutboxMail.id)).all()
        expected = []
        for record in records:
            for template, people in event_mails(record.dossier, record):
                context = event_context(template, record.dossier, record)
                self.templates.add(template)
                expected += [(person.id, f"event.{record.event}", *rendered_by_flask(template, person, context))
                             for person in people]
        assert [(m.recipient_id, m.kind, m.subject, m.body_text, m.body_html) for m in queued] == expected
        self.last_record = max([self.last_record, *(record.id for record in records)])
        self.last_mail = max([self.last_mail, *(mail.id for mail in queued)])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_event_mail_is_what_flask_renders(world, language):
    for user in world.users.values():
        user.locale, user.mail_preference = language, "immediate"
    checked = Checked()
    # The commune era: receipt, return with a flagged document, resubmission, the province, a decision, expiry.
    dossier = new_dossier(world, name="Chè <Mỹ Tân> & \"Hảo\"")  # escaped in the HTML part, as it is
    checked(fire, world, dossier, "submit", "producer")
    record_document_check(current_documents(dossier)["test_report"], actor=world["officer"],
                          outcome="needs_supplement", note="Thiếu mã vạch <b>")
    checked(fire, world, dossier, "return", "officer", comment="Bổ sung nhãn & mã vạch")
    upload_document(dossier, actor=world["producer"], kind="test_report", filename="test_report.pdf", data=PDF)
    checked(fire, world, dossier, "resubmit", "producer")
    checked(fire, world, dossier, "forward", "officer")
    checked(fire, world, dossier, "admit", "province_officer")
    score_all(world, dossier)
    checked(fire, world, dossier, "close_rating", "chair")
    checked(decide, world, dossier, number="7/QĐ-UBND <b>")  # not a dossier id: decide() numbers by id
    checked(fire, world, dossier, "expire", "system", day=expiry_day(dossier) + timedelta(days=1))
    # Revoked; not recognised; up to the national council and recognised there.
    for name, totals in (("Chè Tân Cương", None), ("Miến dong", ((15, 10, 10),) * 3), ("Bưởi Đoan Hùng", CENTRAL_TOTALS)):
        other = new_dossier(world, name=name)
        for event, who in (("submit", "producer"), ("forward", "officer"), ("admit", "province_officer")):
            checked(fire, world, other, event, who)
        score_all(world, other, *([totals] if totals else []))
        checked(fire, world, other, "close_rating", "chair")
        if totals is None:
            checked(decide, world, other)
            checked(fire, world, other, "revoke", "province_officer", grounds="Vi phạm nhãn")
        elif other.state == "central_review":
            checked(recognise_nationally, other, actor=world["province_officer"], version=other.version,
                    score=Decimal("93.5"), number="99/QĐ-BNNMT", signed_on=DAY0 + timedelta(days=20),
                    signer="Bộ trưởng", today=DAY0 + timedelta(days=20))
    # The district era: forwarded to the district's own council.
    district = new_dossier(world, name="Mật ong")
    checked(fire, world, district, "submit", "producer", day=DISTRICT_ERA_DAY)
    checked(fire, world, district, "forward", "district_officer", day=DISTRICT_ERA_DAY)
    assert checked.templates == set(SUBJECTS)  # every event mail there is was compared
