import { describe, expect } from 'vitest';
import { topicsFor } from '@tactful/events';
import { test } from '@tactful/testing';
import { ensureNamespaceTopics } from './topics';

describe('ensureNamespaceTopics', () => {
  test('creates the four topics of a namespace, and a second call leaves them as they are', async ({
    kafka,
  }) => {
    const names = Object.values(topicsFor(kafka.namespace));
    try {
      const first = await ensureNamespaceTopics(kafka.kafka, kafka.namespace, 2);
      expect(first).toEqual(names.map((topic) => ({ topic, created: true, partitions: 2 })));
      // another partition count changes nothing: moving partitions would move customers between them
      const again = await ensureNamespaceTopics(kafka.kafka, kafka.namespace, 5);
      expect(again).toEqual(names.map((topic) => ({ topic, created: false, partitions: 2 })));
    } finally {
      await kafka.admin.deleteTopics({ topics: names });
    }
  });
});
