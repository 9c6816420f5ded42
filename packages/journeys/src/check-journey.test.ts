import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadJourneyFile } from './load-journeys';
import { parseJourney } from './parse-journey';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('journey files that are accepted', () => {
  it.each([
    'whitepaper-nurture.yaml',
    'good/nested-states.yaml',
    'good/cycle-without-send.json',
    'good/split-and-goal.yaml',
  ])('%s', async (name) => {
    const loaded = await loadJourneyFile(fixture(name));
    expect(loaded.problems).toEqual([]);
    expect(loaded.machine).toBeDefined();
  });
});

// One bad file per static check of CONTRACT.md section 5: each is refused with its file, state and reason.
describe('journey files that are refused at load', () => {
  it.each([
    ['unknown-action.yaml', 'welcome', /^entry\[0\]\.type: unknown action "sendSms"; known: send$/],
    [
      'unknown-guard.yaml',
      'welcome',
      /^on\["email\.clicked"\]\[0\]\.guard\.type: unknown guard "isVip"; known: dataEquals, split$/,
    ],
    [
      'split-params.yaml',
      'welcome',
      /^on\["email\.opened"\]\[0\]\.guard\.params\.percent: percent is a number from 0 to 100$/,
      /^on\["email\.opened"\]\[1\]\.guard\.params: unknown field "seed"; split params may have: percent, salt$/,
    ],
    [
      'split-sends-twice.yaml',
      'again',
      /^template "st-welcome" could be sent twice to one person, by "welcome" and then "again": welcome --after P1D \(in the split 0%\)--> again$/,
    ],
    [
      'unknown-delay.yaml',
      'welcome',
      /^after\.threeDays: unknown delay "threeDays": use an ISO 8601 duration/,
    ],
    [
      'unknown-event-in-on.yaml',
      'welcome',
      /^on\["email\.openned"\]: unknown event type "email\.openned"; known: form\.submitted, /,
    ],
    [
      'timer-fired-in-on.yaml',
      'welcome',
      /^on\["timer\.fired"\]: "timer\.fired" is internal to Tactful .* wait with "after" instead$/,
    ],
    ['unknown-trigger-event.yaml', undefined, /^trigger\.event: unknown event type "form\.sent"/],
    ['unknown-halt-event.yaml', undefined, /^haltOn\[1\]: unknown event type "order\.placed"/],
    ['unknown-target.yaml', 'welcome', /^after\.P1D: no state "chekIn" to go to from here/],
    ['unreachable-state.yaml', 'reminder', /^unreachable: no event or wait leads here from "welcome"$/],
    [
      'no-way-out.yaml',
      'waiting',
      /^no way out: this state is not final and no event or wait leads anywhere else/,
    ],
    [
      'template-sent-twice.yaml',
      'engagedLate',
      /^template "ts-welcome" could be sent twice to one person, by "welcome" and then "engagedLate": welcome --after P3D--> reminder --email\.opened--> engagedLate$/,
    ],
    [
      'send-in-cycle.yaml',
      'nudge',
      /^template "sc-nudge" is sent on a loop, .*: browsing --after PT1H--> nudge --page\.viewed--> browsing; a loop may only pass through states that send nothing$/,
    ],
  ] as [string, string | undefined, ...RegExp[]][])('bad/%s', async (name, statePath, ...reasons) => {
    const file = fixture(`bad/${name}`);
    const loaded = await loadJourneyFile(file);
    expect(loaded.machine).toBeUndefined();
    expect(loaded.problems).toEqual(
      reasons.map((reason) =>
        statePath === undefined
          ? { file, reason: expect.stringMatching(reason) }
          : { file, statePath, reason: expect.stringMatching(reason) },
      ),
    );
  });
});

/** A journey around a machine written inline, so each case shows only what it is about. */
function withMachine(machine: string): string {
  const indented = machine
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `id: inline\nversion: 1\nname: Inline\ntrigger: { event: form.submitted }\nreentry: never\nhaltOn: []\nmachine:\n${indented}\n`;
}

const reasons = (machine: string) =>
  parseJourney(withMachine(machine), 'inline.yaml').problems.map(({ statePath, reason }) => ({
    statePath,
    reason,
  }));

