"""The road each generated dossier took to its state: the workflow's events in order, with the council scores that
choose each branch, under the rule set of the round (the district era's own councils before 1/7/2025)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ocop_tracker.rules.rulesets import RuleSet, rule_set_in_force
from ocop_tracker.workflow import destinations

# Share of each state among the dossiers (per mille): most certified or in a round, a few in every other state.
STATE_WEIGHTS = {
    "draft": 160, "vietgap": 20, "district_review": 80, "returned": 40, "provincial_review": 50, "star_rating": 70,
    "awaiting_decision": 50, "central_review": 10, "certified": 300, "upgrade": 20, "re_rating": 30,
    "not_recognised": 50, "withdrawn": 40, "revoked": 10, "expired": 70,
}
IN_REVIEW_FROM = {"vietgap", "district_review", "returned", "provincial_review", "star_rating", "awaiting_decision",
                  "central_review"}
HOLDING = {"certified", "upgrade", "revoked"}
FIRST_DAY = date(2019, 8, 21)  # QĐ 1048's first filing day
VALIDITY_DAYS = 1095  # about 36 months: certificates issued since then are still valid


@dataclass
class Step:
    """One event of the road; `info` holds the score of a rating or the national score."""

    event: str
    dest: str
    gap: int
    info: dict = field(default_factory=dict)


def _score_between(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, high)


class Road:
    """Builds the steps to a target state under one rule set."""

    def __init__(self, rules: RuleSet, rng: random.Random, vietgap_stage: bool):
        self.rules, self.rng, self.vietgap_stage = rules, rng, vietgap_stage
        self.district_era = rules.first_level_has_council

    def gap(self, low: int = 2, high: int = 15) -> int:
        return self.rng.randint(low, high)

    def first_level(self) -> list[Step]:
        steps = [Step("submit", "vietgap" if self.vietgap_stage else "district_review", 0)]
        if self.vietgap_stage:
            steps.append(Step("verify_vietgap", "district_review", self.gap()))
        if self.rng.random() < 0.2:  # returned once for supplements, then filed again
            steps += [Step("return", "returned", self.gap()), Step("resubmit", "district_review", self.gap(5, 20))]
        return steps

    def rate(self, level: str, dest: str, low: int, high: int) -> Step:
        score = _score_between(self.rng, low, high)
        if self.rules.rating_outcome(level, Decimal(score)) != dest:
            raise AssertionError(f"{self.rules.code}: {score} at {level} does not lead to {dest}")
        return Step("close_rating", dest, self.gap(10, 30), {"level": level, "score": score})

    def to_province(self) -> list[Step]:
        """Filed and checked, up to the provincial office."""
        steps = self.first_level()
        if not self.district_era:
            return [*steps, Step("forward", "provincial_review", self.gap())]
        district = self.rules.level("district")
        up_from = district.sends_up_from if district and district.sends_up_from else 70
        return [*steps, Step("forward", "star_rating", self.gap(), {"level": "district"}),
                self.rate("district", "provincial_review", up_from, 89)]

    def province_rating(self) -> list[Step]:
        return [*self.to_province(), Step("admit", "star_rating", self.gap(), {"level": "province"})]

    def awaiting(self) -> list[Step]:
        if self.district_era and 3 in self.rules.level("district").recognises and self.rng.random() < 0.4:
            return [*self.first_level(), Step("forward", "star_rating", self.gap(), {"level": "district"}),
                    self.rate("district", "awaiting_decision", 50, 69)]
        return [*self.province_rating(), self.rate("province", "awaiting_decision", 50, 89)]

    def certified(self) -> list[Step]:
        if self.rng.random() < 0.1:  # 5★: the national council's score and the Ministry's decision
            return [*self.central(), Step("recognise", "certified", self.gap(20, 40),
                                          {"national": _score_between(self.rng, 90, 97)})]
        return [*self.awaiting(), Step("decide", "certified", self.gap(5, 25))]

    def central(self) -> list[Step]:
        return [*self.province_rating(), self.rate("province", "central_review", 90, 97)]

    def not_recognised(self) -> list[Step]:
        if self.district_era:
            return [*self.first_level(), Step("forward", "star_rating", self.gap(), {"level": "district"}),
                    self.rate("district", "not_recognised", 30, 49)]
        return [*self.province_rating(), self.rate("province", "not_recognised", 30, 49)]

    def to(self, state: str) -> list[Step]:
        builders = {
            "draft": list, "vietgap": lambda: [Step("submit", "vietgap", 0)],
            "district_review": self.first_level,
            "returned": lambda: [*self.first_level(), Step("return", "returned", self.gap())],
            "withdrawn": lambda: [*self.first_level(), Step("withdraw", "withdrawn", self.gap())],
            "provincial_review": self.to_province, "star_rating": self.province_rating,
            "awaiting_decision": self.awaiting, "central_review": self.central, "certified": self.certified,
            "not_recognised": self.not_recognised,
            "upgrade": lambda: [*self.certified(), Step("request_upgrade", "upgrade", 0)],
            "re_rating": lambda: [*self.certified(), Step("request_re_rating", "re_rating", 0)],
            "revoked": lambda: [*self.certified(), Step("revoke", "revoked", 0)],
            "expired": lambda: [*self.certified(), Step("expire", "expired", 0)],
        }
        steps = builders[state]()
        check_road(steps)
        return steps


def check_road(steps: list[Step]) -> None:
    """Every step is an arrow of the workflow from the state the previous one reached."""
    state = "draft"
    for step in steps:
        if step.dest not in destinations(state, step.event):
            raise AssertionError(f"{step.event} does not lead from {state} to {step.dest}")
        state = step.dest


def pick_state(rng: random.Random) -> str:
    return rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]


def filing_window(state: str, today: date, rng: random.Random) -> date:
    """A first filing day from which the road of `state` ends before today (certificates valid or not as the state
    says); in-review dossiers are mostly recent, a few district-era files are still open."""
    def between(first: date, last: date) -> date:
        return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
    if state in IN_REVIEW_FROM and rng.random() < 0.03:  # a district-era file still open
        return between(date(2025, 2, 1), date(2025, 6, 20))
    if state in IN_REVIEW_FROM | {"draft"}:
        return between(today - timedelta(days=200), today - timedelta(days=1))
    if state in HOLDING:
        return between(today - timedelta(days=VALIDITY_DAYS - 10), today - timedelta(days=215))
    if state == "re_rating":  # the decision day (see DossierWriter.add): its certificate ends in 125-155 days
        return today - timedelta(days=VALIDITY_DAYS - rng.randint(125, 155))
    if state == "expired":
        return between(FIRST_DAY, today - timedelta(days=VALIDITY_DAYS + 240))
    return between(FIRST_DAY, today - timedelta(days=220))


def rules_for(day: date) -> RuleSet:
    rules = rule_set_in_force(day)
    if rules is None:
        raise ValueError(f"no rule set in force on {day}")
    return rules
