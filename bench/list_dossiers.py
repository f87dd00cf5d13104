"""Time the dossier list page with 500 dossiers on a throwaway SQLite database."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from ocop_tracker import create_app
from ocop_tracker.extensions import db
from tests.factories import PASSWORD, build_world, new_dossier


def main(dossiers: int = 500, runs: int = 20) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "DOSSIERS_PER_PAGE": dossiers}, instance_path=str(folder))
    with app.app_context():
        upgrade()
        world = build_world()
        for n in range(dossiers):
            new_dossier(world, documents=False, name=f"Sản phẩm {n}")
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get("/").status_code == 200
        timings.append((time.perf_counter() - start) * 1000)
    print(f"list page, {dossiers} dossiers: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms")


if __name__ == "__main__":
    main()
