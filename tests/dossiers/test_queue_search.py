"""The work queue's search (product, producer, dossier and certificate codes, with or without diacritics), its sorts,
the search text kept up to date by the services and filled by the migration, and a page that costs the same
number of statements however many rows it shows."""
from __future__ import annotations

import re
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from ocop_tracker import create_app
from ocop_tracker.admin.services import save_organisation
from ocop_tracker.dossiers.assignment import assign_dossier
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.queries import QueueFilters, dossier_queue
from ocop_tracker.dossiers.services import edit_product_details, open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.registry.services import current_certificate

from ..factories import DAY0, TEA, dossier_in_state, new_dossier
from ..reports.helpers import csv_rows, xlsx_rows
from ..statements import statements_run

LATER = date(2026, 3, 9)  # a week after DAY0: its first-level check is due a week later


def listed(client, query: str = "") -> list[int]:
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    return [int(found) for found in re.findall(r'data-dossier="(\d+)"', page.get_data(as_text=True))]


def queue_ids(user, **filters) -> list[int]:
    found = dossier_queue(user, QueueFilters(**filters), today=LATER, per_page=100)
    return [dossier.id for dossier in found.items]


@pytest.fixture()
def dossiers(world) -> dict[str, Dossier]:
    """Tea and banana of the first cooperative, turmeric of the other company (drafts: the admin sees them)."""
    tea = new_dossier(world, documents=False, name="Chè shan tuyết Mỹ Tân")
    banana = new_dossier(world, documents=False, name="Chuối sấy dẻo")
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    turmeric = open_dossier(create_product(actor=world["other_producer"], name="Tinh bột nghệ đỏ",
                                           product_set=product_set), actor=world["other_producer"])
    db.session.commit()
    return {"tea": tea, "banana": banana, "turmeric": turmeric}


@pytest.mark.parametrize("query, expected", [
    ("Chè shan tuyết", ["tea"]), ("che shan tuyet", ["tea"]), ("CHÈ MỸ TÂN", ["tea"]), ("my tan che", ["tea"]),
    ("chuoi say", ["banana"]), ("  Chuối   sấy ", ["banana"]), ("chuoi", ["banana", "tea"]), ("nghe do", ["turmeric"]),
    ("viba", ["banana", "tea"]), ("HTX Chuối Viba", ["banana", "tea"]), ("nhung van", ["turmeric"]),
    ("Công ty Nhưng Vần", ["turmeric"]), ("chè nhưng vần", []), ("sầu riêng", []),
])
def test_search_finds_products_and_producers_with_or_without_diacritics(world, login_as, dossiers, query, expected):
    client = login_as("admin")
    found = listed(client, f"q={query}")
    assert sorted(found) == sorted(dossiers[name].id for name in expected)


def test_search_finds_a_dossier_by_its_code_with_or_without_hash(world, login_as, dossiers):
    client = login_as("admin")
    tea = dossiers["tea"]
    assert listed(client, f"q=%23{tea.id}") == [tea.id]
    assert tea.id in listed(client, f"q={tea.id}")
    assert listed(client, "q=%23999999") == []
    assert listed(client, f"q=HS-{tea.id}") == [tea.id]  # the code on the producer's receipt


def test_search_finds_a_dossier_by_its_certificate_code(world, login_as):
    certified = dossier_in_state(world, "certified")
    dossier_in_state(world, "district_review")
    code = current_certificate(certified).code
    client = login_as("admin")
    assert listed(client, f"q={code}") == [certified.id]
    assert listed(client, f"q={code.lower()}") == [certified.id]
    assert code.lower() in certified.search_text


def test_search_text_follows_product_edits_and_organisation_renames(world, login_as, dossiers):
    tea = dossiers["tea"]
    tea_set = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    edit_product_details(tea, actor=world["producer"], name="Trà hoa vàng Ba Chẽ", product_set=tea_set)
    organisation = world["other_producer"].organisation
    save_organisation(organisation, actor=world["admin"], name="Công ty Nghệ Lạc Sơn", kind=organisation.kind,
                      unit=organisation.unit)
    db.session.commit()
    client = login_as("admin")
    assert listed(client, "q=tra hoa vang") == [tea.id] and listed(client, "q=shan tuyet") == []
    assert listed(client, "q=nghe lac son") == [dossiers["turmeric"].id] and listed(client, "q=nhung van") == []
    assert tea.version == 1  # the search text is not a change of the dossier: no version step


