import { loginPathFor, safeNextPath } from './safe-next-path.util';

describe('safeNextPath', () => {
  it.each(['/', '/queues/3?status=open', '/tickets/ABC-123#reply', '/search?q=%2F%2Fx'])(
    'should keep the local path %s',
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it.each([
    '//evil.example/',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/\n/evil.example',
    'evil.example',
    '',
    undefined,
    ['/'],
    `/${'a'.repeat(2001)}`,
  ])('should refuse %j', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });
});

describe('loginPathFor', () => {
  it('should carry the path back in next, encoded', () => {
    expect(loginPathFor('/queues/3?status=open')).toBe('/login?next=%2Fqueues%2F3%3Fstatus%3Dopen');
    expect(loginPathFor('/')).toBe('/login');
  });
});
