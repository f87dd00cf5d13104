import re
from tests.factories import dossier_in_state, decide, DAY0, PASSWORD
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import current_certificate

def test_probe(world, app):
    d = dossier_in_state(world, "awaiting_decision")
    b = app.test_client(); b.post("/login", data={"username": "chair", "password": PASSWORD})
    page = b.get(f"/dossiers/{d.id}/scores").get_data(as_text=True)
    print(re.search(r'<dl[^>]* id="council-result">.*?</dl>', page, re.S).group(0))
    decide(world, d, day=DAY0); db.session.commit()
    page = b.get(f"/dossiers/{d.id}").get_data(as_text=True)
    print(current_certificate(d).star, re.search(r'<dl[^>]* id="council-outcome">.*?</dl>', page, re.S).group(0))
