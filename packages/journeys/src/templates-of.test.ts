import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJourney } from './parse-journey';
import { templatesOf } from './templates-of';

const journeyOf = (name: string) => {
  const { journey } = parseJourney(
    readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'),
    name,
  );
  if (journey === undefined) throw new Error(`${name} must parse`);
  return journey;
};

describe('templatesOf', () => {
  it('lists each template once, in file order, nested states included', () => {
    expect(templatesOf(journeyOf('whitepaper-nurture.yaml'))).toEqual([
      'wp-welcome',
      'wp-case-study',
      'wp-checkin',
    ]);
    expect(templatesOf(journeyOf('good/nested-states.yaml'))).toEqual([
      'trial-welcome',
      'trial-tips',
      'trial-pricing',
      'trial-closing',
    ]);
  });
});
