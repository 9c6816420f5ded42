import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';

// What the templates folder holds (docs/templates.md):
//   <name>.liquid            a template: front matter (the subject), then the plain-text body
//   <name>.html              its HTML body, when it has one (Liquid in HTML, usually a layout's blocks)
//   <sub-folder>/…           layouts and partials, named by their path from the folder (`layouts/base.html`)
// Everything is read once, at start; at render time Liquid looks partials up in memory only, so no
// template can reach a file outside the folder, whatever name it asks for.

export const TEMPLATE_EXTENSION = '.liquid';
export const HTML_EXTENSIONS = ['.html'] as const;
export type HtmlExtension = (typeof HTML_EXTENSIONS)[number];

/** Files a layout or partial may be (`{% layout 'layouts/base.html' %}`, `{% render 'partials/f.liquid' %}`). */
const PARTIAL_EXTENSIONS = ['.html', '.liquid', '.txt'];

/** One file read from the folder. */
export interface TemplateFile {
  readonly file: string;
  readonly text: string;
}

/** The folder, read. */
export interface TemplateFolder {
  /** `<name>.liquid` at the top, by template name. */
  readonly main: ReadonlyMap<string, TemplateFile>;
  /** The HTML body of a template, by template name. */
  readonly html: ReadonlyMap<string, TemplateFile & { readonly kind: HtmlExtension }>;
  /** Layouts and partials by their path from the folder, `/`-separated: what Liquid looks up. */
  readonly partials: Readonly<Record<string, string>>;
  readonly problems: readonly string[];
}

/**
 * Reads the templates folder: the templates and their HTML bodies at the top, layouts and partials in
 * sub-folders (dot-files and dot-folders are skipped). A file whose real path leaves the folder (a
 * symbolic link pointing outside) is refused; links inside it, as Kubernetes mounts a ConfigMap, are fine.
 */
export async function readTemplateFolder(dir: string): Promise<TemplateFolder> {
  const main = new Map<string, TemplateFile>();
  const html = new Map<string, TemplateFile & { kind: HtmlExtension }>();
  const partials: Record<string, string> = {};
  const problems: string[] = [];
  let root: string;
  let entries: string[];
  try {
    root = await realpath(dir);
    entries = (await readdir(dir, { recursive: true })).map(String).sort();
  } catch (err) {
    return {
      main,
      html,
      partials,
      problems: [`${dir}: cannot read the templates folder (${(err as Error).message})`],
    };
  }
  for (const entry of entries) {
    if (entry.split(sep).some((part) => part.startsWith('.'))) continue;
    const file = join(dir, entry);
    const nested = entry.includes(sep);
    const ext = extname(entry);
    const wanted = nested ? PARTIAL_EXTENSIONS.includes(ext) : ext === TEMPLATE_EXTENSION || isHtml(ext);
    if (!wanted) continue;
    const read = await readInside(root, file);
    if (typeof read !== 'string') {
      if (read.problem !== undefined) problems.push(read.problem);
      continue;
    }
    if (nested) partials[entry.split(sep).join('/')] = read;
    else if (isHtml(ext)) html.set(basename(entry, ext), { file, text: read, kind: ext });
    else main.set(basename(entry, ext), { file, text: read });
  }
  for (const [name, { file }] of html)
    if (!main.has(name))
      problems.push(
        `${file}: no ${name}${TEMPLATE_EXTENSION} beside it; the subject of template "${name}" goes in its front matter`,
      );
  return { main, html, partials, problems };
}

function isHtml(ext: string): ext is HtmlExtension {
  return (HTML_EXTENSIONS as readonly string[]).includes(ext);
}

/** The text of a file inside `root`, or why not (no problem for a folder, which is simply not a file). */
async function readInside(root: string, file: string): Promise<string | { problem?: string }> {
  try {
    const real = await realpath(file);
    const rel = relative(root, real);
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep))
      return {
        problem: `${file}: leads outside the templates folder (to ${real}); templates must be inside it`,
      };
    return await readFile(real, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') return {};
    return { problem: `${file}: cannot read the file (${(err as Error).message})` };
  }
}
