export { createStore, type Store } from './store';
export { STORE_DEFAULTS, type StoreOptions } from './store-options';
export { haltsJourney, isOptedOut } from './halts';
export { shardOf } from './shard';
export { LAYOUT_VERSION } from './layout';
export { redisCall, storeError } from './redis-errors';
export type {
  AuditEntry,
  CommitBatch,
  CommitResult,
  HaltMark,
  LoadedCustomer,
  OutboxCommand,
  Timer,
  TimerBacklog,
  TimerRef,
} from './types';
export * from './delete-namespace';
