"""Time the dossier downloads (CSV and XLSX) and their peak Python memory, 10,000 dossiers on SQLite."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from ocop_tracker import create_app
from ocop_tracker.clock import today
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import Product, ProductSet
from ocop_tracker.rules.rulesets import rule_set_in_force
from tests.factories import PASSWORD, TEA, build_world


def _download(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return sum(len(chunk) for chunk in response.response)  # read as a browser would, chunk by chunk


def _measure(client, url: str, runs: int) -> str:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        size = _download(client, url)
        timings.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()  # one more run for the memory: tracing slows Python down, so it is not timed
    _download(client, url)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return (f"{url}: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms, "
            f"peak Python memory {peak:.1f} MiB, {size / 1024:.0f} KiB")


def _seed(world, dossiers: int) -> None:
    """Products and draft dossiers written in bulk (the workflow is not what is measured here)."""
    organisation_id = world["producer"].organisation_id
    product_set_id = db.session.scalar(db.select(ProductSet.id).filter_by(number=TEA))
    # Every tenth name looks like a formula, so the neutralising is part of what is timed.
    db.session.execute(db.insert(Product.__table__), [
        {"name": f"=Sản phẩm {n}" if n % 10 == 0 else f"Sản phẩm {n}", "description": "",
         "product_set_id": product_set_id, "organisation_id": organisation_id} for n in range(dossiers)])
    rule_set = rule_set_in_force(today())
    assert rule_set is not None
    db.session.execute(db.insert(Dossier.__table__), [
        {"product_id": product_id, "rule_set": rule_set.code}
        for product_id in db.session.scalars(db.select(Product.id))])
    db.session.commit()


def main(dossiers: int = 10_000, runs: int = 3) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False}, instance_path=str(folder))
    with app.app_context():
        upgrade()
        _seed(build_world(), dossiers)
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    for url in ("/reports/dossiers.csv", "/reports/dossiers.xlsx"):
        print(f"{dossiers} dossiers, {_measure(client, url, runs)}")


if __name__ == "__main__":
    main()
