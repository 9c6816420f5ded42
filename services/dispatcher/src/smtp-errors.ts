// How the dispatcher reads an SMTP failure. RFC 5321: 4xx replies are transient (try again later), 5xx
// are permanent (this message will never be accepted as it is). A failure without a reply (the
// connection refused, reset or timed out) is transient, unless it happened after the end of the data was
// sent: then the server may have accepted the message before the connection broke, and nobody knows.

/** What became of one delivery attempt, as far as the dispatcher can tell. */
export type SmtpFailureKind = 'transient' | 'permanent' | 'uncertain';

export interface SmtpFailure {
  readonly kind: SmtpFailureKind;
  /** The reply code and enhanced status (`550 5.1.1`), or the error code (`ECONNREFUSED`): never the reply text. */
  readonly detail: string;
  readonly responseCode?: number;
}

/** The fields of nodemailer's SMTP errors the classification reads. */
export interface SmtpErrorLike {
  readonly code?: string | undefined;
  readonly responseCode?: number | undefined;
  readonly response?: string | undefined;
}

// Errors nodemailer raises about the message itself, before talking to the server (no recipient, an
// empty message, one over the size the server announced): sending it again would fail the same way.
const MESSAGE_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Pure. Classifies a failed attempt. `dataEnded` says whether the end of the data (the final dot) had been
 * written: a failure after it with no reply from the server is `uncertain`.
 */
export function classifySmtpFailure(err: SmtpErrorLike, dataEnded: boolean): SmtpFailure {
  const code = err.responseCode;
  // refused credentials are our configuration, not the message: a 535 must not dead-letter every command
  if (err.code === 'EAUTH')
    return { kind: 'transient', detail: code === undefined ? 'EAUTH' : `EAUTH ${code}` };
  if (code !== undefined && code >= 400 && code < 600) {
    const enhanced = /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})/.exec(err.response ?? '')?.[1];
    const detail = enhanced === undefined ? String(code) : `${code} ${enhanced}`;
    return { kind: code >= 500 ? 'permanent' : 'transient', detail, responseCode: code };
  }
  const detail = err.code ?? 'no reply';
  if (dataEnded) return { kind: 'uncertain', detail };
  // before the end of the data nothing can have been delivered: anything but a faulty message (the
  // server unreachable, a timeout, refused credentials) is worth another attempt
  return { kind: MESSAGE_CODES.has(detail) ? 'permanent' : 'transient', detail };
}
