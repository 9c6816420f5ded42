import { AssignerProtocol, type Admin, type GroupDescription } from 'kafkajs';
import { consumerGroupsFor } from '@tactful/events';
import { lagOf, readCommittedOffsets, readLogEnds } from './group-offsets';
import { partitionKey, type GroupMember, type GroupSample, type PartitionOffsets } from './lag-sample';

/**
 * Reading consumer lag from the broker with admin calls only; the topics themselves are never read, so
 * measuring costs the same whatever the backlog.
 */

/**
 * The groups of a namespace: the services' own (`N.orchestrator`, `N.sentinel`, `N.dispatcher`), whether
 * they exist yet or not, then every other group whose id starts with `N.`, as the broker lists them.
 */
export async function namespaceGroupIds(admin: Admin, namespace: string): Promise<string[]> {
  const own = Object.values(consumerGroupsFor(namespace));
  const { groups } = await admin.listGroups();
  const others = groups
    .map((g) => g.groupId)
    .filter((id) => id.startsWith(`${namespace}.`) && !own.includes(id))
    .sort();
  return [...own, ...new Set(others)];
}

function membersOf(group: GroupDescription | undefined): GroupMember[] {
  return (group?.members ?? []).map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.clientHost,
    assignment: group?.protocolType === 'consumer' ? decodeAssignment(m.memberAssignment) : null,
  }));
}

function decodeAssignment(bytes: Buffer): GroupMember['assignment'] {
  // A member between rebalances has no assignment yet: an empty list, not an unknown one.
  if (bytes.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
    if (decoded === null) return [];
    return Object.entries(decoded.assignment).map(([topic, partitions]) => ({ topic, partitions }));
  } catch (err) {
    // Another client's assignment bytes are not ours to fail on: the member is still listed, its
    // assignment is reported as unknown (null), and its partitions show no owner.
    // (Reading past the end of the bytes is how a foreign format shows; anything else is a real fault.)
    if (err instanceof RangeError) return null;
    throw err;
  }
}

export interface ReadGroupSamplesOptions {
  admin: Admin;
  groupIds: readonly string[];
  now: () => number;
}

/**
 * One sample of each group: state and members (`describeGroups`), committed offsets (`fetchOffsets`), then
 * the log start and end of every topic involved (`fetchTopicOffsets`). Committed offsets are read before the
 * log end, as Kafka's own consumer-groups tool does, so that a lag is never negative because of the order
 * of the reads. Partitions listed: those with a committed offset, plus those assigned to a member.
 */
export async function readGroupSamples(options: ReadGroupSamplesOptions): Promise<GroupSample[]> {
  const { admin, groupIds } = options;
  if (groupIds.length === 0) return [];
  const { groups } = await admin.describeGroups([...groupIds]);
  const committed = await Promise.all(groupIds.map((groupId) => readCommittedOffsets(admin, groupId)));

  const partial = groupIds.map((groupId, i) => {
    const members = membersOf(groups.find((g) => g.groupId === groupId));
    const owners = new Map<string, string>();
    for (const m of members)
      for (const a of m.assignment ?? [])
        for (const partition of a.partitions)
          owners.set(partitionKey({ topic: a.topic, partition }), m.memberId);
    const offsets = new Map<string, { topic: string; partition: number; committed: number | null }>();
    for (const entry of committed[i] ?? []) offsets.set(partitionKey(entry), entry);
    for (const m of members)
      for (const a of m.assignment ?? [])
        for (const partition of a.partitions) {
          const key = partitionKey({ topic: a.topic, partition });
          if (!offsets.has(key)) offsets.set(key, { topic: a.topic, partition, committed: null });
        }
    const state = groups.find((g) => g.groupId === groupId)?.state ?? 'Unknown';
    return { groupId, state, members, owners, offsets: [...offsets.values()] };
  });

  const existing = new Set(await admin.listTopics());
  const topics = [...new Set(partial.flatMap((g) => g.offsets.map((o) => o.topic)))].filter((t) =>
    existing.has(t),
  );
  const ends = await readLogEnds(admin, topics);
  const at = options.now();

  return partial.map((g) => ({
    groupId: g.groupId,
    at,
    state: g.state,
    members: g.members,
    partitions: g.offsets
      .map((o): PartitionOffsets => {
        const key = partitionKey(o);
        const end = ends.get(key);
        return {
          ...o,
          logStart: end?.low ?? null,
          logEnd: end?.high ?? null,
          lag: lagOf(o.committed, end),
          memberId: g.owners.get(key) ?? null,
        };
      })
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition),
  }));
}
