"""Where a dossier is reviewed and rated, as its rule set says."""
from __future__ import annotations

from ..accounts.models import AdministrativeUnit
from ..extensions import db
from ..reviews.models import Council
from ..rules.rulesets import RuleSet, get_rule_set
from .models import Dossier


def dossier_rules(dossier: Dossier) -> RuleSet:
    """The rules frozen at submission, or the chosen rule set while still a draft."""
    if dossier.rules_snapshot:
        return RuleSet(dossier.rules_snapshot)
    return get_rule_set(dossier.rule_set)


def review_unit_for(dossier: Dossier, rules: RuleSet) -> AdministrativeUnit | None:
    """The producer's unit at the rule set's first-level review level."""
    return dossier.product.organisation.unit.ancestor_at(rules.review_level)


def rating_council_for(dossier: Dossier, rules: RuleSet) -> Council | None:
    """The evaluation council of the producer's unit at the rule set's council level."""
    unit = dossier.product.organisation.unit.ancestor_at(rules.council_level)
    if unit is None:
        return None
    return db.session.scalar(db.select(Council).filter_by(unit_id=unit.id))
