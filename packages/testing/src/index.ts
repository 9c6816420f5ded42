export * from './fixtures';
export * from './poll';
export * from './servers';
export * from './tcp-proxy';
export * from './redis-cluster';
export * from './json-arbitraries';
export * from './own-servers';
export * from './tactful-command';
