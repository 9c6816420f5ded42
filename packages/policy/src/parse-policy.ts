/** Reading the contact policy file: YAML (or JSON) text in, a whole policy or every problem out. */
import { TactfulError } from '@tactful/events';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { BlastGuard, Frequency, Policy, QuietHours } from './policy';

/** One thing wrong with a policy file; `path` is the field (`frequency.minGap`), empty for the file. */
export type PolicyProblem = { file: string; path: string; reason: string };

export type PolicyParse = { ok: true; policy: Policy } | { ok: false; problems: PolicyProblem[] };

const FIELDS: Record<string, readonly string[]> = {
  frequency: Object.keys(Frequency.shape),
  quietHours: Object.keys(QuietHours.shape),
  blastGuard: Object.keys(BlastGuard.shape),
};
const SECTIONS = Object.keys(FIELDS);

/** Pure. Parses a policy file's text, filling defaults; reports every problem at once. */
export function parsePolicy(text: string, fileName: string): PolicyParse {
  const problem = (path: string, reason: string): PolicyProblem => ({ file: fileName, path, reason });
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      // The first line says what and where ("… at line 2, column 5:"); the rest is a source excerpt.
      problems: doc.errors.map((e) => problem('', `invalid YAML: ${e.message.split('\n')[0] ?? e.code}`)),
    };
  }

  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [problem('', `must be a mapping of ${SECTIONS.join(', ')}`)] };
  }
  // A section with every line commented out reads as null; it means "all defaults", like a missing one.
  const input = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => !(value === null && isSection(key))),
  );

  const parsed = Policy.safeParse(input);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap((issue) => problemsOf(issue, problem)) };
}

/** Pure. Like `parsePolicy`, but throws `policy.invalid` listing every problem (also kept as `cause`). */
export function parsePolicyOrThrow(text: string, fileName: string): Policy {
  const parsed = parsePolicy(text, fileName);
  if (parsed.ok) return parsed.policy;
  throw new TactfulError(
    'policy.invalid',
    `${fileName} is not a valid contact policy:\n${parsed.problems.map(formatProblem).join('\n')}`,
    { cause: parsed.problems },
  );
}

/** Pure. `file: path: reason`, one line per problem. */
export function formatProblem(p: PolicyProblem): string {
  return p.path === '' ? `${p.file}: ${p.reason}` : `${p.file}: ${p.path}: ${p.reason}`;
}

function isSection(key: string): boolean {
  return SECTIONS.includes(key);
}

function problemsOf(
  issue: z.core.$ZodIssue,
  problem: (path: string, reason: string) => PolicyProblem,
): PolicyProblem[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(path);
    return issue.keys.map((key) => {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      const hint = near
        ? ` (did you mean ${near}?)`
        : known.length > 0
          ? ` (known: ${known.join(', ')})`
          : '';
      return problem([...path, key].join('.'), `unknown field${hint}`);
    });
  }
  return [problem(path.join('.'), issue.message)];
}

function knownKeys(path: readonly string[]): readonly string[] {
  if (path.length === 0) return SECTIONS;
  return (path.length === 1 && FIELDS[path[0] ?? '']) || [];
}
