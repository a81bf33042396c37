import { isIP } from 'node:net';

/**
 * What Fastify's `trustProxy` takes from TRUST_PROXY: `false` (the default: the socket address
 * is the client), a hop count (`1`: the address the nearest proxy appended to X-Forwarded-For),
 * a comma-separated list of proxy addresses or CIDR ranges (only their X-Forwarded-For entries
 * are believed), or `true` (the left-most entry, whoever sent it: only when every path to the
 * app goes through a proxy that overwrites the header).
 */
export type TrustProxySetting = boolean | number | string[];

const TRUE = ['true', 'on', 'yes'];
const FALSE = ['false', 'off', 'no', ''];

/** Parses TRUST_PROXY; a value that is none of the forms above is a problem, never `false`. */
export function parseTrustProxy(
  value: string | undefined,
): { value: TrustProxySetting } | { problem: string } {
  const raw = (value ?? '').trim();
  const lower = raw.toLowerCase();
  if (FALSE.includes(lower)) return { value: false };
  if (TRUE.includes(lower)) return { value: true };
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    // 0 hops trusts nobody: the same as false, said plainly.
    return hops === 0 ? { value: false } : { value: hops };
  }
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const bad = entries.filter((entry) => !isAddressOrCidr(entry));
  if (bad.length > 0) {
    return {
      problem: `TRUST_PROXY: "${bad.join(', ')}" is not a hop count, true/false, or an IP address or CIDR range`,
    };
  }
  return { value: entries };
}

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** True for addresses that only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const value = host.trim().toLowerCase();
  return (
    value === 'localhost' ||
    value === '::1' ||
    value === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value) ||
    value === '::ffff:127.0.0.1'
  );
}
