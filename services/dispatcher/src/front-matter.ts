import { err, ok, type Result } from '@tactful/events';
import { parse as parseYaml } from 'yaml';

/** The parts of a template file: its front matter (any YAML value) and the body below it. */
export type FrontMatterParts = { readonly data: unknown; readonly body: string; readonly bodyLine: number };

/** The parts, or why the file is not a template (one sentence). */
export type FrontMatterSplit = Result<FrontMatterParts, string>;

const FENCE = /^---[ \t]*$/;
const SIMPLE_LINE = /^([A-Za-z][\w-]*):[ \t]*(.*)$/;

/**
 * Pure. Splits `---\n<front matter>\n---\n<body>`; the first line must be the fence. `bodyLine` is the
 * line of the file (from 1) where the body starts, so errors in the body can name the file's own line.
 *
 * The front matter is YAML. Subjects are written by people and naturally hold `: ` ("Before you go: local
 * tips") or a Liquid filter with an argument (`default: "there"`), which YAML refuses unquoted; so when
 * the YAML does not parse and every line is a plain `key: text`, each text is taken literally instead.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] === undefined || !FENCE.test(lines[0]))
    return err('must start with front matter: a line "---", the subject, and "---"');
  const end = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (end < 0) return err('the front matter is not closed by a line "---"');
  const front = lines.slice(1, end);
  const body = lines.slice(end + 1).join('\n');
  const bodyLine = end + 2;
  try {
    return ok({ data: parseYaml(front.join('\n')), body, bodyLine });
  } catch (error) {
    const literal = literalFrontMatter(front);
    if (literal !== null) return ok({ data: literal, body, bodyLine });
    return err(`the front matter is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Pure. `key: text` lines as literal strings, or null when a line is anything else. */
function literalFrontMatter(lines: readonly string[]): Record<string, string> | null {
  const data: Record<string, string> = {};
  for (const line of lines) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = SIMPLE_LINE.exec(line);
    if (match === null || match[1] === undefined || match[2] === undefined) return null;
    data[match[1]] = match[2].trim();
  }
  return data;
}
