"""Moving one demo dossier through the real workflow, one dated step at a time."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ..accounts.models import User
from ..decisions.services import DecisionLine, record_decision
from ..documents.samples import minimal_pdf
from ..documents.services import current_documents, record_document_check, record_vietgap, upload_document
from ..dossiers.filing import FILING_EVENTS, file_dossier
from ..dossiers.models import Dossier
from ..dossiers.placement import dossier_rules
from ..dossiers.services import apply_event, open_dossier
from ..extensions import db
from ..products.models import ProductSet
from ..products.services import create_product
from ..reviews.services import current_round, record_self_assessment, score_dossier
from ..reviews.sheet_fill import ticks_for_parts
from ..reviews.sheet_scoring import round_sheet
from ..rules.sheets import Sheet

DEMO_PASSWORD = "ocop-demo-2026"  # fixed by the API contract; seeded directly, never through the password rule
PDF = minimal_pdf("OCOP demo document")
HOA_BINH = "UBND tỉnh Hòa Bình"  # the issuer of province-level decisions before the 2025 merger
SIGNER = ("Nguyễn Văn Hùng", "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH")


class Journey:
    """One demo dossier: each step is fired by a demo account on its own day."""

    def __init__(self, users: dict[str, User], producer: str, name: str, set_number: int, started: date,
                 description: str = ""):
        self.users, self.day = users, started
        product_set = db.session.scalar(db.select(ProductSet).filter_by(number=set_number))
        self.owner = users[producer]
        product = create_product(actor=self.owner, name=name, product_set=product_set, description=description)
        self.dossier: Dossier = open_dossier(product, actor=self.owner)

    def documents(self, *kinds: str) -> Journey:
        """Upload the documents the rules in force that day ask for (or just `kinds`)."""
        rules = dossier_rules(self.dossier, self.day)
        group = self.dossier.product.product_set.group.code
        for kind in kinds or rules.required_documents(self.dossier.dossier_type, group):
            upload_document(self.dossier, actor=self.owner, kind=kind, filename=f"{kind}.pdf", data=PDF)
        return self

    def vietgap(self) -> Journey:
        record_vietgap(self.dossier, actor=self.owner, certificate_no=f"VG-{self.dossier.id:04d}",
                       issuer="VIETCERT", issued_on=self.day - timedelta(days=60),
                       valid_until=self.day + relativedelta(years=3))
        return self

    def fire(self, event: str, who: str | None, after_days: int = 0, **extra) -> Journey:
        self.day += timedelta(days=after_days)
        actor = self.users[who] if who else None
        if event in FILING_EVENTS:  # the producer declares the dossier true with every filing
            if actor is None:
                raise ValueError(f"{event!r} is filed by a producer: say who")
            file_dossier(self.dossier, actor=actor, version=self.dossier.version, declared=True, event=event,
                         today=self.day, **extra)
        else:
            apply_event(self.dossier, event, actor=actor, version=self.dossier.version, today=self.day, **extra)
        return self

    def fire_on(self, day: date, event: str, who: str | None, **extra) -> Journey:
        """An event on a given day (not counted from the previous step)."""
        return self.fire(event, who, (day - self.day).days, **extra)

    def district_then_province(self, district: str, district_marks, province_marks) -> Journey:
        """District era: the district checks and its council scores; the score sends it on to the province,
        whose office admits it and whose council scores it (the file then waits for the chairman's decision)."""
        self.fire("submit", self.owner.username).fire("forward", f"officer.{district}", 12)
        self.rated(f"officer.{district}", f"council.{district}", district_marks, 28)
        return self.fire("admit", "officer.phutho", 18).rated("officer.phutho", "council.phutho", province_marks, 30)

    def checks(self, officer: str, notes: dict[str, str]) -> Journey:
        """The officer's verdict per document: accepted, or a supplement with its note."""
        held = current_documents(self.dossier)
        for kind, note in notes.items():
            record_document_check(held[kind], actor=self.users[officer], note=note,
                                  outcome="needs_supplement" if note else "accepted")
        return self

    def _sheet(self) -> Sheet | None:
        return round_sheet(current_round(self.dossier), self.dossier)

    def scores(self, prefix: str, *parts: tuple[int, int, int], short_of: dict[str, int] | None = None) -> Journey:
        """Each member's parts: typed in the district era, else ticked on the sheet to add up to them (every
        member ticking below the minimum for that star in the criteria `short_of` names)."""
        sheet = self._sheet()
        for seat, (a, b, c) in enumerate(parts, start=1):
            actor, marks = self.users[f"{prefix}{seat}"], {"A": a, "B": b, "C": c}
            if sheet is None:
                score_dossier(self.dossier, actor=actor, parts=marks)
            else:
                score_dossier(self.dossier, actor=actor, criteria=ticks_for_parts(sheet, marks, short_of=short_of))
        return self

    def self_assessed(self, a: int, b: int, c: int) -> Journey:
        sheet, marks = self._sheet(), {"A": a, "B": b, "C": c}
        if sheet is None:
            record_self_assessment(self.dossier, actor=self.owner, parts=marks)
        else:
            record_self_assessment(self.dossier, actor=self.owner, criteria=ticks_for_parts(sheet, marks))
        return self

    def rated(self, officer: str, council: str, parts, days: int = 20, short_of: dict[str, int] | None = None,
              **closing) -> Journey:
        """The council scores and its chair closes the rating `days` later."""
        return self.scores(council, *parts, short_of=short_of).fire("close_rating", f"{council}1", days, **closing)


def decision(users: dict[str, User], who: str, number: str, day: date, *journeys: Journey, body: str = "",
             outcome: str = "recognise") -> None:
    """A chairman's decision listing the journeys' dossiers, recorded by `who` on its signing day."""
    lines = [DecisionLine(j.dossier, j.dossier.id, j.dossier.version, outcome) for j in journeys]
    record_decision(actor=users[who], number=number, signed_on=day, signer=SIGNER[0], signer_title=SIGNER[1],
                    lines=lines, body=body, today=day)
    for journey in journeys:
        journey.day = day
