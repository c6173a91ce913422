#!/usr/bin/env bash
# System packages the project needs beyond Python, from Debian's archive:
#   - Pango (WeasyPrint renders the brochure PDFs with it);
#   - with --test: Chromium (driven by Playwright in the browser tests), PostgreSQL
#     (a throwaway server the store's tests run against, beside SQLite), nginx with its
#     Brotli static module (the deployment test, tests/test_deploy.py) and wrk (the load
#     generator of `make benchmark`).
# Installs only what is missing; needs root (as on CI and the developers' machines).
set -euo pipefail
need=()
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [[ "${1:-}" == "--test" ]]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
  [[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]] \
    || need+=(libnginx-mod-http-brotli-static)
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
if ((${#need[@]})); then
  echo "Installing system packages: ${need[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "Run as root, or install them yourself: apt-get install ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
