import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { Command, TactfulError } from '@tactful/events';
import { failureMessage, isItemFailure, itemFailure } from './message-failure';
import { isRecordTooLarge, isTransientError } from './transient-error';

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(`broker said ${type}`), { type, code: 10, retriable }));

describe('isTransientError', () => {
  it.each([
    ['a retriable TactfulError', TactfulError.retriable('redis.unavailable', 'away')],
    ['a kafkajs connection error', new KafkaJSConnectionError('Connection error: ECONNREFUSED')],
    [
      'kafkajs retries spent on a connection',
      new KafkaJSNumberOfRetriesExceeded(new Error('timeout'), { retryCount: 5, retryTime: 300 }),
    ],
    [
      'a kafkajs error kafkajs calls non-retriable',
      new KafkaJSNonRetriableError('group authorization failed'),
    ],
    ['a retriable broker answer', protocolError('NOT_LEADER_FOR_PARTITION', true)],
    [
      'ioredis with its retries spent',
      Object.assign(new Error('Reached the max retries'), { name: 'MaxRetriesPerRequestError' }),
    ],
    ['ioredis on a closed connection', new Error('Connection is closed.')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('%s: retry the same message', (_name, err) => {
    expect(isTransientError(err)).toBe(true);
  });

  it.each([
    ['a RangeError', new RangeError('Maximum call stack size exceeded')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a zod error', Command.safeParse({ type: 'email.send' }).error],
    ['a non-retriable TactfulError', new TactfulError('internal', 'state must be JSON-serialisable')],
    ['the broker refusing the record as too large', protocolError('MESSAGE_TOO_LARGE', false)],
    [
      'an invalid record behind a retry error',
      new KafkaJSNumberOfRetriesExceeded(protocolError('INVALID_RECORD', false), {
        retryCount: 5,
        retryTime: 300,
      }),
    ],
    ['a thrown string', 'boom'],
    ['a plain Error', new Error('something of this message')],
  ])('%s: the message fails', (_name, err) => {
    expect(isTransientError(err)).toBe(false);
  });

  it('tells a record the broker found too large, through retry wrappers too', () => {
    expect(isRecordTooLarge(protocolError('MESSAGE_TOO_LARGE', false))).toBe(true);
    expect(
      isRecordTooLarge(
        new KafkaJSNumberOfRetriesExceeded(protocolError('RECORD_LIST_TOO_LARGE', false), {
          retryCount: 5,
          retryTime: 300,
        }),
      ),
    ).toBe(true);
    expect(isRecordTooLarge(protocolError('INVALID_RECORD', false))).toBe(false);
    expect(isRecordTooLarge(new Error('MESSAGE_TOO_LARGE'))).toBe(false);
  });
});

describe('failureMessage', () => {
  it('names the kind of error, never its message, which may quote the content', () => {
    const secret = 'ann@example.com';
    expect(failureMessage(new TactfulError('internal', `bad ${secret}`), 'orchestrator')).toMatch(
      /^handling the message failed with TactfulError internal; .*orchestrator/,
    );
    expect(failureMessage(new RangeError(secret), 'c')).toContain('RangeError');
    expect(failureMessage(new RangeError(secret), 'c')).not.toContain(secret);
    expect(failureMessage(secret, 'c')).toContain('a thrown string');
    expect(failureMessage(secret, 'c')).not.toContain(secret);
  });

  it('marks a batch item as failed, distinct from any outcome label', () => {
    expect(isItemFailure(itemFailure(new Error('x')))).toBe(true);
    expect(isItemFailure('applied')).toBe(false);
    expect(isItemFailure(undefined)).toBe(false);
  });
});
