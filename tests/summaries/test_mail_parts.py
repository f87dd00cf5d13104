"""Summaries and reminders share one renderer (`lines.mail_parts`), which skips Flask's per-render work: a
summary must stay byte for byte what `render_template` gives, in both languages, its frame translated now or
once in a phrasebook (issue 13)."""
from __future__ import annotations

from datetime import date

import pytest
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ocop_tracker.notifications.phrasebook import Phrasebook
from ocop_tracker.summaries.lines import link, mail_parts
from ocop_tracker.summaries.services import build_summary


def rendered_by_flask(user, summary) -> tuple[str, str]:
    """The summary's parts as the renderer before issue 13 made them: `render_template` with the words of now."""
    context = {
        "subject": summary.subject, "intro": "Chào <bạn> & \"mọi người\"", "sections": summary.sections,
        "lang": user.locale,
        "greeting": _("Chào %(name)s,", name=user.full_name or user.username),
        "footer": _("Thư tự động của OCOP Tracker gửi tài khoản %(username)s.", username=user.username),
        "links": [("Xem", "https://x.example/?a=1&b=2"),
                  (_("Chọn nhận thư từng việc hay chỉ bản tóm tắt, ở trang Tài khoản"), link("accounts.profile"))],
    }
    return render_template("emails/summary.txt", **context), render_template("emails/summary.html", **context)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("who", ["officer", "producer", "province_officer"])
def test_a_summary_is_what_flask_renders(world, language, who):
    user = world[who]
    user.locale, user.full_name = language, "Trần <Thị> & Bình"
    summary = build_summary(user, date(2026, 3, 2), date(2026, 3, 1), "daily")
    with force_locale(language):
        expected = rendered_by_flask(user, summary)
        given = {"subject": summary.subject, "intro": "Chào <bạn> & \"mọi người\"", "sections": summary.sections,
                 "links": [("Xem", "https://x.example/?a=1&b=2")]}
        assert mail_parts(user, **given) == expected
        assert Phrasebook.of(user).mail_parts(user, **given) == expected
