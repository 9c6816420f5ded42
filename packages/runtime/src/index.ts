export * from './service-config';
export * from './resources';
export * from './starter';
export * from './start-services';
export * from './run-service';
export * from './engine-context';
