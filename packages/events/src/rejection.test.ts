import { describe, expect, it } from 'vitest';
import { formatPath } from './rejection';

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['time'], 'time'],
    [['data', 'email'], 'data.email'],
    [['data', 'items', 0, 'sku'], 'data.items[0].sku'],
    [[0], '[0]'],
  ])('%j → %j', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});
