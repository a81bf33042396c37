import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import type { BusinessCalendar } from '@madoguchi/calendar';
import { type BlindIndex, type FieldCipher, hashSecretToken } from '@madoguchi/crypto';
import { generateTicketReference, SLA_TARGET_HOURS } from '@madoguchi/tickets';
import type { BenchMerchant } from './database';

/** The JSON body of inquiry n: every field filled, each inquiry different. */
export function inquiryBody(n: number): Record<string, unknown> {
  return {
    name: `ベンチ 太郎 ${n}`,
    email: `bench.${n}@example.jp`,
    phone: `090-${String(1000 + (n % 9000))}-${String(1000 + ((n * 7) % 9000))}`,
    orderNumber: `ORD-${200_000 + n}`,
    category: 'leak_check',
    message: `注文 ORD-${200_000 + n} の件です。登録しているメールアドレスとカード情報が流出の対象か教えてください。(${n})`,
    consent: true,
  };
}

/**
 * The bare mysql2 version of one inquiry: the same five rows as the intake (ticket, first
 * message, confirmation mail in the outbox, audit event, idempotency record) in one transaction,
 * with the same AES-GCM fields, blind indexes and hashes. No HTTP, no framework, no validation,
 * no lookups (the app also reads the site, the default queue and checks the reference).
 */
export function intakeTransaction(
  pool: Pool,
  cipher: FieldCipher,
  blindIndex: BlindIndex,
  calendar: BusinessCalendar,
  merchants: BenchMerchant[],
): (n: number) => Promise<void> {
  return async (n) => {
    const body = inquiryBody(n) as Record<string, string>;
    const merchant = merchants[n % merchants.length];
    const now = new Date();
    const token = randomBytes(32).toString('base64url');
    const reference = generateTicketReference();
    const firstDue = calendar.addBusinessHours(now, SLA_TARGET_HOURS.firstResponse);
    const statusUrl = `http://127.0.0.1/status/${token}`;
    const mail = {
      to: body.email,
      fromName: 'ベンチ商店 お問い合わせ窓口',
      subject: `【ベンチ商店】お問い合わせを受け付けました（受付番号 ${reference}）`,
      text: `${body.name} 様\n\nお問い合わせを受け付けました。受付番号: ${reference}\n状況の確認: ${statusUrl}\n`.repeat(
        4,
      ),
    };
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      const [ticket] = await connection.query(
        `INSERT INTO tickets (reference, merchant_id, site_id, queue_id, channel, category, status,
           priority, assignee_id, requester_name, requester_email, requester_email_index,
           requester_phone, requester_phone_index, order_number, order_number_index,
           status_token_hash, first_response_due_at, sla_due_at, resolution_due_at, created_at,
           updated_at, version)
         VALUES (?, ?, ?, ?, 'web', ?, 'new', 'normal', NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        [
          reference,
          merchant.id,
          merchant.siteId,
          merchant.queueId,
          body.category,
          cipher.encrypt(body.name),
          cipher.encrypt(body.email),
          blindIndex.email(body.email),
          cipher.encrypt(body.phone),
          blindIndex.phone(body.phone),
          cipher.encrypt(body.orderNumber),
          blindIndex.orderNumber(body.orderNumber),
          hashSecretToken(token),
          firstDue,
          firstDue,
          calendar.addBusinessHours(now, SLA_TARGET_HOURS.resolution),
          now,
          now,
        ],
      );
      const ticketId = (ticket as { insertId: number }).insertId;
      await connection.query(
        `INSERT INTO messages (ticket_id, kind, author_user_id, body, delivery_state, created_at)
         VALUES (?, 'customer', NULL, ?, NULL, ?)`,
        [ticketId, cipher.encrypt(body.message), now],
      );
      await connection.query(
        `INSERT INTO outbox_jobs (type, payload, status, attempts, next_attempt_at, created_at)
         VALUES ('mail', ?, 'pending', 0, ?, ?)`,
        [cipher.encrypt(JSON.stringify(mail)), now, now],
      );
      await connection.query(
        `INSERT INTO audit_events (actor_type, actor_id, action, merchant_id, target_type,
           target_id, ip, detail, created_at)
         VALUES ('end_user', NULL, 'ticket.created', ?, 'ticket', ?, '127.0.0.1', ?, ?)`,
        [
          merchant.id,
          reference,
          JSON.stringify({ channel: 'web', site: merchant.siteSlug, category: body.category }),
          now,
        ],
      );
      await connection.query(
        `INSERT INTO idempotency_keys (site_id, key_hash, request_digest, ticket_id, response,
           created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          merchant.siteId,
          hashSecretToken(`baseline-${n}-${token}`),
          blindIndex.requestDigest(body),
          ticketId,
          cipher.encrypt(JSON.stringify({ reference, statusUrl })),
          now,
        ],
      );
      await connection.commit();
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  };
}

/** A statement as the app's ORM sent it: SQL with `?` placeholders and its parameters. */
export interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

/** The same statements, one after another, on a bare mysql2 pool. */
export function replayQueries(pool: Pool, queries: readonly CapturedQuery[]): () => Promise<void> {
  return async () => {
    for (const query of queries) await pool.query(query.sql, query.parameters);
  };
}
