"""The base of every form: text fields obey text_rules, WTForms speaks the reader's language, choices are SelectChoice.

Every form class in the app derives from `Form` (tests/test_forms.py checks it), so a field added tomorrow gets the
same rules without anyone remembering them.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SearchField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, StopValidation

from .form_messages import translations
from .text_rules import LINE_MAX, NOTE_MAX, refused_character, unstorable

TOO_LONG = _l("Tối đa %(max)d ký tự.")
NOT_ONE_LINE = _l("Chỉ nhập một dòng, không có ký tự điều khiển (xuống dòng, tab…).")
CONTROL_CHARACTER = _l("Không được chứa ký tự điều khiển.")
INVALID_CHARACTER = _l("Có ký tự không hợp lệ.")


class TextRule:
    """Refuses what a field of its kind may not hold; stops the chain, so no later check reads such text."""

    def __init__(self, kind: str):
        self.kind = kind  # "line", "area" or "secret"

    def __call__(self, form, field) -> None:
        value = field.data
        if not isinstance(value, str) or not value:
            return
        if self.kind == "secret":  # a password may hold any character a person can type
            if unstorable(value):
                raise StopValidation(str(INVALID_CHARACTER))
            return
        if refused_character(value, multiline=self.kind == "area") is not None:
            raise StopValidation(str(CONTROL_CHARACTER if self.kind == "area" else NOT_ONE_LINE))


def text_kind(field) -> str | None:
    """Which rule a field obeys; None for fields nobody types into (hidden) or that only search."""
    if not isinstance(field, StringField) or isinstance(field, (HiddenField, SearchField)):
        return None
    if isinstance(field, PasswordField):
        return "secret"
    return "area" if isinstance(field, TextAreaField) else "line"


def _has_limit(field) -> bool:
    return any(isinstance(v, Length) and v.max != -1 for v in field.validators)


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            """Every text field gets the rule of its kind and, when it declares none, a length limit."""
            field = super().bind_field(form, unbound_field, options)
            kind = text_kind(field)
            if kind is None:
                return field
            extra = [TextRule(kind)]
            if not _has_limit(field):
                limit = NOTE_MAX if kind == "area" else LINE_MAX
                extra.insert(0, Length(max=limit, message=TOO_LONG))
                field.flags.maxlength = limit  # the browser stops at the limit too
            field.validators = [*field.validators, *extra]  # a new list: the declared one is shared by every form
            return field

        def get_translations(self, form):
            return translations


def select_choices(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms takes (tuples go in WTForms 3.4)."""
    return [SelectChoice(value, label) for value, label in pairs]
