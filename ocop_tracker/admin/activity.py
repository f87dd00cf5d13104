"""The administrators' activity log page, and each directory object's recent changes on its own page."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import Length, Optional

from ..activity.labels import ACTION_GROUPS, activity_details
from ..activity.services import activity_statement, object_activity
from ..forms_base import select_choices
from ..query_args import search_arg
from .views import bp, paginated


class ActivityFilterForm(Form):
    """The log's filters travel in the query string (a GET changes nothing, so no token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Loại thao tác"), choices=select_choices([("", _l("Tất cả")), *ACTION_GROUPS.items()]))
    actor = StringField(_l("Người thực hiện (tên đăng nhập)"), validators=[Optional(), Length(max=80)])


# Globals, not context: templates/activity/_list.html's macros are imported without the page's context.
bp.add_app_template_global(object_activity, "object_activity")  # admin/user.html, unit, organisation, council
bp.add_app_template_global(activity_details, "activity_details")


@bp.get("/activity")
def activity():
    form = ActivityFilterForm(request.args)
    group = request.args.get("action", "")  # each filter on its own: an unknown group or a blank one is no filter
    statement = activity_statement(group if group in ACTION_GROUPS else "", search_arg("actor", max_length=80))
    return render_template("admin/activity.html", form=form, page=paginated(statement))
