// How the step bench times its rounds: wall clock, CPU time of the process and GC time, per event, as
// the median of several rounds after a warm-up.
import { GCProfiler } from 'node:v8';

export interface Rate {
  /** Events over wall-clock time: what other work on the machine takes away shows here. */
  eventsPerSecond: number;
  microsPerEvent: number;
  /** CPU time of the process per event (GC helper threads included): the cost on one core. */
  cpuMicrosPerEvent: number;
  /** 1 s of CPU over `cpuMicrosPerEvent`: the rate one core sustains, whatever else the machine runs. */
  cpuEventsPerSecond: number;
  /** Garbage collection during the round, per event (v8's GCProfiler). */
  gcMicrosPerEvent: number;
}

/** Runs `body` (which handles `count` events) once: wall time, CPU time of the process, and GC time. */
function timeRound(count: number, body: () => void): Rate {
  const gc = new GCProfiler();
  gc.start();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const gcMicros = gc.stop().statistics.reduce((sum, entry) => sum + entry.cost, 0);
  return {
    eventsPerSecond: Math.round(count / seconds),
    microsPerEvent: round((seconds * 1e6) / count),
    cpuMicrosPerEvent: round((used.user + used.system) / count),
    cpuEventsPerSecond: Math.round((count * 1e6) / (used.user + used.system)),
    gcMicrosPerEvent: round(gcMicros / count),
  };
}

/** The median round of `rounds`, after one warm-up round. */
export async function median(rounds: number, count: number, body: () => void): Promise<Rate> {
  timeRound(count, body); // warm-up: JIT and caches
  const rates: Rate[] = [];
  for (let r = 0; r < rounds; r++) {
    rates.push(timeRound(count, body));
    // Lets other work on the machine (and the bench's own timers) run between rounds.
    await new Promise((resolve) => setImmediate(resolve));
  }
  rates.sort((a, b) => a.microsPerEvent - b.microsPerEvent);
  return rates[Math.floor(rates.length / 2)] as Rate;
}

const round = (x: number): number => Math.round(x * 100) / 100;
