import net from 'node:net';

/** Resolves true when host:port accepts a TCP connection within timeoutMs. */
export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function parseHostPort(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
}

export async function waitFor(
  check: () => Promise<boolean>,
  {
    timeoutMs,
    intervalMs = 250,
    isAlive,
  }: { timeoutMs: number; intervalMs?: number; isAlive?: () => boolean },
): Promise<'ready' | 'timeout' | 'died'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return 'ready';
    if (isAlive && !isAlive()) return 'died';
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return 'timeout';
}
