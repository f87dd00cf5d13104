"""The brake on guessing (web sign-in): it slows whoever guesses, per name and address, per address and per
account, and never locks the owner out: their right password from an address that has not failed gets in."""
from __future__ import annotations

import hashlib
import logging

import pytest

from ocop_tracker.extensions import db

from ..factories import PASSWORD

ATTACKER, OWNER = "203.0.113.66", "198.51.100.20"


@pytest.fixture()
def bars(app):
    """Low bars, so a test needs few tries: 3 per name from one address, 6 per address, 4 per account."""
    app.config.update(SIGN_IN_FREE_FAILURES=3, SIGN_IN_ADDRESS_FREE_FAILURES=6, SIGN_IN_ACCOUNT_FREE_FAILURES=4)


def sign_in(client, username: str, password: str, address: str):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_attackers_failures_do_not_lock_the_owner_out(bars, world, client, app):
    for _ in range(8):  # past the per-name bar and the account's bar, from one address
        sign_in(client, "admin", "wrong-password", ATTACKER)
    assert sign_in(client, "admin", PASSWORD, ATTACKER).status_code == 429  # the attacker stays slowed
    owner = sign_in(app.test_client(), "admin", PASSWORD, OWNER)
    assert owner.status_code == 302


def test_many_attacking_addresses_do_not_lock_the_owner_out(bars, world, app):
    for number in range(6):  # 12 failures against admin, each address under the per-name bar
        for _ in range(2):
            sign_in(app.test_client(), "admin", "wrong-password", f"192.0.2.{number}")
    assert sign_in(app.test_client(), "admin", PASSWORD, OWNER).status_code == 302


def test_the_accounts_bar_slows_every_address_that_failed_against_it(bars, world, app):
    for number in range(4):  # one failure each: no address is past its own bars, the account is
        assert sign_in(app.test_client(), "admin", "wrong-password", f"192.0.2.{number}").status_code == 200
    refused = sign_in(app.test_client(), "admin", PASSWORD, "192.0.2.0")
    assert refused.status_code == 429 and "thử lại sau" in refused.get_data(as_text=True)
    assert sign_in(app.test_client(), "admin", "wrong-password", "192.0.2.50").status_code == 200  # checked
    assert sign_in(app.test_client(), "admin", PASSWORD, "192.0.2.50").status_code == 429  # then slowed too
    assert sign_in(app.test_client(), "producer", PASSWORD, "192.0.2.0").status_code == 302  # other accounts: no


def test_the_pair_bar_slows_one_address_guessing_one_name(bars, world, client, app):
    for _ in range(3):
        assert sign_in(client, "producer", "wrong-password", ATTACKER).status_code == 200
    response = sign_in(client, "producer", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau" in response.get_data(as_text=True)
    assert sign_in(client, "officer", PASSWORD, ATTACKER).status_code == 302  # under the address's bar


def test_the_address_bar_slows_one_address_guessing_many_names(bars, world, client):
    for name in ("producer", "officer", "nobody-1", "nobody-2", "nobody-3", "nobody-4"):
        assert sign_in(client, name, "wrong-password", ATTACKER).status_code == 200
    assert sign_in(client, "admin", PASSWORD, ATTACKER).status_code == 429  # a name it never tried


def test_a_reset_request_does_not_mark_the_owners_address(bars, world, app):
    """Asking for a reset mail is no password guess: the owner's next sign-in from there gets through."""
    for number in range(5):
        sign_in(app.test_client(), "admin", "wrong-password", f"192.0.2.{number}")
    app.test_client().post("/password/forgot", data={"identifier": "admin"}, environ_base={"REMOTE_ADDR": OWNER})
    assert sign_in(app.test_client(), "admin", PASSWORD, OWNER).status_code == 302


def test_unknown_and_inactive_names_cost_the_same_hash_work(world, client, monkeypatch):
    """No timing: the password hash (PBKDF2 in the tests) runs as often, as long, for every kind of name."""
    world["officer"].active = False
    db.session.commit()
    calls = []
    real = hashlib.pbkdf2_hmac
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", lambda *args, **kw: calls.append(args[3]) or real(*args, **kw))
    work = {}
    for name in ("nobody", "producer", "officer", "nobody-else"):
        calls.clear()
        assert sign_in(client, name, "wrong-password", ATTACKER).status_code == 200
        work[name] = list(calls)
    assert work["producer"] == [1000]  # one check at the configured cost
    assert work["nobody-else"] == work["producer"] and work["officer"] == work["producer"]


def test_failed_and_slowed_sign_ins_are_logged_without_the_password(bars, world, client, caplog):
    caplog.set_level(logging.INFO, logger="ocop_tracker.accounts")
    for _ in range(4):
        sign_in(client, "producer", "Bi-mat-rat-dai-7", ATTACKER)
    failed = [r.getMessage() for r in caplog.records if "failed sign-in" in r.getMessage()]
    assert failed == [f"failed sign-in: channel=web username='producer' address={ATTACKER}"] * 3
    assert any("sign-in refused while slowed down" in r.getMessage() for r in caplog.records)
    assert "Bi-mat-rat-dai-7" not in caplog.text


def ask_for_token(app, username: str, password: str, address: str):
    return app.test_client().post("/api/v1/auth/token", json={"username": username, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def test_the_page_and_the_api_share_one_brake(bars, world, app):
    """One sign_in behind both doors: failures on the page slow token requests, and the other way round."""
    for _ in range(3):  # the per-name bar, on the page
        assert sign_in(app.test_client(), "producer", "wrong-password", ATTACKER).status_code == 200
    refused = ask_for_token(app, "producer", PASSWORD, ATTACKER)
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many_attempts"
    for _ in range(3):  # the same bar, through the API, from another address and for another name
        assert ask_for_token(app, "officer", "wrong-password", OWNER).status_code == 401
    page = sign_in(app.test_client(), "officer", PASSWORD, OWNER)
    assert page.status_code == 429 and "thử lại sau" in page.get_data(as_text=True)
    assert sign_in(app.test_client(), "officer", PASSWORD, "192.0.2.77").status_code == 302  # a clean address


def test_both_doors_trim_the_name_alike(world, app):
    """The page and the API hand the name to sign_in as typed; it trims it, so both accept the same input."""
    assert sign_in(app.test_client(), "  producer ", PASSWORD, OWNER).status_code == 302
    assert ask_for_token(app, "  producer ", PASSWORD, OWNER).status_code == 201
