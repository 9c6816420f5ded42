import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from './front-matter';
import { createEngines, loadTemplates, parseTemplate } from './templates';

const engines = createEngines();
const problemsOf = (text: string) => {
  const parsed = parseTemplate(engines, 't', 't.liquid', text);
  return parsed.ok ? [] : parsed.error;
};

describe('template files', () => {
  it('split into front matter and body', () => {
    expect(splitFrontMatter('---\nsubject: Hi\n---\nBody\n')).toEqual({
      ok: true,
      value: { data: { subject: 'Hi' }, body: 'Body\n', bodyLine: 4 },
    });
    expect(splitFrontMatter('subject: Hi\nBody')).toMatchObject({
      ok: false,
      error: /must start with front matter/,
    });
    expect(splitFrontMatter('---\nsubject: Hi\nBody')).toMatchObject({ ok: false, error: /not closed/ });
  });

  it.each([
    ['no subject', '---\ntitle: x\n---\nBody', /subject: is required.*\n?.*|Unrecognized key/],
    ['an empty subject', '---\nsubject: "  "\n---\nBody', /subject: must not be empty/],
    [
      'an unknown filter',
      '---\nsubject: Hi\n---\nHi {{ customer.name | shout }}',
      /t\.liquid: body: undefined filter: shout, line:4/,
    ],
    ['an unclosed tag', '---\nsubject: Hi\n---\n\n{% if x %}', /body: tag \{% if x %\} not closed, line:5/],
    ['a bad subject', '---\nsubject: "{{ x | nope }}"\n---\nBody', /subject: undefined filter: nope/],
    [
      'a partial the folder does not have',
      '---\nsubject: Hi\n---\n{% include "footer" %}',
      /no layout or partial "footer" in the templates folder/,
    ],
    ['an empty body and no HTML', '---\nsubject: Hi\n---\n\n  \n', /the body is empty/],
    ['bad YAML', '---\nsubject: [a\n  b\n---\nBody', /not YAML/],
  ])('are refused for %s', (_what, text, problem) => {
    const problems = problemsOf(text);
    expect(problems.join('\n')).toMatch(problem);
  });

  it('list every problem of a folder at once, missing templates included', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tactful-templates-'));
    await writeFile(path.join(dir, 'good.liquid'), '---\nsubject: Hi\n---\nHello');
    await writeFile(path.join(dir, 'bad.liquid'), '---\nsubject: Hi\n---\n{{ x | nope }}');
    await writeFile(path.join(dir, 'notes.txt'), 'not a template');
    const uses = new Map([
      ['good', { files: ['a.yaml'], class: 'transactional' as const }],
      ['gone', { files: ['a.yaml', 'b.yaml'], class: 'transactional' as const }],
    ]);
    const loaded = await loadTemplates(dir, uses);
    expect([...loaded.templates.keys()]).toEqual(['good']);
    expect(loaded.problems).toEqual([
      expect.stringMatching(/bad\.liquid: body: undefined filter: nope/),
      `${path.join(dir, 'gone.liquid')}: missing; template "gone" is sent by a.yaml, b.yaml`,
    ]);
    expect((await loadTemplates(path.join(dir, 'none'), uses)).problems[0]).toMatch(
      /cannot read the templates folder/,
    );
  });
});

describe('a subject people wrote', () => {
  it('may hold ": " and Liquid filters with arguments, quoted or not', async () => {
    for (const subject of [
      'Hi {{ customer.name | default: "there" }}: welcome',
      `'Hi {{ customer.name | default: "there" }}: welcome'`,
    ]) {
      const parsed = parseTemplate(engines, 't', 't.liquid', `---\nsubject: ${subject}\n---\nBody`);
      if (!parsed.ok) throw new Error(parsed.error.join('\n'));
      expect(await engines.text.render(parsed.value.subject, {})).toBe('Hi there: welcome');
    }
  });

  it('in YAML that is neither valid nor plain lines is refused', () => {
    expect(problemsOf('---\nsubject: [a\n  b: c\n---\nBody').join()).toMatch(/not YAML/);
  });
});
