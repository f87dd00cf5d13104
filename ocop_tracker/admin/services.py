"""The directory administrators keep: administrative units, organisations and councils."""
from __future__ import annotations

from datetime import date

from ..accounts.models import ORGANISATION_KINDS, AdministrativeUnit, Organisation, UnitLevel, User
from ..accounts.services import AccountError, require_admin
from ..activity.services import changes, log_action, snapshot
from ..dossiers.search import refresh_organisation_search_text
from ..extensions import db
from ..reviews.models import Council, CouncilMember


def _check_unit(unit: AdministrativeUnit, code: str, level: str, parent: AdministrativeUnit | None) -> None:
    """Code unique, level known, parent of a higher tier and not the unit itself or below it."""
    if not code:
        raise AccountError("a unit needs a code", "code_required")
    taken = db.session.scalar(db.select(AdministrativeUnit.id).filter_by(code=code))
    if taken is not None and taken != unit.id:
        raise AccountError(f"the unit code {code!r} is taken", "unit_code_taken", unit=code)
    tier = db.session.get(UnitLevel, level)
    if tier is None:
        raise AccountError(f"unknown level {level!r}", "unknown_level")
    if parent is None:
        return
    if unit.id is not None and unit.contains(parent):
        raise AccountError("a unit cannot be its own ancestor", "unit_cycle")
    parent_tier = db.session.get(UnitLevel, parent.level)
    assert parent_tier is not None  # a stored unit's level is a foreign key to unit_levels
    if parent_tier.rank >= tier.rank:
        raise AccountError("a parent unit is of a higher tier", "unit_level_order")


def _place(unit: AdministrativeUnit, parent: AdministrativeUnit | None) -> None:
    """Hang the unit under `parent` and rewrite its path and every descendant's."""
    old_path = unit.path
    unit.parent = parent
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    if old_path and old_path != unit.path:
        below = db.select(AdministrativeUnit).where(AdministrativeUnit.path.startswith(old_path, autoescape=True),
                                                    AdministrativeUnit.id != unit.id)
        for descendant in db.session.scalars(below):
            descendant.path = unit.path + descendant.path.removeprefix(old_path)


# The three tiers of local government; districts stay on the map, abolished, for the files they hold.
STANDARD_LEVELS = [("province", 1, "Tỉnh", "Province"), ("district", 2, "Huyện", "District"),
                   ("commune", 3, "Xã", "Commune")]


def ensure_standard_levels() -> int:
    """Add the standard unit levels that are missing; how many were added."""
    missing = [level for level in STANDARD_LEVELS if db.session.get(UnitLevel, level[0]) is None]
    db.session.add_all(UnitLevel(code=code, rank=rank, name_vi=name_vi, name_en=name_en)
                       for code, rank, name_vi, name_en in missing)
    db.session.flush()
    return len(missing)


UNIT_FIELDS = ("code", "name", "level", "parent_id", "name_after_2025", "abolished_on")
ORGANISATION_FIELDS = ("name", "kind", "unit_id", "representative", "address", "phone", "email", "contact_public")


def save_unit(unit: AdministrativeUnit | None, *, actor: User, **fields) -> AdministrativeUnit:
    """An administrator creates or changes a unit; `fields` are store_unit's."""
    require_admin(actor)
    before = snapshot(unit, *UNIT_FIELDS) if unit else None
    unit = store_unit(unit, **fields)
    log_action("admin.unit.update" if before else "admin.unit.create", actor=actor, obj=unit,
               data={"changes": changes(before or dict.fromkeys(UNIT_FIELDS), unit)})
    return unit


def store_unit(unit: AdministrativeUnit | None, *, code: str, name: str, level: str,
               parent: AdministrativeUnit | None, name_after_2025: str | None = None,
               abolished_on: date | None = None) -> AdministrativeUnit:
    """Create a unit (`unit` None) or change one; moving it carries its whole subtree along.
    Callers check who may: save_unit for the pages, the shell's operator for the commands."""
    unit = unit or AdministrativeUnit(path="")
    code = code.strip()
    _check_unit(unit, code, level, parent)
    unit.code, unit.name, unit.level = code, name.strip(), level
    unit.name_after_2025, unit.abolished_on = (name_after_2025 or "").strip() or None, abolished_on
    if unit.id is None:
        db.session.add(unit)
        db.session.flush()  # the path holds the unit's own id
    _place(unit, parent)
    db.session.flush()
    return unit