def test_search_matches_percent_and_underscore_as_themselves(world, login_as, dossiers):
    odd = new_dossier(world, documents=False, name="Mật ong 100% nguyên chất_loại 1")
    db.session.commit()
    client = login_as("admin")
    assert listed(client, "q=100%25") == listed(client, "q=%25") == listed(client, "q=chat_loai") == [odd.id]
    assert listed(client, "q=ong_1") == [] and listed(client, "q=g%25n") == []  # neither is a wildcard
    assert listed(client, "q=100%25%00") == [odd.id]  # a control character is no part of a search


def test_search_combines_with_the_other_filters(world, login_as):
    reviewed = dossier_in_state(world, "district_review")
    dossier_in_state(world, "provincial_review")
    client = login_as("admin")
    assert len(listed(client, "q=che my tan")) == 2
    assert listed(client, "q=che my tan&state=district_review") == [reviewed.id]


def test_sort_by_due_puts_the_earliest_open_deadline_first_and_none_last(world):
    later = dossier_in_state(world, "district_review", day=LATER)
    earlier = dossier_in_state(world, "district_review")
    draft = new_dossier(world, documents=False, name="Nháp")
    db.session.commit()
    assert queue_ids(world["admin"], sort="due") == [earlier.id, later.id, draft.id]


def test_sort_by_due_pages_through_every_dossier_once_in_the_list_s_order(world, login_as):
    """Page by page, by due day: a met deadline asks nothing (the certified file's first-level check: its
    certificate's expiry is next), files without an open deadline come last by number; the download lists them in
    the same order."""
    due = [dossier_in_state(world, "district_review", day=date(2026, 3, day)) for day in (9, 2, 5, 3)]
    certified = dossier_in_state(world, "certified")  # its re-rating window is years away: after the checks
    drafts = [new_dossier(world, documents=False, name="Nháp") for _ in range(2)]
    db.session.commit()
    expected = [due[1].id, due[3].id, due[2].id, due[0].id, certified.id, *sorted(d.id for d in drafts)]
    pages = [dossier_queue(world["admin"], QueueFilters(sort="due"), today=LATER, page=page, per_page=3)
             for page in (1, 2, 3)]
    assert [d.id for page in pages for d in page.items] == expected and pages[0].total == len(expected)
    rows = csv_rows(login_as("admin").get("/reports/dossiers.csv?sort=due"))
    assert [int(row[0]) for row in rows[1:]] == expected


def test_sort_by_received_puts_the_longest_waiting_first(world):
    later = dossier_in_state(world, "district_review", day=LATER)
    earlier = dossier_in_state(world, "district_review")
    draft = new_dossier(world, documents=False, name="Nháp")
    db.session.commit()
    assert (later.received_on, earlier.received_on, draft.received_on) == (LATER, DAY0, None)
    assert queue_ids(world["admin"], sort="received") == [earlier.id, later.id, draft.id]


def test_default_sort_is_the_last_change_first(world, login_as):
    first = dossier_in_state(world, "district_review")
    second = dossier_in_state(world, "district_review")
    assert queue_ids(world["admin"]) == [second.id, first.id] == queue_ids(world["admin"], sort="updated")
    client = login_as("admin")
    assert listed(client, "sort=received") == [first.id, second.id]
    assert listed(client, "sort=anything") == [second.id, first.id]  # an unknown sort: the form says so


