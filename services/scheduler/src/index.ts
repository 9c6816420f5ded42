export * from './scheduler';
export * from './timer-service';
export * from './starter';
