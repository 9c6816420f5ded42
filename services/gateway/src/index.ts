export * from './gateway';
export * from './ingest-route';
export * from './read-request';
export * from './openapi';
export { GatewayConfig } from './config';
export * from './unsubscribe-route';
export * from './unsubscribe-page';
