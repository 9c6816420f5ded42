export * from './errors';
export * from './event-types';
export {
  CustomerId,
  JourneyVersion,
  Timestamp,
  Uri,
  URI_PATTERN,
  URI_REFERENCE_PATTERN,
  UriReference,
} from './fields';
export * from './envelope';
export * from './data/form-submitted';
export * from './data/page-viewed';
export * from './data/email';
export * from './data/purchase-completed';
export * from './data/contact';
export * from './data/customer-status-changed';
export * from './data/timer-fired';
export * from './tactful-event';
export * from './result';
export * from './rejection';
export * from './decode-json';
export * from './iso-duration';
export * from './parse-event';
export * from './prepare-event';
export * from './cloud-event';
export * from './topics';
export * from './command';
export * from './parse-command';
export * from './command-id';
export * from './ledger-key';
export * from './link-signature';
export * from './unsubscribe-token';
export * from './unsubscribe-address';
export * from './reply-address';
export * from './unsubscribe-event';
export * from './audit-record';
export * from './halt-mark';
export * from './examples';
export * from './json-schemas';
export * from './produce-chunks';
