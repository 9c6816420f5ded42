import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import { z } from 'zod';
import { splitFrontMatter } from './front-matter';

/** A template file, parsed once at start. */
export interface MessageTemplate {
  readonly name: string;
  readonly file: string;
  readonly subject: Template[];
  readonly body: Template[];
}

export const TEMPLATE_EXTENSION = '.liquid';

/** What the front matter may hold; unknown fields are refused, so a misspelt one is never ignored. */
const FrontMatter = z.strictObject({
  subject: z.string().trim().min(1, 'must not be empty'),
});

/**
 * The one Liquid engine of the dispatcher. Strict filters: a misspelt filter refuses the template at
 * start instead of printing nothing. Lax variables: a variable the data does not have renders empty (an
 * optional form field, a name nobody gave), so templates guard with `default:`. Own properties only: a
 * template cannot reach into prototypes.
 */
export function createLiquid(): Liquid {
  return new Liquid({ strictFilters: true, strictVariables: false, ownPropertyOnly: true });
}

// Partials would read other files at render time, outside the checks made at start.
const PARTIAL_TAG = /\{%-?\s*(include|render|layout)\b/;

/** Pure but for parsing. One template file's text as a template, or every problem with it. */
export function parseTemplate(
  liquid: Liquid,
  name: string,
  file: string,
  text: string,
): { template: MessageTemplate; problems: [] } | { template?: undefined; problems: string[] } {
  const split = splitFrontMatter(text);
  if (!split.ok) return { problems: [`${file}: ${split.reason}`] };
  const problems: string[] = [];
  const front = FrontMatter.safeParse(split.data ?? {});
  if (!front.success)
    for (const issue of front.error.issues) {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'front matter';
      const why =
        issue.code === 'invalid_type' && issue.path[0] === 'subject'
          ? 'is required (a string)'
          : issue.message;
      problems.push(`${file}: ${where}: ${why}`);
    }
  if (PARTIAL_TAG.test(split.body))
    problems.push(`${file}: partials (include, render, layout) are not supported`);
  const subject = front.success
    ? parseLiquid(liquid, front.data.subject, `${file}: subject`, 0, problems)
    : [];
  const body = parseLiquid(liquid, split.body, `${file}: body`, split.bodyLine - 1, problems);
  if (problems.length > 0 || subject === undefined || body === undefined) return { problems };
  return { template: { name, file, subject, body }, problems: [] };
}

function parseLiquid(
  liquid: Liquid,
  text: string,
  where: string,
  lineOffset: number,
  problems: string[],
): Template[] | undefined {
  try {
    return liquid.parse(text);
  } catch (err) {
    // liquidjs counts lines from the start of the text it was given: name the file's own line instead
    const message = (err as Error).message.replace(
      /line:(\d+)/,
      (_m, n: string) => `line:${Number(n) + lineOffset}`,
    );
    problems.push(`${where}: ${message}`);
    return undefined;
  }
}

/** The templates a start needs, and who needs them: template → the journey files that send it. */
export type TemplateUses = ReadonlyMap<string, readonly string[]>;

export interface LoadedTemplates {
  readonly templates: ReadonlyMap<string, MessageTemplate>;
  readonly problems: readonly string[];
}

/**
 * Reads and parses every `*.liquid` file of `dir` (not sub-folders), and lists every problem at once: a
 * file that does not parse, and a template some journey sends that has no file.
 */
export async function loadTemplates(
  liquid: Liquid,
  dir: string,
  uses: TemplateUses,
): Promise<LoadedTemplates> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    return {
      templates: new Map(),
      problems: [`${dir}: cannot read the templates folder (${(err as Error).message})`],
    };
  }
  const templates = new Map<string, MessageTemplate>();
  const problems: string[] = [];
  for (const fileName of names.filter((n) => extname(n) === TEMPLATE_EXTENSION).sort()) {
    const file = join(dir, fileName);
    const name = basename(fileName, TEMPLATE_EXTENSION);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      problems.push(`${file}: cannot read the file (${(err as Error).message})`);
      continue;
    }
    const parsed = parseTemplate(liquid, name, file, text);
    if (parsed.template) templates.set(name, parsed.template);
    problems.push(...parsed.problems);
  }
  for (const [name, journeys] of [...uses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const file = join(dir, `${name}${TEMPLATE_EXTENSION}`);
    if (!names.includes(`${name}${TEMPLATE_EXTENSION}`))
      problems.push(`${file}: missing; template "${name}" is sent by ${journeys.join(', ')}`);
  }
  return { templates, problems };
}
