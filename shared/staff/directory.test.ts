import { describe, expect, it } from 'vitest';
import { isActiveExecutor, parseStaffDirectoryEntry, staffDirectoryId } from './directory';

const entry = {
  _id: staffDirectoryId('dana'),
  type: 'staff',
  v: 1,
  office: 'ALM01',
  login: 'dana',
  fullName: 'Омарова Дана',
  roles: ['executor'],
  active: true,
  updatedAt: '2026-12-02T05:00:00.000Z',
};

describe('staff directory entry', () => {
  it('accepts a well-formed entry and refuses password material or a mismatched id', () => {
    expect(parseStaffDirectoryEntry(entry)?.login).toBe('dana');
    expect(parseStaffDirectoryEntry({ ...entry, password_scheme: 'pbkdf2' })).toBeNull();
    expect(parseStaffDirectoryEntry({ ...entry, _id: 'staff:danaa' })).toBeNull();
    expect(parseStaffDirectoryEntry({ ...entry, roles: ['office_admin'] })).toBeNull();
  });

  it('names an active executor of the office only', () => {
    const e = parseStaffDirectoryEntry(entry)!;
    expect(isActiveExecutor(e, 'ALM01')).toBe(true);
    expect(isActiveExecutor(e, 'KZO01')).toBe(false);
    expect(isActiveExecutor({ ...e, active: false }, 'ALM01')).toBe(false);
    expect(isActiveExecutor({ ...e, roles: ['clerk'] }, 'ALM01')).toBe(false);
    expect(isActiveExecutor(undefined, 'ALM01')).toBe(false);
  });
});
