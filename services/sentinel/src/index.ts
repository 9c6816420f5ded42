export * from './sentinel';
export * from './halt-mark-for';
export * from './halting-types';
export * from './screen';
export type { SentinelOutcome } from './batch-handler';
export * from './starter';
