import { readFileSync } from 'node:fs';
import { TactfulError } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { formatProblem, parsePolicy, parsePolicyOrThrow } from './parse-policy';
import { DEFAULT_POLICY, POLICY_DEFAULTS } from './policy';

const CONTRACT_EXAMPLE = `
frequency:
  maxPerDay: 1        # messages per customer per rolling 24 h, across all journeys
  maxPerWeek: 3
  minGap: PT12H       # at least this long between two messages to one customer
quietHours:
  start: "21:00"      # in the customer's timezone (from preferences; else \`defaultTimezone\`)
  end: "08:00"
  defaultTimezone: UTC
blastGuard:
  maxPerHour: 3       # hard ceiling per recipient; reaching it halts that customer's journeys and raises an alert
`;

function problemsOf(text: string) {
  const parsed = parsePolicy(text, 'policy.yaml');
  if (parsed.ok) throw new Error('expected problems');
  return parsed.problems.map((p) => [p.path, p.reason] as const);
}

describe('parsePolicy', () => {
  it('reads the example of CONTRACT.md', () => {
    expect(parsePolicy(CONTRACT_EXAMPLE, 'policy.yaml')).toEqual({
      ok: true,
      policy: {
        frequency: { maxPerDay: 1, maxPerWeek: 3, minGap: 'PT12H' },
        quietHours: { start: '21:00', end: '08:00', defaultTimezone: 'UTC' },
        blastGuard: { maxPerHour: 3 },
      },
    });
  });

  it('reads the policy.yaml of the repository', () => {
    const text = readFileSync(new URL('../../../policy.yaml', import.meta.url), 'utf8');
    expect(parsePolicy(text, 'policy.yaml').ok).toBe(true);
  });

  it.each([
    ['an empty file', ''],
    ['a comment only', '# nothing yet\n'],
    ['empty sections', 'frequency:\nquietHours:\nblastGuard:\n'],
    ['empty JSON', '{}'],
  ])('fills every default for %s', (_, text) => {
    expect(parsePolicy(text, 'policy.yaml')).toEqual({ ok: true, policy: DEFAULT_POLICY });
    expect(DEFAULT_POLICY).toEqual(POLICY_DEFAULTS);
  });

  it('keeps what a partial file says and defaults the rest', () => {
    const parsed = parsePolicy(
      'frequency: { maxPerWeek: 5 }\nquietHours: { defaultTimezone: Europe/Berlin }',
      'p.yaml',
    );
    expect(parsed).toEqual({
      ok: true,
      policy: {
        ...DEFAULT_POLICY,
        frequency: { ...DEFAULT_POLICY.frequency, maxPerWeek: 5 },
        quietHours: { ...DEFAULT_POLICY.quietHours, defaultTimezone: 'Europe/Berlin' },
      },
    });
  });

  it('reads JSON too', () => {
    const parsed = parsePolicy('{"blastGuard": {"maxPerHour": 10}}', 'policy.json');
    expect(parsed.ok && parsed.policy.blastGuard.maxPerHour).toBe(10);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf(`
frequency:
  maxPerDay: 0
  maxPerWeek: 2.5
  minGap: P1M
  maxperhour: 2
quietHours:
  start: "25:00"
  end: 8
  defaultTimezone: Mars/Olympus_Mons
blastGuard:
  maxPerHour: "3"
audience: all
`);
    expect(problems).toEqual([
      ['frequency.maxPerDay', 'must be at least 1'],
      ['frequency.maxPerWeek', 'must be a whole number'],
      ['frequency.minGap', expect.stringMatching(/months and years have no fixed length/)],
      ['frequency.maxperhour', 'unknown field (known: maxPerDay, maxPerWeek, minGap)'],
      ['quietHours.start', expect.stringMatching(/"25:00" must be a time "HH:MM"/)],
      ['quietHours.end', expect.stringMatching(/expected string/)],
      ['quietHours.defaultTimezone', expect.stringMatching(/not an IANA time zone/)],
      ['blastGuard.maxPerHour', 'must be a whole number'],
      ['audience', 'unknown field (known: frequency, quietHours, blastGuard)'],
    ]);
  });

  it('suggests the field a misspelt one was meant to be', () => {
    expect(problemsOf('frequency: { maxperday: 2 }')).toEqual([
      ['frequency.maxperday', 'unknown field (did you mean maxPerDay?)'],
    ]);
  });

  it.each([
    ['a limit above what a contact view keeps', 'frequency: { maxPerWeek: 101 }', 'frequency.maxPerWeek'],
    [
      'a fixed offset instead of a zone',
      'quietHours: { defaultTimezone: "+01:00" }',
      'quietHours.defaultTimezone',
    ],
    ['a duration without unit', 'frequency: { minGap: "12" }', 'frequency.minGap'],
    ['a time without leading zero', 'quietHours: { start: "9:00" }', 'quietHours.start'],
    ['a section that is not a mapping', 'frequency: 3', 'frequency'],
  ])('refuses %s', (_, text, path) => {
    expect(problemsOf(text).map(([p]) => p)).toEqual([path]);
  });

  it.each([
    ['a list', '- 1\n- 2'],
    ['a scalar', 'strict'],
  ])('refuses a file that is %s', (_, text) => {
    expect(problemsOf(text)).toEqual([['', 'must be a mapping of frequency, quietHours, blastGuard']]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('frequency:\n  maxPerDay: [1\nblastGuard: {');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.[1]).toMatch(/^invalid YAML: .*line \d+, column \d+/);
  });

  it('refuses duplicate keys', () => {
    expect(problemsOf('frequency: { maxPerDay: 1 }\nfrequency: { maxPerDay: 9 }')[0]?.[1]).toMatch(/unique/i);
  });
});

describe('parsePolicyOrThrow', () => {
  it('throws policy.invalid naming the file, each path and reason', () => {
    let thrown: unknown;
    try {
      parsePolicyOrThrow('frequency: { maxPerDay: 0 }\nquietHours: { end: "8" }', 'policy.yaml');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TactfulError);
    const err = thrown as TactfulError;
    expect(err.code).toBe('policy.invalid');
    expect(err.retriable).toBe(false);
    expect(err.message).toContain('policy.yaml: frequency.maxPerDay: must be at least 1');
    expect(err.message).toContain('policy.yaml: quietHours.end: "8" must be a time');
    expect(err.cause).toHaveLength(2);
  });

  it('returns the policy when the file is valid', () => {
    expect(parsePolicyOrThrow(CONTRACT_EXAMPLE, 'policy.yaml')).toEqual(DEFAULT_POLICY);
  });
});

describe('formatProblem', () => {
  it('leaves the path out for file-level problems', () => {
    expect(formatProblem({ file: 'p.yaml', path: '', reason: 'bad' })).toBe('p.yaml: bad');
    expect(formatProblem({ file: 'p.yaml', path: 'a.b', reason: 'bad' })).toBe('p.yaml: a.b: bad');
  });
});
