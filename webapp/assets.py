"""Static files: content-hashed names, precompressed variants, served by WhiteNoise.

:func:`build_assets` copies every file of ``static/`` into a build folder named after a
digest of their contents (``<instance>/static-build/<digest>/static/``), under a name
that carries 12 hex digits of its SHA-256 (``css/site.3f2a…9c.css``; the ``url()``
references inside stylesheets are rewritten to the hashed names), and next to each
compressible file its gzip (``.gz``) and Brotli (``.br``) variant, made by WhiteNoise's
own :class:`whitenoise.compress.Compressor`. ``manifest.json`` maps every source path to
its hashed path and its SRI integrity value. The folder is built once (into a temporary
folder renamed into place, so that processes starting together do not collide) and
reused while ``static/`` is unchanged; ``<instance>/static-build/current`` points to the
newest build (the nginx recipe in ``deploy/`` serves it from there).

:func:`init_app` wraps the app in WhiteNoise, which answers ``/static/<hashed name>``
before Flask sees the request, with the variant the client accepts (``Accept-Encoding``:
br, gzip) and ``Cache-Control: public, max-age=31536000, immutable``. A plain name
(``/static/css/site.css``, kept for old links) is not in the build: Flask's own static
route serves it from ``static/``, with its conditional and range handling. Templates
build every static URL with :func:`asset_url` (and :func:`asset_integrity` for
``integrity=`` attributes).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

#: Seconds a hashed file may be kept by any cache (a year), and the header that says so.
IMMUTABLE_MAX_AGE = 31_536_000
IMMUTABLE_CACHE_CONTROL = f"public, max-age={IMMUTABLE_MAX_AGE}, immutable"
#: Seconds a file under its plain name may be kept.
PLAIN_MAX_AGE = 60
#: A hashed file name: ``name.<12 hex digits>.ext``.
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
#: ``url(...)`` in a stylesheet.
CSS_URL = re.compile(r"""url\((["']?)([^"')]+)\1\)""")
MANIFEST = "manifest.json"
#: Folders of ``static/`` left out of the build: generated at run time under names that
#: already carry their content's hash (the brochure previews), served by Flask.
EXCLUDED = ("previews",)
#: Changes when the build folder's layout does, so that an older build is not reused.
BUILD_LAYOUT = "2"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_files(static_folder: Path) -> list[Path]:
    """The files of ``static_folder`` the build takes (all but :data:`EXCLUDED`), sorted."""
    return sorted(
        p
        for p in static_folder.rglob("*")
        if p.is_file() and p.relative_to(static_folder).parts[0] not in EXCLUDED
    )


def source_digest(static_folder: Path) -> str:
    """A digest of every file the build takes from ``static_folder`` (paths and
    contents): the build folder's name, so a changed file gives a new build."""
    digest = hashlib.sha256()
    for path in source_files(static_folder):
        digest.update(path.relative_to(static_folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _hashed_name(relative: str, data: bytes) -> str:
    stem, dot, ext = relative.rpartition(".")
    if not dot:
        return f"{relative}.{_digest(data)[:12]}"
    return f"{stem}.{_digest(data)[:12]}.{ext}"


def _rewrite_css(relative: str, text: str, hashed: dict[str, str]) -> str:
    """``text`` (the stylesheet at ``relative``) with each relative ``url()`` that names a
    file of the build replaced by its hashed name."""
    folder = Path(relative).parent

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if ":" in target or target.startswith(("/", "#")):
            return match.group(0)
        resolved = os.path.normpath((folder / target).as_posix())
        if resolved not in hashed:
            return match.group(0)
        new = os.path.relpath(hashed[resolved], folder.as_posix() or ".")
        return f'url("{Path(new).as_posix()}")'

    return CSS_URL.sub(replace, text)


def build_assets(static_folder: Path, build_root: Path) -> Path:
    """Build (or reuse) the hashed, precompressed copy of ``static_folder`` under
    ``build_root`` (see the module docstring).

    Returns:
        The build folder, holding ``static/`` (the files under their hashed names and
        their ``.gz``/``.br`` variants) and ``manifest.json`` (``{"files": {path: {"hashed":
        path, "integrity": "sha384-…"}}}``).

    Raises:
        OSError: ``static_folder`` cannot be read or ``build_root`` written.
    """
    target = build_root / f"{source_digest(static_folder)}-{BUILD_LAYOUT}"
    if (target / MANIFEST).exists():
        _point_current(build_root, target)
        return target
    build_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=build_root))
    try:
        sources = source_files(static_folder)
        # Stylesheets last: their url() references need the hashed names of the rest.
        sources.sort(key=lambda p: p.suffix == ".css")
        hashed: dict[str, str] = {}
        files: dict[str, dict[str, str]] = {}
        for path in sources:
            relative = path.relative_to(static_folder).as_posix()
            data = path.read_bytes()
            if path.suffix == ".css":
                data = _rewrite_css(relative, data.decode("utf-8"), hashed).encode("utf-8")
            name = _hashed_name(relative, data)
            hashed[relative] = name
            sri = base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")
            files[relative] = {"hashed": name, "integrity": f"sha384-{sri}"}
            out = work / "static" / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        compressor = Compressor(quiet=True)
        for path in sorted(p for p in (work / "static").rglob("*") if p.is_file()):
            if compressor.should_compress(path.name):
                compressor.compress(str(path))
        (work / MANIFEST).write_text(json.dumps({"files": files}, indent=1), encoding="utf-8")
        try:
            work.rename(target)
        except OSError:
            # Another process finished the same build first: use its folder.
            if not (target / MANIFEST).exists():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    _point_current(build_root, target)
    return target


def _point_current(build_root: Path, target: Path) -> None:
    """Make ``build_root/current`` a symlink to ``target`` (replaced atomically)."""
    link = build_root / "current"
    try:
        if link.is_symlink() and os.readlink(link) == target.name:
            return
        temporary = build_root / f".current-{os.getpid()}"
        if temporary.is_symlink():
            temporary.unlink()
        temporary.symlink_to(target.name)
        temporary.replace(link)
    except OSError:
        pass  # a read-only or shared folder: the app serves from ``target`` anyway


def _static_headers(headers: Any, path: str, url: str) -> None:
    """WhiteNoise hook: the exact long-lived ``Cache-Control`` for hashed names, and
    ``X-Content-Type-Options: nosniff`` on every static file."""
    if HASHED_NAME.search(url):
        headers["Cache-Control"] = IMMUTABLE_CACHE_CONTROL
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app: Flask) -> None:
    """Build the assets (:func:`build_assets`, into ``STATIC_BUILD_DIR``, default
    ``<instance>/static-build``), serve them with WhiteNoise under ``/static/``, and
    give templates :func:`asset_url` and :func:`asset_integrity`."""
    static_folder = Path(app.static_folder or app.config["PROJECT_ROOT"] / "static")
    build_root = Path(
        app.config.get("STATIC_BUILD_DIR") or Path(app.instance_path) / "static-build"
    )
    folder = build_assets(static_folder, build_root)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    app.extensions["assets"] = {"folder": folder, "manifest": manifest}
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(folder / "static"),
        prefix="static/",
        max_age=PLAIN_MAX_AGE,
        allow_all_origins=False,
        immutable_file_test=lambda path, url: bool(HASHED_NAME.search(url)),
        add_headers_function=_static_headers,
    )
    app.jinja_env.globals.update(asset_url=asset_url, asset_integrity=asset_integrity)


def asset_url(filename: str) -> str:
    """The URL of the static file ``filename`` (a path under ``static/``, e.g.
    ``css/site.css``) under its content-hashed name, e.g. ``/static/css/site.3f2a….css``.

    Raises:
        KeyError: there is no such file under ``static/``.
    """
    entry = current_app.extensions["assets"]["manifest"][filename]
    return f"{current_app.config.get('APPLICATION_ROOT', '/').rstrip('/')}/static/{entry['hashed']}"


def asset_integrity(filename: str) -> str:
    """The Subresource Integrity value of the static file ``filename``
    (``sha384-<base64>``), for an ``integrity=`` attribute.

    Raises:
        KeyError: there is no such file under ``static/``.
    """
    return str(current_app.extensions["assets"]["manifest"][filename]["integrity"])
