"""WTForms' own messages ("This field is required.") in the reader's language.

WTForms ships no Vietnamese catalogue, so its English msgids are mapped to Vietnamese msgids of our own catalogue:
a Vietnamese reader gets the Vietnamese text, an English reader its English translation (WTForms' original).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# WTForms' msgid → ours. Only messages the app's fields and validators can show.
MESSAGES = {
    "This field is required.": _l("Mục này không được để trống."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Not a valid date value.": _l("Ngày không hợp lệ."),
    "Not a valid datetime value.": _l("Thời điểm không hợp lệ."),
    "Not a valid time value.": _l("Giờ không hợp lệ."),
    "Not a valid integer value.": _l("Cần nhập một số nguyên."),
    "Not a valid decimal value.": _l("Cần nhập một số."),
    "Not a valid float value.": _l("Cần nhập một số."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid email address.": _l("Địa chỉ email không hợp lệ."),
    "Field must be equal to %(other_name)s.": _l("Phải giống với %(other_name)s."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Cần từ %(min)d đến %(max)d ký tự."),
    "Number must be at least %(min)s.": _l("Số phải từ %(min)s trở lên."),
    "Number must be at most %(max)s.": _l("Số không được lớn hơn %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Nhập một số từ %(min)s đến %(max)s."),
    "Date must be at least %(min)s.": _l("Ngày phải từ %(min)s trở đi."),
    "Date must be at most %(max)s.": _l("Ngày không được sau %(max)s."),
    "Date must be between %(min)s and %(max)s.": _l("Ngày phải từ %(min)s đến %(max)s."),
}
# WTForms' plural msgids, by their singular; Vietnamese has one form, and no limit of ours is 1.
PLURAL_MESSAGES = {
    "Field cannot be longer than %(max)d character.": _l("Tối đa %(max)d ký tự."),
    "Field must be at least %(min)d character long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field must be exactly %(max)d character long.": _l("Cần đúng %(max)d ký tự."),
}


class WTFormsTranslations:
    """What WTForms asks for through Meta.get_translations: gettext and ngettext of its English msgids."""

    def gettext(self, string: str) -> str:
        message = MESSAGES.get(string)
        return string if message is None else str(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        message = PLURAL_MESSAGES.get(singular)
        if message is None:
            return singular if n == 1 else plural
        return str(message)


translations = WTFormsTranslations()
