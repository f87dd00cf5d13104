"""Form fuzzing: every form-posting page, signed in as someone who may use it, gets adversarial values in every field
(huge, control characters, NUL, surrogate bytes, emoji, numbers out of range, impossible dates). Never a 500; a
refusal shows the form again with a message."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import quote_from_bytes

import pytest

from ocop_tracker.accounts.forms import (
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    LogoutForm,
    PasswordForm,
    ProfileForm,
)
from ocop_tracker.accounts.forms import ResetPasswordForm as ChooseNewPasswordForm
from ocop_tracker.accounts.password_reset import request_password_reset
from ocop_tracker.admin.calendar import CalendarDayForm, CalendarSourceForm, CalendarYearForm
from ocop_tracker.admin.forms import (
    ButtonForm,
    CouncilForm,
    CouncilMemberForm,
    NewUserForm,
    OrganisationForm,
    ResetPasswordForm,
    UnitForm,
    UserForm,
)
from ocop_tracker.batches.forms import CloseBatchForm, OpenBatchForm
from ocop_tracker.deadlines.forms import extend_form
from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.decisions.forms import DecisionFileForm, DecisionForm
from ocop_tracker.documents.forms import ReviewForm, UploadForm, check_form
from ocop_tracker.documents.services import current_documents
from ocop_tracker.dossiers.forms import AssignmentForm, ProductForm, VietGapForm, event_form
from ocop_tracker.dossiers.receipt import FilingForm
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reports.forms import RefreshForm
from ocop_tracker.reviews.models import Council, CouncilMember, EvaluationBatch
from ocop_tracker.reviews.services import current_round
from ocop_tracker.reviews.sheet_forms import self_assessment_sheet_form, sheet_score_form
from ocop_tracker.reviews.sheet_scoring import round_sheet
from ocop_tracker.rules.models import CalendarDay
from ocop_tracker.rules.sheets import Sheet

from .factories import BANANA, PDF, dossier_in_state, new_dossier

pytestmark = pytest.mark.slow  # every form with many values; `make test-quick` leaves it out

# One adversarial value per kind of trouble; raw bytes, so that bytes which are no UTF-8 can be sent too.
VALUES = [
    b"",
    b"x" * 60_000,  # far past every limit, well within the request size the server takes
    b"Cao\r\nBcc: attacker@example.com",
    b"\x00",
    b"a\x00b\x1b[31m\x7f",
    b"\xed\xa0\x80 \xff\xfe\xc0\xaf",  # a lone surrogate's bytes, and bytes that are no UTF-8 at all
    "👨‍👩‍👧 Chè 🍵 \u202egpj.exe \u2028".encode(),
    b"-1",
    b"99999999999999999999999999",
    b"1e309",
    b"NaN",
    b"-0.000001",
    b"0001-01-01",
    b"9999-12-31",
    b"2026-02-30",
    b"31/12/2026",
    b"<script>alert(1)</script>' OR 1=1 -- %s%(x)s{0}",
]
RESET_LINK = re.compile(r"/password/reset/([A-Za-z0-9_-]+)")
ERROR_MARKERS = ("invalid-feedback", "alert-danger", "alert-warning")
# Pages that answer a good POST with 200 (a confirmation, not the form again).
CONFIRMS_WITH_200 = {"accounts.forgot_password"}


@dataclass
class Target:
    """One form-posting page: who posts, where, the field names, and the values kept valid in the second sweep."""

    endpoint: str
    who: str | None
    url: str
    fields: list[str]
    valid: dict[str, Callable[[], str]] = field(default_factory=dict)
    files: tuple[str, ...] = ()


def _sheet(dossier) -> Sheet:
    """The official sheet its round is scored on (every dossier of the scene is filed under QĐ 1489)."""
    sheet = round_sheet(current_round(dossier), dossier)
    assert sheet is not None
    return sheet


def _names(form) -> list[str]:
    return [f.name for f in form if f.type != "CSRFTokenField"]


def _encoded(values: dict[str, bytes]) -> bytes:
    return b"&".join(quote_from_bytes(k.encode()).encode() + b"=" + quote_from_bytes(v).encode()
                     for k, v in values.items())


@pytest.fixture()
def scene(app, world):
    """A dossier in each state a form needs, and the records the administration pages act on."""
    draft, banana = new_dossier(world), new_dossier(world, set_number=BANANA)
    states = {state: dossier_in_state(world, state) for state in
              ("district_review", "provincial_review", "star_rating", "awaiting_decision", "central_review",
               "certified")}
    request_password_reset("producer", address="127.0.0.1")
    db.session.add(OutboxMail(message_id="<failed@ocop-tracker>", kind="test", recipient_id=world["admin"].id,
                              to_address="admin@test.local", subject="x", body_text="x", status="failed"))
    db.session.commit()
    return draft, banana, states


def _targets(app, world, scene) -> list[Target]:
    draft, banana, states = scene
    review, certified = states["district_review"], states["certified"]
    council = db.session.scalar(db.select(Council).filter_by(unit_id=world.province.id))
    seat = db.session.scalar(db.select(CouncilMember).filter_by(council_id=council.id, is_chair=False))
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=review.id))
    document = next(iter(current_documents(review).values()))
    batch = db.session.scalar(db.select(EvaluationBatch))
    day = db.session.scalar(db.select(CalendarDay))
    mail = db.session.scalar(db.select(OutboxMail).filter_by(status="failed"))
    token = RESET_LINK.search(db.session.scalar(db.select(OutboxMail.body_text).filter_by(
        kind="account.password_reset"))).group(1)
    decision = current_certificate(certified).decision

    def version(dossier):
        return lambda: str(db.session.get(type(dossier), dossier.id).version)

    set_id = lambda: str(draft.product.product_set_id)
    with app.test_request_context("/"):
        # The buttons of the dossier page; submit and resubmit are posted from check-answers (dossiers.filing).
        # Last but sign-in: an event that goes through moves the dossier past the other forms.
        events = [(review, "officer", "return"), (review, "officer", "forward"),
                  (states["provincial_review"], "province_officer", "admit"),
                  (states["star_rating"], "chair", "close_rating"),
                  (states["central_review"], "province_officer", "recognise"),
                  (certified, "province_officer", "revoke"), (banana, "producer", "withdraw")]
        targets = [
            Target("accounts.language", None, "/language", _names(LanguageForm())),
            Target("accounts.forgot_password", None, "/password/forgot", _names(ForgotPasswordForm())),
            Target("accounts.reset_password", None, f"/password/reset/{token}", _names(ChooseNewPasswordForm())),
            Target("accounts.profile_details", "producer", "/profile", _names(ProfileForm())),
            Target("accounts.profile_password", "producer", "/profile/password", _names(PasswordForm())),
            Target("admin.calendar_add_year", "admin", "/admin/calendar", _names(CalendarYearForm())),
            Target("admin.calendar_add_day", "admin", f"/admin/calendar/{day.year}/days", _names(CalendarDayForm())),
            Target("admin.calendar_source", "admin", f"/admin/calendar/{day.year}/source",
                   _names(CalendarSourceForm())),
            Target("admin.new_council", "admin", "/admin/councils/new", _names(CouncilForm())),
            Target("admin.add_member", "admin", f"/admin/councils/{council.id}/members", _names(CouncilMemberForm())),
            Target("admin.set_chair", "admin", f"/admin/councils/{council.id}/members/{seat.id}/chair",
                   _names(ButtonForm())),
            Target("admin.retry_outbox_mail", "admin", f"/admin/mail/{mail.id}/retry", _names(ButtonForm())),
            Target("admin.retry_all_failed_mail", "admin", "/admin/mail/retry-failed", _names(ButtonForm())),
            Target("reports.refresh", "admin", "/reports/refresh", _names(RefreshForm())),
            Target("admin.organisation", "admin", "/admin/organisations/new", _names(OrganisationForm())),
            Target("admin.organisation", "admin", f"/admin/organisations/{world['producer'].organisation_id}",
                   _names(OrganisationForm())),
            Target("admin.unit", "admin", "/admin/units/new", _names(UnitForm())),
            Target("admin.unit", "admin", f"/admin/units/{world.commune.id}", _names(UnitForm())),
            Target("admin.new_user", "admin", "/admin/users/new", _names(NewUserForm())),
            Target("admin.user", "admin", f"/admin/users/{world['officer'].id}", _names(UserForm())),
            Target("admin.user_password", "admin", f"/admin/users/{world['officer'].id}/password",
                   _names(ResetPasswordForm())),
            Target("admin.deactivate_user", "admin", f"/admin/users/{world['other_officer'].id}/deactivate",
                   _names(ButtonForm())),
            Target("admin.reactivate_user", "admin", f"/admin/users/{world['other_officer'].id}/reactivate",
                   _names(ButtonForm())),
            Target("admin.remove_member", "admin", f"/admin/councils/{council.id}/members/{seat.id}/remove",
                   _names(ButtonForm())),
            Target("admin.calendar_remove_day", "admin", f"/admin/calendar/{day.year}/days/{day.id}/remove",
                   _names(ButtonForm())),
            Target("batches.open", "province_officer", "/batches/open", _names(OpenBatchForm(world.province))),
            Target("batches.close", "province_officer", f"/batches/{batch.id}/close", _names(CloseBatchForm())),
            Target("decisions.record", "province_officer", "/decisions/record",
                   _names(DecisionForm()) + [f"outcome-{states['awaiting_decision'].id}",
                                             f"version-{states['awaiting_decision'].id}"]),
            Target("decisions.attach_file", "province_officer", f"/decisions/{decision.id}/file",
                   [n for n in _names(DecisionFileForm()) if n != "file"], files=("file",)),
            Target("dossiers.open", "producer", "/dossiers/open", _names(ProductForm())),
            Target("dossiers.product", "producer", f"/dossiers/{draft.id}/product", _names(ProductForm()),
                   {"product_set": set_id}),
            Target("dossiers.self_assessment", "producer", f"/dossiers/{draft.id}/self-assessment",
                   _names(self_assessment_sheet_form(_sheet(draft))())),
            Target("dossiers.vietgap", "producer", f"/dossiers/{banana.id}/vietgap", _names(VietGapForm())),
            Target("dossiers.filing", "producer", f"/dossiers/{draft.id}/filing", _names(FilingForm()),
                   {"version": version(draft)}),
            Target("dossiers.assignee", "officer", f"/dossiers/{review.id}/assignee", _names(AssignmentForm())),
            Target("deadlines.extend", "officer", f"/dossiers/{review.id}/deadlines/{deadline.id}/extend",
                   _names(extend_form(deadline.id))),
            Target("documents.upload", "producer", f"/dossiers/{draft.id}/documents",
                   [n for n in _names(UploadForm()) if n != "file"], {"kind": lambda: "registration_form"},
                   files=("file",)),
            Target("documents.check", "officer", f"/dossiers/{review.id}/documents/{document.id}/check",
                   _names(check_form(document.id)), {f"check-{document.id}-outcome": lambda: "needs_supplement"}),
            Target("documents.review", "officer", f"/dossiers/{review.id}/documents/review",
                   _names(ReviewForm()) + _names(check_form(document.id)),
                   {f"check-{document.id}-outcome": lambda: "accepted"}),
            Target("reviews.score", "chair", f"/dossiers/{states['star_rating'].id}/scores",
                   _names(sheet_score_form(_sheet(states["star_rating"]))())),
        ] + [
            Target("dossiers.fire_event", who, f"/dossiers/{d.id}/events/{event}", _names(event_form(event)),
                   {f"{event}-version": version(d)}) for d, who, event in events
        ] + [
            Target("accounts.login", None, "/login", _names(LoginForm())),
            Target("accounts.logout", "other_producer", "/logout", _names(LogoutForm())),  # last: it signs out
        ]
    return targets


def _round(target: Target, number: int, keep_valid: bool) -> dict[str, bytes]:
    """Field i gets value (number + i) of the list: over len(VALUES) rounds every field meets every value."""
    values = {name: VALUES[(number + i) % len(VALUES)] for i, name in enumerate(target.fields)}
    if keep_valid:
        values |= {name: make().encode() for name, make in target.valid.items()}
    return values


def _post(client, target: Target, number: int, values: dict[str, bytes]):
    if not target.files:
        return client.post(target.url, data=_encoded(values), content_type="application/x-www-form-urlencoded")
    data: dict = {name: value.decode("utf-8", "replace") for name, value in values.items()}
    content = PDF if number % 2 else VALUES[number][:4096]  # a real PDF half of the time, junk the other half
    data |= {name: (BytesIO(content), "Cao\r\nBcc: x\u2028.pdf") for name in target.files}
    return client.post(target.url, data=data, content_type="multipart/form-data")


def test_every_form_posting_page_is_fuzzed(app, world, scene):
    """The inventory below must name every page that takes a form; a new one must be added here."""
    posting = {rule.endpoint for rule in app.url_map.iter_rules()
               if "POST" in rule.methods and not rule.endpoint.startswith(("api.", "moved."))}
    assert posting == {target.endpoint for target in _targets(app, world, scene)}


def test_no_form_answers_500_and_every_refusal_says_why(app, world, scene, browser):
    targets = _targets(app, world, scene)
    # Everyone signs in before the sign-in form is fuzzed (its failures slow further sign-ins from this address).
    clients = {who: browser(who) if who else app.test_client() for who in {t.who for t in targets}}
    problems = set()
    for target in targets:
        for number in range(len(VALUES)):
            for keep_valid in ((False, True) if target.valid else (False,)):
                response = _post(clients[target.who], target, number, _round(target, number, keep_valid))
                status, page = response.status_code, response.get_data(as_text=True)
                refused = status >= 400 or (status == 200 and target.endpoint not in CONFIRMS_WITH_200)
                if status >= 500:
                    problems.add(f"{target.url}: {status}")
                elif refused and status not in (403, 404) and not any(m in page for m in ERROR_MARKERS):
                    problems.add(f"{target.url}: {status} without a message (value {number})")
    assert not problems, "\n".join(sorted(problems))
