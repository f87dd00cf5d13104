"""API endpoints: dossiers — list, open, read, fire workflow events, record VietGAP, enter council marks."""
from __future__ import annotations

import re
import unicodedata

from flask import request, url_for

from ..accounts.models import User
from ..clock import today as clock_today
from ..decisions.services import recognise_nationally
from ..documents.services import record_vietgap
from ..dossiers import services as dossier_services
from ..dossiers.assignment import assign_dossier, ensure_may_assign
from ..dossiers.filing import file_dossier
from ..dossiers.models import Dossier
from ..dossiers.permissions import can_record_vietgap, visible_dossiers
from ..dossiers.placement import dossier_rules
from ..dossiers.queries import SORTS, UNASSIGNED, QueueFilters, dossier_queue
from ..dossiers.services import EVENT_READS, apply_event
from ..extensions import db
from ..products.models import Product
from ..reviews import services as review_services
from ..reviews.services import current_round
from ..reviews.sheet_scoring import round_sheet
from ..workflow import EVENTS, STATES, EventNotAllowed, GuardFailed, NotPermitted
from .bodies import (
    EVENT_BODIES,
    AssigneeRequest,
    DossierRequest,
    EventBody,
    FilingBody,
    RecogniseBody,
    ScoreRequest,
    VietGapRequest,
)
from .errors import ApiError
from .inputs import MAX_ID, MAX_PAGE, choice_arg, invalid, whole_arg
from .payload import parse
from .products import producer_only
from .serializers import dossier_json, list_item_json
from .views import api_user, bp

DOSSIER = f"/dossiers/<int(max={MAX_ID}):dossier_id>"
MAX_PER_PAGE = 100
MAX_QUERY = 200
_USER_ID = re.compile(r"[0-9]{1,10}")


def visible_dossier(dossier_id: int, *loaded) -> Dossier:
    """The dossier when the caller may see it, with the `loaded` options; a 404 otherwise, so other
    organisations' ids reveal nothing."""
    statement = visible_dossiers(api_user(), db.select(Dossier).where(Dossier.id == dossier_id)).options(*loaded)
    dossier = db.session.scalar(statement)
    if dossier is None:
        raise ApiError(404, "dossier_not_found", "there is no such dossier, or it is not yours to see")
    return dossier


def dossier_response(dossier: Dossier, status: int = 200, headers: dict | None = None):
    """Commit the request's one change and answer with the dossier as it now is."""
    db.session.commit()
    return dossier_json(dossier, api_user(), clock_today()), status, headers or {}


@bp.get("/dossiers")
def list_dossiers():
    state = choice_arg("state", STATES)
    page = whole_arg("page", default=1, maximum=MAX_PAGE)
    per_page = whole_arg("per_page", default=25, maximum=MAX_PER_PAGE)
    filters = QueueFilters(state=state, q=_search_arg(), assignee=_assignee_arg(api_user()),
                           sort=choice_arg("sort", SORTS) or "updated")
    found = dossier_queue(api_user(), filters, today=clock_today(), page=page, per_page=per_page)
    return {"items": [list_item_json(dossier, found.deadlines.get(dossier.id)) for dossier in found.items],
            "page": page, "per_page": per_page, "total": found.total}


def _search_arg() -> str:
    """`q`: product, producer, dossier or certificate code; printable text of at most MAX_QUERY characters."""
    raw = request.args.get("q", "")
    if len(raw) > MAX_QUERY or any(unicodedata.category(ch).startswith("C") for ch in raw):
        raise ApiError(400, "invalid_parameter", f"q must be a text of at most {MAX_QUERY} printable characters",
                       {"q": raw[:100]})
    return raw.strip()


def _assignee_arg(user: User) -> int | str | None:
    """`assignee`: me, none, or a user's id."""
    raw = request.args.get("assignee") or None
    if raw is None or raw == UNASSIGNED:
        return raw
    if raw == "me":
        return user.id
    if not _USER_ID.fullmatch(raw) or not 1 <= int(raw) <= MAX_ID:
        raise ApiError(400, "invalid_parameter", f"assignee must be me, none or a user id from 1 to {MAX_ID}",
                       {"assignee": raw[:100]})
    return int(raw)


