import type { TactfulEvent } from '@tactful/events';
import { compare } from './catalog';
import type { CustomerState } from './customer-state';

// What people did with each template: delivered, opened, clicked, replied. Deliveries are counted per
// `email.sent`; the others once per person and template (the state keeps, for a person who engaged, one
// small number per template: which of open, click and reply happened), so a rate is people over sends.
// The orchestrator adds these counts to the same atomic commit as the state, like the journey counts.

/** What happened to a template, as counted. */
export type TemplateKind = 'sent' | 'opened' | 'clicked' | 'replied';

const BITS = { opened: 1, clicked: 2, replied: 4 } as const;

/** Pure. The counter name of one count of one template. */
export function templateField(kind: TemplateKind, template: string): string {
  return JSON.stringify(['template', kind, template]);
}

/** The template an engagement event names, if any (`email.replied` carries it when the dispatcher wrote it). */
function engagementOf(event: TactfulEvent): { bit: number; template: string } | undefined {
  if (event.type !== 'email.opened' && event.type !== 'email.clicked' && event.type !== 'email.replied')
    return undefined;
  const template = (event.data as { template?: unknown }).template;
  if (typeof template !== 'string') return undefined;
  const kind =
    event.type === 'email.opened' ? 'opened' : event.type === 'email.clicked' ? 'clicked' : 'replied';
  return { bit: BITS[kind], template };
}

/**
 * Pure. The state with the engagement an event tells: an open, a click or a reply of a template the
 * person was sent (one naming any other template is not theirs to count). The same state when nothing
 * is new.
 */
export function applyEngagement(state: CustomerState, event: TactfulEvent): CustomerState {
  const found = engagementOf(event);
  if (found === undefined || !state.templatesSent.includes(found.template)) return state;
  const had = state.engaged?.[found.template] ?? 0;
  if ((had & found.bit) !== 0) return state;
  return { ...state, engaged: { ...state.engaged, [found.template]: had | found.bit } };
}

/**
 * Pure. The template counts one applied event adds, from the state before and after it: a delivery
 * (`email.sent`) counts once per event; an open, click or reply once per person and template.
 */
export function tallyEngagement(
  before: CustomerState,
  after: CustomerState,
  event: TactfulEvent,
): Record<string, number> {
  if (event.type === 'email.sent') return { [templateField('sent', event.data.template)]: 1 };
  const found = engagementOf(event);
  if (found === undefined) return {};
  const was = before.engaged?.[found.template] ?? 0;
  const is = after.engaged?.[found.template] ?? 0;
  const kind = found.bit === BITS.opened ? 'opened' : found.bit === BITS.clicked ? 'clicked' : 'replied';
  return (was & found.bit) === 0 && (is & found.bit) !== 0
    ? { [templateField(kind, found.template)]: 1 }
    : {};
}

/** One template's counts, as the console shows them. */
export interface TemplateCounts {
  readonly template: string;
  readonly sent: number;
  readonly opened: number;
  readonly clicked: number;
  readonly replied: number;
}

const KINDS: readonly TemplateKind[] = ['sent', 'opened', 'clicked', 'replied'];

/** Pure. The template counts in a set of counters (`store.counters()`), by template; others are ignored. */
export function readTemplateCounts(counters: Readonly<Record<string, number>>): TemplateCounts[] {
  const byTemplate = new Map<string, Record<TemplateKind, number>>();
  for (const [field, value] of Object.entries(counters)) {
    if (!field.startsWith('["template",')) continue;
    const parsed = parseField(field);
    if (!Array.isArray(parsed) || parsed.length !== 3) continue;
    const [, kind, template] = parsed as unknown[];
    if (typeof template !== 'string' || !KINDS.includes(kind as TemplateKind)) continue;
    let counts = byTemplate.get(template);
    if (counts === undefined)
      byTemplate.set(template, (counts = { sent: 0, opened: 0, clicked: 0, replied: 0 }));
    counts[kind as TemplateKind] += value;
  }
  return [...byTemplate]
    .map(([template, counts]) => ({ template, ...counts }))
    .sort((a, b) => compare(a.template, b.template));
}

function parseField(field: string): unknown {
  try {
    return JSON.parse(field) as unknown;
  } catch (err) {
    // a counter someone else named: not ours to read
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
