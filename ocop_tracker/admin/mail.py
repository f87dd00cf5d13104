"""The outbox for administrators: mails by status, the failed ones with every attempt, and retrying them."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..notifications.models import MAIL_STATUSES, MailAttempt, OutboxMail
from ..notifications.services import retry_failed_mails, retry_mail
from .forms import ButtonForm
from .views import bp, paginated


def _status_counts() -> dict[str, int]:
    rows = db.session.execute(db.select(OutboxMail.status, db.func.count(OutboxMail.id)).group_by(OutboxMail.status))
    return {status: 0 for status in MAIL_STATUSES} | dict(rows.all())


def _attempts_of(mails: list[OutboxMail]) -> dict[int, list[MailAttempt]]:
    """Every attempt of the listed mails, oldest first, in one query."""
    attempts: dict[int, list[MailAttempt]] = {mail.id: [] for mail in mails}
    if attempts:
        rows = db.session.scalars(db.select(MailAttempt).where(MailAttempt.mail_id.in_(attempts))
                                  .order_by(MailAttempt.id))
        for attempt in rows:
            attempts[attempt.mail_id].append(attempt)
    return attempts


@bp.get("/mail")
def mail_outbox():
    page = paginated(db.select(OutboxMail).filter_by(status="failed").order_by(OutboxMail.id.desc()))
    return render_template("admin/mail.html", counts=_status_counts(), page=page,
                           attempts=_attempts_of(page.items))


@bp.post("/mail/<int:mail_id>/retry")
def retry_outbox_mail(mail_id: int):
    mail = db.get_or_404(OutboxMail, mail_id)
    if ButtonForm().validate_on_submit():
        if retry_mail(mail, actor=current_user):
            db.session.commit()
            flash(_("Thư sẽ được gửi lại trong lần gửi tới."), "success")
        else:
            flash(_("Thư này không ở trạng thái gửi lỗi."), "warning")
    return redirect(url_for(".mail_outbox"))


@bp.post("/mail/retry-failed")
def retry_all_failed_mail():
    if ButtonForm().validate_on_submit():
        count = retry_failed_mails(actor=current_user)
        db.session.commit()
        flash(_("%(n)d thư sẽ được gửi lại trong lần gửi tới.", n=count), "success")
    return redirect(url_for(".mail_outbox"))
