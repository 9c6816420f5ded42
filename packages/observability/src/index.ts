export * from './logger';
export * from './config';
export * from './http-binding';
export * from './metrics';
export * from './readiness';
export * from './ops-server';
export * from './run-until-signal';
