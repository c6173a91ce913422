"""``/sitemap.xml`` (an index), ``/sitemaps/<section>.xml``, ``/robots.txt``, and the
share-card facts as template globals."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, request, url_for
from flask.sansio.blueprints import BlueprintSetupState

from webapp.db import get_session
from webapp.discovery.share import OG_LOCALES, SHARE_IMAGE
from webapp.discovery.sitemap import build_index, build_sitemap, section_pages

bp = Blueprint("discovery", __name__)


def _document(body: bytes, content_type: str) -> Response:
    """``body`` with a strong ETag from its bytes, 304 for a matching ``If-None-Match``."""
    response = Response(body, content_type=content_type)
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.cache_control.no_cache = True
    response.make_conditional(request)
    return response


XML = "application/xml; charset=utf-8"


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """The sitemap index: one sitemap per section of the site
    (:mod:`webapp.discovery.sitemap`)."""
    return _document(build_index(get_session()), XML)


@bp.get("/sitemaps/<name>.xml")
def section_sitemap(name: str) -> Response:
    """One section's pages in the five languages; 404 for an unknown or empty section."""
    pages = section_pages(get_session(), name)
    if pages is None:
        abort(404)
    return _document(build_sitemap(pages), XML)


@bp.get("/robots.txt")
def robots() -> Response:
    """Every crawler may visit every page; the sitemap index's absolute URL."""
    body = "User-agent: *\nAllow: /\n\nSitemap: {}\n".format(
        url_for("discovery.sitemap", _external=True)
    )
    return _document(body.encode("utf-8"), "text/plain; charset=utf-8")


@bp.record_once
def _template_globals(state: BlueprintSetupState) -> None:
    """The share image and Open Graph locales, for ``templates/base.html``."""
    state.app.jinja_env.globals.update(SHARE_IMAGE=SHARE_IMAGE, OG_LOCALES=OG_LOCALES)
