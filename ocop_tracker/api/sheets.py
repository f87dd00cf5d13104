"""API endpoints of the official scoring sheets: a product set's sheet, and a dossier's upgrade plan."""
from __future__ import annotations

from ..clock import today as clock_today
from ..extensions import db
from ..products.models import ProductSet
from ..reviews.permissions import can_see_upgrade_plan
from ..reviews.upgrade_plan import UpgradePlan, upgrade_plan
from ..rules.rulesets import rule_set_in_force
from ..rules.sheets import Criterion, Option, Sheet, load_sheets
from .dossiers import DOSSIER, visible_dossier
from .errors import ApiError
from .serializers import decimal_number
from .views import api_user, bp


def sheet_json(rule_set: str, product_set: str, sheet: Sheet) -> dict:
    return {"rule_set": rule_set, "product_set": product_set,
            "parts": [{"code": part.code, "max": part.maximum, "criteria": [
                {"id": c.id, "number": c.number, "title": c.title, "max": c.maximum,
                 "options": [{"id": o.id, "text": o.text, "points": o.points, "min_star": o.min_star}
                             for o in c.options]} for c in part.criteria]} for part in sheet.parts],
            "rejection_conditions": list(sheet.rejection_conditions)}


@bp.get("/product-sets/<code>/sheet")
def product_set_sheet(code: str):
    """The scoring sheet of a product set under the rule set in force today."""
    api_user()
    product_set = db.session.scalar(db.select(ProductSet).filter_by(code=code[:100]))
    rules = rule_set_in_force(clock_today())
    if product_set is None or rules is None:
        raise ApiError(404, "product_set_not_found", "there is no product set with this code (see /product-sets)")
    try:
        sheet = load_sheets(rules.code).by_app_code(product_set.code)
    except (LookupError, StopIteration):
        raise ApiError(404, "no_sheet", "the rule set in force today has no scoring sheet for this product set",
                       {"rule_set": rules.code}) from None
    return sheet_json(rules.code, product_set.code, sheet)


def _criterion(criterion: Criterion) -> dict:
    return {"id": criterion.id, "number": criterion.number, "title": criterion.title}


def _option(option: Option | None) -> dict | None:
    return None if option is None else {"id": option.id, "text": option.text, "points": option.points}


def upgrade_plan_json(plan: UpgradePlan) -> dict:
    return {"star": plan.star, "score": decimal_number(plan.score), "next_star": plan.next_star,
            "points_to_next_band": decimal_number(plan.points_to_next_band),
            "unmet_minimums": [{"criterion": _criterion(c), "option": _option(o), "min_star": star}
                               for c, o, star in plan.unmet_minimums],
            "best_gains": [{"criterion": _criterion(c), "from_option": _option(before), "to_option": _option(after),
                            "points": points} for c, before, after, points in plan.best_gains]}


@bp.get(f"{DOSSIER}/upgrade-plan")
def dossier_upgrade_plan(dossier_id: int):
    """What stands between the product and its next star, from the last round the council scored on the sheet."""
    dossier = visible_dossier(dossier_id)
    if not can_see_upgrade_plan(api_user(), dossier):
        raise ApiError(404, "dossier_not_found", "there is no such dossier, or it is not yours to see")
    plan = upgrade_plan(dossier)
    if plan is None:
        raise ApiError(404, "no_upgrade_plan", "no closed round of this dossier was scored on the sheet, "
                       "or the product already holds 5 stars")
    return upgrade_plan_json(plan)
