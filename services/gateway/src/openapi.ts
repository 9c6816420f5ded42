import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI 3.1 document of the gateway's HTTP API (`openapi.json` beside this file: the build copies it
 * to dist/ with the code). Read once, at start.
 */
export function readOpenApiDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('./openapi.json', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** `GET /openapi.json`: the document, for integrators and their tooling. */
export function openApiRoute(app: FastifyInstance, document: Record<string, unknown>): void {
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
}
