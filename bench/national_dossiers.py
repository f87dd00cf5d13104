"""Writing one generated dossier: its product, rounds, history, documents, scores, decision, certificate,
deadlines and mails, as the one door would have left them after each step of its road."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from bulk import Writer
from national_paths import IN_REVIEW_FROM, Road, Step, filing_window, pick_state, rules_for
from national_rows import CERTIFICATE_KINDS, RoundRows, moment
from national_world import REFORM_DAY, Organisation, World

from ocop_tracker.deadlines.services import first_level_dates
from ocop_tracker.dossiers.search import search_text_of
from ocop_tracker.products.models import search_names
from ocop_tracker.rules.rulesets import RuleSet, mean_score
from ocop_tracker.text_rules import folded
from ocop_tracker.workflow import FIRST_LEVEL_CHECK, WITH_AN_OFFICER

PRODUCTS = ("Chè", "Mật ong", "Gạo", "Miến dong", "Cam", "Bưởi", "Chuối sấy", "Tinh bột nghệ", "Măng khô",
            "Rượu men lá", "Thịt chua", "Cao xạ đen", "Nước mắm", "Mứt gừng", "Nón lá", "Trà hoa vàng")


class DossierWriter:
    """Replays each dossier's road on plain rows; decisions are shared by the dossiers one unit decides on a day."""

    def __init__(self, writer: Writer, world: World, product_sets: list[tuple[int, int, str]], rng: random.Random,
                 today: date):
        self.writer, self.world, self.product_sets, self.rng, self.today = writer, world, product_sets, rng, today
        self.decisions: dict[tuple[int, str, date], int] = {}
        self.decision_numbers: dict[int, int] = {}
        self.dates: dict[date, tuple[date, date | None]] = {}

    def add(self, organisation: Organisation) -> None:
        state = pick_state(self.rng)
        set_id, set_number, group = self.rng.choice(self.product_sets)
        if state == "vietgap":
            set_id, set_number, group = next(s for s in self.product_sets if s[1] == 1)
        filed = filing_window(state, self.today, self.rng)
        rules = rules_for(filed)
        road = Road(rules, self.rng, rules.has_vietgap_stage(set_number)).to(state)
        length = sum(step.gap for step in road)
        if state in IN_REVIEW_FROM and filed > REFORM_DAY:  # ends in the last weeks, under the rules of its filing
            filed = _within(rules, self.today - timedelta(days=length + self.rng.randint(1, 40)))
        elif state == "re_rating":  # `filed` was the decision day: the certificate ends inside the re-rating window
            filed = _within(rules, filed - timedelta(days=sum(step.gap for step in road[:-1])))
        _Replay(self, organisation, rules, set_id, group, state, filed, road).run()

    def decision_id(self, unit_id: int, level: str, day: date, body: str) -> int:
        key = (unit_id, level, day)
        if key not in self.decisions:
            number = self.decision_numbers[unit_id] = self.decision_numbers.get(unit_id, 0) + 1
            decision_id = self.writer.next_id("recognition_decisions")
            suffix = "QĐ-BNNMT" if level == "central" else "QĐ-UBND"
            self.writer.add("recognition_decisions", {
                "id": decision_id, "number": f"{number}/{suffix}", "signed_on": day, "signer": "Nguyễn Văn An",
                "signer_title": "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH", "level": level, "unit_id": unit_id, "body": body,
                "file_name": None, "file_stored_name": None, "file_size": None, "recorded_by_id": None,
                "recorded_at": moment(day)})
            self.decisions[key] = decision_id
        return self.decisions[key]

    def first_level_dates(self, day: date, working_days: int) -> tuple[date, date | None]:
        if day not in self.dates:
            self.dates[day] = first_level_dates(day, working_days)
        return self.dates[day]


def _within(rules: RuleSet, day: date) -> date:
    """The day, moved into the rule set's filing period (the road was built under it)."""
    day = max(day, rules.filings_from)
    return min(day, rules.filings_until) if rules.filings_until else day


