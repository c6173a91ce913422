"""Settings are checked when the site starts: a bad value stops the start with a message
naming the setting and what it expects, instead of a 500 on the first page."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from webapp.config import (
    WAITRESS_LIMITS,
    ConfigError,
    check_settings,
    serve_settings,
    settings_from_env,
)

from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def settings(monkeypatch, **env):
    for name in ("DATABASE_URL", "IASSIST_TODAY", "EVENTS_PER_PAGE", "FORCE_HTTPS",
                 "BROCHURE_DIR", "OFFICIAL_BROCHURE_DIR", "HOST", "PORT", "THREADS",
                 "TRUSTED_PROXY", "TRUSTED_HOSTS", "DATABASE_BUSY_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return check_settings(settings_from_env("/srv/iassist/instance"))


def test_defaults(monkeypatch):
    assert settings(monkeypatch) == {
        "DATABASE_URL": "sqlite:////srv/iassist/instance/iassist.sqlite3",
        "IASSIST_TODAY": None,
        "EVENTS_PER_PAGE": 20,
        "FORCE_HTTPS": False,
        "OFFICIAL_BROCHURE_DIR": "/srv/iassist/instance/brochures",
        "RESPONSE_CACHE_SIZE": 512,
        "SHARED_CACHE_SECONDS": 2,
        "TRUSTED_HOSTS": ["localhost", "127.0.0.1"],
        "DATABASE_BUSY_TIMEOUT": 5.0,
    }
    assert serve_settings() == {"host": "127.0.0.1", "port": 8000, "threads": 4,
                                **WAITRESS_LIMITS}


@pytest.mark.parametrize(
    ("env", "key", "expected"),
    [
        ({"EVENTS_PER_PAGE": "5"}, "EVENTS_PER_PAGE", 5),
        ({"EVENTS_PER_PAGE": "500"}, "EVENTS_PER_PAGE", 500),
        ({"FORCE_HTTPS": "1"}, "FORCE_HTTPS", True),
        ({"RESPONSE_CACHE_SIZE": "0"}, "RESPONSE_CACHE_SIZE", 0),
        ({"SHARED_CACHE_SECONDS": "30"}, "SHARED_CACHE_SECONDS", 30),
        ({"FORCE_HTTPS": "TRUE"}, "FORCE_HTTPS", True),
        ({"FORCE_HTTPS": "yes"}, "FORCE_HTTPS", True),
        ({"FORCE_HTTPS": "off"}, "FORCE_HTTPS", False),
        ({"FORCE_HTTPS": ""}, "FORCE_HTTPS", False),
        ({"IASSIST_TODAY": "2027-05-31"}, "IASSIST_TODAY", date(2027, 5, 31)),
        ({"IASSIST_TODAY": ""}, "IASSIST_TODAY", None),
        ({"DATABASE_URL": "postgresql+psycopg://u:p@db/iassist"}, "DATABASE_URL",
         "postgresql+psycopg://u:p@db/iassist"),
        ({"DATABASE_BUSY_TIMEOUT": "0.5"}, "DATABASE_BUSY_TIMEOUT", 0.5),
        ({"TRUSTED_HOSTS": "iassist.example.org"}, "TRUSTED_HOSTS", ["iassist.example.org"]),
    ],
)
def test_good_values_are_parsed(monkeypatch, env, key, expected):
    assert settings(monkeypatch, **env)[key] == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EVENTS_PER_PAGE": "0"}, "EVENTS_PER_PAGE='0': a whole number from 1 to 500"),
        ({"EVENTS_PER_PAGE": "abc"}, "EVENTS_PER_PAGE='abc': a whole number from 1 to 500"),
        ({"EVENTS_PER_PAGE": "-5"}, "EVENTS_PER_PAGE='-5': a whole number from 1 to 500"),
        ({"EVENTS_PER_PAGE": "501"}, "EVENTS_PER_PAGE='501': a whole number from 1 to 500"),
        ({"EVENTS_PER_PAGE": "٢٠"}, "EVENTS_PER_PAGE='٢٠': a whole number from 1 to 500"),
        ({"FORCE_HTTPS": "maybe"}, "FORCE_HTTPS='maybe': one of 1, true, yes, on, 0, false, no, off"),
        ({"IASSIST_TODAY": "2026-13-01"}, "IASSIST_TODAY='2026-13-01': an ISO date, YYYY-MM-DD"),
        ({"IASSIST_TODAY": "tomorrow"}, "IASSIST_TODAY='tomorrow': an ISO date"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL='not a url': a SQLAlchemy URL"),
        ({"DATABASE_BUSY_TIMEOUT": "0"}, "DATABASE_BUSY_TIMEOUT='0': a number of seconds"),
        ({"DATABASE_BUSY_TIMEOUT": "soon"}, "DATABASE_BUSY_TIMEOUT='soon': a number of seconds"),
        ({"TRUSTED_HOSTS": "example.org:80"}, "TRUSTED_HOSTS='example.org:80': host names"),
    ],
)
def test_bad_values_name_the_setting_and_what_it_expects(monkeypatch, env, message):
    with pytest.raises(ConfigError) as caught:
        settings(monkeypatch, **env)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "http"}, "PORT='http': a whole number from 1 to 65535"),
        ({"PORT": "0"}, "PORT='0': a whole number from 1 to 65535"),
        ({"PORT": "65536"}, "PORT='65536': a whole number from 1 to 65535"),
        ({"THREADS": "0"}, "THREADS='0': a whole number from 1 to 256"),
        ({"THREADS": "four"}, "THREADS='four': a whole number from 1 to 256"),
        ({"HOST": " "}, "HOST=' ': an address or host name"),
    ],
)
def test_bad_serve_settings(monkeypatch, env, message):
    settings(monkeypatch, **env)
    with pytest.raises(ConfigError) as caught:
        serve_settings()
    assert str(caught.value).startswith(message)


def test_serve_settings_with_a_proxy(monkeypatch):
    settings(monkeypatch, PORT="8080", THREADS="8", TRUSTED_PROXY="10.0.0.1")
    assert serve_settings() == {
        "host": "127.0.0.1",
        "port": 8080,
        "threads": 8,
        "trusted_proxy": "10.0.0.1",
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": "x-forwarded-for x-forwarded-host x-forwarded-proto",
        **WAITRESS_LIMITS,
    }


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"EVENTS_PER_PAGE": 0}, "EVENTS_PER_PAGE=0:"),
        ({"EVENTS_PER_PAGE": True}, "EVENTS_PER_PAGE=True:"),
        ({"IASSIST_TODAY": 20261122}, "IASSIST_TODAY=20261122:"),
        ({"FORCE_HTTPS": "maybe"}, "FORCE_HTTPS='maybe':"),
    ],
)
def test_create_app_checks_the_config_it_is_given(tmp_path, override, message):
    with pytest.raises(ConfigError, match=message):
        make_app(tmp_path, **override)


def run(command, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("EVENTS_PER_PAGE", "PORT")}
    environment.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                       **env)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EVENTS_PER_PAGE": "0"}, "Configuration error: EVENTS_PER_PAGE='0': a whole number from 1 to 500"),
        ({"PORT": "http"}, "Configuration error: PORT='http': a whole number from 1 to 65535"),
        ({"FORCE_HTTPS": "maybe"}, "Configuration error: FORCE_HTTPS='maybe'"),
    ],
)
def test_the_server_does_not_start_with_a_bad_setting(tmp_path, env, message):
    result = run([str(BIN / "iassist-serve")], tmp_path, **env)
    assert result.returncode == 1
    assert result.stderr.strip().startswith(message)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_flask_commands_stop_with_the_message_too(tmp_path):
    result = run([str(BIN / "flask"), "--app", "wsgi", "init-db"], tmp_path,
                 EVENTS_PER_PAGE="abc")
    assert result.returncode == 1
    assert "Configuration error: EVENTS_PER_PAGE='abc': a whole number from 1 to 500" in result.stderr
    assert "Traceback" not in result.stderr
