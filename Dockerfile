# The API runs its TypeScript sources with tsx (a runtime dependency); the browser client is built
# with Vite in a stage of its own, and only its output is copied into the image.

FROM node:20-bookworm-slim AS base
WORKDIR /app
COPY package.json package-lock.json ./

# Dependencies exactly as locked. The "allowScripts" policy in package.json denies every dependency
# install script there is; the npm 10 of this image does not read that field, so --ignore-scripts
# applies the same policy. tsx runs without esbuild's script.
FROM base AS deps
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Vite 8's lockfile entries (its native bundler's platform packages) need npm 11 to install.
FROM base AS client
RUN npm install -g npm@11 && npm ci --ignore-scripts --no-audit --no-fund
COPY client ./client
COPY scripts/build-client.ts ./scripts/
RUN npm run build:client

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY server ./server
COPY migrations ./migrations
COPY --from=client /app/client/dist ./client/dist
COPY scripts ./scripts
# The embedded database (used when DATABASE_URL is unset) lives here: mount a volume on it.
RUN mkdir -p /data && chown node:node /data

USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# One process, so that SIGTERM from `docker stop` reaches the server itself and it shuts down cleanly.
# (The tsx command line runs the program in a child process and kills it with SIGKILL when the child
# does not acknowledge a relayed signal within 30 ms, as happens while its event loop is busy.)
CMD ["node", "--import", "tsx", "server/main.ts"]