class _Replay(RoundRows):
    """One dossier, step by step."""

    def __init__(self, owner: DossierWriter, organisation: Organisation, rules: RuleSet, set_id: int, group: str,
                 state: str, filed: date, road: list[Step]):
        self.o, self.w, self.rng, self.today = owner, owner.writer, owner.rng, owner.today
        self.org, self.rules, self.group, self.target, self.road = organisation, rules, group, state, road
        self.commune, self.province = organisation.commune, organisation.commune.province
        self.id = self.w.next_id("dossiers")
        self.product_id = self.w.next_id("products")
        self.product_name = f"{self.rng.choice(PRODUCTS)} {organisation.name.split()[-2]} {self.id}"
        self.created = filed - timedelta(days=self.rng.randint(5, 40))
        self.day = filed
        self.state, self.level, self.council_id, self.returned_from, self.received_on = "draft", None, None, None, None
        self.review_unit = self.first_unit()
        self.rounds: list[dict] = []
        self.deadlines: list[dict] = []
        self.certificates: list[dict] = []
        self.versions: dict[str, int] = {}
        self.snapshot: dict | None = None
        self.held: list[tuple[str, dict]] = []  # rows that refer to the dossier: written after its row
        self.last_moment = moment(self.created)
        # What a certificate copies of its product for the registry (registry.models._keep_registry_entries).
        self.registry_copies = {"product_id": self.product_id, "folded_name": folded(self.product_name),
                                "search_names": search_names(self.product_name, organisation.name),
                                "product_set_id": set_id, "unit_id": organisation.commune.id}
        self.w.add("products", {"id": self.product_id, "name": self.product_name,
                                "folded_name": folded(self.product_name),
                                "search_names": search_names(self.product_name, organisation.name), "description": "",
                                "product_set_id": set_id, "organisation_id": organisation.id,
                                "created_at": moment(self.created)})

    def put(self, table: str, row: dict) -> None:
        self.held.append((table, row))

    def first_unit(self) -> int:
        return self.commune.id if self.rules.first_level == "commune" else self.commune.district_id

    # --- the road ---------------------------------------------------------------------------------------------
    def run(self) -> None:
        self.open_round("new", self.created)
        self.upload(self.created, full=bool(self.road) or self.rng.random() < 0.5)
        for step in self.road:
            self.day = min(self.today, self.day + timedelta(days=step.gap))
            if step.event in ("decide", "recognise") and step.dest == "certified":
                self.day = self.decision_day(self.day)
            if step.event == "expire":
                self.day = self.certificates[-1]["expires_on"] + timedelta(days=1)
            elif step.event in ("revoke", "request_upgrade"):
                self.day = self.day + timedelta(days=self.rng.randint(30, max(30, (self.today - self.day).days)))
            elif step.event == "request_re_rating":
                self.day = self.re_rating_day()
            self.day = min(self.day, self.today)
            self.fire(step)
        self.finish()

    def decision_day(self, day: date) -> date:
        """Decisions are signed on the 10th, 20th or 28th: one decision lists the unit's dossiers of that day."""
        for signing in (10, 20, 28):
            if day.day <= signing:
                snapped = day.replace(day=signing)
                return snapped if snapped <= self.today else day
        following = (day.replace(day=1) + timedelta(days=32)).replace(day=10)
        return following if following <= self.today else day

    def re_rating_day(self) -> date:
        opens, closes = self.rules.re_rating_window(self.certificates[-1]["expires_on"])
        return opens + timedelta(days=self.rng.randint(0, max(0, (min(closes, self.today) - opens).days)))

    def fire(self, step: Step) -> None:
        source = self.state
        handler = getattr(self, f"on_{step.event}", None)
        self.state = step.dest
        if handler:
            handler(step, source)
        self.history(step.event, source, step.dest)

    def actor(self, event: str, source: str) -> tuple[int | None, str]:
        if event in ("submit", "resubmit", "withdraw", "request_upgrade", "request_re_rating"):
            return self.org.user_id, self.org.user_name or self.org.name
        if event == "expire":
            return None, "Hệ thống"
        if event == "close_rating":
            member = self.council_members()[0]
            return member, self.o.world.names[member]
        if event in ("verify_vietgap", "forward") or (event == "return" and source in FIRST_LEVEL_CHECK) or (
                event == "decide" and self.level == "district"):
            if self.rules.first_level == "commune":
                officer = self.commune.officers[0]
            else:
                officer = self.commune.district_officer if self.day < REFORM_DAY else self.province.officers[0]
        else:
            officer = self.province.officers[self.id % len(self.province.officers)]
        return officer, self.o.world.names[officer]

    def council_members(self) -> list[int]:
        if self.council_id == self.commune.district_council_id:
            return self.commune.district_council_members
        return self.province.council_members

    def history(self, event: str, source: str, dest: str) -> None:
        actor_id, actor_name = self.actor(event, source)
        at = moment(self.day, self.rng.randint(1, 9))
        self.last_moment = at
        self.put("transition_history", {
            "id": self.w.next_id("transition_history"), "dossier_id": self.id, "round_number": len(self.rounds),
            "event": event, "from_state": source, "to_state": dest, "actor_id": actor_id, "actor_name": actor_name,
            "at": at, "comment": "Bổ sung hồ sơ theo yêu cầu." if event == "return" else ""})
        if self.today - self.day <= timedelta(days=30) and self.org.user_id:
            self.mail(event, at)

    def mail(self, event: str, at: datetime) -> None:
        mail_id = self.w.next_id("outbox_mails")
        sent = self.day < self.today
        self.put("outbox_mails", {
            "id": mail_id, "message_id": f"<bench-{mail_id}@ocop-tracker>", "kind": f"event.{event}",
            "recipient_id": self.org.user_id, "to_address": f"producer{self.org.id}@bench.ocop.local",
            "subject": f"[OCOP] HS-{self.id}: {event}", "body_text": f"Hồ sơ HS-{self.id} — {self.product_name}.",
            "body_html": "", "dedupe_key": None, "dossier_id": self.id, "status": "sent" if sent else "pending",
            "attempts": 1 if sent else 0, "last_error": None, "next_attempt_at": None, "claim_token": None,
            "claimed_at": None, "created_at": at, "sent_at": at if sent else None})

    # --- what each event leaves behind (as dossiers/effects.py, deadlines and the registry do) -------------------
    def on_submit(self, _step: Step, _source: str) -> None:
        self.snapshot, self.level, self.council_id = self.rules.data, self.rules.first_level, None
        self.review_unit, self.received_on = self.first_unit(), self.day
        current = self.rounds[-1]
        current.update(submitted_on=self.day, rule_set=self.rules.code, level=self.level,
                       declared_at=moment(self.day), declared_by_id=self.org.user_id)
        self.start_check()
        if current["kind"] == "re_rating":
            self.meet("re_rating_filing")
        if _step.dest == "vietgap":
            self.vietgap()

    def on_return(self, _step: Step, source: str) -> None:
        self.returned_from = source
        self.meet("first_level_check")
        self.check_documents("needs_supplement")

    def on_resubmit(self, _step: Step, _source: str) -> None:
        self.returned_from = None
        self.upload(self.day, kinds=["self_assessment"])
        self.start_check()

    def on_forward(self, step: Step, _source: str) -> None:
        self.meet("first_level_check")
        self.check_documents("accepted")
        if step.dest == "star_rating":
            self.level, self.council_id = "district", self.commune.district_council_id
            self.rounds[-1]["level"] = "district"
            self.decision_limit()
        else:
            self.to_level("province")

    def on_admit(self, _step: Step, _source: str) -> None:
        self.to_level("province", self.province.council_id)
        self.rounds[-1]["closed_at"] = None
        if self.rules.has_batches:
            self.rounds[-1]["batch_id"] = next(
                (batch for batch, cutoff, _due in self.province.batches if cutoff >= self.day), None)
        self.decision_limit()

    def on_close_rating(self, step: Step, _source: str) -> None:
        totals = self.scores(step.info["score"])
        current = self.rounds[-1]
        current.update(council_score=mean_score(totals), star=self.rules.star_for(Decimal(step.info["score"])),
                       closed_at=moment(self.day))
        if step.dest == "provincial_review":
            self.to_level("province")
        elif step.dest == "central_review":
            self.to_level("central")
        elif step.dest == "not_recognised":
            current["decision"] = "not_recognised"
            self.meet("decision")

    def on_recognise(self, step: Step, _source: str) -> None:
        self.rounds[-1].update(national_score=Decimal(step.info["national"]), star=5)
        self.certify("central", "Bộ Nông nghiệp và Môi trường")

    def on_decide(self, _step: Step, _source: str) -> None:
        if self.level == "district":
            self.certify("district", f"UBND huyện (mã {self.commune.district_id})", self.commune.district_id)
        else:
            self.certify("province", f"UBND tỉnh {self.province.name}")

    def on_withdraw(self, _step: Step, _source: str) -> None:
        self.close("first_level_check", "decision")

    def on_revoke(self, _step: Step, _source: str) -> None:
        self.certificates[-1].update(status="revoked", revoked_on=self.day,
                                     grounds="Kiểm tra sau công nhận: nhãn không đúng quy định.")
        self.close(*CERTIFICATE_KINDS)

    def on_expire(self, _step: Step, _source: str) -> None:
        self.certificates[-1]["status"] = "expired"
        self.close(*CERTIFICATE_KINDS)

    def on_request_upgrade(self, _step: Step, _source: str) -> None:
        self.open_round("upgrade", self.day)

    def on_request_re_rating(self, _step: Step, _source: str) -> None:
        self.open_round("re_rating", self.day)

    # --- the dossier row last, as it stands -------------------------------------------------------------------
    def finish(self) -> None:
        codes = [c["code"] for c in reversed(self.certificates)]
        assignee = None
        if self.state in WITH_AN_OFFICER and self.id % 2 == 0:
            assignee = (self.commune.officers[0] if self.state in FIRST_LEVEL_CHECK
                        and self.rules.first_level == "commune" else self.province.officers[0])
        current = self.rounds[-1]
        self.w.add("dossiers", {
            "id": self.id, "product_id": self.product_id, "state": self.state, "version": len(self.road) + 1,
            "round_number": len(self.rounds), "dossier_type": current["kind"],
            "rule_set": self.rules.code if self.road else rules_for(self.today).code,
            "rules_snapshot": self.snapshot, "review_unit_id": self.review_unit, "level": self.level,
            "producer_province_id": self.province.id,  # as dossiers/producer_province.py keeps it
            "rating_council_id": self.council_id if self.state == "star_rating" else None, "assignee_id": assignee,
            "search_text": search_text_of(self.id, codes, self.product_name, self.org.name),
            "received_on": self.received_on, "returned_from": self.returned_from,
            "created_at": moment(self.created), "updated_at": self.last_moment})
        for row in self.rounds:
            self.w.add("evaluation_rounds", row)
        for row in self.certificates:
            self.w.add("certificates", {**row, "current": row is self.certificates[-1]})
        for table, row in self.held:
            self.w.add(table, row)
        for row in self.deadlines:
            self.w.add("deadlines", {"id": self.w.next_id("deadlines"), **row})
