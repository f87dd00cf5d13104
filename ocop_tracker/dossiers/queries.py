"""Read-side queries over dossiers: a fixed number of statements whatever the page size."""
from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from ..accounts.models import Organisation, User
from ..extensions import db
from ..products.models import Product
from .models import Dossier
from .permissions import visible_dossiers


def list_dossiers(user: User, *, state: str | None = None, page: int = 1, per_page: int = 25) -> Pagination:
    """The dossiers the user may see, newest first, with product, organisation and unit loaded."""
    statement = visible_dossiers(user, db.select(Dossier))
    if state:
        statement = statement.where(Dossier.state == state)
    statement = statement.options(
        joinedload(Dossier.product).joinedload(Product.product_set),
        joinedload(Dossier.product).joinedload(Product.organisation).joinedload(Organisation.unit),
        joinedload(Dossier.review_unit),
    ).order_by(Dossier.updated_at.desc(), Dossier.id.desc())
    return db.paginate(statement, page=page, per_page=per_page, max_per_page=per_page, error_out=False)
