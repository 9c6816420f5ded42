import { AuditRecord, decodeJson, topicsFor } from '@tactful/events';
import { readKeyedValues, type Kafka } from '@tactful/kafka';
import type { AuditReader } from './customer-explanation';

/**
 * Reads a customer's decisions from `N.audit` (every decision of the orchestrator and the dispatcher is
 * there, keyed by the customer): the customer's partition, start to end, in a throwaway consumer group.
 * A record that is not an audit record is skipped, not shown.
 */
export function auditReader(kafka: Kafka, namespace: string): AuditReader {
  return async (customerId, limit) => {
    const values = await readKeyedValues({
      kafka,
      topic: topicsFor(namespace).audit,
      key: customerId,
      limit,
      groupPrefix: namespace,
    });
    return values.flatMap((value) => {
      // the shared decoder: a record nested past the depth limit is skipped like any other that is not one
      const decoded = decodeJson(value);
      if (!decoded.ok) return [];
      const parsed = AuditRecord.safeParse(decoded.value);
      return parsed.success ? [parsed.data] : [];
    });
  };
}
