import { z } from 'zod';
import { CommandId } from './command';
import { CustomerId, identifier, JourneyVersion, Name, Timestamp } from './fields';

/** The decisions an audit record can report (CONTRACT.md section 6). */
export const AUDIT_DECISIONS = [
  'entered',
  'sent',
  'deferred',
  'suppressed',
  'halted',
  'completed',
  'rejected',
] as const;

export const AuditDecision = z.enum(AUDIT_DECISIONS);
export type AuditDecision = z.infer<typeof AuditDecision>;

/**
 * One decision on `N.audit`, keyed by the customer: every send and every non-send says what was decided
 * and why. Which of the optional fields are present depends on the decision (an `entered` has a journey
 * but no template; a `rejected` may have neither).
 */
export const AuditRecord = z
  .looseObject({
    customerId: CustomerId,
    at: Timestamp.describe('When the decision was made.'),
    decision: AuditDecision,
    journey: Name.optional().describe('The journey id, when the decision is about one journey.'),
    journeyVersion: JourneyVersion.optional(),
    stage: Name.optional().describe('The state path, when the decision is about one stage.'),
    template: Name.optional().describe('The template, when the decision is about a message.'),
    reason: z.string().min(1).describe('Why, in words an operator can act on.'),
    code: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case')
      .max(64)
      .optional()
      .describe('Why, as a stable snake_case code for metrics and tests (`quiet_hours`, `halted`).'),
    causationId: identifier(256).optional().describe('The id of the event that caused the decision.'),
    commandId: CommandId.optional().describe('The command, when the decision is about one.'),
  })
  .meta({ title: 'audit record' });
export type AuditRecord = z.infer<typeof AuditRecord>;
