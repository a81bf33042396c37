import { argon2id, hash, verify } from 'argon2';

/**
 * argon2id at 64 MiB, 3 passes, parallelism 1 — above OWASP's minimum (19 MiB, 2 passes, 1).
 * Parameters live in the PHC string, so raising them later still verifies old hashes.
 */
export const PASSWORD_HASH_OPTIONS = {
  type: argon2id,
  memoryCost: 65536,
  timeCost: 3,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
