# syntax=docker/dockerfile:1
# The image the Argo step and the post-deploy Job run: `node app.js <file> <job>` in /app, as Simplepipe did.
# test/image/layout.test.ts rebuilds the final stage's file layout from the COPY lines below and runs it.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /src
# The lock file alone decides the dependencies, so this layer is reused until it changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY schemas/ schemas/
COPY src/ src/
RUN npm run build

FROM node:${NODE_VERSION}-alpine
# The bundle needs only node: a package manager in the image would be unused attack surface.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="simplepipe" \
      org.opencontainers.image.description="Validate an ML pipeline's metric file and push it to a Prometheus Pushgateway" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/node:${NODE_VERSION}-alpine"
WORKDIR /app
# The bundle is self-contained (the metric schema is inside it). Node 20.19+ and 22.12+ would find its ESM
# syntax by themselves, without a warning; the package.json's "type": "module" states it instead of relying on that.
COPY --from=build /src/dist/app.js ./app.js
COPY image/package.json ./package.json
# Node keeps V8's compiled code of app.js here and reads it at every start instead of compiling the bundle
# again (Node 22.1+, README: Performance). The cache is per user, so it is warmed below as the user the pods
# run as; on a read-only root it is still read, and Node writes nothing.
ENV NODE_COMPILE_CACHE=/app/.node-compile-cache
# A young generation of 4 MiB semi-spaces: for 100,000 series Node 24's own default peaked at 266 MB and this at
# 196 MB, no slower (README: Performance). npm run bench runs the app with this line's options too.
ENV NODE_OPTIONS=--max-semi-space-size=4
RUN mkdir /app/.node-compile-cache && chown 1000:1000 /app/.node-compile-cache
# Numeric, so Kubernetes' runAsNonRoot can verify it: 1000 is the `node` user of the base image.
USER 1000:1000
# Warm the cache with the code a push runs: argument parsing, reading, validation, rendering.
RUN node app.js --help > /dev/null && \
    echo '[{"name": "warm_up", "description": "d", "value": 1, "metric_type": "gauge"}]' | node app.js - --dry-run > /dev/null 2>&1
ENTRYPOINT ["node", "app.js"]
CMD ["--help"]
