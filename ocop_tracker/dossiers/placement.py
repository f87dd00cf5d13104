"""Where a dossier is checked, scored and decided, as its rule set and today's map say."""
from __future__ import annotations

from datetime import date

from ..accounts.models import AdministrativeUnit
from ..clock import today as clock_today
from ..extensions import db
from ..reviews.models import Council
from ..rules.rulesets import RuleSet, get_rule_set, rule_set_in_force
from .models import Dossier


def dossier_rules(dossier: Dossier, day: date | None = None) -> RuleSet:
    """The rules frozen when the round was filed; while it is prepared, the rule set in force on `day` (today)."""
    if dossier.rules_snapshot:
        return RuleSet(dossier.rules_snapshot)
    return rule_set_in_force(day or clock_today()) or get_rule_set(dossier.rule_set)


def is_abolished(unit: AdministrativeUnit | None, day: date) -> bool:
    return unit is not None and unit.abolished_on is not None and unit.abolished_on <= day


def acting_unit(unit: AdministrativeUnit | None, day: date | None = None) -> AdministrativeUnit | None:
    """The unit that acts for `unit`: itself, or for an abolished district its province (which took its files)."""
    if unit is None or not is_abolished(unit, day or clock_today()):
        return unit
    return unit.ancestor_at("province")


def review_unit_for(dossier: Dossier, rules: RuleSet) -> AdministrativeUnit | None:
    """The producer's unit at the rule set's first level (a commune, or a district before July 2025)."""
    return dossier.product.organisation.unit.ancestor_at(rules.first_level)


def province_of(dossier: Dossier) -> AdministrativeUnit | None:
    return dossier.product.organisation.unit.ancestor_at("province")


def unit_at_level(dossier: Dossier, level: str | None) -> AdministrativeUnit | None:
    """The unit that acts at one of the round's levels: the first-level unit, or the province (central included)."""
    if level in ("district", "commune"):
        return dossier.review_unit
    return province_of(dossier)


def unplaceable_levels(dossier: Dossier, rules: RuleSet, day: date) -> list[str]:
    """Why a round filed on `day` under `rules` would have nobody to act on it (empty when it can be placed)."""
    first = review_unit_for(dossier, rules)
    if first is None or is_abolished(first, day):
        return [f"level_{rules.first_level}"]
    return [] if province_of(dossier) is not None else ["level_province"]


def council_at(dossier: Dossier, level: str, day: date | None = None) -> Council | None:
    """The evaluation council that scores at `level`; an abolished district's files go to the provincial council."""
    unit = acting_unit(unit_at_level(dossier, level), day)
    if unit is None:
        return None
    return db.session.scalar(db.select(Council).filter_by(unit_id=unit.id))
