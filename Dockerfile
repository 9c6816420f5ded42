# The Tactful services for docker-compose users: one image, `tactful run --only <service>` picks the role.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY infra ./infra
RUN npm ci --omit=dev --no-audit --no-fund && npm install --no-save tsx
COPY journeys ./journeys
COPY templates ./templates
COPY policy.yaml ./policy.yaml
ENV NODE_ENV=production
ENTRYPOINT ["npx", "tactful"]
CMD ["run"]
