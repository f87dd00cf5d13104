"""Administration of the working-day calendar: covered years, their holidays and compensatory working days."""
from __future__ import annotations

from flask import abort, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..commit_point import saved
from ..extensions import db
from ..forms_base import Form, select_choices
from ..refusals import speaks
from ..rules.models import CalendarDay, CalendarYear
from ..rules.services import (
    CalendarError,
    add_calendar_day,
    add_calendar_year,
    calendar_days,
    calendar_overview,
    remove_calendar_day,
    set_calendar_source,
)
from ..text_rules import NOTE_MAX
from .forms import ButtonForm
from .views import bp, form_page

CALENDAR_ERROR_MESSAGES = {
    "year_range": _l("Năm phải từ %(first)d đến %(last)d."),
    "year_exists": _l("Năm %(year)d đã có trong lịch."),
    "year_missing": _l("Năm %(year)d chưa có trong lịch: hãy thêm năm đó trước."),
    "working_day_on_weekday": _l("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."),
    "holiday_on_weekend": _l("Ngày nghỉ lễ phải là một ngày từ thứ Hai đến thứ Sáu; ngày lễ trùng cuối tuần "
                             "được ghi vào ngày nghỉ bù."),
    "name_required": _l("Cần tên tiếng Việt của ngày."),
    "day_exists": _l("Ngày này đã có trong lịch."),
    "unknown_kind": _l("Loại ngày không hợp lệ."),
}


class CalendarYearForm(Form):
    year = IntegerField(_l("Năm"), validators=[InputRequired()])
    source = TextAreaField(_l("Nguồn (văn bản công bố lịch nghỉ)"), validators=[Optional(), Length(max=NOTE_MAX)])


class CalendarSourceForm(Form):
    source = TextAreaField(_l("Nguồn (văn bản công bố lịch nghỉ)"), validators=[Optional(), Length(max=NOTE_MAX)])


class CalendarDayForm(Form):
    day = DateField(_l("Ngày"), validators=[DataRequired()])
    kind = SelectField(_l("Loại"), choices=select_choices([
        ("holiday", _l("Ngày nghỉ lễ (ngày làm việc được nghỉ)")),
        ("working_day", _l("Ngày làm bù (thứ Bảy hoặc Chủ nhật đi làm)"))]),
                       validators=[InputRequired()])
    name_vi = StringField(_l("Tên (tiếng Việt)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Tên (tiếng Anh)"), validators=[Optional(), Length(max=200)])


@speaks(CalendarError)
def calendar_error_message(error: CalendarError) -> str:
    """A refused calendar change in the reader's language."""
    return str(CALENDAR_ERROR_MESSAGES.get(error.code, _l("Không thể lưu thay đổi."))) % error.params


def _index_page(form: CalendarYearForm | None = None):
    return form_page("admin/calendar.html", years=calendar_overview(), form=form or CalendarYearForm(formdata=None))


@bp.get("/calendar")
def calendar():
    return _index_page()


@bp.post("/calendar")
def calendar_add_year():
    form = CalendarYearForm()
    if form.validate_on_submit() and saved(
            lambda: add_calendar_year(actor=current_user, year=form.year.data, source=form.source.data),
            _("Đã thêm năm %(year)d vào lịch.", year=form.year.data), unseen=True) is None:
        return redirect(url_for(".calendar_year", year=form.year.data))
    return _index_page(form)


def _year_page(calendar_year: CalendarYear, day_form=None, source_form=None):
    days = calendar_days(calendar_year.year)
    return form_page("admin/calendar_year.html", calendar_year=calendar_year, button=ButtonForm(formdata=None),
                     holidays=[d for d in days if d.kind == "holiday"],
                     working_days=[d for d in days if d.kind == "working_day"],
                     day_form=day_form or CalendarDayForm(formdata=None),
                     source_form=source_form or CalendarSourceForm(data={"source": calendar_year.source}))


@bp.get("/calendar/<int:year>")
def calendar_year(year: int):
    return _year_page(db.get_or_404(CalendarYear, year))


@bp.post("/calendar/<int:year>/days")
def calendar_add_day(year: int):
    calendar_year = db.get_or_404(CalendarYear, year)
    form = CalendarDayForm()
    if form.validate_on_submit() and saved(
            lambda: add_calendar_day(actor=current_user, day=form.day.data, kind=form.kind.data,
                                     name_vi=form.name_vi.data, name_en=form.name_en.data),
            _("Đã thêm ngày vào lịch; các thời hạn đang mở đã được tính lại."), unseen=True) is None:
        return redirect(url_for(".calendar_year", year=form.day.data.year))
    return _year_page(calendar_year, day_form=form)


@bp.post("/calendar/<int:year>/days/<int:day_id>/remove")
def calendar_remove_day(year: int, day_id: int):
    calendar_day = db.get_or_404(CalendarDay, day_id)
    if calendar_day.year != year:
        abort(404)
    if ButtonForm().validate_on_submit():
        saved(lambda: remove_calendar_day(calendar_day, actor=current_user),
              _("Đã bỏ ngày khỏi lịch; các thời hạn đang mở đã được tính lại."), unseen=True)
    return redirect(url_for(".calendar_year", year=year))


@bp.post("/calendar/<int:year>/source")
def calendar_source(year: int):
    calendar_year = db.get_or_404(CalendarYear, year)
    form = CalendarSourceForm()
    if form.validate_on_submit() and saved(
            lambda: set_calendar_source(calendar_year, actor=current_user, source=form.source.data),
            _("Đã lưu nguồn của năm %(year)d.", year=year), unseen=True) is None:
        return redirect(url_for(".calendar_year", year=year))
    return _year_page(calendar_year, source_form=form)
