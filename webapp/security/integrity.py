"""Subresource Integrity (SRI) for the site's scripts, computed from the files themselves.

``<script src="…" integrity="{{ script_integrity('js/site.js') }}">``: the browser refuses
a script whose bytes do not match, and the Mozilla Observatory awards its SRI points
(https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity). The hash is
read from the file in ``static/`` (never pasted by hand), recomputed when the file
changes (size or modification time).
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path

from flask import Flask, current_app


@functools.lru_cache(maxsize=64)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    data = Path(path).read_bytes()
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def file_integrity(path: Path) -> str:
    """The SRI value of the file at ``path``: ``"sha384-"`` + base64 of its SHA-384 digest
    (W3C Subresource Integrity, §3.1).

    Raises:
        OSError: the file cannot be read.
    """
    stat = path.stat()
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


def script_integrity(filename: str) -> str:
    """The SRI value of ``static/<filename>`` of the current app (a Jinja global).

    Raises:
        OSError: no such static file (a template names a script that does not exist).
    """
    static = Path(current_app.static_folder or "static")
    return file_integrity(static / filename)


def init_app(app: Flask) -> None:
    """Make :func:`script_integrity` available to templates."""
    app.jinja_env.globals["script_integrity"] = script_integrity
