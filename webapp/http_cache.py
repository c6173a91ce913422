"""HTTP caching of the site's responses: validators, ``Cache-Control``, ``Vary``,
compression, and an in-process cache of whole responses keyed by the data version.

Two parts:

- :func:`finish_response` (Flask, after every request) gives each HTML page a weak
  ``ETag`` (a hash of the body; weak, so one value serves every encoding, as RFC 9110
  allows), ``Cache-Control: public, max-age=0, s-maxage=<SHARED_CACHE_SECONDS>``
  (browsers revalidate; a shared cache such as the nginx of ``deploy/`` may keep it
  briefly) and ``Vary: Accept-Encoding`` on every compressible response.
- :class:`ResponseCache` (WSGI, in front of Flask) behaves as a private HTTP cache of this
  process: it keeps each ``public`` 200 response that sets no cookie, under (today's
  date, scheme, host, path and query, the values of the request headers its ``Vary``
  names), at the
  current data version (:mod:`webapp.memo`: a load empties it in every process within
  :data:`webapp.db.VERSION_CHECK_INTERVAL`), and answers a repeated request without
  entering Flask. It also answers ``If-None-Match`` with 304 and compresses text bodies
  with Brotli or gzip as the client accepts, for every response, cached or not (a cached
  one is compressed once per encoding, then kept).

``RESPONSE_CACHE_SIZE`` (see :mod:`webapp.config`) bounds the number of URLs kept; 0
turns the keeping off (validators and compression stay).

Validators are kept apart from whole responses, even when these are not kept: for each
URL (the same key) the last ``public`` 200 or 304 answer's ``ETag`` and the headers of
its 304, at the current data version (at most :data:`VALIDATOR_MEMO_SIZE` URLs). A
revalidation whose ``If-None-Match`` holds that ``ETag`` is answered 304 from them
without entering Flask (RFC 9110 §15.4.5: a 304 carries the headers a 200 would have,
except the content ones). A brochure's 304, for example, then costs no query.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import brotli
from flask import Flask, Response
from werkzeug.http import http_date, parse_accept_header, parse_date, parse_etags

from webapp import memo

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
#: Brotli quality and gzip level: fast settings, since bodies are compressed at request
#: time (once per cached response).
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
#: Request headers that make a request unfit for the cache (ranges, date validators).
BYPASS_HEADERS = ("HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_IF_MODIFIED_SINCE")
#: URLs whose validator is kept (a few hundred bytes each).
VALIDATOR_MEMO_SIZE = 8192
#: Response headers a 304 leaves out (RFC 9110 §15.4.5: the content's own headers).
CONTENT_HEADERS = ("content-type", "content-length", "content-disposition", "content-encoding")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def body_etag(body: bytes) -> str:
    """The weak-validator value of ``body``: 20 hex digits of its SHA-1."""
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20]


def finish_response(response: Response) -> Response:
    """Validators and caching headers of a page (see the module docstring); registered
    by :func:`init_app` to run after every request."""
    if response.direct_passthrough or response.is_streamed:
        return response
    mimetype = response.mimetype or ""
    if mimetype == "text/html" and response.status_code == 200:
        from flask import current_app

        response.set_etag(body_etag(response.get_data()), weak=True)
        seconds = current_app.config["SHARED_CACHE_SECONDS"]
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    if mimetype in COMPRESSIBLE and response.status_code == 200:
        response.vary.add("Accept-Encoding")
    return response


def _encode(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


@dataclass
class Entry:
    """A response as kept: ``status`` (the status line's text, e.g. ``"200 OK"``),
    ``headers`` (list of (name, value), without Content-Length), ``body`` (bytes),
    ``vary`` (the request headers it varies on, as WSGI environ keys, with the values it
    was made for), ``etag`` (str | None), ``encoded`` ({"br" | "gzip": bytes})."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    vary: tuple[tuple[str, str | None], ...] = ()
    etag: str | None = None
    compressible: bool = False
    encoded: dict[str, bytes] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        return _header(self.headers, name)


@dataclass(frozen=True)
class Validator:
    """What a revalidation of a URL is answered from: ``etag`` (the ``ETag`` header's
    value as sent), ``headers`` (the 304's headers: list of (name, value)), ``vary`` (as
    in :class:`Entry`)."""

    etag: str
    headers: list[tuple[str, str]]
    vary: tuple[tuple[str, str | None], ...]
    expires_in: float | None = None

    def answer(self) -> list[tuple[str, str]]:
        """The 304's headers now: the kept ones, and ``Expires`` moved on to now plus
        what it was ahead of the answer's ``Date`` (the server adds ``Date`` itself)."""
        if self.expires_in is None:
            return list(self.headers)
        return [*self.headers, ("Expires", http_date(time.time() + self.expires_in))]


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    lowered = name.lower()
    return next((v for k, v in headers if k.lower() == lowered), None)


def _shareable(headers: list[tuple[str, str]]) -> bool:
    """Whether a response with ``headers`` may be kept for every client: ``public``,
    neither ``no-store`` nor ``private``, no cookie, no ``Vary: *``."""
    control = (_header(headers, "Cache-Control") or "").lower()
    return (
        "public" in control
        and "no-store" not in control
        and "private" not in control
        and _header(headers, "Set-Cookie") is None
        and "*" not in (_header(headers, "Vary") or "")
    )


def _vary_values(
    headers: list[tuple[str, str]], environ: dict[str, Any]
) -> tuple[tuple[str, str | None], ...]:
    """The request headers (WSGI environ keys) the response's ``Vary`` names, besides
    ``Accept-Encoding`` (handled here), with the values ``environ`` has."""
    vary = _header(headers, "Vary") or ""
    return tuple(
        (_environ_key(h), environ.get(_environ_key(h)))
        for h in vary.split(",")
        if h.strip() and h.strip().lower() != "accept-encoding"
    )


def _matches(etag: str, environ: dict[str, Any]) -> bool:
    """Whether the request's ``If-None-Match`` holds ``etag`` (weak comparison)."""
    wanted = parse_etags(environ["HTTP_IF_NONE_MATCH"])
    tag, _weak = _unquote(etag)
    return bool(wanted.star_tag or wanted.contains_weak(tag))


def _environ_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _chosen_encoding(environ: dict[str, Any]) -> str | None:
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))
    for encoding in ("br", "gzip"):
        if accepted[encoding]:
            return encoding
    return None


