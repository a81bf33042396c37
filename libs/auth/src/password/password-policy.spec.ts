import { isCommonPassword, newPasswordErrors } from './password-policy';

const ok = (password: string, identity = {}) =>
  newPasswordErrors({ password, confirmation: password }, identity);

describe('the password rule', () => {
  it.each([
    'password1234',
    'Password1234!',
    'qwertyuiop12',
    '123456789012',
    '!!iloveyou2024',
    'abcabcabcabc',
    'aaaaaaaaaaaa',
  ])('should refuse the common or breached-list password %s', (password) => {
    expect(isCommonPassword(password)).toBe(true);
    expect(ok(password)).toEqual([
      { field: 'password', message: expect.stringContaining('よく使われて') },
    ]);
  });

  it('should accept a long unusual passphrase', () => {
    expect(ok('correct horse battery staple')).toEqual([]);
    expect(ok('窓口の青い傘と七つの鍵束')).toEqual([]);
  });

  it('should refuse a password containing the email, its name part or the display name', () => {
    const identity = { email: 'hanako.sato@merchant.example', displayName: 'Sato Hanako' };

    expect(ok('hanako.sato@merchant.example', identity)).toHaveLength(1);
    expect(ok('my-sato-is-a-good-name', identity)).toHaveLength(1);
    expect(ok('xX-Hanako-2031-Xx', identity)).toHaveLength(1);
    expect(ok('quiet lantern over river', identity)).toEqual([]);
  });

  it('should refuse short, overlong and unconfirmed passwords', () => {
    expect(ok('short')).toHaveLength(1);
    expect(ok('x'.repeat(257))).toHaveLength(1);
    expect(
      newPasswordErrors({ password: 'quiet lantern over river', confirmation: 'other' }),
    ).toEqual([{ field: 'confirmation', message: '確認用のパスワードが一致しません。' }]);
  });
});
