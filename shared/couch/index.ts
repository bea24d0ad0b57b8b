export * from './design';
export * from './validateDocUpdate';
