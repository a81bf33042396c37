import { BlockList, isIP } from 'node:net';

/**
 * CIDR allow-lists (DESIGN, security: one list for operator staff, one per merchant). A range is
 * `203.0.113.0/24`, `2001:db8::/32` or a single address. An empty list means no restriction.
 */

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) counts as `192.0.2.1`. */
export function normaliseIp(ip: string): string {
  const mapped = IPV4_MAPPED.exec(ip.trim());
  return mapped ? mapped[1] : ip.trim();
}

interface ParsedRange {
  address: string;
  prefix: number | null;
  family: 'ipv4' | 'ipv6';
}

function parseRange(range: string): ParsedRange | null {
  const [rawAddress, rawPrefix, extra] = range.trim().split('/');
  if (extra !== undefined || !rawAddress) return null;
  const address = normaliseIp(rawAddress);
  const version = isIP(address);
  if (version === 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (rawPrefix === undefined) return { address, prefix: null, family };
  if (!/^\d{1,3}$/.test(rawPrefix)) return null;
  const prefix = Number(rawPrefix);
  if (prefix > (version === 4 ? 32 : 128)) return null;
  return { address, prefix, family };
}

/** True when the text is a single address or a CIDR range (for validating settings forms). */
export function isValidIpRange(range: string): boolean {
  return parseRange(range) !== null;
}

const cache = new Map<string, BlockList>();
const CACHE_LIMIT = 500;

function blockListOf(ranges: readonly string[]): BlockList {
  const key = ranges.join(',');
  const cached = cache.get(key);
  if (cached) return cached;
  const list = new BlockList();
  for (const range of ranges) {
    // A malformed entry matches nothing: the list fails closed rather than open.
    const parsed = parseRange(range);
    if (!parsed) continue;
    if (parsed.prefix === null) list.addAddress(parsed.address, parsed.family);
    else list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, list);
  return list;
}

/**
 * Whether a client address may pass the list. An empty list allows everyone; an unknown or
 * unparsable client address passes only an empty list.
 */
export function isIpAllowed(ip: string | null | undefined, ranges: readonly string[]): boolean {
  if (ranges.length === 0) return true;
  if (!ip) return false;
  const address = normaliseIp(ip);
  const version = isIP(address);
  if (version === 0) return false;
  return blockListOf(ranges).check(address, version === 4 ? 'ipv4' : 'ipv6');
}
