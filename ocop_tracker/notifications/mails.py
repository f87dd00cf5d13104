"""Composing event mails: subject, plain text and HTML from templates/emails/, in the recipient's language."""
from __future__ import annotations

import re

from flask import current_app
from flask_babel import force_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..accounts.models import User
from ..clock import local_day
from ..deadlines.queries import next_deadline
from ..deployment import absolute_url
from ..documents.changes import changes_since_return
from ..documents.services import document_checklist
from ..dossiers.models import dossier_code
from ..dossiers.placement import dossier_rules
from ..extensions import db
from ..labels import DOCUMENT_KIND_LABELS
from ..registry.services import current_certificate
from ..reviews.models import Council
from ..reviews.services import current_round

SUBJECT_PREFIX = "[OCOP] "
# One subject per mail template (templates/emails/event_<name>.txt and .html).
SUBJECTS = {
    "submitted": _l("Hồ sơ cần thẩm định: %(product)s"),
    "received": _l("Đã tiếp nhận hồ sơ %(product)s"),
    "returned": _l("Hồ sơ %(product)s cần bổ sung"),
    "forwarded": _l("Hồ sơ %(product)s đã được chuyển Hội đồng đánh giá"),
    "awaiting_score": _l("Hồ sơ chờ chấm điểm: %(product)s"),
    "rating_closed": _l("Kết quả chấm điểm hồ sơ %(product)s"),
    "certified": _l("%(product)s được công nhận sản phẩm OCOP %(star)s sao"),
    "not_recognised": _l("Hồ sơ %(product)s chưa đạt hạng OCOP"),
    "revoked": _l("Chứng nhận OCOP của %(product)s đã bị thu hồi"),
    "expired": _l("Chứng nhận OCOP của %(product)s đã hết hạn"),
    "sent_up": _l("Hồ sơ %(product)s đã được chuyển lên cấp tỉnh"),
    "to_review": _l("Hồ sơ chờ kiểm tra cấp tỉnh: %(product)s"),
    "to_decide": _l("Hồ sơ chờ quyết định công nhận: %(product)s"),
}


def _due(dossier, record) -> dict:
    """The first-level check's last day (the one this submission opened), when the calendar knows it."""
    deadline = next_deadline(dossier, local_day(record.at))
    return {"due_on": getattr(deadline, "due_on", None), "unit": dossier.review_unit}


def _submitted(dossier, record) -> dict:
    """The due date; on a resubmission, also what the producer changed since the return."""
    return _due(dossier, record) | {"changes": changes_since_return(dossier) if record.event == "resubmit" else []}


def _receipt(dossier, record) -> dict:
    """The producer's receipt: the due date, the dossier code to quote and the link to the printable receipt."""

    return _due(dossier, record) | {"code": dossier_code(dossier),
                                    "receipt_url": absolute_url("dossiers.receipt", dossier_id=dossier.id)}


def _flagged(dossier, record) -> dict:
    """The documents the officer marked as needing a supplement, with the officer's note."""
    checklist = document_checklist(dossier, dossier_rules(dossier), local_day(record.at))
    return {"flagged": [(DOCUMENT_KIND_LABELS.get(item.kind, item.kind), item.check.note) for item in checklist
                        if item.check is not None and item.check.outcome == "needs_supplement"]}


def _council(dossier, _record) -> dict:
    council = db.session.get(Council, dossier.rating_council_id) if dossier.rating_council_id else None
    return {"council": council}


def _rating(dossier, _record) -> dict:
    return {"evaluation": current_round(dossier)}


def _certificate(dossier, record) -> dict:
    """The certificate the event issued (or revoked, or let expire): the dossier's newest."""
    certificate = current_certificate(dossier)
    assert certificate is not None  # these mails follow an event that issued, revoked or expired one
    levels = dossier_rules(dossier).data["level_names"]
    return {"certificate": certificate, "star": certificate.star, "level_names": levels.get(certificate.recognised_by,
            {}), **_rating(dossier, record)}


FACTS = {
    "submitted": _submitted, "received": _receipt, "returned": _flagged, "forwarded": _council, "awaiting_score": _council,
    "rating_closed": _rating, "not_recognised": _rating, "certified": _certificate, "revoked": _certificate,
    "expired": _certificate, "sent_up": _rating, "to_review": _rating, "to_decide": _rating,
}


def event_context(template: str, dossier, record) -> dict:
    """What a template shows about the event; computed once per event, rendered once per recipient."""
    context = {"dossier": dossier, "record": record, "day": local_day(record.at), "product": dossier.product.name,
               "organisation": dossier.product.organisation.name,
               "dossier_url": absolute_url("dossiers.show", dossier_id=dossier.id),
               "profile_url": absolute_url("accounts.profile")}
    return context | FACTS[template](dossier, record)


def tidy(text: str) -> str:
    """Template tags leave stray spaces and blank lines; a plain-text mail should not show them."""
    lines = [line if line == "-- " else line.rstrip() for line in text.strip().splitlines()]  # "-- " opens a signature
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _words_of(translations) -> dict:
    """The templates' `gettext` and `ngettext` bound to one language's catalogue: what Jinja's i18n extension makes
    of Flask-Babel's (`newstyle`: escaped in HTML, then filled with `%`), without asking Flask-Babel for the
    language's catalogue again at every word."""
    @pass_context
    def gettext(context: Context, string: str, **variables) -> str:
        text = translations.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"gettext": gettext, "ngettext": ngettext}


def _environment(language: str) -> Environment:
    """The app's templates with this language's words, made once per language and process: rendering through it
    skips what `render_template` does per call (context processors, signals) that event mails do not use."""
    environments = current_app.extensions.setdefault("ocop.event_mail_environments", {})
    if language not in environments:
        with force_locale(language):
            translations = get_translations()
        environment = current_app.jinja_env.overlay()  # its own template cache; filters and loader shared
        environment.globals = {**current_app.jinja_env.globals, **_words_of(translations)}
        environments[language] = environment
    return environments[language]


def render_mail(template: str, recipient: User, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of one event mail in the recipient's language."""
    language = recipient.locale if recipient.locale in current_app.config["BABEL_SUPPORTED_LOCALES"] else "vi"
    environment = _environment(language)
    with force_locale(language):  # the labels and days the context holds are translated as they are shown
        subject = SUBJECT_PREFIX + str(SUBJECTS[template]) % context
        values = context | {"recipient": recipient, "language": language, "subject": subject}
        text = environment.get_template(f"emails/event_{template}.txt").render(values)
        html = environment.get_template(f"emails/event_{template}.html").render(values)
    return subject, tidy(text), html.strip() + "\n"
