export * from './engine';
export * from './path';
