export * from './directory';
export * from './service';
