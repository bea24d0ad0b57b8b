export * from './chain';
export * from './check';
export * from './digest';
