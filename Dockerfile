# syntax=docker/dockerfile:1
# The image the Argo step and the post-deploy Job run: `node app.js <file> <job>` in /app, as Simplepipe did.
# `npm run test:image` builds it with podman as Deploy step 1 (docs/deploy.md) says, and runs it (docs/image.md).
ARG BASE=docker.io/library/node:24-alpine

FROM ${BASE} AS build
WORKDIR /src
# The lock file alone decides the dependencies, so this layer is reused until it changes.
COPY package.json package-lock.json ./
# Behind a TLS-re-signing proxy npm needs its settings and the proxy's CA. They come in as build secrets
# (`--secret id=npmrc,src=…` and `--secret id=ca,src=…`), mounted for this one RUN and kept in no layer;
# without them npm runs with its defaults.
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=ca \
    if [ -f /run/secrets/npmrc ]; then export NPM_CONFIG_USERCONFIG=/run/secrets/npmrc; fi && \
    if [ -f /run/secrets/ca ]; then export NPM_CONFIG_CAFILE=/run/secrets/ca; fi && \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY schemas/ schemas/
COPY src/ src/
RUN npm run build
# Declared after the build, so a new commit reruns only this check and not npm ci. The labels below say
# which source the image is: a build that does not say it, or says another version than package.json, stops.
ARG VERSION
ARG REVISION
RUN test "${VERSION}" = "$(node -p 'require("./package.json").version')" || \
      { echo "build: --build-arg VERSION=${VERSION:-(unset)} but package.json says $(node -p 'require("./package.json").version')" >&2; exit 1; } && \
    test -n "${REVISION}" || { echo 'build: --build-arg REVISION=<git commit> is missing' >&2; exit 1; }

# The base without what a push does not need: npm, npx, corepack and yarn (the bundle needs only node), and
# Node's C headers and docs. Deleted in this stage, whose filesystem the image takes as one layer below, so
# they are gone, not hidden under a later layer.
FROM ${BASE} AS runtime
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* /usr/local/include/node /usr/local/share/doc \
      /usr/local/share/man /usr/local/share/systemtap /root/.npm /tmp/*
WORKDIR /app
# The bundle is self-contained (the metric schema is inside it). Node 20.19+ and 22.12+ would find its ESM
# syntax by themselves, without a warning; the package.json's "type": "module" states it instead of relying on that.
COPY --from=build /src/dist/app.js ./simplepipe.js
COPY image/app.js image/package.json ./
# V8's compiled code of the bundle, read at every start instead of compiling it again (bench/README.md).
# Node keeps it in a folder per uid: warmed as 1000 below, group 0 owning it and allowed to write it
# (OpenShift's convention), and app.js lets any other uid read it (image/app.js, docs/image.md).
ENV NODE_OPTIONS=--max-semi-space-size=4
RUN mkdir /app/.node-compile-cache && chown 1000:0 /app/.node-compile-cache && chmod 2775 /app/.node-compile-cache
USER 1000:0
# Declared here, used by the LABEL below: buildah reuses a cached LABEL step whatever the ARG's value, so
# this RUN, whose cache key holds the values, runs again for a new commit and so does the final stage.
ARG VERSION
ARG REVISION
# Warm the cache with the code a push runs: argument parsing, reading, validation, rendering.
RUN node app.js --help > /dev/null && \
    echo '[{"name": "warm_up", "description": "d", "value": 1, "metric_type": "gauge"}]' | node app.js - --dry-run > /dev/null 2>&1 && \
    chmod -R g=u /app/.node-compile-cache

FROM scratch
COPY --from=runtime / /
ARG BASE
ARG VERSION
ARG REVISION
LABEL org.opencontainers.image.title="simplepipe" \
      org.opencontainers.image.description="Validate an ML pipeline's metric file and push it to a Prometheus Pushgateway" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${BASE}"
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# A young generation of 4 MiB semi-spaces: for 100,000 series Node 24's own default peaked at 266 MB and this at
# 196 MB, no slower (bench/README.md). npm run bench runs the app with this line's options too.
ENV NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
# Numeric, so Kubernetes' runAsNonRoot can verify it: 1000 is the `node` user of the base image.
USER 1000:1000
ENTRYPOINT ["node", "app.js"]
CMD ["--help"]
