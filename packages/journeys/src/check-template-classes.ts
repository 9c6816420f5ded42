import { basename } from 'node:path';
import type { MessageClass } from '@tactful/events';
import type { Journey } from './journey';
import type { Problem } from './problem';
import { templatesOf } from './templates-of';

/**
 * Pure. A template sent by a marketing journey and by a transactional one (any versions, any files) is a
 * problem of every file that sends it. The two classes keep different ledgers (a marketing template
 * reaches a person at most once, ever; a transactional one once per entry), so one template in both
 * would let the transactional journey send again what marketing may send only once.
 */
export function checkTemplateClasses(loaded: readonly { file: string; journey: Journey }[]): Problem[] {
  const senders = new Map<string, { file: string; journey: Journey }[]>();
  for (const item of loaded)
    for (const template of templatesOf(item.journey))
      senders.set(template, [...(senders.get(template) ?? []), item]);
  const problems: Problem[] = [];
  for (const [template, items] of [...senders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const classes = new Set<MessageClass>(items.map(({ journey }) => journey.class));
    if (classes.size < 2) continue;
    for (const { file, journey } of items) {
      const other = journey.class === 'marketing' ? 'transactional' : 'marketing';
      const others = items
        .filter((item) => item.journey.class === other)
        .map((item) => `${item.journey.id} v${item.journey.version} (${basename(item.file)})`);
      problems.push({
        file,
        reason: `template "${template}" is sent by this ${journey.class} journey and by the ${other} ${others.join(', ')}; a template belongs to one class (marketing templates reach a person once, ever; transactional ones once per entry): give each its own template`,
      });
    }
  }
  return problems;
}
