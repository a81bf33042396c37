import { isIpAllowed, isValidIpRange, normaliseIp } from './ip-allow-list.util';

describe('isIpAllowed', () => {
  it('should allow everyone when the list is empty', () => {
    expect(isIpAllowed('198.51.100.7', [])).toBe(true);
    expect(isIpAllowed(null, [])).toBe(true);
  });

  it('should match IPv4 CIDR ranges at their edges', () => {
    const ranges = ['203.0.113.0/24'];
    expect(isIpAllowed('203.0.113.0', ranges)).toBe(true);
    expect(isIpAllowed('203.0.113.255', ranges)).toBe(true);
    expect(isIpAllowed('203.0.114.0', ranges)).toBe(false);
    expect(isIpAllowed('203.0.112.255', ranges)).toBe(false);
  });

  it('should match single addresses and /32', () => {
    expect(isIpAllowed('192.0.2.10', ['192.0.2.10'])).toBe(true);
    expect(isIpAllowed('192.0.2.11', ['192.0.2.10'])).toBe(false);
    expect(isIpAllowed('192.0.2.10', ['192.0.2.10/32'])).toBe(true);
  });

  it('should match IPv6 ranges, including compressed forms', () => {
    const ranges = ['2001:db8:abcd::/48'];
    expect(isIpAllowed('2001:db8:abcd:12::1', ranges)).toBe(true);
    expect(isIpAllowed('2001:0db8:abcd:0000:0000:0000:0000:0001', ranges)).toBe(true);
    expect(isIpAllowed('2001:db8:abce::1', ranges)).toBe(false);
    expect(isIpAllowed('::1', ['::1'])).toBe(true);
  });

  it('should treat an IPv4-mapped IPv6 client as its IPv4 address', () => {
    expect(normaliseIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(isIpAllowed('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(isIpAllowed('::ffff:11.1.2.3', ['10.0.0.0/8'])).toBe(false);
  });

  it('should not let an IPv4 client through an IPv6-only list or the reverse', () => {
    expect(isIpAllowed('10.0.0.1', ['2001:db8::/32'])).toBe(false);
    expect(isIpAllowed('2001:db8::1', ['10.0.0.0/8'])).toBe(false);
  });

  it('should accept a client in any of several ranges', () => {
    const ranges = ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'];
    expect(isIpAllowed('10.200.0.1', ranges)).toBe(true);
    expect(isIpAllowed('2001:db8::5', ranges)).toBe(true);
    expect(isIpAllowed('192.0.2.1', ranges)).toBe(true);
    expect(isIpAllowed('192.0.2.2', ranges)).toBe(false);
  });

  it('should fail closed on malformed entries and unknown clients', () => {
    expect(isIpAllowed('10.0.0.1', ['10.0.0.0/33', 'not-an-ip', '10.0.0.0/8/1'])).toBe(false);
    expect(isIpAllowed(undefined, ['10.0.0.0/8'])).toBe(false);
    expect(isIpAllowed('garbage', ['10.0.0.0/8'])).toBe(false);
    expect(isIpAllowed('10.0.0.1', ['10.0.0.0/8', 'junk'])).toBe(true);
  });
});

describe('isValidIpRange', () => {
  it.each(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32', '::1', '0.0.0.0/0', '::/0'])(
    'should accept %s',
    (range) => {
      expect(isValidIpRange(range)).toBe(true);
    },
  );

  it.each([
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0/8',
    'abc',
    '',
    '10.0.0.0/',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
  ])('should reject %j', (range) => {
    expect(isValidIpRange(range)).toBe(false);
  });
});
