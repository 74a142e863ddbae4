#!/usr/bin/env bash
# Installs what the demo and the tests need on a fresh Debian machine, and nothing that is already there:
# the real Pushgateway, Prometheus and Alertmanager (Debian packages; promtool comes with prometheus,
# amtool with prometheus-alertmanager), VictoriaMetrics (a second remote-write store) and tinyproxy (a real
# proxy), curl and GNU time (for npm run bench), openssl and htpasswd (certificates and the basic-auth
# recipe in the tests), Debian's python3 (the writers that watch's tests watch) and the npm dependencies.
# Run by `npm run demo` and `npm run test:all`; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || missing+=(prometheus)
{ command -v prometheus-alertmanager >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1; } || missing+=(prometheus-alertmanager)
command -v victoria-metrics >/dev/null 2>&1 || missing+=(victoria-metrics) # the second real remote-write receiver of the tests
command -v tinyproxy >/dev/null 2>&1 || missing+=(tinyproxy) # the real HTTP proxy the HTTPS_PROXY/NO_PROXY tests pass through
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils) # the basic-auth recipe of docs/multi-tenancy.md, run by a test
[ -x /usr/bin/time ] || missing+=(time) # GNU time: npm run bench reads the app's peak RSS from it
# Python writers: test/watch rewrites the watched file with them (json among the modules: python3, not
# python3-minimal), test/cli/existingFiles.test.ts writes the files users already have with json.dump, gzip and tar.
{ [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import json, tempfile' 2>/dev/null; } || missing+=(python3)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
command -v tar >/dev/null 2>&1 || missing+=(tar)
# npm run test:image (scripts/test-image.sh) asks for what it builds and runs the image with, too.
if [ "${SETUP_IMAGE:-}" = 1 ]; then
  for tool in podman buildah runc mmdebstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# test/workflows renders the kustomize overlays with `kubectl kustomize`, which needs kustomize v5 (kubectl 1.27 or
# newer). Debian's kubernetes-client is kubectl 1.20 with kustomize v2, too old to build them, so it is not installed.
if ! kubectl version --client -o json 2>/dev/null | grep -Eq '"kustomizeVersion": "v([5-9]|[1-9][0-9])'; then
  echo "setup: kubectl with kustomize v5 is not on PATH: the overlay tests under test/workflows will fail" >&2
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
