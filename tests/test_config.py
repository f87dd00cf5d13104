"""Configuration order and the generated secret key."""
import pytest

from ocop_tracker import create_app


def test_environment_overrides_and_secret_key_is_generated(tmp_path, monkeypatch):
    monkeypatch.setenv("OCOP_DOSSIERS_PER_PAGE", "7")
    monkeypatch.setenv("OCOP_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    (tmp_path / "config.py").write_text("DOSSIERS_PER_PAGE = 3\nMAIL_FROM = 'so@nn.gov.vn'\n")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["DOSSIERS_PER_PAGE"] == 7 and app.config["MAIL_FROM"] == "so@nn.gov.vn"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite3")
    key = (tmp_path / "secret_key").read_text()
    assert len(key) == 64 and app.config["SECRET_KEY"] == key
    assert create_app(instance_path=str(tmp_path)).config["SECRET_KEY"] == key


def test_secrets_and_text_settings_stay_text_whatever_they_look_like(tmp_path, monkeypatch):
    monkeypatch.setenv("OCOP_SMTP_PASSWORD", "123456")
    monkeypatch.setenv("OCOP_SECRET_KEY", "true" * 10)
    monkeypatch.setenv("OCOP_S3_SECRET_ACCESS_KEY", "[1, 2]")
    monkeypatch.setenv("OCOP_SMTP_PORT", "465")
    config = create_app(instance_path=str(tmp_path)).config
    assert (config["SMTP_PASSWORD"], config["SECRET_KEY"], config["S3_SECRET_ACCESS_KEY"]) == ("123456", "true" * 10, "[1, 2]")
    assert config["SMTP_PORT"] == 465  # a number where the default is one


@pytest.mark.parametrize("key", ["CHANGE-ME", "change-me-" + "x" * 40])
def test_the_placeholder_secret_key_stops_start_up(tmp_path, monkeypatch, key):
    monkeypatch.setenv("OCOP_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="OCOP_SECRET_KEY"):
        create_app(instance_path=str(tmp_path))


@pytest.mark.committing  # a connection of its own: its BEGIN IMMEDIATE waits for no test transaction
def test_sqlite_pragmas(app, backend):
    from ocop_tracker.extensions import db

    if backend != "sqlite":
        pytest.skip("SQLite pragmas only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
