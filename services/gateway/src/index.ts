export * from './gateway';
export * from './ingest-route';
export * from './read-request';
export * from './openapi';
export { GatewayConfig } from './config';
