"""Each dossier holds its producer's province (`Dossier.producer_province_id`, dossiers/producer_province.py), kept
right wherever it can change: a new dossier, an organisation moved, a unit re-parented (provinces merged), a unit's
level changed, a product moved; the migration fills it for older rows. "Awaiting me" of a province reads it."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from ocop_tracker.admin.services import save_organisation, store_unit
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.queries import QueueFilters, dossier_queue, queue_counts
from ocop_tracker.extensions import db

from ..factories import DAY0, dossier_in_state, new_dossier
from ..migration_data import PRODUCT_ROWS, app_at_revision


def _stored(dossier: Dossier) -> int | None:
    """The column as the database holds it (not the session's copy)."""
    return db.session.scalar(db.select(Dossier.producer_province_id).where(Dossier.id == dossier.id))


def _another_province():
    return store_unit(None, code="Q", name="Hòa Bình", level="province", parent=None)


def _move(unit, parent, **changes):
    fields = {"code": unit.code, "name": unit.name, "level": unit.level, "abolished_on": unit.abolished_on}
    return store_unit(unit, **{**fields, **changes}, parent=parent)


def test_a_new_dossier_holds_its_producer_s_province(world):
    dossier = new_dossier(world)
    db.session.commit()
    assert _stored(dossier) == world.province.id


def test_an_organisation_moved_to_another_province_takes_its_dossiers_along(world):
    dossier = new_dossier(world)
    other = _another_province()
    commune = store_unit(None, code="Q-C1", name="Tân Lạc", level="commune", parent=other)
    coop = world["producer"].organisation
    save_organisation(coop, actor=world["admin"], name=coop.name, kind=coop.kind, unit=commune)
    db.session.commit()
    assert _stored(dossier) == other.id


def test_a_district_re_parented_under_another_province_takes_its_producers_dossiers_along(world):
    """Provinces merged: the old province's districts (and their communes) hang under the new one."""
    dossier, untouched = new_dossier(world), new_dossier(world, name="Chè khác")
    untouched.product.organisation = world["other_producer"].organisation
    db.session.flush()
    other = _another_province()
    _move(world.district, other)
    db.session.commit()
    assert (_stored(dossier), _stored(untouched)) == (other.id, world.province.id)


def test_a_province_made_a_district_of_another_hands_its_dossiers_to_that_one(world):
    dossier = new_dossier(world)
    other = _another_province()
    _move(world.province, other, level="district")
    db.session.commit()
    assert _stored(dossier) == other.id


def test_a_product_moved_to_another_organisation_takes_its_dossier_along(world):
    dossier = new_dossier(world)
    db.session.commit()
    other = _another_province()
    _move(world.other_district, other)
    assert _stored(dossier) == world.province.id
    dossier.product.organisation = world["other_producer"].organisation
    db.session.commit()
    assert _stored(dossier) == other.id


def test_the_province_s_queue_follows_an_organisation_into_another_province(world):
    dossier = dossier_in_state(world, "provincial_review")
    other = _another_province()
    coop = world["producer"].organisation
    before = queue_counts(world["province_officer"], DAY0)["awaiting"]
    save_organisation(coop, actor=world["admin"], name=coop.name, kind=coop.kind,
                      unit=store_unit(None, code="Q-C1", name="Tân Lạc", level="commune", parent=other))
    db.session.commit()
    listed = dossier_queue(world["province_officer"], QueueFilters(due="awaiting"), today=DAY0).items
    assert dossier not in listed
    assert queue_counts(world["province_officer"], DAY0)["awaiting"] == before - 1


def test_the_migration_fills_the_producer_s_province(tmp_path):
    app = app_at_revision(tmp_path, "5d1c3a7e9b20")
    with app.app_context():
        for statement in [*PRODUCT_ROWS, (
                "INSERT INTO dossiers (id, product_id, state, version, round_number, dossier_type, rule_set, created_at, "
                "updated_at, search_text) VALUES (3, 1, 'draft', 1, 1, 'new', 'qd26-2026-commune', '2026-06-01', "
                "'2026-06-01', '')")]:
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        assert db.session.scalar(text("SELECT producer_province_id FROM dossiers WHERE id = 3")) == 1
        db.engine.dispose()
