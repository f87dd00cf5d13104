"""Council forms: a member's marks on parts A/B/C."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, Field
from wtforms.validators import InputRequired, ValidationError

from ..forms_base import Form

# Form field → the rule set's part code.
PARTS = {"part_a": "A", "part_b": "B", "part_c": "C"}


class ScoreForm(Form):
    """One council member's marks; each part between 0 and the rule set's maximum, two decimals at most."""

    part_a = DecimalField(_l("Phần A — Sản phẩm và sức mạnh cộng đồng"), validators=[InputRequired()])
    part_b = DecimalField(_l("Phần B — Khả năng tiếp thị"), validators=[InputRequired()])
    part_c = DecimalField(_l("Phần C — Chất lượng sản phẩm"), validators=[InputRequired()])

    def __init__(self, maxima: dict[str, int], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.maxima = maxima
        for name, part in PARTS.items():
            self[name].render_kw = {"min": 0, "max": maxima[part], "step": "0.01", "inputmode": "decimal"}

    @property
    def parts(self) -> dict[str, Decimal | None]:
        """The marks keyed as the services expect them."""
        return {part: self[name].data for name, part in PARTS.items()}

    def _within_maximum(self, field: Field) -> None:
        # Checked here rather than with NumberRange, which fails on "NaN" instead of refusing it.
        maximum = self.maxima[PARTS[field.name]]
        value = field.data
        if value is None:  # not a number: the field has already said so
            return
        if not value.is_finite() or not 0 <= value <= maximum:
            raise ValidationError(_l("Nhập một số từ 0 đến %(max)s.", max=maximum))
        if value.as_tuple().exponent < -2:
            raise ValidationError(_l("Tối đa hai chữ số thập phân."))

    validate_part_a = validate_part_b = validate_part_c = _within_maximum
