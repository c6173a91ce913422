"""WSGI entry point: ``app`` for waitress (``waitress-serve wsgi:app``) or ``flask --app wsgi``."""

from webapp import create_app

app = create_app()