@bp.post("/dossiers")
def open_dossier():
    user = producer_only(api_user())
    product_id = parse(DossierRequest).product_id
    product = db.session.scalar(db.select(Product).filter_by(id=product_id, organisation_id=user.organisation_id))
    if product is None:
        raise ApiError(404, "product_not_found", "there is no such product, or it is not yours")
    try:
        dossier = dossier_services.open_dossier(product, actor=user)
    except EventNotAllowed:
        db.session.rollback()
        existing = db.session.scalar(db.select(Dossier.id).filter_by(product_id=product.id))
        raise ApiError(409, "dossier_exists", "this product already has a dossier",
                       {"dossier_id": existing}) from None
    return dossier_response(dossier, 201, {"Location": url_for(".dossier", dossier_id=dossier.id)})


@bp.get(DOSSIER)
def dossier(dossier_id: int):
    return dossier_json(visible_dossier(dossier_id), api_user(), clock_today())


@bp.post(f"{DOSSIER}/events/<event>")
def fire_event(dossier_id: int, event: str):
    """Every workflow event goes through the one door, apply_event; its refusals are the API's 403/409/422."""
    dossier = visible_dossier(dossier_id, *EVENT_READS)  # what the door reads, in the same statement
    if event not in EVENTS:
        raise ApiError(404, "unknown_event", f"there is no event called {event[:40]!r}", {"events": list(EVENTS)})
    if event == "decide":
        raise ApiError(422, "decision_required", "decide comes only with a recognition decision: POST /decisions",
                       {"missing": ["decision"]})
    given = parse(EVENT_BODIES.get(event, EventBody))
    if isinstance(given, RecogniseBody):
        recognise_nationally(dossier, actor=api_user(), **given.inputs())
    elif isinstance(given, FilingBody) and given.declared is not None:
        # With the declaration, as the pages file; without the field, as integrations did before (none recorded).
        file_dossier(dossier, actor=api_user(), version=given.version, declared=given.declared, event=event,
                     comment=given.comment)
    else:
        apply_event(dossier, event, actor=api_user(), **given.inputs())
    return dossier_response(dossier)


@bp.put(f"{DOSSIER}/vietgap")
def vietgap(dossier_id: int):
    dossier = visible_dossier(dossier_id)
    if not can_record_vietgap(api_user(), dossier):
        raise NotPermitted("only the producer records the VietGAP certificate, while preparing, verifying or certified")
    given = parse(VietGapRequest)
    record_vietgap(dossier, actor=api_user(), certificate_no=given.certificate_no, issuer=given.issuer,
                   issued_on=given.issued_on, valid_until=given.valid_until)
    return dossier_response(dossier)


@bp.put(f"{DOSSIER}/assignee")
def assignee(dossier_id: int):
    """An officer of the unit that must act hands the dossier to one of its officers (null: to nobody)."""
    dossier = visible_dossier(dossier_id)
    assignee_id = parse(AssigneeRequest).assignee_id
    ensure_may_assign(dossier, api_user())  # roles before the named officer: a producer learns nothing of users
    chosen = db.session.get(User, assignee_id) if assignee_id is not None else None
    if assignee_id is not None and chosen is None:
        raise GuardFailed("the assignee must be an active officer of the unit that must act on the dossier",
                          ["assignee"])
    assign_dossier(dossier, actor=api_user(), assignee=chosen)
    return dossier_response(dossier)


@bp.put(f"{DOSSIER}/scores/me")
def score_dossier(dossier_id: int):
    """A member of the rating council enters or corrects their marks (on the sheet, or the parts of a district-era
    round); the answer is the dossier."""
    dossier = visible_dossier(dossier_id)
    parts = tuple(dossier_rules(dossier).part_maxima)
    shape = "must be {" + ", ".join(f'"{part}": n' for part in parts) + "} with a number for each part"
    given = parse(ScoreRequest, shapes={"parts": shape})
    on_sheet = round_sheet(current_round(dossier), dossier) is not None
    if given.parts is None and given.criteria is None:
        raise ApiError(400, "missing_fields", "some required fields are missing",
                       {"fields": ["criteria" if on_sheet else "parts"]})
    if given.parts is not None and set(given.parts) != set(parts):
        raise invalid("parts", shape)
    review_services.score_dossier(dossier, actor=api_user(), parts=given.parts, criteria=given.criteria,
                                  notes=given.notes, rejection=given.rejection)
    return dossier_response(dossier)


from . import decisions, documents, sheets, workday  # noqa: F401  their routes attach to `bp` as well
