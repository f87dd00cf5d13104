"""The registry search (a GET form: it changes nothing, so it carries no CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from ..accounts.models import AdministrativeUnit
from ..dossiers.page import product_set_choices
from ..extensions import db
from ..forms_base import Form, select_choices
from ..query_args import MAX_ID


class RegistrySearchForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Tên sản phẩm, chủ thể hoặc mã chứng nhận"), validators=[Optional(), Length(max=100)])
    product_set = SelectField(_l("Bộ sản phẩm"), coerce=int, validators=[Optional()])
    province = SelectField(_l("Tỉnh, thành phố"), coerce=int, validators=[Optional()])
    unit = SelectField(_l("Xã, phường (hoặc huyện trước 1/7/2025)"), coerce=int, validators=[Optional()])
    star = SelectField(_l("Hạng sao"), coerce=int, validators=[Optional()], choices=select_choices([
        (0, _l("Mọi hạng")), (3, _l("3 sao")), (4, _l("4 sao")), (5, _l("5 sao"))]))
    validity = SelectField(_l("Hiệu lực"), default="valid", validators=[Optional()], choices=select_choices([
        ("valid", _l("Còn hiệu lực")), ("all", _l("Tất cả"))]))


def _province_id(unit: AdministrativeUnit) -> int:
    """The province a unit lies in, read from its path ("/1/4/9/" → 1)."""
    return int(unit.path.strip("/").split("/")[0])


def _unit(unit_id: int | None) -> AdministrativeUnit | None:
    """The unit a select sent; none for an id no row can have (the form refuses it as not a choice)."""
    return db.session.get(AdministrativeUnit, unit_id) if unit_id and 0 < unit_id <= MAX_ID else None


def registry_search_form(args) -> RegistrySearchForm:
    """The search form over the query string: every product set, the provinces, and the units of the chosen
    province only (indented under their parent) — a second select filled once the province is sent, so no page
    renders the thousands of communes and it works without JavaScript. An old address with `unit=` alone still
    filters by that unit: its province is chosen for it. A unit outside the chosen province is dropped (the
    province was changed)."""
    form = RegistrySearchForm(args)
    form.product_set.choices = select_choices([(0, _l("Mọi bộ sản phẩm"))]) + product_set_choices()
    provinces = db.session.scalars(db.select(AdministrativeUnit).where(AdministrativeUnit.parent_id.is_(None))
                                   .order_by(AdministrativeUnit.path))
    form.province.choices = select_choices([(0, _l("Mọi tỉnh, thành phố")), *((p.id, p.name) for p in provinces)])
    unit = _unit(form.unit.data)
    if unit is not None and form.province.data in (None, 0, _province_id(unit)):
        form.province.data = _province_id(unit)
        if unit.id == form.province.data:  # an old address naming a province: the province select says it
            form.unit.data = 0
    elif unit is not None:
        form.unit.data = 0
    province = _unit(form.province.data)
    if province is None:
        form.unit.choices = select_choices([(0, _l("Chọn tỉnh, thành phố rồi bấm Tìm"))])
        return form
    units = db.session.scalars(db.select(AdministrativeUnit).where(
        AdministrativeUnit.path.startswith(province.path), AdministrativeUnit.id != province.id)
        .order_by(AdministrativeUnit.path))
    form.unit.choices = select_choices([(0, _l("Cả tỉnh, thành phố")), *(
        (u.id, "· " * (u.path.count("/") - 3) + u.name) for u in units)])
    return form
