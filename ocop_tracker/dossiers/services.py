"""The one door for dossier state changes, and dossier creation."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import inspect
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import User
from ..activity.log_lines import log_change
from ..activity.services import log_action
from ..clock import moment_of
from ..clock import today as clock_today
from ..documents.changes import product_edit_log_data
from ..extensions import db
from ..products.models import Product, ProductSet
from ..products.services import normalised_text
from ..registry.services import holds_valid_certificate
from ..reviews.models import EvaluationRound
from ..reviews.services import council_score, current_round
from ..rules.rulesets import RuleSet
from ..signals import TRANSITION_STAGES, transition_applied
from ..workflow import (
    EVENT_FACTS,
    EVENTS,
    EventNotAllowed,
    GuardFailed,
    NotPermitted,
    StaleVersion,
    WorkflowContext,
    destinations,
    next_state,
)
from .assignment import release_if_moved_on
from .effects import EFFECTS
from .guards import EventInput, refused, what_is_missing
from .models import Dossier, TransitionRecord
from .outcomes import decision_destination, national_destination, rating_destination
from .permissions import can_edit_dossier, can_fire, may_fire_elsewhere
from .placement import dossier_rules, review_unit_for
from .search import refresh_search_text


def open_dossier(product: Product, *, actor: User) -> Dossier:
    """Open the product's dossier as a draft, with its first evaluation round; its rules come on filing."""
    if actor.role != "producer" or actor.organisation_id != product.organisation_id:
        raise NotPermitted("only the product's producer can open its dossier")
    if db.session.scalar(db.select(Dossier.id).filter_by(product_id=product.id)) is not None:
        raise EventNotAllowed("this product already has a dossier")
    dossier = Dossier(product=product)
    rules = dossier_rules(dossier)
    dossier.rule_set, dossier.review_unit = rules.code, review_unit_for(dossier, rules)
    db.session.add(dossier)
    db.session.flush()
    db.session.add(EvaluationRound(dossier_id=dossier.id, number=1, kind="new"))
    db.session.flush()
    refresh_search_text(dossier)
    log_change("dossier opened by %s: dossier=%s product=%s", actor.username, dossier.id, product.id)
    return dossier


def edit_product_details(dossier: Dossier, *, actor: User, name: str, product_set: ProductSet,
                         description: str = "") -> Product:
    """The producer corrects the product while preparing; its product set is fixed once submitted."""
    if not can_edit_dossier(actor, dossier):
        raise NotPermitted("only the producer can change a dossier being prepared")
    product = dossier.product
    if product_set.id != product.product_set_id and dossier.state != "draft":
        raise GuardFailed("the product set can only change while the dossier is a draft", ["product_set"])
    name, description = normalised_text(name), normalised_text(description)
    edited = [field for field, before, after in (("name", product.name, name), ("product_set", product.product_set_id,
              product_set.id), ("description", product.description, description)) if (before or "") != (after or "")]
    product.name, product.description = name, description
    product.product_set = product_set
    if edited:
        log_action("product.edit", actor=actor, dossier=dossier, obj=product,
                   data=product_edit_log_data(dossier, edited))
    db.session.flush()
    refresh_search_text(dossier)
    return product


# What every event reads of the dossier beyond its row: the unit that reviews it (permissions), its product and
# producer (mails, permissions) and the product set (VietGAP stage, the documents a return mail lists). A caller
# that reads dossiers to fire events on them loads these with them (`.options(*EVENT_READS)`), or the door does.
EVENT_READS = (joinedload(Dossier.review_unit),
               joinedload(Dossier.product).options(joinedload(Product.organisation), joinedload(Product.product_set)))


def _load_what_the_door_reads(dossier: Dossier) -> None:
    """Those in one statement, unless the caller loaded them with the dossier (then nothing is asked)."""
    state = inspect(dossier)
    if state.persistent and not {"review_unit", "product"}.isdisjoint(state.unloaded):
        db.session.execute(db.select(Dossier).where(Dossier.id == dossier.id).options(*EVENT_READS)).one()


def _outcome(dossier: Dossier, event: str, rules: RuleSet, given: EventInput) -> str | None:
    """Where a scored or decided event leads for this dossier (see workflow.OUTCOMES)."""
    evaluation = current_round(dossier)
    if event == "close_rating":
        score = council_score(dossier, evaluation)
        return rating_destination(dossier, evaluation, rules, score, given.today) if score is not None else None
    if event == "recognise":
        assert given.score is not None  # the national_result guard refused a recognise without a score
        return national_destination(dossier, evaluation, rules, Fraction(given.score), given.today)
    if event == "decide":
        return decision_destination(dossier, evaluation, given.outcome, given.today)
    return None


