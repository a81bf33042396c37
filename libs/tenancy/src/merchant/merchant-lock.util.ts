import type { EntityManager } from 'typeorm';
import { Merchant } from './merchant.entity';

/**
 * Reads a merchant row locked for the rest of the transaction (SELECT … FOR UPDATE on
 * MariaDB), so a check-then-insert on the merchant's behalf (was the notice sent?) cannot run
 * twice at once across instances. SQLite has no row locks; runTransaction already runs this
 * process's transactions one after another, and SQLite deployments are single-instance.
 */
export function lockMerchant(manager: EntityManager, merchantId: number): Promise<Merchant | null> {
  const query = manager
    .getRepository(Merchant)
    .createQueryBuilder('merchant')
    .where('merchant.id = :merchantId', { merchantId });
  if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
  return query.getOne();
}

/** The merchant's notification addresses, blanks dropped and duplicates folded. */
export function notificationAddresses(merchant: Pick<Merchant, 'notificationEmails'>): string[] {
  const addresses = merchant.notificationEmails.map((address) => address.trim());
  return [...new Set(addresses.filter((address) => address !== ''))];
}
