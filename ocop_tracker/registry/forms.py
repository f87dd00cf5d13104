"""The registry search (a GET form: it changes nothing, so it carries no CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from ..accounts.models import AdministrativeUnit
from ..dossiers.page import product_set_choices
from ..extensions import db
from ..forms_base import Form, select_choices


class RegistrySearchForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Tên sản phẩm, chủ thể hoặc mã chứng nhận"), validators=[Optional(), Length(max=100)])
    product_set = SelectField(_l("Bộ sản phẩm"), coerce=int, validators=[Optional()])
    unit = SelectField(_l("Địa bàn"), coerce=int, validators=[Optional()])
    star = SelectField(_l("Hạng sao"), coerce=int, validators=[Optional()], choices=select_choices([
        (0, _l("Mọi hạng")), (3, _l("3 sao")), (4, _l("4 sao")), (5, _l("5 sao"))]))
    validity = SelectField(_l("Hiệu lực"), default="valid", validators=[Optional()], choices=select_choices([
        ("valid", _l("Còn hiệu lực")), ("all", _l("Tất cả"))]))


def registry_search_form(args) -> RegistrySearchForm:
    """The search form over the query string, with every product set and every unit (indented under its parent)."""
    form = RegistrySearchForm(args)
    form.product_set.choices = select_choices([(0, _l("Mọi bộ sản phẩm"))]) + product_set_choices()
    units = db.session.scalars(db.select(AdministrativeUnit).order_by(AdministrativeUnit.path))
    form.unit.choices = select_choices([(0, _l("Mọi địa bàn")), *(
        (u.id, "· " * (u.path.count("/") - 2) + u.name) for u in units)])
    return form
