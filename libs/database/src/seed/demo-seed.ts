import type { DataSource, EntityManager } from 'typeorm';
import { hashPassword, User, type UserRole } from '@madoguchi/auth';
import { Merchant, Site } from '@madoguchi/tenancy';
import { Queue, QueueMember } from '@madoguchi/tickets';

export interface DemoAccount {
  email: string;
  role: UserRole;
  merchant: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'admin@madoguchi.test', role: 'admin', merchant: null },
  { email: 'agent@madoguchi.test', role: 'agent', merchant: null },
  { email: 'viewer@demo-a.madoguchi.test', role: 'merchant_viewer', merchant: 'demo-a' },
  { email: 'viewer@demo-b.madoguchi.test', role: 'merchant_viewer', merchant: 'demo-b' },
];

export const DEMO_SITES = [
  {
    merchant: 'demo-a',
    slug: 'demo-a-shop',
    displayName: 'デモA オンラインショップ',
    brandColor: '#b0362a',
    phoneCode: '101',
  },
  {
    merchant: 'demo-a',
    slug: 'demo-a-outlet',
    displayName: 'デモA アウトレット',
    brandColor: '#6c3483',
    phoneCode: '102',
  },
  {
    merchant: 'demo-b',
    slug: 'demo-b-shop',
    displayName: 'デモB ストア',
    brandColor: '#117a65',
    phoneCode: '201',
  },
] as const;

const DEMO_MERCHANTS = [
  { code: 'demo-a', name: '株式会社デモA商店' },
  { code: 'demo-b', name: 'デモB株式会社' },
] as const;

/**
 * The design's demo data, only into an empty database and never in production (the caller
 * checks the environment). Returns false when the database already had merchants.
 */
export async function seedDemoData(dataSource: DataSource, demoPassword: string): Promise<boolean> {
  const passwordHash = await hashPassword(demoPassword);
  return dataSource.transaction(async (manager) => {
    if ((await manager.count(Merchant)) > 0) return false;
    const now = new Date();
    const merchants = new Map<string, Merchant>();
    for (const { code, name } of DEMO_MERCHANTS) {
      merchants.set(
        code,
        await manager.save(
          manager.create(Merchant, {
            code,
            name,
            supportEndsAt: null,
            notificationEmails: [`support@${code}.madoguchi.test`],
            allowedIpRanges: [],
            retentionDays: 365,
            createdAt: now,
            updatedAt: now,
          }),
        ),
      );
    }
    for (const site of DEMO_SITES) {
      const merchant = merchants.get(site.merchant) as Merchant;
      await manager.insert(Site, {
        merchantId: merchant.id,
        slug: site.slug,
        displayName: site.displayName,
        logoUrl: null,
        brandColor: site.brandColor,
        contactUrl: `https://${site.merchant}.example.jp/contact`,
        contactText: `${merchant.name} お客様相談室 0120-000-000（平日 9:00〜17:00）`,
        senderName: `${site.displayName} お問い合わせ窓口`,
        intakeOpen: true,
        phoneCode: site.phoneCode,
        createdAt: now,
        updatedAt: now,
      });
    }
    const queues = await createDefaultQueues(manager, [...merchants.values()], now);
    for (const account of DEMO_ACCOUNTS) {
      const user = await manager.save(
        manager.create(User, {
          email: account.email,
          displayName: account.email.split('@')[0],
          role: account.role,
          merchantId: account.merchant ? (merchants.get(account.merchant) as Merchant).id : null,
          passwordHash,
          totpSecret: null,
          totpLastStep: null,
          failedLoginCount: 0,
          lockedUntil: null,
          disabledAt: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      if (account.role === 'agent') {
        for (const queue of queues) await manager.insert(QueueMember, { queueId: queue.id, userId: user.id, createdAt: now });
      }
    }
    return true;
  });
}

async function createDefaultQueues(manager: EntityManager, merchants: Merchant[], now: Date): Promise<Queue[]> {
  const queues: Queue[] = [];
  for (const merchant of merchants) {
    queues.push(
      await manager.save(
        manager.create(Queue, { merchantId: merchant.id, name: `${merchant.name} 受付`, isDefault: true, createdAt: now }),
      ),
    );
  }
  return queues;
}
