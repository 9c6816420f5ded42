import fs from 'node:fs';
import http from 'node:http';

/**
 * True when a Docker engine answers its ping. The `docker` client alone is not enough: machines without
 * an engine often have the client installed.
 */
export function dockerEngineAnswers(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1000,
): Promise<boolean> {
  const host = env.DOCKER_HOST;
  let options: http.RequestOptions;
  if (host?.startsWith('tcp://')) {
    const url = new URL(host.replace('tcp://', 'http://'));
    options = { host: url.hostname, port: url.port, path: '/_ping' };
  } else {
    const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
    if (!fs.existsSync(socketPath)) return Promise.resolve(false);
    options = { socketPath, path: '/_ping' };
  }
  return new Promise((resolve) => {
    const req = http.get({ ...options, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
