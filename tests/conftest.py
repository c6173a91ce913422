"""Shared fixtures: an app on a real SQLite file with the bundled events loaded, a test
client, a CLI runner, the site served by real waitress on a free port, and a site whose
brochure and factsheet editions are all in the store (built once per session). ``tests``
is a package: a module that needs a helper from here imports it as ``tests.conftest``.

Today is fixed at 2026-11-22 (``IASSIST_TODAY``): IASSIST 2027 in Vancouver is the next
event, the 2026 Entebbe workshop is just over.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session
from webapp import create_app
from webapp.brochures.store import BuildResult, build_all
from webapp.config import WAITRESS_LIMITS
from webapp.db import create_schema, get_engine
from webapp.events.loader import load_events
from webapp.serve import create_site_server

TODAY = date(2026, 11, 22)
#: The reference data the expected values come from (a copy of ``../shared/data``; see
#: ``tests/reference/README.md``), so that a clone alone runs the suite.
REFERENCE_DATA = Path(__file__).resolve().parent / "reference"


def make_app(tmp_path: Path, **overrides):
    """An app whose store is a fresh SQLite file in ``tmp_path`` (schema created, nothing
    loaded), its folder of supplied printed editions ``tmp_path/official`` (absent)."""
    config = {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "IASSIST_TODAY": TODAY,
        "OFFICIAL_BROCHURE_DIR": str(tmp_path / "official"),
    }
    config.update(overrides)
    app = create_app(config)
    create_schema(app)
    return app


@pytest.fixture
def empty_app(tmp_path):
    """An app with an empty store."""
    return make_app(tmp_path)


@pytest.fixture
def app(tmp_path):
    """An app with the bundled events loaded."""
    app = make_app(tmp_path)
    with Session(get_engine(app)) as session:
        load_events(session)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class LiveServer:
    """The app served by waitress in a thread, on a port the OS picks; ``url`` is its
    base URL (no trailing slash). The server is built as ``make serve`` builds it
    (:func:`webapp.serve.create_site_server` with the production limits,
    :data:`webapp.config.WAITRESS_LIMITS`); ``settings`` override waitress adjustments
    (e.g. ``trusted_proxy``). Stopped from inside its own loop thread (waitress's
    trigger), so that no socket is closed under a running select()."""

    def __init__(self, app, **settings):
        options = {"host": "127.0.0.1", "port": 0, "threads": 4, **WAITRESS_LIMITS, **settings}
        self.server = create_site_server(app, **options)
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        def close_all():  # runs inside the server's loop thread
            for channel in list(self.server._map.values()):
                channel.close()

        try:
            self.server.trigger.pull_trigger(close_all)
        except OSError:
            # The loop already closed its trigger (poll() reported it gone) and ended:
            # close what is left from here.
            self.thread.join(timeout=5)
            close_all()
        self.thread.join(timeout=5)
        self.server.task_dispatcher.shutdown()


@pytest.fixture
def live_server(app):
    """The site with the bundled events, served by real waitress on a free port."""
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def reference_events_csv() -> Path:
    """The reference CSV (``tests/reference/iassist_events.csv``), read independently of
    the project's converter and loader."""
    path = REFERENCE_DATA / "iassist_events.csv"
    assert path.exists(), f"missing reference data {path}"
    return path


@dataclass
class BrochureSite:
    """A site with every edition in its store: ``app`` (Flask), ``folder`` (its
    temporary folder), ``results`` (the :class:`BuildResult` of the build, printed
    editions first)."""

    app: object
    folder: Path
    results: list[BuildResult]

    def result(self, name: str) -> BuildResult:
        return next(r for r in self.results if r.name == name)


@pytest.fixture(scope="session")
def brochure_site(tmp_path_factory) -> BrochureSite:
    """The bundled events, the six printed editions and the ten current editions in the
    store, built once per session (about 15 seconds). Tests that change something work
    on a :func:`clone_site`."""
    folder = tmp_path_factory.mktemp("brochure-site")
    app = make_app(folder)
    with Session(get_engine(app)) as session:
        load_events(session)
    return BrochureSite(app, folder, build_all(app))


def clone_site(site: BrochureSite, folder: Path, **overrides):
    """A new app on a copy of ``site``'s store (PDFs included) in ``folder``, its folder
    of supplied printed editions empty; the copy can be changed freely."""
    folder.mkdir(parents=True, exist_ok=True)
    with (
        sqlite3.connect(site.folder / "test.sqlite3") as src,
        sqlite3.connect(folder / "test.sqlite3") as dst,
    ):
        src.backup(dst)
    return make_app(folder, **overrides)


# --- Programme archive -------------------------------------------------------------------


@pytest.fixture(scope="session")
def programmes_db(tmp_path_factory) -> Path:
    """A SQLite file with the bundled events and programmes loaded, built once per test
    session (loading sanitizes 2,598 talks); tests get a copy (``programmes_app``)."""
    from webapp.programmes.loader import load_bundled_data

    folder = tmp_path_factory.mktemp("programmes-db")
    app = make_app(folder)
    with Session(get_engine(app)) as session:
        load_bundled_data(session)
    get_engine(app).dispose()
    return folder / "test.sqlite3"


@pytest.fixture
def programmes_app(programmes_db, tmp_path):
    """An app whose store (a copy of ``programmes_db``) holds the events and programmes."""
    import shutil

    shutil.copyfile(programmes_db, tmp_path / "test.sqlite3")
    return make_app(tmp_path)


@pytest.fixture
def programmes_client(programmes_app):
    return programmes_app.test_client()


@pytest.fixture(scope="session")
def reference_programmes() -> dict[int, dict]:
    """The reference programme files (``tests/reference/conference-programs/``) read with
    the json module, by year (taken from the file name: the 2025 file's own
    ``conferenceYear`` is wrong)."""
    import json

    folder = REFERENCE_DATA / "conference-programs"
    files = sorted(folder.glob("*.json"))
    assert len(files) == 25, f"missing reference programmes in {folder}"
    return {int(f.name[:4]): json.loads(f.read_text(encoding="utf-8")) | {"_file": f.name} for f in files}