def test_queue_export_reads_the_search_and_sort_and_names_the_assignee(world, login_as):
    later = dossier_in_state(world, "district_review", day=LATER)
    earlier = dossier_in_state(world, "district_review")
    dossier_in_state(world, "provincial_review")
    assign_dossier(later, actor=world["officer"], assignee=world["officer"])
    db.session.commit()
    client = login_as("officer")
    query = "q=chè mỹ tân&sort=due&due=awaiting"
    for rows in (csv_rows(client.get(f"/reports/dossiers.csv?{query}")),
                 xlsx_rows(client.get(f"/reports/dossiers.xlsx?{query}"))):
        assert rows[0][-1] == "Cán bộ xử lý"
        assert [(int(row[0]), row[-1] or "") for row in rows[1:]] == [(earlier.id, ""), (later.id, "officer")]
    assert len(csv_rows(client.get("/reports/dossiers.csv?assignee=none"))) == 3  # the header and two rows


def _statements_for(client, query: str) -> tuple[int, int]:
    with statements_run() as seen:
        rows = listed(client, query)
    return len(seen), len(rows)


def _add_assigned_dossiers(world, count: int) -> None:
    """Dossiers that are already on an officer's desk, the assignee shown on every row."""
    start = db.session.scalar(db.select(db.func.count(Dossier.id)))
    for n in range(start, start + count):
        new_dossier(world, documents=False, name=f"Sản phẩm {n}")
    db.session.execute(text("UPDATE dossiers SET assignee_id = :officer"), {"officer": world["officer"].id})
    db.session.commit()


@pytest.mark.parametrize("query", ["page=1", "q=san pham&sort=due", "assignee=none&sort=received",
                                   "due=awaiting&assignee=me"])
def test_queue_statements_do_not_grow_with_rows(app, world, login_as, query):
    app.config["DOSSIERS_PER_PAGE"] = 1000
    client = login_as("admin")
    _add_assigned_dossiers(world, 5)
    small, small_rows = _statements_for(client, query)
    _add_assigned_dossiers(world, 40)
    large, large_rows = _statements_for(client, query)
    assert small == large
    if query == "page=1":
        assert (small_rows, large_rows) == (5, 45)
        assert "Cán bộ xử lý: officer" in client.get("/").get_data(as_text=True)


def test_migration_fills_the_search_text_of_existing_dossiers(tmp_path):
    """Rows written before the column existed get the same text the services write."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "SECRET_KEY": "x",
                      "TESTING": True}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade(revision="cd6414f5cb0d")
        for statement in (
            "INSERT INTO unit_levels (code, rank, name_vi, name_en) VALUES ('province', 1, 'Tỉnh', 'Province')",
            "INSERT INTO administrative_units (id, code, name, level, path) VALUES (1, 'P', 'Phú Thọ', 'province', '/1/')",
            "INSERT INTO product_groups (id, code, name_vi, name_en) VALUES (1, 'food', 'Thực phẩm', 'Food')",
            "INSERT INTO product_sets (id, code, number, group_id, name_vi, name_en) VALUES (1, 'set-11', 11, 1, 'Chè', 'Tea')",
            ("INSERT INTO organisations (id, name, kind, unit_id, created_at, contact_public) "
             "VALUES (1, 'HTX Đồng Tâm', 'cooperative', 1, '2024-01-01', 0)"),
            ("INSERT INTO products (id, name, description, product_set_id, organisation_id, created_at) "
             "VALUES (7, 'Chè Mỹ Tân', '', 1, 1, '2024-01-01')"),
            ("INSERT INTO dossiers (id, product_id, state, version, round_number, dossier_type, rule_set, created_at, "
             "updated_at) VALUES (12, 7, 'certified', 5, 1, 'new', 'qd148-2023-district', '2024-03-01', '2024-03-10')"),
            ("INSERT INTO evaluation_rounds (id, dossier_id, number, kind, rule_set, opened_at) "
             "VALUES (1, 12, 1, 'new', 'qd148-2023-district', '2024-03-01')"),
            ("INSERT INTO certificates (id, code, dossier_id, round_id, star, issued_on, expires_on, recognised_by, "
             "status) VALUES (1, 'OCOP-P-2024-00012-R1', 12, 1, 3, '2024-03-10', '2027-03-10', 'district', 'valid')"),
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        stored = db.session.execute(text("SELECT search_text, version FROM dossiers WHERE id = 12")).one()
        assert tuple(stored) == ("#12 ocop-p-2024-00012-r1 che my tan htx dong tam", 5)
        db.engine.dispose()
