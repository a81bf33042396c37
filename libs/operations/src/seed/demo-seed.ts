import type { DataSource, EntityManager } from 'typeorm';
import { hashPassword, User, type UserRole } from '@madoguchi/auth';
import { Merchant, Site, Queue } from '@madoguchi/tenancy';
import { CannedResponse, QueueMember, Rule } from '@madoguchi/tickets';
import { CalendarClosure } from '@madoguchi/calendar';
import { runTransaction } from '@madoguchi/common';
import {
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  type AnswerPurpose,
  Incident,
  IncidentMerchant,
} from '@madoguchi/incidents';

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
  // Incident mode: demo-a's administrator approves the incident answers in the portal.
  { email: 'admin@demo-a.madoguchi.test', role: 'merchant_admin', merchant: 'demo-a' },
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
  return runTransaction(dataSource, async (manager) => {
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
    await createDemoRules(manager, now);
    await manager.insert(
      CalendarClosure,
      DEMO_YEAR_END_CLOSURES.map((date) => ({
        date,
        reason: '年末年始休業',
        createdByUserId: null,
        createdAt: now,
      })),
    );
    const users = new Map<string, User>();
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
      users.set(account.email, user);
      if (account.role === 'agent') {
        for (const queue of queues)
          await manager.insert(QueueMember, { queueId: queue.id, userId: user.id, createdAt: now });
      }
    }
    await createDemoIncident(manager, merchants, users, now);
    return true;
  });
}

/** The demo incident's answers: each approved by demo-a; `answer` also has a newer draft. */
const DEMO_INCIDENT_ANSWERS: readonly {
  title: string;
  purpose: AnswerPurpose;
  bodies: string[];
}[] = [
  {
    title: '流出した情報と今後のお願い',
    purpose: 'answer',
    bodies: [
      [
        '{{merchant}} です。このたびは多大なご心配をおかけし、誠に申し訳ございません。',
        '流出した可能性がある情報は、氏名・メールアドレス・電話番号・住所です。',
        'パスワードとクレジットカード番号は含まれておりません。',
        '不審なメールやお電話にご注意ください（受付番号 {{reference}}）。',
        '',
        '{{site}} お問い合わせ窓口　{{agent}}',
      ].join('\n'),
      [
        '{{merchant}} です。このたびは多大なご心配をおかけし、誠に申し訳ございません。',
        '流出した可能性がある情報は、氏名・メールアドレス・電話番号・住所・注文履歴です。',
        'パスワードとクレジットカード番号は含まれておりません。',
        '不審なメールやお電話にご注意ください（受付番号 {{reference}}）。',
        '',
        '{{site}} お問い合わせ窓口　{{agent}}',
      ].join('\n'),
    ],
  },
  {
    title: '照合の結果：含まれていました',
    purpose: 'leak_included',
    bodies: [
      [
        '照合の結果、お客様の情報は流出した可能性のある情報に含まれていました。',
        '心よりお詫び申し上げます。今後のご案内は {{merchant}} より改めてお送りします。',
      ].join('\n'),
    ],
  },
  {
    title: '照合の結果：含まれていませんでした',
    purpose: 'leak_not_included',
    bodies: [
      [
        '照合の結果、お客様の情報は流出した可能性のある情報に含まれていませんでした。',
        'ご心配をおかけし申し訳ございません。',
      ].join('\n'),
    ],
  },
  // Issue 13.6: a public answer for the sites' incident page (/s/demo-a-shop/incident).
  {
    title: 'クレジットカード情報は流出しましたか',
    purpose: 'faq',
    bodies: [
      [
        '{{merchant}} が運営する {{site}} では、クレジットカード番号を保存していないため、カード番号は流出しておりません。',
        '流出した可能性があるのは、氏名・メールアドレス・電話番号・住所です。',
        '当社からメールや電話でパスワードやカード番号をお尋ねすることはありません。不審な連絡にご注意ください。',
      ].join('\n'),
    ],
  },
];

/**
 * One incident that affects demo-a (not demo-b), with its answers approved by demo-a's
 * administrator, so agents see approved answers on demo-a's tickets right after `npm start`.
 * The general answer's version 2 waits for approval (the portal shows the decision to make).
 */
