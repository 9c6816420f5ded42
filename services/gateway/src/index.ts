export * from './gateway';
export * from './ingest-route';
export * from './read-request';
export * from './openapi';
export * from './unsubscribe-route';
export * from './unsubscribe-page';
export * from './starter';