def _context(dossier: Dossier, event: str, rules: RuleSet, given: EventInput) -> WorkflowContext:
    """The facts the event's branches look at (workflow.EVENT_FACTS); the others are not read from the database."""
    facts = EVENT_FACTS[event]
    return WorkflowContext(
        state=dossier.state,
        vietgap_stage="vietgap_stage" in facts and rules.has_vietgap_stage(dossier.product.product_set.number),
        returned_from=dossier.returned_from,
        forwards_to_province=not rules.first_level_has_council,
        holds_certificate="holds_certificate" in facts and holds_valid_certificate(dossier, given.today),
        outcome=_outcome(dossier, event, rules, given) if "outcome" in facts else None,
    )


def apply_event(dossier: Dossier, event: str, *, actor: User | None, version: int, comment: str = "",
                received_on: date | None = None, grounds: str = "", score: Decimal | None = None,
                batch_id: int | None = None, decision=None, outcome: str | None = None,
                today: date | None = None, override: bool = False) -> TransitionRecord:
    """Fire `event`: role and unit, version, state, guards, then state, history and what follows, together.

    It only flushes; the caller commits once, so a failure anywhere leaves nothing behind.
    """
    day = today or clock_today()
    if event not in EVENTS:
        raise EventNotAllowed(f"unknown event '{event}'")
    _load_what_the_door_reads(dossier)
    if not can_fire(actor, dossier, event, day):
        if version != dossier.version and may_fire_elsewhere(actor, dossier, event, day):
            # Someone moved the dossier on since this user's page: say reload, not "not yours".
            raise StaleVersion(f"the dossier has changed (version {dossier.version}, not {version}); reload it")
        raise NotPermitted(f"you may not '{event}' this dossier")
    if version != dossier.version:
        raise StaleVersion(f"the dossier has changed (version {dossier.version}, not {version}); reload it")
    if not destinations(dossier.state, event):
        raise EventNotAllowed(f"'{event}' is not allowed in state '{dossier.state}'")
    given = EventInput(actor=actor, today=day, comment=comment or "", received_on=received_on,
                       grounds=grounds or "", score=score, batch_id=batch_id, decision=decision, outcome=outcome,
                       override=override)
    rules = dossier_rules(dossier, day)  # a filing takes the rule set in force on its day
    missing = what_is_missing(event, dossier, rules, given)
    if missing:
        raise refused(event, dossier, rules, missing)
    from_state = dossier.state
    with db.session.no_autoflush:  # one UPDATE of the dossier, so one version step per event
        dossier.state = next_state(_context(dossier, event, rules, given), event)
        EFFECTS.get(event, lambda *_: None)(dossier, rules, given, from_state)
        release_if_moved_on(dossier, given.today)
        record = TransitionRecord(dossier=dossier, round_number=dossier.round_number, event=event,
                                  from_state=from_state, to_state=dossier.state, actor=actor,
                                  actor_name=actor.username if actor else "system",
                                  comment=(comment or grounds or "").strip(), at=moment_of(given.today))
        db.session.add(record)
    try:
        db.session.flush()
    except StaleDataError as exc:  # another writer committed first
        raise StaleVersion("the dossier was changed by someone else meanwhile; reload it") from exc
    _after_transition(dossier, record, given, rules)
    log_change("%s by %s: dossier=%s %s -> %s version=%s", event, record.actor_name, dossier.id, from_state,
               dossier.state, dossier.version)
    return record


def _after_transition(dossier: Dossier, record: TransitionRecord, given: EventInput, rules: RuleSet) -> None:
    """Certificates, deadlines and mails follow the event, in that order, in its transaction (see signals.py)."""
    # They read what the event wrote (a new certificate, a new deadline); they add rows of their own and leave
    # the dossier alone, so its version still moves by one.
    for stage in TRANSITION_STAGES:
        if not any(True for _ in transition_applied.receivers_for(stage)):
            raise RuntimeError(f"nothing follows '{stage}': create_app connects the subscribers")
        transition_applied.send(stage, dossier=dossier, record=record, given=given, rules=rules)
        db.session.flush()
