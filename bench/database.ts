import { randomBytes } from 'node:crypto';
import { createConnection, createPool, type Pool } from 'mysql2/promise';
import { type AppConfig } from '@madoguchi/config';
import { createTotpSecret, hashPassword, User } from '@madoguchi/auth';
import { BlindIndex, FieldCipher, hashSecretToken } from '@madoguchi/crypto';
import { openDataSource } from '@madoguchi/schema';
import { runPendingMigrations } from '@madoguchi/database';
import { Merchant, Site, Queue } from '@madoguchi/tenancy';
import {
  generateTicketReference,
  QueueMember,
  TICKET_PRIORITY_RANK,
  type TicketPriority,
} from '@madoguchi/tickets';

/** The tenant the bench works on: merchants with one site and one default queue each, one agent. */
export interface BenchMerchant {
  id: number;
  siteId: number;
  siteSlug: string;
  queueId: number;
  phoneCode: string;
}

export interface BenchAgent {
  id: number;
  email: string;
  password: string;
  totpSecret: string;
}

export async function recreateDatabase(serverUrl: string, database: string): Promise<void> {
  const connection = await createConnection({ uri: serverUrl, connectTimeout: 5000 });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const connection = await createConnection({ uri: serverUrl, connectTimeout: 5000 });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

export async function databaseExists(serverUrl: string, database: string): Promise<boolean> {
  const connection = await createConnection({ uri: serverUrl, connectTimeout: 5000 });
  try {
    const [rows] = await connection.query('SHOW DATABASES LIKE ?', [database]);
    return (rows as unknown[]).length > 0;
  } finally {
    await connection.end();
  }
}

/** A pool like the apps' (UTC datetimes, utf8mb4), for the baselines and the seeder. */
export function benchPool(databaseUrl: string, connectionLimit: number): Pool {
  return createPool({
    uri: databaseUrl,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    connectionLimit,
    multipleStatements: false,
  });
}

/** Migrations, then the merchants, sites, queues and the agent (through the app's entities). */
export async function setUpTenant(
  config: AppConfig,
  merchantCount: number,
): Promise<BenchMerchant[]> {
  const dataSource = await openDataSource(config);
  try {
    await runPendingMigrations(dataSource);
    const manager = dataSource.manager;
    const now = new Date();
    const merchants: BenchMerchant[] = [];
    for (let i = 1; i <= merchantCount; i++) {
      const code = `bench-${String(i).padStart(3, '0')}`;
      const merchant = await manager.save(
        manager.create(Merchant, {
          code,
          name: `ベンチ商店${i}`,
          supportEndsAt: null,
          notificationEmails: [`support@${code}.madoguchi.test`],
          allowedIpRanges: [],
          retentionDays: 365,
          createdAt: now,
          updatedAt: now,
        }),
      );
      const phoneCode = String(100 + i);
      const site = await manager.save(
        manager.create(Site, {
          merchantId: merchant.id,
          slug: `${code}-shop`,
          displayName: `ベンチ商店${i} オンラインショップ`,
          logoUrl: null,
          brandColor: '#336699',
          contactUrl: `https://${code}.example.jp/contact`,
          contactText: `ベンチ商店${i} お客様相談室`,
          senderName: `ベンチ商店${i} お問い合わせ窓口`,
          intakeOpen: true,
          phoneCode,
          createdAt: now,
          updatedAt: now,
        }),
      );
      const queue = await manager.save(
        manager.create(Queue, {
          merchantId: merchant.id,
          name: `ベンチ商店${i} 受付`,
          isDefault: true,
          createdAt: now,
        }),
      );
      merchants.push({
        id: merchant.id,
        siteId: site.id,
        siteSlug: site.slug,
        queueId: queue.id,
        phoneCode,
      });
    }
    return merchants;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The agent who reads the queues: member of every queue, with a password (argon2, as the app
 * hashes it) and a TOTP second factor, since production requires one for staff.
 */
export async function createAgent(
  config: AppConfig,
  cipher: FieldCipher,
  merchants: readonly BenchMerchant[],
): Promise<BenchAgent> {
  // A new agent each run (a kept database may hold earlier ones): only its own session is used.
  const email = `bench-agent-${randomBytes(4).toString('hex')}@madoguchi.test`;
  const password = randomBytes(12).toString('base64url');
  const totpSecret = createTotpSecret();
  const dataSource = await openDataSource(config);
  try {
    const now = new Date();
    const user = await dataSource.manager.save(
      dataSource.manager.create(User, {
        email,
        displayName: 'ベンチ担当',
        role: 'agent',
        merchantId: null,
        passwordHash: await hashPassword(password),
        totpSecret: cipher.encrypt(totpSecret),
        totpLastStep: null,
        failedLoginCount: 0,
        lockedUntil: null,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await dataSource.manager.insert(
      QueueMember,
      merchants.map((merchant) => ({
        queueId: merchant.queueId,
        userId: user.id,
        createdAt: now,
      })),
    );
    return { id: user.id, email, password, totpSecret };
  } finally {
    await dataSource.destroy();
  }
}

/** Applies pending migrations to a kept database (for --reuse). */
export async function migrate(config: AppConfig): Promise<string[]> {
  const dataSource = await openDataSource(config);
  try {
    return await runPendingMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Reads back what a kept database holds (for --reuse). */
export async function readTenant(pool: Pool): Promise<BenchMerchant[]> {
  const [rows] = await pool.query(
    `SELECT m.id, s.id AS siteId, s.slug AS siteSlug, q.id AS queueId, s.phone_code AS phoneCode
       FROM merchants m JOIN sites s ON s.merchant_id = m.id JOIN queues q ON q.merchant_id = m.id
      WHERE m.code LIKE 'bench-%' ORDER BY m.id`,
  );
  return rows as BenchMerchant[];
}

export async function countTickets(pool: Pool): Promise<number> {
  const [rows] = await pool.query('SELECT COUNT(*) AS n FROM tickets');
  return Number((rows as Array<{ n: number | string }>)[0].n);
}

/** Share of seeded tickets per status: about a third still active, as in a busy desk. */
export const SEED_STATUS_MIX: ReadonlyArray<[string, number]> = [
  ['new', 0.2],
  ['open', 0.08],
  ['pending_customer', 0.04],
  ['pending_merchant', 0.02],
  ['resolved', 0.26],
  ['closed', 0.38],
  ['handed_back', 0.02],
];
const ACTIVE = new Set(['new', 'open', 'pending_customer', 'pending_merchant']);
const CATEGORIES = [
  'leak_check',
  'suspicious_contact',
  'password',
  'payment',
  'data_request',
  'other',
];
const TICKET_COLUMNS = [
  'reference',
  'merchant_id',
  'site_id',
  'queue_id',
  'channel',
  'category',
  'status',
  'priority',
  'priority_rank',
  'assignee_id',
  'requester_name',
  'requester_email',
  'requester_email_index',
  'requester_phone',
  'requester_phone_index',
  'order_number',
  'order_number_index',
  'status_token_hash',
  'first_response_due_at',
  'first_responded_at',
  'resolution_due_at',
  'resolved_at',
  'closed_at',
  'erased_at',
  'created_at',
  'updated_at',
  'version',
  'sla_due_at',
];
/** Distinct requesters: each is encrypted once and its ciphertexts reused (encryption is not what is measured here). */
const PERSONAS = 2000;
const BATCH_ROWS = 2000;
const DAY_MS = 86_400_000;

/** Share of seeded tickets per priority (issue 15): the queue's first page orders by it first. */
export const SEED_PRIORITY_MIX: ReadonlyArray<[TicketPriority, number]> = [
  ['urgent', 0.03],
  ['high', 0.12],
  ['normal', 0.8],
  ['low', 0.05],
];

export function pickPriority(random: number): TicketPriority {
  let sum = 0;
  for (const [priority, share] of SEED_PRIORITY_MIX) {
    sum += share;
    if (random < sum) return priority;
  }
  return 'normal';
}

export function pickStatus(random: number): string {
  let sum = 0;
  for (const [status, share] of SEED_STATUS_MIX) {
    sum += share;
    if (random < sum) return status;
  }
  return SEED_STATUS_MIX[SEED_STATUS_MIX.length - 1][0];
}

export interface SeedProgress {
  (inserted: number, total: number): void;
}

/**
 * Inserts `total` tickets spread evenly over the merchants with multi-row INSERTs on two
 * connections. Every constraint and index of the schema stays on; references and status token
 * hashes are unique as the app makes them; personal data is real AES-GCM ciphertext with real
 * blind indexes (of PERSONAS distinct requesters).
 */
export async function seedTickets(
  pool: Pool,
  cipher: FieldCipher,
  blindIndex: BlindIndex,
  merchants: readonly BenchMerchant[],
  agentId: number | null,
  total: number,
  progress: SeedProgress = () => undefined,
): Promise<void> {
  const personas = Array.from({ length: PERSONAS }, (_, i) => {
    const email = `shopper${i}@example.jp`;
    const phone = `090${String(10_000_000 + i * 37).slice(-8)}`;
    const order = `ORD-${100_000 + i}`;
    return {
      name: cipher.encrypt(`購入者 ${i}`),
      email: cipher.encrypt(email),
      emailIndex: blindIndex.email(email),
      phone: cipher.encrypt(phone),
      phoneIndex: blindIndex.phone(phone),
      order: cipher.encrypt(order),
      orderIndex: blindIndex.orderNumber(order),
    };
  });
  const references = new Set<string>();
  const now = Date.now();
  let next = 0;
  let inserted = 0;
  const makeRow = (n: number): unknown[] => {
    const merchant = merchants[n % merchants.length];
    const persona = personas[n % PERSONAS];
    let reference = generateTicketReference();
    while (references.has(reference)) reference = generateTicketReference();
    references.add(reference);
    const status = pickStatus(Math.random());
    const active = ACTIVE.has(status);
    const createdAt = new Date(now - Math.random() * 60 * DAY_MS);
    const firstDue = new Date(createdAt.getTime() + DAY_MS);
    const resolutionDue = new Date(createdAt.getTime() + 5 * DAY_MS);
    const finishedAt = active ? null : new Date(createdAt.getTime() + Math.random() * 4 * DAY_MS);
    // Active tickets carry their SLA deadline (some already breached), finished ones none.
    const slaDueAt = active ? new Date(now + (Math.random() * 8 - 2) * DAY_MS) : null;
    const web = n % 5 !== 0;
    const priority = pickPriority(Math.random());
    return [
      reference,
      merchant.id,
      merchant.siteId,
      merchant.queueId,
      web ? 'web' : 'phone',
      CATEGORIES[n % CATEGORIES.length],
      status,
      priority,
      TICKET_PRIORITY_RANK[priority],
      active && n % 3 === 0 ? agentId : null,
      persona.name,
      persona.email,
      persona.emailIndex,
      persona.phone,
      persona.phoneIndex,
      web ? persona.order : null,
      web ? persona.orderIndex : null,
      web ? hashSecretToken(randomBytes(32).toString('base64url')) : null,
      firstDue,
      status === 'new' ? null : new Date(createdAt.getTime() + 3_600_000),
      resolutionDue,
      status === 'resolved' || status === 'closed' ? finishedAt : null,
      status === 'closed' ? finishedAt : null,
      null,
      createdAt,
      finishedAt ?? createdAt,
      1,
      slaDueAt,
    ];
  };
  const sql = `INSERT INTO tickets (${TICKET_COLUMNS.join(', ')}) VALUES ?`;
  const worker = async () => {
    while (next < total) {
      const start = next;
      const end = Math.min(total, start + BATCH_ROWS);
      next = end;
      const rows: unknown[][] = [];
      for (let n = start; n < end; n++) rows.push(makeRow(n));
      await pool.query(sql, [rows]);
      inserted += rows.length;
      progress(inserted, total);
    }
  };
  await Promise.all([worker(), worker()]);
}
