export * from './dayIndex';
export * from './fact';
export * from './officeReport';
export * from './period';
export * from './stats';
export * from './regional';
export * from './totals';
