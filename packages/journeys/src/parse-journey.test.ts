import { describe, expect, it } from 'vitest';
import { parseJourney } from './parse-journey';

const minimal = {
  id: 'minimal',
  version: 1,
  name: 'Minimal',
  trigger: { event: 'form.submitted' },
  reentry: 'never',
  haltOn: [],
  machine: {
    initial: 'hello',
    states: {
      hello: { entry: { type: 'send', params: { template: 'hello' } }, after: { P1D: 'done' } },
      done: { type: 'final' },
    },
  },
};

const reasons = (value: unknown, file = 'j.json') =>
  parseJourney(JSON.stringify(value), file).problems.map(({ statePath, reason }) =>
    statePath === undefined ? reason : `${statePath}: ${reason}`,
  );

describe('parseJourney', () => {
  it('reads JSON by extension and YAML otherwise, and normalizes shorthands', () => {
    const fromJson = parseJourney(JSON.stringify(minimal), 'minimal.json');
    const fromYaml = parseJourney(JSON.stringify(minimal), 'minimal.yaml');
    expect(fromJson.problems).toEqual([]);
    expect(fromYaml.journey).toEqual(fromJson.journey);
    expect(fromJson.journey?.machine.states.hello).toEqual({
      entry: [{ type: 'send', params: { template: 'hello', channel: 'email' } }],
      after: { P1D: [{ target: 'done' }] },
    });
  });

  it('lists every schema problem at once, with the field', () => {
    expect(
      reasons({
        ...minimal,
        id: 'has spaces',
        version: 0,
        name: undefined,
        reentry: 'sometimes',
        audience: { exclude: ['prospects'] },
        extra: true,
      }),
    ).toEqual([
      'id: a journey id is up to 100 letters, digits, "_" and "-"',
      'version: Too small: expected number to be >0',
      'name: required',
      'reentry: not never, always or a duration: "sometimes" is not an ISO 8601 duration like PT30S, PT2H, P3D or P2W',
      'audience.exclude[0]: Invalid input: expected "customers"',
      'unknown field "extra"; a journey may have: id, version, name, description, trigger, reentry, audience, haltOn, products, holdout, goal, machine, migrate',
    ]);
  });

  it('accepts reentry never, always or a duration', () => {
    for (const reentry of ['never', 'always', 'P90D']) expect(reasons({ ...minimal, reentry })).toEqual([]);
  });

  it('checks send params and guard params', () => {
    const hello = {
      entry: [{ type: 'send', params: { template: '../secrets', channel: 'sms' } }],
      on: {
        'email.opened': {
          target: 'done',
          guard: { type: 'dataEquals', params: { path: 'a..b', value: {} } },
        },
      },
    };
    expect(
      reasons({ ...minimal, machine: { ...minimal.machine, states: { ...minimal.machine.states, hello } } }),
    ).toEqual([
      'hello: entry[0].params.template: a template name is letters, digits, ".", "_" and "-", without the file extension',
      'hello: entry[0].params.channel: Invalid input: expected "email"',
      'hello: on["email.opened"][0].guard.params.path: a data path is field names joined by dots, like fields.topic',
      'hello: on["email.opened"][0].guard.params.value: a value to compare is a string, a number, true, false or null',
    ]);
  });

  it('names nested states by their dotted path', () => {
    const machine = {
      initial: 'outer',
      states: {
        outer: { initial: 'inner', states: { inner: { entry: { type: 'mail' } } } },
      },
    };
    expect(reasons({ ...minimal, machine })).toEqual([
      'outer.inner: entry[0].type: unknown action "mail"; known: send',
    ]);
  });

  it('refuses text that is not JSON or YAML, and YAML with several documents', () => {
    expect(parseJourney('{', 'x.json').problems[0]?.reason).toMatch(/^not valid JSON: /);
    expect(parseJourney('a: 1\n---\nb: 2\n', 'x.yaml').problems[0]?.reason).toMatch(/^not valid YAML: /);
    expect(parseJourney('', 'empty.yaml').problems).toEqual([
      { file: 'empty.yaml', reason: 'Invalid input: expected object, received null' },
    ]);
  });
});
