"""The map from a file: units read from CSV, checked as a whole, then written through store_unit.

There is no successor column: the app hands an abolished unit's files to its province (dossiers.placement.
acting_unit), so a successor named in the file must be that province, and is checked rather than stored.
"""
from __future__ import annotations

import csv
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from ..accounts.models import AdministrativeUnit, UnitLevel
from ..accounts.services import AccountError
from ..extensions import db
from .services import store_unit

COLUMNS = ("code", "name", "level", "parent_code", "abolished_on", "successor_code", "name_after_2025")
REQUIRED = ("code", "name", "level")
MAX_LENGTHS = {"code": 40, "name": 120, "level": 20, "parent_code": 40, "successor_code": 40,
               "name_after_2025": 120}


class UnitImportError(ValueError):
    """Every problem found, each a line ("line 7: ..."); nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class UnitRow:
    code: str
    name: str
    level: str
    parent_code: str | None = None
    abolished_on: date | None = None
    successor_code: str | None = None
    name_after_2025: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        return f"line {self.line}: " if self.line else ""


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.changed)} changed, {self.unchanged} unchanged."


def _row(values: dict[str, str], line: int | None, problems: list[str]) -> UnitRow | None:
    where = f"line {line}: " if line else ""
    before = len(problems)
    for name in REQUIRED:
        if not values.get(name):
            problems.append(f"{where}{name} is empty")
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name) or "") > limit:
            problems.append(f"{where}{name} is longer than {limit} characters")
    abolished_on = None
    if values.get("abolished_on"):
        try:
            abolished_on = date.fromisoformat(values["abolished_on"])
        except ValueError:
            problems.append(f"{where}abolished_on {values['abolished_on']!r} is not a date (YYYY-MM-DD)")
    if len(problems) > before:
        return None
    return UnitRow(code=values["code"], name=values["name"], level=values["level"],
                   parent_code=values.get("parent_code") or None, abolished_on=abolished_on,
                   successor_code=values.get("successor_code") or None,
                   name_after_2025=values.get("name_after_2025") or None, line=line)


@dataclass
class UnitFile:
    """The rows read from a file, the problems of the lines that could not be read, and those lines' codes."""
    rows: list[UnitRow]
    problems: list[str]
    unread_codes: set[str]


