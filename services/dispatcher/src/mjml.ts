import mjml2html from 'mjml';

// MJML (https://mjml.io) is compiled once, at start, to HTML that still holds its Liquid: Liquid in text
// and attribute values passes through MJML untouched, and the result is then rendered per email like an
// `.html` body. Compiling per email would cost tens of milliseconds each; this costs nothing per send.

const LIQUID = /\{\{|\{%/g;
const INCLUDE = /<mj-include\b/i;

/** Pure but for MJML's own work. The HTML of an MJML body, or every problem with it. */
export async function compileMjml(
  file: string,
  text: string,
): Promise<{ html: string; problems: [] } | { html?: undefined; problems: string[] }> {
  // mj-include reads files at compile time by path: partials go through Liquid, which reads only the folder
  if (INCLUDE.test(text))
    return {
      problems: [`${file}: mj-include is not supported; use a Liquid partial ({% render 'partials/…' %})`],
    };
  let html: string;
  try {
    const result = await mjml2html(text, {
      validationLevel: 'strict',
      ignoreIncludes: true,
      keepComments: false,
      filePath: file,
    });
    html = result.html;
  } catch (err) {
    const errors = (err as { errors?: { line: number; message: string }[] }).errors;
    if (errors !== undefined && errors.length > 0)
      return { problems: errors.map((e) => `${file}: line ${e.line}: ${e.message}`) };
    return { problems: [`${file}: not MJML (${(err as Error).message.split('\n')[0]})`] };
  }
  // Liquid between MJML tags (a `{% for %}` around sections) is dropped by MJML's parser, silently:
  // refuse the template rather than send an email with its logic gone
  const before = text.match(LIQUID)?.length ?? 0;
  const after = html.match(LIQUID)?.length ?? 0;
  if (after < before)
    return {
      problems: [
        `${file}: MJML dropped ${before - after} Liquid tag(s) written between its elements; put Liquid inside text or attribute values, or wrap it in <mj-raw>`,
      ],
    };
  return { html, problems: [] };
}
