import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deliveryStep,
  type DeliveryAction,
  type DeliveryRecord,
  type DeliverySlot,
  type DeliveryStepResult,
} from './delivery-protocol';

// The state table of the README ("The delivery protocol") is generated here from `deliveryStep` over
// representative slots, so it cannot say something the code does not do. On a difference, the failure
// prints the table as the code has it, to paste into the README between the two markers.

const README = resolve(import.meta.dirname, '../README.md');
const START = '<!-- delivery-protocol-table:start -->';
const END = '<!-- delivery-protocol-table:end -->';

const CMD = 'cmd-aa';
const OTHER_CMD = 'cmd-bb';
const T = 'wp-welcome';
/** The dispatcher that acts; `b` is another one. */
const ME = 'a';
const NOW = 10_000;
const LEASE = 1000;

const sending = (owner: string, phase: 'claimed' | 'ending', leaseUntil: number): DeliveryRecord => ({
  state: 'sending',
  phase,
  owner,
  leaseUntil,
  template: T,
  attempts: 1,
});
const settled = (state: 'suppressed' | 'failed' | 'uncertain'): DeliveryRecord => ({
  state,
  template: T,
  code: 'x',
  at: 1,
});
const delivered: DeliveryRecord = { state: 'delivered', template: T, messageId: 'm', at: 1 };
const live = NOW + 1;
const expired = NOW - 1;

/** Each row: its label and the slots it stands for (which must all give the same cells). */
const ROWS: readonly (readonly [string, readonly DeliverySlot[]])[] = [
  ['no record, template free', [{ record: null, holder: null }]],
  ['no record, template held by another command', [{ record: null, holder: OTHER_CMD }]],
  ['claimed, own', [{ record: sending(ME, 'claimed', live), holder: CMD }]],
  ['claimed, another’s, lease live', [{ record: sending('b', 'claimed', live), holder: CMD }]],
  ['claimed, another’s, lease expired', [{ record: sending('b', 'claimed', expired), holder: CMD }]],
  ['ending, own', [{ record: sending(ME, 'ending', live), holder: CMD }]],
  ['ending, another’s, lease live', [{ record: sending('b', 'ending', live), holder: CMD }]],
  ['ending, another’s, lease expired', [{ record: sending('b', 'ending', expired), holder: CMD }]],
  ['delivered', [{ record: delivered, holder: CMD }]],
  [
    'suppressed or failed (template free)',
    [
      { record: settled('suppressed'), holder: null },
      { record: settled('failed'), holder: null },
    ],
  ],
  ['uncertain (template held)', [{ record: settled('uncertain'), holder: CMD }]],
];

const settle = (state: 'suppressed' | 'failed' | 'uncertain'): DeliveryAction => ({
  type: 'settle',
  state,
  code: 'x',
  owner: ME,
  now: NOW,
});

/** Each column: its label and the actions it stands for (which must all give the same cells). */
const COLUMNS: readonly (readonly [string, readonly DeliveryAction[]])[] = [
  ['claim', [{ type: 'claim', owner: ME, now: NOW, leaseMs: LEASE }]],
  ['end', [{ type: 'end', owner: ME, now: NOW, leaseMs: LEASE }]],
  ['delivered', [{ type: 'delivered', now: NOW, messageId: 'm' }]],
  ['release', [{ type: 'release', owner: ME }]],
  ['settle suppressed / failed', [settle('suppressed'), settle('failed')]],
  ['settle uncertain', [settle('uncertain')]],
];

/** A record as the table names it; suppressed and failed are one column, so one name. */
function recordText(record: DeliveryRecord | null): string {
  if (record === null) return 'no record';
  if (record.state === 'sending') return record.phase;
  if (record.state === 'suppressed' || record.state === 'failed') return 'suppressed / failed';
  return record.state;
}

/** One cell: the outcome, then what is written (the record, the template's holder, the delivery time). */
function cell(slot: DeliverySlot, { outcome, write }: DeliveryStepResult): string {
  if (write === undefined) return `\`${outcome}\``;
  const { record, holder, deliveredAt } = write;
  const written = [recordText(record)];
  if (holder !== slot.holder) {
    if (holder === CMD) written.push('holds T');
    else if (holder === null) written.push('frees T');
    else throw new Error(`the template passed to ${holder}`);
  }
  if (deliveredAt !== undefined) written.push('+time');
  return `\`${outcome}\` → ${written.join(', ')}`;
}

function generatedTable(): string[][] {
  const header = ['slot: record, claim, template', ...COLUMNS.map(([label]) => label)];
  const rows = ROWS.map(([label, slots]) => [
    label,
    ...COLUMNS.map(([column, actions]) => {
      const cells = new Set(
        slots.flatMap((slot) => actions.map((action) => cell(slot, deliveryStep(slot, CMD, T, action)))),
      );
      if (cells.size !== 1)
        throw new Error(`${label} × ${column} is not one cell: ${[...cells].join(' / ')}`);
      return [...cells][0]!;
    }),
  ]);
  return [header, ...rows];
}

const markdown = (table: string[][]): string =>
  table
    .flatMap((row, i) => [`| ${row.join(' | ')} |`, ...(i === 0 ? [`|${' --- |'.repeat(row.length)}`] : [])])
    .join('\n');

/** The table between the README's markers, as cells (the separator row left out). */
async function readmeTable(): Promise<string[][]> {
  const text = await readFile(README, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${README} has no ${START} … ${END}`);
  return text
    .slice(from + START.length, to)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|') && !/^\|(\s*:?-+:?\s*\|)+$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}

describe('the delivery protocol’s state table', () => {
  it('the README shows what deliveryStep does for every row and action', async () => {
    const generated = generatedTable();
    expect(
      await readmeTable(),
      `the README's table differs; as the code has it:\n\n${markdown(generated)}\n`,
    ).toEqual(generated);
  });
});
