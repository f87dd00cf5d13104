"""API endpoints: the product sets, and a producer's new product."""
from __future__ import annotations

from ..accounts.models import User
from ..clock import today as clock_today
from ..extensions import db
from ..products.models import ProductSet
from ..products.services import create_product
from ..rules.rulesets import rule_set_in_force
from ..workflow import NotPermitted
from .bodies import ProductRequest
from .errors import ApiError
from .payload import parse
from .serializers import product_json, product_set_json
from .views import api_user, bp


def producer_only(user: User) -> User:
    """Products and their dossiers are opened by producers, as on the pages; anyone else is refused."""
    if user.role != "producer":
        raise NotPermitted("only a producer can open products and dossiers")
    return user


@bp.get("/product-sets")
def product_sets():
    """The 26 product sets, named in the caller's language, with the VietGAP stage of the rules in force today."""
    rules = rule_set_in_force(clock_today())
    language = api_user().locale
    return [product_set_json(product_set, rules, language)
            for product_set in db.session.scalars(db.select(ProductSet).order_by(ProductSet.number))]


@bp.post("/products")
def new_product():
    user = producer_only(api_user())
    given = parse(ProductRequest)
    product_set = db.session.scalar(db.select(ProductSet).filter_by(code=given.product_set))
    if product_set is None:
        raise ApiError(422, "unknown_product_set", "there is no product set with this code (see /product-sets)",
                       {"missing": ["product_set"]})
    product = create_product(actor=user, name=given.name, product_set=product_set, description=given.description)
    db.session.commit()
    return product_json(product), 201
