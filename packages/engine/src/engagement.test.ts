import { describe, expect, it } from 'vitest';
import { readTemplateCounts, tallyEngagement, templateField } from './engagement';
import { Timeline, WHITEPAPER_FORM, catalogOf, makeEvent, whitepaper } from './test-kit';
import { readVersionStages, versionStageField } from './version-tally';

/** The template counts of applying `type` to the timeline's customer now. */
function counted(timeline: Timeline, type: Parameters<Timeline['apply']>[0], data: Record<string, unknown>) {
  const before = timeline.state;
  const result = timeline.apply(type, data);
  const event = makeEvent(type, data, { id: 'x', time: timeline.now, subject: timeline.state.customerId });
  return tallyEngagement(before, result.state, event);
}

describe('template counts', () => {
  it('counts each delivery, and an open, a click or a reply once per person and template', () => {
    const ann = new Timeline(catalogOf(whitepaper()));
    ann.apply('form.submitted', WHITEPAPER_FORM);
    const sent = { commandId: 'cmd-1', template: 'wp-welcome', messageId: '<m@x>' };
    expect(counted(ann, 'email.sent', sent)).toEqual({ [templateField('sent', 'wp-welcome')]: 1 });
    expect(counted(ann, 'email.opened', { template: 'wp-welcome' })).toEqual({
      [templateField('opened', 'wp-welcome')]: 1,
    });
    // a second open of the same template is the same person opening it again
    expect(counted(ann, 'email.opened', { template: 'wp-welcome' })).toEqual({});
    expect(counted(ann, 'email.clicked', { template: 'wp-welcome', url: 'https://x.example/' })).toEqual({
      [templateField('clicked', 'wp-welcome')]: 1,
    });
    expect(ann.state.engaged).toEqual({ 'wp-welcome': 3 });
    // an event without a template, or naming one the person was never sent, counts nothing
    expect(counted(ann, 'email.opened', {})).toEqual({});
    expect(counted(ann, 'email.clicked', { template: 'someone-elses' })).toEqual({});
    expect(counted(ann, 'email.replied', { template: 'wp-welcome', text: 'no' })).toEqual({
      [templateField('replied', 'wp-welcome')]: 1,
    });
    expect(ann.state.engaged).toEqual({ 'wp-welcome': 7 });
  });

  it('reads the template and version-stage counts back, ignoring counters of other shapes', () => {
    const counters = {
      [templateField('sent', 'wp-welcome')]: 4,
      [templateField('opened', 'wp-welcome')]: 2,
      [templateField('replied', 'wp-checkin')]: 1,
      [versionStageField('whitepaper-nurture', 3, 'welcome')]: 5,
      [versionStageField('whitepaper-nurture', 2, 'checkIn')]: 1,
      '["template",': 1,
      '["version-stage",': 2,
      'not json': 3,
    };
    expect(readTemplateCounts(counters)).toEqual([
      { template: 'wp-checkin', sent: 0, opened: 0, clicked: 0, replied: 1 },
      { template: 'wp-welcome', sent: 4, opened: 2, clicked: 0, replied: 0 },
    ]);
    expect(readVersionStages(counters)).toEqual([
      { journey: 'whitepaper-nurture', version: 2, stage: 'checkIn', customers: 1 },
      { journey: 'whitepaper-nurture', version: 3, stage: 'welcome', customers: 5 },
    ]);
  });
});
