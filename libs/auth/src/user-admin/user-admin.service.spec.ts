import { passwordErrors, userStateOf } from './user-admin.service';

describe('userStateOf', () => {
  const now = new Date('2026-04-01T00:00:00Z');
  const base = { disabledAt: null, inviteTokenHash: null, lockedUntil: null };

  it('should call a disabled user disabled whatever else holds', () => {
    expect(userStateOf({ ...base, disabledAt: now, inviteTokenHash: 'x' }, now)).toBe('disabled');
  });

  it('should call a user with a pending invitation invited', () => {
    expect(userStateOf({ ...base, inviteTokenHash: 'x' }, now)).toBe('invited');
  });

  it('should call a user locked only while the lockout lasts', () => {
    expect(userStateOf({ ...base, lockedUntil: new Date(now.getTime() + 1) }, now)).toBe('locked');
    expect(userStateOf({ ...base, lockedUntil: now }, now)).toBe('active');
  });
});

describe('passwordErrors', () => {
  it('should refuse fewer than 12 characters and a differing confirmation', () => {
    expect(
      passwordErrors({ password: 'elevenchars', confirmation: 'x' }).map((e) => e.field),
    ).toEqual(['password', 'confirmation']);
  });

  it('should count characters, not UTF-16 units, and accept 12', () => {
    const twelve = 'パスワードは十二文字です';
    expect([...twelve]).toHaveLength(12);
    expect(passwordErrors({ password: twelve, confirmation: twelve })).toEqual([]);
    expect(
      passwordErrors({ password: '🔑'.repeat(11), confirmation: '🔑'.repeat(11) }),
    ).toHaveLength(1);
  });
});
