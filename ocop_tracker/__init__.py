"""OCOP Tracker: dossiers of One Commune One Product from draft to certificate."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from . import config as settings
from . import deployment
from .database import configure_sqlite, sqlite_uri
from .extensions import babel, bootstrap, csrf, db, login_manager, migrate

PACKAGE_ROOT = Path(__file__).resolve().parent


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Configuration → extensions → signals → blueprints → CLI."""
    # Flask's default: <checkout>/instance in a checkout, <prefix>/var/ocop_tracker-instance when installed.
    instance_path = instance_path or os.environ.get("OCOP_INSTANCE_PATH") or None
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure(app, test_config)
    deployment.configure(app)  # logs and request ids, proxies, error reporting, start-up warnings
    _init_extensions(app)
    _connect_signals()
    _register_blueprints(app)
    _register_cli(app)
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(settings.Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_uri(Path(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    settings.load_environment(app.config)
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.ensure_secret_key(Path(app.instance_path))
    settings.refuse_placeholder_secret(app.config["SECRET_KEY"])


def _init_extensions(app: Flask) -> None:
    from . import errors, i18n, labels, permissions, query_args, security, storage

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.register(app)
    labels.register(app)
    permissions.register(app)  # `can.<verb>(…)`: templates ask the views' own predicates
    security.register(app)
    errors.register(app)
    query_args.register(app)  # before the blueprints add their `<int:…>` rules
    storage.init_app(app)  # a storage setting that cannot work stops start-up here
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    from . import models  # noqa: F401  every table registered before Alembic compares


def _connect_signals() -> None:
    """What follows a transition or a calendar change, for the pages, the API and the commands alike."""
    from .deadlines.services import connect_signals as connect_deadlines
    from .notifications.services import connect_signals as connect_mails
    from .registry.effects import connect_signals as connect_certificates

    connect_certificates()  # the order of TRANSITION_STAGES is fixed in signals.py, whatever the order here
    connect_deadlines()
    connect_mails()


def _register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .api.openapi import docs_bp as api_docs_bp
    from .api.views import bp as api_bp
    from .batches.views import bp as batches_bp
    from .deadlines.views import bp as deadlines_bp
    from .decisions.views import bp as decisions_bp
    from .documents.views import bp as documents_bp
    from .dossiers.views import bp as dossiers_bp
    from .health.views import bp as health_bp
    from .moved import bp as moved_bp
    from .registry.views import bp as registry_bp
    from .reports.views import bp as reports_bp
    from .reviews.views import bp as reviews_bp
    from .summaries.views import bp as summaries_bp

    for blueprint in (accounts_bp, dossiers_bp, documents_bp, reviews_bp, admin_bp, deadlines_bp, summaries_bp,
                      api_bp, api_docs_bp, registry_bp, reports_bp, decisions_bp,
                      batches_bp, health_bp, moved_bp):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    """One module of commands per domain (`flask --app ocop_tracker --help` lists them all)."""
    from .accounts.cli import register as user_commands
    from .admin.cli import register as unit_commands
    from .backup.commands import register as backup_commands
    from .demo.cli import register as demo_commands
    from .dossiers.cli import register as dossier_commands
    from .notifications.cli import register as mail_commands
    from .notifications.schedule_cli import register as cron_commands
    from .products.cli import register as reference_data_commands
    from .rules.cli import register as rule_set_commands
    from .storage.cli import register as storage_commands

    for register in (unit_commands, demo_commands, reference_data_commands, user_commands, dossier_commands,
                     rule_set_commands, mail_commands, cron_commands, storage_commands, backup_commands):
        register(app)
