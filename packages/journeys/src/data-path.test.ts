import { describe, expect, it } from 'vitest';
import { DataPath, dataMatches, valueAtPath } from './data-path';

describe('valueAtPath', () => {
  const data = { formId: 'wp', fields: { topic: 'pricing', empty: null }, items: [{ sku: 'a' }] };

  it.each([
    ['formId', 'wp'],
    ['fields.topic', 'pricing'],
    ['fields.empty', null],
    ['items.0.sku', 'a'],
    ['fields.missing', undefined],
    ['formId.length', undefined],
    ['toString', undefined],
    ['fields.__proto__', undefined],
  ])('%s gives %j', (path, value) => {
    expect(valueAtPath(data, path)).toBe(value);
  });

  it('finds nothing in data that is not an object', () => {
    expect(valueAtPath(undefined, 'a')).toBeUndefined();
    expect(valueAtPath('text', 'length')).toBeUndefined();
  });
});

describe('dataMatches', () => {
  it('holds when every path has exactly its value', () => {
    const data = { formId: 'wp', fields: { topic: 'pricing' }, count: 3 };
    expect(dataMatches({ formId: 'wp', 'fields.topic': 'pricing' }, data)).toBe(true);
    expect(dataMatches({}, undefined)).toBe(true);
    expect(dataMatches({ count: 3 }, data)).toBe(true);
    expect(dataMatches({ count: '3' }, data)).toBe(false);
    expect(dataMatches({ formId: 'wp', 'fields.topic': 'other' }, data)).toBe(false);
    expect(dataMatches({ missing: null }, data)).toBe(false);
  });
});

describe('DataPath', () => {
  it.each(['a', 'fields.topic', 'items.0.sku'])('accepts %s', (path) => {
    expect(DataPath.safeParse(path).success).toBe(true);
  });
  it.each(['', '.a', 'a.', 'a..b', 'a b'])('refuses %j', (path) => {
    expect(DataPath.safeParse(path).success).toBe(false);
  });
});