def save_organisation(organisation: Organisation | None, *, actor: User, name: str, kind: str,
                      unit: AdministrativeUnit, contact_public: bool | None = None,
                      **contact: str | None) -> Organisation:
    """Create or change an organisation; `contact` holds representative, address, phone and email."""
    require_admin(actor)
    if kind not in ORGANISATION_KINDS:
        raise AccountError(f"unknown organisation kind {kind!r}", "unknown_kind")
    if not name.strip():
        raise AccountError("an organisation needs a name", "name_required")
    before = snapshot(organisation, *ORGANISATION_FIELDS) if organisation else None
    organisation = organisation or Organisation()
    renamed = organisation.id is not None and organisation.name != name.strip()
    organisation.name, organisation.kind, organisation.unit = name.strip(), kind, unit
    for field in ("representative", "address", "phone", "email"):
        setattr(organisation, field, (contact.get(field) or "").strip() or None)
    if contact_public is not None:  # None: the caller does not touch the producer's choice
        organisation.contact_public = contact_public
    db.session.add(organisation)
    db.session.flush()
    log_action("admin.organisation.update" if before else "admin.organisation.create", actor=actor, obj=organisation,
               data={"changes": changes(before or dict.fromkeys(ORGANISATION_FIELDS), organisation)})
    if renamed:  # the work queue finds dossiers by their producer's name
        refresh_organisation_search_text(organisation)
    return organisation


def create_council(unit: AdministrativeUnit, *, actor: User, name: str) -> Council:
    """A unit's evaluation council; a unit has at most one."""
    require_admin(actor)
    if db.session.scalar(db.select(Council.id).filter_by(unit_id=unit.id)) is not None:
        raise AccountError(f"{unit.code} already has a council", "council_exists")
    council = Council(unit=unit, name=name.strip())
    db.session.add(council)
    db.session.flush()
    log_action("admin.council.create", actor=actor, obj=council, data={"unit_id": unit.id, "name": council.name})
    return council


def add_council_member(council: Council, user: User, *, actor: User) -> CouncilMember:
    """Seat a council member; the first one seated chairs until another is made chair."""
    require_admin(actor)
    if user.role != "council_member" or not user.active:
        raise AccountError("only an active council member can sit on a council", "not_council_member")
    if any(seat.user_id == user.id for seat in council.members):
        raise AccountError("already on this council", "already_member")
    seat = CouncilMember(council=council, user=user, is_chair=not council.members)
    db.session.add(seat)
    db.session.flush()
    log_action("admin.council.add_member", actor=actor, obj=council, data=_seat_data(seat))
    return seat


def remove_council_member(seat: CouncilMember, *, actor: User) -> None:
    """Take a seat away; the chair goes last, so a council with members always has one chair."""
    require_admin(actor)
    if seat.is_chair and len(seat.council.members) > 1:
        raise AccountError("make another member chair first", "chair_removal")
    council = seat.council
    log_action("admin.council.remove_member", actor=actor, obj=council, data=_seat_data(seat))
    db.session.delete(seat)
    db.session.flush()
    db.session.expire(council, ["members"])


def set_council_chair(seat: CouncilMember, *, actor: User) -> None:
    """Make this member the chair; whoever chaired before becomes an ordinary member."""
    require_admin(actor)
    for other in seat.council.members:
        other.is_chair = False
    db.session.flush()  # the old chair steps down before the new one is written
    seat.is_chair = True
    db.session.flush()
    log_action("admin.council.set_chair", actor=actor, obj=seat.council, data=_seat_data(seat))


def _seat_data(seat: CouncilMember) -> dict:
    """Whose seat a council change concerns, named as the log shows it."""
    return {"user_id": seat.user_id, "username": seat.user.username, "summary": seat.user.username}
