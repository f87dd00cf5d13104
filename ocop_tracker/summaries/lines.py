"""The pieces of a status summary: its period, rows and sections laid out for plain text, links back to the pages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer, joinedload

from ..accounts.models import User
from ..clock import VIETNAM, local_day
from ..deadlines.status import DeadlineView
from ..dossiers.models import Dossier, TransitionRecord
from ..i18n import day
from ..labels import STATE_LABELS
from ..products.models import Product

PERIODS = ("daily", "weekly")
PERIOD_DAYS = {"daily": 1, "weekly": 7}
SECTION_LIMIT = 20  # lines per section in a mail; the rest is a link to the page
DEFAULT_BASE_URL = "http://127.0.0.1:5000"

DEADLINE_LABELS = {
    "first_level_check": _l("Hạn thẩm định"), "decision": _l("Hạn quyết định"),
    "re_rating_filing": _l("Hạn nộp đánh giá lại"), "certificate_expiry": _l("Hết hạn chứng nhận"),
    "vietgap_expiry": _l("Hết hạn VietGAP"),
}
DEADLINE_STATUS_LABELS = {
    "on_time": _l("Trong hạn"), "due_soon": _l("Sắp đến hạn"), "overdue": _l("Quá hạn"), "met": _l("Đã xong"),
    "unknown": _l("Chưa có lịch năm"),
}


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """(start of the period, first day reported): a day reports yesterday, a week (from Monday) the week before,
    whatever day of the week it runs."""
    if period == "weekly":
        start = today - timedelta(days=today.weekday())
        return start, start - timedelta(days=7)
    return today, today - timedelta(days=1)


@dataclass(frozen=True)
class Reported:
    """The days whose news a summary reports: since ≤ day < until."""

    since: date
    until: date

    def words(self) -> str:
        last = self.until - timedelta(days=1)
        if self.since >= last:
            return _("ngày %(day)s", day=day(self.since))
        return _("%(start)s–%(end)s", start=day(self.since), end=day(last))


@dataclass
class Line:
    """One row of a section: cells aligned in the text part, notes under them, a link to the page."""

    key: str
    cells: list[str]
    notes: list[str] = field(default_factory=list)
    url: str | None = None


@dataclass
class Section:
    """A heading and its rows; `counts` says whether its rows are work waiting, news, or neither."""

    key: str
    heading: str
    lines: list[Line]
    empty: str = ""
    total: int | None = None  # rows in all, when more than the ones listed
    more_url: str | None = None
    counts: str = ""  # "waiting", "news" or ""

    @property
    def size(self) -> int:
        return len(self.lines) if self.total is None else self.total

    @property
    def more(self) -> str:
        left = self.size - len(self.lines)
        return _("… và %(count)d mục khác", count=left) if left > 0 else ""

    def text_rows(self) -> list[str]:
        """The rows as plain text, columns padded to the widest cell."""
        columns = max((len(line.cells) for line in self.lines), default=0)
        widths = [max((len(line.cells[i]) for line in self.lines if len(line.cells) > i), default=0)
                  for i in range(columns)]
        rows = []
        for line in self.lines:
            rows.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line.cells)).rstrip())
            indent = " " * (4 + (widths[0] if columns > 1 else 0))
            rows += [indent + note for note in line.notes if note]
            rows += [indent + line.url] if line.url else []
        if self.more:
            rows.append(f"  {self.more}: {self.more_url}" if self.more_url else f"  {self.more}")
        if not self.lines and self.empty:
            rows.append("  " + self.empty)
        return rows


def link(endpoint: str, **values) -> str:
    """An absolute link for a mail: BASE_URL plus the page's path, built without a request (cron has none)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config.get("BASE_URL", DEFAULT_BASE_URL).rstrip("/") + path


def day_start(value: date) -> datetime:
    """Midnight of a Vietnamese day, in UTC like the stored times (SQLite compares wall-clock text)."""
    return datetime.combine(value, time.min, tzinfo=VIETNAM).astimezone(UTC)


def deadline_text(deadline: DeadlineView | None) -> str:
    if deadline is None:
        return ""
    when = day(deadline.due_on) if deadline.due_on else "—"
    return f"{DEADLINE_LABELS.get(deadline.kind, deadline.kind)}: {when} ({DEADLINE_STATUS_LABELS[deadline.status]})"


def dossier_line(dossier: Dossier, *cells: str, notes: tuple[str, ...] = (), endpoint: str = "dossiers.show") -> Line:
    """A dossier as a row: number, product, the given cells, its state; links to its page."""
    return Line(str(dossier.id), [f"#{dossier.id}", dossier.product.name, *cells, str(STATE_LABELS[dossier.state])],
                [note for note in notes if note], link(endpoint, dossier_id=dossier.id))


def limited(key: str, heading: str, lines: list[Line], *, empty: str = "", more_url: str | None = None,
            counts: str = "", total: int | None = None) -> Section:
    """A section that lists at most SECTION_LIMIT rows and says how many more there are."""
    total = len(lines) if total is None else total
    return Section(key, f"{heading} ({total})", lines[:SECTION_LIMIT], empty, total, more_url, counts)


def mail_frame() -> tuple[str, str, tuple[str, str]]:
    """The words around every summary and reminder: the greeting and footer patterns (filled per reader with `%`)
    and the link to the settings, in the current locale."""
    return (_("Chào %(name)s,"), _("Thư tự động của OCOP Tracker gửi tài khoản %(username)s."),
            (_("Chọn nhận thư từng việc hay chỉ bản tóm tắt, ở trang Tài khoản"), link("accounts.profile")))


def mail_parts(user: User, *, subject: str, intro: str, sections: list[Section], links: list[tuple[str, str]],
               frame: tuple[str, str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """The text and HTML parts of a mail to `user`, with the same content (call it in the user's locale).
    `frame`: `mail_frame()` translated once for many mails (a phrasebook's); else translated now. The templates
    are rendered without Flask's per-render context processors and signals, which they do not use."""
    greeting, footer, settings = frame or mail_frame()
    context = {
        "subject": subject, "intro": intro, "sections": sections, "lang": user.locale,
        "greeting": greeting % {"name": user.full_name or user.username},
        "footer": footer % {"username": user.username}, "links": [*links, settings],
    }
    environment = current_app.jinja_env
    return (environment.get_template("emails/summary.txt").render(context),
            environment.get_template("emails/summary.html").render(context))


PRODUCT_LOADED = joinedload(Dossier.product).joinedload(Product.organisation)
# A listed event's or certificate's dossier shows its number and product, never its rules: ~1.4 KB of JSON a row
# not decoded (at 100,000 dossiers, decoding the snapshots of every row read took a quarter of the run).
RECORD_LOADED = joinedload(TransitionRecord.dossier).options(defer(Dossier.rules_snapshot), PRODUCT_LOADED)


def event_line(record: TransitionRecord, *notes: str) -> Line:
    """A line for one history event: its day, the dossier and its product, the notes given."""
    dossier = record.dossier
    return Line(str(record.id), [day(local_day(record.at)), f"#{dossier.id}", dossier.product.name],
                [note for note in notes if note], link("dossiers.show", dossier_id=dossier.id))
