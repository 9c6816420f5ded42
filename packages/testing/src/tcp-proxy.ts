import net from 'node:net';

/**
 * A TCP proxy between a client and a real server, for fault injection (no toxiproxy here): `cut()` drops
 * every connection and refuses new ones, `restore()` lets them through again, `delayMs` slows each chunk.
 */
export interface TcpProxy {
  address: string;
  port: number;
  cut(): void;
  restore(): void;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const at = target.lastIndexOf(':');
  const targetHost = target.slice(0, at);
  const targetPort = Number(target.slice(at + 1));
  const sockets = new Set<net.Socket>();
  let open = true;
  let delayMs = 0;

  const forward = (from: net.Socket, to: net.Socket): void => {
    from.on('data', (chunk) => {
      if (delayMs === 0) to.write(chunk);
      else setTimeout(() => to.writable && to.write(chunk), delayMs);
    });
  };

  const server = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: targetHost, port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    address: `127.0.0.1:${port}`,
    port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    close() {
      open = false;
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