def read_rows(data: bytes) -> UnitFile:
    """Parse the CSV (UTF-8, with or without BOM; '#' lines are comments); every bad line is reported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnitImportError([f"the file is not UTF-8 (byte {exc.start})"]) from exc
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise UnitImportError(["the file has no header line"])
    (header_line, header), *body = lines
    columns = [name.strip().lower() for name in next(csv.reader([header]))]
    problems = [f"line {header_line}: unknown column {name!r} (known: {', '.join(COLUMNS)})"
                for name in columns if name not in COLUMNS]
    problems += [f"line {header_line}: column {name!r} is missing" for name in REQUIRED if name not in columns]
    if len(set(columns)) != len(columns):
        problems.append(f"line {header_line}: a column appears twice")
    if problems:
        raise UnitImportError(problems)
    parsed = UnitFile([], [], set())
    for number, line in body:
        cells = next(csv.reader([line]))
        # Not strict: a line with the wrong number of fields is reported just below; its code is still wanted.
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=False)}
        row = None
        if len(cells) != len(columns):
            parsed.problems.append(f"line {number}: {len(cells)} fields where the header has {len(columns)}")
        else:
            row = _row(values, number, parsed.problems)
        if row is not None:
            parsed.rows.append(row)
        elif values.get("code"):
            parsed.unread_codes.add(values["code"])
    return parsed


class _Map:
    """The map as it will be: the file's rows over the database's units."""

    def __init__(self, rows: list[UnitRow], unread: AbstractSet[str] = frozenset()):
        self.rows = {row.code: row for row in rows}
        self.unread = unread  # codes on lines already reported as unreadable: not reported again
        self.ranks = {level.code: level.rank for level in db.session.scalars(db.select(UnitLevel))}
        # The whole map at once: a country's is some ten thousand units, one query instead of one per row.
        self._stored = {unit.code: unit for unit in db.session.scalars(db.select(AdministrativeUnit))}

    def remember(self, unit: AdministrativeUnit) -> None:
        self._stored[unit.code] = unit

    def stored(self, code: str) -> AdministrativeUnit | None:
        return self._stored.get(code)

    def exists(self, code: str) -> bool:
        return code in self.rows or self.stored(code) is not None

    def level(self, code: str) -> str:
        return self.rows[code].level if code in self.rows else self._existing(code).level

    def parent(self, code: str) -> str | None:
        if code in self.rows:
            return self.rows[code].parent_code
        unit = self._existing(code)
        return unit.parent.code if unit.parent else None

    def _existing(self, code: str) -> AdministrativeUnit:
        """A stored unit the caller knows exists (asked only for codes that exists() has answered)."""
        unit = self.stored(code)
        if unit is None:
            raise KeyError(f"unit {code!r} is neither in the file nor in the database")
        return unit

    def ancestors(self, code: str) -> list[str] | None:
        """The codes above `code`, nearest first, up to a missing one (reported on its own line); None on a loop."""
        chain, seen, parent = [], {code}, self.parent(code)
        while parent is not None and self.exists(parent):
            if parent in seen:
                return None
            chain.append(parent)
            seen.add(parent)
            parent = self.parent(parent)
        return chain


def _check_row(row: UnitRow, units: _Map) -> list[str]:
    where = row.where
    if row.level not in units.ranks:
        known = ", ".join(units.ranks) or "none: run flask create-unit-levels"
        return [f"{where}unknown level {row.level!r} (known: {known})"]
    problems = _check_children(row, units)
    if row.parent_code in units.unread:
        return problems
    if row.parent_code is not None:
        if not units.exists(row.parent_code):
            return [f"{where}unknown parent {row.parent_code!r} (neither in the file nor in the database)"]
        parent_level = units.level(row.parent_code)
        if units.ranks.get(parent_level, 0) >= units.ranks[row.level]:
            problems.append(f"{where}a {row.level} cannot lie under {row.parent_code!r}, a {parent_level}: "
                            "the parent must be of a higher level")
        if units.ancestors(row.code) is None:
            problems.append(f"{where}the parent chain of {row.code!r} loops back on itself")
    if row.successor_code is not None and row.successor_code not in units.unread:
        problems += _check_successor(row, units)
    return problems


def _check_children(row: UnitRow, units: _Map) -> list[str]:
    """A stored unit whose level changes must stay above the stored units under it that the file leaves alone."""
    unit = units.stored(row.code)
    if unit is None or unit.level == row.level:
        return []
    children = db.session.scalars(db.select(AdministrativeUnit).filter_by(parent_id=unit.id))
    return [f"{row.where}{row.code!r} cannot become a {row.level}: {child.code!r}, a {child.level}, lies under it"
            for child in children if child.code not in units.rows
            and units.ranks.get(child.level, 0) <= units.ranks[row.level]]


def _check_successor(row: UnitRow, units: _Map) -> list[str]:
    where = row.where
    if row.successor_code is None:
        return []
    if row.abolished_on is None:
        return [f"{where}a successor is given for {row.code!r}, which is not abolished (abolished_on is empty)"]
    if not units.exists(row.successor_code):
        return [f"{where}unknown successor {row.successor_code!r} (neither in the file nor in the database)"]
    province = next((code for code in units.ancestors(row.code) or [] if units.level(code) == "province"), None)
    if row.successor_code != province:
        return [(f"{where}the successor of {row.code!r} must be its province ({province or 'none above it'}), "
                 f"not {row.successor_code!r}: the app hands an abolished unit's files to its province")]
    return []


def check_rows(rows: list[UnitRow], unread: AbstractSet[str] = frozenset()) -> list[str]:
    """Every problem with the rows against each other and the database, each with its line."""
    problems: list[str] = []
    lines: dict[str, int | None] = {}
    for row in rows:
        if row.code in lines:
            problems.append(f"{row.where}the code {row.code!r} is already on line {lines[row.code]}")
        lines.setdefault(row.code, row.line)
    units = _Map(rows, unread)
    for row in rows:
        problems += _check_row(row, units)
    return problems


def differences(row: UnitRow, unit: AdministrativeUnit) -> list[str]:
    """What the row would change in the stored unit ("name 'A' → 'B'")."""
    now = {"name": unit.name, "level": unit.level, "parent": unit.parent.code if unit.parent else None,
           "abolished_on": unit.abolished_on, "name_after_2025": unit.name_after_2025}
    wanted = {"name": row.name, "level": row.level, "parent": row.parent_code,
              "abolished_on": row.abolished_on, "name_after_2025": row.name_after_2025}
    return [f"{key} {now[key]!r} → {wanted[key]!r}" for key in now if now[key] != wanted[key]]


def _line_order(problem: str) -> int:
    number = problem.removeprefix("line ").partition(":")[0]
    return int(number) if number.isdigit() else 0


def write_rows(source: UnitFile, *, update: bool = True) -> ImportReport:
    """Add new units and (with `update`) change stored ones, parents first; the caller commits.
    Raises UnitImportError with every problem, the unreadable lines included, when any row is refused."""
    problems = source.problems + check_rows(source.rows, source.unread_codes)
    if problems:
        raise UnitImportError(sorted(problems, key=_line_order))
    units, report = _Map(source.rows), ImportReport()
    for row in sorted(source.rows, key=lambda row: len(units.ancestors(row.code) or [])):  # check_rows refused loops
        unit = units.stored(row.code)
        changes = differences(row, unit) if unit is not None else []
        if unit is not None and not changes:
            report.unchanged += 1
            continue
        if unit is not None and not update:
            raise UnitImportError([f"{row.where}the unit {row.code!r} exists with other data: {'; '.join(changes)}"])
        parent = units.stored(row.parent_code) if row.parent_code else None
        try:
            saved = store_unit(unit, code=row.code, name=row.name, level=row.level, parent=parent,
                               name_after_2025=row.name_after_2025, abolished_on=row.abolished_on)
        except AccountError as exc:
            raise UnitImportError([f"{row.where}{exc}"]) from exc
        units.remember(saved)
        if unit is None:
            report.added.append(f"{row.code} {row.name}")
        else:
            report.changed.append(f"{row.code}: {'; '.join(changes)}")
    return report
