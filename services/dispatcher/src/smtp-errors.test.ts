import { describe, expect, it } from 'vitest';
import { classifySmtpFailure } from './smtp-errors';

describe('classifySmtpFailure', () => {
  it.each([
    [
      { responseCode: 451, response: '451 4.3.0 try again later' },
      false,
      { kind: 'transient', detail: '451 4.3.0' },
    ],
    [{ responseCode: 421, response: '421 closing' }, false, { kind: 'transient', detail: '421' }],
    [
      { responseCode: 550, response: '550 5.1.1 <ann@example.com>: no such user', code: 'EENVELOPE' },
      false,
      { kind: 'permanent', detail: '550 5.1.1' },
    ],
    // a reply after the data was sent is still an answer: not accepted
    [{ responseCode: 554, response: '554 5.7.1 spam' }, true, { kind: 'permanent', detail: '554 5.7.1' }],
    [
      { responseCode: 452, response: '452 4.2.2 mailbox full' },
      true,
      { kind: 'transient', detail: '452 4.2.2' },
    ],
    [{ code: 'ECONNECTION' }, false, { kind: 'transient', detail: 'ECONNECTION' }],
    [{ code: 'ETIMEDOUT' }, false, { kind: 'transient', detail: 'ETIMEDOUT' }],
    [
      { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials' },
      false,
      { kind: 'transient', detail: 'EAUTH 535' },
    ],
    [{ code: 'EENVELOPE' }, false, { kind: 'permanent', detail: 'EENVELOPE' }],
    [{}, false, { kind: 'transient', detail: 'no reply' }],
    // the connection broke after the final dot: the server may have taken it
    [{ code: 'ECONNECTION' }, true, { kind: 'uncertain', detail: 'ECONNECTION' }],
    [{ code: 'ETIMEDOUT' }, true, { kind: 'uncertain', detail: 'ETIMEDOUT' }],
  ])('%j (data ended: %s) → %j', (err, dataEnded, expected) => {
    expect(classifySmtpFailure(err, dataEnded)).toMatchObject(expected);
  });

  it('never quotes the reply text, which may hold the address', () => {
    const failure = classifySmtpFailure(
      { responseCode: 550, response: '550 5.1.1 <ann@example.com> unknown' },
      false,
    );
    expect(JSON.stringify(failure)).not.toContain('ann@');
  });
});
