export * from './design';
export * from './validateDocUpdate';
export * from './rules';
export * from './validateUserDoc';
export * from './reportViews';
export * from './cors';
export * from './deskViews';
export * from './validateCatalogDoc';
