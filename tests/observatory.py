"""The Mozilla HTTP Observatory's scoring, applied to one HTTP response.

Written from the Observatory's published tests and scoring table
(https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring, and
../shared/GUIDE.md §8), independently of the site's code: start at 100, apply the
penalties, and add the bonuses only if the result is at least 90. The tests that look at
a whole site rather than one response (redirection from HTTP, HSTS preloading, CORS
files) are left out. The highest score is 135: CSP with ``default-src 'none'`` (+10),
``frame-ancestors`` (+5), a private Referrer-Policy (+5), SRI on every script of an HTML
page (+5), ``Cross-Origin-Resource-Policy: same-origin`` (+10). The Observatory gives 0
for SRI when a response is not HTML or has no script ("sri-not-implemented-response-
not-html", "…-but-no-scripts-loaded"), so such a response scores 130 at best.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

PRIVATE_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
UNSAFE_REFERRER = {"origin", "origin-when-cross-origin", "unsafe-url"}
SIX_MONTHS = 15768000


@dataclass
class Score:
    """Outcome names (the Observatory's) with their modifiers, and the final score."""

    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        penalties = sum(v for v in self.outcomes.values() if v < 0)
        bonuses = sum(v for v in self.outcomes.values() if v > 0)
        score = max(0, 100 + penalties)
        return score + bonuses if score >= 90 else score


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def _csp(value: str | None) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in (value or "").split(";"):
        tokens = part.split()
        if tokens:
            directives.setdefault(tokens[0].lower(), [t.lower() for t in tokens[1:]])
    return directives


def score_response(headers, body: bytes, url: str) -> Score:
    """Score one response (``headers``: an ``email.message.Message``-like mapping with
    ``get`` and ``get_all``; ``url``: the address it was fetched from, its scheme taken as
    what the visitor used)."""
    score = Score()
    https = urlsplit(url).scheme == "https"
    csp = _csp(headers.get("Content-Security-Policy"))

    # Content Security Policy.
    if not csp:
        score.outcomes["csp-not-implemented"] = -25
    else:
        script = csp.get("script-src", csp.get("default-src"))
        objects = csp.get("object-src", csp.get("default-src"))
        style = csp.get("style-src", csp.get("default-src")) or []
        broad = {"*", "http:", "https:", "data:", "'unsafe-inline'"}
        if script is None or objects is None or broad & set(script) or {"*", "http:", "https:"} & set(objects):
            score.outcomes["csp-implemented-with-unsafe-inline"] = -20
        elif "'unsafe-eval'" in script:
            score.outcomes["csp-implemented-with-unsafe-eval"] = -10
        elif broad & set(style):
            score.outcomes["csp-implemented-with-unsafe-inline-in-style-src-only"] = 0
        elif csp.get("default-src") == ["'none'"]:
            score.outcomes["csp-implemented-with-no-unsafe-default-src-none"] = 10
        else:
            score.outcomes["csp-implemented-with-no-unsafe"] = 5

    # Cookies.
    cookies = headers.get_all("Set-Cookie") or []
    if not cookies:
        score.outcomes["cookies-not-found"] = 0
    else:
        flags = []
        for raw in cookies:
            jar = SimpleCookie()
            jar.load(raw)
            for morsel in jar.values():
                flags.append((bool(morsel["secure"]), bool(morsel["httponly"]),
                              str(morsel["samesite"]).lower()))
        if not all(secure for secure, _, _ in flags):
            hsts = headers.get("Strict-Transport-Security")
            score.outcomes["cookies-without-secure-flag" + ("-but-protected-by-hsts" if hsts else "")] = (
                -5 if hsts else -20
            )
        elif any(samesite not in ("", "lax", "strict") for _, _, samesite in flags):
            score.outcomes["cookies-samesite-flag-invalid"] = -20
        elif all(samesite in ("lax", "strict") for _, _, samesite in flags):
            score.outcomes["cookies-secure-with-httponly-sessions-and-samesite"] = 5
        else:
            score.outcomes["cookies-secure-with-httponly-sessions"] = 0

    # CORS (headers only).
    if headers.get("Access-Control-Allow-Origin", "").strip() == "*" and (
        headers.get("Access-Control-Allow-Credentials", "").lower() == "true"
    ):
        score.outcomes["cross-origin-resource-sharing-implemented-with-universal-access"] = -50
    else:
        score.outcomes["cross-origin-resource-sharing-not-implemented"] = 0

    # Referrer-Policy: the last policy the browser understands wins.
    referrer = [p.strip().lower() for p in headers.get("Referrer-Policy", "").split(",") if p.strip()]
    known = [p for p in referrer if p in PRIVATE_REFERRER | UNSAFE_REFERRER | {"no-referrer-when-downgrade"}]
    if not referrer:
        score.outcomes["referrer-policy-not-implemented"] = 0
    elif not known:
        score.outcomes["referrer-policy-header-invalid"] = -5
    elif known[-1] in PRIVATE_REFERRER:
        score.outcomes["referrer-policy-private"] = 5
    elif known[-1] in UNSAFE_REFERRER:
        score.outcomes["referrer-policy-unsafe"] = -5
    else:
        score.outcomes["referrer-policy-no-referrer-when-downgrade"] = 0

    # HSTS (HTTPS responses).
    hsts = headers.get("Strict-Transport-Security")
    if not https:
        score.outcomes["hsts-not-implemented-no-https"] = -20
    elif not hsts:
        score.outcomes["hsts-not-implemented"] = -20
    else:
        ages = [p.strip()[8:] for p in hsts.split(";") if p.strip().lower().startswith("max-age=")]
        if len(ages) != 1 or not ages[0].isdigit():
            score.outcomes["hsts-header-invalid"] = -20
        elif int(ages[0]) < SIX_MONTHS:
            score.outcomes["hsts-implemented-max-age-less-than-six-months"] = -10
        else:
            score.outcomes["hsts-implemented-max-age-at-least-six-months"] = 0

    # Subresource Integrity (HTML only).
    content_type = headers.get("Content-Type", "")
    if not content_type.startswith("text/html"):
        score.outcomes["sri-not-implemented-response-not-html"] = 0
    else:
        parser = _Scripts()
        parser.feed(body.decode("utf-8", "replace"))
        site = urlsplit(url)
        scripts = [s for s in parser.scripts if s.get("src")]
        if not scripts:
            score.outcomes["sri-not-implemented-but-no-scripts-loaded"] = 0
        else:
            external = [s for s in scripts if urlsplit(s["src"]).netloc not in ("", site.netloc)]
            with_sri = [s for s in scripts if (s.get("integrity") or "").startswith(("sha256-", "sha384-", "sha512-"))]
            if len(with_sri) == len(scripts):
                score.outcomes["sri-implemented-and-all-scripts-loaded-securely"] = 5
            elif not external:
                score.outcomes["sri-not-implemented-but-all-scripts-loaded-from-secure-origin"] = 0
            else:
                score.outcomes["sri-not-implemented-but-external-scripts-loaded-securely"] = -5

    # X-Content-Type-Options.
    xcto = headers.get("X-Content-Type-Options")
    if xcto is None:
        score.outcomes["x-content-type-options-not-implemented"] = -5
    elif xcto.strip().lower() != "nosniff":
        score.outcomes["x-content-type-options-header-invalid"] = -5
    else:
        score.outcomes["x-content-type-options-nosniff"] = 0

    # X-Frame-Options (or CSP frame-ancestors).
    xfo = (headers.get("X-Frame-Options") or "").strip().upper()
    if "frame-ancestors" in csp:
        score.outcomes["x-frame-options-implemented-via-csp"] = 5
    elif xfo in ("DENY", "SAMEORIGIN"):
        score.outcomes["x-frame-options-sameorigin-or-deny"] = 0
    elif xfo:
        score.outcomes["x-frame-options-header-invalid"] = -20
    else:
        score.outcomes["x-frame-options-not-implemented"] = -20

    # Cross-Origin-Resource-Policy.
    corp = (headers.get("Cross-Origin-Resource-Policy") or "").strip().lower()
    if not corp:
        score.outcomes["corp-not-implemented"] = 0
    elif corp in ("same-origin", "same-site"):
        score.outcomes[f"corp-implemented-with-{corp}"] = 10
    elif corp == "cross-origin":
        score.outcomes["corp-implemented-with-cross-origin"] = 0
    else:
        score.outcomes["corp-header-invalid"] = -20
    return score
