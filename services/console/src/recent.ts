/** Where a record was read: its topic, partition and offset identify it, and its timestamp orders it. */
export interface Position {
  topic: string;
  partition: number;
  offset: string;
  /** The Kafka timestamp, ms since the epoch. */
  timestamp: number;
}

export interface Recent<T> {
  /** Adds a record; one already kept (same position) is not added again. */
  add(position: Position, item: T): void;
  /** The records kept, newest first (by timestamp, then partition and offset). */
  list(): (T & { position: Position })[];
}

function newerFirst(a: Position, b: Position): number {
  if (a.timestamp !== b.timestamp) return b.timestamp - a.timestamp;
  if (a.topic !== b.topic) return a.topic < b.topic ? 1 : -1;
  if (a.partition !== b.partition) return b.partition - a.partition;
  return Number(BigInt(b.offset) - BigInt(a.offset));
}

/**
 * The newest `limit` records of some partitions, in memory. The console reads each partition's tail again
 * after every rebalance, so records arrive twice and out of order; they are kept once each, by position.
 */
export function createRecent<T>(limit: number): Recent<T> {
  let kept: (T & { position: Position })[] = [];
  const keyOf = (p: Position) => `${p.topic}\u0000${p.partition}\u0000${p.offset}`;
  const keys = new Set<string>();
  return {
    add(position, item) {
      const key = keyOf(position);
      if (keys.has(key)) return;
      kept.push({ ...item, position });
      keys.add(key);
      if (kept.length > limit * 2) trim();
    },
    list() {
      trim();
      return [...kept];
    },
  };

  function trim(): void {
    // sorting on every add would cost a sort per message while a tail is read; trim in batches instead
    kept.sort((a, b) => newerFirst(a.position, b.position));
    for (const dropped of kept.slice(limit)) keys.delete(keyOf(dropped.position));
    kept = kept.slice(0, limit);
  }
}
