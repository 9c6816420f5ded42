import { describe, expect, it } from 'vitest';
import type { InFlightVersion } from '@tactful/engine';
import type { LoadedJourney } from '@tactful/journeys';
import { migrationImpact, renderMigrationImpact } from './impact-migration';

const candidate = {
  journey: {
    id: 'wp',
    version: 3,
    migrate: { from: 2, states: { welcome: 'welcome', checkIn: 'followUp' } },
  },
} as unknown as LoadedJourney;

const inFlight: InFlightVersion[] = [
  { journey: 'wp', version: 3, customers: 5, loaded: true, stages: [{ stage: 'welcome', customers: 5 }] },
  {
    journey: 'wp',
    version: 2,
    customers: 9,
    loaded: true,
    stages: [
      { stage: 'checkIn', customers: 4, movesTo: { version: 3, stage: 'followUp' } },
      { stage: 'engaged', customers: 2 },
      { stage: 'welcome', customers: 3, movesTo: { version: 3, stage: 'welcome' } },
    ],
  },
  { journey: 'other', version: 1, customers: 7, loaded: true, stages: [{ stage: 'a', customers: 7 }] },
];

describe('migrationImpact', () => {
  it('counts who would move stage to stage and who would stay, from the customers in flight', () => {
    const impact = migrationImpact(candidate, inFlight, 30)!;
    expect(impact).toEqual({
      from: 2,
      to: 3,
      records: 30,
      moves: [
        { version: 2, from: 'checkIn', to: 'followUp', customers: 4 },
        { version: 2, from: 'welcome', to: 'welcome', customers: 3 },
      ],
      staying: [{ stage: 'engaged', customers: 2 }],
    });
    expect(renderMigrationImpact(impact)).toEqual([
      '',
      'in flight now (30 customer records read from Redis)',
      'would move to v3             7 customers, at their next event or timer',
      '  v2 checkIn → followUp      4',
      '  v2 welcome → welcome       3',
      'stay on v2                   2 customers, in stages the migrate does not name',
      '  engaged                    2',
    ]);
  });

  it('says nothing for a version without a migrate', () => {
    const plain = { journey: { id: 'wp', version: 3 } } as unknown as LoadedJourney;
    expect(migrationImpact(plain, inFlight, 30)).toBeUndefined();
  });
});
