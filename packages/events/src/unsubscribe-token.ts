import { SIGNATURE_CHARS, type LinkSigner } from './link-signature';

// The token of an email's unsubscribe links (`TACTFUL_PUBLIC_URL/u/<token>` and
// `mailto:unsubscribe+<token>@<reply domain>`, CONTRACT.md section 4). It names the customer, the command
// that sent the email and the topic of the send, and holds no email address. Self-contained: the gateway's
// link endpoints and its inbound SMTP read it without a lookup, so a link in a years-old email still works.
//
// Written in base 36 (digits and lower-case letters): URL-safe with no escaping, and case-blind enough
// for a mail address, whose local part a mail system may fold to lower case (readers fold it back). The
// payload is a small binary record read as one number; the signature of the unsubscribe purpose follows
// it, fixed-length, so no separator is needed.

/** What an unsubscribe token says. */
export interface UnsubscribeToken {
  readonly customerId: string;
  /** The command that sent the email (for `tactful templates send-test`, a made-up id). */
  readonly commandId: string;
  /** The topic of the send; absent for a send without one (the opt-out is then of all email). */
  readonly topic?: string;
  /**
   * A token of a test email (`tactful templates send-test`): the endpoints answer it as for a real one
   * and publish nothing, so a test copy can never unsubscribe anyone.
   */
  readonly test?: boolean;
}

const VERSION = 1;
const FLAG_TEST = 1;
const COMMAND_ID = /^cmd-([0-9a-f]{1,252})$/;
const MAX_FIELD_BYTES = 0xffff;
const SIGNATURE_LENGTH = SIGNATURE_CHARS.unsubscribe;
const BASE36 = /^[0-9a-z]+$/;

/** Pure. Whether `commandId` can be carried by a token: `cmd-` and 1 to 252 lower-case hex digits. */
export function isTokenCommandId(commandId: string): boolean {
  return COMMAND_ID.test(commandId);
}

/**
 * Pure. The token of `token`, signed by `signer` under the `unsubscribe` purpose. Throws a `RangeError`
 * for a command id that is not `cmd-<hex>` or a field over 65,535 UTF-8 bytes (the event schemas allow
 * neither).
 */
export function signUnsubscribeToken(signer: LinkSigner, token: UnsubscribeToken): string {
  const payload = encodePayload(token);
  return `${payload}${signer.sign('unsubscribe', payload)}`;
}

/**
 * Pure. What a token says, or null when it is not one this signer made: not base 36, a payload that does
 * not decode exactly, or a signature that does not match (forged, altered, truncated, another secret).
 * Lower case only: callers that read a mail address fold it first.
 */
export function parseUnsubscribeToken(signer: LinkSigner, text: string): UnsubscribeToken | null {
  if (text.length <= SIGNATURE_LENGTH || text.length > 8192 || !BASE36.test(text)) return null;
  const payload = text.slice(0, -SIGNATURE_LENGTH);
  const signature = text.slice(-SIGNATURE_LENGTH);
  if (!signer.verify('unsubscribe', payload, signature)) return null;
  return decodePayload(payload);
}

function encodePayload(token: UnsubscribeToken): string {
  const command = COMMAND_ID.exec(token.commandId);
  if (command === null || command[1] === undefined)
    throw new RangeError(`a token names a command id "cmd-<hex>", not ${JSON.stringify(token.commandId)}`);
  const hex = command[1];
  const customer = Buffer.from(token.customerId, 'utf8');
  const topic = Buffer.from(token.topic ?? '', 'utf8');
  if (customer.length === 0 || customer.length > MAX_FIELD_BYTES || topic.length > MAX_FIELD_BYTES)
    throw new RangeError('a token field is empty or longer than 65,535 bytes');
  const bytes = Buffer.concat([
    Buffer.from([VERSION, token.test === true ? FLAG_TEST : 0, hex.length]),
    Buffer.from(hex.length % 2 === 0 ? hex : `${hex}0`, 'hex'),
    lengthOf(customer.length),
    customer,
    lengthOf(topic.length),
    topic,
  ]);
  return BigInt(`0x${bytes.toString('hex')}`).toString(36);
}

function decodePayload(payload: string): UnsubscribeToken | null {
  const bytes = base36Bytes(payload);
  if (bytes === null || bytes[0] !== VERSION || bytes.length < 3) return null;
  const flags = bytes[1] ?? 0;
  const digits = bytes[2] ?? 0;
  if ((flags & ~FLAG_TEST) !== 0 || digits === 0) return null;
  let at = 3;
  const commandBytes = Math.ceil(digits / 2);
  const hex = bytes.subarray(at, at + commandBytes).toString('hex');
  if (hex.length !== commandBytes * 2 || (digits % 2 === 1 && !hex.endsWith('0'))) return null;
  at += commandBytes;
  const customer = readField(bytes, at);
  if (customer === null || customer.value === '') return null;
  const topic = readField(bytes, customer.next);
  if (topic === null || topic.next !== bytes.length) return null;
  return {
    customerId: customer.value,
    commandId: `cmd-${hex.slice(0, digits)}`,
    ...(topic.value === '' ? {} : { topic: topic.value }),
    ...((flags & FLAG_TEST) !== 0 ? { test: true } : {}),
  };
}

function lengthOf(n: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(n);
  return buffer;
}

function readField(bytes: Buffer, at: number): { value: string; next: number } | null {
  if (at + 2 > bytes.length) return null;
  const length = bytes.readUInt16BE(at);
  const end = at + 2 + length;
  if (end > bytes.length) return null;
  const raw = bytes.subarray(at + 2, end);
  const value = raw.toString('utf8');
  // a byte sequence that is not UTF-8 would decode to replacement characters: not a token we wrote
  if (!Buffer.from(value, 'utf8').equals(raw)) return null;
  return { value, next: end };
}

/** The bytes of a base-36 number, or null when the text is not the canonical spelling of one. */
function base36Bytes(text: string): Buffer | null {
  let value = 0n;
  for (const char of text) value = value * 36n + BigInt(Number.parseInt(char, 36));
  if (value.toString(36) !== text) return null;
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}
