"""Every form: one base class, a text rule and a visible limit on every text field, WTForms' messages in the
reader's language, no deprecated tuple choices; and the same text rule at the API."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import PasswordField, SearchField, TextAreaField
from wtforms.validators import Length

import ocop_tracker
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.form_messages import MESSAGES
from ocop_tracker.forms_base import Form, TextRule, text_kind
from ocop_tracker.products.models import Product, ProductSet

from .factories import DAY0, DISTRICT_ERA_DAY, PASSWORD, TEA, dossier_in_state, fire, new_dossier

HEADER_INJECTION = "Cao\r\nBcc: attacker@example.com"
ONE_LINE = "Chỉ nhập một dòng, không có ký tự điều khiển"
# The arguments a form class needs besides the request (most need none).
FORM_ARGUMENTS = {"ScoreForm": ({"A": 40, "B": 25, "C": 35},), "OpenBatchForm": (None,)}


def _form_classes() -> list[type[FlaskForm]]:
    """Every form class defined anywhere in the package."""
    found = {}
    for module in pkgutil.walk_packages(ocop_tracker.__path__, "ocop_tracker."):
        for value in vars(importlib.import_module(module.name)).values():
            if inspect.isclass(value) and issubclass(value, FlaskForm) and value.__module__.startswith("ocop_tracker."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found) if found[name] is not Form]


FORM_CLASSES = _form_classes()


def _bound(app, form_class):
    with app.test_request_context("/"):
        return form_class(*FORM_ARGUMENTS.get(form_class.__name__, ()), formdata=None)


def _set_id() -> int:
    return db.session.scalar(db.select(ProductSet.id).filter_by(number=TEA))


def test_the_package_has_forms_to_check():
    assert len(FORM_CLASSES) > 30


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_form_derives_from_the_base_form(form_class):
    assert issubclass(form_class, Form), f"{form_class.__module__}.{form_class.__name__}: derive from forms_base.Form"


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_text_field_has_a_limit_and_the_rule_of_its_kind(app, form_class):
    for field in _bound(app, form_class):
        kind = text_kind(field)
        if kind is None:
            continue
        limits = [v.max for v in field.validators if isinstance(v, Length) and v.max != -1]
        assert limits and field.flags.maxlength == min(limits), field.name
        assert field.flags.maxlength <= (5000 if isinstance(field, TextAreaField) else 255), field.name
        rules = [v.kind for v in field.validators if isinstance(v, TextRule)]
        expected = "secret" if isinstance(field, PasswordField) else "area" if isinstance(field, TextAreaField) \
            else "line"
        assert rules == [expected], field.name
        assert f'maxlength="{field.flags.maxlength}"' in field()


def test_searches_are_not_refused_for_what_the_search_ignores(app):
    """A search field drops control characters itself (tests/dossiers/test_queue_search.py)."""
    queue_form = next(c for c in FORM_CLASSES if c.__name__ == "QueueFilterForm")
    search = _bound(app, queue_form).q
    assert isinstance(search, SearchField) and text_kind(search) is None


def test_no_form_passes_choices_in_a_shape_wtforms_3_4_removes(app, world):
    """Declared choices and the choices pages fill in at request time are SelectChoice objects, not tuples."""
    from ocop_tracker.admin.forms import candidate_choices, level_choices, organisation_choices, unit_choices
    from ocop_tracker.dossiers.page import batch_choices, filter_choices, officer_choices, product_set_choices
    from ocop_tracker.registry.forms import registry_search_form
    from ocop_tracker.reviews.models import Council

    dossier = dossier_in_state(world, "provincial_review")
    with app.test_request_context("/"), warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        forms = [form_class(*FORM_ARGUMENTS.get(form_class.__name__, ()), formdata=None)
                 for form_class in FORM_CLASSES]
        queue = next(form for form in forms if type(form).__name__ == "QueueFilterForm")
        filter_choices(queue, world["admin"])
        filled = [unit_choices(), organisation_choices(), level_choices(), product_set_choices(),
                  candidate_choices(db.session.scalar(db.select(Council))), batch_choices(dossier, DAY0),
                  officer_choices(dossier, DAY0), queue.unit.choices, queue.assignee.choices,
                  registry_search_form({}).unit.choices]
        for form in forms:
            for field in form:
                if getattr(field, "choices", None) is not None:
                    filled.append(field.choices)
                    field()  # rendering reads the choices as WTForms will
    assert all(not isinstance(choice, tuple) for choices in filled for choice in choices)


def test_a_line_break_in_a_product_name_is_refused_on_the_page(world, login_as):
    client = login_as("producer")
    response = client.post("/dossiers/open", data={"name": HEADER_INJECTION, "product_set": _set_id(),
                                                   "description": "Dòng một\r\nDòng hai\tcột"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and ONE_LINE in page and 'class="invalid-feedback d-block"' in page
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_a_text_area_keeps_line_breaks_but_refuses_other_control_characters(world, login_as):
    client = login_as("producer")
    refused = client.post("/dossiers/open", data={"name": "Chè", "product_set": _set_id(), "description": "a\x00b\x1bc"})
    assert "Không được chứa ký tự điều khiển." in refused.get_data(as_text=True)
    accepted = client.post("/dossiers/open", data={"name": "Chè 🍵", "product_set": _set_id(),
                                                   "description": "Dòng một\r\nDòng hai\tcột"})
    assert accepted.status_code == 302
    assert db.session.scalar(db.select(Product.description)) == "Dòng một\r\nDòng hai\tcột"


def test_a_too_long_return_reason_is_refused_with_its_limit(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    response = client.post(f"/dossiers/{dossier.id}/events/return",
                           data={"return-version": dossier.version, "return-comment": "x" * 2001})
    assert response.status_code == 302  # post/redirect/get: the dossier page shows the refused form
    page = client.get(response.headers["Location"])
    assert "Tối đa 2000 ký tự." in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == "district_review"


def test_pages_show_each_limit(world, login_as):
    page = login_as("producer").get("/dossiers/open").get_data(as_text=True)
    assert 'maxlength="200"' in page and 'maxlength="5000"' in page
    assert "Tối đa 5.000 ký tự" in page and 'aria-describedby="description-help description-limit"' in page
    dossier = dossier_in_state(world, "district_review")
    page = login_as("officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'maxlength="2000"' in page and "Tối đa 2.000 ký tự" in page


def test_wtforms_messages_are_vietnamese_on_vietnamese_pages(world, login_as):
    client = login_as("producer")
    page = client.post("/dossiers/open", data={"name": "", "product_set": "999999"}).get_data(as_text=True)
    assert "Mục này không được để trống." in page and "Lựa chọn không hợp lệ." in page
    assert "This field is required." not in page and "Not a valid choice." not in page


def test_wtforms_messages_follow_an_english_reader_through_the_catalogue(world, login_as):
    world["producer"].locale = "en"
    db.session.commit()
    page = login_as("producer").post("/dossiers/open", data={"name": "", "product_set": "999999"})
    with force_locale("en"):
        expected = [str(MESSAGES["This field is required."]), str(MESSAGES["Not a valid choice."])]
    assert all(message in page.get_data(as_text=True) for message in expected)


def test_a_number_field_says_what_it_wants_in_vietnamese(world, login_as):
    dossier = new_dossier(world)  # a district-era round: the self-assessment is three totals, not the sheet
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "return", "district_officer", day=DISTRICT_ERA_DAY, comment="Bổ sung")
    db.session.commit()
    page = login_as("producer").post(f"/dossiers/{dossier.id}/self-assessment",
                                     data={"part_a": "abc", "part_b": "1", "part_c": "1"}).get_data(as_text=True)
    assert "Cần nhập một số." in page and "Not a valid decimal value." not in page


def test_the_sign_in_page_says_why_a_username_is_refused(world, client):
    page = client.post("/login", data={"username": "admin\x00", "password": PASSWORD}).get_data(as_text=True)
    assert ONE_LINE in page


@pytest.fixture()
def api(world, client):
    token = client.post("/api/v1/auth/token", json={"username": "producer", "password": PASSWORD}).get_json()["token"]
    return lambda path, body: client.post(f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"})


def test_the_api_refuses_a_line_break_in_a_product_name(api):
    response = api("/products", {"name": HEADER_INJECTION, "product_set": "set-11"})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["fields"] == {
        "name": "must be one line without control characters (no line break or tab)"}
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_the_api_keeps_line_breaks_in_a_description(api):
    response = api("/products", {"name": "Chè 🍵", "product_set": "set-11", "description": "Dòng một\nDòng hai"})
    assert response.status_code == 201, response.get_json()


def test_the_api_limits_a_comment_as_the_page_does(world, api):
    dossier = new_dossier(world)
    db.session.commit()
    response = api(f"/dossiers/{dossier.id}/events/submit", {"version": dossier.version, "comment": "x" * 2001})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["fields"] == {"comment": "must be at most 2000 characters"}
