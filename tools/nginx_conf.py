"""Write the nginx configuration of ``deploy/nginx/iassist.conf.in`` for a deployment.

    .venv/bin/python tools/nginx_conf.py --listen 80 --app 127.0.0.1:8001
        --app 127.0.0.1:8002 --static-root /srv/iassist/instance/static-build/current
        > /etc/nginx/nginx.conf

(one command line).

The test of the deployment (``tests/test_deploy.py``) and the benchmark render it the same
way, into a temporary folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "iassist.conf.in"


def render(
    apps: list[str],
    listen: str,
    static_root: str,
    run_dir: str = "/run/nginx-iassist",
    log_dir: str = "/var/log/nginx",
    cache_dir: str = "/var/cache/nginx/iassist",
    user: str | None = "www-data",
    cache: bool = True,
) -> str:
    """The configuration text.

    Args:
        apps: the waitress processes, ``host:port`` each.
        listen: nginx's ``listen`` value (``80``, ``127.0.0.1:8080``).
        static_root: the build folder of the static files (``<instance>/static-build/current``,
            which holds ``static/``).
        run_dir: where nginx keeps its pid file and temporary files.
        log_dir: where nginx writes ``access.log`` and ``error.log``.
        cache_dir: where nginx keeps the micro-cache.
        user: the user of the worker processes (None: nginx's default).
        cache: False turns the micro-cache off (to measure the processes behind it).

    Raises:
        ValueError: no app given.
    """
    if not apps:
        raise ValueError("at least one waitress process is needed")
    values = {
        "@USER_LINE@": f"user {user};" if user else "",
        "@RUN_DIR@": run_dir,
        "@LOG_DIR@": log_dir,
        "@CACHE_DIR@": cache_dir,
        "@CACHE_ZONE@": "iassist" if cache else "off",
        "@UPSTREAMS@": "\n".join(f"        server {app} max_fails=0;" for app in apps),
        "@LISTEN@": listen,
        "@STATIC_ROOT@": static_root.rstrip("/"),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def main() -> None:
    """Command line: print the configuration (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="80")
    parser.add_argument("--app", action="append", required=True, help="host:port, repeated")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--run-dir", default="/run/nginx-iassist")
    parser.add_argument("--log-dir", default="/var/log/nginx")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/iassist")
    parser.add_argument("--user", default="www-data")
    args = parser.parse_args()
    print(
        render(
            args.app,
            args.listen,
            args.static_root,
            args.run_dir,
            args.log_dir,
            args.cache_dir,
            args.user or None,
        )
    )


if __name__ == "__main__":
    main()
