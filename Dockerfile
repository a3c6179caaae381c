# hbaas-server image: a Node.js builder makes the bundle, a distroless runner serves it.
#   docker build -t hbaas-server .
#   docker run --rm --publish 8000:8000 hbaas-server
# Base images are arguments so that they can be pinned, e.g.
#   --build-arg RUNNER_IMAGE=gcr.io/distroless/nodejs24-debian13:nonroot@sha256:…
ARG BUILDER_IMAGE=node:24-trixie-slim
ARG RUNNER_IMAGE=gcr.io/distroless/nodejs24-debian13:nonroot

# --- builder: dependencies, then the bundle -----------------------------------------------
# The bundle is plain JavaScript, the same for every platform: build it once, natively.
FROM --platform=$BUILDPLATFORM ${BUILDER_IMAGE} AS builder
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
# Dependencies before sources, so that this slow layer is reused until the lockfile changes.
# What is copied is the build's inputs (scripts/build/inputs.mjs), no more: a test checks it.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build/ scripts/build/
COPY src/ src/
# Stamped into the bundle and /version; without them the build says "dev".
ARG VERSION BUILD_TIME COMMIT
RUN npm run build

# --- test: `docker build --target test .` runs the lint and the test suite in the builder --
FROM builder AS test
COPY .taprc eslint.config.mjs Dockerfile .dockerignore schemathesis.toml Taskfile.yml README.md ./
COPY scripts/ scripts/
COPY deploy/ deploy/
COPY docs/ docs/
COPY test/ test/
RUN npm run lint && npm test

# --- contents: what the image ships, and what it is made of ----------------------------------
# The bundle has no node_modules for an SBOM scanner to find: the build writes the package.json of
# every package inside it to dist/packages/, and BuildKit scans this stage for `--sbom=true`.
FROM scratch AS contents
ARG BUILDKIT_SBOM_SCAN_STAGE=true
COPY --from=builder /app/dist/packages/ /
COPY --from=builder /app/dist/server.cjs /app/dist/server.cjs.map /app/dist/sbom.cdx.json /dist/
COPY --from=builder /app/dist/docs/ /dist/docs/

# --- runner: the bundle on distroless Node.js (no shell, no npm), as a non-root user -------
FROM ${RUNNER_IMAGE} AS runner
WORKDIR /app
# Bundle, source map, SBOM and the docs page's assets: nothing else is needed at run time.
COPY --from=contents /dist/ dist/
# PORT is the API; METRICS_PORT is Prometheus's /metrics, on a port of its own so that
# `--publish 8000:8000` never publishes it (0 turns it off).
ENV NODE_ENV=production PORT=8000 METRICS_PORT=9464
USER 65532
EXPOSE ${PORT} ${METRICS_PORT}
# No curl or shell here: node itself asks /healthz, on the port the server listens on.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/nodejs/bin/node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then(res => process.exit(res.ok ? 0 : 1), () => process.exit(1))"]
# distroless's ENTRYPOINT is node, so CMD holds node's flags and the script; everything else that
# starts the bundle takes its flags from here (scripts/lib/docker.mjs). Source maps: stack traces
# that point at src/. A young generation of at most 2 × 4 MiB (V8's default grows to 2 × 16 MiB
# under load): this server keeps little alive per request, and the bigger one cost memory and
# saved no CPU time (docs/performance.md, "Memory").
CMD ["--enable-source-maps", "--max-semi-space-size=4", "/app/dist/server.cjs"]

# Last, so that a new version or time never invalidates the layers above. The source label is
# added by `task image:build` and `task image:upload` when the repository has an https URL (there
# is no empty label).
ARG VERSION=dev BUILD_TIME COMMIT
LABEL org.opencontainers.image.title="hbaas-server" \
      org.opencontainers.image.description="Happy Birthday as a Service: a small birthday API on Fastify" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}" \
      org.opencontainers.image.created="${BUILD_TIME}" \
      org.opencontainers.image.licenses="MIT"
