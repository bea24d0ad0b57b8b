export * from './event';
export * from './hlc';
export * from './ids';
