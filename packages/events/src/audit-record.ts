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
    // Experiments (the journey file's `holdout` and `split` guards): which entry of the journey, and which
    // side of it, a decision is about, so a report can count per branch from the audit trail alone.
    entry: z
      .int()
      .min(1)
      .optional()
      .describe(
        "Which entry of the journey this is, for the person (a number of the person's own): decisions with the same journey, customer and entry are about one stay in the journey.",
      ),
    branch: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .describe(
        'The branch the person took: the stages split guards led them to, in order, joined by "/" (`variantA`, `shortCopy/offer`). Absent before any split.',
      ),
    holdout: z
      .literal(true)
      .optional()
      .describe("The person is in the journey's holdout: tracked, sent nothing."),
  })
  .meta({ title: 'audit record' });
export type AuditRecord = z.infer<typeof AuditRecord>;
