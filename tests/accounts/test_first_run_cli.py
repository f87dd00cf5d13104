"""A database without demo data gets its levels, map, first administrator and reference data from commands."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ocop_tracker.accounts.models import AdministrativeUnit, UnitLevel, User
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet

SAMPLE = Path(__file__).parents[2] / "ocop_tracker" / "accounts" / "data" / "units-phu-tho.csv"
HEADER = "code,name,level,parent_code,abolished_on,successor_code\n"
ADMIN_PASSWORD = "Ca-phe-sua-da-42"


@pytest.fixture()
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(args=list(args))
        assert (result.exit_code == 0) is ok, result.output
        db.session.rollback()  # see what the command committed, not this session's cache
        return result.output
    return invoke


@pytest.fixture()
def csv_file(tmp_path):
    def write(text: str, *, bom: bool = False) -> str:
        path = tmp_path / "units.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
        return str(path)
    return write


def _unit(code: str) -> AdministrativeUnit | None:
    return db.session.scalar(db.select(AdministrativeUnit).filter_by(code=code))


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(AdministrativeUnit.id)))


def test_first_run_from_an_empty_database(app, run, client):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0 and _count() == 0
    assert "an officer or administrator belongs to a unit" in run(
        "create-user", "admin", "--role", "admin", "--password", ADMIN_PASSWORD, ok=False)
    assert "3 unit levels added" in run("create-unit-levels")
    assert "9 added, 0 changed, 0 unchanged." in run("import-units", str(SAMPLE))
    assert "User quantri created." in run("create-user", "quantri", "--role", "admin", "--unit-code", "25",
                                           "--password", ADMIN_PASSWORD, "--full-name", "Quản trị tỉnh")
    assert "32 product groups and sets added" in run("load-reference-data")

    province, district, commune = _unit("25"), _unit("152"), _unit("04960")
    assert (commune.name, commune.parent, district.parent) == ("Liên Sơn", district, province)
    assert commune.path == f"/{province.id}/{district.id}/{commune.id}/"
    assert district.abolished_on == date(2025, 7, 1) and commune.abolished_on is None
    assert db.session.scalar(db.select(User).filter_by(username="quantri")).unit == province
    assert db.session.scalar(db.select(db.func.count(ProductSet.id))) == 26

    assert client.post("/login", data={"username": "quantri", "password": ADMIN_PASSWORD}).status_code == 302
    page = client.get("/admin/units?q=Nhân Nghĩa")
    assert page.status_code == 200 and "05290" in page.get_data(as_text=True)


def test_every_command_is_safe_to_repeat(app, run):
    run("create-unit-levels")
    assert "0 unit levels added; 3 already present." in run("create-unit-levels")
    run("import-units", str(SAMPLE))
    paths = {unit.code: unit.path for unit in db.session.scalars(db.select(AdministrativeUnit))}
    assert "0 added, 0 changed, 9 unchanged." in run("import-units", str(SAMPLE))
    assert {unit.code: unit.path for unit in db.session.scalars(db.select(AdministrativeUnit))} == paths
    assert "Unit 25 already present; unchanged." in run("create-unit", "25", "Phú Thọ", "--level", "province")
    assert db.session.scalar(db.select(db.func.count(UnitLevel.code))) == 3 and _count() == 9


def test_a_changed_name_is_updated_and_reported(app, run, csv_file):
    run("create-unit-levels")
    run("import-units", str(SAMPLE))
    changed = SAMPLE.read_text(encoding="utf-8").replace("05290,Nhân Nghĩa,", "05290,Nhân Nghĩa Mới,")
    output = run("import-units", csv_file(changed))
    assert "changed 05290: name 'Nhân Nghĩa' → 'Nhân Nghĩa Mới'" in output
    assert "0 added, 1 changed, 8 unchanged." in output
    assert _unit("05290").name == "Nhân Nghĩa Mới"


def test_rows_in_any_order_with_a_bom_and_parents_from_the_database(app, run, csv_file):
    run("create-unit-levels")
    run("create-unit", "25", "Phú Thọ", "--level", "province")
    rows = HEADER + "05290,Nhân Nghĩa,commune,157,,\n157,Lạc Sơn,district,25,2025-07-01,25\n"
    assert "2 added, 0 changed, 0 unchanged." in run("import-units", csv_file(rows, bom=True))
    assert _unit("05290").path == f"{_unit('157').path}{_unit('05290').id}/"
    assert _unit("157").parent == _unit("25")


def test_a_dry_run_reports_and_writes_nothing(app, run):
    run("create-unit-levels")
    assert "Dry run, nothing written: 9 added, 0 changed, 0 unchanged." in run(
        "import-units", str(SAMPLE), "--dry-run")
    assert _count() == 0


def test_every_bad_line_is_reported_and_nothing_is_written(app, run, csv_file):
    run("create-unit-levels")
    rows = HEADER + ("25,Phú Thọ,province,,,\n"
                     "05290,Nhân Nghĩa,commune,999,,\n"           # unknown parent
                     "157,Lạc Sơn,district,25,2025-07-01,05290\n"  # successor not its province
                     "04924,Lương Sơn,province,157,,\n"            # a province under a district
                     "05293,Thượng Cốc,ward,157,,\n"               # unknown level
                     "05266,Lạc Sơn,commune,157,,25\n"             # successor of a unit not abolished
                     "25,Phú Thọ 2,province,,,\n")                 # the same code twice
    output = run("import-units", csv_file(rows), ok=False)
    assert "line 3: unknown parent '999'" in output
    assert "line 4: the successor of '157' must be its province (25), not '05290'" in output
    assert "line 5: a province cannot lie under '157', a district" in output
    assert "line 6: unknown level 'ward'" in output
    assert "line 7: a successor is given for '05266', which is not abolished" in output
    assert "line 8: the code '25' is already on line 2" in output
    assert "6 problem(s): nothing imported" in output
    assert _count() == 0


def test_unreadable_lines_and_map_problems_are_reported_together(app, run, csv_file):
    run("create-unit-levels")
    rows = ("# a comment line\n" + HEADER + "25,,province,,,\n" + "152,Lương Sơn,district,25,1/7/2025,25\n"
            + "157,Lạc Sơn,district\n" + "05290,Nhân Nghĩa,commune,157,,\n" + "05291,Phường,ward,,,\n")
    output = run("import-units", csv_file(rows), ok=False)
    assert "line 3: name is empty" in output
    assert "line 4: abolished_on '1/7/2025' is not a date (YYYY-MM-DD)" in output
    assert "line 5: 3 fields where the header has 6" in output
    assert "line 7: unknown level 'ward'" in output
    assert "line 6" not in output  # its parent 157 is on a line already reported
    assert "4 problem(s): nothing imported" in output
    assert output.index("line 3") < output.index("line 5") < output.index("line 7")


def test_header_and_encoding_problems(app, run, csv_file):
    assert "line 1: unknown column 'parent'" in run("import-units", csv_file("code,name,level,parent\n"), ok=False)
    assert "column 'level' is missing" in run("import-units", csv_file("code,name\n"), ok=False)
    path = csv_file("")
    Path(path).write_bytes(HEADER.encode() + "25,Ph\u00fa Th\u1ecd,province,,,\n".encode("utf-16"))
    assert "the file is not UTF-8" in run("import-units", path, ok=False)
    assert _count() == 0


def test_a_loop_in_the_file_is_refused(app, run, csv_file):
    run("create-unit-levels")
    rows = HEADER + "A,Một,commune,B,,\nB,Hai,commune,A,,\n"
    output = run("import-units", csv_file(rows), ok=False)
    assert "the parent chain of 'A' loops back on itself" in output
    assert _count() == 0


def test_a_level_change_that_would_put_a_unit_under_its_equal_is_refused(app, run, csv_file):
    run("create-unit-levels")
    run("import-units", str(SAMPLE))
    output = run("import-units", csv_file(HEADER + "152,Lương Sơn,commune,25,2025-07-01,25\n"), ok=False)
    assert "line 2: '152' cannot become a commune: '04924', a commune, lies under it" in output
    assert _unit("152").level == "district"


def test_import_without_levels_says_which_command_adds_them(app, run):
    assert "unknown level 'province' (known: none: run flask create-unit-levels)" in run(
        "import-units", str(SAMPLE), ok=False)


def test_create_unit_errors(app, run):
    run("create-unit-levels")
    run("create-unit", "25", "Phú Thọ", "--level", "province")
    assert "unknown parent '777'" in run("create-unit", "X", "Xã", "--level", "commune", "--parent", "777", ok=False)
    assert "the unit '25' exists with other data: name 'Phú Thọ' → 'Phu Tho'" in run(
        "create-unit", "25", "Phu Tho", "--level", "province", ok=False)
    run("create-unit", "152", "Lương Sơn", "--level", "district", "--parent", "25")
    assert "a province cannot lie under '152', a district" in run(
        "create-unit", "X", "Tỉnh", "--level", "province", "--parent", "152", ok=False)
    assert "unknown level 'ward'" in run("create-unit", "X", "Phường", "--level", "ward", ok=False)
    assert "must be its province (25), not '152'" in run(
        "create-unit", "X", "Xã", "--level", "commune", "--parent", "152", "--abolished-on", "2025-07-01",
        "--successor", "152", ok=False)
    assert _unit("25").name == "Phú Thọ" and _count() == 2

    assert "Unit 157 created." in run("create-unit", "157", "Lạc Sơn", "--level", "district", "--parent", "25",
                                      "--abolished-on", "2025-07-01", "--successor", "25")
    assert _unit("157").abolished_on == date(2025, 7, 1)


def test_create_user_names_a_missing_unit(app, run):
    assert "no unit with code 'NOPE'" in run("create-user", "quantri", "--role", "admin", "--unit-code", "NOPE",
                                             "--password", ADMIN_PASSWORD, ok=False)
    assert "no organisation #999" in run("create-user", "htx", "--role", "producer", "--organisation-id", "999",
                                         "--password", ADMIN_PASSWORD, ok=False)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_the_demo_loads_onto_the_sample_map(app, run):
    """The demo's units carry the sample's official codes: after import-units, seed-demo uses them, adds none."""
    run("create-unit-levels")
    run("import-units", str(SAMPLE))
    assert "Demo data loaded." in run("seed-demo", "--quiet")
    assert _count() == 9
    mytan = db.session.scalar(db.select(User).filter_by(username="coop.mytan"))
    assert mytan.organisation.unit.code == "05047" and mytan.organisation.unit.parent.code == "152"
