import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDispatcher, type DispatcherEnv } from './prepare';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const env: DispatcherEnv = {
  TACTFUL_JOURNEYS: path.join(ROOT, 'journeys'),
  TACTFUL_TEMPLATES: path.join(ROOT, 'templates'),
  TACTFUL_POLICY: path.join(ROOT, 'policy.yaml'),
  TACTFUL_SMTP_URL: 'smtp://127.0.0.1:2525',
  TACTFUL_MAIL_FROM: 'Tactful <outreach@tactful.local>',
  TACTFUL_REPLY_DOMAIN: 'replies.tactful.local',
  TACTFUL_DELIVERY_LEASE_MS: 60_000,
  TACTFUL_LINK_SECRET: randomBytes(32).toString('hex'),
  TACTFUL_HALT_SIGNAL_MAX_LAG_MS: 5000,
  TACTFUL_PUBLIC_URL: undefined,
  TACTFUL_HTTP_PORT: 8080,
};

describe('prepareDispatcher', () => {
  it('loads every template the example journeys send, and knows each journey', async () => {
    const prepared = await prepareDispatcher(env);
    expect([...prepared.templates.keys()]).toEqual(
      expect.arrayContaining(['wp-welcome', 'inquiry-answer', 'local-tips']),
    );
    expect(prepared.journeys('whitepaper-nurture', 3)).toEqual({
      name: 'White paper follow-up',
      prospecting: true,
    });
    expect(prepared.journeys('whitepaper-nurture', 99)?.prospecting).toBe(true);
    expect(prepared.journeys('contact-inquiry', 1)?.prospecting).toBe(false);
    expect(prepared.journeys('unknown', 1)).toBeUndefined();
    expect(prepared.signer.verify('reply', 'cmd-1', prepared.signer.sign('reply', 'cmd-1'))).toBe(true);
  });

  it('refuses the start with every problem at once', async () => {
    const templates = await mkdtemp(path.join(os.tmpdir(), 'tactful-templates-'));
    try {
      await cp(path.join(ROOT, 'templates'), templates, { recursive: true });
      await rm(path.join(templates, 'wp-checkin.liquid'));
      await writeFile(
        path.join(templates, 'local-tips.liquid'),
        '---\nsubject: Tips\n---\n{{ trigger.items | shout }}',
      );
      const refused = prepareDispatcher({
        ...env,
        TACTFUL_SMTP_URL: undefined,
        TACTFUL_LINK_SECRET: undefined,
        TACTFUL_TEMPLATES: templates,
      });
      await expect(refused).rejects.toMatchObject({ code: 'config.invalid' });
      const message = await refused.catch((err: Error) => err.message);
      expect(message).toMatch(/refusing to start the dispatcher \(4 problems\)/);
      expect(message).toMatch(/TACTFUL_SMTP_URL: unset; the dispatcher delivers email there/);
      expect(message).toMatch(
        /TACTFUL_LINK_SECRET: unset; the dispatcher signs every Reply-To address with it \(at least 32 bytes/,
      );
      expect(message).toMatch(
        /wp-checkin\.liquid: missing; template "wp-checkin" is sent by whitepaper-nurture\.yaml/,
      );
      expect(message).toMatch(/local-tips\.liquid: body: undefined filter: shout, line:4/);
    } finally {
      await rm(templates, { recursive: true, force: true });
    }
  });
});
