export {
  applyBounce,
  applyOptIn,
  applyOptOut,
  applyPreferences,
  applyStatusChange,
  pruneSends,
  recordSend,
} from './contact-updates';
export type { PreferencesUpdate, SentMessage } from './contact-updates';
export {
  ALL_CHANNELS,
  CUSTOMER_STATUSES,
  ContactView,
  CustomerStatus,
  DEFAULT_CHANNEL,
  EMPTY_CONTACT,
  SEND_HISTORY_LIMIT,
  SEND_HISTORY_WINDOW_MS,
  SendRecord,
  isOptedOut,
  normalizeName,
} from './contact-view';
export { decide } from './decide';
export { DEFER_CODES, SUPPRESS_CODES } from './decision';
export type { Decision, DeferCode, Reason, SendRequest, SuppressCode } from './decision';
export { DoNotContactUntil, resumeInstant } from './do-not-contact';
export { ClockTime, IsoDuration, TimeZoneName } from './field-schemas';
export { formatProblem, parsePolicy, parsePolicyOrThrow } from './parse-policy';
export type { PolicyParse, PolicyProblem } from './parse-policy';
export { BlastGuard, DEFAULT_POLICY, Frequency, POLICY_DEFAULTS, Policy, QuietHours } from './policy';
export { endOfQuiet, isQuiet } from './quiet-hours';
export type { QuietWindow } from './quiet-hours';
export { isValidTimeZone } from './zoned-time';
export { policyJsonSchema } from './json-schema';
