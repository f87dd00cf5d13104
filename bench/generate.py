"""Fill a freshly migrated database with a national-scale OCOP world, by bulk inserts.

    python bench/generate.py --database-url URL --dossiers N [--seed S]

N dossiers in every state, under the rule set of each one's filing day (the district era before 1/7/2025), with
their products, rounds, history, documents (metadata only: no file bytes), scores, decisions, certificates,
deadlines and mails; the map, ~N/10 users and ~0.4 N organisations around them. Every account signs in with
national_world.PASSWORD; `admin` is an administrator. The same seed (and --today) gives the same rows.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bulk import Writer
from national_dossiers import DossierWriter
from national_world import PASSWORD, World, WorldBuilder  # noqa: F401  PASSWORD: for the benchmarks

from ocop_tracker import create_app
from ocop_tracker.accounts.models import User
from ocop_tracker.admin.services import ensure_standard_levels
from ocop_tracker.clock import today as clock_today
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductGroup, ProductSet
from ocop_tracker.products.services import load_product_catalogue
from ocop_tracker.rules.services import load_shipped_calendar, working_calendar

BIG_PRODUCER = 100  # products of the busiest organisation (at 1,000 dossiers and more)


def _reference_data() -> list[tuple[int, int, str]]:
    """Unit levels, product catalogue and calendar (as `flask ocop init` would); the product sets with groups."""
    ensure_standard_levels()
    load_product_catalogue()
    load_shipped_calendar()
    working_calendar()  # read once now: the deadlines are counted on it for every dossier
    return [tuple(row) for row in db.session.execute(
        db.select(ProductSet.id, ProductSet.number, ProductGroup.code).join(ProductGroup).order_by(ProductSet.number))]


def _owners(world: World, dossiers: int, rng: random.Random):
    """The organisation of each dossier: one producer with a hundred, the others at random (many with none)."""
    big = min(BIG_PRODUCER, dossiers // 10)
    with_account = [org for org in world.organisations if org.user_id] or world.organisations
    for n in range(dossiers):
        if n < big:
            yield world.organisations[0]
        elif n % 3 == 0:  # a third of the dossiers belong to producers who sign in (their pages have rows)
            yield rng.choice(with_account)
        else:
            yield rng.choice(world.organisations)


def generate(database_url: str, dossiers: int, seed: int = 1, *, password_method: str = "scrypt",
             quiet: bool = False, today: str | None = None) -> dict[str, int]:
    """Write the world as it stands on `today` (the app's clock by default); returns the row count per table."""
    started = time.perf_counter()
    say = (lambda *_: None) if quiet else print
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "TODAY": today})
    rng = random.Random(seed)
    with app.app_context():
        if db.session.scalar(db.select(db.func.count(User.id))):
            raise SystemExit("this database already holds users: the generator fills a freshly migrated one")
        product_sets = _reference_data()
        today = clock_today()
        writer = Writer(db.session.connection())
        world = WorldBuilder(writer, rng, today, password_method).build(dossiers)
        say(f"map and people: {len(world.provinces)} provinces, {len(world.communes)} communes, "
            f"{len(world.organisations):,} organisations, {len(world.users):,} users "
            f"({time.perf_counter() - started:.1f} s)")
        dossier_writer = DossierWriter(writer, world, product_sets, rng, today)
        for n, organisation in enumerate(_owners(world, dossiers, rng), start=1):
            dossier_writer.add(organisation)
            if n % 10_000 == 0:
                say(f"dossiers: {n:,}/{dossiers:,} ({time.perf_counter() - started:.1f} s)")
        writer.flush_all()
        writer.reset_sequences()
        db.session.commit()
        if not quiet:
            writer.report(started)
        db.engine.dispose()
    return dict(writer.counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a freshly migrated database (flask db upgrade)")
    parser.add_argument("--dossiers", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", help="YYYY-MM-DD: the day the world stands on (default: today in Vietnam)")
    args = parser.parse_args()
    generate(args.database_url, args.dossiers, args.seed, today=args.today)


if __name__ == "__main__":
    main()
