export * from './orchestrator';
export * from './event-handler';
export * from './outbox';
