#!/usr/bin/env bash
# Sourced by the image scripts: points podman at the project's own configuration and storage under
# .cache/containers, so nothing of the machine's is changed and the stand-in base and the build cache stay
# between runs. Needs root (a rootful podman); `SETUP_IMAGE=1 scripts/setup.sh` installs podman and the rest.
set -euo pipefail

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
