import type { DataSource, EntityManager } from 'typeorm';
import { hashPassword, User, type UserRole } from '@madoguchi/auth';
import { Merchant, Site } from '@madoguchi/tenancy';
import { CannedResponse, Queue, QueueMember } from '@madoguchi/tickets';
import { CalendarClosure } from '@madoguchi/calendar';

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

/** The year-end break the holiday package does not know: the window is closed 12/29–1/3. */
export const DEMO_YEAR_END_CLOSURES = [
  '2026-12-29',
  '2026-12-30',
  '2026-12-31',
  '2027-01-01',
  '2027-01-02',
  '2027-01-03',
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
    await createCannedResponses(manager, merchants, now);
    await manager.insert(
      CalendarClosure,
      DEMO_YEAR_END_CLOSURES.map((date) => ({
        date,
        reason: '年末年始休業',
        createdByUserId: null,
        createdAt: now,
      })),
    );
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
        for (const queue of queues)
          await manager.insert(QueueMember, { queueId: queue.id, userId: user.id, createdAt: now });
      }
    }
    return true;
  });
}

async function createDefaultQueues(
  manager: EntityManager,
  merchants: Merchant[],
  now: Date,
): Promise<Queue[]> {
  const queues: Queue[] = [];
  for (const merchant of merchants) {
    queues.push(
      await manager.save(
        manager.create(Queue, {
          merchantId: merchant.id,
          name: `${merchant.name} 受付`,
          isDefault: true,
          createdAt: now,
        }),
      ),
    );
  }
  return queues;
}

/** Replies agents start from; placeholders are filled per ticket (docs/tickets.md). */
const GLOBAL_CANNED_RESPONSES = [
  {
    title: '受付のご連絡（一次回答）',
    body: [
      '{{name}} 様',
      '',
      '{{site}} のお問い合わせ窓口です。このたびはご心配とご迷惑をおかけし、誠に申し訳ございません。',
      'お問い合わせ（受付番号 {{reference}}）を確かに承りました。',
      '内容を確認のうえ、担当者より改めてご連絡いたします。今しばらくお待ちください。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
  {
    title: '調査中です',
    body: [
      '{{name}} 様',
      '',
      'お問い合わせ（受付番号 {{reference}}）について、現在調査を進めております。',
      '結果が分かり次第ご連絡いたします。ご不便をおかけし申し訳ございません。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
  {
    title: '解決のご連絡',
    body: [
      '{{name}} 様',
      '',
      'お問い合わせ（受付番号 {{reference}}）について、ご案内は以上となります。',
      'ご不明な点がございましたら、ステータスページからお気軽にご返信ください。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
] as const;

const MERCHANT_CANNED_RESPONSES: Readonly<Record<string, { title: string; body: string }>> = {
  'demo-a': {
    title: 'デモA：パスワード再設定のご案内',
    body: [
      '{{name}} 様',
      '',
      '{{site}} では、念のため全会員様にパスワードの再設定をお願いしております。',
      'ログイン画面の「パスワードをお忘れの方」から再設定いただけます。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
  'demo-b': {
    title: 'デモB：カード会社へのご連絡のお願い',
    body: [
      '{{name}} 様',
      '',
      'ご利用のカードに身に覚えのない請求がある場合は、カード裏面の電話番号からカード会社へご連絡ください。',
      '受付番号 {{reference}} をお伝えいただくと、手続きがスムーズです。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
};

async function createCannedResponses(
  manager: EntityManager,
  merchants: Map<string, Merchant>,
  now: Date,
): Promise<void> {
  const rows = [
    ...GLOBAL_CANNED_RESPONSES.map((canned) => ({ merchantId: null, ...canned })),
    ...Object.entries(MERCHANT_CANNED_RESPONSES).map(([code, canned]) => ({
      merchantId: (merchants.get(code) as Merchant).id,
      ...canned,
    })),
  ];
  for (const row of rows) {
    await manager.insert(CannedResponse, {
      ...row,
      updatedByUserId: null,
      createdAt: now,
      updatedAt: now,
    });
  }
}
