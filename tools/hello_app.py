"""The yardstick of ``tools/benchmark.py``: a bare Flask "hello" app, served by the same
waitress as the site (``waitress-serve tools.hello_app:app``)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """``GET /``: the word "hello"."""
    return "hello"
