export * from './orchestrator';
export * from './batch-handler';
export * from './customer-apply';
export * from './outbox';
export * from './relay';
export * from './sub-batch';
export * from './starter';
