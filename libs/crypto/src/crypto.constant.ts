export const CRYPTO_KEYS = Symbol('CRYPTO_KEYS');
