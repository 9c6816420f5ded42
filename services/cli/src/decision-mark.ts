import type { AuditRecord } from '@tactful/events';

/** The sign a decision is shown with wherever the CLI prints audit records: explain, simulate, the demo. */
export const DECISION_MARK: Readonly<Record<AuditRecord['decision'], string>> = {
  entered: '→',
  sent: '✉',
  deferred: '⏸',
  suppressed: '✗',
  halted: '■',
  completed: '✓',
  rejected: '!',
};
