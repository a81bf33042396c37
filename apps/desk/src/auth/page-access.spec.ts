import { mayOpenPage, publishPageAccess } from './page-access';
import type { RouteRule } from './pre-body-gate.hook';

const rule = (overrides: Partial<RouteRule>): RouteRule => ({
  isPublic: false,
  roles: [],
  permissions: [],
  multipart: null,
  ...overrides,
});

describe('mayOpenPage', () => {
  beforeAll(() => {
    publishPageAccess(
      new Map([
        ['GET /admin/users', rule({ permissions: ['admin.manage'] })],
        ['POST /admin/users', rule({})],
        [
          'GET /portal/settings',
          rule({ roles: ['merchant_admin'], permissions: ['merchant.settings'] }),
        ],
        ['GET /login', rule({ isPublic: true })],
      ]),
    );
  });

  it("should answer as the page's guard does: roles and every permission", () => {
    expect(mayOpenPage('admin', '/admin/users')).toBe(true);
    expect(mayOpenPage('supervisor', '/admin/users')).toBe(false);
    expect(mayOpenPage('merchant_admin', '/portal/settings')).toBe(true);
    // admin has merchant.settings, but the page is for merchant_admin only.
    expect(mayOpenPage('admin', '/portal/settings')).toBe(false);
    expect(mayOpenPage('merchant_viewer', '/login')).toBe(true);
  });

  it('should read the path of a link with a query or a fragment', () => {
    expect(mayOpenPage('admin', '/admin/users?done=invited#top')).toBe(true);
  });

  it('should throw for a link to no GET route rather than guess', () => {
    expect(() => mayOpenPage('admin', '/admin/nowhere')).toThrow('no GET route for /admin/nowhere');
  });
});
