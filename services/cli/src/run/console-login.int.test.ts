import net from 'node:net';
import os from 'node:os';
import { afterEach, describe, expect } from 'vitest';
import { eventually, test } from '@tactful/testing';
import type { Stack } from './stack';
import { shortJourneys, startTestStack, writePolicy } from './test-stack';

// Who can reach the console: with TACTFUL_CONSOLE_TOKEN, only whoever has it (the probes and /metrics stay
// open); without it, nobody from another machine, because the HTTP server listens on loopback only.

const TOKEN = 'console-token-for-the-login-test';

/** An IPv4 address of this machine that is not loopback: how another machine would reach it. */
function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
}

/** Whether a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the console’s door', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const start = async (
    servers: Parameters<typeof startTestStack>[0]['servers'],
    namespace: string,
    env: Record<string, string>,
  ) => {
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys(),
      policy: await writePolicy(),
      services: ['orchestrator', 'console'],
      env,
      host: null, // where the configuration says, as in production
    });
    return stack;
  };

  test('with a token: /api/* answers 401 and the page asks to log in; /metrics and the probes stay open', async ({
    servers,
    namespace,
  }) => {
    const { url, host } = await start(servers, namespace, { TACTFUL_CONSOLE_TOKEN: TOKEN });
    expect(host).toBe('0.0.0.0');
    for (const path of ['/api/info', '/api/lag', '/api/customer?id=ann'])
      expect((await fetch(`${url}${path}`)).status, path).toBe(401);
    const page = await fetch(`${url}/`, { redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/login']);
    expect(await (await fetch(`${url}/login`)).text()).toContain('name="token" type="password"');
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await eventually('/readyz 200', async () =>
      (await fetch(`${url}/readyz`)).status === 200 ? true : undefined,
    );
    const bearer = await fetch(`${url}/api/info`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    expect(await bearer.json()).toMatchObject({ namespace, login: true });
    // and reachable from another machine, which is what the token is for
    const external = externalAddress();
    expect(external, 'this test needs a non-loopback IPv4 interface').toBeDefined();
    expect(await connects(external!, stack!.port)).toBe(true);
  });

  test('without a token: bound to loopback only, unreachable on the machine’s other addresses', async ({
    servers,
    namespace,
  }) => {
    const { url, host, port } = await start(servers, namespace, {});
    expect(host).toBe('127.0.0.1');
    expect((await fetch(`${url}/api/info`)).status).toBe(200);
    const external = externalAddress();
    expect(external, 'this test needs a non-loopback IPv4 interface').toBeDefined();
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(await connects(external!, port)).toBe(false);
  });
});
