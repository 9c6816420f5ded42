import { describe, expect, it } from 'vitest';
import { renderStatus } from './status-render';
import type { StatusReport } from './status-run';
import { strandedOf } from './status-run';

const report: StatusReport = {
  namespace: 'tactful',
  journeysDir: 'journeys',
  source: 'records',
  records: 1234,
  inFlight: 130,
  versions: [
    {
      journey: 'whitepaper-nurture',
      version: 3,
      file: 'journeys/whitepaper-nurture.yaml',
      loaded: true,
      customers: 120,
      stages: [
        { stage: 'checkIn', customers: 40 },
        { stage: 'welcome', customers: 80 },
      ],
    },
    {
      journey: 'whitepaper-nurture',
      version: 2,
      file: null,
      loaded: false,
      customers: 10,
      stages: [
        { stage: 'engaged', customers: 3 },
        { stage: 'welcome', customers: 7, movesTo: { version: 3, stage: 'welcome' } },
      ],
    },
  ],
  empty: ['newsletter v1'],
  problems: [],
  warnings: [],
};

describe('renderStatus', () => {
  it('lists each version with its stages, marks the orphaned one and says who moves and who is stranded', () => {
    expect(renderStatus(report, 0.42)).toBe(
      [
        'namespace tactful: 1,234 customer record(s) read from Redis in 0.4 s, 130 in a journey (counted from the stored records, not the journey counters)',
        'journey files: journeys',
        '',
        'whitepaper-nurture v3  journeys/whitepaper-nurture.yaml  120 customer(s)',
        '    checkIn        40',
        '    welcome        80',
        'whitepaper-nurture v2  ORPHANED: no file for this version in journeys  10 customer(s)',
        '    engaged         3  not stepped: no version takes them from here (put the file back, or name the stage in a migrate)',
        '    welcome         7  → v3 welcome at their next event or timer (migrate)',
        '',
        'loaded, nobody in them: newsletter v1',
        '',
        '1 orphaned version(s): whitepaper-nurture v2 (10); 3 customer(s) will not move until a file takes them',
        '',
      ].join('\n'),
    );
    expect(strandedOf(report)).toBe(3);
  });
});
