import type { Explanation } from '@tactful/console';
import type { DeliveryView } from '@tactful/dispatcher';
import { sideText } from '../journeys/simulate-render';
import { DECISION_MARK } from '../decision-mark';

/** Pure. The customer's timeline and state as people read it, with the dispatcher's delivery records. */
export function renderExplanation(x: Explanation & { deliveries?: readonly DeliveryView[] }): string {
  if (!x.known) return `${x.customerId}: no state (never seen in this namespace)\n`;
  const lines: string[] = [];
  const s = x.summary;
  lines.push(`${x.customerId}  status ${s?.status ?? '?'}  state version ${x.version}`);
  if (s && s.optedOut.length > 0) lines.push(`opted out: ${s.optedOut.join(', ')}`);
  if (s?.hardBounced) lines.push('hard bounced: email suppressed');
  lines.push('', 'TIMELINE (newest last)');
  if (x.timeline.length === 0) lines.push('  (no decisions recorded)');
  for (const r of x.timeline) {
    const where = [r.journey, r.stage].filter(Boolean).join('/');
    const what = r.template ? ` ${r.template}` : '';
    lines.push(
      `  ${r.at}  ${DECISION_MARK[r.decision]} ${r.decision.padEnd(10)} ${where}${what}  — ${r.reason}${sideText(r)}` +
        `  [event ${r.causationId ?? '?'}${r.commandId ? `, command ${r.commandId}` : ''}]`,
    );
  }
  if (s) {
    lines.push('', 'NOW');
    for (const a of s.active)
      lines.push(
        `  in ${a.journey} v${a.version} at ${a.stages.join(', ')} since ${a.enteredAt}` +
          `${a.pendingWaits > 0 ? `, ${a.pendingWaits} wait(s) pending` : ''}`,
      );
    if (s.active.length === 0) lines.push('  in no journey');
    for (const d of s.deferred) lines.push(`  deferred: ${d.template} (${d.journey}) until ${d.dueAt}`);
    for (const h of s.history)
      lines.push(`  left ${h.journey} v${h.version}: ${h.outcome} at ${h.lastExitAt}`);
    lines.push(`  templates sent: ${s.templatesSent.length > 0 ? s.templatesSent.join(', ') : 'none'}`);
  }
  for (const t of x.timers)
    lines.push(`  timer ${t.id} (${t.journey} v${t.journeyVersion}) due ${new Date(t.dueAt).toISOString()}`);
  for (const h of x.halts)
    lines.push(
      `  halt mark: ${h.type} (${h.eventId}) at ${new Date(h.at).toISOString()}, not yet applied by the orchestrator`,
    );
  if (x.deliveries !== undefined && x.deliveries.length > 0) {
    lines.push('', 'DELIVERIES (the dispatcher)');
    for (const d of x.deliveries) lines.push(`  ${renderDelivery(d)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Pure. One command's delivery record in one line. */
export function renderDelivery(d: DeliveryView): string {
  switch (d.state) {
    case 'delivered':
      return `${new Date(d.at).toISOString()}  ✉ delivered  ${d.template}  ${d.messageId}`;
    case 'sending':
      return `in flight      ⋯ ${d.phase.padEnd(9)}  ${d.template}  command ${d.commandId} (attempt ${d.attempts}, lease until ${new Date(d.leaseUntil).toISOString()})`;
    default:
      return `${new Date(d.at).toISOString()}  ✗ ${d.state.padEnd(9)}  ${d.template}  command ${d.commandId} (${d.code})`;
  }
}
