import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TactfulError } from './errors';
import { consumerGroupsFor, DEFAULT_NAMESPACE, Namespace, topicsFor } from './topics';

describe('topicsFor', () => {
  it('names the four topics of the contract', () => {
    expect(topicsFor(DEFAULT_NAMESPACE)).toEqual({
      events: 'tactful.events',
      commands: 'tactful.commands',
      dlq: 'tactful.dlq',
      audit: 'tactful.audit',
    });
  });

  it('names the consumer groups in the namespace', () => {
    expect(consumerGroupsFor('test-7f.run_1')).toEqual({
      orchestrator: 'test-7f.run_1.orchestrator',
      sentinel: 'test-7f.run_1.sentinel',
      dispatcher: 'test-7f.run_1.dispatcher',
    });
  });

  it.each(['', 'has space', 'slash/ed', 'ümlaut', 'colon:', 'x'.repeat(241)])(
    'refuses the namespace %j with config.invalid',
    (namespace) => {
      expect(() => topicsFor(namespace)).toThrow(TactfulError);
      expect(() => consumerGroupsFor(namespace)).toThrow(expect.objectContaining({ code: 'config.invalid' }));
    },
  );

  it('gives legal Kafka topic names for every valid namespace', () => {
    const namespaceArb = fc.stringMatching(/^[a-zA-Z0-9._-]{1,240}$/);
    fc.assert(
      fc.property(namespaceArb, (namespace) => {
        expect(Namespace.safeParse(namespace).success).toBe(true);
        for (const topic of Object.values(topicsFor(namespace))) {
          expect(topic).toMatch(/^[a-zA-Z0-9._-]{1,249}$/);
        }
      }),
    );
  });
});
