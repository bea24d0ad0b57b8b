export * from './engine';
export * from './progress';
