import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Merchant, Site, Queue } from '@madoguchi/tenancy';

export interface TestTenant {
  merchant: Merchant;
  site: Site;
  queue: Queue;
}

export interface TestTenantOptions {
  merchantName?: string;
  siteName?: string;
  senderName?: string;
  intakeOpen?: boolean;
  supportEndsAt?: Date | null;
  brandColor?: string;
  contactUrl?: string | null;
}

/** Each test makes its own tenant (STYLE 15): a merchant, one site and its default queue. */
export async function createTestTenant(
  dataSource: DataSource,
  options: TestTenantOptions = {},
): Promise<TestTenant> {
  const suffix = randomBytes(4).toString('hex');
  const now = new Date();
  return dataSource.transaction(async (manager) => {
    const merchant = await manager.save(
      manager.create(Merchant, {
        code: `m-${suffix}`,
        name: options.merchantName ?? `テスト商店 ${suffix}`,
        supportEndsAt: options.supportEndsAt ?? null,
        notificationEmails: [`notify-${suffix}@merchant.test`],
        allowedIpRanges: [],
        retentionDays: 365,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const site = await manager.save(
      manager.create(Site, {
        merchantId: merchant.id,
        slug: `shop-${suffix}`,
        displayName: options.siteName ?? `テストショップ ${suffix}`,
        logoUrl: null,
        brandColor: options.brandColor ?? '#0a7d5a',
        contactUrl:
          options.contactUrl === undefined
            ? `https://shop-${suffix}.example.jp/contact`
            : options.contactUrl,
        contactText: 'お客様相談室 0120-111-222',
        senderName: options.senderName ?? `テストショップ ${suffix} 窓口`,
        intakeOpen: options.intakeOpen ?? true,
        phoneCode: String(100 + (parseInt(suffix, 16) % 900000)),
        createdAt: now,
        updatedAt: now,
      }),
    );
    const queue = await manager.save(
      manager.create(Queue, {
        merchantId: merchant.id,
        name: 'default',
        isDefault: true,
        createdAt: now,
      }),
    );
    return { merchant, site, queue };
  });
}
