"""What the administration pages list and count."""
from __future__ import annotations

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..extensions import db
from ..reviews.models import Council


def unit_tree_order():
    """Order units by path so each subtree follows its root; byte order, as "/" must sort before digits."""
    if db.engine.dialect.name == "postgresql":
        return AdministrativeUnit.path.collate("C")  # a language collation may skip the slashes
    return AdministrativeUnit.path


def _searched(statement, search: str | None, *columns):
    """Keep the rows where any of `columns` contains the search text (taken literally, % and _ included)."""
    text = (search or "").strip()
    if not text:
        return statement
    return statement.where(db.or_(*(column.icontains(text, autoescape=True) for column in columns)))


def users_statement(role: str | None, search: str | None):
    """Users by role and by a piece of their username or full name."""
    statement = db.select(User).order_by(User.username)
    if role:
        statement = statement.filter_by(role=role)
    return _searched(statement, search, User.username, User.full_name)


def units_statement(search: str | None):
    statement = db.select(AdministrativeUnit).order_by(unit_tree_order())
    return _searched(statement, search, AdministrativeUnit.name, AdministrativeUnit.code)


def organisations_statement(search: str | None):
    return _searched(db.select(Organisation).order_by(Organisation.name), search, Organisation.name)


def councils_statement():
    return db.select(Council).join(Council.unit).order_by(unit_tree_order())


def directory_counts() -> dict[str, int]:
    """How many of each thing the administrator keeps."""
    def count(model, *where) -> int:
        return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))

    return {"users": count(User), "inactive_users": count(User, User.active.is_(False)),
            "units": count(AdministrativeUnit), "organisations": count(Organisation), "councils": count(Council)}
