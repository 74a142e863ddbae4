#!/usr/bin/env bash
# npm run test:image: builds the real Dockerfile with podman, with exactly the command of Deploy
# step 1 (docs/deploy.md), then runs the image as Kubernetes would against a real Pushgateway (test/image/built/). No Docker
# engine and no container registry: podman, buildah and runc from Debian, and a local stand-in for the base
# image (scripts/image/base.sh), all kept under .cache/containers between runs. Needs root. docs/image.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_IMAGE=1 bash scripts/setup.sh
source scripts/image/containers.sh
bash scripts/image/base.sh

build="$(node scripts/image/readmeBuild.mjs)"
image="$(printf '%s' "$build" | sed -n 's/.*podman build -t \([^ ]*\).*/\1/p')"
[ -n "$image" ] || { echo "image: the build command of docs/deploy.md names no image with -t" >&2; exit 1; }
# The image this name held before: each commit makes a new one, and the old would stay, untagged, in
# .cache/containers (pruning dangling images would drop the build cache too, so only this one goes).
previous="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
started=$(date +%s)
bash -euo pipefail -c "$build"
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$image")" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
echo "image: built ${image} in $(( $(date +%s) - started )) s, $(podman image inspect --format '{{.Size}}' "$image") bytes" >&2

SIMPLEPIPE_IMAGE="$image" npx vitest run --config vitest.image.config.ts "$@"
