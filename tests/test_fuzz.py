"""The seeded, bounded fuzzer (tools/fuzz.py) against the site on real waitress, as
``make serve`` configures it, with the PDFs built: 2,400 hostile requests (paths and
traversals, query strings, Host and other headers, methods, bodies, request lines), no 5xx
but a deliberate 501/503, every answer with the security headers and no Server header.
``make fuzz`` runs 10,000 on another seed."""

from __future__ import annotations

import pytest
from tools.fuzz import REQUIRED_HEADERS, generate, run

SEED = 1974
REQUESTS = 2400


@pytest.fixture
def app(brochure_site):  # noqa: F811
    return brochure_site.app


def test_the_generator_is_seeded_and_covers_every_area():
    first = list(generate(SEED, REQUESTS))
    assert first == list(generate(SEED, REQUESTS))
    assert first != list(generate(SEED + 1, REQUESTS))
    data = b"\n".join(request.data for request in first)
    categories = {request.category for request in first}
    assert categories == {"paths", "queries", "headers", "methods", "bodies", "request line"}
    for needle in [b"%2e%2e", b"..", b"%00", b"Host: ..", b"Accept-Language:", b"Cookie:",
                   b"Range:", b"If-None-Match:", b"HX-Request:", b"HX-History-Restore-Request",
                   b"X-Forwarded-Host:", b"Transfer-Encoding: chunked", b"PROPFIND ",
                   b"Content-Length: 10000000", b"/static/", b"/media/", b"?year="]:
        assert needle in data, needle
    assert max(len(request.data) for request in first) > 32768  # oversized heads too


def test_fuzzing_finds_no_5xx_and_headers_on_every_answer(live_server, capsys):
    report = run("127.0.0.1", live_server.port, SEED, REQUESTS)
    with capsys.disabled():
        print(f"\nfuzz seed {SEED}: {report.summary()}")
    assert report.total == REQUESTS >= 2000
    assert report.failures == [], report.failures[:10]
    answered = report.total - report.statuses[None]
    assert answered >= 0.9 * report.total
    # The requests really reached every layer: pages, redirects, client errors, waitress's
    # own refusals (413 body, 431 head), PDF ranges.
    for status in (200, 206, 302, 400, 404, 405, 413, 416, 431):
        assert report.statuses[status] > 0, (status, report.summary())
    assert len(REQUIRED_HEADERS) == 6
