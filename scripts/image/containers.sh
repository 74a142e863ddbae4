#!/usr/bin/env bash
# Sourced by the image scripts: installs podman, buildah, runc and mmdebstrap when missing, and points podman at
# the project's own configuration and storage under .cache/containers, so nothing of the machine's is changed
# and the stand-in base and the build cache stay between runs. Needs root (a rootful podman).
set -euo pipefail

missing=()
for tool in podman buildah runc mmdebstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "image: installing Debian packages: ${missing[*]}" >&2
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

containers_dir="$(pwd)/.cache/containers"
# Sockets live under the run root, whose paths must stay short: /tmp, one folder per checkout.
containers_run="/tmp/simplepipe-containers-$(printf '%s' "$containers_dir" | cksum | cut -d' ' -f1)"
mkdir -p "$containers_dir" "$containers_run"
# runc, because crun fails on these hosts' cgroups; cgroupfs, as no systemd runs here; explicit ulimits,
# because root without CAP_SYS_RESOURCE cannot raise podman's default ones (EPERM at container start).
cat > "$containers_dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$containers_run/libpod"
CONF
cat > "$containers_dir/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$containers_dir/storage"
runroot = "$containers_run/storage"
CONF
export CONTAINERS_CONF="$containers_dir/containers.conf"
export CONTAINERS_STORAGE_CONF="$containers_dir/storage.conf"