async function createDemoIncident(
  manager: EntityManager,
  merchants: Map<string, Merchant>,
  users: Map<string, User>,
  now: Date,
): Promise<void> {
  const operator = users.get('admin@madoguchi.test') as User;
  const approver = users.get('admin@demo-a.madoguchi.test') as User;
  const demoA = merchants.get('demo-a') as Merchant;
  const incident = await manager.save(
    manager.create(Incident, {
      title: '2026年11月 ECプラットフォームへの不正アクセス',
      description:
        'ECプラットフォームの管理画面が不正に操作され、会員情報を含むファイルが外部に持ち出されました。',
      leakedItems: '氏名、メールアドレス、電話番号、住所（パスワードとカード番号は含まれません）',
      occurredFrom: new Date('2026-10-01T00:00:00+09:00'),
      occurredTo: new Date('2026-11-10T00:00:00+09:00'),
      createdByUserId: operator.id,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await manager.insert(IncidentMerchant, [
    { incidentId: incident.id, merchantId: demoA.id, affected: true, noticeDate: '2026-11-20' },
    {
      incidentId: incident.id,
      merchantId: (merchants.get('demo-b') as Merchant).id,
      affected: false,
      noticeDate: null,
    },
  ]);
  for (const answer of DEMO_INCIDENT_ANSWERS) {
    const template = await manager.save(
      manager.create(AnswerTemplate, {
        incidentId: incident.id,
        title: answer.title,
        purpose: answer.purpose,
        createdAt: now,
      }),
    );
    for (const [index, body] of answer.bodies.entries()) {
      const version = await manager.save(
        manager.create(AnswerTemplateVersion, {
          templateId: template.id,
          version: index + 1,
          body,
          createdByUserId: operator.id,
          createdAt: now,
        }),
      );
      // Version 1 of each is approved; a later version waits for demo-a's decision.
      if (index === 0) {
        await manager.insert(AnswerApproval, {
          versionId: version.id,
          merchantId: demoA.id,
          decision: 'approved',
          comment: null,
          decidedByUserId: approver.id,
          decidedAt: now,
        });
      }
    }
  }
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
      'お問い合わせ（受付番号 {{reference}}）について、現在調査を進めております。',
      '結果が分かり次第ご連絡いたします。ご不便をおかけし申し訳ございません。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
  {
    title: '解決のご連絡',
    body: [
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
      '{{site}} では、念のため全会員様にパスワードの再設定をお願いしております。',
      'ログイン画面の「パスワードをお忘れの方」から再設定いただけます。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
  'demo-b': {
    title: 'デモB：カード会社へのご連絡のお願い',
    body: [
      'ご利用のカードに身に覚えのない請求がある場合は、カード裏面の電話番号からカード会社へご連絡ください。',
      '受付番号 {{reference}} をお伝えいただくと、手続きがスムーズです。',
      '',
      '{{merchant}} お問い合わせ窓口　{{agent}}',
    ].join('\n'),
  },
};

/**
 * Two rules (docs/rules.md): card fraud is urgent on every channel, and a customer who does not
 * answer is reminded after 3 business days and the ticket resolved 5 business days later.
 */
export const DEMO_RULES = [
  {
    kind: 'intake',
    name: 'カードの不正利用は緊急',
    conditions: { channels: [], categories: [], keywords: ['カード', '不正利用'] },
    actions: { priority: 'urgent', category: null },
  },
  {
    kind: 'pending_customer',
    name: 'お客様の返答待ち: 3営業日で催促、さらに5営業日で解決',
    conditions: { channels: [], categories: [], keywords: [] },
    actions: {
      remindAfterDays: 3,
      reminderText: [
        '先日ご案内した件について、その後いかがでしょうか。',
        'ご不明な点がございましたら、このメールにご返信ください（受付番号 {{reference}}）。',
        '',
        '{{merchant}} お問い合わせ窓口',
      ].join('\n'),
      resolveAfterDays: 5,
      resolutionText: [
        'ご返信がございませんでしたので、このお問い合わせはいったん解決とさせていただきます。',
        'その後もお困りのことがございましたら、このメールにご返信いただければ対応を再開いたします。',
        '',
        '{{merchant}} お問い合わせ窓口',
      ].join('\n'),
    },
  },
] as const;

async function createDemoRules(manager: EntityManager, now: Date): Promise<void> {
  for (const [index, rule] of DEMO_RULES.entries()) {
    await manager.insert(Rule, {
      kind: rule.kind,
      name: rule.name,
      merchantId: null,
      position: index + 1,
      enabled: true,
      stopProcessing: false,
      conditions: JSON.stringify(rule.conditions),
      actions: JSON.stringify(rule.actions),
      updatedByUserId: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  }
}

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
