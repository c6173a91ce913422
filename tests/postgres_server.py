"""A throwaway PostgreSQL server for tests: ``initdb`` into a temporary folder, listening
only on a Unix socket in that folder, stopped and removed afterwards.

Uses Debian's ``postgresql`` package (``make test`` installs it). As root (CI), the server
runs as the ``postgres`` system user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: run `make test` (it installs postgresql)")
    return found[-1]


@contextmanager
def postgres_server():
    """Start a server; yield its SQLAlchemy URL (psycopg 3, Unix socket, database
    ``iassist``).

    Raises:
        RuntimeError: PostgreSQL is not installed.
        subprocess.CalledProcessError: the server did not start.
    """
    folder = Path(tempfile.mkdtemp(prefix="iassist-pg-"))
    data = folder / "data"
    as_user: list[str] = []
    user = pwd.getpwuid(os.getuid()).pw_name
    if os.getuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        user = "postgres"
        shutil.chown(folder, "postgres")
        os.chmod(folder, 0o755)
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True)  # noqa: E731
    run(_bin("initdb"), "-D", str(data), "-U", user, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
    run(_bin("pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
        f"-c listen_addresses='' -k {folder} -c fsync=off", "start")
    try:
        run(_bin("createdb"), "-h", str(folder), "-U", user, "iassist")
        yield f"postgresql+psycopg://{user}@/iassist?host={folder}"
    finally:
        run(_bin("pg_ctl"), "-D", str(data), "-w", "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
