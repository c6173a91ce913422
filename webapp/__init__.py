"""The IASSIST website: a Flask application built by :func:`create_app`.

Infrastructure modules (``config``, ``db``, ``i18n``, ``htmx``, ``errors``, ``clock``,
``catalogues``) know no domain; each domain (``events``, ``programmes``, ``pages``,
``brochures``) is a package with its blueprint (``views``) and, where it has commands,
``cli``. This module is the one place that wires them together: extensions, blueprints
and every domain's ``register_commands``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from htmx_flask import Htmx

from webapp import association, catalogues, db, errors, i18n
from webapp.config import PROJECT_ROOT, check_settings, settings_from_env
from webapp.security import hosts, integrity
from webapp.security.headers import SecurityHeaders


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    Args:
        config: settings that win over the environment and the defaults (see
            :func:`webapp.config.settings_from_env`), e.g. ``{"DATABASE_URL": ...}`` in
            tests. Both are checked by :func:`webapp.config.check_settings`.

    Returns:
        The Flask app, with its blueprints, CLI commands, error pages, trusted hosts and
        the security headers (:mod:`webapp.security.headers`) on every response.
        The database schema is not created here: ``flask --app wsgi init-db`` (or the serve
        command) does that.

    Raises:
        webapp.config.ConfigError: a setting has a value of the wrong form (the message
            names it and what is expected).
    """
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config["PROJECT_ROOT"] = PROJECT_ROOT
    app.config.update(settings_from_env(app.instance_path))
    if config:
        app.config.update(config)
    app.config.update(check_settings(app.config))

    Htmx(app)
    hosts.init_app(app)
    integrity.init_app(app)
    i18n.init_app(app)
    db.init_app(app)
    errors.init_app(app)

    from webapp.brochures import cli as brochures_cli
    from webapp.brochures.views import bp as brochures_bp
    from webapp.brochures.views import previews_bp
    from webapp.discovery.views import bp as discovery_bp
    from webapp.events import cli as events_cli
    from webapp.events.feeds_views import bp as feeds_bp
    from webapp.events.views import bp as events_bp
    from webapp.pages.views import bp as pages_bp
    from webapp.pages.views import root_bp
    from webapp.programmes import cli as programmes_cli
    from webapp.programmes.views import bp as programmes_bp

    app.register_blueprint(root_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(discovery_bp)
    app.register_blueprint(brochures_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(previews_bp)

    # The association's own addresses, for every page's footer (webapp.association).
    app.jinja_env.globals["ASSOCIATION_SITE"] = association.ASSOCIATION_SITE

    # Every command of every module, registered the same way: `flask --app wsgi --help`.
    for register_commands in (
        db.register_commands,
        catalogues.register_commands,
        events_cli.register_commands,
        programmes_cli.register_commands,
        brochures_cli.register_commands,
    ):
        register_commands(app)
    # Outermost WSGI layer, so that every response (static files included, whatever
    # serves them) gets the one header set of webapp.security.headers: keep it last.
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # type: ignore[method-assign]
    return app
