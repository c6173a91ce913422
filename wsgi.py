"""WSGI entry point: ``app`` for waitress (``waitress-serve wsgi:app``) or ``flask --app wsgi``.

A setting with a bad value stops here with its message (no traceback).
"""

from webapp import create_app
from webapp.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    raise SystemExit(f"Configuration error: {error}") from None
