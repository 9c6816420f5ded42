# The Tactful services: one image, `tactful run --only <services>` picks the role (docker-compose.yml,
# infra/k8s/). Three stages: the TypeScript compiled with the dev dependencies; the runtime layout
# (infra/src/runtime-layout.ts: package manifests, dist/, the examples) installed without them; then
# that layout alone, run by `node` as an unprivileged user.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npx tsx infra/scripts/runtime-layout.ts /app

FROM ${NODE_IMAGE} AS install
WORKDIR /app
COPY --from=build /app ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    TACTFUL_HTTP_PORT=8080
WORKDIR /app
# owned by root and read-only to the service: it writes nothing to its own files
COPY --from=install /app ./
# the `node` user of the base image, by number so that Kubernetes' runAsNonRoot can check it
USER 1000:1000
EXPOSE 8080
# liveness of the process on its own HTTP port (bound to loopback when TACTFUL_CONSOLE_TOKEN is unset,
# which this check reaches too); the image has no curl, so node asks
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.TACTFUL_HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "services/cli/bin/tactful.mjs"]
CMD ["run"]
