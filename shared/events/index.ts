export * from './event';
export * from './hlc';
export * from './ids';
export * from './contentDigest';
