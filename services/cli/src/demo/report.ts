import type { AuditRecord } from '@tactful/events';
import { DECISION_MARK } from '../decision-mark';

/** Pure. What one person was sent, what was not, and why, from their audit trail. */
export function renderPerson(person: string, records: readonly AuditRecord[]): string {
  const sent = records.filter((r) => r.decision === 'sent').map((r) => r.template);
  const lines = [`  ${person}: sent ${sent.length > 0 ? sent.join(', ') : 'nothing'}`];
  for (const r of records) {
    if (r.decision === 'entered') continue;
    const what = [r.journey, r.template].filter(Boolean).join(' ');
    lines.push(`    ${DECISION_MARK[r.decision]} ${r.decision.padEnd(10)} ${what.padEnd(42)} ${r.reason}`);
  }
  return lines.join('\n');
}
