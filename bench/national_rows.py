"""The rows a replayed dossier leaves besides its history: rounds, scores, certificates, deadlines, documents.

A mixin of national_dossiers._Replay, which holds the dossier's running state (its day, rules, rounds and ids).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

EXTRA_KINDS = ("photo", "label", "product_story")
CERTIFICATE_KINDS = ("re_rating_filing", "certificate_expiry")


def moment(day: date, hour: int = 3) -> datetime:
    """A stored time on `day` (UTC; 03:00 UTC is 10:00 in Hà Nội)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class RoundRows:
    """Rounds, scores, the certificate and its decision line, deadlines as deadlines/services.py keeps them,
    document metadata and the VietGAP record."""

    # --- rows of the round ------------------------------------------------------------------------------------
    def open_round(self, kind: str, day: date) -> None:
        if kind != "new":
            self.snapshot, self.level, self.council_id = None, None, None
        self.rounds.append({
            "id": self.w.next_id("evaluation_rounds"), "dossier_id": self.id, "number": len(self.rounds) + 1,
            "kind": kind, "rule_set": None, "opened_at": moment(day), "submitted_on": None, "council_score": None,
            "star": None, "national_score": None, "self_part_a": None, "self_part_b": None, "self_part_c": None,
            "decision": None, "declared_at": None, "declared_by_id": None, "closed_at": None, "level": None,
            "batch_id": None})
        if kind != "new" and self.rng.random() < 0.5:
            self.upload(day, kinds=["registration_form"])

    def to_level(self, level: str, council_id: int | None = None) -> None:
        self.level, self.council_id = level, council_id
        self.rounds[-1]["level"] = level

    def scores(self, score: int) -> list[Decimal]:
        """The sitting members' marks, around `score` so that their mean is exactly it."""
        members = self.council_members()
        offsets = [0, 1, -1, 2, -2][:len(members)]
        offsets[0] -= sum(offsets)
        totals = []
        for member, offset in zip(members, offsets, strict=True):
            total = score + offset
            maxima = self.rules.part_maxima
            a, b = round(total * maxima["A"] / 100), round(total * maxima["B"] / 100)
            self.put("scores", {"id": self.w.next_id("scores"), "round_id": self.rounds[-1]["id"],
                                  "member_id": member, "council_id": self.council_id, "part_a": Decimal(a),
                                  "part_b": Decimal(b), "part_c": Decimal(total - a - b),
                                  "submitted_at": moment(self.day - timedelta(days=2))})
            totals.append(Decimal(total))
        return totals

    def certify(self, level: str, body: str, unit_id: int | None = None) -> None:
        current = self.rounds[-1]
        decision = self.o.decision_id(unit_id or self.province.id, level, self.day, body)
        self.put("decision_items", {"id": self.w.next_id("decision_items"), "decision_id": decision,
                                      "dossier_id": self.id, "round_id": current["id"], "outcome": "recognise",
                                      "star": current["star"]})
        current.update(decision="certified", closed_at=current["closed_at"] or moment(self.day))
        expires = self.rules.certificate_last_day(self.day)
        self.certificates.append({
            "id": self.w.next_id("certificates"), "dossier_id": self.id, "round_id": current["id"],
            "code": f"OCOP-{self.province.code}-{self.day.year}-{self.id:05d}-R{current['number']}".upper(),
            "star": current["star"], "issued_on": self.day, "expires_on": expires, "recognised_by": level,
            "decision_id": decision, "status": "valid", "revoked_on": None, "grounds": None,
            **self.registry_copies})
        self.meet("decision")
        self.close(*CERTIFICATE_KINDS)
        opens, closes = self.rules.re_rating_window(expires)
        self.deadline("re_rating_filing", opens, closes)
        self.deadline("certificate_expiry", self.day, expires)

    # --- deadlines ----------------------------------------------------------------------------------------------
    def deadline(self, kind: str, starts_on: date, due_on: date | None) -> None:
        self.deadlines.append({"dossier_id": self.id, "round_number": len(self.rounds), "kind": kind,
                               "starts_on": starts_on, "due_on": due_on, "met_on": None,
                               "created_at": moment(self.day)})

    def start_check(self) -> None:
        self.close("first_level_check")
        working_days = self.rules.data["first_level_working_days"]
        self.deadline("first_level_check", *self.o.first_level_dates(self.day, working_days))

    def decision_limit(self) -> None:
        self.close("decision")
        if self.rounds[-1]["kind"] == "re_rating":
            self.deadline("decision", self.day, self.day + timedelta(days=self.rules.data["re_rating_decision_days"]))
        elif self.rounds[-1]["batch_id"] is not None:
            due = next(due for batch, _cut, due in self.province.batches if batch == self.rounds[-1]["batch_id"])
            self.deadline("decision", self.day, due)

    def meet(self, kind: str) -> None:
        for deadline in self.deadlines:
            if deadline["kind"] == kind and deadline["met_on"] is None:
                deadline["met_on"] = self.day

    def close(self, *kinds: str) -> None:
        self.deadlines = [d for d in self.deadlines if d["met_on"] is not None or d["kind"] not in kinds]

    # --- documents ----------------------------------------------------------------------------------------------
    def upload(self, day: date, *, full: bool = True, kinds: list[str] | None = None) -> None:
        if kinds is None:
            kinds = self.rules.required_documents(self.rounds[-1]["kind"], self.group)
            kinds = kinds if full else kinds[:self.rng.randint(0, len(kinds))]
            kinds = kinds + self.rng.sample(EXTRA_KINDS, self.rng.randint(0, 2))
        for kind in kinds:
            version = self.versions[kind] = self.versions.get(kind, 0) + 1
            document_id = self.w.next_id("documents")
            dated = kind in ("food_safety_certificate", "test_report", "business_licence")
            self.put("documents", {
                "id": document_id, "dossier_id": self.id, "kind": kind, "version": version,
                "filename": f"{kind}-{version}.pdf", "stored_name": f"bench-{document_id:09d}.pdf",
                "content_type": "application/pdf", "size": self.rng.randint(40_000, 3_000_000),
                "issuer": "Sở Y tế" if dated else None,
                "valid_until": day + timedelta(days=3 * 365) if dated else None,
                "uploaded_by_id": self.org.user_id, "uploaded_at": moment(day)})

    def check_documents(self, outcome: str) -> None:
        """The officer's verdict on the first document (every document would double the rows for little)."""
        first = self.w.ids["documents"] - sum(self.versions.values()) + 1
        self.put("document_checks", {
            "id": self.w.next_id("document_checks"), "document_id": first, "outcome": outcome,
            "note": "Cần bổ sung bản có chứng thực." if outcome == "needs_supplement" else "",
            "checked_by_id": self.commune.officers[0], "checked_at": moment(self.day)})

    def vietgap(self) -> None:
        self.put("vietgap_certificates", {
            "id": self.w.next_id("vietgap_certificates"), "dossier_id": self.id,
            "certificate_no": f"VG-{self.id:06d}", "issuer": "VIETCERT", "issued_on": self.day - timedelta(days=60),
            "valid_until": self.day + timedelta(days=3 * 365), "recorded_by_id": self.org.user_id,
            "recorded_at": moment(self.day)})
