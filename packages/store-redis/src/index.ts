export { createStore, type Store } from './store';
export { Cluster, createProbeClient, createRedisClient, Redis, type RedisClient } from './redis-client';
export { STORE_DEFAULTS, type StoreOptions } from './store-options';
export { isOptedOut, splitHalts } from './halts';
// the one halt mark is @tactful/events's; named here too for readers of `LoadedCustomer.halts`
export type { HaltMark } from '@tactful/events';
export { shardOf } from './shard';
export type { DeliverySlotText, DeliverySlotWrite, ReplyRoute } from './delivery-records';
export { LAYOUT_VERSION, MIGRATE_COMMAND } from './layout';
export { redisCall, storeError } from './redis-errors';
export { appliedBefore, emptyAppliedLog, eventIdHash, withApplied } from './applied-log';
export type {
  AppliedLog,
  CommitMany,
  CommitResult,
  CustomerCommit,
  EventPosition,
  LoadedCustomer,
  OutboxField,
  OutboxMessage,
  PendingOutbox,
  Timer,
  TimerBacklog,
  TimerRef,
} from './types';
export * from './delete-namespace';
export * from './migrate';
export { commitFrom, type CommitChanges } from './commit-builder';
export {
  customerOfRecordKey,
  readCounters,
  readOnlyLayout,
  scanCustomers,
  type ReadOnlyOptions,
  type ScanOptions,
  type ScannedCustomer,
} from './scan-customers';
