import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDiagramSource } from './diagram-source';
import type { DiagramJourney } from './diagram-source';
import { guardText, journeyDiagram, waitText } from './journey-diagram';

const EXAMPLES = resolve(import.meta.dirname, '../../../journeys');
const FIXTURES = resolve(import.meta.dirname, '__fixtures__');

async function diagramOf(file: string): Promise<string> {
  const read = readDiagramSource(await readFile(file, 'utf8'), file);
  if ('error' in read) throw new Error(read.error);
  return journeyDiagram(read.journey);
}

function sourceOf(yaml: string): DiagramJourney {
  const read = readDiagramSource(yaml, 'inline.yaml');
  if ('error' in read) throw new Error(read.error);
  return read.journey;
}

describe('journeyDiagram', () => {
  it('draws the white paper journey: sends, events, waits in days, the final state and every exit', async () => {
    expect(await diagramOf(resolve(EXAMPLES, 'whitepaper-nurture.yaml'))).toBe(
      [
        'stateDiagram-v2',
        '  state "whitepaper-nurture v3: White paper follow-up" as tactful_journey {',
        '    [*] --> welcome',
        '    state "welcome" as welcome',
        '    welcome : ✉ send wp-welcome',
        '    state "engaged" as engaged',
        '    engaged : ✉ send wp-case-study',
        '    state "checkIn" as checkIn',
        '    checkIn : ✉ send wp-checkin',
        '    state "done" as done',
        '    done --> [*]',
        '    welcome --> engaged : email.opened',
        '    welcome --> checkIn : after 3 days',
        '    engaged --> done : after 5 days',
        '    checkIn --> done : after 5 days',
        '  }',
        '  [*] --> tactful_journey : form.submitted (formId = whitepaper-2026)',
        '  state "halted" as tactful_halted',
        '  tactful_journey --> tactful_halted : email.replied · purchase.completed · contact.opted_out · email.bounced (hard) · customer.status_changed to customer',
        '  state "completed: bought" as tactful_bought',
        '  tactful_journey --> tactful_bought : purchase.completed of sku-travel-adapter',
        '',
      ].join('\n'),
    );
  });

  it('draws nested states as boxes and lifts an arrow that leaves a box to the box, naming the inner state', async () => {
    const diagram = await diagramOf(resolve(FIXTURES, 'good/nested-states.yaml'));
    expect(diagram).toContain(
      [
        '    state "onboarding" as onboarding {',
        '      [*] --> onboarding__welcome',
        '      state "welcome" as onboarding__welcome',
        '      onboarding__welcome : ✉ send trial-welcome',
        '      state "tips" as onboarding__tips',
        '      onboarding__tips : ✉ send trial-tips',
        '      state "pricing" as onboarding__pricing',
        '      onboarding__pricing : ✉ send trial-pricing',
        '      onboarding__welcome --> onboarding__pricing : email.clicked [url = https://example.com/pricing]',
        '      onboarding__welcome --> onboarding__tips : email.clicked (otherwise)',
        '    }',
      ].join('\n'),
    );
    expect(diagram).toContain('    onboarding --> closing : after 2 weeks\n');
    expect(diagram).toContain('    onboarding --> closing : tips: after 2 days\n');
    expect(diagram).toContain('    closing --> done : after 1 day\n');
    expect(diagram).toContain(
      '  [*] --> tactful_journey : form.submitted (formId = trial-signup, fields.plan = pro)\n',
    );
  });

  it.each([
    [
      'contact-inquiry.yaml',
      'answered --> followUp : after 2 days',
      'email.replied · purchase.completed · contact.opted_out · email.bounced (hard)\n',
    ],
    [
      'dealer-service.yaml',
      'welcome --> firstService : after 180 days',
      'email.replied · contact.opted_out · email.bounced (hard)\n',
    ],
    [
      'dealer-test-drive.yaml',
      'tradeIn --> done : after 1 week',
      'email.bounced (hard) · customer.status_changed to customer\n',
    ],
    [
      'newsletter.yaml',
      'november --> december : after 30 days',
      'tactful_halted : contact.opted_out · email.bounced (hard)\n',
    ],
    [
      'trip-planning.yaml',
      'guide --> deals : after 2 days',
      'tactful_bought : purchase.completed of trip-lisbon\n',
    ],
    [
      'trip-post-purchase.yaml',
      'tips --> welcomeBack : after 2 weeks',
      '[*] --> tactful_journey : purchase.completed\n',
    ],
  ])('draws %s', async (file, wait, exit) => {
    const diagram = await diagramOf(resolve(EXAMPLES, file));
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(diagram).toContain(`    ${wait}\n`);
    expect(diagram).toContain(exit);
    expect(diagram).toContain('    done --> [*]\n');
  });

  it('shows the holdout, the goal, split and unknown guards, exit sends, other channels and descriptions', () => {
    const diagram = journeyDiagram(
      sourceOf(`
id: spring-sale
version: 2
name: Spring sale
trigger: { event: page.viewed }
haltOn: [email.replied]
holdout: 10
goal: { event: purchase.completed, within: P14D, where: { items.0.sku: sku-1 } }
machine:
  initial: pick
  states:
    pick:
      description: "first touch; a/b"
      on:
        email.opened:
          - { target: variant-a, guard: { type: split, params: { percent: 20, salt: spring } } }
          - { target: variant-b, guard: { type: isVip } }
          - variant-b
      after: { PT30S: variant-b }
    variant-a:
      entry: { type: send, params: { template: sale-a, channel: sms } }
      exit: { type: send, params: { template: sale-a-bye } }
      after: { 90000: done }
    variant-b:
      entry: [{ type: send, params: { template: sale-b } }, { type: shout, params: { template: x } }]
      on: { email.clicked: nowhere }
    done: { type: final }
`),
    );
    expect(diagram).toContain(
      '  state "spring-sale v2: Spring sale · holdout 10%: tracked, sent nothing" as tactful_journey {\n',
    );
    expect(diagram).toContain('    pick : first touch#59; a/b\n');
    expect(diagram).toContain('    pick --> variant_a : email.opened [split 20%]\n');
    expect(diagram).toContain('    pick --> variant_b : email.opened [isVip]\n');
    expect(diagram).toContain('    pick --> variant_b : email.opened (otherwise)\n');
    expect(diagram).toContain('    pick --> variant_b : after 30 seconds\n');
    expect(diagram).toContain('    state "variant-a" as variant_a\n');
    expect(diagram).toContain('    variant_a : ✉ send sale-a by sms\n');
    expect(diagram).toContain('    variant_a : on leaving: ✉ send sale-a-bye\n');
    expect(diagram).toContain('    variant_a --> done : after 1 minute 30 seconds\n');
    expect(diagram).toContain('    variant_b : shout x\n');
    expect(diagram).toContain('    %% variant-b: email.clicked goes to an unknown state nowhere\n');
    expect(diagram).toContain('  [*] --> tactful_journey : page.viewed\n');
    expect(diagram).toContain(
      '  tactful_journey --> tactful_halted : email.replied · contact.opted_out · email.bounced (hard)\n',
    );
    expect(diagram).toContain('  state "goal reached: counted, the journey goes on" as tactful_goal\n');
    expect(diagram).toContain(
      '  tactful_journey --> tactful_goal : goal purchase.completed (items.0.sku = sku-1) within 2 weeks\n',
    );
    expect(diagram).not.toContain('tactful_bought');
  });

  it('keeps the ids of states apart when their names differ only in characters Mermaid cannot take', () => {
    const diagram = journeyDiagram(
      sourceOf(`
id: ids
trigger: { event: page.viewed }
haltOn: []
machine:
  initial: a-b
  states:
    a-b: { after: { P1D: a_b } }
    a_b: { type: final }
`),
    );
    expect(diagram).toContain('    state "a-b" as a_b\n');
    expect(diagram).toContain('    state "a_b" as a_b_2\n');
    expect(diagram).toContain('    a_b --> a_b_2 : after 1 day\n');
  });

  it('draws the notes a reader adds under a stage, after its sends, as text', () => {
    const journey = sourceOf(
      'id: j\nmachine:\n  initial: a\n  states:\n    a: { entry: { type: send, params: { template: t } }, on: { email.opened: b } }\n    b: { type: final }\n',
    );
    const [[name, a], ...rest] = journey.states as [[string, DiagramJourney['states'][number][1]]];
    const noted = {
      ...journey,
      states: [[name, { ...a, notes: ['3 here now', 't: 2 sent · 1 opened (50%)'] }], ...rest] as const,
    };
    expect(journeyDiagram(noted)).toContain(
      ['    a : ✉ send t', '    a : 3 here now', '    a : t: 2 sent · 1 opened (50%)'].join('\n'),
    );
  });

  it('refuses what cannot be drawn, with the reason', () => {
    expect(readDiagramSource('id: x\n', 'x.yaml')).toEqual({
      error: 'not a journey: it needs machine.initial and machine.states',
    });
    expect(readDiagramSource('- 1', 'x.yaml')).toEqual({
      error: 'not a journey: the file is not a mapping of fields',
    });
    expect(readDiagramSource('{', 'x.json')).toMatchObject({
      error: expect.stringContaining('not valid JSON'),
    });
  });
});

describe('waitText and guardText', () => {
  it.each([
    ['P3D', '3 days'],
    ['PT30S', '30 seconds'],
    ['P1DT12H', '1 day 12 hours'],
    ['P2W', '2 weeks'],
    ['P10D', '10 days'],
    ['PT0.5S', '500 milliseconds'],
    ['PT1H30M', '1 hour 30 minutes'],
    ['86400000', '1 day'],
    ['threeDays', 'threeDays (not a duration)'],
  ])('%s reads "%s"', (delay, text) => {
    expect(waitText(delay)).toBe(text);
  });

  it('writes dataEquals as path = value, quoting what is not a plain word', () => {
    expect(guardText({ type: 'dataEquals', params: { path: 'fields.topic', value: 'pricing' } })).toBe(
      'fields.topic = pricing',
    );
    expect(guardText({ type: 'dataEquals', params: { path: 'note', value: 'two words' } })).toBe(
      'note = "two words"',
    );
    expect(guardText({ type: 'dataEquals', params: { path: 'hard', value: true } })).toBe('hard = true');
  });
});
