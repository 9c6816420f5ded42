import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '@tactful/dispatcher/smtp-sink';
import { createLinkSigner, parseUnsubscribeToken } from '@tactful/events';
import { tactfulArgv } from '@tactful/testing';

// `tactful templates preview` and `send-test`, and the template check of `journeys validate`, as a
// person runs them: the bin, its output and its exit status, on the repository's journeys and templates.

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const SECRET = randomBytes(32).toString('hex');

async function tactful(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, tactfulArgv(args), {
      cwd: ROOT,
      env: { ...process.env, TACTFUL_LINK_SECRET: SECRET, ...env },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const failed = err as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

let dir: string;
let sink: SmtpSink;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-templates-'));
  await fs.writeFile(
    path.join(dir, 'hostile.json'),
    JSON.stringify({
      customer: { name: '<script>alert(1)</script>', email: 'ann@example.com' },
      trigger: { fields: { subject: 'Hi\r\nBcc: everyone@example.com' } },
    }),
  );
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
  await fs.rm(dir, { recursive: true });
});

describe.concurrent('tactful templates', () => {
  it('preview prints a marketing email with its unsubscribe headers and writes its HTML, escaped', async () => {
    const html = path.join(dir, 'letter.html');
    const { stdout, code } = await tactful([
      'templates',
      'preview',
      'newsletter-2026-11',
      '--data',
      path.join(dir, 'hostile.json'),
      '--html',
      html,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(stdout).toMatch(/Content-Type: multipart\/alternative/);
    const written = await fs.readFile(html, 'utf8');
    expect(written).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(written).not.toContain('<script>');
  }, 60_000);

  it('preview of a transactional answer: no unsubscribe headers, and data cannot add a header', async () => {
    const { stdout, code } = await tactful([
      'templates',
      'preview',
      'inquiry-answer',
      '--data',
      path.join(dir, 'hostile.json'),
    ]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('List-Unsubscribe');
    expect(stdout).toContain('Subject: Re: Hi Bcc: everyone@example.com');
    expect(stdout).not.toMatch(/^Bcc:/m);
  }, 60_000);

  it('send-test delivers one [TEST] copy whose links unsubscribe nobody', async () => {
    const { stdout, code } = await tactful(
      [
        'templates',
        'send-test',
        'wp-welcome',
        '--to',
        'me@example.com',
        '--data',
        path.join(dir, 'hostile.json'),
      ],
      { TACTFUL_SMTP_URL: sink.url },
    );
    expect(code, stdout).toBe(0);
    const mail = sink.received.find((m) => m.to.includes('me@example.com'))!;
    expect(mail.mail.subject).toMatch(/^\[TEST\] /);
    const header = mail.mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const token = /\/u\/([0-9a-z]+)>/.exec(header.replace(/\r\n\s+/g, ' '))?.[1] ?? '';
    expect(parseUnsubscribeToken(createLinkSigner(SECRET), token)).toMatchObject({ test: true });
  }, 60_000);

  it('journeys validate refuses a journey that sends a template the folder does not have', async () => {
    const journeys = path.join(dir, 'journeys');
    await fs.mkdir(journeys);
    const source = await fs.readFile(path.join(ROOT, 'journeys/whitepaper-nurture.yaml'), 'utf8');
    await fs.writeFile(path.join(journeys, 'w.yaml'), source.replace('wp-checkin', 'wp-nowhere'));
    const { stdout, code } = await tactful(['journeys', 'validate', journeys]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/wp-nowhere\.liquid: missing; template "wp-nowhere" is sent by w\.yaml/);
    expect((await tactful(['journeys', 'validate'])).code).toBe(0);
  }, 60_000);
});
