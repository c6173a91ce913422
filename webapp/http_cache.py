"""HTTP caching of the site's HTML: whole responses kept per data version, validators,
``Cache-Control``, ``Vary`` and compression.

- :func:`cached_view` keeps a view's 200 response in memory under (data version, locale,
  today's date, the request's path and query, the view's own extra key such as the
  fragment-or-page decision), so a repeated request costs a dictionary look-up. A load
  bumps the data version (:func:`webapp.db.bump_data_version`) and every process drops
  its entries within :data:`webapp.db.VERSION_CHECK_INTERVAL`.
- :func:`finish_response` (after every request) gives each HTML response a weak ``ETag``
  (a hash of the body, the same for every encoding as RFC 9110 allows for weak
  validators) and answers a matching ``If-None-Match`` with 304; gives 200 pages
  ``Cache-Control: public, max-age=0, s-maxage=<SHARED_CACHE_SECONDS>`` (browsers
  revalidate, a shared cache such as the nginx of ``deploy/`` may keep it briefly);
  compresses text bodies with Brotli or gzip as the client accepts (``Vary:
  Accept-Encoding``), once per cached response.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import brotli
from flask import Flask, Response, current_app, g, make_response, request

from webapp import memo
from webapp.clock import today
from webapp.i18n import current_locale

#: Media types worth compressing.
COMPRESSIBLE = (
    "text/html",
    "text/css",
    "text/plain",
    "text/calendar",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
)
#: Bodies smaller than this (bytes) are sent as they are.
MIN_COMPRESS_SIZE = 512
#: Brotli quality and gzip level: fast settings, since HTML is compressed at request time
#: (once per cached response).
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
#: Headers of a view's response that are kept with its body.
KEPT_HEADERS = ("Content-Type", "HX-Push-Url", "Vary", "Location")


@dataclass
class CachedResponse:
    """A view's response as kept in memory: ``body`` (bytes), ``status`` (int),
    ``headers`` (list of (name, value)), ``etag`` (str, the body's hash), ``encoded``
    ({"br" | "gzip": bytes}, filled on first use)."""

    body: bytes
    status: int
    headers: list[tuple[str, str]]
    etag: str
    encoded: dict[str, bytes] = field(default_factory=dict)

    def response(self) -> Response:
        """A new Response with this body and these headers."""
        response = current_app.response_class(self.body, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        return response


def body_etag(body: bytes) -> str:
    """The weak-validator value of ``body``: 20 hex digits of its SHA-1."""
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20]


def cached_view(extra_key: Callable[[], Hashable] | None = None) -> Callable:
    """Decorate a GET view whose response depends only on the URL (path and query), the
    locale, today's date, the store's data, and ``extra_key()`` (e.g. the
    fragment-or-page decision of :mod:`webapp.htmx`): its 200 responses are kept (at most
    ``RESPONSE_CACHE_SIZE`` of them; 0 turns this off) and served again."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(**kwargs: Any) -> Any:
            size = current_app.config["RESPONSE_CACHE_SIZE"]
            if size <= 0:
                return view(**kwargs)
            key = (
                current_locale(),
                today(),
                request.full_path,
                extra_key() if extra_key else None,
            )
            entry = memo.lookup("responses", key)
            if entry is memo.MISSING:
                response = make_response(view(**kwargs))
                if response.status_code != 200 or response.is_streamed:
                    return response
                body = response.get_data()
                headers = [(h, response.headers[h]) for h in KEPT_HEADERS if h in response.headers]
                entry = CachedResponse(body, response.status_code, headers, body_etag(body))
                memo.keep("responses", key, entry, size)
            g.cached_response = entry
            return entry.response()

        return wrapper

    return decorate


def _encode(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _chosen_encoding() -> str | None:
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding]:
            return encoding
    return None


def finish_response(response: Response) -> Response:
    """Validators, caching headers and compression (see the module docstring); registered
    by :func:`init_app` to run after every request."""
    if response.direct_passthrough or response.is_streamed:
        return response
    mimetype = response.mimetype or ""
    entry: CachedResponse | None = g.get("cached_response")
    if mimetype == "text/html" and response.status_code == 200:
        etag = entry.etag if entry else body_etag(response.get_data())
        response.set_etag(etag, weak=True)
        seconds = current_app.config["SHARED_CACHE_SECONDS"]
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
        response.vary.add("Accept-Encoding")
        if request.if_none_match.contains_weak(etag):
            response.status_code = 304
            response.set_data(b"")
            del response.headers["Content-Type"]
            return response
    if (
        mimetype in COMPRESSIBLE
        and response.status_code == 200
        and "Content-Encoding" not in response.headers
    ):
        response.vary.add("Accept-Encoding")
        body = entry.body if entry else response.get_data()
        encoding = _chosen_encoding() if len(body) >= MIN_COMPRESS_SIZE else None
        if encoding:
            if entry is not None:
                if encoding not in entry.encoded:
                    entry.encoded[encoding] = _encode(body, encoding)
                encoded = entry.encoded[encoding]
            else:
                encoded = _encode(body, encoding)
            response.set_data(encoded)
            response.headers["Content-Encoding"] = encoding
    return response


def init_app(app: Flask) -> None:
    """Run :func:`finish_response` after every request (settings ``RESPONSE_CACHE_SIZE``
    and ``SHARED_CACHE_SECONDS``, see :mod:`webapp.config`)."""
    app.after_request(finish_response)
