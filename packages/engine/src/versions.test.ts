import { describe, expect, it } from 'vitest';
import { buildCatalog, journeyVersion } from './catalog';
import { DAY, Timeline, WHITEPAPER_FORM, catalogOf, journey, templatesOfSends, whitepaper } from './test-kit';

// Version 4 changes the copy of every stage; version 3 is what people in flight entered.
const v3 = whitepaper({ version: 3 });
const v4 = whitepaper({ version: 4 })
  .replace('wp-welcome', 'wp4-welcome')
  .replace('wp-checkin', 'wp4-checkin')
  .replace('wp-case-study', 'wp4-case-study');

describe('a new journey version', () => {
  it('keeps customers in flight on the version they entered, and enters new customers on the new one', () => {
    const ann = new Timeline(catalogOf(v3), undefined, { customerId: 'cust-ann' });
    ann.apply('form.submitted', WHITEPAPER_FORM);

    // The new version is deployed: both versions are in the catalog.
    const both = catalogOf(v3, v4);
    ann.ctx = { ...ann.ctx, catalog: both };
    const bo = new Timeline(both, undefined, { customerId: 'cust-bo' });
    bo.apply('form.submitted', { ...WHITEPAPER_FORM, email: 'bo@example.com' });

    expect(templatesOfSends(ann.advance(8 * DAY))).toEqual(['wp-checkin']);
    expect(ann.state.history['whitepaper-nurture']).toMatchObject({ version: 3, outcome: 'completed' });
    expect(templatesOfSends(bo.advance(8 * DAY))).toEqual(['wp4-checkin']);
    expect(templatesOfSends(bo.effects)).toEqual(['wp4-welcome', 'wp4-checkin']);
    expect(bo.state.history['whitepaper-nurture']).toMatchObject({ version: 4 });
  });

  it('a version the catalog no longer has is left untouched, but still halted by an opt-out', () => {
    const ann = new Timeline(catalogOf(v3));
    ann.apply('form.submitted', WHITEPAPER_FORM);
    ann.ctx = { ...ann.ctx, catalog: catalogOf(v4) };
    const before = ann.state;
    const opened = ann.apply('email.opened', {});
    expect(opened.effects).toEqual([]);
    expect(opened.state).toEqual(before);
    expect(ann.advance(4 * DAY)).toEqual([]);
    const out = ann.apply('contact.opted_out', {});
    expect(out.state.active).toEqual({});
  });
});

describe('buildCatalog', () => {
  it('enters the highest version, keeps every version, and names every wait as XState does', () => {
    const catalog = buildCatalog([journey(v4), journey(v3)]);
    expect(catalog.latest.map((e) => [e.journey.id, e.journey.version])).toEqual([['whitepaper-nurture', 4]]);
    expect(journeyVersion(catalog, 'whitepaper-nurture', 3)?.journey.version).toBe(3);
    expect(journeyVersion(catalog, 'whitepaper-nurture', 5)).toBeUndefined();
    const entry = journeyVersion(catalog, 'whitepaper-nurture', 4);
    expect(entry?.channels).toEqual(['email']);
    expect(entry?.prospecting).toBe(false);
    expect([...(entry?.waits ?? [])]).toEqual([
      ['xstate.after.P3D.whitepaper-nurture.welcome', { delay: 'P3D', stage: 'welcome' }],
      ['xstate.after.P5D.whitepaper-nurture.engaged', { delay: 'P5D', stage: 'engaged' }],
      ['xstate.after.P5D.whitepaper-nurture.checkIn', { delay: 'P5D', stage: 'checkIn' }],
    ]);
  });

  it('sorts journeys by id, marks prospecting journeys, and refuses an id and version given twice', () => {
    const other = whitepaper({ exclude: ['customers'] }).replace('id: whitepaper-nurture', 'id: a-prospects');
    const catalog = buildCatalog([journey(v3), journey(other)]);
    expect(catalog.latest.map((e) => [e.journey.id, e.prospecting])).toEqual([
      ['a-prospects', true],
      ['whitepaper-nurture', false],
    ]);
    expect(() => buildCatalog([journey(v3), journey(v3)])).toThrow(/given twice/);
  });
});
