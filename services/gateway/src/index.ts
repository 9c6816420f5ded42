export * from './gateway';
export * from './ingest-route';
export * from './read-request';
export { GatewayConfig } from './config';
