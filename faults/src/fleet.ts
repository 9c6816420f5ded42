import { spawnTactful, untilRunning, type ChildStack } from '../../services/cli/src/run/process-stack';
import { freePort } from '../../packages/testing/src/own-servers';

// The `tactful run` processes of a fault scenario, as real child processes in numbered slots: a slot keeps
// its reply-capture port across restarts, so a reply mailed to it reaches whichever process runs there.

export interface Slot {
  readonly index: number;
  readonly inboundPort: number;
  stack: ChildStack | undefined;
  /** The ops server of the running process (`/metrics`, `/readyz`). */
  url: string | undefined;
}

export interface Fleet {
  readonly slots: readonly Slot[];
  /** Starts `tactful run` in a slot (with `args` after `run`); resolves once every service started. */
  start(index: number, args?: readonly string[]): Promise<Slot>;
  /** SIGKILL; resolves once the process is gone. */
  kill(index: number): Promise<void>;
  /** SIGTERM (drain, leave the groups); resolves with the exit code. */
  stop(index: number): Promise<number | null>;
  /** Slots with a live process. */
  live(): Slot[];
  /** Everything the processes of a slot printed, over its lives, the newest last (for a failing test). */
  output(index: number): string;
  /** How many processes were SIGKILLed. */
  kills(): number;
  /** Processes that exited without being told to (a crash of their own), with their last output. */
  crashes(): readonly string[];
  /** SIGKILLs whatever still runs (cleanup after a failure). */
  close(): Promise<void>;
}

function opsUrl(output: string): string | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('tactful running')) continue;
    const parsed = JSON.parse(line) as { url?: string };
    if (parsed.url) return parsed.url;
  }
  return undefined;
}

export async function createFleet(size: number, env: Readonly<Record<string, string>>): Promise<Fleet> {
  const slots: Slot[] = [];
  const taken = new Set<number>();
  for (let index = 0; index < size; index++) {
    const inboundPort = await freePort(taken);
    taken.add(inboundPort);
    slots.push({ index, inboundPort, stack: undefined, url: undefined });
  }
  const outputs = slots.map(() => [] as string[]);
  let kills = 0;
  const told = new Set<ChildStack>();
  const crashes: string[] = [];
  const slotAt = (index: number): Slot => {
    const slot = slots[index];
    if (!slot) throw new Error(`no slot ${index} (the fleet has ${slots.length})`);
    return slot;
  };
  const alive = (slot: Slot): slot is Slot & { stack: ChildStack } =>
    slot.stack !== undefined && slot.stack.child.exitCode === null && slot.stack.child.signalCode === null;
  const retire = (slot: Slot): void => {
    if (slot.stack) outputs[slot.index]!.push(slot.stack.output());
    slot.stack = undefined;
    slot.url = undefined;
  };

  return {
    slots,
    async start(index, args = ['run']) {
      const slot = slotAt(index);
      if (alive(slot)) throw new Error(`slot ${index} already runs a process`);
      retire(slot);
      const stack = spawnTactful([...args], {
        ...env,
        TACTFUL_SMTP_INBOUND_PORT: String(slot.inboundPort),
      });
      slot.stack = stack;
      void stack.exited.then(({ code, signal }) => {
        if (!told.has(stack))
          crashes.push(
            `slot ${index} exited (${code ?? signal}) on its own:\n${stack.output().slice(-3000)}`,
          );
      });
      await untilRunning(stack, 60_000);
      slot.url = opsUrl(stack.output());
      return slot;
    },
    async kill(index) {
      const slot = slotAt(index);
      if (!alive(slot)) throw new Error(`slot ${index} runs no process to kill`);
      told.add(slot.stack);
      slot.stack.child.kill('SIGKILL');
      await slot.stack.exited;
      kills += 1;
      retire(slot);
    },
    async stop(index) {
      const slot = slotAt(index);
      if (!alive(slot)) throw new Error(`slot ${index} runs no process to stop`);
      told.add(slot.stack);
      slot.stack.child.kill('SIGTERM');
      const { code } = await slot.stack.exited;
      retire(slot);
      return code;
    },
    live: () => slots.filter(alive),
    output: (index) => [...outputs[index]!, slotAt(index).stack?.output() ?? ''].join('\n'),
    kills: () => kills,
    crashes: () => crashes,
    async close() {
      for (const slot of slots.filter(alive)) {
        told.add(slot.stack);
        slot.stack.child.kill('SIGKILL');
        await slot.stack.exited;
        retire(slot);
      }
    },
  };
}
