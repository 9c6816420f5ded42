import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offset, renderTimelineRun, wallClock } from './simulate-render';
import { simulateFile } from './simulate-run';

const ROOT = resolve(import.meta.dirname, '../../../..');

describe('renderTimelineRun', () => {
  it('prints each event at its virtual time with the decisions it caused, then where the person ended', async () => {
    const { run, context } = await simulateFile({
      file: resolve(ROOT, 'journeys/whitepaper-nurture.yaml'),
      timelineFile: resolve(ROOT, 'docs/timelines/whitepaper-no-reply.yaml'),
      policyFile: resolve(ROOT, 'policy.yaml'),
      start: 0,
    });
    expect(context.others).toEqual([]);
    expect(renderTimelineRun(run, { journey: 'whitepaper-nurture v3', others: [], timeZone: 'UTC' })).toBe(
      [
        'whitepaper-nurture v3 for ben, on a virtual clock from Mon 2026-11-23 10:00 (UTC)',
        'beside it: no other journey (--with-journeys adds them)',
        '',
        'Mon 2026-11-23 10:00  +0s         form.submitted (formId = whitepaper-2026, email = ben@example.com, name = Ben)',
        "                                  → entered    whitepaper-nurture                           form.submitted matched the journey's trigger",
        '                                  ✉ sent       whitepaper-nurture/welcome wp-welcome        the contact policy allows it',
        'Thu 2026-11-26 10:00  +3d         ⏱ whitepaper-nurture/welcome: the wait of 3 days ends',
        '                                  ✉ sent       whitepaper-nurture/checkIn wp-checkin        the contact policy allows it',
        'Tue 2026-12-01 10:00  +8d         ⏱ whitepaper-nurture/checkIn: the wait of 5 days ends',
        '                                  ✓ completed  whitepaper-nurture                           reached the final state done',
        'Thu 2026-12-03 10:00  +10d        the clock stops',
        '',
        'sent: wp-welcome, wp-checkin',
        'left whitepaper-nurture v3: completed',
        '',
      ].join('\n'),
    );
  });

  it('writes times on the person’s wall clock and offsets in days, hours, minutes and seconds', () => {
    expect(wallClock(Date.parse('2026-11-23T23:30:00Z'), 'Europe/Berlin')).toBe('Tue 2026-11-24 00:30');
    expect(offset(0)).toBe('+0s');
    expect(offset(14 * 86_400_000 + 3_600_000)).toBe('+14d 1h');
    expect(offset(90_500)).toBe('+1m 30s 500ms');
  });
});
