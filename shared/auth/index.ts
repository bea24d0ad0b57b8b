export * from './identity';
export * from './lockout';
