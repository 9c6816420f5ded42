import { join } from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import { z } from 'zod';
import { err, ok, type MessageClass, type Result } from '@tactful/events';
import { splitFrontMatter } from './front-matter';
import { readTemplateFolder, TEMPLATE_EXTENSION } from './template-files';

export { TEMPLATE_EXTENSION } from './template-files';

/** A template, parsed once at start. */
export interface MessageTemplate {
  readonly name: string;
  readonly file: string;
  readonly subject: Template[];
  /** The plain-text body; undefined when it is left to be generated from the HTML. */
  readonly text?: Template[];
  /** The HTML body (`<name>.html`), when the template has one. */
  readonly html?: Template[];
  readonly htmlFile?: string;
  /** Every body a person reads uses `{{ unsubscribe_url }}` (what a marketing template must do). */
  readonly linksUnsubscribe: boolean;
}

/** The variable every marketing body must use, so each email lets the person leave. */
export const UNSUBSCRIBE_VARIABLE = 'unsubscribe_url';

/** What the front matter may hold; unknown fields are refused, so a misspelt one is never ignored. */
const FrontMatter = z.strictObject({
  subject: z.string().trim().min(1, 'must not be empty'),
});

/** The two Liquid engines: plain text (nothing escaped) and HTML (every output escaped). */
export interface TemplateEngines {
  readonly text: Liquid;
  readonly html: Liquid;
}

/**
 * The Liquid engines of the dispatcher, over the folder's layouts and partials held in memory (`{%
 * layout 'layouts/base.html' %}`, `{% render 'partials/footer.html' %}`): a lookup never touches the
 * file system, so no name can reach outside the folder. Strict filters: a misspelt filter refuses the
 * template at start instead of printing nothing. Lax variables: a variable the data does not have
 * renders empty (an optional form field), so templates guard with `default:`. Own properties only: a
 * template cannot reach into prototypes. The HTML engine escapes every output (`outputEscape`), so what
 * an event carries can never become markup; `| raw` is for values a template author trusts.
 */
export function createEngines(partials: Readonly<Record<string, string>> = {}): TemplateEngines {
  const options = {
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    templates: { ...partials },
  };
  return { text: new Liquid(options), html: new Liquid({ ...options, outputEscape: 'escape' }) };
}

/** The HTML body of a template, ready for Liquid. */
export interface HtmlBody {
  readonly file: string;
  readonly html: string;
}

type Parsed = Result<MessageTemplate, string[]>;

/**
 * Pure but for parsing. A template from its `.liquid` file's text (and its HTML body, if any), or every
 * problem with it. The text body may be left empty when there is an HTML body: it is then generated
 * from the HTML at send time. Layouts and partials must exist in the engines' folder.
 */
export function parseTemplate(
  engines: TemplateEngines,
  name: string,
  file: string,
  text: string,
  htmlBody?: HtmlBody,
): Parsed {
  const split = splitFrontMatter(text);
  if (!split.ok) return err([`${file}: ${split.error}`]);
  const { data, body: bodyText, bodyLine } = split.value;
  const problems: string[] = [];
  const front = FrontMatter.safeParse(data ?? {});
  if (!front.success)
    for (const issue of front.error.issues) {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'front matter';
      const why =
        issue.code === 'invalid_type' && issue.path[0] === 'subject'
          ? 'is required (a string)'
          : issue.message;
      problems.push(`${file}: ${where}: ${why}`);
    }
  const subject = front.success
    ? parseLiquid(engines.text, front.data.subject, `${file}: subject`, 0, problems)
    : [];
  const written = bodyText.trim() !== '';
  if (!written && htmlBody === undefined)
    problems.push(
      `${file}: the body is empty (write one, or give the template an HTML body to generate it from)`,
    );
  const body = written
    ? parseLiquid(engines.text, bodyText, `${file}: body`, bodyLine - 1, problems)
    : undefined;
  const html =
    htmlBody === undefined
      ? undefined
      : parseLiquid(engines.html, htmlBody.html, `${htmlBody.file}: body`, 0, problems);
  const links = [
    ...(body === undefined ? [] : [uses(engines.text, body, `${file}: body`, problems)]),
    ...(html === undefined || htmlBody === undefined
      ? []
      : [uses(engines.html, html, `${htmlBody.file}: body`, problems)]),
  ];
  if (problems.length > 0 || subject === undefined || (written && body === undefined)) return err(problems);
  return ok({
    name,
    file,
    subject,
    ...(body === undefined ? {} : { text: body }),
    ...(html === undefined || htmlBody === undefined ? {} : { html, htmlFile: htmlBody.file }),
    linksUnsubscribe: links.length > 0 && links.every(Boolean),
  });
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

/**
 * Whether a body uses the unsubscribe link, its layouts and partials included; a layout or partial it
 * names that the folder does not have is a problem (found now, not at send time).
 */
function uses(liquid: Liquid, body: Template[], where: string, problems: string[]): boolean {
  try {
    return liquid.globalVariablesSync(body, { partials: true }).includes(UNSUBSCRIBE_VARIABLE);
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? '';
    const missing = /Failed to lookup "([^"]*)"/.exec(message)?.[1];
    problems.push(
      missing === undefined
        ? `${where}: ${message}`
        : `${where}: no layout or partial "${missing}" in the templates folder (name it by its path there, e.g. "partials/footer.html")`,
    );
    return false;
  }
}

/** Who sends a template: the journey files, and whether any of them is a marketing journey. */
export interface TemplateUse {
  readonly files: readonly string[];
  readonly class: MessageClass;
}

/** The templates a start needs, and who needs them. */
export type TemplateUses = ReadonlyMap<string, TemplateUse>;

export interface LoadedTemplates {
  readonly templates: ReadonlyMap<string, MessageTemplate>;
  readonly engines: TemplateEngines;
  readonly problems: readonly string[];
}

/**
 * Reads and parses the templates folder (`template-files.ts`), and lists every problem at once: a file
 * that does not parse (front matter, Liquid, a layout or partial it names and the folder lacks), a
 * template some journey sends that has no file, and a template of a marketing journey whose body does
 * not use `{{ unsubscribe_url }}`.
 */
export async function loadTemplates(dir: string, uses: TemplateUses): Promise<LoadedTemplates> {
  const folder = await readTemplateFolder(dir);
  const engines = createEngines(folder.partials);
  const templates = new Map<string, MessageTemplate>();
  const problems = [...folder.problems];
  for (const [name, main] of folder.main) {
    const body = folder.html.get(name);
    const html = body === undefined ? undefined : { file: body.file, html: body.text };
    const parsed = parseTemplate(engines, name, main.file, main.text, html);
    if (parsed.ok) templates.set(name, parsed.value);
    else problems.push(...parsed.error);
  }
  for (const [name, use] of [...uses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const file = folder.main.get(name)?.file ?? join(dir, `${name}${TEMPLATE_EXTENSION}`);
    if (!folder.main.has(name)) {
      problems.push(`${file}: missing; template "${name}" is sent by ${use.files.join(', ')}`);
      continue;
    }
    const template = templates.get(name);
    if (use.class === 'marketing' && template !== undefined && !template.linksUnsubscribe)
      problems.push(
        `${file}: template "${name}" is sent by the marketing journey ${use.files.join(', ')} and its body does not use {{ ${UNSUBSCRIBE_VARIABLE} }}: every marketing email must let the person leave (each body written, text and HTML, needs the link)`,
      );
  }
  return { templates, engines, problems };
}
