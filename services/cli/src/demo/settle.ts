import { hasReachedEnds, readGroupPosition, type Admin } from '@tactful/kafka';
import type { Store } from '@tactful/store-redis';

/**
 * Waits until the orchestrator has applied every event on `N.events` and no timer is due: the moment a
 * story's step has had all its effects. Fired timers add events, so both must hold twice in a row.
 */
export async function settle(
  admin: Admin,
  store: Pick<Store, 'timerBacklog'>,
  topic: string,
  groupId: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (quietRounds < 2) {
    if (Date.now() > deadline) throw new Error(`the stack did not settle within ${timeoutMs / 1000} s`);
    const [position, backlog] = await Promise.all([
      readGroupPosition(admin, groupId, [topic]),
      store.timerBacklog(Date.now()),
    ]);
    const caughtUp = hasReachedEnds(position.committed, position.ends);
    quietRounds = caughtUp && (backlog.dueCount ?? 0) === 0 ? quietRounds + 1 : 0;
    await new Promise((r) => setTimeout(r, 150));
  }
}
