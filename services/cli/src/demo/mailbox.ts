import fs from 'node:fs/promises';
import path from 'node:path';
import type { ReceivedMail, SmtpSink } from '@tactful/dispatcher/smtp-sink';
import type { AuditRecord } from '@tactful/events';

// What people would receive in the demo: the dispatcher delivers to an SMTP catcher started in the
// process (`startSmtpSink`), and the demo prints each email and writes it to a folder.

/** Where the demo writes every email it delivered, relative to the working directory (git ignores it). */
export const DEMO_MAIL_DIR = path.join('.tactful', 'demo-mail');

/**
 * Waits until every send the audit trail shows for these records reached the catcher, or was stopped or
 * refused by the dispatcher (a later `suppressed` or `rejected` of the same command); throws past the
 * deadline.
 */
export async function waitForMail(
  sink: SmtpSink,
  records: () => readonly AuditRecord[],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = records();
    const stopped = new Set(
      all.filter((r) => r.decision === 'suppressed' || r.decision === 'rejected').map((r) => r.commandId),
    );
    const delivered = new Set(sink.received.map((m) => m.commandId));
    const waiting = all.filter(
      (r) => r.decision === 'sent' && !delivered.has(r.commandId) && !stopped.has(r.commandId),
    );
    if (waiting.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${waiting.length} email(s) not delivered within ${timeoutMs / 1000} s: ${waiting.map((r) => r.template).join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The `List-Unsubscribe` https link of an email, when it has one. */
export function unsubscribeLinkOf(mail: ReceivedMail): string | undefined {
  const line = mail.mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
  return /<(https?:\/\/[^>]+)>/.exec(line.replace(/\r\n\s+/g, ' '))?.[1];
}

/** Pure but for the mail. A few lines for one email: subject, its first lines, its unsubscribe link. */
export function renderMail(mail: ReceivedMail): string {
  const first = (mail.mail.text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 2);
  const link = unsubscribeLinkOf(mail);
  return [
    `    ✉ "${mail.mail.subject ?? ''}" to ${mail.to.join(', ')}`,
    ...first.map((l) => `        ${l.length > 90 ? `${l.slice(0, 89)}…` : l}`),
    `        unsubscribe: ${link ?? 'none (transactional: an answer to what the person asked)'}`,
  ].join('\n');
}

/** Writes an email (its HTML part, else its text) to `dir`, named by person and template; returns the file. */
export async function writeMail(dir: string, person: string, mail: ReceivedMail): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const template = mail.header('x-tactful-template') ?? 'email';
  const html = typeof mail.mail.html === 'string' ? mail.mail.html : undefined;
  const file = path.join(dir, `${person}-${template}.${html === undefined ? 'txt' : 'html'}`);
  await fs.writeFile(file, html ?? mail.mail.text ?? '');
  return file;
}
