"""`flask rule-sets`: the shipped rule sets and their levels."""
from __future__ import annotations

import click
from flask import Flask

from .rulesets import RULE_SET_CODES, get_rule_set


def register(app: Flask) -> None:
    @app.cli.command("rule-sets")
    def rule_sets_command() -> None:
        """Show the shipped rule sets: filing period, first level and each evaluation level."""
        for code in RULE_SET_CODES:
            rules = get_rule_set(code)
            until = rules.filings_until.isoformat() if rules.filings_until else "onwards"
            click.echo(f"{code}: filings {rules.filings_from.isoformat()} to {until}, first level {rules.first_level}")
            for level in rules.levels:
                stars = ", ".join(f"{star}*" for star in level.recognises)
                up = f", sends up from {level.sends_up_from}" if level.sends_up_from is not None else ""
                click.echo(f"  {level.level}: recognises {stars}{up}, decided by {rules.decided_by(level.level, 'en')}")
