"""Who a batch of reminders goes to, read for the whole batch at once: one statement per kind of person (the
reviewing units' officers, the units' heads, the producers, the council chairs), never one per deadline; and
the keys already in the outbox, so that a reminder is queued once."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from ..accounts.models import AdministrativeUnit, User
from ..extensions import db
from ..reviews.models import CouncilMember
from .models import OutboxMail

KEYS_PER_STATEMENT = 500  # an IN list well under SQLite's limit on bound parameters


def _grouped(statement, key: Callable) -> dict[int | None, list[User]]:
    """Active people in id order, grouped by `key` of each row."""
    found: dict[int | None, list[User]] = defaultdict(list)
    for row in db.session.execute(statement.where(User.active.is_(True)).order_by(User.id)):
        found[key(row)].append(row[-1])
    return dict(found)


@dataclass
class Audience:
    """The batch's people, by the id they are found under."""

    officers: dict[int | None, list[User]] = field(default_factory=dict)  # by unit
    heads: dict[int | None, list[User]] = field(default_factory=dict)  # by unit
    producers: dict[int | None, list[User]] = field(default_factory=dict)  # by organisation
    chairs: dict[int | None, list[User]] = field(default_factory=dict)  # by council
    _deciders: dict[int | None, list[User]] | None = None  # by unit

    @classmethod
    def read(cls, *, officer_units: Collection[int] = (), head_units: Collection[int] = (),
             organisations: Collection[int] = (), councils: Collection[int] = ()) -> Audience:
        audience = cls()
        if officer_units:
            audience.officers = _grouped(db.select(User.unit_id, User).where(
                User.role == "officer", User.unit_id.in_(officer_units)), lambda row: row[0])
        if head_units:
            audience.heads = _grouped(db.select(User.unit_id, User).where(
                User.role == "officer", User.is_unit_head.is_(True), User.unit_id.in_(head_units)), lambda row: row[0])
        if organisations:
            audience.producers = _grouped(db.select(User.organisation_id, User).where(
                User.role == "producer", User.organisation_id.in_(organisations)), lambda row: row[0])
        if councils:
            audience.chairs = _grouped(db.select(CouncilMember.council_id, User)
                                       .join(CouncilMember, CouncilMember.user_id == User.id)
                                       .where(CouncilMember.council_id.in_(councils), CouncilMember.is_chair.is_(True)),
                                       lambda row: row[0])
        return audience

    def deciders(self, units: Collection[int | None]) -> list[User]:
        """The active officers and administrators of these units, in id order: every one of them read once for the
        batch, found by unit (the permission predicate then picks among those of the units that may decide)."""
        if self._deciders is None:
            self._deciders = _grouped(db.select(User.unit_id, User).where(User.role.in_(("officer", "admin"))),
                                      lambda row: row[0])
        found = [user for unit in set(units) for user in self._deciders.get(unit, [])]
        return sorted(found, key=lambda user: user.id)


def read_the_map() -> list[AdministrativeUnit]:
    """Every administrative unit into the session, in one statement: a batch's dossiers, organisations and people
    then find their units, parents and provinces without a statement each (the map is a few thousand rows
    whatever the number of dossiers; read again per batch, as each commit expires it). Keep the list while the
    batch runs: the session holds its objects weakly."""
    return list(db.session.scalars(db.select(AdministrativeUnit)))


def already_queued(keys: Iterable[str]) -> set[str]:
    """The keys among `keys` the outbox holds already, in one statement per KEYS_PER_STATEMENT keys."""
    wanted, found = list(dict.fromkeys(keys)), set[str]()
    for start in range(0, len(wanted), KEYS_PER_STATEMENT):
        chunk = wanted[start:start + KEYS_PER_STATEMENT]
        found.update(db.session.scalars(db.select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.in_(chunk))))
    return found
