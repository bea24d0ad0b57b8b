export * from './data';
export * from './holidays';
export * from './hours';
export * from './time';
export * from './workingTime';
export * from './schema';
