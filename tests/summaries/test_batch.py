"""Summaries built for a whole batch of recipients (issue 13, `send-summaries` at national scale): each unit and each
organisation gets its own first rows and totals, the same as the queue and the per-user queries give, in a number
of statements that grows neither with the dossiers nor with the recipients of the batch."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from sqlalchemy.orm import joinedload

from ocop_tracker.accounts.models import User
from ocop_tracker.accounts.services import create_user
from ocop_tracker.dossiers.queries import QueueFilters, dossier_queue, queue_counts
from ocop_tracker.dossiers.services import open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.summaries import services
from ocop_tracker.summaries.lines import Reported
from ocop_tracker.summaries.services import batch_sections as batch_in_locale

from ..factories import PASSWORD, TEA, _unit, dossier_in_state, fire, upload_required_documents
from ..statements import statements_run
from .test_statements import _add_world, short_sections  # noqa: F401  (a fixture)

TODAY = date(2026, 3, 10)
DAYS = Reported(date(2026, 3, 2), TODAY)  # the week before: yesterday's arrivals and returns
OFFICERS = ("officer", "other_officer", "district_officer", "province_officer")


def _other_commune_files(world, count: int = 3) -> None:
    """Files of the other commune's producer: some arrived in the reported week, one overdue."""
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    for i in range(count):
        product = create_product(actor=world["other_producer"], name=f"Miến {i}", product_set=product_set)
        dossier = open_dossier(product, actor=world["other_producer"])
        upload_required_documents(dossier, world["other_producer"])
        fire(world, dossier, "submit", "other_producer", day=date(2026, 1, 26) if i == 0 else date(2026, 3, 9))
    db.session.commit()


def batch_sections(users, today, days):
    with force_locale("vi"):  # send-summaries calls it for the batch's users of one language
        return batch_in_locale(users, today, days)


def officer_alone(officer):
    with force_locale("vi"):
        return services._officer_sections(officer, TODAY, DAYS)  # the per-user queries a province's officers use


def test_a_batch_of_units_gives_each_its_own_rows_and_totals_as_each_officer_alone(world, short_sections):  # noqa: F811
    _add_world(world)
    _other_commune_files(world)
    officers = [world[name] for name in OFFICERS]
    batch = batch_sections(officers, TODAY, DAYS)
    for officer in officers:
        assert batch[officer.id] == officer_alone(officer), officer.username
    mine, theirs = (batch[world[name].id] for name in ("officer", "other_officer"))
    assert {s.key: s.total for s in theirs} == {"overdue": 1, "due_soon": 0, "awaiting": 2, "arrivals": 2,
                                                 "expiring": 0}
    assert not {line.key for s in mine for line in s.lines} & {line.key for s in theirs for line in s.lines}
    for officer in (world["officer"], world["other_officer"], world["province_officer"]):  # as the list's queue says
        counts = queue_counts(officer, TODAY)
        sections = {s.key: s for s in batch[officer.id]}
        for due in ("overdue", "due_soon"):
            page = dossier_queue(officer, QueueFilters(due=due), today=TODAY, per_page=2)
            assert (sections[due].total, [line.key for line in sections[due].lines]) == \
                (counts[due], [str(d.id) for d in page.items])
    assert all(s.total == 0 for s in batch[world["district_officer"].id] if s.counts == "waiting")  # abolished


def test_a_batch_costs_the_same_statements_whatever_its_dossiers_and_recipients(world, short_sections):  # noqa: F811
    def statements(*names: str) -> int:
        db.session.expire_all()  # nothing served from earlier builds; the users read as send-summaries reads them
        users = list(db.session.scalars(db.select(User).where(User.id.in_([world[name].id for name in names]))
                                        .options(joinedload(User.unit), joinedload(User.organisation))))
        with statements_run() as seen:
            batch_sections(users, TODAY, DAYS)
        return len(seen)

    _add_world(world)
    _other_commune_files(world, 1)
    def all_kinds() -> tuple[int, ...]:
        return (statements(*OFFICERS), statements("officer", "province_officer"),
                statements("producer", "other_producer"),
                statements("chair", "member", "district_chair"), statements("chair"))

    small = all_kinds()
    _add_world(world)
    _other_commune_files(world, 4)
    assert all_kinds() == small
    assert small[0] == small[1] and small[3] == small[4]  # four units (three members) cost what two (one) do


def test_producers_of_a_batch_each_get_their_own_organisation(world, short_sections):  # noqa: F811
    _add_world(world)
    _other_commune_files(world)
    producers = [world["producer"], world["other_producer"]]
    together = batch_sections(producers, TODAY, DAYS)
    for producer in producers:
        assert together[producer.id] == batch_sections([producer], TODAY, DAYS)[producer.id]
    theirs = {s.key: s for s in together[world["other_producer"].id]}
    assert (theirs["waiting"].total, theirs["dossiers"].total) == (0, 3)
    assert all("Miến" in line.cells[1] for line in theirs["dossiers"].lines)


def test_council_members_of_a_batch_each_get_their_seats(world, short_sections):  # noqa: F811
    _add_world(world)
    members = [world[name] for name in ("chair", "member", "member3", "district_chair")]
    together = batch_sections(members, TODAY, DAYS)
    for member in members:
        assert together[member.id] == batch_sections([member], TODAY, DAYS)[member.id], member.username
    chair = {s.key: s for s in together[world["chair"].id]}
    assert chair["to_close"].total == 3 and "to_close" not in {s.key for s in together[world["member"].id]}
    assert [s.total for s in together[world["district_chair"].id]] == [0]  # the district council rates nothing now


def test_administrators_of_a_batch_share_the_overview_and_each_get_their_province(world, short_sections):  # noqa: F811
    _add_world(world)
    dossier_in_state(world, "provincial_review")
    elsewhere = _unit("Q", "Hòa Bình", "province")
    second = create_user(username="admin2", password=PASSWORD, role="admin", unit=elsewhere, email="admin2@test.local")
    db.session.commit()
    together = batch_sections([world["admin"], second], TODAY, DAYS)
    for admin in (world["admin"], second):
        assert together[admin.id] == batch_sections([admin], TODAY, DAYS)[admin.id], admin.username
    assert together[world["admin"].id][1:] == together[second.id][1:]  # the overview: every dossier, read once
    assert together[world["admin"].id][0].total > 0 and together[second.id][0].total == 0  # another province: none waits
    for admin in (world["admin"], second):  # the province's page read for both at once, as the list's queue says
        page = dossier_queue(admin, QueueFilters(due="awaiting"), today=TODAY, per_page=2)
        waiting = together[admin.id][0]
        assert (waiting.total, [line.key for line in waiting.lines]) == (page.total, [str(d.id) for d in page.items])
