import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandIdFor, type EmailSendCommand } from '@tactful/events';
import { renderMessage, templateScope } from './render';
import { loadTemplates, type TemplateUses } from './templates';

// HTML bodies (Liquid in `.html`), layouts and partials from the folder, and the rule that a
// marketing template lets the person leave.

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tactful-html-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const marketing = (...names: string[]): TemplateUses =>
  new Map(names.map((name) => [name, { files: ['news.yaml'], class: 'marketing' as const }]));

const base = {
  customerId: 'cust-1',
  journey: 'news',
  journeyVersion: 1,
  stage: 'first',
  template: 'news',
  causationId: 'evt-1',
};
const command = (data: Record<string, unknown>): EmailSendCommand => ({
  ...base,
  id: commandIdFor(base),
  type: 'email.send',
  createdAt: '2026-11-23T10:00:00Z',
  data,
});
const links = {
  token: 't0k3n',
  unsubscribeUrl: 'https://mail.example.com/u/t0k3n',
  preferencesUrl: 'https://mail.example.com/u/t0k3n',
  mailto: 'mailto:unsubscribe+t0k3n@replies.example.com',
  listUnsubscribe: '<https://mail.example.com/u/t0k3n>, <mailto:unsubscribe+t0k3n@replies.example.com>',
};
const HOSTILE = '<script>alert(1)</script><a href="https://evil.example">win</a> & "quotes"';

describe('an HTML body', () => {
  it('renders event data escaped in HTML and as written in text, through a layout and a partial', async () => {
    const dir = await folder({
      'news.liquid':
        '---\nsubject: "News for {{ trigger.fields.name }}"\n---\nHi {{ trigger.fields.name }}\n{{ unsubscribe_url }}\n',
      'news.html':
        '{% layout "layouts/base.html" %}{% block content %}<p>Hi {{ trigger.fields.name }}</p>{% render "partials/sig.html" %}{% endblock %}',
      'layouts/base.html':
        '<html><body>{% block content %}{% endblock %}<a href="{{ unsubscribe_url }}">Leave</a></body></html>',
      'partials/sig.html': '<p>{{ "— the team" }} {{ "<b>ok</b>" | raw }}</p>',
    });
    const loaded = await loadTemplates(dir, marketing('news'));
    expect(loaded.problems).toEqual([]);
    const template = loaded.templates.get('news')!;
    const message = await renderMessage(
      loaded.engines,
      template,
      templateScope({ command: command({ fields: { name: HOSTILE } }), links }),
    );
    expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(message.html).toContain('&lt;a href=&#34;https://evil.example&#34;&gt;');
    expect(message.html).not.toContain('<script>');
    expect(message.html).not.toContain('href="https://evil.example"');
    expect(message.html).toContain('<a href="https://mail.example.com/u/t0k3n">Leave</a>');
    expect(message.html).toContain('<b>ok</b>');
    expect(message.text).toContain(`Hi ${HOSTILE}`);
    expect(message.subject).toBe(`News for ${HOSTILE}`);
  });

  it('is refused at load for a body without subject file, or a partial the folder lacks', async () => {
    const dir = await folder({
      'd.liquid': '---\nsubject: D\n---\nText',
      'd.html': '{% render "../outside.html" %}',
      'orphan.html': '<p>no subject</p>',
    });
    const { problems } = await loadTemplates(dir, new Map());
    expect(problems).toEqual([
      expect.stringMatching(/orphan\.html: no orphan\.liquid beside it/),
      expect.stringMatching(
        /d\.html: body: no layout or partial "\.\.\/outside\.html" in the templates folder/,
      ),
    ]);
  });

  it('cannot read a file outside the folder, even through a symbolic link', async () => {
    const outside = await folder({ 'secret.html': 'SECRET' });
    const dir = await folder({ 'a.liquid': '---\nsubject: A\n---\n{% render "partials/x.html" %}' });
    await mkdir(path.join(dir, 'partials'));
    await symlink(path.join(outside, 'secret.html'), path.join(dir, 'partials', 'x.html'));
    const { problems, templates } = await loadTemplates(dir, new Map());
    expect(problems).toEqual([
      expect.stringMatching(/partials\/x\.html: leads outside the templates folder/),
      expect.stringMatching(/a\.liquid: body: no layout or partial "partials\/x\.html"/),
    ]);
    expect(templates.has('a')).toBe(false);
  });
});

describe('a marketing template', () => {
  it('must use unsubscribe_url in every body a person reads; a transactional one need not', async () => {
    const dir = await folder({
      'no-link.liquid': '---\nsubject: A\n---\nNo way out.',
      'text-only-link.liquid': '---\nsubject: B\n---\n{{ unsubscribe_url }}',
      'text-only-link.html': '<p>no link here</p>',
      'in-partial.liquid': '---\nsubject: C\n---\nHi{% include "partials/footer.liquid" %}',
      'partials/footer.liquid': '\n{{ unsubscribe_url }}',
      'answer.liquid': '---\nsubject: D\n---\nYour answer.',
    });
    const uses: TemplateUses = new Map([
      ...marketing('no-link', 'text-only-link', 'in-partial'),
      ['answer', { files: ['inquiry.yaml'], class: 'transactional' }],
    ]);
    const { problems, templates } = await loadTemplates(dir, uses);
    expect(problems).toEqual([
      `${path.join(dir, 'no-link.liquid')}: template "no-link" is sent by the marketing journey news.yaml and its body does not use {{ unsubscribe_url }}: every marketing email must let the person leave (each body written, text and HTML, needs the link)`,
      expect.stringMatching(
        /text-only-link\.liquid: template "text-only-link" is sent by the marketing journey/,
      ),
    ]);
    expect(templates.get('in-partial')?.linksUnsubscribe).toBe(true);
    expect(templates.get('answer')?.linksUnsubscribe).toBe(false);
  });
});
