export * from './client';
export * from './topics';