class ResponseCache:
    """WSGI middleware in front of the Flask app (see the module docstring).

    Args:
        app: the Flask app (its config and memo store).
        wsgi_app: the WSGI callable it wraps (Flask's own ``wsgi_app``).
    """

    def __init__(self, app: Flask, wsgi_app: WSGIApp) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer from the cache, or through the app (keeping the answer if it may)."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or any(
            h in environ for h in BYPASS_HEADERS
        ):
            return self.wsgi_app(environ, start_response)
        size = self.app.config["RESPONSE_CACHE_SIZE"]
        # Pages hold absolute links (canonical, feeds): the host and scheme are part of
        # the key, so a Host the app refuses (400, never kept) is never answered here.
        key = (
            self.app.config.get("IASSIST_TODAY") or date.today(),
            environ.get("wsgi.url_scheme", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
        if size > 0:
            variants = memo.lookup("responses", key, app=self.app)
            if variants is not memo.MISSING:
                for entry in variants:
                    if all(environ.get(k) == v for k, v in entry.vary):
                        return self._serve(entry, environ, start_response)
        if "HTTP_IF_NONE_MATCH" in environ:
            validators = memo.lookup("validators", key, app=self.app)
            for validator in () if validators is memo.MISSING else validators:
                if all(environ.get(k) == v for k, v in validator.vary):
                    if _matches(validator.etag, environ):
                        start_response("304 Not Modified", validator.answer())
                        return [b""]
                    break
        if environ["REQUEST_METHOD"] == "HEAD":
            return self.wsgi_app(environ, start_response)  # the app knows the length
        inner = environ
        if size > 0 and "HTTP_IF_NONE_MATCH" in environ:
            # Ask for the whole response, so that it can be kept; the validator is
            # checked here (_serve), now and for every revalidation after.
            inner = {k: v for k, v in environ.items() if k != "HTTP_IF_NONE_MATCH"}
        entry, passthrough = self._through_app(inner, key)
        if entry is None:
            return passthrough(start_response)
        if size > 0 and self._keepable(entry):
            variants = memo.lookup("responses", key, app=self.app)
            kept = [] if variants is memo.MISSING else list(variants)
            kept = [e for e in kept if e.vary != entry.vary] + [entry]
            memo.keep("responses", key, kept, size, app=self.app)
        return self._serve(entry, environ, start_response)

    def _remember_validator(
        self, key: tuple[Any, ...], environ: dict[str, Any], status: str, headers: list
    ) -> None:
        """Keep the validator of a shareable 200 or 304 answer for ``key``."""
        etag = _header(headers, "ETag")
        if not etag or not status.startswith(("200", "304")) or not _shareable(headers):
            return
        expires, sent = (
            parse_date(_header(headers, "Expires")),
            parse_date(_header(headers, "Date")),
        )
        validator = Validator(
            parse_etags(etag).to_header(),
            [(k, v) for k, v in headers if k.lower() not in (*CONTENT_HEADERS, "date", "expires")],
            _vary_values(headers, environ),
            (expires - (sent or expires)).total_seconds() if expires else None,
        )
        kept = memo.lookup("validators", key, app=self.app)
        others = [] if kept is memo.MISSING else [v for v in kept if v.vary != validator.vary]
        memo.keep("validators", key, [*others, validator], VALIDATOR_MEMO_SIZE, app=self.app)

    def _through_app(
        self, environ: dict[str, Any], key: tuple[Any, ...]
    ) -> tuple[Entry | None, Callable[[StartResponse], Iterable[bytes]]]:
        """Run the app, keeping the answer's validator under ``key``; (the response as an
        :class:`Entry`, None) when it is a buffered response this layer may validate and
        compress, else (None, a function replaying it unchanged)."""
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"], captured["exc_info"] = (
                status,
                headers,
                exc_info,
            )
            return lambda data: captured.setdefault("written", []).append(data)

        result = self.wsgi_app(environ, capture)
        headers: list[tuple[str, str]] = captured.get("headers", [])
        self._remember_validator(key, environ, captured.get("status", ""), headers)
        names = {k.lower() for k, _ in headers}
        if "content-encoding" in names or not captured.get("status", "").startswith("200"):

            def replay(start_response: StartResponse) -> Iterable[bytes]:
                write = start_response(captured["status"], headers, captured.get("exc_info"))
                for data in captured.get("written", []):
                    write(data)
                return result

            return None, replay
        try:
            body = b"".join([*captured.get("written", []), *result])
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        entry = Entry(
            captured["status"], [(k, v) for k, v in headers if k.lower() != "content-length"], body
        )
        entry.vary = _vary_values(entry.headers, environ)
        etag = entry.header("ETag")
        entry.etag = parse_etags(etag).to_header() if etag else None
        mimetype = (entry.header("Content-Type") or "").split(";", 1)[0].strip()
        entry.compressible = mimetype in COMPRESSIBLE and len(body) >= MIN_COMPRESS_SIZE
        return entry, lambda start_response: [body]

    @staticmethod
    def _keepable(entry: Entry) -> bool:
        return _shareable(entry.headers)

    def _serve(
        self, entry: Entry, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        if entry.etag and "HTTP_IF_NONE_MATCH" in environ and _matches(entry.etag, environ):
            headers = [(k, v) for k, v in entry.headers if k.lower() not in CONTENT_HEADERS]
            start_response("304 Not Modified", headers)
            return [b""]
        body, headers = entry.body, list(entry.headers)
        if entry.compressible:
            encoding = _chosen_encoding(environ)
            if encoding:
                if encoding not in entry.encoded:
                    entry.encoded[encoding] = _encode(entry.body, encoding)
                body = entry.encoded[encoding]
                headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(len(body))))
        start_response(entry.status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [body]


def _unquote(etag: str) -> tuple[str, bool]:
    from werkzeug.http import unquote_etag

    tag, weak = unquote_etag(etag)
    return tag or "", weak


def init_app(app: Flask) -> None:
    """Run :func:`finish_response` after every request and put :class:`ResponseCache`
    in front of the app (settings ``RESPONSE_CACHE_SIZE`` and ``SHARED_CACHE_SECONDS``,
    see :mod:`webapp.config`). Call it before WhiteNoise wraps the app, so that static
    files never reach this layer."""
    app.after_request(finish_response)
    app.wsgi_app = ResponseCache(app, app.wsgi_app)  # type: ignore[method-assign]
