/**
 * Consumer lag, measured with admin calls only: per group, topic and partition, the committed and log-end
 * offsets, the lag in messages and in time, and a Burrow-style status per group. The modules below, one
 * concept each, are exported from here so the package index needs one line for all of them.
 */
export * from './lag-sample';
export * from './lag-reader';
export * from './lag-status';
export * from './lag-time';
export * from './offset-timestamp';
export * from './next-message-time';
export * from './lag-monitor';
export * from './group-currency';
export * from './group-offsets';
export * from './read-barrier';
