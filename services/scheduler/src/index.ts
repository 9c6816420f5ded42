export * from './scheduler';
export * from './timer-service';
