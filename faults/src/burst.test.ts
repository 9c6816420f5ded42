import { describe, expect, test } from 'vitest';
import { burstItems } from './burst';
import { GARBAGE_KINDS } from './garbage';

describe('burstItems', () => {
  const customers = Array.from({ length: 100 }, (_, i) => `c-${i}`);
  const items = burstItems({ total: 10_000, garbage: 0.05, duplicates: 0.01, viewers: 1000 }, customers);

  test('the shares: 5 % garbage, equal numbers of every kind, 1 % repeats, every form once', () => {
    expect(items).toHaveLength(10_000);
    const garbage = items.filter((i) => i.kind === 'garbage');
    expect(garbage).toHaveLength(500);
    for (const kind of GARBAGE_KINDS) {
      const count = garbage.filter((g) => g.kind === 'garbage' && g.garbage === kind).length;
      expect(Math.abs(count - 500 / GARBAGE_KINDS.length)).toBeLessThanOrEqual(1);
    }
    expect(items.filter((i) => i.kind === 'repeat')).toHaveLength(100);
    expect(items.filter((i) => i.kind === 'form').map((i) => (i.kind === 'form' ? i.customer : ''))).toEqual(
      customers,
    );
  });

  test('each repeat comes after the event it repeats; forms and garbage spread through the stream', () => {
    const firstView = new Map<number, number>();
    items.forEach((item, at) => {
      if (item.kind === 'view') firstView.set(item.n, at);
      if (item.kind === 'repeat') expect(firstView.get(item.n)).toBeLessThan(at);
    });
    const forms = items.flatMap((item, at) => (item.kind === 'form' ? [at] : []));
    expect(forms[0]).toBeLessThan(200);
    expect(forms.at(-1)).toBeGreaterThan(9_800);
  });
});
