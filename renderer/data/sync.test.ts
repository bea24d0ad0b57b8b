import { describe, expect, it } from 'vitest';
import { classifySyncError } from './sync';

describe('classifySyncError', () => {
  it('turns server and network failures into translatable codes', () => {
    expect(classifySyncError({ status: 401 })).toBe('sync.unauthorized');
    expect(classifySyncError({ status: 403 })).toBe('sync.forbidden');
    expect(classifySyncError({ name: 'QuotaExceededError' })).toBe('sync.storageFull');
    expect(classifySyncError({ status: 500 })).toBe('sync.unreachable');
    expect(classifySyncError(new TypeError('Failed to fetch'))).toBe('sync.unreachable');
    expect(classifySyncError({ status: 0 })).toBe('sync.unreachable');
    expect(classifySyncError({ status: 409 })).toBe('sync.failed');
    expect(classifySyncError(undefined)).toBe('sync.unreachable');
  });
});