describe('structure', () => {
  it('needs initial states that exist', () => {
    expect(reasons('initial: nowhere\nstates: { a: { type: final } }')).toEqual([
      { statePath: undefined, reason: 'machine.initial: no state "nowhere"; states: a' },
    ]);
    expect(reasons('initial: a\nstates:\n  a: { states: { b: { type: final } } }')).toEqual([
      { statePath: 'a', reason: 'a state with "states" needs "initial" (one of: b)' },
    ]);
  });

  it('keeps final states final', () => {
    expect(reasons('initial: a\nstates:\n  a: { type: final, after: { P1D: a } }')).toEqual([
      { statePath: 'a', reason: 'a final state ends the journey there, so it cannot have "after"' },
    ]);
  });

  it('refuses a guard on a wait, which could never hold', () => {
    const guard = '{ type: dataEquals, params: { path: a, value: 1 } }';
    expect(
      reasons(
        `initial: a\nstates:\n  a: { after: { P1D: { target: b, guard: ${guard} } } }\n  b: { type: final }`,
      ),
    ).toEqual([
      {
        statePath: 'a',
        reason:
          'after.P1D: a dataEquals guard on "after" is never true, because a wait ending carries no data (a split may stand here)',
      },
    ]);
  });

  it('refuses what the engine cannot step purely, naming the fields a state may have', () => {
    expect(reasons('initial: a\nstates:\n  a: { always: b, type: final }\n  b: { type: final }')).toEqual([
      {
        statePath: 'a',
        reason:
          'unknown field "always"; a state may have: type, description, entry, exit, on, after, initial, states',
      },
    ]);
  });

  it('resolves targets as XState does: sibling, .child and #path from the top', () => {
    const machine = `
initial: outer
states:
  outer:
    initial: first
    on: { email.clicked: .second }
    states:
      first: { on: { page.viewed: second, email.opened: '#done' } }
      second: { on: { email.opened: '#outer.first' }, after: { P1D: '#done' } }
  done: { type: final }`;
    expect(reasons(machine)).toEqual([]);
  });
});

describe('templates sent twice', () => {
  const send = (template: string) => `{ type: send, params: { template: ${template} } }`;

  it('accepts one template on two branches that exclude each other', () => {
    const machine = `
initial: a
states:
  a: { on: { email.opened: b, email.clicked: c } }
  b: { entry: ${send('t')}, after: { P1D: done } }
  c: { entry: ${send('t')}, after: { P1D: done } }
  done: { type: final }`;
    expect(reasons(machine)).toEqual([]);
  });

  it('refuses one step that sends a template twice (leaving one state, entering another)', () => {
    const machine = `
initial: a
states:
  a: { exit: ${send('t')}, on: { email.opened: b } }
  b: { entry: ${send('t')}, after: { P1D: done } }
  done: { type: final }`;
    expect(reasons(machine)).toEqual([
      {
        statePath: 'b',
        reason: 'template "t" is sent twice in one step, by "a" and then "b": a --email.opened--> b',
      },
    ]);
  });

  it('accepts a loop inside a state whose own send is not repeated', () => {
    const machine = `
initial: outer
states:
  outer:
    entry: ${send('t')}
    initial: x
    after: { P7D: done }
    states:
      x: { on: { page.viewed: y } }
      y: { on: { page.viewed: x } }
  done: { type: final }`;
    expect(reasons(machine)).toEqual([]);
  });

  it('follows guards: a send reached only when a guard holds is found', () => {
    const machine = `
initial: a
states:
  a:
    entry: ${send('t')}
    on:
      email.clicked:
        - { target: again, guard: { type: dataEquals, params: { path: link.id, value: 7 } } }
        - target: done
  again: { entry: ${send('t')}, after: { P1D: done } }
  done: { type: final }`;
    expect(reasons(machine)).toEqual([
      {
        statePath: 'again',
        reason:
          'template "t" could be sent twice to one person, by "a" and then "again": a --email.clicked {"link":{"id":7}}--> again',
      },
    ]);
  });
});
