import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { createSmtpSender } from './smtp-sender';
import { quietLogger } from './test-kit';

// The SMTP client against a real SMTP server: the hook between the message's last byte and the final dot
// is what the delivery protocol rests on.

const message = (id: string) =>
  Buffer.from(
    `From: a@example.com\r\nTo: b@example.com\r\nX-Tactful-Command: ${id}\r\nSubject: hi\r\n\r\nHello.\r\n`,
  );
const envelope = { from: 'a@example.com', to: 'b@example.com' };

describe('the SMTP sender', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  it('ends the data only after beforeEnd resolved, and the server accepts only then', async () => {
    sink = await startSmtpSink();
    const sender = createSmtpSender({ url: sink.url, timeoutMs: 5000, logger: quietLogger() });
    const seenBeforeEnd: number[] = [];
    const outcome = await sender.send(envelope, message('cmd-1'), async () => {
      seenBeforeEnd.push(sink!.received.length + sink!.refused.length);
    });
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(seenBeforeEnd).toEqual([0]);
    await expect.poll(() => sink!.received.map((m) => m.commandId)).toEqual(['cmd-1']);
  });

  it('drops the conversation unfinished when beforeEnd fails: nothing is delivered', async () => {
    sink = await startSmtpSink();
    const sender = createSmtpSender({ url: sink.url, timeoutMs: 5000, logger: quietLogger() });
    const outcome = await sender.send(envelope, message('cmd-lost'), async () => {
      throw new Error('the claim passed to another dispatcher');
    });
    expect(outcome).toMatchObject({ kind: 'aborted' });
    // the next conversation is delivered, and only it
    expect(await sender.send(envelope, message('cmd-2'), async () => undefined)).toMatchObject({
      kind: 'accepted',
    });
    await expect.poll(() => sink!.received.map((m) => m.commandId)).toEqual(['cmd-2']);
  });

  it('reads 4xx as transient and 5xx as permanent, at RCPT and after the data', async () => {
    sink = await startSmtpSink();
    const sender = createSmtpSender({ url: sink.url, timeoutMs: 5000, logger: quietLogger() });
    sink.failNextData(1, { code: 451, message: '4.3.0 Try again later' });
    expect(await sender.send(envelope, message('cmd-3'), async () => undefined)).toEqual({
      kind: 'transient',
      detail: '451 4.3.0',
      responseCode: 451,
    });
    sink.refuseRecipient('b@example.com', { code: 550, message: '5.1.1 No such user' });
    expect(await sender.send(envelope, message('cmd-4'), async () => undefined)).toEqual({
      kind: 'permanent',
      detail: '550 5.1.1',
      responseCode: 550,
    });
  });

  it('reads an unreachable server as transient, and verify says so', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sender = createSmtpSender({
      url: `smtp://127.0.0.1:${port}`,
      timeoutMs: 2000,
      logger: quietLogger(),
    });
    expect(await sender.send(envelope, message('cmd-5'), async () => undefined)).toMatchObject({
      kind: 'transient',
    });
    await expect(sender.verify()).rejects.toMatchObject({ code: 'ESOCKET' });
  });
});
