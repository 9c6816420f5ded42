import type { z } from 'zod';

/** Why a journey file is refused: the file, the state (dotted path) when one is to blame, and the reason. */
export interface Problem {
  file: string;
  statePath?: string;
  reason: string;
}

/** Pure. One line for a person: `file: state welcome.reminder: reason`. */
export function formatProblem(problem: Problem): string {
  const where = problem.statePath === undefined ? '' : `state ${problem.statePath}: `;
  return `${problem.file}: ${where}${problem.reason}`;
}

/** Pure. Zod's issues as problems: the path through `machine.states` becomes the state path. */
export function problemsFromIssues(file: string, issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => {
    const { statePath, rest } = splitPath(issue.path);
    const field = renderPath(rest);
    const message = issueMessage(issue);
    const reason = field === '' ? message : `${field}: ${message}`;
    return statePath === undefined ? { file, reason } : { file, statePath, reason };
  });
}

function issueMessage(issue: z.core.$ZodIssue): string {
  // A refused record key carries the key schema's own message one level down.
  if (issue.code === 'invalid_key') return issue.issues.map((inner) => inner.message).join('; ');
  return issue.message;
}

function splitPath(path: readonly PropertyKey[]): { statePath?: string; rest: readonly PropertyKey[] } {
  if (path[0] !== 'machine' || path[1] !== 'states' || path.length < 3) return { rest: path };
  const names: string[] = [];
  let index = 1;
  while (path[index] === 'states' && index + 1 < path.length) {
    names.push(String(path[index + 1]));
    index += 2;
  }
  return { statePath: names.join('.'), rest: path.slice(index) };
}

function renderPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) =>
      typeof segment === 'number'
        ? `[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(segment))
          ? `.${String(segment)}`
          : `[${JSON.stringify(String(segment))}]`,
    )
    .join('')
    .replace(/^\./, '');
}
