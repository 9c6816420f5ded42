export * from './dispatcher';
export * from './prepare';
export {
  createDeliveryStore,
  readDeliveries,
  type DeliveryStore,
  type DeliveryView,
  type ReplyRoute,
} from './delivery-store';
export type { DispatchOutcome } from './delivery';
export type { JourneyInfo } from './command-handler';
export { messageIdFor, tactfulHeaders, TACTFUL_HEADERS, type MailSettings } from './message';
export { emailSentIdFor, DISPATCHER_SOURCE } from './reporter';
export { buildEmail, type BuiltEmail } from './email';
export { linksFor, type EmailLinks } from './links';
export {
  loadTemplateWorkspace,
  previewEmail,
  previewSigner,
  sendTestEmail,
  type PreviewSubject,
  type TemplateWorkspace,
} from './template-tools';
export * from './starter';
