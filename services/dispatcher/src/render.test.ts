import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandIdFor, type EmailSendCommand } from '@tactful/events';
import { renderMessage, templateScope } from './render';
import {
  createEngines,
  loadTemplates,
  parseTemplate,
  type MessageTemplate,
  type TemplateEngines,
} from './templates';

const TEMPLATES = path.resolve(import.meta.dirname, '..', '..', '..', 'templates');
const engines = createEngines();

function commandFor(template: string, data: Record<string, unknown>): EmailSendCommand {
  const base = {
    customerId: 'bea',
    journey: 'contact-inquiry',
    journeyVersion: 1,
    stage: 'answered',
    template,
    causationId: 'evt-1',
  };
  return {
    ...base,
    id: commandIdFor(base),
    type: 'email.send',
    createdAt: '2026-11-23T10:00:01Z',
    to: 'bea@example.com',
    data,
  };
}

const examples = loadTemplates(TEMPLATES, new Map());

/** An example template, with the engines of the examples' folder (its partials and layouts). */
async function exampleTemplate(
  name: string,
): Promise<{ template: MessageTemplate; engines: TemplateEngines }> {
  const loaded = await examples;
  const template = loaded.templates.get(name);
  if (template === undefined) throw new Error(`${name}: ${loaded.problems.join('\n')}`);
  return { template, engines: loaded.engines };
}

function inline(text: string): MessageTemplate {
  const parsed = parseTemplate(engines, 't', 't.liquid', text);
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

describe('rendering', () => {
  it('the inquiry answer quotes the question in the person’s own words', async () => {
    const question = 'Can the adapter be used in Brazil & in Japan? <yes/no>';
    const command = commandFor('inquiry-answer', {
      formId: 'contact-us',
      email: 'bea@example.com',
      fields: { subject: 'Travel adapter', message: question },
    });
    const scope = templateScope({ command, profile: { name: 'Bea', email: 'bea@example.com', fields: {} } });
    const example = await exampleTemplate('inquiry-answer');
    const message = await renderMessage(example.engines, example.template, scope);
    expect(message.subject).toBe('Re: Travel adapter');
    expect(message.text).toContain('Hi Bea,');
    // plain text: quoted exactly as written, nothing escaped
    expect(message.text).toContain(`> ${question}`);
    expect(message.text.startsWith('Hi Bea,')).toBe(true);
    expect(message.text.endsWith('\n')).toBe(true);
  });

  it('undefined variables render empty and defaults fill in', async () => {
    const command = commandFor('inquiry-answer', { formId: 'contact-us' });
    const example = await exampleTemplate('inquiry-answer');
    const message = await renderMessage(example.engines, example.template, templateScope({ command }));
    expect(message.subject).toBe('Re: your question');
    expect(message.text).toContain('Hi there,');
    expect(message.text).toContain('> \n');
  });

  it('offers customer, trigger, journey, stage and command', async () => {
    const template = inline(
      [
        '---',
        'subject: "{{ journey.name }} / {{ stage }}\n for {{ customer.name }}"',
        '---',
        '{{ customer.id }} {{ customer.email }} {{ customer.fields.topic }} {{ trigger.items | map: "sku" | join: "," }}',
        '{{ journey.id }} v{{ journey.version }} {{ command.template }} {{ command.id }}',
      ].join('\n'),
    );
    const command = commandFor('t', { items: [{ sku: 'a' }, { sku: 'b' }] });
    const scope = templateScope({
      command,
      profile: { name: 'Bea', fields: { topic: 'pricing' } },
      journeyName: 'Inquiry',
    });
    const message = await renderMessage(engines, template, scope);
    expect(message.subject).toBe('Inquiry / answered for Bea');
    expect(message.text).toBe(`bea bea@example.com pricing a,b\ncontact-inquiry v1 t ${command.id}\n`);
  });

  it('renders every example template with an empty trigger', async () => {
    for (const name of ['wp-welcome', 'local-tips', 'inquiry-followup', 'newsletter-2026-11']) {
      const example = await exampleTemplate(name);
      const message = await renderMessage(
        example.engines,
        example.template,
        templateScope({ command: commandFor(name, {}) }),
      );
      expect(message.subject.length, name).toBeGreaterThan(0);
    }
  });
});
