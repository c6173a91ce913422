"""Results computed once per data version, kept in this process's memory.

The store changes only when a load runs, and every load bumps the data version
(:func:`webapp.db.bump_data_version`). :func:`memoize` keeps a computed value under a key
that the caller makes of everything the value depends on (locale, today's date, the
canonical URL, the fragment-or-page decision, …); the data version is added to every key
by this module, and all values of an older version are dropped as soon as a request sees a
newer one. So a memoized value is never older than the data it was computed from, in any
process, by more than :data:`webapp.db.VERSION_CHECK_INTERVAL`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from webapp.db import data_version

T = TypeVar("T")

#: Default number of entries kept per namespace (least recently used dropped first).
DEFAULT_SIZE = 4096


class MemoStore:
    """The memoized values of one app: ``namespace -> OrderedDict(key -> value)``, all of
    one data version (``version``, int)."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.tables: dict[str, OrderedDict[Hashable, Any]] = {}
        self.lock = threading.Lock()

    def table(self, namespace: str, version: int) -> OrderedDict[Hashable, Any]:
        """The table of ``namespace`` for ``version``, emptying every table first when the
        version changed."""
        with self.lock:
            if version != self.version:
                self.tables = {}
                self.version = version
            return self.tables.setdefault(namespace, OrderedDict())


def init_app(app: Flask) -> None:
    """Give ``app`` its :class:`MemoStore` (``app.extensions['memo']``) and templates the
    :func:`cached_fragment` call block."""
    app.extensions["memo"] = MemoStore()
    app.jinja_env.globals.update(cached_fragment=cached_fragment, page_key=page_key)


def memoize(
    namespace: str,
    key: Hashable,
    compute: Callable[[], T],
    size: int = DEFAULT_SIZE,
    app: Flask | None = None,
) -> T:
    """The value of ``compute()`` for ``key`` in ``namespace`` at the current data version,
    computed on first use and kept (at most ``size`` entries per namespace, least recently
    used dropped first; ``size`` 0 computes every time).

    ``key`` must hold everything besides the data version that the value depends on.
    """
    app = app or current_app
    if size <= 0:
        return compute()
    version = data_version(app)
    store: MemoStore = app.extensions["memo"]
    table = store.table(namespace, version)
    with store.lock:
        if key in table:
            table.move_to_end(key)
            return table[key]
    value = compute()
    with store.lock:
        table[key] = value
        while len(table) > size:
            table.popitem(last=False)
    return value


#: Returned by :func:`lookup` when the key has no value.
MISSING: Any = object()


def lookup(namespace: str, key: Hashable, app: Flask | None = None) -> Any:
    """The value kept for ``key`` in ``namespace`` at the current data version, or
    :data:`MISSING`."""
    app = app or current_app
    store: MemoStore = app.extensions["memo"]
    table = store.table(namespace, data_version(app))
    with store.lock:
        if key in table:
            table.move_to_end(key)
            return table[key]
    return MISSING


def keep(namespace: str, key: Hashable, value: Any, size: int, app: Flask | None = None) -> None:
    """Keep ``value`` for ``key`` in ``namespace`` at the current data version (at most
    ``size`` entries, least recently used dropped first)."""
    app = app or current_app
    store: MemoStore = app.extensions["memo"]
    table = store.table(namespace, data_version(app))
    with store.lock:
        table[key] = value
        while len(table) > size:
            table.popitem(last=False)


def current_version() -> int:
    """The data version the current request is served from (see :func:`webapp.db.data_version`)."""
    return data_version(current_app)


#: Rendered fragments kept per namespace (each a few KB of HTML at most).
FRAGMENT_MEMO_SIZE = 4096


def cached_fragment(name: str, *key: Hashable, caller: Callable[[], str]) -> Markup:
    """A template fragment rendered once per data version, locale and ``key``, then kept:
    the call block of a template, ``{% call cached_fragment("site-header", request.endpoint)
    %}…{% endcall %}``.

    Args:
        name: the fragment's name (its memo namespace is ``"fragment:" + name``).
        key: everything besides the data version and the locale (both added here) that
            the fragment's HTML depends on: the page's URL parts, today's date, an id.
        caller: the block's body (Jinja passes it), called only when nothing is kept.

    Returns:
        The fragment's HTML, safe (it is the template's own output).
    """
    return memoize(
        "fragment:" + name,
        (str(get_locale()), *key),
        lambda: Markup(caller()),
        FRAGMENT_MEMO_SIZE,
    )


def page_key(query: Mapping[str, Any] | None = None) -> tuple[Hashable, ...]:
    """The current page as a :func:`cached_fragment` key for the site's chrome (header,
    language switcher, alternates): the scheme, the ``Host`` header as sent and the root
    path (absolute links are built from them), the endpoint, its URL arguments, and
    ``query`` (the view's canonical query arguments, a mapping of str to str) or else the
    request's raw query string."""
    environ = request.environ  # raw: an untrusted Host is refused later, not here
    return (
        request.scheme,
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
        request.root_path,
        request.endpoint,
        tuple(sorted((request.view_args or {}).items())),
        tuple(query.items()) if query is not None else request.query_string,
    )
